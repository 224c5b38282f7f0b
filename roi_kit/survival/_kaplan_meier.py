"""Kaplan–Meier curves with Greenwood intervals: one curve, one per group, or from a counts table.

``_km`` turns counts at ascending distinct times into a :class:`~roi_kit.survival._table.SurvivalTable`:
S(t) as the product of (1 − hazard), Greenwood's variance (or the weighted form of Xie & Liu,
2005, with the effective number at risk), and a ``"log-log"`` or ``"linear"`` pointwise interval.
:func:`survival_by_group` gives every group's curve and the log-rank test from one pass over the
data.

Examples
--------
>>> kaplan_meier([1, 2, 2, 3, 4], [1, 1, 0, 1, 0]).survival.round(3).tolist()
[0.8, 0.6, 0.3, 0.3]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from roi_kit.errors import EmptyDataError
from roi_kit.survival._counts import _arrays, _check_options, _counts, _group_counts
from roi_kit.survival._logrank import LogRankResult, _logrank
from roi_kit.survival._table import CIMethod, SurvivalTable

__all__ = ["Weighted", "kaplan_meier", "kaplan_meier_from_arrays", "kaplan_meier_from_counts", "survival_by_group"]


def _km(time: np.ndarray, d: np.ndarray, r: np.ndarray, dw: np.ndarray | None, rw: np.ndarray | None,
        rw2: np.ndarray | None, conf_level: float, ci: str) -> SurvivalTable:
    """Kaplan–Meier for one group from counts at ascending, distinct times (rows with r > 0)."""
    weighted = dw is not None and rw is not None and rw2 is not None
    if weighted:
        assert dw is not None and rw is not None and rw2 is not None
        y = np.cumsum(rw[::-1])[::-1]
        y2 = np.cumsum(rw2[::-1])[::-1]
        ev, removed = dw, rw
    else:
        y = np.cumsum(r[::-1])[::-1]
        ev, removed = d, r
    with np.errstate(divide="ignore", invalid="ignore"):
        hazard = np.where(y > 0, ev / y, 0.0)
        hazard = np.minimum(hazard, 1.0)
        survival = np.cumprod(1.0 - hazard)
        if weighted:
            m_eff = np.where(y2 > 0, y * y / y2, 0.0)
            term = np.where((hazard < 1.0) & (m_eff > 0), hazard / (m_eff * (1.0 - hazard)), 0.0)
        else:
            term = np.where(y > ev, ev / (y * (y - ev)), 0.0)
    greenwood = np.cumsum(term)
    std_err = survival * np.sqrt(greenwood)
    z = float(special.ndtri(0.5 + conf_level / 2.0))
    if ci == "linear":
        low = np.clip(survival - z * std_err, 0.0, 1.0)
        high = np.clip(survival + z * std_err, 0.0, 1.0)
    else:
        inside = (survival > 0.0) & (survival < 1.0)
        s_in = np.where(inside, survival, 0.5)
        log_s = np.log(s_in)
        lnl = np.log(-log_s)
        se_lnl = np.sqrt(greenwood) / np.abs(log_s)
        low = np.where(inside, np.exp(-np.exp(lnl + z * se_lnl)), survival)
        high = np.where(inside, np.exp(-np.exp(lnl - z * se_lnl)), survival)
    return SurvivalTable(
        time=time, at_risk=y, events=ev, censored=removed - ev, survival=survival, std_err=std_err,
        ci_low=low, ci_high=high, greenwood=greenwood, conf_level=conf_level, ci=ci,  # type: ignore[arg-type]
    )


def kaplan_meier(
    durations: Any,
    events: Any,
    *,
    weights: Any = None,
    conf_level: float = 0.95,
    ci: CIMethod = "log-log",
) -> SurvivalTable:
    """Kaplan–Meier survival curve with Greenwood confidence intervals.

    Parameters
    ----------
    durations
        Time from start to event or censoring, one per subject (integers or floats, >= 0).
    events
        1/True where the event (churn) happened, 0/False where the subject was censored.
    weights
        Optional non-negative weights (e.g. inverse propensity weights).
    conf_level
        Confidence level of the pointwise intervals.
    ci
        ``"log-log"`` (default) or ``"linear"``.

    Examples
    --------
    >>> km = kaplan_meier([3, 1, 4, 1, 5], [1, 1, 0, 0, 1])
    >>> km.to_frame()[["time", "at_risk", "events", "survival"]]
       time  at_risk  events  survival
    0   1.0      5.0     1.0  0.800000
    1   3.0      3.0     1.0  0.533333
    2   4.0      2.0     0.0  0.533333
    3   5.0      1.0     1.0  0.000000
    """
    _check_options(conf_level, ci)
    t, e, w = _arrays(durations, events, weights)
    c = _counts(t, e, np.zeros(t.size, dtype=np.intp), 1, w)
    pick = (lambda a: None) if c.dw is None else (lambda a: a[:, 0])
    return _km(c.time, c.d[:, 0], c.r[:, 0], pick(c.dw), pick(c.rw), pick(c.rw2), conf_level, ci)


def kaplan_meier_from_counts(
    counts: pd.DataFrame,
    *,
    conf_level: float = 0.95,
    ci: CIMethod = "log-log",
) -> SurvivalTable:
    """Kaplan–Meier from one group's :func:`duration_counts` table.

    Uses ``duration``, ``events``, ``removed`` and, when present, the weighted columns
    ``weighted_events``, ``weighted_removed``, ``weighted_removed_sq``.

    Examples
    --------
    >>> counts = pd.DataFrame({"duration": [1, 3], "events": [1, 1], "removed": [2, 1]})
    >>> kaplan_meier_from_counts(counts).survival.tolist()
    [0.6666666666666667, 0.0]
    """
    c = counts[counts["removed"] > 0].sort_values("duration")
    weighted = "weighted_removed" in c.columns

    def col(name: str) -> np.ndarray:
        return c[name].to_numpy(dtype=float)

    return kaplan_meier_from_arrays(
        col("duration"), col("events"), col("removed"),
        (col("weighted_events"), col("weighted_removed"), col("weighted_removed_sq")) if weighted else None,
        conf_level=conf_level, ci=ci)


Weighted = tuple[np.ndarray, np.ndarray, np.ndarray]


def kaplan_meier_from_arrays(
    duration: np.ndarray,
    events: np.ndarray,
    removed: np.ndarray,
    weighted: Weighted | None = None,
    *,
    conf_level: float = 0.95,
    ci: CIMethod = "log-log",
) -> SurvivalTable:
    """:func:`kaplan_meier_from_counts` on the table's columns as arrays (no frame to build).

    Rows are distinct ``duration`` values in ascending order, each with ``removed > 0``;
    ``weighted`` is ``(weighted_events, weighted_removed, weighted_removed_sq)`` or None.

    Examples
    --------
    >>> kaplan_meier_from_arrays(np.array([1.0, 3.0]), np.array([1, 1]), np.array([2, 1])).survival.tolist()
    [0.6666666666666667, 0.0]
    """
    _check_options(conf_level, ci)
    if not np.size(duration):
        raise EmptyDataError("the counts table has no subjects.", hint="check the group filter.")
    dw, rw, rw2 = (None, None, None) if weighted is None else (np.asarray(w, dtype=float) for w in weighted)
    return _km(np.asarray(duration, dtype=float), np.asarray(events, dtype=float),
               np.asarray(removed, dtype=float), dw, rw, rw2, conf_level, ci)


def survival_by_group(
    durations: Any,
    events: Any,
    groups: Any,
    *,
    weights: Any = None,
    conf_level: float = 0.95,
    ci: CIMethod = "log-log",
) -> tuple[dict[Any, SurvivalTable], LogRankResult | None]:
    """One Kaplan–Meier curve per group and the log-rank test, from a single pass over the data.

    Returns ``({label: SurvivalTable}, LogRankResult)``; the test is ``None`` with one group.

    Examples
    --------
    >>> curves, test = survival_by_group([1, 2, 3, 4], [1, 1, 0, 1], ["a", "b", "a", "b"])
    >>> {k: v.survival.tolist() for k, v in curves.items()}, test.df
    ({'a': [0.5, 0.5], 'b': [0.5, 0.0]}, 1)
    """
    _check_options(conf_level, ci)
    c, labels = _group_counts(durations, events, groups, weights)
    curves = {}
    for j, label in enumerate(labels.tolist()):
        rows = c.r[:, j] > 0
        dw, rw, rw2 = ((None, None, None) if c.dw is None or c.rw is None or c.rw2 is None
                       else (c.dw[rows, j], c.rw[rows, j], c.rw2[rows, j]))
        curves[label] = _km(c.time[rows], c.d[rows, j], c.r[rows, j], dw, rw, rw2, conf_level, ci)
    return curves, (_logrank(c, labels.tolist()) if labels.size > 1 else None)
