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

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import narwhals as nw
import numpy as np
import pandas as pd
from scipy import special, stats

from roi_kit.engine import as_frame, require_columns, to_pandas
from roi_kit.errors import ConfigError, EmptyDataError, InputError

__all__ = [
    "CIMethod",
    "LogRankResult",
    "SurvivalTable",
    "duration_counts",
    "kaplan_meier",
    "kaplan_meier_from_arrays",
    "kaplan_meier_from_counts",
    "logrank_from_arrays",
    "logrank_from_counts",
    "logrank_test",
    "survival_by_group",
]

CIMethod = Literal["log-log", "linear"]
_CI_METHODS: tuple[str, ...] = ("log-log", "linear")
_HALF = 0.5 + 1e-12  # S(t) <= 1/2 tolerant to cumulative-product rounding


@dataclass(frozen=True, eq=False)
class SurvivalTable:
    """A Kaplan–Meier curve: one row per distinct duration.

    Attributes
    ----------
    time
        Distinct durations, ascending.
    at_risk, events, censored
        Subjects at risk just before ``time``, events and censorings at ``time`` (weighted sums
        for weighted curves).
    survival
        S(t), the share still event-free after ``time``.
    std_err
        Standard error of S(t) (Greenwood, or its weighted form).
    ci_low, ci_high
        Pointwise confidence interval of S(t) at ``conf_level`` by method ``ci``.
    greenwood
        Cumulative variance terms Σ d/(Y(Y−d)) (the variance of log S), used by RMST.
    """

    time: np.ndarray
    at_risk: np.ndarray
    events: np.ndarray
    censored: np.ndarray
    survival: np.ndarray
    std_err: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    greenwood: np.ndarray
    conf_level: float = 0.95
    ci: CIMethod = "log-log"

    def to_frame(self) -> pd.DataFrame:
        """The curve as a table: time, at_risk, events, censored, survival, std_err, ci_low, ci_high."""
        return pd.DataFrame({
            "time": self.time, "at_risk": self.at_risk, "events": self.events,
            "censored": self.censored, "survival": self.survival, "std_err": self.std_err,
            "ci_low": self.ci_low, "ci_high": self.ci_high,
        })

    @property
    def followed_up_to(self) -> float:
        """The largest duration observed (the curve is undefined beyond it unless S reached 0)."""
        return float(self.time[-1]) if self.time.size else 0.0

    def _defined_at(self, t: float) -> bool:
        return t <= self.followed_up_to or (self.survival.size > 0 and self.survival[-1] == 0.0)

    def at(self, t: float) -> tuple[float | None, float | None, float | None]:
        """S(t) with its interval; ``(None, None, None)`` beyond the follow-up.

        Examples
        --------
        >>> km = kaplan_meier([1, 2, 3], [1, 1, 0], ci="linear")
        >>> km.at(0.5), km.at(2)[0], km.at(9)
        ((1.0, 1.0, 1.0), 0.333..., (None, None, None))
        """
        if not self._defined_at(t):
            return None, None, None
        i = int(np.searchsorted(self.time, t, side="right")) - 1
        if i < 0:
            return 1.0, 1.0, 1.0
        return float(self.survival[i]), float(self.ci_low[i]), float(self.ci_high[i])

    def median(self) -> tuple[float | None, float | None, float | None]:
        """Median survival time and its interval (Brookmeyer–Crowley style).

        The median is the first time with S(t) ≤ 1/2; the interval runs from the first time the
        lower band reaches 1/2 to the first time the upper band does. ``None`` where a curve
        never reaches 1/2 within the follow-up.

        Examples
        --------
        >>> kaplan_meier([2, 4, 6, 8], [1, 1, 1, 1]).median()[0]
        4.0
        """
        def first(curve: np.ndarray) -> float | None:
            hits = np.flatnonzero(curve <= _HALF)
            return float(self.time[hits[0]]) if hits.size else None

        return first(self.survival), first(self.ci_low), first(self.ci_high)

    def rmst(self, tau: float) -> tuple[float | None, float | None]:
        """Restricted mean survival time up to ``tau`` (area under S) and its standard error.

        The standard error is the usual delta-method one, Var = Σ_{t_j ≤ τ} A_j² g_j with
        A_j = ∫_{t_j}^{τ} S(u) du and g_j the (weighted) Greenwood terms. ``(None, None)`` when
        ``tau`` lies beyond the follow-up.

        Examples
        --------
        >>> kaplan_meier([1, 2, 3, 4], [1, 1, 1, 1]).rmst(4)[0]
        2.5
        """
        if tau < 0 or not self._defined_at(tau):
            return None, None
        keep = self.time <= tau
        t, s = self.time[keep], self.survival[keep]
        knots = np.concatenate(([0.0], t, [tau]))
        values = np.concatenate(([1.0], s))
        widths = np.diff(knots)
        pieces = widths * values
        total = float(pieces.sum())
        area_before = np.cumsum(pieces)[:-1]  # ∫_0^{t_j} S
        tail = total - area_before
        increments = np.diff(np.concatenate(([0.0], self.greenwood[keep])))
        var = float(np.sum(tail**2 * increments))
        return total, float(np.sqrt(max(var, 0.0)))


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


