"""Earned vs paid reach: amplification per post and campaign, and the organic reach a boost earned.

Definitions
-----------
* **Amplification rate** of a post = shares / followers (Kaushik's "amplification": how many of
  the audience passed the post on); a campaign's is the mean over its posts with followers.
* **Reach beyond followers** = max(organic reach − followers, 0): at least this many people outside
  the follower base saw the post — earned through shares and recommendations. A lower bound,
  since not every follower sees a post.
* **Organic reach of a post** = ``organic_reach``; else ``reach − paid_reach``; else, for an
  unboosted post, ``reach``. A boosted post without the organic/paid split has no organic reach
  (Meta exports the split as *Lifetime Post organic reach* / *Lifetime Post Paid Reach*).
* **Earned by a boost** = organic reach of a boosted post − the baseline: the mean organic reach of
  unboosted posts of the same platform and type (``strata``). Summed per campaign, this is the
  organic reach the boosts produced beyond the paid reach that was bought. Its interval is a
  prediction interval: per stratum, Var = n·σ²·(1 + n/m) with n boosted and m unboosted posts
  and σ² the unboosted posts' variance (each boosted post's own organic reach without the boost
  is unknown, and so is the baseline mean). Teams boost posts that already do well, so read it
  as an upper bound of what boosting adds.

Examples
--------
>>> import pandas as pd
>>> posts = pd.DataFrame({"post_id": list("abcd"), "platform": ["facebook"] * 4,
...     "published_at": pd.to_datetime(["2024-01-01"] * 4), "paid": [True, False, False, False],
...     "campaign": ["spring"] * 4, "reach": [5000, 900, 1000, 1100], "paid_reach": [3000, 0, 0, 0],
...     "followers": [800] * 4, "shares": [40, 8, 8, 8]})
>>> e = earned_reach(posts)
>>> e.to_frame()[["campaign", "paid_reach", "earned_by_boost", "reach_beyond_followers"]].values.tolist()
[['spring', 3000.0, 1000.0, 1800.0]]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import narwhals as nw
import numpy as np
import pandas as pd
from scipy import stats

from roi_kit.content._earned_result import EarnedReach, group_table
from roi_kit.content._posts import prepare_posts
from roi_kit.engine import to_pandas
from roi_kit.errors import ConfigError, MissingColumnError

__all__ = ["EarnedBy", "earned_reach"]

EarnedBy = Literal["campaign", "platform", "all"]
_NONE = "(none)"


def _organic(cols: Sequence[str]) -> tuple[Any, str | None]:
    reach = nw.col("reach").cast(nw.Float64)
    unpaid = nw.when(~nw.col("is_paid")).then(reach)
    if "organic_reach" in cols:
        return nw.coalesce(nw.col("organic_reach").cast(nw.Float64), unpaid), None
    if "paid_reach" in cols:
        return nw.coalesce(reach - nw.col("paid_reach").cast(nw.Float64), unpaid), None
    return unpaid, ("posts have no organic_reach or paid_reach column, so the organic part of a "
                    "boosted post's reach is unknown")


def earned_reach(
    posts: Any,
    *,
    by: EarnedBy = "campaign",
    strata: tuple[str, ...] = ("platform", "type"),
    conf_level: float = 0.95,
) -> EarnedReach:
    """Earned amplification per post and per group, and the organic reach boosts earned.

    Parameters
    ----------
    posts
        Canonical posts table with ``reach``; ``followers``, ``shares``, ``paid`` / ``spend``,
        ``organic_reach`` / ``paid_reach`` and ``campaign`` where available; any engine.
    by
        ``"campaign"`` (default), ``"platform"`` or ``"all"``: the groups of :meth:`EarnedReach.to_frame`.
    strata
        Columns that make posts comparable for the organic baseline (missing ones are skipped).
    conf_level
        Interval level.

    Returns
    -------
    EarnedReach

    Examples
    --------
    >>> import pandas as pd
    >>> posts = pd.DataFrame({"post_id": ["a", "b"], "platform": ["x", "x"],
    ...     "published_at": pd.to_datetime(["2024-01-01"] * 2), "reach": [1500, 400],
    ...     "followers": [1000, 1000], "shares": [30, 2]})
    >>> earned_reach(posts, by="all").posts[["post_id", "amplification_rate", "reach_beyond_followers"]].values.tolist()
    [['a', 0.03, 500.0], ['b', 0.002, 0.0]]
    """
    if by not in ("campaign", "platform", "all"):
        raise ConfigError(f"by={by!r} is not an option.", hint="use 'campaign', 'platform' or 'all'.")
    if not 0 < conf_level < 1:
        raise ConfigError(f"conf_level={conf_level!r} must be between 0 and 1.", hint="use 0.95.")
    prepared = prepare_posts(posts)
    cols = prepared.columns
    if "reach" not in cols:
        raise MissingColumnError(f"posts has no 'reach' column. Columns found: {', '.join(cols)}.",
                                 hint="add each post's reach from the platform export.")
    organic, missing_split = _organic(cols)
    keys = [k for k in strata if k in cols]
    notes = [n for n in prepared.notes if "engagement" not in n]  # engagements are not used here
    if missing_split:
        notes.append(f"Earned by boosts is unknown: {missing_split} (Meta: 'Lifetime Post organic "
                     "reach' / 'Lifetime Post Paid Reach').")
    num = lambda c: nw.col(c).cast(nw.Float64) if c in cols else nw.lit(None, dtype=nw.Float64)  # noqa: E731
    label = lambda c: nw.col(c).cast(nw.String).fill_null(_NONE) if c in cols else nw.lit(_NONE)  # noqa: E731
    frame = prepared.frame.select(
        nw.col("post_id").cast(nw.String), label("platform").alias("platform"),
        label("campaign").alias("campaign"), *[label(k).alias(f"_s_{k}") for k in keys],
        nw.col("is_paid").alias("paid"), nw.col("reach").cast(nw.Float64),
        organic.alias("organic_reach"), num("paid_reach").alias("paid_reach"),
        num("followers").alias("followers"), num("shares").alias("shares"))
    table = to_pandas(frame).sort_values("post_id", kind="stable").reset_index(drop=True)
    if "paid_reach" not in cols and "organic_reach" in cols:
        table["paid_reach"] = (table["reach"] - table["organic_reach"]).where(table["paid"])
    table["paid_reach"] = table["paid_reach"].where(table["paid"], 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        fol = table["followers"].where(table["followers"] > 0)
        table["amplification_rate"] = table["shares"] / fol
        table["reach_beyond_followers"] = (table["organic_reach"] - fol).clip(lower=0.0)
    strata_cols = [f"_s_{k}" for k in keys]
    table = _baseline(table, strata_cols)
    z = float(stats.norm.ppf(0.5 + conf_level / 2))
    groups = group_table(table, by, strata_cols, z=z)
    return EarnedReach(posts=table.drop(columns=[*strata_cols, "_var", "_m"]), groups=groups, by=by,
                       conf_level=conf_level, notes=tuple(notes))


def _baseline(table: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Baseline organic reach per stratum (unboosted posts) and each boosted post's excess."""
    unboosted = table[~table["paid"] & table["organic_reach"].notna()]
    grouper = keys or (lambda _: 0)
    stats_ = unboosted.groupby(grouper)["organic_reach"].agg(["mean", "var", "count"])
    stats_.columns = ["baseline_organic_reach", "_var", "_m"]
    if keys:
        out = table.merge(stats_.reset_index(), on=keys, how="left")
    else:
        out = table.assign(**{c: stats_[c].iloc[0] if len(stats_) else np.nan for c in stats_.columns})
    boosted = out["paid"] & out["organic_reach"].notna()
    out["baseline_organic_reach"] = out["baseline_organic_reach"].where(boosted)
    out["earned_by_boost"] = (out["organic_reach"] - out["baseline_organic_reach"]).where(boosted)
    return out
