"""Joint bootstrap of the value of social: resample CUSTOMERS (with their deals), revalue every
component per replicate, and take the interval of the SUM.

The comparison keeps the per-customer arrays it was computed from (:class:`ValueArrays`, built
by :func:`~roi_kit.followers._compare.compare_population`). A replicate gives every customer of
the population a Poisson(1) weight — the same weight for their landmark record, their upsell
window and every one of their won new deals — so no data are re-joined: each component is a
weighted sum over the same arrays with the customer's weight multiplied in.

* retention: Kaplan–Meier of each group on the population's whole days (weights = propensity
  weight × replicate weight), restricted mean up to ``tau``; the curve is the one of
  :func:`~roi_kit.followers._group_survival.group_counts` (checked in tests: with all
  replicate weights 1 it equals the comparison's RMST);
* upsell: difference of (weighted) mean upsell revenue per customer followed for the horizon;
* deal size: difference of (weighted) mean won new deal.

Propensity weights are held at their estimated values (the propensity model is not refitted per
replicate), and the counts that turn per-follower values into totals are held fixed (the value is
that of *these* followers). Because every component sees the same resampled customers, the
interval of the total respects their correlation — which the delta-method sum of independent
standard errors does not.

Examples
--------
>>> import numpy as np
>>> w = poisson_weights(3, 4, seed=0)
>>> w.shape, bool((w >= 0).all())
((3, 4), True)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["ValueArrays", "poisson_weights", "replicate_means", "replicate_rmst"]


@dataclass(frozen=True, eq=False)
class ValueArrays:
    """Per-customer arrays behind one comparison (positions refer to the population's customers).

    ``member`` = population index of every landmark member; ``cell`` = its Kaplan–Meier cell
    (day·4 + non-follower·2 + event) and ``size`` the number of cells; ``weights`` the
    retention propensity weights (None = naive only). ``upsell_member``/``upsell_revenue``/
    ``upsell_treated``/``upsell_weights``: the customers followed for the whole horizon.
    ``deal_customer``/``deal_amount``/``deal_treated``/``deal_weights``: won new deals.
    """

    n_customers: int
    member: np.ndarray
    cell: np.ndarray
    size: int
    weights: np.ndarray | None
    upsell_member: np.ndarray | None = None
    upsell_revenue: np.ndarray | None = None
    upsell_treated: np.ndarray | None = None
    upsell_weights: np.ndarray | None = None
    deal_customer: np.ndarray | None = None
    deal_amount: np.ndarray | None = None
    deal_treated: np.ndarray | None = None
    deal_weights: np.ndarray | None = None


def poisson_weights(n_boot: int, n: int, *, seed: int) -> np.ndarray:
    """``n_boot × n`` Poisson(1) customer weights (the Poisson bootstrap), seeded."""
    return np.random.default_rng(seed).poisson(1.0, size=(n_boot, n)).astype(float)


def replicate_rmst(cell: np.ndarray, size: int, weights: np.ndarray, tau: float) -> np.ndarray:
    """Restricted mean survival up to ``tau`` of followers minus non-followers, per replicate.

    ``weights`` is ``B × n`` (one row per replicate, one column per subject of ``cell``); a
    group with no weight in a replicate gives NaN for that replicate.

    Examples
    --------
    >>> cell = np.array([1 * 4 + 1, 3 * 4 + 1, 2 * 4 + 2 + 1, 4 * 4 + 2])  # days 1, 3 | 2, 4+
    >>> replicate_rmst(cell, 20, np.ones((1, 4)), 4.0).tolist()   # (1 + .5·2) − (2 + .5·2)
    [-1.0]
    """
    b = weights.shape[0]
    cap = int(np.floor(tau)) + 1  # later days only keep subjects at risk: pool them, no events
    if size > (cap + 1) * 4:
        cell = np.where(cell // 4 > cap, cap * 4 + (cell & 2), cell)
        size = (cap + 1) * 4
    flat = (cell[None, :] + size * np.arange(b)[:, None]).ravel()
    cw = np.bincount(flat, weights=weights.ravel(), minlength=size * b).reshape(b, -1, 2, 2)
    d, r = cw[..., 1], cw.sum(axis=3)                      # B × days × group
    at_risk = np.cumsum(r[:, ::-1], axis=1)[:, ::-1]
    with np.errstate(invalid="ignore", divide="ignore"):
        hazard = np.where(at_risk > 0, d / np.where(at_risk > 0, at_risk, 1.0), 0.0)
    surv = np.cumprod(1.0 - hazard, axis=1)                # S after each whole day
    k = int(np.floor(tau))
    days = surv.shape[1]
    full = surv[:, :min(k, days)].sum(axis=1) + max(0, k - days) * surv[:, -1]
    part = (tau - k) * (surv[:, k] if k < days else surv[:, -1])
    area = full + part
    empty = at_risk[:, 0, :] <= 0
    area[empty] = np.nan
    return area[:, 0] - area[:, 1]  # type: ignore[no-any-return]


def replicate_means(y: np.ndarray, treated: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted mean of followers minus non-followers, per replicate (``weights``: B × n)."""
    t = treated.astype(float)
    w1, w0 = weights * t, weights * (1.0 - t)
    s1, s0 = w1.sum(axis=1), w0.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where((s1 > 0) & (s0 > 0), (w1 @ y) / np.where(s1 > 0, s1, 1.0)
                       - (w0 @ y) / np.where(s0 > 0, s0, 1.0), np.nan)
    return out  # type: ignore[no-any-return]
