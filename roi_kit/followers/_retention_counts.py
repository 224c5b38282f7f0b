"""The sufficient statistics of retention: counts per (group, acquisition month, day since the
landmark) of the one population, and per-customer weights or labels put in its order.

Examples
--------
>>> import pandas as pd
>>> from roi_kit.followers import prepare_population
>>> c = pd.DataFrame({"customer_id": [1, 2], "acquired_at": pd.to_datetime(["2024-01-01"] * 2),
...                   "churned_at": pd.to_datetime(["2024-01-11", None]), "g": ["a", "b"]})
>>> pop = prepare_population(c, columns=["g"])
>>> population_counts(pop, pop.grouping("g", landmark_days=0, two_groups=False), None)
  group  cohort  duration  events  removed
0     a  202401        10       1        1
1     b  202401        10       0        1
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from roi_kit.errors import ConfigError, InputError
from roi_kit.followers._arrays import positions
from roi_kit.followers._landmark import AcquisitionDays

if TYPE_CHECKING:
    from roi_kit.followers._groups import Grouping
    from roi_kit.followers._population import Population

__all__ = ["per_customer", "per_day", "population_counts", "weights_array"]


def per_customer(pop: Population, ids: pd.Series, values: pd.Series, name: str) -> pd.Series:
    """``values`` given per ``ids`` put in the population's customer order (missing: None)."""
    where = positions(pop.ids, ids.astype(pop.ids.dtype) if len(ids) else ids)
    out = np.full(pop.n_customers, None, dtype=object)
    found = where >= 0
    out[where[found]] = np.asarray(values, dtype=object)[found]
    return pd.Series(out, name=name)


