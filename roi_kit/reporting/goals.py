"""Goals in the report: every goal whose period overlaps the report period, against its target.

Flow and level metrics are measured by :func:`roi_kit.goals.goal_progress` on the daily actuals
(:mod:`roi_kit.reporting.metrics`), as of the report's last day (or the last day of data, when the
data end earlier). ``[goals] levels`` names the metrics measured by their latest value.

A goal's direction comes from the goals table's ``direction`` column (``at_least`` / ``at_most``);
goals without one are ceilings when their metric is in ``[goals] at_most`` (default: cost) and floors
otherwise. Every status comes from :func:`roi_kit.goal_rules.goal_status`, the same rule as
``rk.goal_progress`` and the apps.

``roi_pct`` goals need the attribution of the report: a goal whose period is exactly the report
period gets the report's ROI as its actual (status from the same rule; ROI has no run-rate
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

import numpy as np
import pandas as pd

from roi_kit.errors import InputError
from roi_kit.goal_rules import goal_status, row_directions, tolerance_of
from roi_kit.goals import GoalProgress, goal_progress
from roi_kit.reporting.config import ReportConfig
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
    roi_pct = figures.roi.roi_pct if figures.roi is not None else None
    for goal in goals.to_dict("records"):
        start, end = pd.Timestamp(goal["period_start"]), pd.Timestamp(goal["period_end"])
        target = float(goal["target"])
        row = {"goal": f"roi_pct {start:%Y-%m-%d}–{end:%Y-%m-%d}", "metric": "roi_pct",
               "owner": "" if pd.isna(goal.get("owner")) else str(goal.get("owner", "")),
               "stage": "" if pd.isna(goal.get("stage")) else str(goal.get("stage", "")),
               "period_start": start, "period_end": end, "target": target, "baseline": np.nan,
               "direction": row_directions(pd.DataFrame([goal]), None)[0],
               "tolerance": tolerance_of(goal), "how": "report", "actual": np.nan, "progress": np.nan, "expected_by_now": np.nan,
               "forecast": np.nan, "forecast_progress": np.nan,
               "elapsed_share": min(max(((pd.Timestamp(as_of) - start).days + 1) / ((end - start).days + 1), 0.0), 1.0)}
        same = start.date() == figures.start and end.date() == figures.end
        if not same:
            row |= {"status": "no data", "note": "ROI goals are measured when the report period "
                    "equals the goal period; run the report for that period."}
        elif roi_pct is None:
            reason = figures.roi.roi_reason if figures.roi is not None else "ROI is undefined."
            row |= {"status": "no data", "note": str(reason)}
        else:
            direction = row_directions(pd.DataFrame([goal]), None)[0]
            status = goal_status(direction=direction, actual=roi_pct, target=target,
                                 forecast=np.nan, period_over=pd.Timestamp(as_of) >= end,
                                 tolerance=tolerance_of(goal))
            row |= {"actual": roi_pct, "progress": roi_pct / target if target > 0 else np.nan,
                    "status": status, "note": "ROI on revenue credited to social by attribution."}
        rows.append(row)
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
