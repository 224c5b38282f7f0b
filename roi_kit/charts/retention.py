"""Kaplan–Meier step curves with confidence bands, one colour per group.

Examples
--------
>>> import pandas as pd
>>> import roi_kit as rk
>>> c = pd.DataFrame({"customer_id": [1, 2, 3, 4], "g": ["a", "a", "b", "b"],
...     "acquired_at": pd.to_datetime(["2024-01-01"] * 4),
...     "churned_at": pd.to_datetime(["2024-03-01", None, "2024-02-01", None]),
...     "observed_until": pd.to_datetime(["2024-12-31"] * 4)})
>>> spec = retention_chart(rk.retention_curves(c, by="g", landmark_days=0)).to_dict()
>>> [layer["mark"]["type"] for layer in spec["layer"]]
['area', 'line']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import altair as alt

from roi_kit.charts.theme import PALETTE, SEGMENT_COLORS, use_theme

if TYPE_CHECKING:
    from roi_kit.followers import RetentionResult

__all__ = ["group_colors", "retention_chart"]


def group_colors(groups: tuple[str, ...]) -> list[str]:
    """Segment colours for followers / non-followers, palette colours for any other labels.

    Examples
    --------
    >>> group_colors(("followers", "non-followers", "other"))
    ['#1f5aa6', '#9a9a9a', '#1f5aa6']
    """
    spare = iter(c for c in PALETTE)
    return [SEGMENT_COLORS.get(g) or next(spare) for g in groups]


def retention_chart(result: RetentionResult) -> alt.LayerChart:
    """Step curves of the share still customers, with shaded pointwise confidence bands."""
    use_theme()
    since = "acquisition" if result.landmark_days == 0 else f"day {result.landmark_days}"
    level = f"{100 * result.conf_level:.0f}%"
    data = result.to_frame()
    color = alt.Color("group:N", title=None,
                      scale=alt.Scale(domain=list(result.groups), range=group_colors(result.groups)))
    base = alt.Chart(data).encode(
        x=alt.X("time_days:Q", title=f"Days since {since}"),
        color=color,
    )
    band = base.mark_area(opacity=0.18, interpolate="step-after").encode(
        y=alt.Y("ci_low:Q", title="Still customers", axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1])),
        y2="ci_high:Q",
    )
    line = base.mark_line(interpolate="step-after").encode(
        y="survival:Q",
        tooltip=[
            alt.Tooltip("group:N", title="Group"),
            alt.Tooltip("time_days:Q", title="Days"),
            alt.Tooltip("survival:Q", title="Still customers", format=".1%"),
            alt.Tooltip("ci_low:Q", title=f"{level} CI low", format=".1%"),
            alt.Tooltip("ci_high:Q", title=f"{level} CI high", format=".1%"),
            alt.Tooltip("at_risk:Q", title="At risk", format=",.0f"),
        ],
    )
    chart: alt.LayerChart = alt.layer(band, line).properties(  # type: ignore[assignment]
        title=alt.Title("Retention by group", subtitle=f"Kaplan–Meier, shaded: {level} confidence band"),
    )
    return chart
