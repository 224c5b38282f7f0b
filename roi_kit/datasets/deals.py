"""Deals: new business (won by customers, lost/open for prospects), upsells and renewals.

* **New deals.** Each customer won exactly one new deal at ``acquired_at``, created ``d`` days
  earlier. The amount is ``base × deal_size_ratio`` and the days to close ``d0 × close_time_ratio``
  when the customer (or prospect) followed before the deal was created. Prospects who never became
  customers have lost deals (closed) or open deals (``closed_at`` is NaT, their latent close date
  lies after the end of the window). A prospect follows before their deal with the customer's
  pre-deal follow odds divided by ``prospect_win_odds_ratio``
  (:func:`~roi_kit.datasets.prospects.prospect_follow_p`), which plants the follower win-rate lift.
* **Upsells.** Won upsells arrive as a Poisson process while the customer is active, with rate
  ``λ_i`` (company size) times ``upsell_rate_ratio`` from the follow date on. After the landmark the
  process is drawn once on the integrated-intensity scale and read under both follower statuses
  (and both residual lifetimes), which gives the potential-outcome upsell truths. Lost/open upsell
  attempts come from an independent process that follow status does not change.
* **Renewals** (saas): a won renewal at every anniversary while active, a lost one when the customer
  churned in the 45 days before it.

Examples
--------
>>> import numpy as np
>>> from roi_kit.datasets.customers import simulate_customers
>>> from roi_kit.datasets.presets import PRESETS
>>> p = PRESETS["saas"]
>>> rng = np.random.default_rng(3)
>>> sim = simulate_customers(rng, 300, p, confounding=1.0, window_days=730.0, landmark=90)
>>> d = simulate_deals(rng, sim, p, window_days=730.0, confounding=1.0)
>>> sorted(KINDS[k] for k in set(d.frame["kind"]))
['new', 'renewal', 'upsell']
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from roi_kit.datasets.customers import CustomerSim
from roi_kit.datasets.presets import REGIONS, SIZES, Preset
from roi_kit.datasets.prospects import customer_pre_deal_p, prospect_follow_p

__all__ = ["KINDS", "STATUSES", "DealSim", "simulate_deals"]

STATUSES: tuple[str, ...] = ("won", "lost", "open")
KINDS: tuple[str, ...] = ("new", "upsell", "renewal")
WON, LOST, OPEN = 0, 1, 2
KIND_NEW, KIND_UPSELL, KIND_RENEWAL = 0, 1, 2


@dataclass(frozen=True)
class DealSim:
    """Deal rows (times as float days from the window start) plus the truths they carry."""

    frame: pd.DataFrame              # owner (customer index or -1-prospect index), kind and
                                     # status (codes into KINDS / STATUSES), created,
                                     # closed (days, nan = open), amount
    base_amount: np.ndarray          # per customer: new-deal amount without the follow effect
    new_amount: np.ndarray           # per customer: observed new-deal amount
    created_new: np.ndarray          # per customer: new deal creation (days from window start)
    prospect_size: np.ndarray
    prospect_region: np.ndarray
    prospect_follow: np.ndarray      # prospect followed before their deal
    prospect_follow_at: np.ndarray   # days from window start (nan if not following)
    customer_follow_at: np.ndarray   # days from window start of the pre-deal follow (nan if none)
    deal_size_diff: float
    median_close_days: dict[str, float]
    upsell_share_diff_365: float
    upsell_revenue_diff_365: float
    n_landmark_365: int
    n_follow_v1: int = 0             # following prospects under the first generator's rule
                                     # (customers' odds × 0.3): sizes the draws that keep the
                                     # customers' audience rows as they were (audience.py)


def _amount_base(rng: np.random.Generator, size: np.ndarray, p: Preset) -> np.ndarray:
    mult = np.asarray(p.amount_size_mult)[size]
    return np.round(p.amount_median * mult * np.exp(p.amount_sigma * rng.standard_normal(len(size))),
                    -1 if p.amount_median > 1000 else 0)


def _close_base(rng: np.random.Generator, size: np.ndarray, p: Preset) -> np.ndarray:
    mult = np.asarray(p.close_size_mult)[size]
    return p.close_median_days * mult * np.exp(p.close_sigma * rng.standard_normal(len(size)))


def _poisson_points(rng: np.random.Generator, limit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unit-rate Poisson points on ``[0, limit_i)`` per row: (row index, position)."""
    limit = np.where(np.isfinite(limit) & (limit > 0), limit, 0.0)
    counts = rng.poisson(limit)
    owner = np.repeat(np.arange(len(limit)), counts)
    pos = rng.random(len(owner)) * limit[owner]
    return owner, pos


