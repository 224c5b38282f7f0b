"""Lifetime value of repeat-purchase customers: BG/NBD purchases × Gamma-Gamma spend, per group.

The transactions (won deals, or any orders table) are reduced in the caller's engine to one row
per customer and purchase day (several purchases on one day count once, their amounts added);
per customer: ``x`` repeat purchase days, recency ``t_x`` and age ``T`` in days up to the data
end, and the mean value ``m`` of the repeat purchases. One BG/NBD and one Gamma-Gamma model are
fitted on every customer (:mod:`roi_kit.followers._bgnbd`); a group's CLV within the horizon is
the mean over its customers of expected purchases × expected spend per purchase (undiscounted).

Interval: delta method — the gradient of the group mean with respect to the seven log
parameters times their covariance (inverse Hessian; the two models fitted separately), plus the
sampling variance of the mean over the group's customers. Differences between groups add the two
variances (the shared parameters make this approximate).

Examples
--------
>>> import pandas as pd
>>> tx = pd.DataFrame({"customer_id": ["a", "a", "a", "b"], "amount": [10.0, 20.0, 30.0, 5.0],
...     "closed_at": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-11", "2024-01-05"])})
>>> rfm(tx, time="closed_at", as_of=None)[["customer_id", "x", "tx", "T", "m"]].values.tolist()
[['a', 1, 10.0, 10.0, 30.0], ['b', 0, 0.0, 6.0, 0.0]]
"""

from __future__ import annotations

import math
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from roi_kit.engine import as_frame, column_names, require_columns, to_pandas
from roi_kit.epoch import seconds_of, with_seconds
from roi_kit.followers._bgnbd import bgnbd_expected, fit_bgnbd, fit_gamma_gamma, gamma_gamma_spend
from roi_kit.followers._lifetime_value_result import GroupValue

__all__ = ["group_values", "rfm"]

_DAY = 86_400.0


def rfm(transactions: Any, *, time: str, as_of: Any) -> pd.DataFrame:
    """``customer_id, x, tx, T, m`` per customer (see the module docstring); won rows only when
    the table has a ``status`` column."""
    f = as_frame(transactions, name="transactions")
    require_columns(f, ["customer_id", time, "amount"], name="transactions")
    if "status" in column_names(f):
        f = f.filter(nw.col("status").cast(nw.String).str.to_lowercase() == "won")
    f = with_seconds(f.select(nw.col("customer_id").cast(nw.String), nw.col(time),
                              nw.col("amount").cast(nw.Float64).fill_null(0.0)),
                     [time], table="transactions", loader="rk.load_deals(...)")
    day = (nw.col(f"_s_{time}") / _DAY).floor().cast(nw.Int64).alias("day")
    daily = to_pandas(f.filter(~nw.col(f"_s_{time}").is_null()).with_columns(day)
                      .group_by("customer_id", "day").agg(nw.col("amount").sum()))
    daily = daily.sort_values(["customer_id", "day"], kind="stable")
    end = float(daily["day"].max()) if as_of is None else math.floor(seconds_of(as_of) / _DAY)
    daily = daily[daily["day"] <= end]
    g = daily.groupby("customer_id", sort=True)
    first, last, n = g["day"].min(), g["day"].max(), g["day"].size()
    first_amount = g["amount"].first()
    x = (n - 1).astype(int)
    total = g["amount"].sum()
    m = np.where(x > 0, (total - first_amount) / x.where(x > 0, 1), 0.0)
    return pd.DataFrame({"customer_id": first.index.astype(str), "x": x.to_numpy(),
                         "tx": (last - first).to_numpy(dtype=float), "T": (end - first).to_numpy(dtype=float),
                         "m": m}).reset_index(drop=True)


def group_values(data: pd.DataFrame, codes: np.ndarray, names: tuple[str, ...], horizon_days: float,
                 ) -> tuple[tuple[GroupValue, ...], str]:
    """Per group: expected purchases, spend per purchase and CLV with delta-method standard errors."""
    x, tx, T, m = (data[c].to_numpy(dtype=float) for c in ("x", "tx", "T", "m"))
    bg, gg = fit_bgnbd(x, tx, T), fit_gamma_gamma(x, m)
    theta = np.log(np.concatenate([bg.params, gg.params]))

    def per_customer(th: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        expected, _ = bgnbd_expected(np.exp(th[:4]), x, tx, T, horizon_days)
        return expected, gamma_gamma_spend(np.exp(th[4:]), x, m)

    cov = None
    if bg.log_cov is not None and gg.log_cov is not None:
        cov = np.zeros((7, 7))
        cov[:4, :4], cov[4:, 4:] = bg.log_cov, gg.log_cov
    e0, s0 = per_customer(theta)
    grads = []
    for i in range(7):
        step = np.eye(7)[i] * 1e-5
        (ep, sp), (em, sm) = per_customer(theta + step), per_customer(theta - step)
        grads.append(((ep * sp) - (em * sm)) / 2e-5)
    out = []
    for k, name in enumerate(names):
        sel = codes == k
        n = int(sel.sum())
        if n == 0:
            out.append(GroupValue(name, 0, None, None, None, None, "no customer in this group."))
            continue
        value = e0[sel] * s0[sel]
        sampling = float(value.var(ddof=1) / n) if n > 1 else 0.0
        if cov is None:
            out.append(GroupValue(name, n, float(e0[sel].mean()), None, float(s0[sel].mean()), None,
                                  "the models' information matrix is singular, so there is no interval.",
                                  float(value.mean()), None))
            continue
        g = np.array([gr[sel].mean() for gr in grads])
        se = math.sqrt(max(float(g @ cov @ g), 0.0) + sampling)
        out.append(GroupValue(name, n, float(e0[sel].mean()), None, float(s0[sel].mean()), None, "",
                              float(value.mean()), se))
    r, alpha, a, b = bg.params
    p, q, gam = gg.params
    said = (f"BG/NBD (per day) r = {r:.3g}, alpha = {alpha:.3g}, a = {a:.3g}, b = {b:.3g}; Gamma-Gamma p = {p:.3g}, "
            f"q = {q:.3g}, gamma = {gam:.3g}; fitted on {len(data):,} customers"
            + ("" if bg.converged and gg.converged else " (the optimiser did not report convergence)") + ".")
    return tuple(out), said
