"""Funnel chart: users per stage as bars, labelled with the step conversion rate.

Examples
--------
>>> import pandas as pd
>>> from roi_kit.funnel import funnel
>>> f = funnel(pd.DataFrame({"stage": ["visit", "lead"], "count": [100, 20]}),
...            stages=["visit", "lead"])
>>> funnel_chart(f).to_dict()["layer"][0]["mark"]["type"]
'bar'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import altair as alt

from roi_kit.charts.theme import PALETTE, use_theme

if TYPE_CHECKING:
    from roi_kit.funnel_result import FunnelResult

__all__ = ["funnel_chart"]


def funnel_chart(result: FunnelResult) -> alt.LayerChart:
    """Horizontal bars (one per stage, grouped by ``by``), text = step conversion.

    Macro conversions are drawn darker than micro conversions when there is no ``by``; with
    ``by``, colour shows the group.

    Parameters
    ----------
    result
        A :class:`~roi_kit.funnel_result.FunnelResult`.
    """
    use_theme()
    data = result.to_frame()
    data["group"] = ([" / ".join(str(v) for v in row) for row in data[list(result.by)].values]
                     if result.by else "all")
    data["label"] = [
        f"{u:,} · {r:.1%} of previous" if s > 1 and r == r else f"{u:,}"
        for u, r, s in zip(data["users"], data["step_conversion"], data["step"])
    ]
    data = data[["group", "step", "stage", "kind", "users", "step_conversion",
                 "overall_conversion", "label", "median_hours_from_previous"]]
    order = [s.name for s in result.stages]
    y = alt.Y("stage:N", sort=order, title=None)
    if result.by:
        color = alt.Color("group:N", title=" / ".join(result.by))
    else:
        color = alt.Color("kind:N", title="conversion",
                          scale=alt.Scale(domain=["micro", "macro"], range=[PALETTE[9], PALETTE[0]]))
    base = alt.Chart(data)
    offset = {"yOffset": alt.YOffset("group:N")} if result.by else {}
    bars = base.mark_bar().encode(
        y=y, x=alt.X("users:Q", title="Users"), color=color,
        tooltip=[alt.Tooltip("group:N"), alt.Tooltip("stage:N"), alt.Tooltip("kind:N"),
                 alt.Tooltip("users:Q", format=","),
                 alt.Tooltip("step_conversion:Q", format=".1%", title="step conversion"),
                 alt.Tooltip("overall_conversion:Q", format=".1%", title="overall conversion"),
                 alt.Tooltip("median_hours_from_previous:Q", format=",.1f",
                             title="median hours from previous")],
        **offset,
    )
    text = base.mark_text(align="left", dx=4, fontSize=11).encode(
        y=y, x=alt.X("users:Q"), text="label:N", **offset)
    subtitle = ("step conversion = users / users at the previous stage"
                + (f"; {result.ordering} order" if result.source == "events" else ""))
    return alt.LayerChart(layer=[bars, text],
                          title=alt.Title("Conversion funnel", subtitle=subtitle))
