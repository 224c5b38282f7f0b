"""BG/NBD and Gamma-Gamma by maximum likelihood (scipy): repeat purchases and spend per purchase.

Models (Fader, Hardie & Lee 2005, "Counting your customers the easy way"; Fader, Hardie & Lee
2005, "RFM and CLV"):

* **BG/NBD** — while alive a customer buys at rate ``λ ~ Gamma(r, α)`` (rate α); after each
  purchase they drop out with probability ``p ~ Beta(a, b)``. Data per customer: ``x`` repeat
  purchases, recency ``t_x`` (first to last purchase) and age ``T`` (first purchase to the data
  end). Log-likelihood (their eq. 6) and the expected purchases in the next ``t`` (eq. 10, with
  Gauss's hypergeometric ₂F₁) are implemented as written there.
* **Gamma-Gamma** — each purchase's value ``z ~ Gamma(p, ν)`` with ``ν ~ Gamma(q, γ)``; the
  expected spend per purchase of a customer with ``x`` repeat purchases of mean value ``m`` is
  ``p(γ + x·m) / (p·x + q − 1)``. Fitted on customers with at least one repeat purchase.

Parameters are fitted on the log scale (L-BFGS-B); their covariance is the inverse of a
finite-difference Hessian of the negative log-likelihood — the delta-method intervals of
:func:`~roi_kit.customer_lifetime_value` use it.

Examples
--------
>>> rng = np.random.default_rng(1)
>>> x, tx, T, _ = simulate_bgnbd(rng, 3000, r=0.25, alpha=4.0, a=0.8, b=2.5, T=52.0)
>>> fit = fit_bgnbd(x, tx, T)
>>> [round(float(v), 1) for v in fit.params]  # r, alpha, a, b
[0.2, 3.8, 0.8, 2.6]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special

from roi_kit.errors import EmptyDataError

__all__ = ["Fit", "bgnbd_expected", "bgnbd_loglik", "fit_bgnbd", "fit_gamma_gamma", "gamma_gamma_loglik",
           "gamma_gamma_spend", "hessian_cov", "simulate_bgnbd"]


@dataclass(frozen=True, eq=False)
class Fit:
    """Fitted parameters (natural scale), the covariance of their logs, and the log-likelihood."""

    params: np.ndarray
    log_cov: np.ndarray | None
    loglik: float
    converged: bool


def bgnbd_loglik(params: np.ndarray, x: np.ndarray, tx: np.ndarray, T: np.ndarray) -> np.ndarray:
    """Per-customer BG/NBD log-likelihood at ``params = (r, alpha, a, b)``."""
    r, alpha, a, b = params
    a1 = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
    a2 = special.gammaln(a + b) + special.gammaln(b + x) - special.gammaln(b) - special.gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + T)
    rep = x > 0
    a4 = np.where(rep, np.log(a) - np.log(np.where(rep, b + x - 1, 1.0)) - (r + x) * np.log(alpha + tx), -np.inf)
    return a1 + a2 + np.logaddexp(a3, a4)  # type: ignore[no-any-return]


def bgnbd_expected(params: np.ndarray, x: np.ndarray, tx: np.ndarray, T: np.ndarray,
                   t: float) -> tuple[np.ndarray, np.ndarray]:
    """Expected purchases in the next ``t`` and the probability of being alive, per customer."""
    r, alpha, a, b = params
    rep = x > 0
    ratio = np.where(rep, a / np.where(rep, b + x - 1, 1.0) * ((alpha + T) / (alpha + tx)) ** (r + x), 0.0)
    alive = 1.0 / (1.0 + ratio)
    hyp = special.hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t))
    head = (a + b + x - 1) / (a - 1)  # eq. 10 holds for a < 1 too (both factors change sign)
    expected = head * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp) * alive
    return expected, alive


def gamma_gamma_loglik(params: np.ndarray, x: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Per-customer Gamma-Gamma log-likelihood of the mean repeat spend ``m`` at ``(p, q, gamma)``."""
    p, q, g = params
    px = p * x
    return (special.gammaln(px + q) - special.gammaln(px) - special.gammaln(q) + q * np.log(g)  # type: ignore[no-any-return]
            + (px - 1) * np.log(m) + px * np.log(x) - (px + q) * np.log(g + x * m))


