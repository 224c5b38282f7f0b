"""Customers: covariates, the follower process and lifetimes under both follower statuses.

Time is handled as float days: ``acq`` is days from the window start to acquisition, lifetimes are
days since acquisition. Churn follows a piecewise-exponential baseline hazard ``h0(t)`` (breaks and
rates in the preset) times ``exp(covariate effects)`` times ``churn_hazard_ratio`` from the follow
date on. Inversion of the cumulative hazard is exact and vectorised.

The lifetime is drawn in two stages with independent unit exponentials: ``e1`` decides survival up
to the landmark L under the observed follow history, ``e2`` decides the residual life after L. The
residual is computed under *both* statuses with the same ``e2`` (common random numbers), which is
what the potential-outcome truths use.

Examples
--------
>>> import numpy as np
>>> from roi_kit.datasets.presets import PRESETS
>>> sim = simulate_customers(np.random.default_rng(1), 500, PRESETS["saas"], confounding=1.0,
...                          window_days=730.0, landmark=90)
>>> bool((sim.r1[sim.active_at_l] >= sim.r0[sim.active_at_l]).all())
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from roi_kit.datasets.presets import REGIONS, SIZES, Preset

__all__ = ["CustomerSim", "retention_truth", "simulate_customers"]


@dataclass(frozen=True)
class CustomerSim:
    """Latent arrays of the simulated customers (one entry per customer)."""

    size: np.ndarray            # int code into SIZES
    industry: np.ndarray        # int code into preset.industries
    region: np.ndarray          # int code into REGIONS
    acq: np.ndarray             # days from window start to acquisition
    obs_len: np.ndarray         # days from acquisition to observed_until
    hazard_mult: np.ndarray     # exp(covariate log hazard ratio)
    follow_p: np.ndarray        # probability of becoming a follower
    planned: np.ndarray         # planned follower (bool)
    pre_deal: np.ndarray        # planned follower who followed before the deal was created
    follow_day: np.ndarray      # planned follow day relative to acquisition (inf if none)
    lifetime: np.ndarray        # latent lifetime in days under the observed history
    followed: np.ndarray        # actually followed (planned and did not churn before)
    active_at_l: np.ndarray     # lifetime > L and acquired >= L days before observed_until
    r0: np.ndarray              # residual life after L as non-follower (nan if not active at L)
    r1: np.ndarray              # residual life after L as follower (nan if not active at L)
    landmark: int


def _baseline(preset: Preset) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    breaks = np.asarray(preset.hazard_breaks, dtype=float)
    rates = np.asarray(preset.hazard_rates, dtype=float)
    cum = np.concatenate([[0.0], np.cumsum(np.diff(breaks) * rates[:-1])])
    return breaks, rates, cum


def cum_hazard(t: np.ndarray, preset: Preset) -> np.ndarray:
    """Baseline cumulative hazard ``H0(t)`` (``inf`` stays ``inf``)."""
    breaks, rates, cum = _baseline(preset)
    t = np.asarray(t, dtype=float)
    finite = np.isfinite(t)
    tt = np.where(finite, np.maximum(t, 0.0), 0.0)
    k = np.searchsorted(breaks, tt, side="right") - 1
    out = cum[k] + rates[k] * (tt - breaks[k])
    return np.where(finite, out, np.inf)


def inv_cum_hazard(h: np.ndarray, preset: Preset) -> np.ndarray:
    """Inverse of :func:`cum_hazard`."""
    breaks, rates, cum = _baseline(preset)
    h = np.asarray(h, dtype=float)
    k = np.searchsorted(cum, h, side="right") - 1
    return breaks[k] + (h - cum[k]) / rates[k]


def _logistic(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _acquisition_days(rng: np.random.Generator, n: int, window: float) -> np.ndarray:
    """Acquisition times with linear growth (density ∝ 1 + g x on the window)."""
    g = 0.6
    u = rng.random(n)
    x = (-1.0 + np.sqrt(1.0 + g * (2.0 + g) * u)) / g
    return x * window


def simulate_customers(
    rng: np.random.Generator,
    n: int,
    preset: Preset,
    *,
    confounding: float,
    window_days: float,
    landmark: int,
) -> CustomerSim:
    """Draw covariates, follow plans and lifetimes of ``n`` customers."""
    size = rng.choice(len(SIZES), size=n, p=preset.size_p)
    industry = rng.choice(len(preset.industries), size=n, p=preset.industry_p)
    region = rng.choice(len(REGIONS), size=n, p=preset.region_p)
    acq = _acquisition_days(rng, n, window_days - 1.0)
    obs_len = window_days - acq

    log_hr = (np.asarray(preset.size_log_hr)[size] + np.asarray(preset.industry_log_hr)[industry]
              + np.asarray(preset.region_log_hr)[region])
    hazard_mult = np.exp(log_hr)

    link = (np.asarray(preset.follow_size)[size] + np.asarray(preset.follow_industry)[industry]
            + np.asarray(preset.follow_region)[region])
    follow_p = _logistic(preset.follow_intercept + confounding * link)
    planned = rng.random(n) < follow_p
    pre_deal = planned & (rng.random(n) < preset.pre_deal_follow_share)
    # post-acquisition followers follow within the first 60 days, earlier more often
    post_day = 60.0 * rng.beta(0.9, 1.8, n)
    follow_day = np.where(planned, post_day, np.inf)
    # pre-deal followers: day is filled in by the deal simulation (negative); hazard effect from 0
    follow_day = np.where(pre_deal, 0.0, follow_day)

    hr = preset.churn_hazard_ratio
    e1 = rng.exponential(1.0, n)
    e2 = rng.exponential(1.0, n)
    # stage 1: life up to L under the observed follow history (effect from the follow day)
    h_f = hazard_mult * cum_hazard(follow_day, preset)
    before = e1 < h_f
    target = np.where(
        before, e1 / hazard_mult,
        cum_hazard(np.where(np.isfinite(follow_day), follow_day, 0.0), preset)
        + (e1 - h_f) / (hazard_mult * hr),
    )
    target = np.where(np.isfinite(target), target, e1 / hazard_mult)
    life1 = inv_cum_hazard(target, preset)
    followed = planned & ((follow_day <= 0.0) | (life1 > follow_day))

    # stage 2: residual after L, under both statuses with the same e2
    h_l = cum_hazard(np.full(n, float(landmark)), preset)
    r0 = inv_cum_hazard(h_l + e2 / hazard_mult, preset) - landmark
    r1 = inv_cum_hazard(h_l + e2 / (hazard_mult * hr), preset) - landmark
    survived_l = life1 > landmark
    r_obs = np.where(followed, r1, r0)
    lifetime = np.where(survived_l, landmark + r_obs, life1)
    active_at_l = survived_l & (obs_len >= landmark)
    r0 = np.where(survived_l, r0, np.nan)
    r1 = np.where(survived_l, r1, np.nan)
    return CustomerSim(
        size=size, industry=industry, region=region, acq=acq, obs_len=obs_len,
        hazard_mult=hazard_mult, follow_p=follow_p, planned=planned, pre_deal=pre_deal,
        follow_day=follow_day, lifetime=lifetime, followed=followed, active_at_l=active_at_l,
        r0=r0, r1=r1, landmark=landmark,
    )


def retention_truth(
    sim: CustomerSim, horizons: tuple[int, ...] = (90, 180, 365), tau: float = 365.0
) -> tuple[dict[int, float], float]:
    """Potential-outcome ATEs on survival at ``horizons`` and on RMST up to ``tau`` after L."""
    pop = sim.active_at_l
    r0, r1 = sim.r0[pop], sim.r1[pop]
    if len(r0) == 0:
        return {h: float("nan") for h in horizons}, float("nan")
    diff = {h: float(np.mean(r1 > h) - np.mean(r0 > h)) for h in horizons}
    rmst = float(np.mean(np.minimum(r1, tau) - np.minimum(r0, tau)))
    return diff, rmst
