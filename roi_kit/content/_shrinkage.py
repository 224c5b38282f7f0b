"""Empirical-Bayes shrinkage of cell rates towards a group mean (numpy/scipy on small tables).

Two models, both fitted on sufficient statistics per cell (computed in the caller's engine):

``normal`` (default) — a normal–normal (one-way random-effects) model on *per-post* rates. Post
rate ``r_ij = θ_j + ε_ij`` with ``ε ~ N(0, σ²)`` and cell effects ``θ_j ~ N(μ, τ²)``. σ² is the
pooled within-cell variance, τ² the ANOVA method-of-moments estimate (truncated at 0), μ the
precision-weighted mean. A cell's estimate is ``μ + (1 − B_j)(r̄_j − μ)`` with
``B_j = (σ²/n_j) / (σ²/n_j + τ²)``: the fewer posts, the closer to μ. Post-to-post variation is what
makes a two-post cell unreliable, and this model measures exactly that.

``beta-binomial`` — engagements out of impressions per cell with a Beta(α, β) prior fitted by
maximum marginal likelihood. Pooled impressions overstate the information in a cell (posts differ
far more than binomial noise), so the counts are first divided by the dispersion factor
φ = Pearson χ² / df of posts around their cell rate (quasi-binomial). Without that correction a
cell with two posts and 20,000 impressions would look as certain as one with 40 posts.

Examples
--------
>>> import numpy as np
>>> out = normal_normal(np.array([2.0, 40.0]), np.array([0.2, 2.0]), np.array([0.0202, 0.104]))
>>> bool(abs(out.shrunk[0] - out.mu) < abs(out.raw[0] - out.mu))
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize, special, stats

__all__ = ["Shrunk", "beta_binomial", "normal_normal"]


@dataclass(frozen=True)
class Shrunk:
    """Shrunk cell estimates with posterior intervals and the fitted prior.

    ``raw`` cell rate, ``shrunk`` posterior mean, ``sd`` posterior sd, ``ci_low``/``ci_high``,
    ``weight`` = share of the cell's own data in the estimate (1 − B), ``mu`` prior mean,
    ``tau`` between-cell sd of true rates, ``sigma`` within-cell post sd (normal model) and
    ``phi`` the overdispersion factor (beta-binomial), ``note`` a caveat in words or "".
    """

    raw: np.ndarray
    shrunk: np.ndarray
    sd: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    weight: np.ndarray
    mu: float
    tau: float
    sigma: float
    phi: float
    note: str


def normal_normal(n: np.ndarray, s1: np.ndarray, s2: np.ndarray, *,
                  conf_level: float = 0.95) -> Shrunk:
    """Normal–normal empirical Bayes from per-cell post counts, sums and sums of squares.

    Parameters
    ----------
    n, s1, s2
        Per cell: number of posts, sum of post rates, sum of squared post rates.
    conf_level
        Level of the posterior intervals.
    """
    n = np.asarray(n, float)
    s1 = np.asarray(s1, float)
    s2 = np.asarray(s2, float)
    z = stats.norm.ppf(0.5 + conf_level / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = np.where(n > 0, s1 / n, np.nan)
    big_n, cells = n.sum(), int((n > 0).sum())
    if big_n == 0:
        nan = np.full(n.shape, np.nan)
        return Shrunk(nan, nan, nan, nan, nan, nan, np.nan, np.nan, np.nan, np.nan, "no posts.")
    grand = s1.sum() / big_n
    ssw = float(np.sum(np.where(n > 0, s2 - s1 * s1 / np.maximum(n, 1), 0.0)))
    dfw = big_n - cells
    note = ""
    if dfw > 0:
        sigma2 = max(ssw / dfw, 0.0)
    else:
        sigma2 = max(float(s2.sum() / big_n - grand**2) * big_n / max(big_n - 1, 1), 0.0)
        note = ("every time slot has at most one post, so post-to-post noise cannot be told apart "
                "from slot differences; all slots were pulled fully to the mean.")
    if cells > 1 and dfw > 0:
        msb = float(np.nansum(n * (raw - grand) ** 2) / (cells - 1))
        n0 = (big_n - float((n * n).sum()) / big_n) / (cells - 1)
        tau2 = max((msb - sigma2) / n0, 0.0) if n0 > 0 else 0.0
    else:
        tau2 = 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        v = np.where(n > 0, sigma2 / n, np.inf)
        w = np.where(n > 0, 1.0 / (tau2 + v), 0.0)
    if tau2 == 0.0 or not np.isfinite(w).all() or w.sum() == 0:
        mu, var_mu = grand, (sigma2 / big_n if big_n else np.nan)
    else:
        mu, var_mu = float((w * np.nan_to_num(raw)).sum() / w.sum()), float(1.0 / w.sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        b = np.where(n > 0, v / (v + tau2), 1.0) if tau2 > 0 else np.ones_like(n)
        b = np.where(np.isfinite(b), b, 1.0)
    shrunk = mu + (1 - b) * (np.nan_to_num(raw, nan=mu) - mu)
    post_var = np.where(n > 0, (1 - b) * np.where(np.isfinite(v), v, 0.0), tau2) + b * b * var_mu
    sd = np.sqrt(np.maximum(post_var, 0.0))
    return Shrunk(raw, shrunk, sd, shrunk - z * sd, shrunk + z * sd, 1 - b, float(mu),
                  float(np.sqrt(tau2)), float(np.sqrt(sigma2)), float("nan"), note)


def overdispersion(n: np.ndarray, e: np.ndarray, m: np.ndarray, e2_over_m: np.ndarray) -> float:
    """Quasi-binomial dispersion φ = Σ Pearson χ² / Σ (n_j − 1) of posts around their cell rate.

    Per cell, χ² = (Σ e_i²/m_i − E·p)/(p(1 − p)) with p = E/M; cells with one post or p in
    {0, 1} carry no information. Returns at least 1.
    """
    n, e, m, q = (np.asarray(a, float) for a in (n, e, m, e2_over_m))
    with np.errstate(divide="ignore", invalid="ignore"):
        p = e / m
        ok = (n >= 2) & (p > 0) & (p < 1) & (m > 0)
        chi2 = (q[ok] - e[ok] * p[ok]) / (p[ok] * (1 - p[ok]))
    df = float((n[ok] - 1).sum())
    if df <= 0:
        return 1.0
    return max(float(chi2.sum() / df), 1.0)


def beta_binomial(n: np.ndarray, e: np.ndarray, m: np.ndarray, e2_over_m: np.ndarray, *,
                  conf_level: float = 0.95) -> Shrunk:
    """Beta-binomial empirical Bayes on dispersion-corrected counts per cell.

    Parameters
    ----------
    n, e, m, e2_over_m
        Per cell: posts, summed successes (engagements), summed trials (impressions) and
        Σ e_i²/m_i over the cell's posts (for the dispersion factor).
    conf_level
        Level of the equal-tailed posterior intervals.
    """
    n, e, m = (np.asarray(a, float) for a in (n, e, m))
    e = np.minimum(e, m)
    phi = overdispersion(n, e, m, e2_over_m)
    ee, mm = e / phi, m / phi
    ok = mm > 0
    total_e, total_m = ee[ok].sum(), mm[ok].sum()
    note = ""
    if total_m == 0:
        nan = np.full(n.shape, np.nan)
        return Shrunk(nan, nan, nan, nan, nan, nan, np.nan, np.nan, np.nan, phi, "no impressions.")
    p0 = min(max(total_e / total_m, 1e-6), 1 - 1e-6)

    def nll(theta: np.ndarray) -> float:
        mu, kappa = special.expit(theta[0]), np.exp(theta[1])
        a, b = mu * kappa, (1 - mu) * kappa
        return -float(np.sum(special.betaln(ee[ok] + a, mm[ok] - ee[ok] + b) - special.betaln(a, b)))

    fit = optimize.minimize(nll, x0=np.array([special.logit(p0), np.log(100.0)]),
                            method="L-BFGS-B", bounds=[(-15, 15), (-5, np.log(1e9))])
    mu, kappa = float(special.expit(fit.x[0])), float(np.exp(fit.x[1]))
    if kappa >= 1e9 * 0.99:
        note = "slots do not differ beyond noise: every slot was pulled to the mean."
    a, b = mu * kappa, (1 - mu) * kappa
    pa, pb = a + ee, b + mm - ee
    shrunk = pa / (pa + pb)
    sd = np.sqrt(pa * pb / ((pa + pb) ** 2 * (pa + pb + 1)))
    lo = stats.beta.ppf((1 - conf_level) / 2, pa, pb)
    hi = stats.beta.ppf(0.5 + conf_level / 2, pa, pb)
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = np.where(m > 0, e / m, np.nan)
    tau = float(np.sqrt(mu * (1 - mu) / (kappa + 1)))
    return Shrunk(raw, shrunk, sd, lo, hi, mm / (mm + kappa), mu, tau, float("nan"), phi, note)