# --- validation --------------------------------------------------------------------------------


def _check_options(conf_level: float, ci: str) -> None:
    if not 0.0 < conf_level < 1.0:
        raise ConfigError(f"conf_level={conf_level!r} must lie strictly between 0 and 1.",
                          hint="use e.g. conf_level=0.95 for 95% intervals.")
    if ci not in _CI_METHODS:
        raise ConfigError(f"ci={ci!r} is not a known interval method; valid: {', '.join(_CI_METHODS)}.",
                          hint="use ci='log-log' (default, stays inside [0, 1]) or ci='linear'.")


def _arrays(durations: Any, events: Any, weights: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    t = np.asarray(durations)
    e = np.asarray(events)
    if t.ndim != 1 or e.shape != t.shape:
        raise InputError(f"durations and events must be 1-d and of equal length (got {t.shape} and {e.shape}).",
                         hint="pass one duration and one event flag per subject.")
    if t.size == 0:
        raise EmptyDataError("durations is empty: there is nothing to estimate.",
                             hint="check the filters that selected the subjects.")
    if not np.issubdtype(t.dtype, np.number) or np.issubdtype(t.dtype, np.complexfloating):
        raise InputError(f"durations must be numbers, got dtype {t.dtype}.",
                         hint="convert dates to elapsed days first, e.g. (end - start).dt.days.")
    if np.issubdtype(t.dtype, np.floating) and not np.isfinite(t).all():
        raise InputError("durations contains missing or infinite values.",
                         hint="drop those rows or fill them with the censoring time.")
    if (t < 0).any():
        raise InputError(f"durations must be >= 0; found {t.min()!r}.",
                         hint="a negative duration means an end date before the start date; fix the dates.")
    if e.dtype != bool:
        if not np.isin(e, (0, 1)).all():
            raise InputError("events must be 0/1 or True/False (1 = event, 0 = censored).",
                             hint="code the event column as 1 for churned and 0 for still active.")
        e = e.astype(bool)
    w = None
    if weights is not None:
        w = np.asarray(weights, dtype=float)
        if w.shape != t.shape or not np.isfinite(w).all() or (w < 0).any():
            raise InputError("weights must be finite, >= 0 and one per subject.",
                             hint="check the propensity weights for missing or negative values.")
    return t, e, w


# --- sufficient statistics ----------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Counts:
    time: np.ndarray  # (T,)
    d: np.ndarray  # (T, k) events
    r: np.ndarray  # (T, k) removed (events + censored)
    dw: np.ndarray | None = None  # weighted events
    rw: np.ndarray | None = None  # weighted removed
    rw2: np.ndarray | None = None  # sum of squared weights removed


def _bin(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values and the index of each value; bincount-based when integers are dense."""
    if np.issubdtype(t.dtype, np.integer):
        lo, hi = int(t.min()), int(t.max())
        if hi - lo <= 4 * t.size + 1_000_000:
            shifted = (t - lo).astype(np.intp)
            present = np.bincount(shifted, minlength=hi - lo + 1) > 0
            rank = np.cumsum(present) - 1
            return np.flatnonzero(present) + lo, rank[shifted]
    values, inverse = np.unique(t, return_inverse=True)
    return values, inverse.reshape(-1)


def _counts(t: np.ndarray, e: np.ndarray, codes: np.ndarray, k: int, w: np.ndarray | None) -> _Counts:
    time, idx = _bin(t)
    cell = idx * k + codes
    size = time.size * k
    d = np.bincount(cell[e], minlength=size).reshape(-1, k).astype(float)
    r = np.bincount(cell, minlength=size).reshape(-1, k).astype(float)
    if w is None:
        return _Counts(time.astype(float), d, r)
    dw = np.bincount(cell[e], weights=w[e], minlength=size).reshape(-1, k)
    rw = np.bincount(cell, weights=w, minlength=size).reshape(-1, k)
    rw2 = np.bincount(cell, weights=w * w, minlength=size).reshape(-1, k)
    return _Counts(time.astype(float), d, r, dw, rw, rw2)


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
    t, e, w = _arrays(durations, events, weights)
    g = np.asarray(groups)
    if g.shape != t.shape:
        raise InputError(f"groups has {g.size} labels for {t.size} durations.",
                         hint="pass one group label per subject.")
    labels, codes = _codes(g)
    return _logrank(_counts(t, e, codes, labels.size, w), labels.tolist())


def _codes(groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct labels and each row's code (bincount for dense ints, hashing otherwise)."""
    if np.issubdtype(groups.dtype, np.integer):
        return _bin(groups)
    codes, labels = pd.factorize(groups, sort=True)
    if (codes < 0).any():
        raise InputError("groups contains missing labels.", hint="drop or label those subjects first.")
    return np.asarray(labels), codes


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
    t, e, w = _arrays(durations, events, weights)
    g = np.asarray(groups)
    if g.shape != t.shape:
        raise InputError(f"groups has {g.size} labels for {t.size} durations.",
                         hint="pass one group label per subject.")
    labels, codes = _codes(g)
    c = _counts(t, e, codes, labels.size, w)
    curves = {}
    for j, label in enumerate(labels.tolist()):
        rows = c.r[:, j] > 0
        dw, rw, rw2 = ((None, None, None) if c.dw is None or c.rw is None or c.rw2 is None
                       else (c.dw[rows, j], c.rw[rows, j], c.rw2[rows, j]))
        curves[label] = _km(c.time[rows], c.d[rows, j], c.r[rows, j], dw, rw, rw2, conf_level, ci)
    return curves, (_logrank(c, labels.tolist()) if labels.size > 1 else None)


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
                        weighted: Weighted | None = None) -> LogRankResult:
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


def duration_counts(
    frame: Any,
    *,
    duration: str,
    event: str,
    group: str | Sequence[str] | None = None,
    weight: str | None = None,
) -> pd.DataFrame:
    """Events and removals per (group, duration), aggregated in the caller's engine.

    Returns a small pandas table with the group column(s), ``duration``, ``events`` (subjects
    with the event), ``removed`` (events + censored) and, with ``weight``, ``weighted_events``,
    ``weighted_removed`` and ``weighted_removed_sq`` (sum of squared weights), sorted by group
    and duration. This is all Kaplan–Meier and the log-rank test need.

    Examples
    --------
    >>> df = pd.DataFrame({"g": ["a", "a", "b"], "t": [2, 2, 5], "churned": [1, 0, 1]})
    >>> duration_counts(df, duration="t", event="churned", group="g")
       g  duration  events  removed
    0  a         2       1        2
    1  b         5       1        1
    """
    f = as_frame(frame, name="frame")
    groups = [group] if isinstance(group, str) else list(group or [])
    require_columns(f, [*groups, duration, event, *([weight] if weight else [])], name="frame")
    derived = [nw.col(duration).alias("duration"), nw.col(event).cast(nw.Int64).alias("_ev")]
    aggs = [nw.col("_ev").sum().alias("events"), nw.len().alias("removed")]
    if weight is not None:
        w = nw.col(weight).cast(nw.Float64)
        derived += [w.alias("_w"), (w * nw.col(event).cast(nw.Float64)).alias("_wev"),
                    (w * w).alias("_w2")]
        aggs += [nw.col("_wev").sum().alias("weighted_events"),
                 nw.col("_w").sum().alias("weighted_removed"),
                 nw.col("_w2").sum().alias("weighted_removed_sq")]
    keys = [*groups, "duration"]
    out = f.with_columns(*derived).group_by(keys).agg(*aggs)
    result = to_pandas(out).sort_values(keys, kind="stable").reset_index(drop=True)
    result["events"] = result["events"].astype("int64")
    result["removed"] = result["removed"].astype("int64")
    return result