def _new_deals(rng: np.random.Generator, sim: CustomerSim, p: Preset, window: float, confounding: float):
    n = len(sim.acq)
    base = _amount_base(rng, sim.size, p)
    d0 = _close_base(rng, sim.size, p)
    amount = np.where(sim.pre_deal, base * p.deal_size_ratio, base)
    d_obs = np.where(sim.pre_deal, d0 * p.close_time_ratio, d0)
    created = sim.acq - d_obs
    follow_at = np.where(sim.pre_deal, created - rng.uniform(1.0, 90.0, n), np.nan)

    # prospects: same covariate mix, deals created inside the window, never won
    n_pros = round(n * (1.0 - p.win_rate) / p.win_rate)
    psize = rng.choice(len(SIZES), size=n_pros, p=p.size_p)
    pregion = rng.choice(len(REGIONS), size=n_pros, p=p.region_p)
    pind = rng.choice(len(p.industries), size=n_pros, p=p.industry_p)
    u = rng.random(n_pros)
    pfollow = u < prospect_follow_p(p, psize, pregion, pind, confounding=confounding)
    # how many followed under the rule before the planted effect (see DealSim.n_follow_v1)
    n_v1 = int((u < customer_pre_deal_p(p, psize, pregion, pind, confounding=1.0) * 0.3).sum())
    pbase = _amount_base(rng, psize, p)
    pd0 = _close_base(rng, psize, p)
    pamount = np.where(pfollow, pbase * p.deal_size_ratio, pbase)
    pd_obs = np.where(pfollow, pd0 * p.close_time_ratio, pd0)
    pcreated = rng.random(n_pros) * (window - 1.0)
    pclosed = pcreated + pd_obs
    popen = pclosed > window
    pfollow_at = np.where(pfollow, pcreated - rng.uniform(1.0, 90.0, n_pros), np.nan)

    frame = pd.DataFrame({
        "owner": np.concatenate([np.arange(n), -1 - np.arange(n_pros)]),
        "kind": KIND_NEW,
        "status": np.concatenate([np.full(n, WON, dtype=np.int8),
                                  np.where(popen, OPEN, LOST).astype(np.int8)]),
        "created": np.concatenate([created, pcreated]),
        "closed": np.concatenate([sim.acq, np.where(popen, np.nan, pclosed)]),
        "amount": np.concatenate([amount, pamount]),
    })
    deal_size_diff = float(np.mean(base) * (p.deal_size_ratio - 1.0)) if n else float("nan")
    all_d0 = np.concatenate([d0, pd0])
    medians = {"followers": float(np.median(all_d0 * p.close_time_ratio)),
               "non_followers": float(np.median(all_d0))}
    extra = (psize, pregion, pfollow, pfollow_at, follow_at, created, n_v1)
    return frame, base, amount, deal_size_diff, medians, extra


