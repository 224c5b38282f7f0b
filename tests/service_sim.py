"""A small planted-truth simulator of social customer-care cases for the service tests
(independent of roi_kit.datasets).

Cases open uniformly over ``days``; each is answered with probability ``p_answer`` after an
exponential wait with median ``median_response_h``; an answered case is resolved with probability
``p_resolve`` after a further exponential wait with median ``median_fix_h``. The data end is the
last day; later answers are not in the data. :func:`truth` gives the medians and rates the
estimators should recover (cure-fraction and hypoexponential formulas, not simulation).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize


@dataclass(frozen=True)
class Plan:
    n: int = 3000
    days: int = 60
    p_answer: float = 0.9
    median_response_h: float = 2.0
    p_resolve: float = 0.8
    median_fix_h: float = 6.0


def simulate(seed: int, plan: Plan = Plan()) -> tuple[pd.DataFrame, pd.Timestamp]:
    """Cases and the data end."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2024-01-01")
    end = start + pd.Timedelta(days=plan.days)
    opened = start + pd.to_timedelta(rng.random(plan.n) * plan.days * 24, unit="h")
    wait = rng.exponential(plan.median_response_h / np.log(2), plan.n)
    fix = rng.exponential(plan.median_fix_h / np.log(2), plan.n)
    answered = rng.random(plan.n) < plan.p_answer
    resolved = answered & (rng.random(plan.n) < plan.p_resolve)
    first = pd.Series(opened + pd.to_timedelta(wait, unit="h")).where(answered)
    done = pd.Series(opened + pd.to_timedelta(wait + fix, unit="h")).where(resolved)
    first = first.where(first <= end)
    done = done.where(done <= end)
    cases = pd.DataFrame({
        "interaction_id": [f"c{i}" for i in range(plan.n)],
        "platform": rng.choice(["x", "facebook", "instagram"], plan.n),
        "opened_at": opened.floor("s"), "first_response_at": first.dt.floor("s"),
        "resolved_at": done.dt.floor("s"),
        "replaced_channel": rng.choice(["phone", "email"], plan.n, p=[0.6, 0.4]),
    })
    return cases, end


def truth(plan: Plan = Plan()) -> dict[str, float]:
    """Medians (hours) and rates of the plan, ignoring the data end (negligible over 60 days)."""
    a = np.log(2) / plan.median_response_h
    b = np.log(2) / plan.median_fix_h
    p = plan.p_answer
    q = plan.p_answer * plan.p_resolve
    first = np.log(p / (p - 0.5)) / a  # (1 - p) + p·exp(-a t) = 1/2

    def still_open(t: float) -> float:  # 1 - q·F(t), F the CDF of Exp(a) + Exp(b)
        f = 1 - (b * np.exp(-a * t) - a * np.exp(-b * t)) / (b - a)
        return 1 - q * f - 0.5

    fix = optimize.brentq(still_open, 1e-6, 1e3)
    return {"response_rate": p, "resolution_rate": q, "first_response_hours": float(first),
            "resolution_hours": float(fix)}


HAZARD_PER_DAY = {"served": 0.002, "not served": 0.006}
"""Planted churn hazards of complaining customers by service experience (exponential)."""


def simulate_customers(seed: int, n: int = 4000, p_served: float = 0.6
                       ) -> tuple[pd.DataFrame, pd.DataFrame, pd.Timestamp]:
    """Customers with one care case each; served (resolved within 2 days) or not, and churn with
    the planted hazard of their group. Returns customers, cases and the end of observation."""
    rng = np.random.default_rng(seed)
    start, end = pd.Timestamp("2023-01-01"), pd.Timestamp("2025-01-01")
    opened = start + pd.to_timedelta(rng.random(n) * 365, unit="D")
    served = rng.random(n) < p_served
    hazard = np.where(served, HAZARD_PER_DAY["served"], HAZARD_PER_DAY["not served"])
    churn = opened + pd.to_timedelta(rng.exponential(1 / hazard), unit="D")
    resolved = opened + pd.to_timedelta(rng.random(n) * 2, unit="D")
    customers = pd.DataFrame({
        "customer_id": [f"k{i}" for i in range(n)],
        "acquired_at": start - pd.Timedelta(days=400),
        "churned_at": pd.Series(churn).where(pd.Series(churn) <= end).dt.floor("s"),
    })
    cases = pd.DataFrame({
        "interaction_id": [f"c{i}" for i in range(n)], "platform": "x",
        "customer_id": customers["customer_id"], "opened_at": opened.floor("s"),
        "resolved_at": pd.Series(resolved).where(pd.Series(served)).dt.floor("s"),
    })
    return customers, cases, end
