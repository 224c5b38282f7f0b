"""Geo test readout: synthetic control with placebo-in-space (permutation) inference.

Method (Abadie, Diamond & Hainmueller 2010, on indexed series):

1. Every market's weekly outcome is divided by its own pre-period mean, so that big and small
   markets sit on one scale (1.0 = a usual pre-test week). The treated markets are summed into
   one series first, then indexed the same way.
2. The synthetic control is a weighted average of the control markets, weights non-negative and
   summing to 1, chosen to minimise the squared pre-period gap (``scipy.optimize.nnls`` with the
   constraint as a weighted row, polished exactly on the active set; see :func:`sc_weights`).
3. The *effect* is the mean post-period gap (treated index − synthetic index): the average
   weekly lift as a share of a usual pre-test week. In money or conversions it is that gap
   times the treated markets' pre-period weekly mean, summed over the test weeks.
4. Placebos: the same fit is run for groups of control markets of the same size as the treated
   group (every single market when one market is treated; otherwise ``n_placebos`` random
   groups), using only the other controls as donors. Their effects show how big an "effect"
   appears by chance. p-value ``= (1 + #{|placebo| ≥ |effect|}) / (1 + #placebos)``; the
   interval inverts that same permutation test under a constant additive effect (see
   :func:`placebo_inference`), so interval and p-value agree.
5. Pre-period fit: RMSPE of the pre-period gap, in the same index units (0.05 = the synthetic
   control misses a usual week by 5 %).

Examples
--------
>>> import numpy as np
>>> x = np.array([[1.0, 2.0], [2.0, 1.0], [1.5, 1.5]])
>>> np.round(sc_weights(x, 0.25 * x[:, 0] + 0.75 * x[:, 1]), 3).tolist()
[0.25, 0.75]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize

__all__ = [
    "ScFit", "critical_rank", "placebo_effects", "placebo_groups", "placebo_inference", "sc_fit", "sc_weights",
    "sc_weights_slsqp",
]


def sc_weights(x_pre: np.ndarray, y_pre: np.ndarray) -> np.ndarray:
    """Weights ``w ≥ 0, Σw = 1`` minimising ``‖x_pre w − y_pre‖²`` (rows = weeks, cols = donors).

    Solved as non-negative least squares (``scipy.optimize.nnls``) with the sum-to-one
    constraint appended as a heavily weighted extra row, then polished on the active set by the
    exact equality-constrained least squares (KKT system). SLSQP gives the same weights (a test
    checks it) but is about 5,000 times slower here, which matters for hundreds of placebo fits.

    Examples
    --------
    >>> sc_weights(np.array([[1.0, 3.0], [1.0, 3.0]]), np.array([5.0, 5.0])).tolist()
    [0.0, 1.0]
    """
    n = x_pre.shape[1]
    if n == 1:
        return np.ones(1)
    lam = 1e3 * max(1.0, float(np.abs(x_pre).max()))
    a = np.vstack([x_pre, np.full((1, n), lam)])
    w, _ = optimize.nnls(a, np.append(y_pre, lam))
    support = np.flatnonzero(w > 1e-10)
    if len(support) == 0:
        return np.full(n, 1.0 / n)
    xs = x_pre[:, support]
    k = len(support)
    kkt = np.block([[xs.T @ xs, np.ones((k, 1))], [np.ones((1, k)), np.zeros((1, 1))]])
    try:
        sol = np.linalg.solve(kkt, np.append(xs.T @ y_pre, 1.0))[:k]
    except np.linalg.LinAlgError:
        sol = None
    out = np.zeros(n)
    if sol is not None and np.all(sol >= 0):
        out[support] = sol
    else:
        out[support] = w[support]
    return np.asarray(out / out.sum())


def sc_weights_slsqp(x_pre: np.ndarray, y_pre: np.ndarray) -> np.ndarray:
    """The same weights by SLSQP (``scipy.optimize.minimize``); slow, kept as the reference.

    Examples
    --------
    >>> x = np.array([[1.0, 2.0], [2.0, 1.0], [1.5, 1.5]])
    >>> np.round(sc_weights_slsqp(x, 0.25 * x[:, 0] + 0.75 * x[:, 1]), 3).tolist()
    [0.25, 0.75]
    """
    n = x_pre.shape[1]
    gram = x_pre.T @ x_pre
    xty = x_pre.T @ y_pre
    res = optimize.minimize(
        lambda w: float(0.5 * w @ gram @ w - xty @ w), np.full(n, 1.0 / n),
        jac=lambda w: np.asarray(gram @ w - xty), method="SLSQP", bounds=[(0.0, 1.0)] * n,
        constraints=[{"type": "eq", "fun": lambda w: w.sum() - 1.0,
                      "jac": lambda w: np.ones_like(w)}],
        options={"ftol": 1e-14, "maxiter": 1000},
    )
    w = np.clip(res.x, 0.0, None)
    return np.asarray(w / w.sum())


@dataclass(frozen=True, eq=False)
class ScFit:
    """One synthetic-control fit on indexed series."""

    weights: np.ndarray
    gap: np.ndarray
    synthetic: np.ndarray
    effect: float
    pre_rmspe: float


def sc_fit(y: np.ndarray, donors: np.ndarray, pre: np.ndarray) -> ScFit:
    """Fit on the weeks where ``pre`` is true; gap and effect over all weeks.

    ``y`` (weeks) and ``donors`` (weeks × markets) are already indexed.

    Examples
    --------
    >>> d = np.array([[1.0, 1.0], [1.0, 1.2], [1.0, 0.8], [1.0, 1.0]])
    >>> f = sc_fit(np.array([1.0, 1.1, 0.9, 1.3]), d, np.array([True, True, True, False]))
    >>> round(f.effect, 3), round(f.pre_rmspe, 6)
    (0.3, 0.0)
    """
    w = sc_weights(donors[pre], y[pre])
    synthetic = donors @ w
    gap = y - synthetic
    post = ~pre
    return ScFit(w, gap, synthetic, float(gap[post].mean()), float(np.sqrt(np.mean(gap[pre] ** 2))))


def index_series(values: np.ndarray, pre: np.ndarray) -> np.ndarray:
    """Divide each column (or a vector) by its pre-period mean."""
    return values / values[pre].mean(axis=0)


def placebo_groups(n_controls: int, size: int, *, n_placebos: int, seed: int) -> list[np.ndarray]:
    """Groups of control positions used as fake treated groups.

    Every single control when ``size == 1``; otherwise ``n_placebos`` distinct random groups
    (all of them when there are fewer possible groups).

    Examples
    --------
    >>> [g.tolist() for g in placebo_groups(3, 1, n_placebos=10, seed=0)]
    [[0], [1], [2]]
    >>> len(placebo_groups(4, 2, n_placebos=100, seed=0))
    6
    """
    if size == 1:
        return [np.array([j]) for j in range(n_controls)]
    from itertools import combinations
    from math import comb

    if comb(n_controls, size) <= n_placebos:
        return [np.array(c) for c in combinations(range(n_controls), size)]
    rng = np.random.default_rng(seed)
    seen: set[tuple[int, ...]] = set()
    out: list[np.ndarray] = []
    while len(out) < n_placebos:
        group = tuple(sorted(rng.choice(n_controls, size=size, replace=False).tolist()))
        if group not in seen:
            seen.add(group)
            out.append(np.array(group))
    return out


def placebo_effects(controls: np.ndarray, pre: np.ndarray,
                    groups: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(effects, pre-period RMSPEs) of each placebo group, controls given in raw units.

    Examples
    --------
    >>> c = np.array([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0], [1.0, 2.0, 3.0]])
    >>> eff, rmspe = placebo_effects(c, np.array([True, True, False]), [np.array([0])])
    >>> eff.tolist(), rmspe.tolist()
    ([0.0], [0.0])
    """
    effects = np.empty(len(groups))
    rmspes = np.empty(len(groups))
    indexed = index_series(controls, pre)
    all_cols = np.arange(controls.shape[1])
    for i, group in enumerate(groups):
        y = index_series(controls[:, group].sum(axis=1), pre)
        donors = indexed[:, np.setdiff1d(all_cols, group)]
        fit = sc_fit(y, donors, pre)
        effects[i], rmspes[i] = fit.effect, fit.pre_rmspe
    return effects, rmspes