def _upsells(rng: np.random.Generator, sim: CustomerSim, p: Preset, base: np.ndarray,
             window: float) -> tuple[pd.DataFrame, float, float, int]:
    n = len(sim.acq)
    L = float(sim.landmark)
    ratio = p.upsell_rate_ratio
    lam = p.upsell_rate_per_year / 365.0 * np.exp(np.asarray(p.upsell_size_log)[sim.size])
    f = np.where(sim.followed, np.maximum(sim.follow_day, 0.0), np.inf)
    end_pre = np.minimum(np.minimum(sim.lifetime, L), sim.obs_len)

    # before the landmark: rate λ, times `ratio` after the follow day
    def integ(t: np.ndarray) -> np.ndarray:
        return lam * (np.minimum(t, f) + ratio * np.maximum(t - f, 0.0))

    owner, u = _poisson_points(rng, integ(end_pre))
    lf = (lam * np.where(np.isfinite(f), f, 0.0))[owner]
    t_pre = np.where(np.isfinite(f[owner]) & (u >= lf),
                     f[owner] + (u - lf) / (lam[owner] * ratio), u / lam[owner])

    # after the landmark: one process on the integrated scale, read under both statuses
    survived = np.isfinite(sim.r0)
    m_obs = np.where(sim.followed, ratio, 1.0)
    r_obs = np.where(sim.followed, sim.r1, sim.r0)
    d_obs = np.where(survived, np.minimum(r_obs, sim.obs_len - L), 0.0)
    d_obs = np.maximum(d_obs, 0.0)
    u_obs = lam * m_obs * d_obs
    pop365 = sim.active_at_l & (sim.obs_len >= L + 365.0)
    w1 = np.where(pop365, lam * ratio * np.minimum(sim.r1, 365.0), 0.0)
    w0 = np.where(pop365, lam * np.minimum(sim.r0, 365.0), 0.0)
    owner2, u2 = _poisson_points(rng, np.maximum(np.maximum(u_obs, w1), w0))
    amt2 = np.round(base[owner2] * p.upsell_amount_share
                    * np.exp(0.3 * rng.standard_normal(len(owner2))), 0)
    if pop365.any():
        in1, in0 = u2 < w1[owner2], u2 < w0[owner2]
        c1 = np.bincount(owner2[in1], minlength=n)[pop365]
        c0 = np.bincount(owner2[in0], minlength=n)[pop365]
        v1 = np.bincount(owner2[in1], weights=amt2[in1], minlength=n)[pop365]
        v0 = np.bincount(owner2[in0], weights=amt2[in0], minlength=n)[pop365]
        share_diff = float(np.mean(c1 > 0) - np.mean(c0 > 0))
        rev_diff = float(np.mean(v1 - v0))
    else:
        share_diff = rev_diff = float("nan")
    keep = u2 < u_obs[owner2]
    owner2, u2, amt2 = owner2[keep], u2[keep], amt2[keep]
    t_post = L + u2 / (lam[owner2] * m_obs[owner2])

    won_owner = np.concatenate([owner, owner2])
    won_t = np.concatenate([t_pre, t_post])
    amt1 = np.round(base[owner] * p.upsell_amount_share
                    * np.exp(0.3 * rng.standard_normal(len(owner))), 0)
    won_amt = np.concatenate([amt1, amt2])
    closed = sim.acq[won_owner] + won_t
    lag = p.close_median_days * 0.5 * np.exp(0.5 * rng.standard_normal(len(won_owner)))
    created = np.maximum(closed - lag, sim.acq[won_owner])
    won = pd.DataFrame({"owner": won_owner, "kind": KIND_UPSELL, "status": WON, "created": created,
                        "closed": closed, "amount": won_amt})

    # lost / open upsell attempts: independent of following
    active_len = np.minimum(sim.lifetime, sim.obs_len)
    lo, lu = _poisson_points(rng, lam * p.lost_upsell_share * active_len)
    lcreated = sim.acq[lo] + lu / (lam[lo] * p.lost_upsell_share)
    lclosed = lcreated + p.close_median_days * np.exp(0.5 * rng.standard_normal(len(lo)))
    lopen = lclosed > window
    lamt = np.round(base[lo] * p.upsell_amount_share * np.exp(0.3 * rng.standard_normal(len(lo))))
    lost = pd.DataFrame({"owner": lo, "kind": KIND_UPSELL,
                         "status": np.where(lopen, OPEN, LOST).astype(np.int8),
                         "created": lcreated, "closed": np.where(lopen, np.nan, lclosed),
                         "amount": lamt})
    return pd.concat([won, lost], ignore_index=True), share_diff, rev_diff, int(pop365.sum())


def _renewals(sim: CustomerSim, amount: np.ndarray) -> pd.DataFrame:
    frames = []
    for k in (1, 2, 3, 4):
        ann = 365.0 * k
        seen = sim.obs_len >= ann
        won = seen & (sim.lifetime > ann)
        lost = (sim.lifetime <= ann) & (sim.lifetime > ann - 45.0) & (sim.obs_len >= sim.lifetime)
        for mask, status in ((won, WON), (lost, LOST)):
            idx = np.flatnonzero(mask)
            closed = sim.acq[idx] + (ann if status == WON else sim.lifetime[idx])
            frames.append(pd.DataFrame({
                "owner": idx, "kind": KIND_RENEWAL, "status": status,
                "created": sim.acq[idx] + ann - 45.0, "closed": closed,
                "amount": np.round(amount[idx] * (1.0 + 0.05 * k), 0),
            }))
    return pd.concat(frames, ignore_index=True)


def simulate_deals(rng: np.random.Generator, sim: CustomerSim, p: Preset, *,
                   window_days: float, confounding: float) -> DealSim:
    """Every deal of the customers and prospects, plus the deal and upsell truths."""
    new, base, amount, size_diff, medians, extra = _new_deals(rng, sim, p, window_days, confounding)
    ups, share_diff, rev_diff, n365 = _upsells(rng, sim, p, base, window_days)
    parts = [new, ups]
    if p.renewals:
        parts.append(_renewals(sim, amount))
    frame = pd.concat(parts, ignore_index=True)
    psize, pregion, pfollow, pfollow_at, follow_at, created, n_v1 = extra
    return DealSim(
        frame=frame, base_amount=base, new_amount=amount, created_new=created,
        prospect_size=psize, prospect_region=pregion,
        prospect_follow=pfollow, prospect_follow_at=pfollow_at, customer_follow_at=follow_at,
        n_follow_v1=n_v1,
        deal_size_diff=size_diff, median_close_days=medians, upsell_share_diff_365=share_diff,
        upsell_revenue_diff_365=rev_diff, n_landmark_365=n365,
    )
