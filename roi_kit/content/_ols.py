"""Ordinary least squares with heteroskedasticity-robust (HC1) standard errors, in numpy.

``V = n / (n − k) · (XᵀX)⁻¹ Xᵀ diag(e²) X (XᵀX)⁻¹`` (MacKinnon & White 1985; Stata's
``robust``, statsmodels' ``cov_type="HC1"``). Confidence intervals and p-values use the t
distribution with n − k degrees of freedom.

Examples
--------
>>> import numpy as np
>>> X = np.column_stack([np.ones(4), [0.0, 0.0, 1.0, 1.0]])
>>> fit = ols_hc1(X, np.array([1.0, 3.0, 4.0, 8.0]))
>>> fit.beta.round(3).tolist(), fit.se.round(3).tolist()
([2.0, 4.0], [1.0, 2.236])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

__all__ = ["OlsFit", "independent_columns", "ols_hc1"]


@dataclass(frozen=True)
class OlsFit:
    """Coefficients ``beta``, HC1 standard errors ``se``, ``ci_low``/``ci_high``, ``p_value``,
    residual degrees of freedom ``df``, ``n`` rows and ``r2``."""

    beta: np.ndarray
    se: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    p_value: np.ndarray
    df: int
    n: int
    r2: float


def independent_columns(X: np.ndarray, *, tol: float = 1e-10) -> list[int]:
    """Indices of columns kept, left to right, skipping any column that is a linear combination
    of those before it (so aliased dummies are dropped, not inverted)."""
    kept: list[int] = []
    for j in range(X.shape[1]):
        trial = [*kept, j]
        if np.linalg.matrix_rank(X[:, trial], tol=tol * max(1.0, np.abs(X[:, trial]).max())) == len(trial):
            kept.append(j)
    return kept


def ols_hc1(X: np.ndarray, y: np.ndarray, *, conf_level: float = 0.95) -> OlsFit:
    """Fit ``y = Xβ + e`` by least squares and return HC1-robust inference.

    Parameters
    ----------
    X
        Design matrix (n × k) including the intercept column; full column rank.
    y
        Outcome (n).
    conf_level
        Level of the t-based confidence intervals.
    """
    X = np.asarray(X, float)
    y = np.asarray(y, float)
    n, k = X.shape
    if n <= k:
        raise ValueError(f"need more rows ({n}) than coefficients ({k})")
    xtx_inv = np.linalg.inv(X.T @ X)
    beta = xtx_inv @ (X.T @ y)
    resid = y - X @ beta
    meat = (X * (resid**2)[:, None]).T @ X
    cov = xtx_inv @ meat @ xtx_inv * (n / (n - k))
    se = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    df = n - k
    tcrit = stats.t.ppf(0.5 + conf_level / 2, df)
    with np.errstate(divide="ignore", invalid="ignore"):
        tstat = np.where(se > 0, beta / se, np.nan)
    p = np.where(np.isfinite(tstat), 2 * stats.t.sf(np.abs(tstat), df), np.nan)
    tss = float(((y - y.mean()) ** 2).sum())
    r2 = 1 - float((resid**2).sum()) / tss if tss > 0 else float("nan")
    return OlsFit(beta, se, beta - tcrit * se, beta + tcrit * se, p, df, n, r2)
