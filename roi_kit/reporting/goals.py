"""Goals in the report: every goal whose period overlaps the report period, against its target.

Flow and level metrics are measured by :func:`roi_kit.goals.goal_progress` on the daily actuals
(:mod:`roi_kit.reporting.metrics`), as of the report's last day (or the last day of data, when the
data end earlier). ``[goals] levels`` names the metrics measured by their latest value.

A goal's direction comes from the goals table's ``direction`` column (``at_least`` / ``at_most``);
goals without one are ceilings when their metric is in ``[goals] at_most`` (default: cost) and floors
otherwise. Every status comes from :func:`roi_kit.goal_rules.goal_status`, the same rule as
``rk.goal_progress`` and the apps.

``roi_pct`` goals need the report's ROI: a goal whose period is exactly the report period gets
the ROI on the first ``[roi] revenue_source`` (attribution unless configured otherwise) as its
actual (status from the same rule; ROI has no run-rate
forecast); other ``roi_pct`` goals are listed with status ``no data`` and say so.

Examples
--------
>>> import datetime as dt, pandas as pd
>>> goals = pd.DataFrame({"metric": ["leads", "leads"], "target": [10.0, 10.0],
...     "period_start": pd.to_datetime(["2025-01-01", "2025-04-01"]),
...     "period_end": pd.to_datetime(["2025-03-31", "2025-06-30"])})
>>> overlapping(goals, dt.date(2025, 2, 1), dt.date(2025, 2, 28))["period_start"].dt.month.tolist()
[1]
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from roi_kit.errors import InputError
from roi_kit.goal_rules import roi_goal_row
from roi_kit.goals import GoalProgress, goal_progress
from roi_kit.reporting.config_types import ReportConfig
from roi_kit.reporting.period import PeriodFigures

__all__ = ["overlapping", "report_goals", "roi_goal_rows"]


def overlapping(goals: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Goals whose period shares at least one day with ``start``–``end``."""
    g_start = pd.to_datetime(goals["period_start"])
    g_end = pd.to_datetime(goals["period_end"])
    return goals.loc[(g_start <= pd.Timestamp(end)) & (g_end >= pd.Timestamp(start))]


def roi_goal_rows(goals: pd.DataFrame, figures: PeriodFigures, as_of: dt.date) -> pd.DataFrame:
    """Rows in the :class:`~roi_kit.goals.GoalProgress` table layout for ``roi_pct`` goals."""
    rows = []
    for goal in goals.to_dict("records"):
        start, end = pd.Timestamp(goal["period_start"]), pd.Timestamp(goal["period_end"])
        if not (start.date() == figures.start and end.date() == figures.end):
            roi_pct, reason = None, ("ROI goals are measured when the report period equals the goal "
                                     "period; run the report for that period.")
        elif (primary := figures.primary_roi) is None:
            roi_pct, reason = None, "ROI is undefined."
        elif isinstance(primary, str):
            roi_pct, reason = None, primary
        else:
            roi_pct, reason = primary.roi_pct, str(primary.roi_reason)
        rows.append(roi_goal_row(goal, roi_pct=roi_pct, reason=reason, as_of=pd.Timestamp(as_of)))
    return pd.DataFrame(rows)


def report_goals(goals: pd.DataFrame | None, daily: pd.DataFrame, config: ReportConfig,
                 figures: PeriodFigures, *, as_of: dt.date) -> GoalProgress | str:
    """Progress of the goals overlapping the report period, or why there is none."""
    if goals is None:
        return "No goals table, so there are no targets to compare with."
    chosen = overlapping(goals, config.period_start, config.period_end)
    if chosen.empty:
        return (f"No goal overlaps {config.period_start} to {config.period_end} "
                f"({len(goals):,} goals in the table).")
    metric = chosen["metric"].astype(str)
    flows = chosen.loc[metric != "roi_pct"]
    parts: list[pd.DataFrame] = []
    notes: list[str] = []
    day = pd.Timestamp(as_of)
    if len(flows):
        present = set(flows["metric"].astype(str))
        how = {m: "last" for m in config.goals.levels if m in present}
        try:
            progress = goal_progress(flows, daily, as_of=day, how=how,  # type: ignore[arg-type]
                                     directions={m: "at_most" for m in config.goals.at_most})
        except InputError as exc:
            return f"The goals could not be measured: {exc.message}"
        parts.append(progress.table)
        notes.extend(progress.notes)
        unknown = sorted(present - set(daily["metric"].astype(str)))
        if unknown:
            notes.append(f"No data measure these goal metrics: {', '.join(unknown)} (see docs/cli.md "
                         "for the metrics a report can measure).")
    roi_goals = chosen.loc[metric == "roi_pct"]
    if len(roi_goals):
        parts.append(roi_goal_rows(roi_goals, figures, as_of))
    table = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    return GoalProgress(table=table, as_of=day, as_of_from_data=False, notes=tuple(notes))
