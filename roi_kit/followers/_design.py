"""The covariate design of the propensity model: one-hot categoricals, standardised numerics,
and the distinct covariate patterns behind them (the model is fitted on patterns with counts).

Examples
--------
>>> import pandas as pd
>>> d = build_design(pd.DataFrame({"size": ["s", "l", "s"]}), ["size"])
>>> d.terms, d.pattern.tolist()
(('(intercept)', 'size=l'), [1, 0, 1])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["Design", "build_design"]


@dataclass(frozen=True)
class Design:
    """A covariate design: the model matrix and the distinct covariate patterns behind it.

    Attributes
    ----------
    covariates
        Covariate names as given.
    terms
        Names of the model-matrix columns (``"(intercept)"``, ``"size=large"``, ``"mrr"`` ...).
    patterns
        Model-matrix rows of the distinct covariate patterns, shape (n_patterns, n_terms).
    pattern
        Pattern index of every row, shape (n,).
    indicators
        For the balance table: per covariate, either the level code of every *pattern* and the
        level names (categorical) or the raw value of every row (numeric, NaN for missing).
    """

    covariates: tuple[str, ...]
    terms: tuple[str, ...]
    patterns: np.ndarray
    pattern: np.ndarray
    indicators: tuple[tuple[str, np.ndarray, tuple[str, ...] | None], ...]

    @property
    def n(self) -> int:
        """Number of rows."""
        return int(self.pattern.shape[0])

    def subset(self, rows: np.ndarray) -> Design:
        """The design restricted to some rows (boolean mask or indices); patterns are kept."""
        return Design(self.covariates, self.terms, self.patterns, self.pattern[rows],
                      tuple((c, v if lv is not None else v[rows], lv) for c, v, lv in self.indicators))


def _is_categorical(series: pd.Series) -> bool:
    return not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)


def _levels(series: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Level code of every row and the sorted level names, missing values named "(missing)".

    The same as factorising the column's text (sorted), but only the distinct values are turned
    into Python strings; values with the same text share a level. Object columns are turned into
    text row by row (their values may be equal without having the same text: ``1 == True``)."""
    if series.dtype == object:
        series = series.where(series.notna(), None).map(str, na_action="ignore")
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    names = [str(u) for u in uniques]
    if (codes < 0).any():
        codes = np.where(codes < 0, len(names), codes)
        names.append("(missing)")
    level_of, levels = pd.factorize(pd.Index(names, dtype=object), sort=True)
    return np.asarray(level_of, dtype=np.int64)[codes], [str(v) for v in levels]


def _dense_rank(combined: np.ndarray, size: int) -> np.ndarray:
    """Rank of every value among the distinct values (``np.unique``'s inverse), for values in
    ``[0, size)``; a presence table when it is small, a sort otherwise."""
    if size <= 4 * combined.size + 1024:
        present = np.zeros(size, dtype=np.int64)
        present[combined] = 1
        return (np.cumsum(present) - 1)[combined]
    return np.asarray(np.unique(combined, return_inverse=True)[1], dtype=np.int64).reshape(-1)


def build_design(frame: pd.DataFrame, covariates: Sequence[str]) -> Design:
    """Model matrix with one-hot categoricals (most frequent level as reference).

    Parameters
    ----------
    frame
        A pandas frame holding the covariate columns (one row per unit).
    covariates
        Column names; text/bool/category columns are categorical, numbers numeric.

    Examples
    --------
    >>> d = build_design(pd.DataFrame({"size": ["s", "l", "s"], "mrr": [1.0, 3.0, None]}),
    ...                  ["size", "mrr"])
    >>> d.terms
    ('(intercept)', 'size=l', 'mrr', 'mrr=(missing)')
    >>> int(d.patterns.shape[0])
    3
    """
    n = len(frame)
    terms = ["(intercept)"]
    key = np.zeros(n, dtype=np.int64)
    n_keys = 1
    indicators: list[tuple[str, np.ndarray, tuple[str, ...] | None]] = []
    # per term: how to compute its column on the pattern rows (level code, or numeric values)
    makers: list[tuple[np.ndarray, int | None, float, float]] = []
    for cov in covariates:
        series = frame[cov]
        if _is_categorical(series):
            codes, levels = _levels(series)
            counts = np.bincount(codes, minlength=len(levels))
            ref = int(np.argmax(counts))
            for j, level in enumerate(levels):
                if j != ref:
                    makers.append((codes, j, 0.0, 1.0))
                    terms.append(f"{cov}={level}")
            indicators.append((cov, codes, tuple(levels)))
            card = len(levels)
        else:
            x = series.to_numpy(dtype=float, na_value=np.nan)
            miss = np.isnan(x)
            mean = float(np.nanmean(x)) if (~miss).any() else 0.0
            sd = float(np.nanstd(x)) if (~miss).any() else 1.0
            makers.append((x, None, mean, sd if sd > 0 else 1.0))
            terms.append(cov)
            if miss.any():
                makers.append((x, -1, 0.0, 1.0))
                terms.append(f"{cov}=(missing)")
            codes, uniques = pd.factorize(x, use_na_sentinel=False)
            card = len(uniques)
            indicators.append((cov, x, None))
        key = _dense_rank(key * card + codes, n_keys * card)
        n_keys = int(key.max()) + 1 if n else 0
    n_keys = n_keys if n else 0
    first = np.full(n_keys, -1, dtype=np.int64)
    if covariates:
        first[key[::-1]] = np.arange(n)[::-1]
    elif n:
        first[0] = 0  # one pattern (everyone), whose first row is row 0
    # every row of a pattern has the same covariate values: the columns are built on one row each
    columns: list[np.ndarray] = [np.ones(first.size)]
    for values, code, mean, scale in makers:
        at = values[first]
        if code is None:
            columns.append((np.where(np.isnan(at), mean, at) - mean) / scale)
        elif code < 0:
            columns.append(np.isnan(at).astype(float))
        else:
            columns.append((at == code).astype(float))
    per_pattern = tuple((c, v[first] if lv is not None else v, lv) for c, v, lv in indicators)
    return Design(tuple(covariates), tuple(terms), np.column_stack(columns), key, per_pattern)
