"""Follower comparisons: hand-worked numbers, references, engines, and planted truths."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import roi_kit as rk
from roi_kit.errors import InputError
from roi_kit.followers._close_time import compare_close_time
from roi_kit.followers._deal_comparisons import compare_deal_size, compare_upsell, mann_whitney
from roi_kit.followers._group_survival import group_curves
from roi_kit.followers._means import cell_sums, group_means
from roi_kit.survival import kaplan_meier, logrank_test
from tests.budget import examples


def generate(**kw: Any) -> Any:
    with warnings.catch_warnings():  # the generator's own deprecation noise is not under test
        warnings.simplefilter("ignore")
        return rk.datasets.generate(**kw)


def _small() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    customers = pd.DataFrame({
        "customer_id": list("abcdef"),
        "acquired_at": pd.to_datetime(["2024-01-01"] * 6),
        # days after the landmark (day 90): c 154, e 62, f 245; others censored at 456
        "churned_at": pd.to_datetime([None, None, "2024-09-01", None, "2024-06-01", "2024-12-01"]),
        "observed_until": pd.to_datetime(["2025-06-30"] * 6),
        "mrr": [100.0] * 6,
        "size": ["l", "s", "l", "s", "l", "s"],
    })
    audience = pd.DataFrame({"customer_id": ["a", "b", "c"],
                             "followed_at": pd.to_datetime(["2023-11-01", "2024-01-15", "2024-01-15"])})
    deals = pd.DataFrame({
        "deal_id": range(10),
        "customer_id": [*list("abcdef"), "a", "a", "d", "zz"],
        "kind": ["new"] * 6 + ["upsell", "upsell", "upsell", "new"],
        "status": ["won"] * 6 + ["won", "won", "won", "open"],
        "created_at": pd.to_datetime(["2023-12-01"] * 6 + ["2024-05-01", "2025-06-01", "2024-05-01",
                                                           "2024-01-01"]),
        # upsells close on day 130 (a, d: inside (90, 455]) and day 520 (a: outside)
        "closed_at": pd.to_datetime(["2024-01-01"] * 6 + ["2024-05-10", "2025-06-04", "2024-05-10", None]),
        "amount": [100.0, 200.0, 300.0, 100.0, 100.0, 100.0, 50.0, 70.0, 20.0, 999.0],
    })
    return customers, audience, deals


def test_small_comparison_hand_worked(engine: str, to_engine_many: Any) -> None:
    customers, audience, deals = to_engine_many(*_small())
    cmp = rk.compare_segments(customers, deals, by=rk.FollowerDefinition(), audience=audience,
                              covariates=())
    assert (cmp.n_followers, cmp.n_non_followers) == (3, 3)
    ret = cmp.retention
    assert ret.effect("retention at 365 days", "naive").difference == pytest.approx(1 / 3)
    # RMST to 365: followers 154 + 211·2/3; non-followers 62 + 183·2/3 + 120/3
    rmst = ret.effect("mean days active within 365 days", "naive")
    assert rmst.followers == pytest.approx(154 + 211 * 2 / 3)
    assert rmst.non_followers == pytest.approx(62 + 183 * 2 / 3 + 120 / 3)
    ref = logrank_test([456, 456, 154, 456, 62, 245], [0, 0, 1, 0, 1, 1], list("fffnnn"))
    assert ret.logrank is not None and ret.logrank.statistic == pytest.approx(ref.statistic, rel=1e-12)
    # upsell: a (50) and d (20) within (90, 455]; a's second upsell is after the horizon
    up = cmp.upsell
    assert up is not None
    share = up.effect("upsell share", "naive")
    assert (share.followers, share.non_followers) == (pytest.approx(1 / 3), pytest.approx(1 / 3))
    assert up.effect("upsell revenue per customer", "naive").difference == pytest.approx((50 - 20) / 3)
    # deal size: only a followed before its deal was created (Nov 2023 < Dec 2023)
    ds = cmp.deal_size
    assert ds is not None
    mean = ds.effect("mean won new deal", "naive")
    assert (mean.followers, mean.non_followers) == (100.0, pytest.approx(800 / 5))
    assert cmp.propensity is None and "adjusted figures are not computed" in cmp.summary()
    assert any("prospects" in n for n in cmp.notes)


def test_grouped_curves_equal_the_survival_core_on_raw_data() -> None:
    rng = np.random.default_rng(4)
    hours = rng.integers(1, 500, 300)
    event = rng.random(300) < 0.7
    t = rng.random(300) < 0.4
    w = rng.uniform(0.3, 3, 300)
    curves = group_curves(hours, event, t, w)
    ref = kaplan_meier(hours[t] / 24, event[t], weights=w[t])
    np.testing.assert_allclose(curves["followers"].survival, ref.survival, atol=1e-12)
    np.testing.assert_allclose(curves["followers"].std_err, ref.std_err, atol=1e-12)


def test_mann_whitney_equals_scipy_with_ties() -> None:
    rng = np.random.default_rng(8)
    x = rng.integers(0, 20, 400).astype(float)
    t = rng.random(400) < 0.3
    _, counts = np.unique(x, return_counts=True)
    u, p = mann_whitney(stats.rankdata(x), t, float(np.sum(counts**3 - counts)))
    ref = stats.mannwhitneyu(x[t], x[~t], method="asymptotic")
    assert u == pytest.approx(ref.statistic) and p == pytest.approx(ref.pvalue, rel=1e-10)


def test_deal_size_bootstrap_is_seeded_and_brackets_the_estimate() -> None:
    rng = np.random.default_rng(1)
    amount = rng.lognormal(8, 0.5, 2000)
    t = rng.random(2000) < 0.4
    w = rng.uniform(0.5, 2, 2000)
    a = compare_deal_size(amount, t, w, n_boot=800, seed=3)
    b = compare_deal_size(amount, t, w, n_boot=800, seed=3)
    assert a.to_frame().equals(b.to_frame())
    for e in a.effects:
        assert e.ci_low is not None and e.ci_high is not None
        assert e.ci_low <= e.difference <= e.ci_high
    naive_median = a.effect("median won new deal", "naive")
    assert naive_median.difference == pytest.approx(np.median(amount[t]) - np.median(amount[~t]))
    # the exact order-statistic bootstrap matches a brute-force resampling bootstrap's spread
    brute = [np.median(rng.choice(amount[t], t.sum())) for _ in range(800)]
    fast = compare_deal_size(amount[t], np.ones(t.sum(), bool) | (np.arange(t.sum()) < 0), None)
    assert fast is not None
    y = np.sort(amount[t])
    v = np.random.default_rng(0).beta((y.size + 1) / 2, (y.size + 1) / 2, 4000)
    exact = y[np.clip(np.ceil(y.size * v).astype(int) - 1, 0, y.size - 1)]
    assert np.std(exact) == pytest.approx(np.std(brute), rel=0.2)


def test_close_time_censors_open_deals() -> None:
    hours = np.array([10, 20, 30, 40, 5, 50, 60, 70]) * 24
    closed = np.array([1, 1, 1, 0, 1, 0, 0, 1], bool)
    t = np.array([1, 1, 1, 1, 0, 0, 0, 0], bool)
    res = compare_close_time(hours, closed, t, None)
    assert res.medians[("naive", "followers")][0] == 20.0
    # non-followers: S drops to 3/4 at 5 days, to 0 at 70 days: the median is 70
    assert res.medians[("naive", "non-followers")][0] == 70.0
    assert res.open_deals == 3 and "still open" in res.summary()
    assert res.medians_frame().shape == (2, 5)


@pytest.fixture(scope="module")
def confounded() -> Any:
    return generate(seed=7, n_customers=20_000)


def _adjusted_and_naive(cmp: rk.SegmentComparison, measure: str) -> tuple[Any, Any]:
    frame = cmp.to_frame().set_index(["measure", "method"])
    return frame.loc[(measure, "naive")], frame.loc[(measure, "adjusted")]


@pytest.mark.parametrize(("measure", "truth_of"), [
    ("retention at 365 days", lambda t: t.retention_diff[365]),
    ("mean days active within 365 days", lambda t: t.rmst_diff_365),
    ("upsell revenue per customer", lambda t: t.upsell_revenue_diff_365),
    ("mean won new deal", lambda t: t.deal_size_diff),
])
def test_naive_is_biased_and_adjusted_recovers_truth_on_confounded_sample(
        confounded: Any, measure: str, truth_of: Any) -> None:
    s = confounded
    cmp = rk.compare_segments(s.customers, s.deals, audience=s.social_audience,
                              by=rk.FollowerDefinition(), n_boot=500)
    truth = truth_of(s.truth)
    naive, adjusted = _adjusted_and_naive(cmp, measure)
    assert not naive["ci_low"] <= truth <= naive["ci_high"], f"naive {measure} should be biased"
    assert naive["difference"] > truth  # confounding flatters followers
    assert adjusted["ci_low"] <= truth <= adjusted["ci_high"]
    assert abs(adjusted["difference"] - truth) < abs(naive["difference"] - truth)


def test_close_medians_cover_potential_outcome_medians(confounded: Any) -> None:
    s = confounded
    cmp = rk.compare_segments(s.customers, s.deals, audience=s.social_audience,
                              by=rk.FollowerDefinition(), n_boot=200)
    assert cmp.time_to_close is not None
    med = cmp.time_to_close.medians
    for group, key in (("followers", "followers"), ("non-followers", "non_followers")):
        _m, lo, hi = med[("adjusted", group)]
        assert lo is not None and hi is not None and lo <= s.truth.median_close_days[key] <= hi


def test_fast_coverage_over_seeds() -> None:
    """A small version of scripts/validate_coverage.py: pooled 95% coverage stays high."""
    hits, total = 0, 0
    for seed in range(4):
        s = generate(seed=100 + seed, n_customers=3000)
        cmp = rk.compare_segments(s.customers, s.deals, audience=s.social_audience,
                                  by=rk.FollowerDefinition(), n_boot=300)
        f = cmp.to_frame().set_index(["measure", "method"])
        tr = s.truth
        truths = {"retention at 90 days": tr.retention_diff[90],
                  "retention at 365 days": tr.retention_diff[365],
                  "mean days active within 365 days": tr.rmst_diff_365,
                  "upsell share": tr.upsell_share_diff_365,
                  "upsell revenue per customer": tr.upsell_revenue_diff_365,
                  "mean won new deal": tr.deal_size_diff}
        for measure, truth in truths.items():
            row = f.loc[(measure, "adjusted")]
            hits += int(row["ci_low"] <= truth <= row["ci_high"])
            total += 1
    assert hits / total >= 0.8, f"coverage {hits}/{total}"


def test_ever_definition_exaggerates_retention_through_immortal_time(confounded: Any) -> None:
    s = confounded
    pop = rk.prepare_population(s.customers, s.deals, audience=s.social_audience, covariates=())
    landmark = pop.compare(rk.FollowerDefinition(), n_boot=100)
    ever = pop.compare(rk.FollowerDefinition(kind="ever"), n_boot=100)
    d_l = landmark.retention.effect("retention at 365 days", "naive").difference
    d_e = ever.retention.effect("retention at 365 days", "naive").difference
    assert d_e > d_l + 0.02
    assert any("immortal-time" in n for n in ever.notes)


def test_compare_by_column_and_outputs_are_clean(confounded: Any) -> None:
    s = confounded
    lab = rk.define_followers(s.customers, s.social_audience).labels(s.customers)
    cust = s.customers.merge(lab, on="customer_id", how="left")
    cust["group"] = cust["group"].fillna("non-followers")
    with pytest.raises(InputError, match="'followers', 'non-followers'"):  # never guessed
        rk.compare_segments(cust, s.deals, by="group", covariates=["company_size"], n_boot=100)
    cmp = rk.compare_segments(cust, s.deals, by="group", followers="followers",
                              covariates=["company_size"], n_boot=100)
    assert cmp.n_followers == int((lab["group"] == "followers").sum())
    text = cmp.summary()
    assert "association, not proof" in text
    for bad in ("nan", "inf"):
        assert bad not in text.lower().replace("information", "").replace("influence", "")
    spec = cmp.chart().to_dict()
    assert len(spec["vconcat"]) == 4
    assert set(cmp.to_frame()["method"]) == {"naive", "adjusted"}
    assert cmp.retention.curves_frame().columns.tolist()[:3] == ["method", "group", "time_days"]
    assert "facet" in cmp.retention.chart().to_dict()


def test_engines_give_identical_comparisons(engine: str, to_engine_many: Any) -> None:
    s = generate(seed=3, n_customers=600)
    cust, deals, aud = to_engine_many(s.customers, s.deals, s.social_audience)
    cmp = rk.compare_segments(cust, deals, audience=aud, by=rk.FollowerDefinition(),
                              covariates=["company_size", "region"], n_boot=200)
    ref = rk.compare_segments(s.customers, s.deals, audience=s.social_audience,
                              by=rk.FollowerDefinition(), covariates=["company_size", "region"],
                              n_boot=200)
    pd.testing.assert_frame_equal(cmp.to_frame(), ref.to_frame())
    assert math.isclose(cmp.n_followers, ref.n_followers)


@given(st.integers(min_value=0, max_value=10_000), st.booleans())
@settings(max_examples=examples(50), deadline=None)
def test_cell_sums_equal_row_level_means_when_weights_are_constant_per_cell(seed: int,
                                                                             weighted: bool) -> None:
    rng = np.random.default_rng(seed)
    n, n_pat = 200, 7
    pattern, t = rng.integers(0, n_pat, n), rng.random(n) < 0.4
    y = rng.lognormal(3, 1, n) * (rng.random(n) < 0.7)
    w_cells = rng.uniform(0.2, 5.0, (n_pat, 2)) if weighted else None
    cell = pattern * 2 + (~t)
    rows = group_means(y, t, None if w_cells is None else w_cells.reshape(-1)[cell])
    cells = cell_sums(cell, 2 * n_pat, y).means(w_cells)
    for (m, se, k), (m_ref, se_ref, k_ref) in zip(cells, rows, strict=True):
        assert k == k_ref
        assert (m is None) == (m_ref is None) and (se is None) == (se_ref is None)
        if m is not None:
            assert m == pytest.approx(m_ref, rel=1e-10)
        if se is not None:
            assert se == pytest.approx(se_ref, rel=1e-8, abs=1e-12)


@pytest.mark.parametrize("options", [{}, {"platforms": ("linkedin",)}, {"min_engagements": 5},
                                     {"engaged_within_days": 120}, {"landmark_days": 30}])
def test_fast_labels_equal_first_follow_labels(options: dict[str, Any]) -> None:
    s = generate(seed=5, n_customers=800)
    pop = rk.prepare_population(s.customers, s.deals, audience=s.social_audience, covariates=())
    defn = rk.FollowerDefinition(**options)
    cust, day = pop.follows(defn)
    first = np.full(pop.n_customers, np.inf)
    first[cust] = day
    g = pop.grouping(defn)
    idx = g.landmark.index
    np.testing.assert_array_equal(g.treated, (first[idx] - pop.acquired[idx]) <= defn.landmark_days)
    nd = pop.new_deals
    assert nd is not None and g.deal_flags is not None
    np.testing.assert_array_equal(g.deal_flags, first[nd.customer] <= nd.created)


def test_prepared_cell_means_equal_row_level_comparisons(confounded: Any) -> None:
    s = confounded
    pop = rk.prepare_population(s.customers, s.deals, audience=s.social_audience,
                                covariates=["company_size", "industry"])
    defn = rk.FollowerDefinition(min_engagements=2)
    cmp = pop.compare(defn, n_boot=300, seed=4)
    assert cmp.propensity is not None and cmp.deal_propensity is not None
    g = pop.grouping(defn)
    lm, t = g.landmark, g.treated
    full = lm.full_index
    assert lm.upsell_count is not None and lm.upsell_revenue is not None
    upsell = compare_upsell(lm.upsell_count, lm.upsell_revenue, t[full],
                            cmp.propensity.weights[full], horizon_days=365,
                            excluded_short=int(lm.n - full.size))
    nd = pop.new_deals
    assert nd is not None and cmp.upsell is not None and cmp.deal_size is not None
    assert g.deal_flags is not None
    td = g.deal_flags[: nd.n_won]
    order = np.random.default_rng(0).permutation(nd.n_won)  # unsorted input: the row-level path
    deal = compare_deal_size(nd.amount[:nd.n_won][order], td[order],
                             cmp.deal_propensity.weights[: nd.n_won][order], n_boot=300, seed=4)
    for fast, ref in ((cmp.upsell, upsell), (cmp.deal_size, deal)):
        a, b = fast.to_frame(), ref.to_frame()
        pd.testing.assert_frame_equal(a, b, rtol=1e-9, check_exact=False)


def test_time_to_close_differences_have_intervals() -> None:
    # followers close on days 10, 20, 30 (median 20), non-followers on 20, 40, 60 (median 40)
    hours = np.array([10, 20, 30, 20, 40, 60]) * 24
    closed = np.ones(6, dtype=bool)
    treated = np.array([True] * 3 + [False] * 3)
    res = compare_close_time(hours, closed, treated, None, tau=50)
    med = res.effect("close_median", "naive")
    assert (med.followers, med.non_followers, med.difference) == (20.0, 40.0, -20.0)
    # median intervals 10-30 and 20-60 days: standard errors 10/z and 20/z, so the half-width
    # of the difference's interval is z * hypot(10/z, 20/z) = hypot(10, 20)
    assert res.medians[("naive", "followers")] == (20.0, 10.0, 30.0)
    assert res.medians[("naive", "non-followers")] == (40.0, 20.0, 60.0)
    assert (med.ci_low, med.ci_high) == pytest.approx((-20 - np.hypot(10, 20), -20 + np.hypot(10, 20)))
    rmst = res.effect("close_rmst", "naive", horizon_days=50)
    # mean days still open within 50 days: followers (10 + 20 + 30) / 3, non-followers (20 + 40 + 50) / 3
    assert rmst.followers == pytest.approx(20.0) and rmst.non_followers == pytest.approx(110 / 3)
    assert rmst.ci_low is not None and rmst.ci_low < rmst.difference < rmst.ci_high
    assert "Mean days to close within 50 days" in res.summary()
