"""The sample company's service_interactions table: planted truth recovered, other tables untouched."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import roi_kit as rk
from roi_kit.datasets import care as care_mod
from roi_kit.datasets import generate, load_sample
from roi_kit.datasets.presets import CARE
from roi_kit.schema import check_table

SEED = 20
print(f"seed={SEED}")


@pytest.fixture(scope="module", params=["saas", "dtc"])
def sample(request: pytest.FixtureRequest) -> rk.datasets.SampleData:
    return load_sample(request.param)


def test_sample_has_service_interactions_in_contract(sample: rk.datasets.SampleData) -> None:
    cases = sample.tables()["service_interactions"]
    check_table(cases, "service_interactions")
    assert cases["interaction_id"].is_unique
    assert len(cases) == sample.truth.care["cases"]
    known = cases["customer_id"].dropna()
    assert known.is_unique and known.isin(sample.customers["customer_id"]).all()
    assert len(known) == sample.truth.care["customer_cases"]
    resolved = cases[cases["resolved"]]
    assert (resolved["resolved_at"] >= resolved["first_response_at"]).all()
    assert cases.loc[~cases["resolved"], "resolved_at"].isna().all()


def test_service_metrics_recover_planted_care(sample: rk.datasets.SampleData) -> None:
    t = sample.truth
    m = rk.service_metrics(sample.service_interactions, cost_per_case=t.care_cost_per_case,
                           as_of="2025-12-31")
    f = m.to_frame().set_index("metric")
    for metric, key in (("response_rate", "p_answer"), ("resolution_rate", "resolution_rate"),
                        ("first_response_hours", "median_first_response_hours"),
                        ("resolution_hours", "median_resolution_hours")):
        lo, hi = f.loc[metric, "ci_low"], f.loc[metric, "ci_high"]
        assert lo <= t.care[key] <= hi, (metric, lo, t.care[key], hi)
    # savings are bookkeeping: the generator counted the resolved cases itself
    assert m.savings.total == pytest.approx(t.care["savings"], rel=1e-9)


def test_service_retention_recovers_planted_association(sample: rk.datasets.SampleData) -> None:
    t = sample.truth
    r = rk.service_retention(sample.customers, sample.service_interactions,
                             landmark_days=int(t.care["landmark_days"]))
    assert r.counts == {"served": t.care["n_served"],
                        "not served": t.care["n_landmark"] - t.care["n_served"]}
    diff = r.to_frame().query("group == 'difference'").set_index("horizon_days")
    for h, truth in t.care_retention_diff.items():
        assert diff.loc[h, "ci_low"] <= truth <= diff.loc[h, "ci_high"], (h, truth)
    assert diff.loc[365, "value"] > 0.1   # the planted direction: served complainers stay


def test_care_stream_leaves_every_other_table_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    base = generate(seed=SEED, n_customers=120, business="dtc", touchpoints_per_customer=1.0)
    other = dataclasses.replace(CARE["dtc"], p_complain=0.9, p_answer=0.5)
    monkeypatch.setitem(CARE, "dtc", other)
    changed = generate(seed=SEED, n_customers=120, business="dtc", touchpoints_per_customer=1.0)
    for name, frame in base.tables().items():
        if name != "service_interactions":
            pd.testing.assert_frame_equal(frame, changed.tables()[name])
    assert len(changed.service_interactions) > len(base.service_interactions)


def test_median_formulas_match_monte_carlo() -> None:
    plan = CARE["saas"]
    rng = np.random.default_rng(SEED)
    n = 120_000
    answered = rng.random(n) < plan.p_answer
    wait = plan.response_median_h * np.exp(plan.response_sigma * rng.standard_normal(n))
    fix = plan.fix_median_h * np.exp(plan.fix_sigma * rng.standard_normal(n))
    q = 0.7
    resolved = rng.random(n) < q / plan.p_answer
    first = np.where(answered, wait, np.inf)
    done = np.where(answered & resolved, wait + fix, np.inf)
    assert care_mod._median_first_response(plan) == pytest.approx(np.median(first), rel=0.02)
    assert care_mod._median_resolution(plan, q) == pytest.approx(np.median(done), rel=0.02)
    # closed form by hand: p · Φ((ln t − ln m) / σ) = 1/2
    t = care_mod._median_first_response(plan)
    assert plan.p_answer * stats.norm.cdf(np.log(t / plan.response_median_h)
                                          / plan.response_sigma) == pytest.approx(0.5)
    assert np.isnan(care_mod._median_resolution(plan, 0.4))
