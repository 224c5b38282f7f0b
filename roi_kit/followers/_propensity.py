"""Propensity weighting: make followers and non-followers comparable on the covariates you pick.

A logistic model predicts the chance of being a follower from covariates (company size, industry,
region, acquisition channel, MRR ...). Categorical covariates are one-hot encoded against their
most frequent level; numeric ones are standardised, and a missing value becomes its own level
(categorical) or the mean plus a missing-indicator (numeric). The model is fitted by Newton /
IRLS in numpy on the *distinct covariate patterns* with their counts (a binomial likelihood that
equals the row-level one exactly), so a million customers with a few hundred patterns fit in
milliseconds.

Weights are stabilised inverse-probability (ATE) weights: ``P(T=1) / p`` for followers and
``P(T=0) / (1 - p)`` for non-followers, so each group is re-weighted to look like the whole
population and the weights average about 1. ``trim`` truncates propensities to ``[trim, 1-trim]``
before weighting (extreme weights come from near-certain follower patterns).

Balance is judged with standardised mean differences (:mod:`roi_kit.followers._balance`); the
design (patterns, one-hot terms) lives in :mod:`roi_kit.followers._design`.

Examples
--------
>>> import pandas as pd
>>> data = pd.DataFrame({"size": ["s", "s", "s", "l", "l", "l"],
...                      "follower": [0, 0, 1, 1, 1, 0]})
>>> model = fit_propensity(data, treatment="follower", covariates=["size"], trim=None)
>>> [round(float(p), 3) for p in model.propensity[[0, 3]]]
[0.333, 0.667]
>>> round(float(model.balance.to_frame()["smd_after"].abs().max()), 6)
0.0
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import narwhals as nw
import numpy as np
import pandas as pd

from roi_kit.engine import as_frame, require_columns, to_pandas
from roi_kit.errors import ConfigError, EmptyDataError
from roi_kit.followers._balance import (
    BALANCE_COLUMNS,
    BalanceTable,
    balance_rows,
    balance_table,
    treatment_array,
)
from roi_kit.followers._design import Design, build_design
from roi_kit.followers._logistic import fit_logistic
from roi_kit.formatting import fmt_number
from roi_kit.results import ResultMixin

if TYPE_CHECKING:
    import altair as alt

__all__ = [
    "BalanceTable",
    "Design",
    "PropensityModel",
    "balance_table",
    "build_design",
    "fit_logistic",
    "fit_propensity",
    "ipw_weights",
]


def ipw_weights(
    propensity: np.ndarray, treated: np.ndarray, *, trim: float | None = 0.01,
    stabilized: bool = True,
) -> tuple[np.ndarray, int]:
    """Inverse-probability (ATE) weights, stabilised by default, with optional truncation.

    Returns the weights and how many propensities were truncated.

    Examples
    --------
    >>> w, n = ipw_weights(np.array([0.5, 0.25]), np.array([True, False]), trim=None)
    >>> w.tolist(), n
    ([1.0, 0.6666666666666666], 0)
    """
    p = np.asarray(propensity, dtype=float)
    t = np.asarray(treated, dtype=bool)
    trimmed = 0
    if trim is not None:
        if not 0 <= trim < 0.5:
            raise ConfigError(f"trim={trim!r} is not a propensity bound between 0 and 0.5.",
                              hint="use e.g. trim=0.01 (propensities clipped to [0.01, 0.99]) or None.")
        trimmed = int(np.count_nonzero((p < trim) | (p > 1 - trim)))
        p = np.clip(p, trim, 1 - trim)
    share = float(t.mean()) if (stabilized and t.size) else 1.0
    num = np.where(t, share, 1 - share) if stabilized else 1.0
    return np.asarray(num / np.where(t, p, 1 - p), dtype=float), trimmed


@dataclass(frozen=True)
class PropensityModel(ResultMixin):
    """A fitted propensity model with its weights and balance table.

    Attributes
    ----------
    terms, coefficients
        Model terms and their log-odds coefficients.
    pattern_propensity, pattern
        Estimated P(follower | covariates) per distinct covariate pattern (after truncation when
        ``trim`` is set) and the pattern of every row; :attr:`propensity` expands them per row.
    weights
        Stabilised ATE weights per row.
    cell_weights
        The same weights per (pattern, group) cell, shape (n_patterns, 2), column 0 =
        followers (every row of a cell has its cell's weight).
    treated
        Follower flag per row.
    trimmed
        How many propensities were truncated to ``[trim, 1 - trim]``.
    balance
        :class:`BalanceTable` before/after weighting.
    """

    terms: tuple[str, ...]
    coefficients: np.ndarray
    pattern_propensity: np.ndarray
    pattern: np.ndarray
    weights: np.ndarray
    treated: np.ndarray
    converged: bool
    iterations: int
    trimmed: int
    trim: float | None
    balance: BalanceTable
    cell_weights: np.ndarray | None = field(default=None, repr=False)

    @property
    def propensity(self) -> np.ndarray:
        """Estimated P(follower | covariates) per row."""
        return self.pattern_propensity[self.pattern]

    def effective_size(self) -> dict[str, float]:
        """Kish effective sample size per group: (Σw)² / Σw²."""
        out = {}
        for name, g in (("followers", self.treated), ("non-followers", ~self.treated)):
            w = self.weights[g]
            out[name] = float(w.sum() ** 2 / (w @ w)) if w.size else 0.0
        return out

    def to_frame(self) -> pd.DataFrame:
        """Columns ``term, coefficient, odds_ratio``."""
        return pd.DataFrame({"term": self.terms, "coefficient": self.coefficients,
                             "odds_ratio": np.exp(self.coefficients)})

    def summary(self) -> str:
        """Fit, weights and balance in words."""
        ess = self.effective_size()
        n1, n0 = int(self.treated.sum()), int((~self.treated).sum())
        fit = "converged" if self.converged else f"did not converge in {self.iterations} steps"
        trim = (f" {self.trimmed:,} extreme propensities were truncated to "
                f"[{self.trim}, {1 - self.trim}]." if self.trim is not None and self.trimmed else "")
        return (
            f"Propensity model on {len(self.terms) - 1} terms {fit}. Weighting leaves an effective "
            f"{fmt_number(ess['followers'])} of {n1:,} followers and "
            f"{fmt_number(ess['non-followers'])} of {n0:,} non-followers; the largest weight is "
            f"{float(self.weights.max()) if self.weights.size else 0:.1f}.{trim}\n"
            + self.balance.summary()
        )

    def chart(self) -> alt.TopLevelMixin:
        """The balance (love) plot."""
        return self.balance.chart()


def propensity_from_design(
    design: Design, treated: np.ndarray, *, trim: float | None = 0.01, stabilized: bool = True,
    balance: bool = True, cell: np.ndarray | None = None, counts: np.ndarray | None = None,
) -> PropensityModel:
    """Fit on distinct patterns, then weight every row (the fast path behind fit_propensity).

    ``cell`` may pass ``design.pattern * 2 + ~treated`` when the caller already has it, and
    ``counts`` its ``np.bincount`` (length ``2 * n_patterns``). Every
    weighted sum the model needs (balance) comes from per-cell counts times cell weights; the
    per-row weights are one gather from the cell table.
    """
    t = np.asarray(treated, dtype=bool)
    n_pat = design.patterns.shape[0]
    if cell is None:
        cell = design.pattern * 2 + (~t)
    both = (np.bincount(cell, minlength=2 * n_pat) if counts is None else counts).astype(float)
    n1 = float(both[0::2].sum())
    if n1 == 0 or n1 == t.size:
        raise EmptyDataError(
            f"Propensity weighting needs both followers and non-followers; got {int(n1):,} "
            f"followers among {t.size:,} customers.",
            hint="loosen the follower definition or check the customer/audience matching.",
        )
    successes, trials = both[0::2], both[0::2] + both[1::2]
    beta, ok, it = fit_logistic(design.patterns, successes, trials)
    p_pat = 1.0 / (1.0 + np.exp(-np.einsum("ij,j->i", design.patterns, beta)))
    # weights per (pattern, group) cell, then one gather for every row
    w_cells, _ = ipw_weights(np.repeat(p_pat, 2), np.tile([True, False], n_pat), trim=trim,
                             stabilized=False)
    if stabilized:
        share = n1 / t.size
        w_cells = w_cells * np.tile([share, 1 - share], n_pat)
    w = w_cells.take(cell)  # take: the same values as w_cells[cell], without fancy indexing's overhead
    trimmed = 0
    if trim is not None:
        extreme = (p_pat < trim) | (p_pat > 1 - trim)
        trimmed = int(trials[extreme].sum())
        p_pat = np.clip(p_pat, trim, 1 - trim)
    table = (balance_rows(design, t, w, cell, both, np.where(both > 0, both * w_cells, 0.0))
             if balance else pd.DataFrame(columns=BALANCE_COLUMNS))
    return PropensityModel(design.terms, beta, p_pat, design.pattern, w, t, ok, it, trimmed, trim,
                           BalanceTable(table), w_cells.reshape(-1, 2))


def fit_propensity(
    data: Any,
    *,
    treatment: str,
    covariates: Sequence[str],
    trim: float | None = 0.01,
    stabilized: bool = True,
) -> PropensityModel:
    """Fit a logistic propensity model and compute stabilised IPW (ATE) weights.

    Parameters
    ----------
    data
        One row per unit, any engine; only the treatment and covariate columns are collected.
    treatment
        Follower flag column: bool / 0-1, or a ``group`` column with ``"followers"``.
    covariates
        Covariate columns (categorical or numeric).
    trim
        Truncate propensities to ``[trim, 1 - trim]``; None keeps them as estimated.
    stabilized
        Stabilised weights (default) average about 1 per group.

    Examples
    --------
    >>> d = pd.DataFrame({"g": ["a", "a", "b", "b"], "t": [1, 0, 1, 1]})
    >>> fit_propensity(d, treatment="t", covariates=["g"], trim=None).weights.round(3).tolist()
    [1.5, 0.5, 0.75, 0.75]
    """
    frame = as_frame(data, name="data")
    require_columns(frame, [treatment, *covariates], name="data")
    pdf = to_pandas(frame.select([nw.col(c) for c in dict.fromkeys([treatment, *covariates])]))
    if pdf.empty:
        raise EmptyDataError("data has no rows to fit a propensity model on.",
                             hint="check the filters that produced it.")
    design = build_design(pdf, covariates)
    return propensity_from_design(design, treatment_array(pdf[treatment], treatment),
                                  trim=trim, stabilized=stabilized)


