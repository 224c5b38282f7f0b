"""Goal progress as a bullet chart: progress to date, forecast marker and the 100 % target line.

Examples
--------
>>> import pandas as pd
>>> from roi_kit.goals import goal_progress
>>> goals = pd.DataFrame({"metric": ["leads"], "target": [100.0],
...                       "period_start": pd.to_datetime(["2024-01-01"]),
...                       "period_end": pd.to_datetime(["2024-01-31"])})
>>> actuals = pd.DataFrame({"date": pd.to_datetime(["2024-01-05"]), "metric": ["leads"],
...                         "value": [20.0]})
>>> chart = goals_chart(goal_progress(goals, actuals))
>>> [layer["mark"]["type"] for layer in chart.to_dict()["layer"]]
['bar', 'point', 'rule']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import altair as alt
import pandas as pd

from roi_kit.charts.theme import PALETTE, use_theme

if TYPE_CHECKING:
    from roi_kit.goals import GoalProgress

__all__ = ["STATUS_COLORS", "goals_chart"]

STATUS_COLORS: dict[str, str] = {
    "achieved": PALETTE[2], "on track": PALETTE[0], "at risk": PALETTE[1], "missed": PALETTE[3],
    "not started": "#9a9a9a", "no data": "#cccccc",
}
"""Colour per goal status."""


def goals_chart(result: GoalProgress) -> alt.LayerChart:
    """One bar per goal (progress to date, coloured by status), a diamond at the forecast and a
    rule at 100 % of target.

    Parameters
    ----------
    result
        A :class:`~roi_kit.goals.GoalProgress`.
    """
    use_theme()
    data = result.to_frame()[["goal", "owner", "status", "actual", "target", "forecast",
                              "progress", "forecast_progress", "note"]].copy()
    data["progress"] = data["progress"].fillna(0.0)
    order = data["goal"].tolist()
    y = alt.Y("goal:N", sort=order, title=None)
    color = alt.Color("status:N", title="Status",
                      scale=alt.Scale(domain=list(STATUS_COLORS), range=list(STATUS_COLORS.values())))
    base = alt.Chart(data)
    tooltip = [alt.Tooltip("goal:N"), alt.Tooltip("owner:N"), alt.Tooltip("status:N"),
               alt.Tooltip("actual:Q", format=",.1f"), alt.Tooltip("target:Q", format=",.1f"),
               alt.Tooltip("forecast:Q", format=",.1f"),
               alt.Tooltip("progress:Q", format=".0%")]
    bars = base.mark_bar(height=14).encode(
        y=y, x=alt.X("progress:Q", title="Progress to target", axis=alt.Axis(format="%")),
        color=color, tooltip=tooltip)
    forecast = base.mark_point(shape="diamond", filled=True, size=90, color="#333333").encode(
        y=y, x="forecast_progress:Q", tooltip=tooltip)
    target = alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule(color="#333333",
                                                             strokeDash=[4, 3]).encode(x="x:Q")
    when = result.as_of.strftime("%Y-%m-%d")
    return alt.LayerChart(
        layer=[bars, forecast, target],
        title=alt.Title("Goals: progress and forecast",
                        subtitle=f"as of {when}; ◆ = run-rate forecast at period end; dashed = target"),
    )