def placebo_inference(effect: float, placebo: np.ndarray,
                      *, alpha: float) -> tuple[float, float, float]:
    """(p-value, low, high) of an effect against the placebo effects.

    p-value ``= (1 + #{|placebo| ≥ |effect|}) / (1 + P)``. The interval inverts that same test
    under a constant additive effect: ``effect ± c`` with ``c`` the ``(m+1)``-th largest
    ``|placebo|``, ``m = ⌊α (P + 1)⌋ − 1`` — exactly the shifts the test does not reject, so the
    interval and the p-value never disagree. With ``m < 0`` (fewer than ``1/α − 1`` placebos)
    no shift can be rejected and the interval is unbounded (NaN).

    Examples
    --------
    >>> p, lo, hi = placebo_inference(0.5, np.linspace(-0.1, 0.1, 19), alpha=0.1)
    >>> p, round(lo, 3), round(hi, 3)
    (0.05, 0.4, 0.6)
    """
    p = (1 + np.sum(np.abs(placebo) >= abs(effect) - 1e-12)) / (1 + len(placebo))
    m = critical_rank(len(placebo), alpha)
    if m < 0:
        return float(p), float("nan"), float("nan")
    c = float(np.sort(np.abs(placebo))[::-1][m])
    return float(p), effect - c, effect + c


def critical_rank(n_placebos: int, alpha: float) -> int:
    """``m = ⌊α (P + 1)⌋ − 1``: how many placebos may be more extreme for a rejection at ``α``.

    Examples
    --------
    >>> critical_rank(19, 0.05), critical_rank(199, 0.05), critical_rank(10, 0.05)
    (0, 9, -1)
    """
    return int(np.floor(alpha * (n_placebos + 1) + 1e-9)) - 1
