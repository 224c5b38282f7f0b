"""Earned vs paid reach: paid reach bought and organic reach earned by boosts, per group.

Examples
--------
>>> import pandas as pd
>>> from roi_kit.content import earned_reach
>>> posts = pd.DataFrame({"post_id": list("abc"), "platform": ["x"] * 3,
...     "published_at": pd.to_datetime(["2024-01-01"] * 3), "paid": [True, False, False],
...     "reach": [900, 300, 500], "paid_reach": [400, 0, 0]})
>>> spec = earned_chart(earned_reach(posts, by="all")).to_dict()
>>> [layer["mark"]["type"] for layer in spec["layer"]]
['bar', 'rule']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import altair as alt
import pandas as pd

from roi_kit.charts.theme import PALETTE, use_theme

if TYPE_CHECKING:
    from roi_kit.content import EarnedReach

__all__ = ["earned_chart"]


def earned_chart(result: EarnedReach) -> alt.LayerChart:
    """Bars of paid reach and earned organic reach per group; a rule for the earned interval."""
    use_theme()
    g = result.to_frame()
    label = g.columns[0]
    long = pd.concat([
        pd.DataFrame({"group": g[label].astype(str), "kind": "paid reach bought", "reach": g["paid_reach"],
                      "ci_low": float("nan"), "ci_high": float("nan")}),
        pd.DataFrame({"group": g[label].astype(str), "kind": "organic reach earned by boosts",
                      "reach": g["earned_by_boost"], "ci_low": g["ci_low"], "ci_high": g["ci_high"]}),
    ], ignore_index=True)
    long = long[long["reach"].notna()]
    kinds = ["paid reach bought", "organic reach earned by boosts"]
    base = alt.Chart(long).encode(y=alt.Y("group:N", title=None), yOffset=alt.YOffset("kind:N", sort=kinds))
    bars = base.mark_bar().encode(
        x=alt.X("reach:Q", title="People reached"),
        color=alt.Color("kind:N", title=None, scale=alt.Scale(domain=kinds, range=[PALETTE[3], PALETTE[2]])),
        tooltip=[alt.Tooltip("group:N"), alt.Tooltip("kind:N"), alt.Tooltip("reach:Q", format=",.0f")])
    rules = base.mark_rule().encode(x="ci_low:Q", x2="ci_high:Q").transform_filter("isValid(datum.ci_low)")
    return alt.LayerChart(layer=[bars, rules], title=alt.Title(
        "Earned vs paid reach", subtitle=f"rule: {100 * result.conf_level:.0f}% interval of the earned reach"))
