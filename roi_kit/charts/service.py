"""Customer-care charts: share of cases still waiting for a first response / a resolution.

Examples
--------
>>> import pandas as pd
>>> from roi_kit.service import service_metrics
>>> cases = pd.DataFrame({"interaction_id": ["a", "b"], "platform": ["x", "x"],
...                       "opened_at": pd.to_datetime(["2024-01-01 09:00"] * 2),
...                       "first_response_at": pd.to_datetime(["2024-01-01 09:30", "2024-01-01 11:00"])})
>>> spec = service_chart(service_metrics(cases)).to_dict()
>>> spec["facet"]["column"]["field"], [layer["mark"]["type"] for layer in spec["spec"]["layer"]]
('curve', ['area', 'line'])
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import altair as alt
import pandas as pd

from roi_kit.charts.retention import group_colors
from roi_kit.charts.theme import use_theme

if TYPE_CHECKING:
    from roi_kit.service import ServiceMetrics, ServiceRetention

__all__ = ["service_chart", "service_retention_chart", "waiting_frame"]

_LABELS = {"first_response": "Waiting for a first response", "resolution": "Waiting for a resolution"}


def waiting_frame(result: ServiceMetrics) -> pd.DataFrame:
    """Step data: ``curve, group, hours, waiting, ci_low, ci_high`` (each curve starts at 0 h, 100 %)."""
    parts = []
    for (curve, group), km in result.curves.items():
        t = km.to_frame()
        start = pd.DataFrame({"time": [0.0], "survival": [1.0], "ci_low": [1.0], "ci_high": [1.0]})
        t = pd.concat([start, t[["time", "survival", "ci_low", "ci_high"]]], ignore_index=True)
        parts.append(pd.DataFrame({"curve": _LABELS[curve], "group": group, "hours": t["time"] / 60.0,
                                   "waiting": t["survival"], "ci_low": t["ci_low"],
                                   "ci_high": t["ci_high"]}))
    cols = ["curve", "group", "hours", "waiting", "ci_low", "ci_high"]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)


def service_chart(result: ServiceMetrics) -> alt.FacetChart:
    """Kaplan–Meier step curves of the share of cases still waiting, one panel per curve."""
    use_theme()
    data = waiting_frame(result)
    groups = tuple(dict.fromkeys(data["group"]))
    color = alt.Color("group:N", title=None,
                      scale=alt.Scale(domain=list(groups), range=group_colors(groups)))
    base = alt.Chart().encode(x=alt.X("hours:Q", title="Hours since the case was opened"), color=color)
    band = base.mark_area(opacity=0.18, interpolate="step-after").encode(
        y=alt.Y("ci_low:Q", title="Cases still waiting", axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1])), y2="ci_high:Q")
    line = base.mark_line(interpolate="step-after").encode(
        y="waiting:Q", tooltip=[alt.Tooltip("group:N"), alt.Tooltip("hours:Q", format=",.1f"),
                                alt.Tooltip("waiting:Q", format=".1%")])
    level = f"{100 * result.conf_level:.0f}%"
    return alt.layer(band, line, data=data).facet(
        column=alt.Column("curve:N", title=None)).properties(
        title=alt.Title("How long customers wait on social", subtitle=f"shaded: {level} interval"))


def service_retention_chart(result: ServiceRetention) -> alt.LayerChart:
    """Kaplan–Meier retention of served and not-served complainers, with confidence bands.

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.service import service_retention
    >>> t = pd.to_datetime
    >>> customers = pd.DataFrame({"customer_id": ["1", "2"], "churned_at": t(["2024-03-01", None])})
    >>> cases = pd.DataFrame({"interaction_id": ["a", "b"], "platform": ["x", "x"],
    ...     "customer_id": ["1", "2"], "opened_at": t(["2024-01-01"] * 2),
    ...     "resolved_at": t(["2024-01-02", None])})
    >>> spec = service_retention_chart(service_retention(customers, cases, as_of="2024-12-31")).to_dict()
    >>> [layer["mark"]["type"] for layer in spec["layer"]]
    ['area', 'line']
    """
    use_theme()
    parts = []
    for group, km in result.curves.items():
        t = km.to_frame()[["time", "survival", "ci_low", "ci_high"]]
        start = pd.DataFrame({"time": [0.0], "survival": [1.0], "ci_low": [1.0], "ci_high": [1.0]})
        parts.append(pd.concat([start, t], ignore_index=True).assign(group=group))
    data = pd.concat(parts, ignore_index=True)
    groups = tuple(result.curves)
    color = alt.Color("group:N", title=None,
                      scale=alt.Scale(domain=list(groups), range=group_colors(groups)))
    base = alt.Chart(data).encode(
        x=alt.X("time:Q", title=f"Days since day {result.landmark_days} after the first case"),
        color=color)
    band = base.mark_area(opacity=0.18, interpolate="step-after").encode(
        y=alt.Y("ci_low:Q", title="Still customers", axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1])), y2="ci_high:Q")
    line = base.mark_line(interpolate="step-after").encode(y="survival:Q")
    return alt.LayerChart(layer=[band, line], title=alt.Title(
        "Do served complainers stay?", subtitle=f"shaded: {100 * result.conf_level:.0f}% interval"))
