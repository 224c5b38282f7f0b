"""The report's first section: the scorecard of the report period.

The KPIs are the report's goals (every goal overlapping the period, measured by
:mod:`roi_kit.reporting.goals` — ROI goals with the report's own ROI), handed to
:func:`roi_kit.kpi._build.card_from_progress`, the same code as ``rk.scorecard``: pace, the
company's own history over the same days of earlier periods (``[scorecard] basis``, default the
trailing median of 4 periods) and, when ``[scorecard] benchmarks`` names a CSV file, the benchmark
table. The context metrics (volumes, and rates of the posts overall and per platform) are measured
over the report period up to its last day of data.

Examples
--------
>>> scorecard_columns()[:4]
['kind', 'metric', 'platform', 'stage']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from roi_kit.errors import RoiKitError
from roi_kit.goals import GoalProgress
from roi_kit.kpi import ScorecardResult
from roi_kit.kpi._build import card_from_progress
from roi_kit.reporting.config_types import ReportConfig

__all__ = ["report_scorecard", "scorecard_columns"]


def scorecard_columns() -> list[str]:
    """Columns of the scorecard table shown on the report page (the export has all of them)."""
    return ["kind", "metric", "platform", "stage", "owner", "actual", "target", "pace", "status",
            "benchmark", "change", "bench_position"]


def report_scorecard(goals: GoalProgress | str, daily: pd.DataFrame,
                     tables: Mapping[str, pd.DataFrame], config: ReportConfig, *,
                     as_of: dt.date) -> ScorecardResult | str:
    """The scorecard of the report period, or why there is none (in words)."""
    if not isinstance(goals, GoalProgress):
        return f"No scorecard: {goals}"
    card = config.scorecard
    benchmarks = None
    if card.benchmarks is not None:
        try:
            benchmarks = pd.read_csv(card.benchmarks)
        except (OSError, ValueError) as exc:
            return f"No scorecard: the benchmark file {card.benchmarks} could not be read ({exc})."
    period = (pd.Timestamp(config.period_start), pd.Timestamp(config.period_end))
    try:
        return card_from_progress(
            goals.table, daily, tables.get("posts"), period=period, as_of=pd.Timestamp(as_of),
            basis=card.basis, trailing=card.trailing,  # type: ignore[arg-type]
            benchmarks=benchmarks, industry=card.industry, levels=config.goals.levels,
            notes=goals.notes)
    except RoiKitError as exc:
        return f"No scorecard: {exc.message}"