def gamma_gamma_spend(params: np.ndarray, x: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Expected spend per purchase of each customer (the population mean where ``x = 0``)."""
    p, q, g = params
    mm = np.where(x > 0, m, 0.0)
    return p * (g + x * mm) / (p * x + q - 1)  # type: ignore[no-any-return]


def hessian_cov(nll: Callable[[np.ndarray], float], theta: np.ndarray) -> np.ndarray | None:
    """Inverse of the central finite-difference Hessian of ``nll`` at ``theta`` (None if singular)."""
    k = theta.size
    h = 1e-4 * np.maximum(1.0, np.abs(theta))
    hess = np.empty((k, k))
    for i in range(k):
        for j in range(i, k):
            ei, ej = np.eye(k)[i] * h[i], np.eye(k)[j] * h[j]
            v = (nll(theta + ei + ej) - nll(theta + ei - ej) - nll(theta - ei + ej) + nll(theta - ei - ej))
            hess[i, j] = hess[j, i] = v / (4 * h[i] * h[j])
    try:
        cov = np.linalg.inv(hess)
    except np.linalg.LinAlgError:
        return None
    return cov if np.all(np.isfinite(cov)) and np.all(np.diag(cov) > 0) else None


def _fit(nll: Callable[[np.ndarray], float], start: np.ndarray) -> Fit:
    res = optimize.minimize(nll, np.log(start), method="L-BFGS-B", bounds=[(-10.0, 10.0)] * start.size)
    return Fit(np.exp(res.x), hessian_cov(nll, res.x), -float(res.fun), bool(res.success))


def fit_bgnbd(x: np.ndarray, tx: np.ndarray, T: np.ndarray) -> Fit:
    """Maximum-likelihood BG/NBD parameters ``(r, alpha, a, b)``."""
    if x.size < 10 or not (x > 0).any():
        raise EmptyDataError(f"BG/NBD needs repeat purchases from several customers; got {x.size} customers, "
                             f"{int((x > 0).sum())} with a repeat purchase.",
                             hint="pass more transactions (at least a few dozen customers, some buying twice).")
    scale = float(np.mean(T)) or 1.0

    def nll(theta: np.ndarray) -> float:
        return -float(np.sum(bgnbd_loglik(np.exp(theta), x, tx, T))) / x.size

    fit = _fit(nll, np.array([1.0, scale, 1.0, 1.0]))
    cov = None if fit.log_cov is None else fit.log_cov / x.size
    return Fit(fit.params, cov, fit.loglik * x.size, fit.converged)


def fit_gamma_gamma(x: np.ndarray, m: np.ndarray) -> Fit:
    """Maximum-likelihood Gamma-Gamma parameters ``(p, q, gamma)`` from repeat buyers' mean spend."""
    keep = (x > 0) & (m > 0)
    if keep.sum() < 10:
        raise EmptyDataError(f"Gamma-Gamma needs at least 10 customers with a repeat purchase and a positive "
                             f"amount; got {int(keep.sum())}.", hint="pass transactions with amounts.")
    xs, ms = x[keep], m[keep]

    def nll(theta: np.ndarray) -> float:
        return -float(np.sum(gamma_gamma_loglik(np.exp(theta), xs, ms))) / xs.size

    fit = _fit(nll, np.array([2.0, 3.0, float(np.mean(ms))]))
    cov = None if fit.log_cov is None else fit.log_cov / xs.size
    return Fit(fit.params, cov, fit.loglik * xs.size, fit.converged)


def simulate_bgnbd(rng: np.random.Generator, n: int, *, r: float, alpha: float, a: float, b: float,
                   T: float, future: float = 0.0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Draw ``(x, t_x, T, y)`` for ``n`` customers observed for ``T`` from the BG/NBD model;
    ``y`` counts each customer's purchases in ``(T, T + future]`` (the holdout truth)."""
    lam = rng.gamma(r, 1.0 / alpha, n)
    p = rng.beta(a, b, n)
    t, x, tx, y = np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n)
    active = np.ones(n, dtype=bool)
    while active.any():
        idx = np.flatnonzero(active)
        t[idx] += rng.exponential(1.0 / np.maximum(lam[idx], 1e-12))
        inside, later = t[idx] <= T, (t[idx] > T) & (t[idx] <= T + future)
        x[idx[inside]] += 1
        tx[idx[inside]] = t[idx[inside]]
        y[idx[later]] += 1
        buy = idx[inside | later]
        active[idx[~(inside | later)]] = False
        active[buy[rng.random(buy.size) < p[buy]]] = False
    return x, tx, np.full(n, T), y
