"""Charts of ROI: a waterfall from revenue through each cost category to net return, and ROI % by
group.

Examples
--------
>>> from roi_kit.roi import roi
>>> chart = roi_waterfall(roi(revenue=150, cost=100))
>>> rows = next(iter(chart.to_dict()["datasets"].values()))
>>> [row["step"] for row in rows]
['Revenue', 'cost', 'Net return']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import altair as alt
import pandas as pd

from roi_kit.charts.theme import PALETTE, use_theme
from roi_kit.formatting import fmt_pct

if TYPE_CHECKING:
    from roi_kit.ppc import PpcValue
    from roi_kit.roi import RoiResult
    from roi_kit.roi_by import RoiByResult

__all__ = ["ppc_chart", "roi_by_chart", "roi_waterfall", "waterfall_frame"]

_KIND_COLORS = {"revenue": PALETTE[2], "cost": PALETTE[3], "net return": PALETTE[0]}


def waterfall_frame(result: RoiResult) -> pd.DataFrame:
    """Bars of the waterfall: ``step, kind, amount, start, end`` (cost steps are negative).

    Examples
    --------
    >>> from roi_kit.roi import roi
    >>> waterfall_frame(roi(revenue=150, cost=100))[["start", "end"]].values.tolist()
    [[0.0, 150.0], [150.0, 50.0], [0.0, 50.0]]
    """
    rows = [("Revenue", "revenue", result.revenue, 0.0, result.revenue)]
    if result.components:  # direct + indirect: one step up per component
        rows, level = [], 0.0
        for part in result.components:
            rows.append((part.name, "revenue", part.value, level, level + part.value))
            level += part.value
    level = result.revenue
    for category, amount in result.cost_by_category:
        rows.append((category, "cost", -amount, level, level - amount))
        level -= amount
    if result.net_return is not None:
        rows.append(("Net return", "net return", result.net_return, 0.0, result.net_return))
    return pd.DataFrame(rows, columns=["step", "kind", "amount", "start", "end"])


def roi_waterfall(result: RoiResult) -> alt.LayerChart:
    """Waterfall of revenue, each cost category and the net return.

    Parameters
    ----------
    result
        A :class:`~roi_kit.roi.RoiResult`.
    """
    use_theme()
    data = waterfall_frame(result)
    subtitle = (f"ROI {fmt_pct(result.roi_pct, ratio_input=False)}" if result.roi_pct is not None
                else str(result.roi_reason))
    money = f"{result.currency}"
    base = alt.Chart(data)
    title = alt.Title("From revenue to net return", subtitle=subtitle)
    order = data["step"].tolist()
    bars = base.mark_bar().encode(
        x=alt.X("step:N", sort=order, title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("start:Q", title=money),
        y2="end:Q",
        color=alt.Color("kind:N", title=None,
                        scale=alt.Scale(domain=list(_KIND_COLORS), range=list(_KIND_COLORS.values()))),
        tooltip=[alt.Tooltip("step:N"), alt.Tooltip("amount:Q", format=",.2f", title=money)],
    )
    labels = base.mark_text(dy=-6, baseline="bottom").encode(
        x=alt.X("step:N", sort=order),
        y=alt.Y("max_end:Q"),
        text=alt.Text("amount:Q", format=",.0f"),
    ).transform_calculate(max_end="max(datum.start, datum.end)")
    return alt.LayerChart(layer=[bars, labels], title=title)


def roi_by_chart(result: RoiByResult) -> alt.LayerChart:
    """Horizontal bars of ROI % per group with a zero rule; undefined groups in the subtitle.

    Parameters
    ----------
    result
        A :class:`~roi_kit.roi_by.RoiByResult`.
    """
    use_theme()
    table = result.to_frame()
    table["group"] = [result.label(row) for row in table.to_dict("records")]
    defined = table[table["roi_pct"].notna()]
    undefined = table.loc[table["roi_pct"].isna(), "group"].tolist()
    subtitle = ("ROI undefined (no cost booked) for: " + ", ".join(undefined)) if undefined else ""
    base = alt.Chart(defined[["group", "roi_pct", "revenue", "cost", "net_return"]])
    title = alt.Title(f"ROI by {' and '.join(result.by)}", subtitle=subtitle)
    bars = base.mark_bar().encode(
        y=alt.Y("group:N", sort=None, title=None),
        x=alt.X("roi_pct:Q", title="ROI (%)"),
        color=alt.condition("datum.roi_pct >= 0", alt.value(PALETTE[2]), alt.value(PALETTE[3])),
        tooltip=[alt.Tooltip("group:N"), alt.Tooltip("roi_pct:Q", format=",.1f", title="ROI %"),
                 alt.Tooltip("revenue:Q", format=",.2f"), alt.Tooltip("cost:Q", format=",.2f"),
                 alt.Tooltip("net_return:Q", format=",.2f")],
    )
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="#555555").encode(x="x:Q")
    return alt.LayerChart(layer=[bars, zero], title=title)


def ppc_chart(result: PpcValue) -> alt.Chart:
    """Bars of PPC-equivalent value per group; the title warns when example CPCs were used.

    Parameters
    ----------
    result
        A :class:`~roi_kit.ppc.PpcValue`.

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.ppc import ppc_value
    >>> v = ppc_value(pd.DataFrame({"platform": ["x"], "sessions": [10]}), cpc={"x": 1.0})
    >>> ppc_chart(v).to_dict()["mark"]["type"]
    'bar'
    """
    use_theme()
    data = result.to_frame()
    data = data[data["value"].notna()]
    subtitle = ("EXAMPLE CPCs — not market data; pass cpc= with your own" if result.uses_examples
                else "sessions × your cost per click")
    by = result.by
    return (
        alt.Chart(data, title=alt.Title("PPC-equivalent value of organic social traffic",
                                        subtitle=subtitle))
        .mark_bar()
        .encode(
            y=alt.Y(f"{by}:N", title=None, sort="-x"),
            x=alt.X("value:Q", title=f"Value ({result.currency})"),
            tooltip=[alt.Tooltip(f"{by}:N"), alt.Tooltip("sessions:Q", format=",.0f"),
                     alt.Tooltip("cpc:Q", format=",.2f"), alt.Tooltip("value:Q", format=",.2f"),
                     alt.Tooltip("cpc_source:N", title="CPC source")],
        )
    )
