"""The in-house Bayesian MMM engine (numpy/scipy): what ``rk.fit_mmm`` samples.

Model, on the outcome standardised to mean 0 and sd 1 (``y``)::

    y_t = B_t @ b + sum_c beta_c * (1 - exp(-lam_c * (1 - theta_c) * a_ct / mean(x_c))) + e_t
    a_ct = x_ct + theta_c * a_c,t-1          (geometric adstock of spend or activity x_c)
    e_t ~ N(0, sigma^2)

``B`` holds the intercept, a linear trend, yearly Fourier pairs and the standardised controls.
The steady-state weekly response to spend ``x`` is ``beta_c * (1 - exp(-lam_c * x / mean(x_c)))``.

Priors (weakly informative): ``b ~ N(0, 10^2)``; ``beta_c ~ N(0, 2^2)`` truncated to ``>= 0``
(a channel cannot lose revenue); ``theta_c ~ Beta(2, 2)``; ``log lam_c ~ N(0, 1)``;
``sigma ~ half-N(0, 1)``.

Sampling: the linear coefficients are integrated out analytically (Gaussian marginal likelihood
via the matrix determinant lemma and Woodbury's identity), so an adaptive random-walk Metropolis
sampler (Haario et al. 2001) moves only the ``2 k + 1`` non-linear parameters
``(logit theta, log lam, log sigma)``. Many chains (16 by default) start near the posterior mode
and move in lockstep, so one vectorised evaluation serves all of them; the proposal covariance and
step size are learnt from all chains during tuning, then frozen. For every
kept draw the channel effects ``beta`` are drawn from their exact conditional Gaussian, truncated
to ``>= 0`` by a few Gibbs sweeps. The positivity is applied to these draws, not to the marginal
likelihood the sampler moves on (an approximation, measured by the coverage study).

Lift tests (``lift=``) add exact Gaussian pseudo-observations of the channel effects to the
conjugate update and the marginal likelihood (see :mod:`roi_kit.incrementality._mmm_lift`).

Examples
--------
>>> rng = np.random.default_rng(0)
>>> x = rng.gamma(2.0, 1.0, (60, 1))
>>> y = 5 + 2 * (1 - np.exp(-x[:, 0] / x.mean())) + rng.normal(0, 0.1, 60)
>>> d = sample_mmm(y, base_design(60, seasonality=0, controls=None), x, draws=200, chains=2,
...                seed=1)
>>> d.beta.shape, bool(d.beta.min() >= 0)
((200, 1), True)
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import numpy as np
from scipy import optimize
from scipy.special import expit, ndtr, ndtri

from roi_kit.incrementality._mmm_lift import LiftTerms, lift_effects

__all__ = ["Draws", "base_design", "sample_mmm", "saturated"]

BASE_SD, BETA_SD = 10.0, 2.0


@dataclass(frozen=True)
class Draws:
    """Posterior draws, in the outcome's own units (``beta`` is the weekly response ceiling)."""

    theta: np.ndarray  # (draws, k)
    lam: np.ndarray  # (draws, k)
    beta: np.ndarray  # (draws, k)
    sigma: np.ndarray  # (draws,)
    chain: np.ndarray  # (draws,) chain index of each draw
    xbar: np.ndarray  # (k,) mean weekly spend / activity
    fitted: np.ndarray  # (weeks,) posterior-mode fit of the outcome
    acceptance: float


def base_design(weeks: int, *, seasonality: int, controls: np.ndarray | None) -> np.ndarray:
    """Intercept, centred linear trend, ``seasonality`` yearly Fourier pairs, standardised controls.

    Examples
    --------
    >>> base_design(4, seasonality=1, controls=None).shape
    (4, 4)
    """
    t = np.arange(weeks)
    cols = [np.ones(weeks), t / max(weeks - 1, 1) - 0.5]
    for h in range(1, seasonality + 1):
        cols += [np.sin(2 * np.pi * h * t / 52.18), np.cos(2 * np.pi * h * t / 52.18)]
    if controls is not None and controls.size:
        sd = controls.std(axis=0)
        cols += list(((controls - controls.mean(axis=0)) / np.where(sd > 0, sd, 1.0)).T)
    return np.column_stack(cols)


def saturated(x: np.ndarray, theta: np.ndarray, lam: np.ndarray, xbar: np.ndarray) -> np.ndarray:
    """Adstocked, saturated media columns for parameter sets ``theta, lam`` of shape ``(..., k)``.

    Returns ``(..., weeks, k)``.

    Examples
    --------
    >>> s = saturated(np.array([[2.0], [0.0]]), np.array([0.5]), np.array([1.0]), np.array([1.0]))
    >>> np.round(s[:, 0], 3).tolist()
    [0.632, 0.393]
    """
    theta, lam = np.asarray(theta, float), np.asarray(lam, float)
    ad = np.empty(theta.shape[:-1] + x.shape)
    carry = np.zeros(theta.shape)
    for t in range(x.shape[0]):
        carry = x[t] + theta * carry
        ad[..., t, :] = carry
    rate = (lam * (1.0 - theta) / xbar)[..., None, :]
    return np.asarray(1.0 - np.exp(-rate * ad))


