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

Balance is judged with standardised mean differences (SMD): the difference of group means
divided by the pooled *unweighted* standard deviation (the convention of R's cobalt), before and
after weighting; |SMD| < 0.1 is the usual "balanced" threshold.

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

SMD_THRESHOLD = 0.1
_BALANCE_COLUMNS = (
    "covariate", "level", "mean_followers", "mean_non_followers", "smd_before",
    "weighted_mean_followers", "weighted_mean_non_followers", "smd_after",
)


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


def fit_logistic(
    x: np.ndarray,
    successes: np.ndarray,
    trials: np.ndarray,
    *,
    ridge: float = 1e-8,
    max_iter: int = 100,
    tol: float = 1e-9,
) -> tuple[np.ndarray, bool, int]:
    """Binomial logistic regression by Newton–Raphson (IRLS) with step halving.

    Parameters
    ----------
    x
        Design rows (n_patterns, k).
    successes, trials
        Per row: number of successes (followers) and of trials (units); fractional values act
        as frequency weights.
    ridge
        A tiny L2 penalty (not on the intercept) that keeps separated patterns finite.

    Returns
    -------
    (coefficients, converged, iterations)

    Examples
    --------
    >>> x = np.array([[1.0, 0.0], [1.0, 1.0]])
    >>> beta, ok, _ = fit_logistic(x, np.array([1.0, 2.0]), np.array([3.0, 3.0]), ridge=0)
    >>> [round(float(b), 6) for b in beta], ok   # log-odds 1:2 and 2:1
    ([-0.693147, 1.386294], True)
    """
    # products by einsum, not BLAS: these small matrices are above OpenBLAS's threading
    # thresholds, and its worker threads then spin on the other core after every call
    k = x.shape[1]
    beta = np.zeros(k)
    penalty = np.full(k, ridge)
    penalty[0] = 0.0

    def loglik(b: np.ndarray) -> float:
        eta = np.einsum("ij,j->i", x, b)
        return float(successes @ eta - trials @ np.logaddexp(0.0, eta) - 0.5 * (penalty * b) @ b)

    current = loglik(beta)
    for it in range(1, max_iter + 1):
        p = 1.0 / (1.0 + np.exp(-np.einsum("ij,j->i", x, beta)))
        grad = np.einsum("ij,i->j", x, successes - trials * p) - penalty * beta
        hess = (np.einsum("ij,ik->jk", x * (trials * p * (1 - p))[:, None], x)
                + np.diag(penalty + 1e-12))
        try:
            step = np.linalg.solve(hess, grad)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(hess, grad, rcond=None)[0]
        scale = 1.0
        while scale > 1e-6:
            trial = beta + scale * step
            value = loglik(trial)
            if value >= current - 1e-12:
                break
            scale /= 2
        beta, current = trial, value
        if np.max(np.abs(scale * step)) < tol:
            return beta, True, it
    return beta, False, max_iter


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


def _moments(x: np.ndarray, t: np.ndarray, w: np.ndarray) -> tuple[float, ...]:
    ok = ~np.isnan(x)
    out: list[float] = []
    for g in (t, ~t):
        sel = ok & g
        xs, ws = x[sel], w[sel]
        m = float(xs.mean()) if xs.size else float("nan")
        v = float(xs.var()) if xs.size else float("nan")
        mw = float(ws @ xs / ws.sum()) if ws.sum() > 0 else float("nan")
        out += [m, v, mw]
    return tuple(out)


def _balance_rows(design: Design, treated: np.ndarray, weights: np.ndarray,
                  cell: np.ndarray | None = None, counts: np.ndarray | None = None,
                  wsums: np.ndarray | None = None) -> pd.DataFrame:
    t = np.asarray(treated, dtype=bool)
    w = np.asarray(weights, dtype=float)
    n_pat = design.patterns.shape[0]
    if cell is None:  # per pattern: followers at even, non-followers at odd cells
        cell = design.pattern * 2 + (~t)
    if counts is None:
        counts = np.bincount(cell, minlength=2 * n_pat).astype(float)
    if wsums is None:
        wsums = np.bincount(cell, weights=w, minlength=2 * n_pat)
    rows: list[dict[str, Any]] = []
    for cov, values, levels in design.indicators:
        if levels is None:
            m1, v1, mw1, m0, v0, mw0 = _moments(values.astype(float), t, w)
            rows.append(_smd_row(cov, "", m1, v1, mw1, m0, v0, mw0))
            continue
        k = len(levels)
        n1 = np.bincount(values, weights=counts[0::2], minlength=k)
        n0 = np.bincount(values, weights=counts[1::2], minlength=k)
        w1 = np.bincount(values, weights=wsums[0::2], minlength=k)
        w0 = np.bincount(values, weights=wsums[1::2], minlength=k)
        for j, level in enumerate(levels):
            m1, m0 = n1[j] / max(n1.sum(), 1), n0[j] / max(n0.sum(), 1)
            rows.append(_smd_row(cov, level, m1, m1 * (1 - m1), w1[j] / max(w1.sum(), 1e-300),
                                 m0, m0 * (1 - m0), w0[j] / max(w0.sum(), 1e-300)))
    return pd.DataFrame(rows, columns=list(_BALANCE_COLUMNS))


def _smd_row(cov: str, level: str, m1: float, v1: float, mw1: float, m0: float, v0: float,
             mw0: float) -> dict[str, Any]:
    sd = float(np.sqrt((v1 + v0) / 2)) if np.isfinite(v1 + v0) else float("nan")
    smd = (m1 - m0) / sd if sd > 0 else 0.0
    smd_w = (mw1 - mw0) / sd if sd > 0 else 0.0
    return {"covariate": cov, "level": level, "mean_followers": m1, "mean_non_followers": m0,
            "smd_before": smd, "weighted_mean_followers": mw1,
            "weighted_mean_non_followers": mw0, "smd_after": smd_w}


@dataclass(frozen=True)
class BalanceTable(ResultMixin):
    """Covariate balance between followers and non-followers, before and after weighting.

    ``to_frame()`` columns: ``covariate, level`` (empty for numeric covariates),
    ``mean_followers, mean_non_followers`` (shares for categorical levels), ``smd_before``,
    ``weighted_mean_followers, weighted_mean_non_followers, smd_after``.

    Examples
    --------
    >>> import pandas as pd
    >>> import roi_kit as rk
    >>> data = pd.DataFrame({"follower": [True, True, False, False, False, True],
    ...                      "size": ["large", "small", "small", "small", "large", "large"]})
    >>> table = rk.balance_table(data, treatment="follower", covariates=["size"])
    >>> table.to_frame()["covariate"].unique().tolist()
    ['size']
    """

    table: pd.DataFrame
    threshold: float = SMD_THRESHOLD

    def to_frame(self) -> pd.DataFrame:
        """The balance rows (a copy)."""
        return self.table.copy()

    def max_smd(self, *, after: bool = True) -> float:
        """Largest absolute SMD (after weighting by default)."""
        col = "smd_after" if after else "smd_before"
        values = self.table[col].abs()
        return float(values.max()) if len(values) else 0.0

    def summary(self) -> str:
        """Whether weighting balanced the covariates, in words."""
        if self.table.empty:
            return "No covariates were chosen, so nothing was balanced (the adjusted comparison equals the raw one)."
        before, after = self.max_smd(after=False), self.max_smd(after=True)
        worst = self.table.loc[self.table["smd_before"].abs().idxmax()]
        label = worst["covariate"] + (f" = {worst['level']}" if worst["level"] else "")
        verdict = ("all below" if after < self.threshold else "not all below")
        return (f"Before weighting the largest standardised mean difference was {before:.2f} "
                f"({label}); after weighting it is {after:.2f}, {verdict} the usual "
                f"{self.threshold} threshold.")

    def chart(self) -> alt.TopLevelMixin:
        """Love plot: |SMD| per covariate level, before and after weighting."""
        from roi_kit.charts.segments import balance_chart

        return balance_chart(self)


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
    w = w_cells[cell]
    trimmed = 0
    if trim is not None:
        extreme = (p_pat < trim) | (p_pat > 1 - trim)
        trimmed = int(trials[extreme].sum())
        p_pat = np.clip(p_pat, trim, 1 - trim)
    table = (_balance_rows(design, t, w, cell, both, np.where(both > 0, both * w_cells, 0.0))
             if balance else pd.DataFrame(columns=_BALANCE_COLUMNS))
    return PropensityModel(design.terms, beta, p_pat, design.pattern, w, t, ok, it, trimmed, trim,
                           BalanceTable(table), w_cells.reshape(-1, 2))


def _treatment_array(values: pd.Series, name: str) -> np.ndarray:
    if pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(values):
        arr = values.to_numpy(dtype=float, na_value=np.nan)
        if np.isnan(arr).any() or not np.isin(arr, (0.0, 1.0)).all():
            raise ConfigError(f"treatment column {name!r} must hold 0/1 or True/False.",
                              hint="pass a boolean follower flag or a 'group' column.")
        return arr.astype(bool)
    labels = values.astype(str)
    return (labels == "followers").to_numpy()


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
    return propensity_from_design(design, _treatment_array(pdf[treatment], treatment),
                                  trim=trim, stabilized=stabilized)


def balance_table(
    data: Any, *, treatment: str, covariates: Sequence[str], weights: str | None = None,
) -> BalanceTable:
    """Standardised mean differences per covariate level, unweighted and (optionally) weighted.

    Parameters
    ----------
    data
        One row per unit, any engine.
    treatment
        Follower flag (bool / 0-1) or ``group`` column with ``"followers"``.
    covariates
        Columns to check.
    weights
        Optional weight column (e.g. from :func:`fit_propensity`); without it the "after"
        columns equal the "before" ones.

    Examples
    --------
    >>> d = pd.DataFrame({"size": ["s", "l", "l", "s"], "t": [1, 1, 0, 0]})
    >>> balance_table(d, treatment="t", covariates=["size"]).to_frame()["smd_before"].tolist()
    [0.0, 0.0]
    """
    frame = as_frame(data, name="data")
    cols = [treatment, *covariates, *([weights] if weights else [])]
    require_columns(frame, cols, name="data")
    pdf = to_pandas(frame.select([nw.col(c) for c in dict.fromkeys(cols)]))
    design = build_design(pdf, covariates)
    w = pdf[weights].to_numpy(dtype=float) if weights else np.ones(len(pdf))
    return BalanceTable(_balance_rows(design, _treatment_array(pdf[treatment], treatment), w))
