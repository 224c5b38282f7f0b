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

if TYPE_CHECKING:
    from roi_kit.followers._groups import Grouping
    from roi_kit.followers._population import Population

__all__ = ["per_customer", "population_counts", "weights_array"]


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


def _bincounts(names: tuple[str, ...], codes: np.ndarray, cohort: np.ndarray, days: np.ndarray,
               event: np.ndarray) -> pd.DataFrame | None:
    """The unweighted counts with one ``np.bincount`` over a dense (group, month, day, event)
    index, in the order of a sorted group-by; ``None`` when that index would be much larger
    than the data."""
    if not codes.size:
        return None
    rank = np.argsort(np.argsort(np.asarray(names, dtype=object)))  # sorted-name position per code
    c0, c1 = int(cohort.min()), int(cohort.max())
    d0, n_d = int(days.min()), int(days.max()) - int(days.min()) + 1
    if c1 - c0 > 100_000:
        return None
    months = np.arange(c0, c1 + 1)  # YYYYMM → months since c0's year (a small table)
    table = months // 100 * 12 + months % 100 - 1
    m0, n_m = int(table.min()), int(table.max()) - int(table.min()) + 1
    size = len(names) * n_m * n_d
    if size > 4 * codes.size + 1_000_000:
        return None
    key = (codes if (rank == np.arange(rank.size)).all() else rank[codes]) * n_m
    key += (table - m0)[cohort - c0]
    key *= n_d
    key += days
    key -= d0
    key *= 2
    key += event
    both = np.bincount(key, minlength=2 * size)
    events = both[1::2]
    removed = both[0::2] + events
    cell = np.flatnonzero(removed)
    day, rest = cell % n_d + d0, cell // n_d
    m = rest % n_m + m0
    ordered = np.asarray(names, dtype=object)[np.argsort(rank)]
    return pd.DataFrame({"group": ordered[rest // n_m], "cohort": m // 12 * 100 + m % 12 + 1,
                         "duration": day, "events": events[cell], "removed": removed[cell]})


def population_counts(pop: Population, g: Grouping, weights: np.ndarray | None) -> pd.DataFrame:
    """``group, cohort, duration, events, removed`` (+ weighted sums) of the landmark population."""
    lm = g.landmark
    keep = g.codes >= 0
    idx = lm.index[keep]
    if weights is None:
        dense = _bincounts(g.names, g.codes[keep], pop.cohort[idx], lm.days[keep], lm.event[keep])
        if dense is not None:
            return dense.astype({"group": str})
    frame = pd.DataFrame({"group": np.asarray(g.names, dtype=object)[g.codes[keep]],
                          "cohort": pop.cohort[idx], "duration": lm.days[keep],
                          "events": lm.event[keep].astype(np.int64), "removed": 1})
    if weights is not None:
        w = weights[idx]
        if np.isnan(w).any():
            raise InputError("some weights are missing.", hint="fill or drop customers without a weight.")
        frame = frame.assign(weighted_events=w * lm.event[keep], weighted_removed=w, weighted_removed_sq=w * w)
    counts = frame.groupby(["group", "cohort", "duration"], as_index=False, sort=True).sum()
    return counts.astype({"group": str})
