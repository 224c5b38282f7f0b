"""Social customer-care cases of the sample company, with a planted service effect.

Drawn from its own random stream after every other table, so adding it left the other tables of
the committed samples byte for byte as they were.

* **Who writes.** Each customer complains once with probability ``p_complain``, at a uniform time
  in their observed active life; ``anonymous_share`` more cases (per customer case) come from
  people who are not customers (no ``customer_id``), uniform over the window.
* **Answer.** A case is answered with probability ``p_answer`` after a lognormal wait (median
  ``response_median_h``); unanswered cases are never resolved.
* **Resolution.** An answered customer case is resolved with probability ``p_resolve_stay`` when
  the customer will still be a customer ``stay_days`` after the service landmark (first case +
  ``landmark_days``), else ``p_resolve_leave``; anonymous cases with ``p_resolve_anonymous``.
  The fix takes a lognormal time after the answer (median ``fix_median_h``, capped at 6 days so a
  resolution is always inside the landmark). Because the customers table was drawn first, the
  effect is planted through the customer's latent future: served complainers stay longer by
  construction, which is an association (exactly what ``rk.service_retention`` can measure), not
  a cause.
* **Data end.** Answers and resolutions after the window end have not happened yet (empty; the
  case is not resolved).
* **Replaced channel** drawn from ``replaced_channels`` (empty = the case replaced no contact).

Truths (:func:`simulate_care`'s second value): ``care_retention_diff`` — retention served −
not served at 90 / 180 / 365 days after the landmark among complainers still customers at the
landmark, from the customers' latent lifetimes (no censoring); medians of first response and
resolution over all cases (never-answered cases never end; closed lognormal formula and a
numerical convolution); the rates the cases were drawn with; and the service-cost savings of the
resolved cases at the plan's assumed cost per case.

Examples
--------
>>> import numpy as np
>>> from roi_kit.datasets.customers import simulate_customers
>>> from roi_kit.datasets.presets import CARE, PRESETS
>>> sim = simulate_customers(np.random.default_rng(1), 300, PRESETS["saas"], confounding=1.0,
...                          window_days=730.0, landmark=90)
>>> cases, truth = simulate_care(np.random.default_rng(2), sim, CARE["saas"], PRESETS["saas"],
...                              window_days=730.0)
>>> sorted(cases.columns)[:3], truth["care"]["p_answer"]
(['customer', 'first_response', 'opened'], 0.92)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
from scipy import integrate, optimize, special

from roi_kit.datasets.customers import CustomerSim
from roi_kit.datasets.presets import CarePlan, Preset
from roi_kit.datasets.strings import take_str

__all__ = ["HORIZONS", "care_frame", "simulate_care"]

HORIZONS: tuple[int, ...] = (90, 180, 365)
_MAX_FIX_DAYS = 6.0


def _lognormal(rng: np.random.Generator, median_h: float, sigma: float, n: int) -> np.ndarray:
    """Lognormal waits in days."""
    return median_h / 24.0 * np.exp(sigma * rng.standard_normal(n))


def _median_first_response(plan: CarePlan) -> float:
    """Hours t with p_answer · F(t) = 1/2 (never-answered cases never end)."""
    z = special.ndtri(0.5 / plan.p_answer)
    return float(plan.response_median_h * np.exp(plan.response_sigma * z))


def _median_resolution(plan: CarePlan, q: float) -> float:
    """Hours t with q · P(response + fix ≤ t) = 1/2 (NaN when q ≤ 1/2: never reached)."""
    if q <= 0.5:
        return float("nan")
    # the log-normal density and distribution function in plain math: quad calls them thousands of
    # times, and scipy's frozen distributions cost ~50x more per scalar call (generate() spent 5-8 s here)
    s_r, m_r = plan.response_sigma, math.log(plan.response_median_h)
    s_f, m_f = plan.fix_sigma, math.log(plan.fix_median_h)
    norm = 1.0 / (s_r * math.sqrt(2.0 * math.pi))

    def integrand(x: float, t: float) -> float:
        if x <= 0.0 or x >= t:
            return 0.0
        z_r = (math.log(x) - m_r) / s_r
        fix_cdf = 0.5 * math.erfc(-(math.log(t - x) - m_f) / (s_f * math.sqrt(2.0)))
        return norm / x * math.exp(-0.5 * z_r * z_r) * fix_cdf

    def cdf(t: float) -> float:
        return float(integrate.quad(integrand, 0.0, t, args=(t,), limit=200)[0])

    return float(optimize.brentq(lambda t: q * cdf(t) - 0.5, 1e-3, 24.0 * 60))


def simulate_care(rng: np.random.Generator, sim: CustomerSim, plan: CarePlan, preset: Preset, *,
                  window_days: float) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Cases in float days since the window start (``customer`` is -1 for anonymous cases),
    sorted by opening, and the planted truths (see the module docstring)."""
    n = len(sim.acq)
    complains = rng.random(n) < plan.p_complain
    who = np.flatnonzero(complains)
    active = np.minimum(sim.lifetime, sim.obs_len)[who]
    opened_c = sim.acq[who] + rng.random(len(who)) * active
    n_anon = int(rng.poisson(plan.anonymous_share * len(who)))
    opened = np.concatenate([opened_c, rng.random(n_anon) * window_days])
    customer = np.concatenate([who, np.full(n_anon, -1)])
    k = len(opened)
    residual = np.concatenate([sim.acq[who] + sim.lifetime[who] - opened_c - plan.landmark_days,
                               np.full(n_anon, np.nan)])
    p_res = np.where(customer < 0, plan.p_resolve_anonymous,
                     np.where(residual > plan.stay_days, plan.p_resolve_stay, plan.p_resolve_leave))
    answered = rng.random(k) < plan.p_answer
    resolved = answered & (rng.random(k) < p_res)
    wait = _lognormal(rng, plan.response_median_h, plan.response_sigma, k)
    fix = np.minimum(_lognormal(rng, plan.fix_median_h, plan.fix_sigma, k), _MAX_FIX_DAYS)
    first = np.where(answered, opened + wait, np.nan)
    done = np.where(resolved, opened + wait + fix, np.nan)
    first = np.where(first <= window_days, first, np.nan)
    resolved_by_end = resolved & (done <= window_days)
    done = np.where(resolved_by_end, done, np.nan)
    channels = np.asarray(plan.replaced_channels, dtype=object)
    replaced = channels[rng.choice(len(channels), size=k, p=np.asarray(plan.replaced_p))]
    platforms = np.asarray(preset.platforms, dtype=object)
    platform = platforms[rng.choice(len(platforms), size=k,
                                    p=np.asarray(preset.platform_p) / np.sum(preset.platform_p))]
    order = np.argsort(opened, kind="stable")
    cases = pd.DataFrame({"opened": opened, "customer": customer, "platform": platform,
                          "first_response": first, "resolved_at": done,
                          "resolved": resolved_by_end, "replaced_channel": replaced}).iloc[order]
    cases = cases.reset_index(drop=True)
    return cases, _truth(plan, cases, residual[order], p_res[order], window_days)


