"""Bootstrap intervals of attribution credits: the fast replicates equal refits, the Poisson
draws follow scipy's pmf, the intervals have the binomial width, and ROI carries them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import roi_kit as rk
from roi_kit.attribution import intervals as iv
from roi_kit.attribution import rules
from roi_kit.attribution.markov import markov
from roi_kit.attribution.milestones import MILESTONE_WEIGHTS, milestone_credits, paths_touches
from roi_kit.attribution.paths import read_paths
from roi_kit.attribution.shapley import _distinct_sets, shapley
from roi_kit.errors import ConfigError

PATHS = pd.DataFrame({
    "path": ["Paid Social > Email", "Email", "Paid Social", "Organic Search > Paid Social > Email",
             "Organic Search", "Email > Email > Direct", "Direct", "Paid Social > Organic Search"],
    "conversions": [40, 12, 9, 15, 20, 6, 8, 11],
    "value": [4000.0, 600.0, 900.0, 2250.0, 1000.0, 300.0, 400.0, 1650.0],
    "nulls": [120, 300, 210, 45, 260, 30, 400, 70],
})


@pytest.fixture(scope="module")
def paths():
    return read_paths(PATHS)


def _boot(paths, replicate, n_boot=40, seed=3):
    return iv.bootstrap_credits(paths, replicate, n_boot=n_boot, seed=seed)


def test_poisson_draws_follow_scipy_pmf():
    lam = np.array([1.0, 4.0, 37.0, 0.4, 85.0, 0.0])
    d = iv._Poisson(lam).draw(np.random.default_rng(7), 100_000)
    for j, mean in enumerate(lam):
        ks = np.arange(int(3 * mean) + 3)
        emp = np.array([(d[j] == k).mean() for k in ks])
        # 100k draws: sampling error of a frequency is at most ~0.0016 (sd), grid error < 2**-16
        assert np.abs(emp - stats.poisson(mean).pmf(ks)).max() < 0.006, mean


@pytest.mark.parametrize("key", ["first", "last", "last_non_direct", "linear", "position", "time_decay"])
def test_rule_replicates_equal_refits_rule(key, paths):
    w = rules.rule_weights(paths, key)
    fast = _boot(paths, iv.linear_replicate(paths, paths.path_index, paths.codes, w))
    slow = _boot(paths, iv.refit_replicate(paths, lambda p: rules._credit(p, rules.rule_weights(p, key))))
    np.testing.assert_allclose(fast.conversions, slow.conversions, atol=1e-9)
    np.testing.assert_allclose(fast.value, slow.value, atol=1e-6)


@pytest.mark.parametrize("order", [1, 2, 3])
def test_markov_replicates_equal_refits_order(order, paths):
    fast = _boot(paths, iv.markov_replicate(paths, order), n_boot=12)

    def refit(p):
        f = markov(p, order=order)
        return f.conversions, f.value

    slow = _boot(paths, iv.refit_replicate(paths, refit), n_boot=12)
    np.testing.assert_allclose(fast.conversions, slow.conversions, atol=1e-9)
    np.testing.assert_allclose(fast.value, slow.value, atol=1e-6)


def test_shapley_and_milestone_replicates_equal_refits(paths):
    upid, ucode, k = _distinct_sets(paths)
    fast = _boot(paths, iv.linear_replicate(paths, upid, ucode, 1.0 / k[upid]))
    slow = _boot(paths, iv.refit_replicate(paths, lambda p: (shapley(p).conversions, shapley(p).value)))
    np.testing.assert_allclose(fast.conversions, slow.conversions, atol=1e-9)
    ms = np.tile([1, -1, -1], (paths.n_paths, 1))  # lead created on the 2nd touch (or the only one)
    ms[paths.lengths == 1, 0] = 0
    w = MILESTONE_WEIGHTS["u_shaped"]
    t = paths_touches(paths, ms)
    from roi_kit.attribution.milestones import touch_weights

    fast = _boot(paths, iv.linear_replicate(paths, paths.path_index, paths.codes, touch_weights(
        w, pos=t.pos, n=t.n, lead=t.lead, deal=t.deal, won=t.won)))
    slow = _boot(paths, iv.refit_replicate(paths, lambda p: milestone_credits(paths_touches(p, ms), w)))
    np.testing.assert_allclose(fast.value, slow.value, atol=1e-6)


def test_share_interval_has_binomial_width_two_channels():
    # last touch, a: 30 of 40 conversions. Share sd = sqrt(.75 * .25 / 40) = 0.0685 -> 95% +-0.134
    p = read_paths(pd.DataFrame({"path": ["a", "b"], "conversions": [30, 10], "nulls": [70, 90]}))
    res = rk.attribute(p, model="last", n_boot=3000, seed=11)
    row = res.to_frame().set_index("channel").loc["a"]
    assert row["share_ci_low"] < 0.75 < row["share_ci_high"]
    assert row["share_ci_high"] - row["share_ci_low"] == pytest.approx(2 * 1.96 * 0.0685, rel=0.12)
    # conversions of a: Poisson(30) -> +-1.96 sqrt(30) = +-10.7
    assert row["conversions_ci_high"] - row["conversions_ci_low"] == pytest.approx(2 * 1.96 * 30**0.5, rel=0.12)


def test_attribute_intervals_columns_bound_the_estimate(paths):
    for model in ("markov", "linear", "shapley", "position"):
        t = rk.attribute(paths, model=model, n_boot=60).to_frame()
        for what in ("conversions", "value", "share"):
            assert (t[f"{what}_ci_low"] <= t[what] + 1e-9).all(), (model, what)
            assert (t[f"{what}_ci_high"] >= t[what] - 1e-9).all(), (model, what)
        assert list(t.columns[:4]) == ["channel", "conversions", "value", "share"]


def test_attribute_n_boot_zero_has_no_interval_and_bad_n_boot_raises(paths):
    res = rk.attribute(paths, model="linear", n_boot=0)
    assert "share_ci_low" not in res.to_frame() and res.replicates is None
    assert "No interval: shares, conversions and value — run with n_boot=0" in res.summary()
    with pytest.raises(ConfigError, match="n_boot=1 is too few"):
        rk.attribute(paths, model="linear", n_boot=1)
    with pytest.raises(ConfigError, match=r"ci_level=1\.5"):
        rk.attribute(paths, model="linear", ci_level=1.5)


def test_intervals_are_seeded(paths):
    a = rk.attribute(paths, model="markov", n_boot=30, seed=5).to_frame()
    b = rk.attribute(paths, model="markov", n_boot=30, seed=5).to_frame()
    c = rk.attribute(paths, model="markov", n_boot=30, seed=6).to_frame()
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["share_ci_low"], c["share_ci_low"])


def test_roi_carries_social_value_interval(paths):
    res = rk.attribute(paths, model="linear", n_boot=400, seed=2)
    est, lo, hi, desc = res.revenue_estimate()
    social = res.replicates.value[:, [i for i, ch in enumerate(paths.channels) if ch == "Paid Social"]]
    assert lo == pytest.approx(np.quantile(social.sum(axis=1), 0.025))
    assert lo < est < hi and "bootstrap" in desc
    roi = rk.roi(revenue=res, cost=1000.0)
    assert roi.roi_pct_ci == pytest.approx((100 * (lo - 1000) / 1000, 100 * (hi - 1000) / 1000))
    assert "bootstrap intervals" in res.summary()


def test_models_without_journeys_say_why_no_interval():
    tp = pd.DataFrame({"user_id": [1, 1, 2], "channel": ["a", "b", "a"], "converted": [0, 1, 1],
                       "timestamp": pd.to_datetime(["2024-01-01", "2024-01-08", "2024-01-03"])})
    res = rk.attribute(tp, model="time_decay", channel="channel")
    assert res.replicates is None and "share_ci_low" not in res.to_frame()
    assert any(n.startswith("No interval: time decay in days") for n in res.notes)


def test_share_intervals_cover_the_planted_chain_fast():
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "validate_coverage", Path(__file__).resolve().parents[1] / "scripts" / "validate_coverage.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    table = mod.attribution_coverage(seeds=20, journeys=3000, n_boot=100)
    print(table.to_string())
    # 20 seeds x 4 channels, nominal 0.95; the truth is the planted chain's exact shares
    assert table.loc["(all)", "coverage"] >= 0.85
    assert (table.drop(index="(all)")["bias"].abs() < 0.01).all()
