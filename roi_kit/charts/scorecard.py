"""The scorecard as two panels: KPI pace against target, and metrics against benchmark ranges.

Top: one bar per KPI — progress to target (coloured by goal status, the colours of the goals
chart), a tick at the share of the period gone (where progress should be to keep pace) and a
dashed rule at 100 % of target. Bottom (only when a benchmark table matched some rows): the
benchmark range as a grey bar, its median as a tick and the actual value as a point, one row per
metric and platform, each on its own scale.

Examples
--------
>>> import pandas as pd
>>> from roi_kit.kpi import scorecard
>>> daily = pd.DataFrame({"date": pd.to_datetime(["2025-04-05"]), "metric": ["leads"],
...                       "value": [30.0]})
>>> goals = pd.DataFrame({"metric": ["leads"], "target": [90.0],
...     "period_start": pd.to_datetime(["2025-04-01"]), "period_end": pd.to_datetime(["2025-06-29"])})
>>> spec = scorecard_chart(scorecard(daily, goals=goals, as_of="2025-04-30")).to_dict()
>>> [layer["mark"]["type"] for layer in spec["vconcat"][0]["layer"]]
['bar', 'tick', 'rule']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import altair as alt
import pandas as pd

from roi_kit.charts.goals import STATUS_COLORS
from roi_kit.charts.theme import use_theme

if TYPE_CHECKING:
    from roi_kit.kpi import ScorecardResult

__all__ = ["scorecard_chart"]


def _kpi_panel(frame: pd.DataFrame, as_of: str) -> alt.LayerChart:
    kpis = frame.loc[frame["kind"] == "kpi"].copy()
    kpis["label"] = kpis["metric"] + " (" + kpis["stage"].where(kpis["stage"] != "", "no stage") + ")"
    kpis["progress"] = kpis["progress"].fillna(0.0)
    kpis["expected"] = (kpis["progress"] / kpis["pace"]).where(kpis["pace"].notna())
    y = alt.Y("label:N", sort=kpis["label"].tolist(), title=None)
    color = alt.Color("status:N", title="Status",
                      scale=alt.Scale(domain=list(STATUS_COLORS), range=list(STATUS_COLORS.values())))
    tooltip = [alt.Tooltip("metric:N"), alt.Tooltip("owner:N"), alt.Tooltip("status:N"),
               alt.Tooltip("actual:Q", format=",.4~g"), alt.Tooltip("target:Q", format=",.4~g"),
               alt.Tooltip("pace:Q", format=".2f"), alt.Tooltip("change:Q", format="+.0%",
                                                                 title="vs history")]
    base = alt.Chart(kpis)
    bars = base.mark_bar(height=14).encode(
        y=y, x=alt.X("progress:Q", title="Progress to target", axis=alt.Axis(format="%")),
        color=color, tooltip=tooltip)
    ticks = base.mark_tick(color="#333333", thickness=2, size=18).encode(y=y, x="expected:Q",
                                                                        tooltip=tooltip)
    target = alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule(color="#333333",
                                                             strokeDash=[4, 3]).encode(x="x:Q")
    return alt.LayerChart(layer=[bars, ticks, target], title=alt.Title(
        "KPIs: progress to target", subtitle=f"as of {as_of}; tick = where progress keeps pace; "
                                             "dashed = target"))


def _bench_panel(frame: pd.DataFrame) -> alt.LayerChart:
    rows = frame.loc[frame["bench_position"] != ""].copy()
    rows["label"] = rows["platform"] + " · " + rows["metric"]
    ref = rows["bench_median"].fillna((rows["bench_low"] + rows["bench_high"]) / 2)
    rows["rel_actual"] = rows["actual"] / ref
    rows["rel_low"] = (rows["bench_low"].fillna(rows["bench_median"]) / ref)
    rows["rel_high"] = (rows["bench_high"].fillna(rows["bench_median"]) / ref)
    y = alt.Y("label:N", sort=rows["label"].tolist(), title=None, axis=alt.Axis(labelLimit=320))
    tooltip = [alt.Tooltip("label:N", title="metric"), alt.Tooltip("actual:Q", format=",.4~g"),
               alt.Tooltip("bench_low:Q", format=",.4~g", title="low"),
               alt.Tooltip("bench_median:Q", format=",.4~g", title="median"),
               alt.Tooltip("bench_high:Q", format=",.4~g", title="high"),
               alt.Tooltip("bench_position:N", title="position")]
    base = alt.Chart(rows)
    x = alt.X("rel_low:Q", title="Value ÷ benchmark median (1 = median)")
    span = base.mark_bar(height=10, color="#d9d9d9").encode(y=y, x=x, x2="rel_high:Q",
                                                          tooltip=tooltip)
    median = alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule(color="#555555",
                                                             strokeDash=[4, 3]).encode(x="x:Q")
    actual = base.mark_point(filled=True, size=70).encode(
        y=y, x="rel_actual:Q", tooltip=tooltip,
        color=alt.Color("bench_position:N", title="Against benchmark"))
    return alt.LayerChart(layer=[span, median, actual], title=alt.Title(
        "Metrics against the benchmark table",
        subtitle="grey = benchmark range, dashed = median, dot = actual (all relative to the median)"))


def scorecard_chart(result: ScorecardResult) -> alt.VConcatChart:
    """KPI pace panel, plus a benchmark panel when any row matched the benchmark table.

    Parameters
    ----------
    result
        A :class:`~roi_kit.kpi.ScorecardResult`.
    """
    use_theme()
    frame = result.to_frame()
    panels: list[alt.LayerChart] = [_kpi_panel(frame, f"{result.as_of:%Y-%m-%d}")]
    if (frame["bench_position"] != "").any():
        panels.append(_bench_panel(frame))
    return alt.vconcat(*panels).resolve_scale(color="independent")
