"""Survival core: Kaplan–Meier, Greenwood intervals, median, RMST and the log-rank test.

Everything here works from *sufficient statistics*: per distinct duration, the number of events
and the number of subjects removed (events + censored). :func:`duration_counts` builds that small
table inside the caller's engine (pandas, polars, DuckDB, Spark) with one group-by; the
statistics then run on a few thousand numbers in numpy, whatever the size of the data.

Conventions (the same as scipy.stats.ecdf, lifelines and R's ``survival``):

- The table has one row per distinct observed duration (events or censoring). Subjects censored
  at a time of events are still at risk for those events.
- ``survival`` is right-continuous: S(t) = P(T > t), constant between rows.
- Greenwood variance: Var S(t) = S(t)² Σ_{t_j ≤ t} d_j / (Y_j (Y_j − d_j)). Once every subject at
  risk has had the event (Y_j = d_j), S is 0 and its standard error is reported as 0.
- ``ci="log-log"`` (default) is the "exponential Greenwood" interval on log(−log S), always inside
  [0, 1]; ``ci="linear"`` is S ± z·se clipped to [0, 1]. Before the first event (S = 1) and after
  S reaches 0 the interval collapses onto S.
- Weighted curves (e.g. propensity weights) use weighted events and weighted at-risk totals, and
  the weighted Greenwood form of Xie & Liu (2005): Var S(t) = S(t)² Σ h_j / (M_j (1 − h_j)) with
  h_j = d^w_j / Y^w_j and the effective number at risk M_j = (Σ w)² / Σ w² over the risk set.
  It equals Greenwood when every weight is 1 and does not change when all weights are rescaled.

The package answers three questions in three modules: what the curve says
(:mod:`~roi_kit.survival._table`: S(t), median, RMST), how the counts are gathered
(:mod:`~roi_kit.survival._counts`) and whether groups differ (:mod:`~roi_kit.survival._logrank`);
:mod:`~roi_kit.survival._kaplan_meier` estimates the curves.

Examples
--------
>>> km = kaplan_meier([1, 2, 2, 3, 4], [1, 1, 0, 1, 0])
>>> km.survival.round(3).tolist()
[0.8, 0.6, 0.3, 0.3]
>>> km.median()
(3.0, 1.0, None)
>>> logrank_test([1, 2, 3, 4, 5, 6], [1, 1, 1, 1, 1, 0], ["a", "a", "a", "b", "b", "b"]).df
1
"""

from __future__ import annotations

from roi_kit.survival._counts import duration_counts
from roi_kit.survival._kaplan_meier import (
    Weighted,
    kaplan_meier,
    kaplan_meier_from_arrays,
    kaplan_meier_from_counts,
    survival_by_group,
)
from roi_kit.survival._logrank import (
    LogRankResult,
    logrank_from_arrays,
    logrank_from_counts,
    logrank_test,
)
from roi_kit.survival._table import CIMethod, SurvivalTable

__all__ = [
    "CIMethod",
    "LogRankResult",
    "SurvivalTable",
    "Weighted",
    "duration_counts",
    "kaplan_meier",
    "kaplan_meier_from_arrays",
    "kaplan_meier_from_counts",
    "logrank_from_arrays",
    "logrank_from_counts",
    "logrank_test",
    "survival_by_group",
]