def _truth(plan: CarePlan, cases: pd.DataFrame, residual: np.ndarray, p_res: np.ndarray,
           window_days: float) -> dict[str, Any]:
    landmark = cases["opened"].to_numpy() + plan.landmark_days
    is_c = cases["customer"].to_numpy() >= 0
    keep = is_c & (residual > 0) & (landmark <= window_days)
    served = cases["resolved_at"].to_numpy() <= landmark
    diff: dict[int, float] = {}
    for h in HORIZONS:
        stay = residual > h
        diff[h] = float(stay[keep & served].mean() - stay[keep & ~served].mean())
    q = float(plan.p_answer * p_res.mean())
    costs = dict(plan.cost_per_case)
    social = costs["social"]
    handled = cases.loc[cases["resolved"] & (cases["replaced_channel"] != ""), "replaced_channel"]
    saved = float(sum((costs[c] - social) * v for c, v in handled.value_counts().items()))
    care = {
        "cases": float(len(cases)), "customer_cases": float(is_c.sum()),
        "p_answer": plan.p_answer, "resolution_rate": q,
        "median_first_response_hours": _median_first_response(plan),
        "median_resolution_hours": _median_resolution(plan, q),
        "p_resolve_stay": plan.p_resolve_stay, "p_resolve_leave": plan.p_resolve_leave,
        "landmark_days": float(plan.landmark_days), "stay_days": float(plan.stay_days),
        "n_landmark": float(keep.sum()), "n_served": float((keep & served).sum()),
        "savings": saved,
    }
    return {"care": care, "care_retention_diff": diff, "care_cost_per_case": costs}


def care_frame(raw: pd.DataFrame, case_ids: pl.Series, customer_ids: pl.Series,
               stamp: Callable[[np.ndarray], np.ndarray]) -> pd.DataFrame:
    """The ``service_interactions`` table from :func:`simulate_care`'s cases (``stamp`` turns float
    days into naive-UTC times)."""
    who = raw["customer"].to_numpy()
    return pd.DataFrame({
        "interaction_id": take_str(case_ids, np.arange(len(raw))),
        "platform": raw["platform"].to_numpy(),
        "customer_id": take_str(customer_ids, np.maximum(who, 0)).where(who >= 0),
        "opened_at": stamp(raw["opened"].to_numpy()),
        "first_response_at": stamp(raw["first_response"].to_numpy()),
        "resolved_at": stamp(raw["resolved_at"].to_numpy()),
        "resolved": raw["resolved"].to_numpy(bool),
        "replaced_channel": raw["replaced_channel"].replace("", None).to_numpy(),
    })
