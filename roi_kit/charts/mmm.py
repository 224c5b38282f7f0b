"""Charts of a marketing-mix model: ROAS per channel with intervals, and a budget suggestion.

Examples
--------
>>> import pandas as pd
>>> from roi_kit.incrementality._mmm_budget import BudgetPlan
>>> plan = BudgetPlan(allocation=pd.DataFrame({"channel": ["a"], "current": [1.0],
...                   "suggested": [1.0], "change_pct": [0.0], "revenue_current": [2.0],
...                   "revenue_suggested": [2.0]}), gain=(0.0, 0.0, 0.0), total=1.0, weeks=1,
...                   level=0.9, currency="USD")
>>> budget_chart(plan).to_dict()["mark"]["type"]
'bar'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import altair as alt

from roi_kit.charts.theme import PALETTE, use_theme

if TYPE_CHECKING:
    from roi_kit.incrementality._mmm_budget import BudgetPlan
    from roi_kit.incrementality._mmm_result import MmmResult

__all__ = ["budget_chart", "mmm_chart", "response_chart"]


def mmm_chart(result: MmmResult) -> alt.LayerChart:
    """ROAS per channel (posterior median) with its interval; ROI % in the tooltip.

    Organic channels without a cost are left out (their ROAS is undefined; they are priced per
    unit of activity), and the subtitle says so.
    """
    use_theme()
    table = result.roi().assign(kind=list(result.kinds))
    comparable = table[table["roas"].notna()]
    skipped = sorted(set(table["channel"]) - set(comparable["channel"]))
    level = f"{100 * result.level:g}%"
    subtitle = f"bars: posterior median; lines: {level} interval; ROI % = (ROAS − 1) × 100"
    if skipped:
        subtitle += f"; not shown (no cost given, priced per unit of activity): {', '.join(skipped)}"
    base = alt.Chart(comparable)
    y = alt.Y("channel:N", title=None, sort="-x")
    bars = base.mark_bar(color=PALETTE[0]).encode(
        x=alt.X("roas:Q", title=f"ROAS: revenue per {result.currency} 1 of cost"), y=y,
        color=alt.Color("kind:N", title=None,
                        scale=alt.Scale(domain=["paid", "organic"], range=[PALETTE[0], PALETTE[1]])),
        tooltip=[alt.Tooltip("channel:N"), alt.Tooltip("roas:Q", format=",.2f", title="ROAS"),
                 alt.Tooltip("roas_low:Q", format=",.2f"), alt.Tooltip("roas_high:Q", format=",.2f"),
                 alt.Tooltip("roi:Q", format=",.0f", title="ROI %")])
    ci = base.mark_rule(color="#333333", strokeWidth=2).encode(x="roas_low:Q", x2="roas_high:Q",
                                                               y=y)
    return alt.LayerChart(layer=[bars, ci],
                          title=alt.Title("Return per channel (marketing-mix model)",
                                          subtitle=subtitle))


def budget_chart(plan: BudgetPlan) -> alt.Chart:
    """Today's mix and the suggested split per channel."""
    use_theme()
    long = plan.allocation.melt(id_vars=["channel"], value_vars=["current", "suggested"],
                                var_name="split", value_name="budget")
    return alt.Chart(long).mark_bar().encode(
        x=alt.X("budget:Q", title=f"Budget over {plan.weeks} weeks ({plan.currency})"),
        y=alt.Y("channel:N", title=None), yOffset=alt.YOffset("split:N"),
        color=alt.Color("split:N", title=None,
                        scale=alt.Scale(domain=["current", "suggested"],
                                        range=["#9a9a9a", PALETTE[0]])),
        tooltip=[alt.Tooltip("channel:N"), alt.Tooltip("split:N"),
                 alt.Tooltip("budget:Q", format=",.0f")],
    ).properties(title=alt.Title("Budget: today's mix vs suggested",
                                 subtitle=f"expected extra revenue {plan.gain[0]:,.0f} "
                                          f"({plan.gain[1]:,.0f} to {plan.gain[2]:,.0f})"))


def response_chart(result: MmmResult) -> alt.LayerChart:
    """Weekly response to a steady weekly spend, one line (and interval band) per paid channel.

    Organic channels are left out: their x axis would be activity (posts), not money.
    """
    use_theme()
    paid = [c for c, k in zip(result.channels, result.kinds) if k == "paid"]
    curves = result.response_curves()
    curves = curves[curves["channel"].isin(paid)]
    level = f"{100 * result.level:g}%"
    x = alt.X("spend:Q", title=f"Steady weekly spend ({result.currency})")
    color = alt.Color("channel:N", title=None)
    band = alt.Chart(curves).mark_area(opacity=0.15).encode(
        x=x, y="ci_low:Q", y2="ci_high:Q", color=color)
    line = alt.Chart(curves).mark_line().encode(
        x=x, y=alt.Y("response:Q", title=f"Extra revenue per week ({result.currency})"),
        color=color,
        tooltip=[alt.Tooltip("channel:N"), alt.Tooltip("spend:Q", format=",.0f"),
                 alt.Tooltip("response:Q", format=",.0f"),
                 alt.Tooltip("marginal_roas:Q", format=",.2f", title="marginal ROAS (next 1 brings)")])
    return alt.LayerChart(layer=[line, band], title=alt.Title(  # legend symbols: the lines
        "Response curves: diminishing returns per paid channel",
        subtitle=f"lines: posterior median; bands: {level} interval; up to twice the largest week"))
