"""What :func:`roi_kit.goal_progress` returns: the :class:`GoalProgress` table and its words.

:data:`STATUSES` lists every status a goal can have (the rule that picks one is
:func:`roi_kit.goal_rules.goal_status`); :func:`band_words` is the one wording of a forecast's
prediction interval, shared by :meth:`GoalProgress.summary` and the scorecard's KPI rows. How
progress, forecast and status are measured is in :mod:`roi_kit.goals`.

Examples
--------
>>> band_words({"forecast_low": 1.0, "forecast_high": 3.0, "reach_probability": 0.5,
...             "elapsed_share": 0.2})
' (95% prediction interval 1.0 to 3.0; 50.0% chance of meeting the target)'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from roi_kit.formatting import fmt_number, fmt_pct
from roi_kit.results import ResultMixin

if TYPE_CHECKING:
    import altair as alt

__all__ = ["STATUSES", "GoalProgress", "band_words"]

STATUSES: tuple[str, ...] = ("achieved", "on track", "at risk", "missed", "not started", "no data")
"""Every status a goal can have."""


@dataclass(frozen=True)
class GoalProgress(ResultMixin):
    """Progress of each goal (see :func:`goal_progress`).

    ``table`` columns: ``goal, metric, owner, stage, period_start, period_end, target, baseline,
    direction, tolerance, how, actual, progress, expected_by_now, forecast, forecast_progress, elapsed_share, status,
    note, forecast_low, forecast_high, reach_probability`` — the last three are the forecast's 95 %
    prediction interval and the chance of meeting the goal by the period end (see
    :mod:`roi_kit.goal_forecast`; NaN with a note in words when there are too few days).

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.goals import goal_progress
    >>> goals = pd.DataFrame({"metric": ["followers"], "target": [1200.0], "baseline": [1000.0],
    ...                       "period_start": pd.to_datetime(["2024-01-01"]),
    ...                       "period_end": pd.to_datetime(["2024-01-10"])})
    >>> actuals = pd.DataFrame({"date": pd.to_datetime(["2024-01-05"]), "metric": ["followers"],
    ...                         "value": [1050.0]})
    >>> g = goal_progress(goals, actuals, how={"followers": "last"})
    >>> g.to_frame()[["progress", "forecast", "status"]].values.tolist()
    [[0.25, 1100.0, 'at risk']]
    """

    table: pd.DataFrame
    as_of: pd.Timestamp
    as_of_from_data: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_frame(self) -> pd.DataFrame:
        """One row per goal (a copy)."""
        return self.table.copy()

    def summary(self) -> str:
        """Counts per status, then every goal that needs attention, in words."""
        t = self.table
        when = self.as_of.strftime("%Y-%m-%d")
        source = " (the latest date in the actuals)" if self.as_of_from_data else ""
        counts = t["status"].value_counts()
        parts = ", ".join(f"{int(counts[s])} {s}" for s in STATUSES if s in counts)
        lines = [f"As of {when}{source}: {len(t)} goal(s) — {parts}."]
        for row in t.to_dict("records"):
            owner = f" (owner: {row['owner']})" if row["owner"] else ""
            if row["status"] in ("at risk", "missed"):
                lines.append(
                    f"{row['goal']}{owner} is {row['status']}: {fmt_number(row['actual'], decimals=1)} "
                    f"so far ({fmt_pct(row['progress'])} of target "
                    f"{fmt_number(row['target'], decimals=1)}); forecast "
                    f"{fmt_number(row['forecast'], decimals=1)} by {row['period_end']:%Y-%m-%d}"
                    f"{band_words(row)}.")
            elif row["status"] == "on track" and not np.isnan(row["reach_probability"]):
                lines.append(f"{row['goal']}{owner} is on track: forecast "
                             f"{fmt_number(row['forecast'], decimals=1)}{band_words(row)}.")
            elif row["status"] == "no data":
                lines.append(f"{row['goal']}{owner}: {row['note']}")
        lines.extend(self.notes)
        return "\n".join(lines)

    def chart(self) -> alt.LayerChart:
        """Bullet chart: progress bar per goal, forecast marker, target line at 100 %."""
        from roi_kit.charts.goals import goals_chart

        return goals_chart(self)


def band_words(row: Mapping[str, Any]) -> str:
    """The forecast's prediction interval and chance of meeting the target, or why there is none.

    Used by :meth:`GoalProgress.summary` and by the scorecard's KPI rows (one wording).

    Examples
    --------
    >>> band_words({"forecast_low": 90.0, "forecast_high": 110.0, "reach_probability": 0.4,
    ...             "elapsed_share": 0.5})
    ' (95% prediction interval 90.0 to 110.0; 40.0% chance of meeting the target)'
    >>> band_words({"forecast_low": 95.0, "forecast_high": 95.0, "reach_probability": 0.0,
    ...             "elapsed_share": 1.0})
    ' (no interval: the period is over, so the value is counted, not forecast)'
    """
    low, high = float(row.get("forecast_low", np.nan)), float(row.get("forecast_high", np.nan))
    if np.isnan(low) or low == high:
        if float(row.get("elapsed_share", np.nan)) >= 1:
            return " (no interval: the period is over, so the value is counted, not forecast)"
        return ""
    return (f" (95% prediction interval {fmt_number(row['forecast_low'], decimals=1)} to "
            f"{fmt_number(row['forecast_high'], decimals=1)}; {fmt_pct(row['reach_probability'])} "
            "chance of meeting the target)")
