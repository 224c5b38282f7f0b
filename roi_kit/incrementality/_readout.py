"""``lift_test``: read out a user-level holdout or a geo test as a :class:`LiftResult`."""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
import pandas as pd

from roi_kit.aggregates import wilson_interval
from roi_kit.errors import ConfigError
from roi_kit.formatting import fmt_pct
from roi_kit.incrementality._checks import geo_panel, holdout_counts
from roi_kit.incrementality._geo import (
    critical_rank,
    index_series,
    placebo_effects,
    placebo_groups,
    placebo_inference,
    sc_fit,
)
from roi_kit.incrementality._holdout import holdout_stats, revenue_stats
from roi_kit.incrementality._result import LiftResult
from roi_kit.roi import resolve_cost

__all__ = ["FIT_THRESHOLDS", "lift_test"]

Design = Literal["auto", "holdout", "geo"]
Outcome = Literal["revenue", "conversions"]

FIT_THRESHOLDS = (0.05, 0.10)
"""Pre-period RMSPE (share of a usual week) up to which the geo fit is called good, then fair."""

_COLUMNS = ["metric", "estimate", "ci_low", "ci_high", "note"]


def lift_test(
    data: Any,
    *,
    design: Design = "auto",
    cost: Any = None,
    alpha: float = 0.05,
    currency: str = "USD",
    group: str = "group",
    conversions: str = "conversions",
    revenue: str | None = "revenue",
    users: str = "users",
    test_group: str = "test",
    control_group: str = "control",
    market: str = "market",
    week: str = "week",
    outcome: str = "revenue",
    outcome_kind: Outcome = "revenue",
    treated: Any = None,
    test_start: Any = None,
    n_placebos: int = 200,
    seed: int = 0,
) -> LiftResult:
    """Read out a lift test: what the campaign *caused*, with intervals.

    Parameters
    ----------
    data
        Holdout: one row per user (``group``, 0/1 ``conversions``, optional ``revenue``) or one
        row per group with a ``users`` column. Geo: a market × week table (``market``, ``week``,
        ``outcome``). Any engine narwhals supports; only per-group / per-cell sums are collected.
    design
        ``"holdout"``, ``"geo"``, or ``"auto"`` (geo when ``treated`` is given).
    cost
        What the campaign cost (a number, a cost-ledger frame or a ``CostLedger``); gives
        incremental ROAS and cost per incremental conversion.
    alpha
        1 − confidence level of the intervals (0.05 → 95 % intervals).
    group, conversions, revenue, users, test_group, control_group
        Holdout columns and the labels of the exposed and held-out groups.
    market, week, outcome, outcome_kind, treated, test_start
        Geo columns, whether the outcome is money or conversions, the treated market(s) and
        the first week of the test.
    n_placebos, seed
        Geo: number of random placebo groups when several markets are treated, and their seed.

    Returns
    -------
    LiftResult

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"group": ["test", "control"], "users": [1000, 1000],
    ...                      "conversions": [150, 100]})
    >>> r = lift_test(data)
    >>> r.estimate("lift_pct"), r.estimate("incremental_conversions")
    (50.0, 50.0)
    >>> r.to_frame()["metric"].tolist()
    ['conversion_rate_test', 'conversion_rate_control', 'lift_pct', 'incremental_conversions']

    A geo test on a simulated panel with a planted +20 % lift in two of twelve markets:

    >>> from roi_kit.incrementality import simulate_geo_test
    >>> g = simulate_geo_test(seed=0, n_markets=12, n_treated=2, pre_weeks=30, test_weeks=6,
    ...                       lift=0.2)
    >>> geo = lift_test(g.panel, treated=g.treated, test_start=g.test_start, cost=g.cost)
    >>> geo.fit_quality, geo.p_value < 0.05
    ('fair', True)
    >>> est, low, high = geo.interval("incremental_revenue")
    >>> bool(low <= g.true_incremental <= high)
    True
    """
    if not 0 < alpha < 1:
        raise ConfigError(f"alpha={alpha!r} must be between 0 and 1.", hint="0.05 gives 95% intervals.")
    if design == "auto":
        design = "geo" if treated is not None else "holdout"
    total_cost = resolve_cost(cost, currency=currency)[0] if cost is not None else None
    if design == "holdout":
        return _holdout(data, cost=total_cost, alpha=alpha, currency=currency, group=group,
                        conversions=conversions, revenue=revenue, users=users,
                        test_group=test_group, control_group=control_group)
    if design == "geo":
        if treated is None or test_start is None:
            raise ConfigError("a geo lift test needs treated= (the test markets) and test_start= "
                              "(the first week of the test).",
                              hint="e.g. rk.lift_test(panel, treated=['Leeds'], test_start='2025-03-03').")
        return _geo(data, cost=total_cost, alpha=alpha, currency=currency, market=market,
                    week=week, outcome=outcome, outcome_kind=outcome_kind, treated=treated,
                    test_start=test_start, n_placebos=n_placebos, seed=seed)
    raise ConfigError(f"design={design!r} is not one of 'auto', 'holdout', 'geo'.",
                      hint="use design='holdout' for users held out, 'geo' for markets.")


