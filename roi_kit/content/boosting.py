"""Paid boosting: what a unit of spend buys over an organic post of the same type and platform.

Posts are grouped by platform and type (the strata). Within each stratum with both paid and
organic posts, the incremental reach / engagements / clicks of a boosted post is the difference
of means (Welch standard error), and dividing by the paid posts' mean spend gives the increment
per unit of spend. The reach multiplier is the ratio of means with a delta-method interval on
the log scale. The overall multiplier is standardised to the paid posts' mix:
``Σ_s n_paid,s · paid_mean_s / Σ_s n_paid,s · organic_mean_s``.

CPM, CPC and cost per engagement per platform use the totals of paid posts
(``spend / impressions × 1000``, ``spend / clicks``, ``spend / engagements``).
Boosted posts are not a random sample: teams boost posts that already do well, so read the
increments as an upper bound of what boosting adds.

Examples
--------
>>> import pandas as pd
>>> posts = pd.DataFrame({
...     "post_id": list("abcd"), "platform": ["facebook"] * 4, "type": ["image"] * 4,
...     "published_at": pd.to_datetime(["2024-01-01"] * 4), "paid": [True, True, False, False],
...     "spend": [100.0, 100.0, 0.0, 0.0], "reach": [3000, 5000, 1000, 1000],
...     "impressions": [4000, 6000, 1200, 1300], "likes": [80, 100, 30, 30], "clicks": [40, 60, 5, 5]})
>>> b = boosting_effect(posts)
>>> b.to_frame().query("outcome == 'reach'")[["paid_mean", "organic_mean", "incremental",
...                                          "incremental_per_spend", "ratio"]]
   paid_mean  organic_mean  incremental  incremental_per_spend  ratio
3     4000.0        1000.0       3000.0                   30.0    4.0
>>> b.costs[["platform", "cpm", "cpc"]].to_dict("records")
[{'platform': 'facebook', 'cpm': 20.0, 'cpc': 2.0}]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import narwhals as nw
import numpy as np
import pandas as pd
from scipy import stats

from roi_kit.content._posts import prepare_posts
from roi_kit.engine import to_pandas
from roi_kit.errors import ConfigError, EmptyDataError, MissingColumnError
from roi_kit.formatting import fmt_number, no_interval
from roi_kit.results import ResultMixin

if TYPE_CHECKING:
    import altair as alt

__all__ = ["Boosting", "boosting_effect"]

_OUTCOMES = ("reach", "impressions", "engagements", "clicks")


@dataclass(frozen=True)
class Boosting(ResultMixin):
    """Incremental results of boosted posts and paid cost ratios per platform.

    Attributes
    ----------
    effects
        See :meth:`to_frame`.
    overall
        Per outcome: ``outcome, paid_posts, ratio, ratio_ci_low, ratio_ci_high`` — the
        mix-standardised paid / organic multiplier (``reach`` is the paid reach multiplier).
    costs
        Per platform: ``platform, paid_posts, spend, impressions, clicks, engagements, cpm, cpc,
        cost_per_engagement`` (NaN where the denominator is zero).
    conf_level, notes
        Interval level; caveats in words.

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.content import boosting_effect
    >>> posts = pd.DataFrame({"post_id": list("abc"), "platform": ["x"] * 3,
    ...     "published_at": pd.to_datetime(["2024-01-01"] * 3), "paid": [True, False, False],
    ...     "spend": [50.0, 0, 0], "reach": [900, 300, 300]})
    >>> boosting_effect(posts).costs[["platform", "paid_posts", "spend"]].values.tolist()
    [['x', 1, 50.0]]
    """

    effects: pd.DataFrame
    overall: pd.DataFrame
    costs: pd.DataFrame
    conf_level: float
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_frame(self) -> pd.DataFrame:
        """One row per (platform, type, outcome) stratum with paid and organic posts:
        ``paid_posts, organic_posts, spend_per_paid_post, paid_mean, organic_mean, incremental``
        (paid − organic per post), ``ci_low, ci_high`` (Welch), ``incremental_per_spend``,
        ``ratio`` (paid / organic mean) and ``ratio_ci_low, ratio_ci_high``."""
        return self.effects.copy()

    def summary(self) -> str:
        """Reach multiplier, increments per unit of spend and CPM/CPC per platform, in words."""
        lines: list[str] = []
        reach = self.overall[self.overall["outcome"] == "reach"]
        if len(reach) and np.isfinite(reach["ratio"].iloc[0]):
            r = reach.iloc[0]
            lines.append(f"Boosted posts reached {r['ratio']:.2f}× as many people as organic posts of "
                         f"the same platform and type ({self.conf_level:.0%} interval "
                         f"{r['ratio_ci_low']:.2f}× to {r['ratio_ci_high']:.2f}×, "
                         f"{int(r['paid_posts'])} boosted posts).")
        else:
            lines.append("No platform and type has both boosted and organic posts to compare.")
        for outcome in ("reach", "engagements", "clicks"):
            e = self.effects[self.effects["outcome"] == outcome]
            e = e[np.isfinite(e["incremental_per_spend"])]
            if len(e):
                per, lo, hi = _per_spend(e, self.conf_level)
                ci = (f"; {self.conf_level:.0%} interval {fmt_number(lo, decimals=2)} to "
                      f"{fmt_number(hi, decimals=2)}" if np.isfinite(lo) else "")
                lines.append(f"Each unit of spend bought about {fmt_number(per, decimals=2)} extra "
                             f"{outcome} (spend-weighted over {len(e)} platform-type group(s){ci}).")
        for c in self.costs.itertuples():
            cpm = fmt_number(c.cpm, decimals=2)
            cpc = fmt_number(c.cpc, decimals=2)
            lines.append(f"{c.platform}: CPM {cpm}, CPC {cpc} over {int(c.paid_posts)} paid posts.")
        if len(self.costs):
            lines.append(no_interval("CPM and CPC", "they are what the boosts cost per unit (booked "
                                     "spend over counted impressions and clicks), not estimates"))
        lines.extend(self.notes)
        return "\n".join(lines)

    def chart(self) -> alt.TopLevelMixin:
        """Paid vs organic mean per outcome and platform-type group."""
        from roi_kit.charts.content import boosting_chart

        return boosting_chart(self)


def boosting_effect(posts: Any, *, by: tuple[str, ...] = ("platform", "type"),
                    conf_level: float = 0.95) -> Boosting:
    """Compare boosted (paid) and organic posts within platform × type groups.

    Parameters
    ----------
    posts
        Canonical posts table with ``paid`` (or ``spend``) and counts; any engine.
    by
        Columns that define comparable groups (missing ones are dropped, with a note).
    conf_level
        Interval level.

    Examples
    --------
    >>> import pandas as pd
    >>> posts = pd.DataFrame({"post_id": list("abc"), "platform": ["x"] * 3,
    ...     "published_at": pd.to_datetime(["2024-01-01"] * 3), "paid": [True, False, False],
    ...     "spend": [50.0, 0, 0], "reach": [900, 300, 300]})
    >>> round(boosting_effect(posts).overall.query("outcome == 'reach'")["ratio"].item(), 2)
    3.0
    """
    if not 0 < conf_level < 1:
        raise ConfigError(f"conf_level={conf_level!r} must be between 0 and 1.", hint="use 0.95.")
    prepared = prepare_posts(posts)
    if "spend" not in prepared.columns:
        raise MissingColumnError(
            f"posts has no 'spend' column. Columns found: {', '.join(prepared.columns)}.",
            hint="add the amount spent to boost each post (0 for organic posts).")
    notes = list(prepared.notes)
    keys = [k for k in by if k in prepared.columns]
    if len(keys) < len(by):
        notes.append(f"Grouped by {', '.join(keys) or 'nothing'}: "
                     f"{', '.join(k for k in by if k not in keys)} not in the data.")
    outcomes = [o for o in _OUTCOMES if o in prepared.columns]
    if not outcomes:
        raise MissingColumnError("posts has none of reach, impressions, engagements, clicks.",
                                 hint="add the post's counts from the platform export.")
    frame = prepared.frame.with_columns(
        nw.lit(1.0).alias("_one"), *(nw.col(o).fill_null(0.0).alias(o) for o in outcomes),
        *((nw.col(o).fill_null(0.0) ** 2).alias(f"{o}__sq") for o in outcomes))
    frame = frame.with_columns(*(nw.col(k).cast(nw.String).fill_null("(none)").alias(k) for k in keys))
    aggs = [nw.col("_one").sum().alias("n"), nw.col("spend_value").sum().alias("spend"),
            *(nw.col(o).sum().alias(o) for o in outcomes),
            *(nw.col(f"{o}__sq").sum().alias(f"{o}__sq") for o in outcomes)]
    g = to_pandas(frame.group_by([*keys, "is_paid"]).agg(aggs))
    if g.empty:
        raise EmptyDataError("posts has no rows.", hint="pass a non-empty posts table.")
    g["is_paid"] = g["is_paid"].astype(bool)
    z = stats.norm.ppf(0.5 + conf_level / 2)
    effects = _effects(g, keys, outcomes, z)
    overall = _overall(effects, outcomes, z)
    costs = _costs(g, outcomes)
    effects = effects.drop(columns=["_var_p", "_var_o"])
    return Boosting(effects, overall, costs, conf_level, tuple(notes))


def _per_spend(e: pd.DataFrame, conf_level: float) -> tuple[float, float, float]:
    """Spend-weighted increment per unit of spend, ``Σ n·Δ / Σ n·s``, with a normal interval.

    The strata are independent, so the variance is ``Σ n²·se(Δ)² / (Σ n·s)²``, each stratum's
    ``se(Δ)`` read back from its Welch interval (half-width / z).
    """
    z = float(stats.norm.ppf(0.5 + conf_level / 2))
    n, spend = e["paid_posts"].to_numpy(float), e["spend_per_paid_post"].to_numpy(float)
    den = float((n * spend).sum())
    per = float((n * e["incremental"].to_numpy(float)).sum() / den)
    se = (e["ci_high"] - e["ci_low"]).to_numpy(float) / (2 * z)
    half = z * float(np.sqrt((n**2 * se**2).sum())) / den
    return per, per - half, per + half


def _moments(df: pd.DataFrame, o: str) -> tuple[pd.Series, pd.Series]:
    mean = df[o] / df["n"]
    var = (df[f"{o}__sq"] - df["n"] * mean**2) / (df["n"] - 1)
    return mean, var.where(df["n"] > 1)


def _effects(g: pd.DataFrame, keys: list[str], outcomes: list[str], z: float) -> pd.DataFrame:
    key = keys or None
    paid = g[g["is_paid"]].drop(columns="is_paid")
    org = g[~g["is_paid"]].drop(columns="is_paid")
    if key:
        both = paid.merge(org, on=keys, suffixes=("_p", "_o"))
    else:
        both = pd.concat([paid.add_suffix("_p").reset_index(drop=True),
                          org.add_suffix("_o").reset_index(drop=True)], axis=1).dropna(subset=["n_p", "n_o"])
    rows = []
    for o in outcomes:
        pm, pv = _moments(both.rename(columns=lambda c: c[:-2] if c.endswith("_p") else c + "#"), o)
        om, ov = _moments(both.rename(columns=lambda c: c[:-2] if c.endswith("_o") else c + "#"), o)
        se_diff = np.sqrt(pv / both["n_p"] + ov / both["n_o"])
        spend_pp = both["spend_p"] / both["n_p"]
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = pm / om
            se_log = np.sqrt(pv / (both["n_p"] * pm**2) + ov / (both["n_o"] * om**2))
            per_spend = (pm - om) / spend_pp.where(spend_pp > 0)
        out = both[keys].copy() if keys else pd.DataFrame(index=both.index)
        out["outcome"] = o
        out["paid_posts"] = both["n_p"].astype("int64")
        out["organic_posts"] = both["n_o"].astype("int64")
        out["spend_per_paid_post"] = spend_pp
        out["paid_mean"], out["organic_mean"] = pm, om
        out["incremental"] = pm - om
        out["ci_low"], out["ci_high"] = pm - om - z * se_diff, pm - om + z * se_diff
        out["incremental_per_spend"] = per_spend
        out["ratio"] = ratio.where(om > 0)
        out["ratio_ci_low"] = (ratio * np.exp(-z * se_log)).where(om > 0)
        out["ratio_ci_high"] = (ratio * np.exp(z * se_log)).where(om > 0)
        out["_var_p"], out["_var_o"] = pv, ov
        rows.append(out)
    cols = [*keys, "outcome"]
    return pd.concat(rows, ignore_index=True).sort_values(cols, kind="stable").reset_index(drop=True)


def _overall(effects: pd.DataFrame, outcomes: list[str], z: float) -> pd.DataFrame:
    rows = []
    for o in outcomes:
        e = effects[(effects["outcome"] == o)]
        a = float((e["paid_posts"] * e["paid_mean"]).sum())
        b = float((e["paid_posts"] * e["organic_mean"]).sum())
        va = float((e["paid_posts"] ** 2 * e["_var_p"].fillna(0) / e["paid_posts"]).sum())
        vb = float((e["paid_posts"] ** 2 * e["_var_o"].fillna(0) / e["organic_posts"]).sum())
        if a > 0 and b > 0:
            r, se = a / b, np.sqrt(va / a**2 + vb / b**2)
            lo, hi = r * np.exp(-z * se), r * np.exp(z * se)
        else:
            r = lo = hi = np.nan
        rows.append({"outcome": o, "paid_posts": int(e["paid_posts"].sum()), "ratio": r,
                     "ratio_ci_low": lo, "ratio_ci_high": hi})
    return pd.DataFrame(rows)


def _costs(g: pd.DataFrame, outcomes: list[str]) -> pd.DataFrame:
    paid = g[g["is_paid"]]
    cols = ["n", "spend", *[o for o in ("impressions", "clicks", "engagements") if o in outcomes]]
    by = "platform" if "platform" in paid else None
    t = paid.groupby(by)[cols].sum().reset_index() if by else paid[cols].sum().to_frame().T
    t = t.rename(columns={"n": "paid_posts"})
    with np.errstate(divide="ignore", invalid="ignore"):
        for name, den, scale in (("cpm", "impressions", 1000.0), ("cpc", "clicks", 1.0),
                                 ("cost_per_engagement", "engagements", 1.0)):
            t[name] = (t["spend"] * scale / t[den]).where(t[den] > 0) if den in t else np.nan
    t["paid_posts"] = t["paid_posts"].astype("int64")
    return t.reset_index(drop=True)
