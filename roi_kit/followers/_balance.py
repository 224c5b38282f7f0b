"""Covariate balance of followers and non-followers: standardised mean differences (SMD)
before and after weighting, with the pooled *unweighted* standard deviation as the scale (the
convention of R's cobalt); |SMD| < 0.1 is the usual "balanced" threshold.

Examples
--------
>>> import pandas as pd
>>> d = pd.DataFrame({"size": ["s", "l", "l", "s"], "t": [1, 1, 0, 0]})
>>> balance_table(d, treatment="t", covariates=["size"]).max_smd()
0.0
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import narwhals as nw
import numpy as np
import pandas as pd

from roi_kit.engine import as_frame, require_columns, to_pandas
from roi_kit.errors import InputError
from roi_kit.followers._design import Design, build_design
from roi_kit.results import ResultMixin

if TYPE_CHECKING:
    import altair as alt

__all__ = ["BALANCE_COLUMNS", "SMD_THRESHOLD", "BalanceTable", "balance_rows", "balance_table", "treatment_array"]


SMD_THRESHOLD = 0.1


BALANCE_COLUMNS = (
    "covariate", "level", "mean_followers", "mean_non_followers", "smd_before",
    "weighted_mean_followers", "weighted_mean_non_followers", "smd_after",
)


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


def balance_rows(design: Design, treated: np.ndarray, weights: np.ndarray,
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
    return pd.DataFrame(rows, columns=list(BALANCE_COLUMNS))


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


def treatment_array(values: pd.Series, name: str) -> np.ndarray:
    """Follower flag from a bool / 0-1 column, or from roi_kit's own ``group`` labels
    (``"followers"`` / ``"non-followers"``); anything else is an error, never a guess."""
    if pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(values):
        arr = values.to_numpy(dtype=float, na_value=np.nan)
        if np.isnan(arr).any() or not np.isin(arr, (0.0, 1.0)).all():
            raise InputError(f"treatment column {name!r} must hold 0/1 or True/False.",
                             hint="pass a boolean follower flag or a 'group' column from labels().")
        return arr.astype(bool)
    found = sorted(pd.unique(values.astype(str)).tolist())
    if not set(found) <= {"followers", "non-followers"} or values.isna().any():
        raise InputError(f"treatment column {name!r} has the values {', '.join(map(repr, found[:10]))}; "
                         "roi_kit does not guess which of them are the followers.",
                         hint=f"make a bool column, e.g. data[{name!r}] == 'yes'.")
    return (values.astype(str) == "followers").to_numpy()


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
    return BalanceTable(balance_rows(design, treatment_array(pdf[treatment], treatment), w))
