"""Charts of lift tests: conversion rates of a holdout, treated vs synthetic control of a geo test,
and power curves of a plan.

Examples
--------
>>> import pandas as pd
>>> from roi_kit.incrementality import lift_test
>>> r = lift_test(pd.DataFrame({"group": ["test", "control"], "users": [100, 100],
...                             "conversions": [20, 10]}))
>>> [layer["mark"]["type"] for layer in lift_chart(r).to_dict()["layer"]]
['bar', 'rule']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import altair as alt
import pandas as pd

from roi_kit.charts.theme import PALETTE, use_theme

if TYPE_CHECKING:
    from roi_kit.incrementality import LiftPlan, LiftResult

__all__ = ["geo_chart", "holdout_chart", "lift_chart", "plan_chart"]


def lift_chart(result: LiftResult) -> alt.LayerChart | alt.VConcatChart:
    """The chart that fits the design: :func:`holdout_chart` or :func:`geo_chart`."""
    return holdout_chart(result) if result.design == "holdout" else geo_chart(result)


def holdout_chart(result: LiftResult) -> alt.LayerChart:
    """Conversion rate of the exposed and held-out groups, with Wilson intervals."""
    use_theme()
    assert result.groups is not None
    data = result.groups.assign(rate_pct=100 * result.groups["rate"],
                                low_pct=100 * result.groups["ci_low"],
                                high_pct=100 * result.groups["ci_high"])
    lift = result.estimate("lift_pct")
    title = alt.Title("Conversion rate: exposed vs held out",
                      subtitle=f"lift {lift:+.1f}% (p = {result.p_value:.3g})")
    base = alt.Chart(data)
    x = alt.X("group:N", title=None, sort=None, axis=alt.Axis(labelAngle=0))
    bars = base.mark_bar(color=PALETTE[0]).encode(
        x=x, y=alt.Y("rate_pct:Q", title="Conversion rate (%)"),
        tooltip=[alt.Tooltip("group:N"), alt.Tooltip("users:Q", format=",.0f"),
                 alt.Tooltip("conversions:Q", format=",.0f"),
                 alt.Tooltip("rate_pct:Q", format=".2f", title="rate %")])
    ci = base.mark_rule(color="#333333", strokeWidth=2).encode(x=x, y="low_pct:Q", y2="high_pct:Q")
    return alt.LayerChart(layer=[bars, ci], title=title)


def geo_chart(result: LiftResult) -> alt.VConcatChart:
    """Treated markets vs their synthetic control by week (top) and the gap between them (bottom)."""
    use_theme()
    assert result.series is not None
    series = result.series
    long = series.melt(id_vars=["week", "period"], value_vars=["treated", "synthetic"],
                       var_name="line", value_name="value")
    start = series.loc[series["period"] == "test", "week"].min()
    rule_data = pd.DataFrame({"week": [start]})
    week_type = "T" if pd.api.types.is_datetime64_any_dtype(series["week"]) else "Q"
    x = alt.X(f"week:{week_type}", title=None)
    rule = alt.Chart(rule_data).mark_rule(color="#555555", strokeDash=[4, 4]).encode(x=x)
    lines = alt.Chart(long).mark_line().encode(
        x=x, y=alt.Y("value:Q", title=result.outcome),
        color=alt.Color("line:N", title=None,
                        scale=alt.Scale(domain=["treated", "synthetic"], range=[PALETTE[0], "#9a9a9a"])),
        tooltip=[alt.Tooltip(f"week:{week_type}"), alt.Tooltip("line:N"),
                 alt.Tooltip("value:Q", format=",.0f")])
    gap = alt.Chart(series).mark_bar(color=PALETTE[1]).encode(
        x=x, y=alt.Y("gap:Q", title="treated − synthetic"),
        tooltip=[alt.Tooltip(f"week:{week_type}"), alt.Tooltip("gap:Q", format=",.0f")])
    rmspe = 100 * (result.pre_rmspe or 0.0)
    title = alt.Title("Treated markets vs synthetic control",
                      subtitle=f"pre-period fit {result.fit_quality} (RMSPE {rmspe:.1f}% of a "
                      f"week); dashed line = test start")
    return alt.vconcat(alt.layer(lines, rule).properties(height=220),
                       alt.layer(gap, rule).properties(height=120), title=title)


def plan_chart(plan: LiftPlan) -> alt.LayerChart:
    """Power against the true lift, one line per option, with the 80 % line.

    Examples
    --------
    >>> from roi_kit.incrementality import plan_lift_test
    >>> plan_chart(plan_lift_test(baseline_rate=0.05, lift=0.1)).to_dict()["layer"][0]["mark"]["type"]
    'line'
    """
    use_theme()
    line = alt.Chart(plan.curve).mark_line().encode(
        x=alt.X("lift_pct:Q", title="True lift (%)"),
        y=alt.Y("power:Q", title="Chance of detecting it", axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("option:N", title=None),
        tooltip=[alt.Tooltip("option:N"), alt.Tooltip("lift_pct:Q", format=".1f"),
                 alt.Tooltip("power:Q", format=".0%")])
    target = alt.Chart(pd.DataFrame({"power": [0.8]})).mark_rule(
        color="#555555", strokeDash=[4, 4]).encode(y="power:Q")
    return alt.LayerChart(layer=[line, target],
                          title=alt.Title("How likely the test detects a lift",
                                          subtitle="dashed line: 80% power"))
