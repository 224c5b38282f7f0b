"""Geo lift test: synthetic-control weights against an independent solver, planted truth recovered,
placebo inference by hand, pre-period fit flagged, errors naming market and week."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import roi_kit as rk
from roi_kit.errors import ConfigError, InputError
from roi_kit.incrementality import simulate_geo_test
from roi_kit.incrementality._geo import placebo_inference, sc_fit, sc_weights, sc_weights_slsqp


def test_weights_recover_an_exact_convex_combination() -> None:
    rng = np.random.default_rng(1)
    donors = rng.normal(1.0, 0.2, (30, 6))
    truth = np.array([0.0, 0.5, 0.0, 0.3, 0.2, 0.0])
    assert sc_weights(donors, donors @ truth) == pytest.approx(truth, abs=1e-8)


def test_weights_match_slsqp_when_treated_is_outside_the_hull() -> None:
    rng = np.random.default_rng(2)
    donors = rng.normal(1.0, 0.1, (40, 8))
    y = 1.3 * donors[:, 0] - 0.2 + rng.normal(0, 0.02, 40)  # not reachable by a convex combination
    w = sc_weights(donors, y)
    ref = sc_weights_slsqp(donors, y)
    assert w.min() >= 0 and w.sum() == pytest.approx(1.0)
    loss = lambda v: float(np.sum((donors @ v - y) ** 2))  # noqa: E731
    assert loss(w) <= loss(ref) + 1e-9
    assert w == pytest.approx(ref, abs=1e-4)


def test_effect_and_rmspe_by_hand() -> None:
    donors = np.array([[1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0]])
    y = np.array([1.5, 1.5, 1.8, 1.6])  # pre = first two weeks: weights 0.5/0.5, gaps 0.3, 0.1
    fit = sc_fit(y, donors, np.array([True, True, False, False]))
    assert fit.weights == pytest.approx([0.5, 0.5], abs=1e-9)
    assert fit.effect == pytest.approx(0.2)
    assert fit.pre_rmspe == pytest.approx(0.0, abs=1e-9)


def test_placebo_p_value_and_interval_by_hand() -> None:
    placebo = np.array([-0.3, -0.1, 0.0, 0.1, 0.2, 0.4])
    p, lo, hi = placebo_inference(0.25, placebo, alpha=0.2)
    assert p == pytest.approx((1 + 2) / 7)  # |0.3| and |0.4| are at least as extreme
    # m = floor(0.2 * 7) - 1 = 0: the largest |placebo| (0.4) is the critical value
    assert (lo, hi) == pytest.approx((0.25 - 0.4, 0.25 + 0.4))
    # every shift inside the interval is not rejected by the same test, outside it is
    for shift, rejected in ((0.0, False), (0.25 - 0.41, True), (0.25 + 0.41, True)):
        assert (placebo_inference(0.25 - shift, placebo, alpha=0.2)[0] <= 0.2) is rejected


def test_too_few_placebos_give_an_unbounded_interval() -> None:
    p, lo, hi = placebo_inference(1.0, np.array([0.1, -0.1, 0.2]), alpha=0.05)
    assert p == pytest.approx(0.25) and np.isnan(lo) and np.isnan(hi)


def test_planted_geo_lift_recovered_with_interval() -> None:
    g = simulate_geo_test(seed=11, n_markets=20, n_treated=3, pre_weeks=40, test_weeks=6, lift=0.15)
    r = rk.lift_test(g.panel, treated=g.treated, test_start=g.test_start, cost=g.cost, n_placebos=60)
    est, lo, hi = r.interval("incremental_revenue")
    assert lo <= g.true_incremental <= hi
    assert est == pytest.approx(g.true_incremental, rel=0.35)
    assert r.p_value < 0.05
    assert r.fit_quality == "good"
    assert r.weights is not None and r.weights["weight"].sum() == pytest.approx(1.0, abs=1e-3)
    roi = rk.roi(revenue=r, cost=g.cost)
    assert "incremental revenue from a geo test" in roi.revenue_source
    assert roi.roas == pytest.approx(est / g.cost)


def test_no_lift_reads_as_no_effect() -> None:
    g = simulate_geo_test(seed=5, n_markets=16, n_treated=1, pre_weeks=30, test_weeks=4, lift=0.0)
    r = rk.lift_test(g.panel, treated=g.treated, test_start=g.test_start)
    assert r.p_value > 0.05
    assert "not distinguishable from zero" in r.summary()
    assert "Only 15 placebo groups" in r.summary()


def test_same_readout_on_every_engine(to_engine) -> None:
    g = simulate_geo_test(seed=3, n_markets=8, n_treated=1, pre_weeks=12, test_weeks=3)
    base = rk.lift_test(g.panel, treated=g.treated, test_start=g.test_start)
    other = rk.lift_test(to_engine(g.panel), treated=g.treated, test_start=g.test_start)
    pd.testing.assert_frame_equal(base.to_frame(), other.to_frame())


def test_poor_pre_period_fit_is_flagged_in_words() -> None:
    g = simulate_geo_test(seed=2, n_markets=10, n_treated=1, pre_weeks=20, test_weeks=4)
    panel = g.panel.copy()
    rng = np.random.default_rng(0)
    hit = panel["market"] == g.treated[0]
    panel.loc[hit, "revenue"] *= rng.uniform(0.6, 1.4, hit.sum())  # erratic treated market
    r = rk.lift_test(panel, treated=g.treated, test_start=g.test_start)
    assert r.fit_quality == "poor"
    assert "Pre-period fit is poor" in r.summary() and "Hint:" in r.summary()


def test_geo_chart_has_series_and_gap() -> None:
    g = simulate_geo_test(seed=3, n_markets=8, n_treated=1, pre_weeks=12, test_weeks=3)
    spec = rk.lift_test(g.panel, treated=g.treated, test_start=g.test_start).chart().to_dict()
    assert len(spec["vconcat"]) == 2


def _small() -> tuple[pd.DataFrame, str, pd.Timestamp]:
    g = simulate_geo_test(seed=3, n_markets=8, n_treated=1, pre_weeks=12, test_weeks=3)
    return g.panel.copy(), g.treated[0], g.test_start


def test_too_few_pre_weeks_named() -> None:
    panel, treated, _start = _small()
    early = panel["week"].sort_values().unique()[5]
    with pytest.raises(InputError, match=r"only 5 weeks in column 'week' fall before "
                       r"test_start=(.|\n)*at least 8(.|\n)*Hint:"):
        rk.lift_test(panel, treated=[treated], test_start=early)


def test_missing_treated_market_named() -> None:
    panel, _, start = _small()
    with pytest.raises(InputError, match=r"treated market 'Atlantis' is not in column 'market'"
                       r"(.|\n)*Hint: pass treated="):
        rk.lift_test(panel, treated=["Atlantis"], test_start=start)


def test_negative_outcome_names_market_and_week() -> None:
    panel, treated, start = _small()
    panel.loc[3, "revenue"] = -5.0
    market, week = panel.loc[3, "market"], panel.loc[3, "week"]
    with pytest.raises(InputError, match=rf"negative \(-5\) for market '{market}' in week "
                       rf"{week}(.|\n)*Hint:"):
        rk.lift_test(panel, treated=[treated], test_start=start)


def test_gap_and_duplicate_weeks_named() -> None:
    panel, treated, start = _small()
    with pytest.raises(InputError, match=r"has no row for week .* \(the panel has gaps\)"):
        rk.lift_test(panel.drop(index=[10]), treated=[treated], test_start=start)
    with pytest.raises(InputError, match=r"has 2 rows for week"):
        rk.lift_test(pd.concat([panel, panel.iloc[[0]]]), treated=[treated], test_start=start)


def test_geo_needs_start() -> None:
    panel, treated, _ = _small()
    with pytest.raises(ConfigError, match="test_start="):
        rk.lift_test(panel, treated=[treated])


def _geo_coverage(n_sims: int, seed0: int, **kw: float) -> float:
    hits = 0
    for s in range(n_sims):
        g = simulate_geo_test(seed=seed0 + s, **kw)  # type: ignore[arg-type]
        r = rk.lift_test(g.panel, treated=g.treated, test_start=g.test_start, alpha=0.1)
        _, lo, hi = r.interval("incremental_revenue")
        hits += lo <= g.true_incremental <= hi
    return hits / n_sims


def test_geo_interval_coverage_small() -> None:
    # 90% placebo intervals, one treated market and 15 placebos: a rough check that the
    # interval is not far off (the slow test measures it properly).
    cov = _geo_coverage(10, 1000, n_markets=16, n_treated=1, pre_weeks=26, test_weeks=4, lift=0.1)
    assert cov >= 0.7


@pytest.mark.slow
def test_geo_interval_coverage_many_simulations() -> None:
    cov = _geo_coverage(300, 5000, n_markets=30, n_treated=1, pre_weeks=52, test_weeks=6, lift=0.1)
    print("geo 90% interval coverage over 300 simulated tests:", cov)
    assert 0.85 <= cov <= 0.95


def test_conversions_outcome_gives_cost_per_incremental_conversion() -> None:
    g = simulate_geo_test(seed=11, n_markets=20, n_treated=3, pre_weeks=40, test_weeks=6, lift=0.15)
    panel = g.panel.assign(orders=(g.panel["revenue"] / 50).round())
    r = rk.lift_test(panel, treated=g.treated, test_start=g.test_start, outcome="orders",
                     outcome_kind="conversions", cost=g.cost, n_placebos=40)
    est, lo, hi = r.interval("incremental_conversions")
    assert lo <= g.true_incremental / 50 <= hi
    assert r.estimate("cost_per_incremental_conversion") == pytest.approx(g.cost / est)
    assert not r.has_revenue
    assert "incremental_revenue" not in r.to_frame()["metric"].tolist()


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), n_donors=st.integers(2, 8), n_weeks=st.integers(3, 30))
def test_weights_always_on_the_simplex_and_no_worse_than_any_single_donor(
        seed: int, n_donors: int, n_weeks: int) -> None:
    rng = np.random.default_rng(seed)
    donors = rng.gamma(2.0, 1.0, (n_weeks, n_donors))
    y = rng.gamma(2.0, 1.0, n_weeks)
    w = sc_weights(donors, y)
    assert w.min() >= 0 and w.sum() == pytest.approx(1.0)
    loss = float(np.sum((donors @ w - y) ** 2))
    singles = [float(np.sum((donors[:, j] - y) ** 2)) for j in range(n_donors)]
    assert loss <= min(singles) * (1 + 1e-7) + 1e-9