class _Posterior:
    """Log posterior of the non-linear parameters (rows of ``u``) with the linear ones integrated.

    Each lift test adds a pseudo-observation ``value_j = beta_c * e_j(theta, lam) + N(0, se_j^2)``
    (``e_j`` from :func:`lift_effects`): for fixed non-linear parameters it is one more row of the
    Gaussian linear model, with its own known variance, so it enters the conjugate update as
    ``P += d d' / se^2``, ``h += d value / se^2`` and the marginal likelihood exactly.
    """

    def __init__(self, y: np.ndarray, base: np.ndarray, x: np.ndarray,
                 lift: LiftTerms | None = None) -> None:
        self.y, self.base, self.x, self.lift = y, base, x, lift
        self.n, self.pb, self.k = len(y), base.shape[1], x.shape[1]
        self.xbar = x.mean(axis=0)
        self.bb, self.by, self.yy = base.T @ base, base.T @ y, float(y @ y)
        self.prior_prec = np.r_[np.full(self.pb, BASE_SD ** -2), np.full(self.k, BETA_SD ** -2)]
        self.logdet_v = float(-np.log(self.prior_prec).sum())

    def unpack(self, u: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        k = self.k
        return expit(u[..., :k]), np.exp(u[..., k:2 * k]), np.exp(u[..., 2 * k])

    def gaussian(self, u: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(media columns, posterior precision P, h = X'y / sigma^2, sigma) for rows of ``u``."""
        theta, lam, sigma = self.unpack(u)
        s = saturated(self.x, theta, lam, self.xbar)  # (c, n, k)
        pb, p = self.pb, self.pb + self.k
        xtx = np.empty((len(u), p, p))
        xtx[:, :pb, :pb] = self.bb
        cross = np.einsum("np,cnk->cpk", self.base, s)
        xtx[:, :pb, pb:] = cross
        xtx[:, pb:, :pb] = cross.transpose(0, 2, 1)
        xtx[:, pb:, pb:] = np.einsum("cnk,cnj->ckj", s, s)
        s2 = (sigma * sigma)[:, None, None]
        xtx /= s2
        xtx[:, np.arange(p), np.arange(p)] += self.prior_prec
        xty = np.concatenate([np.broadcast_to(self.by, (len(u), pb)), s.transpose(0, 2, 1) @ self.y],
                             axis=1) / s2[:, :, 0]
        if self.lift is not None:  # one pseudo-observation of beta_c per lift test
            lt = self.lift
            w = lift_effects(self.x, lt, theta, lam, self.xbar) / lt.se  # (c, tests)
            rows = np.zeros((len(u), len(lt.se), p))
            rows[:, np.arange(len(lt.se)), pb + lt.channel] = w
            xtx += rows.transpose(0, 2, 1) @ rows
            xty += rows.transpose(0, 2, 1) @ (lt.value / lt.se)
        return s, xtx, xty, sigma

    def logp(self, u: np.ndarray) -> np.ndarray:
        """Log posterior (up to a constant) of each row of ``u``; -inf where undefined."""
        k = self.k
        out = np.full(len(u), -np.inf)
        ok = np.all(np.isfinite(u), axis=1) & np.all(np.abs(u) < 30, axis=1)
        if not ok.any():
            return out
        uu = u[ok]
        _, prec, h, sigma = self.gaussian(uu)
        try:
            chol = np.linalg.cholesky(prec)
        except np.linalg.LinAlgError:
            if len(uu) == 1:
                return out
            out[ok] = np.concatenate([self.logp(row[None]) for row in uu])
            return out
        z = np.linalg.solve(chol, h[:, :, None])[:, :, 0]
        logdet = 2 * np.log(np.diagonal(chol, axis1=1, axis2=2)).sum(axis=1)
        loglik = -0.5 * (self.n * np.log(2 * np.pi * sigma ** 2) + self.logdet_v + logdet
                         + self.yy / sigma ** 2 - (z * z).sum(axis=1))
        if self.lift is not None:
            lt = self.lift
            loglik -= 0.5 * float(np.sum(np.log(2 * np.pi * lt.se ** 2) + (lt.value / lt.se) ** 2))
        th, ll, ls = uu[:, :k], uu[:, k:2 * k], uu[:, 2 * k]
        # Beta(2, 2) on theta in logit space (with Jacobian), N(0,1) on log lam, half-N on sigma.
        lp = np.sum(-2 * np.logaddexp(0, -th) - 2 * np.logaddexp(0, th), axis=1)
        lp += -0.5 * (ll * ll).sum(axis=1) - 0.5 * np.exp(2 * ls) + ls
        out[ok] = loglik + lp
        return out


def _mode(post: _Posterior, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Posterior mode (L-BFGS) and a proposal covariance from its curvature."""
    d = 2 * post.k + 1
    u0 = np.r_[np.full(post.k, -0.5), np.zeros(post.k), np.log(0.3)] + rng.normal(0, 0.05, d)
    res = optimize.minimize(lambda u: -float(post.logp(u[None])[0]), u0, method="L-BFGS-B",
                            options={"maxiter": 300})
    cov = np.asarray(res.hess_inv.todense()) if hasattr(res.hess_inv, "todense") else np.eye(d)
    cov = 0.5 * (cov + cov.T) + np.eye(d) * 1e-4
    w, v = np.linalg.eigh(cov)
    cov = (v * np.clip(w, 1e-4, 1.0)) @ v.T  # keep the proposal sane if the curvature is poor
    return np.asarray(res.x), cov


def _chains(post: _Posterior, start: np.ndarray, cov: np.ndarray, tune: int, steps: int,
            thin: int, rng: np.random.Generator) -> tuple[np.ndarray, float]:
    """Adaptive random-walk Metropolis on all chains at once; returns (chains, kept, d), accept."""
    c, d = start.shape
    log_scale = np.log(2.38 ** 2 / d)
    u, lp = start.copy(), post.logp(start)
    emp = cov
    chol = np.linalg.cholesky(emp * np.exp(log_scale))
    hist, kept, accepted, recent = [], [], 0.0, 0.0
    for it in range(tune + steps):
        prop = u + rng.standard_normal((c, d)) @ chol.T
        lp_new = post.logp(prop)
        move = np.log(rng.random(c)) < lp_new - lp
        u[move], lp[move] = prop[move], lp_new[move]
        recent += move.mean()
        if it >= tune:
            accepted += move.mean()
            if (it - tune) % thin == thin - 1:
                kept.append(u.copy())
            continue
        hist.append(u.copy())
        if it % 25 == 24:
            log_scale += 2.0 * (recent / 25 - 0.25) / np.sqrt(it / 25 + 1)
            recent = 0.0
            if it >= 200:
                pooled = np.concatenate(hist[len(hist) // 2:])
                emp = np.cov(pooled.T) + np.eye(d) * 1e-6
            with contextlib.suppress(np.linalg.LinAlgError):
                chol = np.linalg.cholesky(emp * np.exp(log_scale))
    return np.stack(kept, axis=1), accepted / max(steps, 1)


def _truncated_beta(post: _Posterior, us: np.ndarray, rng: np.random.Generator,
                    sweeps: int = 20) -> np.ndarray:
    """Media effects per draw from their conditional Gaussian, truncated to >= 0 (Gibbs)."""
    k, pb = post.k, post.pb
    _, prec, h, _ = post.gaussian(us)
    cov = np.linalg.inv(prec)
    m = (cov @ h[:, :, None])[:, pb:, 0]
    q = np.linalg.inv(cov[:, pb:, pb:])  # precision of the media block (base integrated out)
    qd = np.diagonal(q, axis1=1, axis2=2)
    sd = 1.0 / np.sqrt(qd)
    b = np.maximum(m, 0.0)
    for _ in range(sweeps):
        for c in range(k):
            dev = b - m
            mu = m[:, c] - ((q[:, c, :] * dev).sum(axis=1) - qd[:, c] * dev[:, c]) / qd[:, c]
            lo = ndtr(-mu / sd[:, c])  # probability of a draw below zero
            uu = np.minimum(lo + rng.random(len(us)) * (1.0 - lo), 1 - 1e-16)
            b[:, c] = np.maximum(mu + sd[:, c] * ndtri(uu), 0.0)
    return b


def sample_mmm(y: np.ndarray, base: np.ndarray, x: np.ndarray, *, draws: int = 1000,
               chains: int = 16, tune: int = 2000, steps: int = 3000, seed: int = 0,
               lift: LiftTerms | None = None) -> Draws:
    """Posterior draws of the MMM (see the module docstring) for outcome ``y`` and media ``x``.

    ``lift`` (in the outcome's units) adds the lift-test pseudo-observations of :class:`_Posterior`.
    """
    rng = np.random.default_rng(seed)
    centre, spread = float(y.mean()), float(y.std()) or 1.0
    post = _Posterior((y - centre) / spread, base, x, None if lift is None else lift.scaled(spread))
    mode, cov = _mode(post, rng)
    per_chain = -(-draws // chains)
    thin = max(1, steps // per_chain)
    start = mode + rng.multivariate_normal(np.zeros(len(mode)), cov, size=chains)
    bad = ~np.isfinite(post.logp(start))
    start[bad] = mode
    kept, acceptance = _chains(post, start, cov, tune, per_chain * thin, thin, rng)
    chain = np.repeat(np.arange(chains), kept.shape[1])
    us = kept.reshape(-1, kept.shape[2])
    beta = _truncated_beta(post, us, rng)
    k = x.shape[1]
    s_mode, prec, h, _ = post.gaussian(mode[None])
    coef = np.linalg.solve(prec[0], h[0])
    fitted = centre + spread * (np.hstack([base, s_mode[0]]) @ coef)
    return Draws(theta=expit(us[:, :k]), lam=np.exp(us[:, k:2 * k]), beta=beta * spread,
                 sigma=np.exp(us[:, 2 * k]) * spread, chain=chain, xbar=post.xbar,
                 fitted=fitted, acceptance=float(acceptance))