def weights_array(pop: Population, weights: str | pd.DataFrame | None) -> np.ndarray | None:
    if weights is None:
        return None
    if isinstance(weights, str):
        w = pd.to_numeric(pop.columns[weights], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    elif isinstance(weights, pd.DataFrame):
        if not {"customer_id", "weight"} <= set(weights.columns):
            raise InputError(f"weights has columns {list(weights.columns)}.",
                             hint="pass a column name of customers, or a frame with customer_id and weight.")
        w = pd.to_numeric(per_customer(pop, weights["customer_id"], weights["weight"], "weight"),
                          errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    else:
        raise ConfigError(f"weights={type(weights).__name__} is not supported.",
                          hint="pass a column name of customers or a frame with customer_id and weight.")
    return w


def _bincounts(names: tuple[str, ...], codes: np.ndarray, cohort: np.ndarray | AcquisitionDays,
               days: np.ndarray, event: np.ndarray) -> pd.DataFrame | None:
    """The unweighted counts with one ``np.bincount`` over a dense (group, month, day, event)
    index, in the order of a sorted group-by; ``None`` when that index would be much larger
    than the data. ``cohort``: ``YYYYMM`` per customer, or their acquisition days (the month
    terms then come from one small per-day table, without a cohort per customer)."""
    if not codes.size:
        return None
    rank = np.argsort(np.argsort(np.asarray(names, dtype=object)))  # sorted-name position per code
    lookup = cohort if isinstance(cohort, AcquisitionDays) else None
    if lookup is not None:  # months are nondecreasing in the day: the extremes are the days'
        first, last = lookup.extremes()
        c0, c1 = int(lookup.months[first]), int(lookup.months[last])
    else:
        c0, c1 = int(cohort.min()), int(cohort.max())  # type: ignore[union-attr]
    d0 = int(days.min())
    n_d = int(days.max()) - d0 + 1
    if c1 - c0 > 100_000:
        return None
    months = np.arange(c0, c1 + 1)  # YYYYMM → months since c0's year (a small table)
    table = months // 100 * 12 + months % 100 - 1
    m0, n_m = int(table.min()), int(table.max()) - int(table.min()) + 1
    size = len(names) * n_m * n_d
    if size > 4 * codes.size + 1_000_000:
        return None
    # key = ((group·n_m + month)·n_d + day − d0)·2 + event, built in as few passes as possible:
    # the month and −d0 terms come from one small per-cohort (or per-day) table, int32 when the
    # index fits
    small = np.int32 if 2 * size < 2**31 else np.int64
    per_cohort = ((table - m0) * (2 * n_d) - 2 * d0).astype(small)
    if lookup is not None:  # days outside the members' months are never looked up: clip them
        key = per_cohort[np.clip(lookup.months - c0, 0, c1 - c0)].take(lookup.index)
    else:
        key = per_cohort[cohort - c0]  # type: ignore[operator]
    key += np.multiply(codes if (rank == np.arange(rank.size)).all() else rank[codes], 2 * n_m * n_d, dtype=small)
    key += np.multiply(days, 2, dtype=small)
    key += event
    both = np.bincount(key, minlength=2 * size)
    events = both[1::2]
    removed = both[0::2] + events
    cell = np.flatnonzero(removed)
    day, rest = cell % n_d + d0, cell // n_d
    m = rest % n_m + m0
    # the labels as text once, then taken per cell (converting one object per cell costs ~10×)
    ordered = pd.array([str(x) for x in np.asarray(names, dtype=object)[np.argsort(rank)]], dtype=str)
    return pd.DataFrame({"group": ordered.take(rest // n_m), "cohort": m // 12 * 100 + m % 12 + 1,
                         "duration": day, "events": events[cell], "removed": removed[cell]})


def population_counts(pop: Population, g: Grouping, weights: np.ndarray | None) -> pd.DataFrame:
    """``group, cohort, duration, events, removed`` (+ weighted sums) of the landmark population."""
    lm = g.landmark
    keep: slice | np.ndarray = g.codes >= 0
    if keep.all():  # type: ignore[union-attr]
        keep = slice(None)  # everyone labelled: views, no copies
    idx = lm.index[keep]
    everyone = idx.size == pop.n_customers  # idx is then 0..n-1
    lookup = pop.acquisition_days
    if weights is None:
        by_day = None if lookup is None else lookup if everyone else lookup.subset(idx)
        dense = _bincounts(g.names, g.codes[keep], pop.cohort[idx] if by_day is None else by_day,
                           lm.days[keep], lm.event[keep])
        if dense is not None:
            return dense
    cohort = pop.cohort if everyone else pop.cohort[idx]
    frame = pd.DataFrame({"group": np.asarray(g.names, dtype=object)[g.codes[keep]],
                          "cohort": cohort, "duration": lm.days[keep],
                          "events": lm.event[keep].astype(np.int64), "removed": 1})
    if weights is not None:
        w = weights[idx]
        if np.isnan(w).any():
            raise InputError("some weights are missing.", hint="fill or drop customers without a weight.")
        frame = frame.assign(weighted_events=w * lm.event[keep], weighted_removed=w, weighted_removed_sq=w * w)
    counts = frame.groupby(["group", "cohort", "duration"], as_index=False, sort=True).sum()
    return counts.astype({"group": str})


def per_day(counts: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """``counts`` summed over cohorts: ``group, duration, events, removed`` (+ weighted sums)
    sorted by group and duration, and each group's rows (sorted labels) as its own table.

    Unweighted counts are integers, summed with one ``np.bincount`` (exact); weighted ones keep
    pandas' group-by sums.

    >>> c = pd.DataFrame({"group": ["a", "a", "b"], "cohort": [202401, 202402, 202401],
    ...                   "duration": [3, 3, 5], "events": [1, 0, 1], "removed": [1, 2, 1]})
    >>> table, parts = per_day(c)
    >>> table.values.tolist(), list(parts)
    ([['a', 3, 1, 3], ['b', 5, 1, 1]], ['a', 'b'])
    """
    if "weighted_removed" in counts.columns or counts.empty:
        table = counts.drop(columns="cohort").groupby(["group", "duration"], as_index=False).sum()
        codes, names = pd.factorize(table["group"], sort=True)
        bounds = np.searchsorted(codes, np.arange(len(names) + 1))
        return table, {str(g): table.iloc[bounds[i]:bounds[i + 1]].drop(columns="group").reset_index(drop=True)
                       for i, g in enumerate(names)}
    group, names = pd.factorize(counts["group"], sort=True)
    days = counts["duration"].to_numpy(dtype=np.int64)
    d0, n_d = int(days.min()), int(days.max()) - int(days.min()) + 1
    key = group * n_d + (days - d0)
    size = names.size * n_d
    removed = np.bincount(key, weights=counts["removed"].to_numpy(dtype=float), minlength=size)
    events = np.bincount(key, weights=counts["events"].to_numpy(dtype=float), minlength=size)
    cell = np.flatnonzero(removed)
    codes = cell // n_d
    columns = {"duration": cell % n_d + d0, "events": events[cell].astype(np.int64),
               "removed": removed[cell].astype(np.int64)}
    bounds = np.searchsorted(codes, np.arange(len(names) + 1))
    parts = {str(g): pd.DataFrame({k: v[bounds[i]:bounds[i + 1]] for k, v in columns.items()})
             for i, g in enumerate(names)}
    group_column = pd.Series(np.asarray(names, dtype=object)[codes], dtype=counts["group"].dtype)
    return pd.DataFrame({"group": group_column, **columns}), parts
