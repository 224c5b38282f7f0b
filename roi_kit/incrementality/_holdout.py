"""User-level holdout (conversion lift) readout: the statistics, vectorised over experiments.

Conventions. The *test* group saw the campaign, the *control* group was held out at random.
With ``x`` converting users out of ``n`` in each group and ``p = x / n``:

* incremental conversions ``= n_test × (p_test − p_control)`` — conversions in the test group
  that would not have happened without the campaign; interval: Newcombe's hybrid score interval
  for ``p_test − p_control`` (Newcombe 1998, method 10: two Wilson intervals combined), times
  ``n_test``;
* lift ``= p_test / p_control − 1``; interval: Katz's log interval for the risk ratio,
  ``exp(log RR ± z √(1/x_t − 1/n_t + 1/x_c − 1/n_c)) − 1`` (scipy's ``relative_risk``);
* p-value: two-sided pooled two-proportion z test (equal to scipy's ``chi2_contingency``
  without continuity correction);
* incremental revenue ``= n_test × (mean revenue per test user − mean per control user)``;
  interval: normal (Welch) with per-user variances. From aggregated rows (no per-user revenue)
  each converting user is valued at the pooled revenue per conversion, taken as known;
* incremental ROAS ``= incremental revenue / cost`` and cost per incremental conversion
  ``= cost / incremental conversions``; cost is a bookkeeping fact, so their intervals are the
  intervals above divided into / by it. When the interval of incremental conversions reaches
  zero, the cost per incremental conversion has no finite upper end.

Examples
--------
>>> import numpy as np
>>> est = holdout_stats(np.array([56]), np.array([70]), np.array([48]), np.array([80]))
>>> [round(float(v), 4) for v in (est.diff[0], est.diff_low[0], est.diff_high[0])]
[0.2, 0.0524, 0.3339]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from roi_kit.aggregates import newcombe_interval

__all__ = ["HoldoutStats", "holdout_stats", "revenue_stats", "z_value"]


def z_value(alpha: float) -> float:
    """Two-sided normal quantile ``z_{1−α/2}``.

    Examples
    --------
    >>> round(z_value(0.05), 4)
    1.96
    """
    return float(stats.norm.ppf(1 - alpha / 2))


@dataclass(frozen=True, eq=False)
class HoldoutStats:
    """Arrays (one entry per experiment) of rates, difference, lift and their intervals."""

    p_test: np.ndarray
    p_control: np.ndarray
    diff: np.ndarray
    diff_low: np.ndarray
    diff_high: np.ndarray
    lift: np.ndarray
    lift_low: np.ndarray
    lift_high: np.ndarray
    p_value: np.ndarray


def holdout_stats(x_t: np.ndarray, n_t: np.ndarray, x_c: np.ndarray, n_c: np.ndarray,
                  *, alpha: float = 0.05) -> HoldoutStats:
    """Difference (Newcombe), lift (Katz log) and pooled z-test p-value, vectorised.

    Examples
    --------
    >>> s = holdout_stats(np.array([150]), np.array([1000]), np.array([100]), np.array([1000]))
    >>> round(float(s.lift[0]), 2), float(s.p_value[0]) < 0.01
    (0.5, True)
    """
    x_t, n_t, x_c, n_c = (np.asarray(a, dtype=float) for a in (x_t, n_t, x_c, n_c))
    z = z_value(alpha)
    p_t, p_c = x_t / n_t, x_c / n_c
    diff, diff_low, diff_high = newcombe_interval(x_t, n_t, x_c, n_c, conf_level=1 - alpha)
    with np.errstate(divide="ignore", invalid="ignore"):
        rr = p_t / p_c
        se_log = np.sqrt(1 / x_t - 1 / n_t + 1 / x_c - 1 / n_c)
        lift_low = rr * np.exp(-z * se_log) - 1
        lift_high = rr * np.exp(z * se_log) - 1
        pooled = (x_t + x_c) / (n_t + n_c)
        se0 = np.sqrt(pooled * (1 - pooled) * (1 / n_t + 1 / n_c))
        zstat = diff / se0
    undefined = (x_t == 0) | (x_c == 0)
    lift_low = np.where(undefined, np.nan, lift_low)
    lift_high = np.where(undefined, np.nan, lift_high)
    p_value = np.where(se0 > 0, 2 * stats.norm.sf(np.abs(np.nan_to_num(zstat))), 1.0)
    return HoldoutStats(p_t, p_c, diff, diff_low, diff_high, rr - 1, lift_low, lift_high, p_value)


def revenue_stats(sum_t: np.ndarray, sumsq_t: np.ndarray, n_t: np.ndarray,
                  sum_c: np.ndarray, sumsq_c: np.ndarray, n_c: np.ndarray,
                  *, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Incremental revenue of the test group and its Welch normal interval (low, high).

    From per-user sums and sums of squares: ``n_t × (mean_t − mean_c)`` with standard error
    ``n_t × √(s²_t / n_t + s²_c / n_c)`` (sample variances, ``n − 1`` denominators).

    Examples
    --------
    >>> est, lo, hi = revenue_stats(np.array([10.0]), np.array([50.0]), np.array([4]),
    ...                             np.array([2.0]), np.array([2.0]), np.array([4]))
    >>> float(est[0])
    8.0
    """
    sum_t, sumsq_t, n_t, sum_c, sumsq_c, n_c = (
        np.asarray(a, dtype=float) for a in (sum_t, sumsq_t, n_t, sum_c, sumsq_c, n_c))
    m_t, m_c = sum_t / n_t, sum_c / n_c
    var_t = np.maximum(sumsq_t - n_t * m_t**2, 0.0) / np.maximum(n_t - 1, 1)
    var_c = np.maximum(sumsq_c - n_c * m_c**2, 0.0) / np.maximum(n_c - 1, 1)
    est = n_t * (m_t - m_c)
    half = z_value(alpha) * n_t * np.sqrt(var_t / n_t + var_c / n_c)
    return est, est - half, est + half
