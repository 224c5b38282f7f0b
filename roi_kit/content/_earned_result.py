"""Groups and result of :func:`roi_kit.content.earned_reach` (definitions in that module).

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"campaign": ["c", "c"], "paid": [True, False], "reach": [900.0, 300.0],
...     "organic_reach": [400.0, 300.0], "paid_reach": [500.0, 0.0], "shares": [5.0, 1.0],
...     "amplification_rate": [0.01, 0.002], "reach_beyond_followers": [0.0, 0.0],
...     "baseline_organic_reach": [300.0, None], "earned_by_boost": [100.0, None],
...     "_var": [200.0, 200.0], "_m": [3.0, 3.0], "_s_platform": ["x", "x"]})
>>> g = group_table(t, "campaign", ["_s_platform"], z=2.0)
>>> g[["earned_by_boost", "ci_low", "ci_high", "earned_per_paid_reach"]].values.round(1).tolist()
[[100.0, 67.3, 132.7, 0.2]]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from roi_kit.formatting import fmt_number, fmt_pct, no_interval
from roi_kit.results import ResultMixin

if TYPE_CHECKING:
    import altair as alt

__all__ = ["EarnedReach", "group_table"]

_SUMS = ("reach", "shares", "reach_beyond_followers")


def group_table(table: pd.DataFrame, by: str, strata: list[str], *, z: float) -> pd.DataFrame:
    """One row per group: counts, amplification, paid reach and earned-by-boost with its interval."""
    key = table[by] if by != "all" else pd.Series("all", index=table.index)
    rows = []
    for name, g in table.groupby(key, sort=True):
        boosted = g[g["paid"]]
        known = boosted[boosted["earned_by_boost"].notna()]
        earned = float(known["earned_by_boost"].sum()) if len(known) else np.nan
        per = known.groupby(strata or (lambda _: 0)).agg(n=("paid", "size"), var=("_var", "first"),
                                                         m=("_m", "first"))
        var = float((per["n"] * per["var"] * (1 + per["n"] / per["m"])).sum(min_count=1))
        half = z * np.sqrt(var) if np.isfinite(var) else np.nan
        paid_reach = float(known["paid_reach"].sum()) if len(known) else np.nan
        if boosted.empty:
            note = "no boosted post"
        elif boosted["organic_reach"].isna().all():
            note = "boosted posts have no organic/paid reach split"
        elif known.empty:
            note = "no unboosted post of the same platform and type to compare with"
        elif not np.isfinite(half):
            note = "interval needs at least two unboosted posts per platform and type"
        else:
            note = "" if len(known) == len(boosted) else (
                f"{len(boosted) - len(known)} boosted post(s) without a baseline left out")
        sums = {c: float(g[c].sum(min_count=1)) for c in _SUMS}
        rows.append({by if by != "all" else "group": name, "posts": len(g), "paid_posts": len(boosted),
                     **sums, "amplification_rate": float(g["amplification_rate"].mean()),
                     "paid_reach": paid_reach,
                     "boosted_organic_reach": float(known["organic_reach"].sum()) if len(known) else np.nan,
                     "baseline_organic_reach": float(known["baseline_organic_reach"].sum()) if len(known) else np.nan,
                     "earned_by_boost": earned, "ci_low": earned - half, "ci_high": earned + half,
                     "earned_per_paid_reach": earned / paid_reach if paid_reach > 0 else np.nan,
                     "note": note})
    return pd.DataFrame(rows)


@dataclass(frozen=True, eq=False)
class EarnedReach(ResultMixin):
    """Earned vs paid reach per post and per group (see :func:`roi_kit.earned_reach`).

    Attributes
    ----------
    posts
        Per post: ``post_id, platform, campaign, paid, reach, organic_reach, paid_reach,
        followers, shares, amplification_rate, reach_beyond_followers, baseline_organic_reach,
        earned_by_boost`` (NaN where undefined).
    groups
        Per group (:meth:`to_frame`).

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.content import earned_reach
    >>> posts = pd.DataFrame({"post_id": ["a"], "platform": ["x"],
    ...     "published_at": pd.to_datetime(["2024-01-01"]), "reach": [100]})
    >>> earned_reach(posts, by="all").to_frame()["note"].tolist()
    ['no boosted post']
    """

    posts: pd.DataFrame
    groups: pd.DataFrame
    by: str
    conf_level: float = 0.95
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_frame(self) -> pd.DataFrame:
        """Per group: ``<by>, posts, paid_posts, reach, shares, reach_beyond_followers,
        amplification_rate, paid_reach, boosted_organic_reach, baseline_organic_reach,
        earned_by_boost, ci_low, ci_high, earned_per_paid_reach, note``."""
        return self.groups.copy()

    def summary(self) -> str:
        """Earned amplification and the organic reach boosts earned, in words."""
        conf = f"{self.conf_level:.0%}"
        label = self.groups.columns[0]
        lines = []
        for r in self.groups.to_dict("records"):
            head = "All posts" if self.by == "all" else f"{label} {r[label]}"
            text = (f"{head}: {r['posts']:,} posts, {fmt_number(r['shares'])} shares")
            if np.isfinite(r["amplification_rate"]):
                text += f", amplification {fmt_pct(r['amplification_rate'], decimals=2)} of followers per post"
            if np.isfinite(r["reach_beyond_followers"]):
                text += f", at least {fmt_number(r['reach_beyond_followers'])} reached beyond the followers"
            text += "."
            if np.isfinite(r["earned_by_boost"]):
                text += (f" Boosts bought {fmt_number(r['paid_reach'])} paid reach and earned "
                         f"{fmt_number(r['earned_by_boost'])} organic reach beyond it")
                if np.isfinite(r["ci_low"]):
                    text += f" ({conf} interval {fmt_number(r['ci_low'])} to {fmt_number(r['ci_high'])})"
                text += "."
            elif r["note"]:
                text += f" Earned by boosts: undefined — {r['note']}."
            lines.append(text)
        if self.groups["paid_posts"].sum() > 0:
            lines.append("Boosted posts are chosen because they already do well: read the earned "
                         "reach as an upper bound of what boosting adds.")
        lines.append(no_interval("shares, amplification and reach beyond followers", "they count what "
                                 "these posts got (shares over followers), they do not estimate a rate"))
        lines.extend(self.notes)
        return "\n".join(lines)

    def chart(self) -> alt.LayerChart:
        """Paid reach and the organic reach boosts earned, per group, with intervals."""
        from roi_kit.charts.earned import earned_chart

        return earned_chart(self)
