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
    if not covariates:  # intercept only: one pattern (none without rows)
        return Design((), ("(intercept)",), np.ones((1 if n else 0, 1)), np.zeros(n, dtype=np.int64), ())
    columns: list[np.ndarray] = [np.ones(n)]
    terms = ["(intercept)"]
    key = np.zeros(n, dtype=np.int64)
    indicators: list[tuple[str, np.ndarray, tuple[str, ...] | None]] = []
    for cov in covariates:
        series = frame[cov]
        if _is_categorical(series):
            values = series.astype("object").where(series.notna(), "(missing)").astype(str)
            codes, levels = pd.factorize(values, sort=True)
            counts = np.bincount(codes, minlength=len(levels))
            ref = int(np.argmax(counts))
            for j, level in enumerate(levels):
                if j != ref:
                    columns.append((codes == j).astype(float))
                    terms.append(f"{cov}={level}")
            indicators.append((cov, codes.astype(np.int64), tuple(str(v) for v in levels)))
            card = len(levels)
        else:
            x = series.to_numpy(dtype=float, na_value=np.nan)
            miss = np.isnan(x)
            mean = float(np.nanmean(x)) if (~miss).any() else 0.0
            sd = float(np.nanstd(x)) if (~miss).any() else 1.0
            filled = np.where(miss, mean, x)
            columns.append((filled - mean) / (sd if sd > 0 else 1.0))
            terms.append(cov)
            if miss.any():
                columns.append(miss.astype(float))
                terms.append(f"{cov}=(missing)")
            codes, uniques = pd.factorize(x, use_na_sentinel=False)
            card = len(uniques)
            indicators.append((cov, x, None))
        _, key = np.unique(key * card + codes, return_inverse=True)
        key = key.astype(np.int64)
    matrix = np.column_stack(columns)
    n_pat = int(key.max()) + 1 if n else 0
    first = np.full(n_pat, -1, dtype=np.int64)
    first[key[::-1]] = np.arange(n)[::-1]
    per_pattern = tuple((c, v[first] if lv is not None else v, lv) for c, v, lv in indicators)
    return Design(tuple(covariates), tuple(terms), matrix[first], key, per_pattern)