def _holdout(data: Any, *, cost: float | None, alpha: float, currency: str, group: str,
             conversions: str, revenue: str | None, users: str, test_group: str,
             control_group: str) -> LiftResult:
    c = holdout_counts(data, group=group, conversions=conversions, revenue=revenue, users=users,
                       test_group=test_group, control_group=control_group)
    a = lambda v: np.array([v], dtype=float)  # noqa: E731
    s = holdout_stats(a(c.x_test), a(c.n_test), a(c.x_control), a(c.n_control), alpha=alpha)
    first = lambda arr: float(arr[0])  # noqa: E731
    rows = [
        ("conversion_rate_test", 100 * c.x_test / c.n_test, *_wilson_pct(c.x_test, c.n_test, alpha), ""),
        ("conversion_rate_control", 100 * c.x_control / c.n_control,
         *_wilson_pct(c.x_control, c.n_control, alpha), ""),
        ("lift_pct", 100 * first(s.lift), 100 * first(s.lift_low), 100 * first(s.lift_high),
         "Katz log interval of the conversion-rate ratio"),
    ]
    inc = (c.n_test * first(s.diff), c.n_test * first(s.diff_low), c.n_test * first(s.diff_high))
    rows.append(("incremental_conversions", *inc, "Newcombe hybrid score interval × test users"))
    has_revenue = c.revenue_test is not None
    notes: list[str] = []
    if has_revenue:
        est, lo, hi = revenue_stats(a(c.revenue_test), a(c.revenue_sq_test), a(c.n_test),
                                    a(c.revenue_control), a(c.revenue_sq_control), a(c.n_control),
                                    alpha=alpha)
        rev = (first(est), first(lo), first(hi))
        basis = ("revenue per conversion taken as known (aggregated rows)" if c.aggregated
                 else "Welch normal interval on revenue per user")
        rows.append(("incremental_revenue", *rev, basis))
        if c.aggregated:
            notes.append("Revenue comes from per-group totals, so each conversion is valued at the "
                         "average revenue per conversion; variation in order size is not in the "
                         "revenue interval (pass one row per user for it).")
    rows += _cost_rows(cost, rev if has_revenue else None, inc)
    groups = pd.DataFrame({
        "group": [test_group, control_group], "users": [c.n_test, c.n_control],
        "conversions": [c.x_test, c.x_control],
        "rate": [c.x_test / c.n_test, c.x_control / c.n_control],
    })
    lo_, hi_ = wilson_interval(groups["conversions"].to_numpy(), groups["users"].to_numpy(),
                               conf_level=1 - alpha)
    groups["ci_low"], groups["ci_high"] = lo_, hi_
    headline = (f"User-level holdout: {fmt_pct(c.x_test / c.n_test, decimals=2)} of the "
                f"{c.n_test:,.0f} users who saw the campaign converted, against "
                f"{fmt_pct(c.x_control / c.n_control, decimals=2)} of the {c.n_control:,.0f} held out.")
    return LiftResult(
        design="holdout", metrics=_frame(rows), p_value=first(s.p_value), alpha=alpha, cost=cost,
        currency=currency, outcome="conversions", has_revenue=has_revenue, headline=headline,
        notes=tuple(notes), groups=groups,
        source=f"user-level holdout ({c.n_test:,.0f} exposed vs {c.n_control:,.0f} held out)",
    )


def _wilson_pct(x: float, n: float, alpha: float) -> tuple[float, float]:
    lo, hi = wilson_interval(x, n, conf_level=1 - alpha)
    return 100 * float(lo), 100 * float(hi)


def _cost_rows(cost: float | None, rev: tuple[float, float, float] | None,
               conv: tuple[float, float, float] | None) -> list[tuple[Any, ...]]:
    if cost is None or cost <= 0:
        return []
    rows: list[tuple[Any, ...]] = []
    if rev is not None:
        rows.append(("incremental_roas", rev[0] / cost, rev[1] / cost, rev[2] / cost,
                     "incremental revenue / cost (cost taken as known)"))
    if conv is not None:
        est, lo, hi = conv
        point = cost / est if est > 0 else math.nan
        upper = cost / lo if lo > 0 else math.nan
        lower = cost / hi if hi > 0 else math.nan
        note = ("" if lo > 0 else "no finite upper end: incremental conversions may be zero")
        if est <= 0:
            note = "undefined: no incremental conversions measured"
        rows.append(("cost_per_incremental_conversion", point, lower, upper, note))
    return rows


def _frame(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=_COLUMNS)
    for col in ("estimate", "ci_low", "ci_high"):
        out[col] = pd.to_numeric(out[col]).astype("float64")
    return out


