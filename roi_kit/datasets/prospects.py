"""Who follows among leads, and the planted prospect truth (follower vs non-follower leads).

Every lead (customer or prospect) has one new deal. A *customer* follows before their deal was
created with probability ``π_c(x) = logistic(follow_intercept + confounding × link(x)) ×
pre_deal_follow_share`` (:mod:`roi_kit.datasets.customers`), ``x`` = company size, region and
industry. A *prospect* with the same covariates follows before their deal with

    π_p(x) = logistic(logit π_c(x) − log prospect_win_odds_ratio),

so that in every covariate cell the odds of the lead being won are ``prospect_win_odds_ratio``
times higher for followers (Bayes: the odds ratio of following, won vs not won, is the odds ratio
of winning, follower vs not). Customers and prospects share the covariate mix, so the win
probability itself does not depend on ``x``; following does, so large accounts are over-represented
among follower leads (and close faster).

:func:`prospect_truth` turns that into the quantities :func:`roi_kit.compare_prospects` estimates
(a raw, unadjusted comparison of the two groups of leads), as *population* values of the
generating process for the given number of customers and prospects: ratios of expected counts
summed exactly over the covariate cells, the chance that a prospect's deal is still open at the
window's end and the days-to-close distribution (a mixture of log-normals) by numerical
integration. The realised leads of one sample scatter around them like any sample.

Examples
--------
>>> from roi_kit.datasets.presets import PRESETS
>>> t = prospect_truth(PRESETS["saas"], n_customers=750, n_prospects=1125, confounding=1.0,
...                    window_days=730.0)
>>> w = t["prospect_win_rate"]
>>> 0.5 < w["followers"] < 0.6 and 0.35 < w["non_followers"] < 0.42
True
"""

from __future__ import annotations

import itertools
from typing import TypedDict

import numpy as np
import polars as pl
from scipy.special import expit, logit, ndtr

from roi_kit.datasets.names import person_codes, person_pools
from roi_kit.datasets.presets import Preset
from roi_kit.datasets.strings import concat_str

__all__ = ["ProspectTruth", "customer_pre_deal_p", "prospect_contacts", "prospect_follow_p", "prospect_truth"]

class ProspectTruth(TypedDict):
    """The three prospect fields of :class:`~roi_kit.datasets.Truth`."""

    prospect_win_rate: dict[str, float]
    prospect_lead_conversion: dict[str, float]
    prospect_median_close_days: dict[str, float]


_Z = np.linspace(-9.0, 9.0, 3601)                      # grid for the close-time integrals
_W = np.exp(-0.5 * _Z ** 2)
_W = _W / _W.sum()


def customer_pre_deal_p(p: Preset, size: np.ndarray, region: np.ndarray, industry: np.ndarray,
                        *, confounding: float) -> np.ndarray:
    """P(a customer followed before their deal was created) for these covariate codes."""
    link = (np.asarray(p.follow_size)[size] + np.asarray(p.follow_region)[region]
            + np.asarray(p.follow_industry)[industry])
    return np.asarray(expit(p.follow_intercept + confounding * link) * p.pre_deal_follow_share)


def prospect_follow_p(p: Preset, size: np.ndarray, region: np.ndarray, industry: np.ndarray,
                      *, confounding: float) -> np.ndarray:
    """P(a prospect followed before their deal was created): the customer's odds divided by the
    planted win odds ratio of followers."""
    pc = customer_pre_deal_p(p, size, region, industry, confounding=confounding)
    return np.asarray(expit(logit(pc) - np.log(p.prospect_win_odds_ratio)))


def prospect_contacts(rng: np.random.Generator, n: int) -> tuple[pl.Series, pl.Series]:
    """E-mails (``…@prospect-mail.com``) and handles (``@…_p<k>``) of ``n`` following prospects."""
    pk = person_codes(rng, n)
    num = pl.Series(np.arange(1, n + 1)).cast(pl.String)
    email = concat_str(person_pools()["local"].gather(pk), pl.Series([".p"] * n), num,
                       pl.Series(["@prospect-mail.com"] * n))
    handle = concat_str(pl.Series(["@"] * n), person_pools()["handle"].gather(pk),
                        pl.Series(["_p"] * n), num)
    return email, handle


def _close_median(p: Preset, size: int, follower: bool) -> float:
    return p.close_median_days * p.close_size_mult[size] * (p.close_time_ratio if follower else 1.0)


def _p_open(p: Preset, size: int, follower: bool, window: float) -> float:
    """A prospect's deal is created uniformly on [0, window − 1) and open when creation + days
    to close passes the window: P = E[clip((days − 1) / (window − 1), 0, 1)]."""
    days = _close_median(p, size, follower) * np.exp(p.close_sigma * _Z)
    return float(np.sum(_W * np.clip((days - 1.0) / (window - 1.0), 0.0, 1.0)))


def _mixture_median(p: Preset, weights: np.ndarray, follower: bool) -> float:
    """Median of the days to close of a group whose size mix is ``weights`` (log-normal per size)."""
    mu = np.log([_close_median(p, s, follower) for s in range(len(weights))])
    w = weights / weights.sum()
    lo, hi = float(mu.min()) - 10 * p.close_sigma, float(mu.max()) + 10 * p.close_sigma
    for _ in range(200):                                   # bisection on the log scale
        mid = 0.5 * (lo + hi)
        if float(np.sum(w * ndtr((mid - mu) / p.close_sigma))) < 0.5:
            lo = mid
        else:
            hi = mid
    return float(np.exp(0.5 * (lo + hi)))


def prospect_truth(p: Preset, *, n_customers: int, n_prospects: int, confounding: float,
                   window_days: float) -> ProspectTruth:
    """Population win rate, lead conversion and median days to close of follower and
    non-follower leads, keyed by their :class:`~roi_kit.datasets.Truth` fields
    (``{"prospect_win_rate": {"followers": .., "non_followers": .., "difference": ..}, ...}``)."""
    cells = list(itertools.product(range(len(p.size_p)), range(len(p.region_p)),
                                   range(len(p.industry_p))))
    s, r, i = (np.array(c) for c in zip(*cells, strict=True))
    px = np.asarray(p.size_p)[s] * np.asarray(p.region_p)[r] * np.asarray(p.industry_p)[i]
    pc = customer_pre_deal_p(p, s, r, i, confounding=confounding)
    pp = prospect_follow_p(p, s, r, i, confounding=confounding)
    out = ProspectTruth(prospect_win_rate={}, prospect_lead_conversion={}, prospect_median_close_days={})
    for key, follower, c, q in (("followers", True, pc, pp), ("non_followers", False, 1 - pc, 1 - pp)):
        closed = 1.0 - np.array([_p_open(p, k, follower, window_days) for k in range(len(p.size_p))])
        won = n_customers * float(np.sum(px * c))
        prospects = n_prospects * float(np.sum(px * q))
        lost = n_prospects * float(np.sum(px * q * closed[s]))
        out["prospect_win_rate"][key] = won / (won + lost)
        out["prospect_lead_conversion"][key] = won / (won + prospects)
        size_mix = np.bincount(s, weights=px * (n_customers * c + n_prospects * q), minlength=len(p.size_p))
        out["prospect_median_close_days"][key] = _mixture_median(p, size_mix, follower)
    for d in (out["prospect_win_rate"], out["prospect_lead_conversion"], out["prospect_median_close_days"]):
        d["difference"] = d["followers"] - d["non_followers"]
    return out
