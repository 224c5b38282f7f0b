"""The sufficient statistics of survival: events and removals per (group, distinct duration).

Kaplan–Meier and the log-rank test need only, per distinct duration and group, the number of
events and of subjects removed (events + censored), plus weighted sums for weighted curves.
:func:`duration_counts` builds that small table inside the caller's engine with one group-by;
``_counts`` builds the same counts from numpy arrays after ``_arrays`` and ``_check_options``
have checked the inputs (with errors that say how to fix them), binning dense integer durations
and group codes with ``bincount``.

Examples
--------
>>> c = _counts(np.array([2, 2, 5]), np.array([True, False, True]), np.zeros(3, dtype=np.intp), 1, None)
>>> c.time.tolist(), c.d[:, 0].tolist(), c.r[:, 0].tolist()
([2.0, 5.0], [1.0, 1.0], [2.0, 1.0])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from roi_kit.engine import as_frame, require_columns, to_pandas
from roi_kit.errors import ConfigError, EmptyDataError, InputError
from roi_kit.survival._table import _CI_METHODS

__all__ = ["duration_counts"]


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


def _group_counts(durations: Any, events: Any, groups: Any, weights: Any) -> tuple[_Counts, np.ndarray]:
    """Counts per (duration, group) of subjects with one group label each, and the sorted labels
    (the one input rule of :func:`survival_by_group` and :func:`logrank_test`)."""
    t, e, w = _arrays(durations, events, weights)
    g = np.asarray(groups)
    if g.shape != t.shape:
        raise InputError(f"groups has {g.size} labels for {t.size} durations.",
                         hint="pass one group label per subject.")
    labels, codes = _codes(g)
    return _counts(t, e, codes, labels.size, w), labels


def _codes(groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct labels and each row's code (bincount for dense ints, hashing otherwise)."""
    if np.issubdtype(groups.dtype, np.integer):
        return _bin(groups)
    codes, labels = pd.factorize(groups, sort=True)
    if (codes < 0).any():
        raise InputError("groups contains missing labels.", hint="drop or label those subjects first.")
    return np.asarray(labels), codes


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
