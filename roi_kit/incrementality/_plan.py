"""``plan_lift_test``: how big or how long a lift test must be before it is run.

Holdout (two-proportion conversion lift, normal approximation without continuity correction;
Fleiss, Levin & Paik 2003, eq. 4.14 with unequal groups). With control rate ``p_c``, test rate
``p_t = p_c (1 + lift)``, ``Δ = p_t − p_c``, a share ``h`` of ``N`` users held out and
``p̄ = (1 − h) p_t + h p_c``::

    N = [z_{1−α/2} √(p̄ q̄ (1/(1−h) + 1/h)) + z_{power} √(p_t q_t/(1−h) + p_c q_c/h)]² / Δ²

(``q = 1 − p``). With ``h = 0.5`` this is the textbook ``n`` per group (686 per group for 10 % →
15 % at 80 % power). Power for a given ``N`` solves the same equation for ``z_{power}``; the
minimum detectable lift solves it for ``lift``.

Geo (simulation on history): the last ``weeks`` weeks of the history play the test period.
Groups of as many markets as will be treated are run through the readout's synthetic control
as if treated; their "effects" are pure noise ``e_i``. A true lift ``L`` (share of a usual
week) would be estimated as ``e_i + L`` (the weights are fitted on the pre-period only), and the
readout's placebo test rejects when ``|e_i + L|`` exceeds the critical placebo value, so
``power(L) = mean_i 1{|e_i + L| > c}``. Without history, a panel is simulated from a stated
variance model (:func:`simulate_geo_test` with ``lift=0``).

Examples
--------
>>> plan = plan_lift_test(baseline_rate=0.10, lift=0.5, holdout_share=0.5)
>>> plan.to_frame()[["users_test", "users_control"]].iloc[0].tolist()
[686.0, 686.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
from scipy import optimize, stats

from roi_kit.errors import ConfigError
from roi_kit.incrementality._checks import MIN_PRE_WEEKS, geo_panel
from roi_kit.incrementality._geo import critical_rank, placebo_effects, placebo_groups
from roi_kit.incrementality._plan_result import LiftPlan, geo_plan_result, holdout_plan_result
from roi_kit.incrementality._simulate import simulate_geo_test

__all__ = ["geo_power", "holdout_power", "holdout_users", "plan_lift_test"]

Design = Literal["auto", "holdout", "geo"]
_LIFT_GRID = np.round(np.linspace(0.0, 1.0, 2001), 6)


def _rates(baseline: float, lift: Any, h: float) -> tuple[Any, float, Any]:
    p_t = baseline * (1 + lift)
    return p_t, baseline, (1 - h) * p_t + h * baseline


def holdout_users(baseline_rate: float, lift: float, *, holdout_share: float = 0.1,
                  power: float = 0.8, alpha: float = 0.05) -> float:
    """Total users needed (test + control), before rounding up.

    Examples
    --------
    >>> round(holdout_users(0.10, 0.5, holdout_share=0.5) / 2, 1)
    685.6
    """
    h = holdout_share
    p_t, p_c, pbar = _rates(baseline_rate, lift, h)
    za, zb = stats.norm.ppf(1 - alpha / 2), stats.norm.ppf(power)
    root0 = np.sqrt(pbar * (1 - pbar) * (1 / (1 - h) + 1 / h))
    root1 = np.sqrt(p_t * (1 - p_t) / (1 - h) + p_c * (1 - p_c) / h)
    return float((za * root0 + zb * root1) ** 2 / (p_t - p_c) ** 2)


def holdout_power(baseline_rate: float, lift: float | np.ndarray, users: float, *,
                  holdout_share: float = 0.1, alpha: float = 0.05) -> Any:
    """Power of the two-sided pooled z test for a true relative ``lift`` (vectorised over lift).

    Examples
    --------
    >>> round(float(holdout_power(0.10, 0.5, 1372, holdout_share=0.5)), 3)
    0.8
    """
    h = holdout_share
    p_t, p_c, pbar = _rates(baseline_rate, np.asarray(lift, dtype=float), h)
    n_t, n_c = (1 - h) * users, h * users
    sd0 = np.sqrt(pbar * (1 - pbar) * (1 / n_t + 1 / n_c))
    sd1 = np.sqrt(p_t * (1 - p_t) / n_t + p_c * (1 - p_c) / n_c)
    za = stats.norm.ppf(1 - alpha / 2)
    delta = np.abs(p_t - p_c)
    return stats.norm.cdf((delta - za * sd0) / sd1) + stats.norm.cdf((-delta - za * sd0) / sd1)


def geo_power(errors: np.ndarray, lifts: np.ndarray, *, alpha: float) -> np.ndarray:
    """Power of the placebo test at each lift, from the placebo "effects" of a test-free period.

    Rejects when fewer than ``α (P + 1)`` placebos are at least as extreme (the readout's
    p-value ``≤ α``).

    Examples
    --------
    >>> geo_power(np.linspace(-0.05, 0.05, 39), np.array([0.0, 0.2]), alpha=0.05).tolist()
    [0.0, 1.0]
    """
    abs_sorted = np.sort(np.abs(errors))[::-1]
    m = critical_rank(len(errors), alpha)
    if m < 0:
        return np.zeros(len(lifts))
    crit = abs_sorted[m]
    return np.asarray((np.abs(errors[:, None] + lifts[None, :]) > crit).mean(axis=0))


def plan_lift_test(
    history: Any = None,
    *,
    design: Design = "auto",
    baseline_rate: float | None = None,
    lift: float | None = None,
    users: int | None = None,
    holdout_share: float = 0.1,
    power: float = 0.8,
    alpha: float = 0.05,
    market: str = "market",
    week: str = "week",
    outcome: str = "revenue",
    treated: Sequence[str] | str | None = None,
    n_treated: int | None = None,
    weeks: int | Sequence[int] = (4, 6, 8),
    n_markets: int | None = None,
    noise: float | None = None,
    cost: float | None = None,
    currency: str = "USD",
    n_placebos: int = 100,
    seed: int = 0,
) -> LiftPlan:
    """Plan a lift test: users needed, minimum detectable lift, or power — in plain words.

    Parameters
    ----------
    history
        Geo: a market × week table of the weeks *before* the test (``market, week, outcome``).
        ``None`` for a holdout, or for a geo plan from a stated variance model.
    design
        ``"holdout"``, ``"geo"`` or ``"auto"`` (geo when history, treated markets or
        ``n_markets`` are given).
    baseline_rate, lift, users, holdout_share
        Holdout: conversion rate without the campaign (0.03 = 3 %), relative lift to detect
        (0.2 = +20 %), total users and the share held out. Give ``lift`` for the users needed,
        ``users`` for the minimum detectable lift, both for the power.
    power, alpha
        Chance of detecting a true lift of that size (0.8), and the false-alarm rate (0.05).
    market, week, outcome, treated, n_treated, weeks
        Geo: columns of ``history``, the planned treated markets (or just how many), and the
        test lengths to compare. ``lift`` (optional) gives the power at that lift.
    n_markets, noise
        Geo without history: number of markets and their weekly noise (0.05 = 5 % of a week).
    cost, currency
        Geo: planned campaign cost, to translate the detectable lift into a detectable ROAS.
    n_placebos, seed
        Geo: placebo groups simulated per test length, and their seed.

    Returns
    -------
    LiftPlan

    Examples
    --------
    >>> plan = plan_lift_test(baseline_rate=0.03, lift=0.2)
    >>> int(plan.to_frame()["users_total"].iloc[0])
    79376
    >>> print(plan.summary().splitlines()[0])  # doctest: +ELLIPSIS
    To detect a +20.0% lift on a 3.00% conversion rate (80% power, 5% false-alarm rate) you need 79,376 users: ...

    A geo test planned on a year of history of 16 markets, two of them to be treated:

    >>> from roi_kit.incrementality import simulate_geo_test
    >>> history = simulate_geo_test(seed=1, n_markets=16, n_treated=2, pre_weeks=52,
    ...                             test_weeks=1, lift=0.0).panel
    >>> geo = plan_lift_test(history, n_treated=2, weeks=(4, 8), n_placebos=40)
    >>> geo.to_frame()["weeks"].tolist()
    [4, 8]
    """
    if not (0 < alpha < 1 and 0 < power < 1):
        raise ConfigError(f"alpha={alpha!r} and power={power!r} must be between 0 and 1.",
                          hint="the usual choice is alpha=0.05, power=0.8.")
    if design == "auto":
        geo = history is not None or treated is not None or n_markets is not None
        design = "geo" if geo else "holdout"
    if design == "holdout":
        return _plan_holdout(baseline_rate, lift, users, holdout_share, power, alpha)
    if design != "geo":
        raise ConfigError(f"design={design!r} is not one of 'auto', 'holdout', 'geo'.",
                          hint="use 'holdout' for users held out, 'geo' for markets.")
    weeks_list = [int(weeks)] if isinstance(weeks, int | np.integer) else [int(w) for w in weeks]
    if history is None:
        if n_markets is None or noise is None or n_treated is None:
            raise ConfigError("a geo plan needs history= (past weeks per market), or n_markets=, "
                              "n_treated= and noise= for a stated variance model.",
                              hint="e.g. plan_lift_test(n_markets=30, n_treated=5, noise=0.05).")
        sim = simulate_geo_test(seed, n_markets=n_markets, n_treated=n_treated, pre_weeks=52,
                                test_weeks=max(weeks_list), lift=0.0, noise=noise)
        history, treated = sim.panel, None
        source = f"a simulated history of {n_markets} markets with {noise:.0%} weekly noise"
    else:
        source = "your history"
    return _plan_geo(history, market=market, week=week, outcome=outcome, treated=treated,
                     n_treated=n_treated, weeks_list=weeks_list, lift=lift, power=power,
                     alpha=alpha, cost=cost, currency=currency, n_placebos=n_placebos,
                     seed=seed, source=source)


def _plan_holdout(baseline: float | None, lift: float | None, users: int | None, h: float,
                  power: float, alpha: float) -> LiftPlan:
    if baseline is None or not 0 < baseline < 1:
        raise ConfigError(f"baseline_rate={baseline!r} must be a conversion rate between 0 and 1.",
                          hint="e.g. baseline_rate=0.03 for 3% of users converting without the campaign.")
    if not 0 < h < 1:
        raise ConfigError(f"holdout_share={h!r} must be between 0 and 1.",
                          hint="0.1 holds out 10% of users.")
    if lift is None and users is None:
        raise ConfigError("give lift= (to get the users needed) or users= (to get the smallest "
                          "detectable lift), or both (to get the power).",
                          hint="e.g. plan_lift_test(baseline_rate=0.03, lift=0.2).")
    if lift is not None and not (lift > 0 and baseline * (1 + lift) < 1):
        raise ConfigError(f"lift={lift!r} must be positive and keep the test rate below 100%.",
                          hint="lift=0.2 means the campaign raises conversions by 20%.")
    if users is None:
        assert lift is not None
        need = holdout_users(baseline, lift, holdout_share=h, power=power, alpha=alpha)
        n_t = float(np.ceil(need * (1 - h)))
        n_c = float(np.ceil(need * h))
        return holdout_plan_result("users", baseline, lift, n_t, n_c, power, alpha)
    n_t, n_c = float(round(users * (1 - h))), float(round(users * h))
    if lift is None:
        top = 1 / baseline - 1 - 1e-9
        f = lambda x: float(holdout_power(baseline, x, users, holdout_share=h, alpha=alpha)) - power  # noqa: E731
        mdl = float(optimize.brentq(f, 1e-9, top)) if f(top) > 0 else float("nan")
        return holdout_plan_result("lift", baseline, mdl, n_t, n_c, power, alpha)
    achieved = float(holdout_power(baseline, lift, users, holdout_share=h, alpha=alpha))
    return holdout_plan_result("power", baseline, lift, n_t, n_c, achieved, alpha)


def _plan_geo(history: Any, *, market: str, week: str, outcome: str, treated: Any,
              n_treated: int | None, weeks_list: list[int], lift: float | None, power: float,
              alpha: float, cost: float | None, currency: str, n_placebos: int, seed: int,
              source: str) -> LiftPlan:
    if treated is None and n_treated is None:
        raise ConfigError("a geo plan needs treated= (the planned test markets) or n_treated= "
                          "(how many markets will be treated).", hint="e.g. n_treated=5.")
    if treated is not None and isinstance(treated, str):
        treated = [treated]
    rows = []
    curves = []
    all_weeks = sorted(_weeks(history, week))
    n_weeks_total = len(all_weeks)
    for w in weeks_list:
        if n_weeks_total - w < MIN_PRE_WEEKS:
            raise ConfigError(f"weeks={w} leaves {n_weeks_total - w} history weeks to fit on; "
                              f"at least {MIN_PRE_WEEKS} are needed.",
                              hint="plan shorter tests or provide a longer history.")
        start = all_weeks[n_weeks_total - w]
        anchor = treated if treated is not None else []
        panel = geo_panel(history, market=market, week=week, outcome=outcome,
                          treated=anchor or [_first_market(history, market)], test_start=start)
        pool = panel.controls if treated is not None else np.arange(len(panel.markets))
        k = len(panel.treated) if treated is not None else int(n_treated)  # type: ignore[arg-type]
        if not 0 < k <= len(pool) - 2:
            raise ConfigError(f"n_treated={k} must leave at least two other markets as controls "
                              f"(the history has {len(panel.markets)} markets).",
                              hint="treat fewer markets.")
        groups = placebo_groups(len(pool), k, n_placebos=n_placebos, seed=seed)
        errors, _ = placebo_effects(panel.values[:, pool], panel.pre, groups)
        pw = geo_power(errors, _LIFT_GRID, alpha=alpha)
        ok = np.flatnonzero(pw >= power)
        mdl = float(_LIFT_GRID[ok[0]]) if len(ok) else float("nan")
        at_lift = (float(geo_power(errors, np.array([lift]), alpha=alpha)[0])
                   if lift is not None else float("nan"))
        if treated is not None:
            scale = float(panel.values[panel.pre][:, panel.treated].sum(axis=1).mean())
        else:
            scale = float(panel.values[panel.pre].mean() * k)
        rows.append((w, k, len(groups), mdl, at_lift, mdl * scale * w))
        curves.append((w, pw))
    return geo_plan_result(rows, curves, _LIFT_GRID, lift=lift, power=power, alpha=alpha,
                           cost=cost, currency=currency, source=source,
                           treated=tuple(treated) if treated is not None else None)


def _weeks(history: Any, week: str) -> list[Any]:
    from roi_kit.engine import as_frame, require_columns, to_pandas

    frame = as_frame(history, name="history")
    require_columns(frame, [week], name="history")
    return to_pandas(frame.select(week).unique())[week].tolist()


def _first_market(history: Any, market: str) -> str:
    from roi_kit.engine import as_frame, require_columns, to_pandas

    frame = as_frame(history, name="history")
    require_columns(frame, [market], name="history")
    return str(sorted(to_pandas(frame.select(market).unique())[market].astype(str))[0])
