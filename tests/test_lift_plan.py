"""Lift-test planning: the textbook sample size, power checked by simulation, the three ways round,
geo power from history calibrated at zero lift, and errors."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import roi_kit as rk
from roi_kit.errors import ConfigError
from roi_kit.incrementality import simulate_geo_test
from roi_kit.incrementality._holdout import holdout_stats
from roi_kit.incrementality._plan import geo_power, holdout_power, holdout_users


def test_textbook_sample_size_per_group() -> None:
    # Fleiss, Levin & Paik: 10% vs 15%, alpha 0.05 two-sided, power 0.8, no continuity
    # correction -> 686 per group.
    plan = rk.plan_lift_test(baseline_rate=0.10, lift=0.5, holdout_share=0.5)
    row = plan.to_frame().iloc[0]
    assert (row["users_test"], row["users_control"]) == (686, 686)


def test_unequal_groups_by_hand() -> None:
    p_t, p_c, h = 0.036, 0.03, 0.1
    pbar = 0.9 * p_t + 0.1 * p_c
    za, zb = stats.norm.ppf(0.975), stats.norm.ppf(0.8)
    n = (za * np.sqrt(pbar * (1 - pbar) * (1 / 0.9 + 1 / h))
         + zb * np.sqrt(p_t * (1 - p_t) / 0.9 + p_c * (1 - p_c) / h)) ** 2 / (p_t - p_c) ** 2
    assert holdout_users(0.03, 0.2, holdout_share=0.1) == pytest.approx(n)


def test_planned_size_gives_planned_power_by_simulation() -> None:
    seed = 31
    print("seed", seed)
    plan = rk.plan_lift_test(baseline_rate=0.05, lift=0.25, holdout_share=0.2).to_frame().iloc[0]
    n_t, n_c = int(plan["users_test"]), int(plan["users_control"])
    rng = np.random.default_rng(seed)
    sims = 20_000
    s = holdout_stats(rng.binomial(n_t, 0.0625, sims), np.full(sims, n_t),
                      rng.binomial(n_c, 0.05, sims), np.full(sims, n_c))
    assert np.mean(s.p_value < 0.05) == pytest.approx(0.8, abs=0.015)


def test_three_ways_round_agree() -> None:
    users = int(rk.plan_lift_test(baseline_rate=0.02, lift=0.3).to_frame()["users_total"].iloc[0])
    mdl = rk.plan_lift_test(baseline_rate=0.02, users=users).to_frame()["lift_pct"].iloc[0]
    assert mdl == pytest.approx(30.0, abs=0.05)
    power = rk.plan_lift_test(baseline_rate=0.02, users=users, lift=0.3).to_frame()["power"].iloc[0]
    assert power == pytest.approx(0.8, abs=0.002)
    assert float(holdout_power(0.02, 0.3, users)) == pytest.approx(power)


def test_holdout_plan_in_words() -> None:
    text = rk.plan_lift_test(baseline_rate=0.03, users=20_000, lift=0.1).summary()
    assert "detected" in text and "below the usual 80%" in text


def test_geo_power_rule_by_hand() -> None:
    errors = np.linspace(-0.1, 0.1, 19)  # 19 placebos: reject when no placebo is as extreme
    assert geo_power(errors, np.array([0.0]), alpha=0.05)[0] == 0.0
    # at lift 0.15 only errors with |e + 0.15| > 0.1, i.e. e > -0.05, are detected
    assert geo_power(errors, np.array([0.15]), alpha=0.05)[0] == pytest.approx(np.mean(errors > -0.05))
    assert geo_power(errors[:10], np.array([1.0]), alpha=0.05)[0] == 0.0  # too few placebos


def test_geo_plan_on_history_is_calibrated_and_longer_tests_detect_less() -> None:
    g = simulate_geo_test(seed=8, n_markets=24, n_treated=4, pre_weeks=60, test_weeks=1, lift=0.0)
    history = g.panel[g.panel["week"] < g.test_start]
    plan = rk.plan_lift_test(history, n_treated=3, weeks=(2, 8), lift=0.0, n_placebos=60)
    table = plan.to_frame()
    assert list(table["weeks"]) == [2, 8]
    assert (table["power_at_lift"] <= 0.08).all()  # no lift: rejects about alpha of the time
    assert table["min_detectable_lift_pct"].iloc[1] < table["min_detectable_lift_pct"].iloc[0]
    assert "smallest detectable lift" in plan.summary()
    assert plan.chart().to_dict()["layer"][0]["mark"]["type"] == "line"


def test_geo_plan_from_variance_model() -> None:
    plan = rk.plan_lift_test(n_markets=20, n_treated=2, noise=0.03, weeks=4, n_placebos=40,
                             cost=10_000)
    row = plan.to_frame().iloc[0]
    assert 0 < row["min_detectable_lift_pct"] < 30
    assert "simulated history of 20 markets with 3% weekly noise" in plan.summary()


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"baseline_rate": 0.03}, "give lift= .* or users="),
    ({"baseline_rate": 3.0, "lift": 0.1}, "baseline_rate=3.0 must be a conversion rate"),
    ({"baseline_rate": 0.5, "lift": 1.5}, "keep the test rate below 100%"),
    ({"design": "geo", "n_treated": 2}, "needs history="),
])
def test_plan_bad_options(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        rk.plan_lift_test(**kwargs)  # type: ignore[arg-type]


def test_geo_plan_for_named_markets_uses_the_other_markets_as_placebos() -> None:
    g = simulate_geo_test(seed=9, n_markets=15, n_treated=2, pre_weeks=40, test_weeks=1, lift=0.0)
    history = g.panel[g.panel["week"] < g.test_start]
    plan = rk.plan_lift_test(history, treated=list(g.treated), weeks=4, n_placebos=30)
    row = plan.to_frame().iloc[0]
    assert row["n_treated"] == 2 and row["placebos"] == 30  # C(13, 2) = 78 > 30 random groups
    assert f"treating {', '.join(g.treated)}" in plan.summary()