def _geo(data: Any, *, cost: float | None, alpha: float, currency: str, market: str, week: str,
         outcome: str, outcome_kind: Outcome, treated: Any, test_start: Any, n_placebos: int,
         seed: int) -> LiftResult:
    p = geo_panel(data, market=market, week=week, outcome=outcome, treated=treated,
                  test_start=test_start)
    pre, post = p.pre, ~p.pre
    y_raw = p.values[:, p.treated].sum(axis=1)
    scale = float(y_raw[pre].mean())
    controls = p.values[:, p.controls]
    fit = sc_fit(index_series(y_raw, pre), index_series(controls, pre), pre)
    groups = placebo_groups(len(p.controls), len(p.treated), n_placebos=n_placebos, seed=seed)
    eff, rmspe = placebo_effects(controls, pre, groups)
    p_value, lo, hi = placebo_inference(fit.effect, eff, alpha=alpha)
    n_post = int(post.sum())
    actual = float(y_raw[post].sum())
    inc = (scale * n_post * fit.effect, scale * n_post * lo, scale * n_post * hi)
    lift = [100 * v / (actual - v) if actual > v else math.nan for v in inc]
    quality: Literal["good", "fair", "poor"] = (
        "good" if fit.pre_rmspe <= FIT_THRESHOLDS[0] else
        "fair" if fit.pre_rmspe <= FIT_THRESHOLDS[1] else "poor")
    name = "incremental_revenue" if outcome_kind == "revenue" else "incremental_conversions"
    rows: list[tuple[Any, ...]] = [
        ("lift_pct", *lift, "incremental / synthetic-control counterfactual"),
        (name, *inc, f"placebo interval from {len(groups)} placebo groups"),
        ("pre_period_rmspe_pct", 100 * fit.pre_rmspe, math.nan, math.nan,
         f"pre-period fit: {quality}"),
    ]
    rev = inc if outcome_kind == "revenue" else None
    rows += _cost_rows(cost, rev, None if rev else inc)
    treated_names = [p.markets[i] for i in p.treated]
    weights = pd.DataFrame({"market": [p.markets[i] for i in p.controls], "weight": fit.weights})
    weights = weights[weights["weight"] > 1e-4].sort_values("weight", ascending=False,
                                                            ignore_index=True)
    series = pd.DataFrame({"week": p.weeks, "treated": y_raw, "synthetic": scale * fit.synthetic,
                           "gap": scale * fit.gap,
                           "period": np.where(pre, "before test", "test")})
    top = ", ".join(f"{m} {w:.0%}" for m, w in weights.head(3).itertuples(index=False))
    headline = (f"Geo test: {len(treated_names)} treated market(s) ({', '.join(treated_names[:5])}"
                f"{' …' if len(treated_names) > 5 else ''}) against a synthetic control built from "
                f"{len(p.controls)} control markets (largest weights: {top}); {int(pre.sum())} weeks "
                f"before the test, {n_post} test weeks.")
    notes = [_fit_words(fit.pre_rmspe, quality, float(np.median(rmspe)))]
    if critical_rank(len(groups), alpha) < 0:
        notes.append(f"Only {len(groups)} placebo groups: the smallest possible p-value is "
                     f"{1 / (len(groups) + 1):.2f}, so no {1 - alpha:.0%} interval can be given; "
                     "more control markets (or a larger alpha) would allow one.")
    elif len(groups) < 2 / alpha - 1:
        notes.append(f"Only {len(groups)} placebo groups: the interval rests on the few most "
                     "extreme placebos and is rough; more control markets would sharpen it.")
    if int(pre.sum()) < len(p.controls):
        notes.append(f"There are fewer pre-period weeks ({int(pre.sum())}) than control markets "
                     f"({len(p.controls)}), so the weights can fit noise; a longer history helps.")
    return LiftResult(
        design="geo", metrics=_frame(rows), p_value=p_value, alpha=alpha, cost=cost,
        currency=currency, outcome=outcome_kind, has_revenue=outcome_kind == "revenue",
        headline=headline, notes=tuple(notes), series=series, weights=weights,
        placebos=pd.DataFrame({"placebo": [" + ".join(p.markets[p.controls[j]] for j in g)
                                           for g in groups],
                               "effect_pct": 100 * eff, "pre_rmspe_pct": 100 * rmspe}),
        pre_rmspe=fit.pre_rmspe, fit_quality=quality,
        source=f"geo test ({len(treated_names)} treated markets, synthetic control, {n_post} weeks)",
    )


def _fit_words(rmspe: float, quality: str, placebo_median: float) -> str:
    text = (f"Pre-period fit is {quality}: before the test the synthetic control missed the "
            f"treated markets by {fmt_pct(rmspe)} of a usual week (RMSPE; placebo groups: median "
            f"{fmt_pct(placebo_median)}).")
    if quality == "poor":
        text += (" The control markets do not track the treated ones well, so the estimate is "
                 "unreliable. Hint: use a longer pre-period, drop markets with unusual events, or "
                 "choose treated markets that resemble others.")
    return text
