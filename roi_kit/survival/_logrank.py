"""Do groups share one survival curve? The log-rank test, from arrays or from a counts table.

The statistic is (O − E)ᵀ V⁻¹ (O − E) over the first k − 1 groups with the ties-corrected
hypergeometric covariance V (as R's ``survdiff`` and lifelines), χ² with k − 1 degrees of freedom;
0 degrees of freedom and p = 1 when no events were observed. With weights, events and at-risk
totals are weighted sums while the tie correction uses the raw counts, so its p-value is
approximate.

Examples
--------
>>> logrank_test([1, 2, 3, 4, 5, 6], [1, 1, 1, 1, 1, 0], ["a", "a", "a", "b", "b", "b"]).df
1
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from roi_kit.errors import InputError
from roi_kit.survival._counts import _Counts, _group_counts

__all__ = ["LogRankResult", "logrank_from_arrays", "logrank_from_counts", "logrank_test"]


@dataclass(frozen=True)
class LogRankResult:
    """Log-rank test of equal survival curves across ``k`` groups.

    Attributes
    ----------
    statistic
        χ² statistic (O − E)ᵀ V⁻¹ (O − E) over the first k − 1 groups, with the
        ties-corrected hypergeometric covariance V.
    p_value
        Upper tail of χ²(df).
    df
        Degrees of freedom: number of groups − 1 (0 when no events were observed).
    groups, observed, expected
        Group labels with their observed and expected numbers of events.
    """

    statistic: float
    p_value: float
    df: int
    groups: tuple[Any, ...] = ()
    observed: tuple[float, ...] = ()
    expected: tuple[float, ...] = ()


def _logrank(c: _Counts, groups: Sequence[Any]) -> LogRankResult:
    k = len(groups)
    if k < 2:
        raise InputError(f"the log-rank test needs at least two groups; found {k}.",
                         hint="check the group column: every subject has the same label.")
    d, y_raw = c.d, np.cumsum(c.r[::-1], axis=0)[::-1]
    if c.dw is not None and c.rw is not None:
        d = c.dw
        y = np.cumsum(c.rw[::-1], axis=0)[::-1]
    else:
        y = y_raw
    dt, yt, yt_raw = d.sum(axis=1), y.sum(axis=1), y_raw.sum(axis=1)
    dt_raw = c.d.sum(axis=1)
    keep = (dt > 0) & (yt > 0)
    d, y, dt, yt = d[keep], y[keep], dt[keep], yt[keep]
    yt_raw, dt_raw = yt_raw[keep], dt_raw[keep]
    share = y / yt[:, None]
    observed = d.sum(axis=0)
    expected = (share * dt[:, None]).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ties = np.where(yt_raw > 1, (yt_raw - dt_raw) / (yt_raw - 1), 0.0)
    f = dt * ties
    cov = np.diag((f[:, None] * share).sum(axis=0)) - (share * f[:, None]).T @ share
    diff = (observed - expected)[: k - 1]
    v = cov[: k - 1, : k - 1]
    rank = int(np.linalg.matrix_rank(v)) if v.size else 0
    if rank == 0:
        return LogRankResult(0.0, 1.0, 0, tuple(groups), tuple(map(float, observed)),
                             tuple(map(float, expected)))
    stat = float(diff @ np.linalg.pinv(v) @ diff)
    return LogRankResult(stat, float(stats.chi2.sf(stat, rank)), rank, tuple(groups),
                         tuple(map(float, observed)), tuple(map(float, expected)))


def logrank_test(durations: Any, events: Any, groups: Any, *, weights: Any = None) -> LogRankResult:
    """Log-rank test that ``k`` groups share one survival curve (χ² with k − 1 df).

    Uses the ties-corrected hypergeometric variance, like R's ``survdiff`` and lifelines. With
    ``weights``, events and at-risk totals are weighted sums (the tie correction uses the raw
    counts); treat its p-value as approximate and prefer the weighted differences with intervals.

    Examples
    --------
    >>> res = logrank_test([1, 2, 3, 4, 5, 6, 7, 8], [1, 1, 1, 0, 1, 1, 0, 0], list("aaaabbbb"))
    >>> round(res.statistic, 4), res.df
    (4.2126, 1)
    """
    counts, labels = _group_counts(durations, events, groups, weights)
    return _logrank(counts, labels.tolist())


def logrank_from_counts(counts: pd.DataFrame, *, group: str = "group") -> LogRankResult:
    """Log-rank test from a multi-group :func:`duration_counts` table.

    Examples
    --------
    >>> counts = pd.DataFrame({"group": ["a", "a", "b"], "duration": [1, 2, 2],
    ...                        "events": [1, 1, 1], "removed": [1, 1, 2]})
    >>> logrank_from_counts(counts).df
    1
    """
    labels, codes = np.unique(counts[group].to_numpy(), return_inverse=True)
    time, tidx = np.unique(counts["duration"].to_numpy(dtype=float), return_inverse=True)
    k, size = labels.size, time.size * labels.size
    cell = tidx.reshape(-1) * k + codes.reshape(-1)

    def cube(name: str) -> np.ndarray:
        return np.bincount(cell, weights=counts[name].to_numpy(dtype=float), minlength=size).reshape(-1, k)

    weighted = None
    if "weighted_removed" in counts.columns:
        weighted = (cube("weighted_events"), cube("weighted_removed"), cube("weighted_removed_sq"))
    return logrank_from_arrays(cube("events"), cube("removed"), list(labels), weighted)


def logrank_from_arrays(events: np.ndarray, removed: np.ndarray, groups: Sequence[Any],
                        weighted: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None) -> LogRankResult:
    """:func:`logrank_from_counts` on (durations × groups) count arrays, one row per duration in
    ascending order (zeros where a group has nobody removed), one column per group.

    Examples
    --------
    >>> logrank_from_arrays(np.array([[1, 0], [1, 1]]), np.array([[1, 0], [1, 2]]), ["a", "b"]).df
    1
    """
    d, r = np.asarray(events, dtype=float), np.asarray(removed, dtype=float)
    c = _Counts(np.arange(d.shape[0], dtype=float), d, r) if weighted is None else _Counts(
        np.arange(d.shape[0], dtype=float), d, r, *(np.asarray(w, dtype=float) for w in weighted))
    return _logrank(c, list(groups))
