"""Sums per group in the caller's engine and Wilson intervals: the arithmetic under the rates.

The difference of two proportions uses Newcombe's hybrid score interval (Newcombe 1998,
method 10): the two Wilson intervals combined by squaring and adding each side's distance.

Examples
--------
>>> lo, hi = wilson_interval(5, 10)
>>> round(float(lo), 3), round(float(hi), 3)
(0.237, 0.763)
>>> [round(float(v), 4) for v in newcombe_interval(56, 70, 48, 80)]
[0.2, 0.0524, 0.3339]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd
from scipy import stats

from roi_kit.engine import as_frame, require_columns, to_pandas

__all__ = ["MISSING_KEY", "group_sums", "newcombe_interval", "wilson_interval"]

MISSING_KEY = "(missing)"
"""Key shown for a missing group value."""


def wilson_interval(successes: np.ndarray | float, trials: np.ndarray | float, *,
                    conf_level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion (vectorised; NaN where trials is 0).

    Examples
    --------
    >>> lo, hi = wilson_interval(8, 10)
    >>> round(float(lo), 4), round(float(hi), 4)
    (0.4902, 0.9433)
    """
    x = np.asarray(successes, dtype="float64")
    n = np.asarray(trials, dtype="float64")
    z = float(stats.norm.ppf(0.5 + conf_level / 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / n
        denom = 1 + z**2 / n
        center = (p + z**2 / (2 * n)) / denom
        half = z / denom * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
        lo, hi = center - half, center + half
    bad = ~(n > 0) | (x < 0) | (x > n)
    lo = np.where(bad, np.nan, np.clip(lo, 0.0, 1.0))
    hi = np.where(bad, np.nan, np.clip(hi, 0.0, 1.0))
    return lo, hi


def newcombe_interval(x1: np.ndarray | float, n1: np.ndarray | float, x0: np.ndarray | float,
                      n0: np.ndarray | float, *, conf_level: float = 0.95,
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``x1/n1 − x0/n0`` and Newcombe's hybrid score interval (vectorised; NaN where a group is empty).

    Examples
    --------
    >>> d, lo, hi = newcombe_interval(5, 10, 0, 10)
    >>> round(float(d), 2), round(float(lo), 4), round(float(hi), 4)
    (0.5, 0.1174, 0.7634)
    """
    x1, n1, x0, n0 = (np.asarray(a, dtype="float64") for a in (x1, n1, x0, n0))
    l1, u1 = wilson_interval(x1, n1, conf_level=conf_level)
    l0, u0 = wilson_interval(x0, n0, conf_level=conf_level)
    with np.errstate(divide="ignore", invalid="ignore"):
        p1, p0 = x1 / n1, x0 / n0
    diff = p1 - p0
    low = diff - np.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2)
    high = diff + np.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2)
    return diff, low, high


def group_sums(data: Any, columns: Sequence[str], *, by: Sequence[str] = (),
               name: str = "data") -> pd.DataFrame:
    """Sum ``columns`` per ``by`` group in the frame's engine; return a small pandas table.

    Key columns that are missing become ``(missing)``; string keys come back as ``str`` dtype;
    a ``rows`` column counts the rows of each group. Rows are sorted by the keys.

    Examples
    --------
    >>> import pandas as pd
    >>> group_sums(pd.DataFrame({"g": ["b", "a", "b"], "x": [1, 2, 3]}), ["x"], by=["g"])
       g    x  rows
    0  a  2.0     1
    1  b  4.0     2
    """
    frame = as_frame(data, name=name)
    keys = list(by)
    require_columns(frame, [*keys, *columns], name=name)
    prepared = frame.select(*[nw.col(k) for k in keys],
                            *[nw.col(c).cast(nw.Float64).alias(c) for c in columns],
                            nw.lit(1).cast(nw.Int64).alias("rows"))
    sums = [nw.col(c).sum() for c in [*columns, "rows"]]
    agg = (prepared.group_by(keys, drop_null_keys=False).agg(*sums) if keys
           else prepared.select(*sums))
    out = to_pandas(agg)
    for c in columns:
        out[c] = out[c].astype("float64").fillna(0.0)
    out["rows"] = out["rows"].fillna(0).astype("int64")
    for k in keys:
        if not (pd.api.types.is_bool_dtype(out[k]) or pd.api.types.is_numeric_dtype(out[k])):
            out[k] = out[k].astype("object").where(out[k].notna(), MISSING_KEY).astype("str")
    if keys:
        out = out.sort_values(keys, kind="stable").reset_index(drop=True)
    return out[[*keys, *columns, "rows"]]
