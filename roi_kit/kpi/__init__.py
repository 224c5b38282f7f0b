"""KPIs and metrics: the scorecard of KPIs (tied to goals) against targets and benchmarks.

* :func:`scorecard` → :class:`ScorecardResult` (rows are :class:`ScorecardRow`);
* own-history benchmarks (same days of the previous period, last year, trailing median) in
  :mod:`~roi_kit.kpi._history`; a benchmark table (``metric, platform, industry, low,
  median, high``) in :mod:`~roi_kit.kpi._benchmarks`.

Statuses come from :func:`roi_kit.goal_progress` (one rule, :func:`roi_kit.goal_rules.goal_status`).

Examples
--------
>>> import roi_kit as rk
>>> card = rk.scorecard(rk.datasets.load_sample("saas").tables())
>>> card.kpis()[0].metric, card.kpis()[0].stage
('reach', 'awareness')
"""

from __future__ import annotations

from roi_kit.kpi._build import scorecard
from roi_kit.kpi._history import HISTORY_BASES, HistoryBasis
from roi_kit.kpi._result import ScorecardResult, ScorecardRow, fmt_value

__all__ = ["HISTORY_BASES", "HistoryBasis", "ScorecardResult", "ScorecardRow", "fmt_value", "scorecard"]
