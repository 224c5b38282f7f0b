"""The planted prospect effect: follower vs non-follower leads in the generator and the samples.

The truth (:func:`roi_kit.datasets.prospects.prospect_truth`) is checked against closed forms and a
Monte Carlo of the generating process; the committed samples and freshly generated companies are
checked to recover it with :func:`roi_kit.compare_prospects` inside its 95 % intervals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit, logit

import roi_kit as rk
from roi_kit.datasets import generate, load_sample
from roi_kit.datasets.presets import PRESETS
from roi_kit.datasets.prospects import customer_pre_deal_p, prospect_follow_p, prospect_truth

SEED = 20
print(f"seed={SEED}")
_MEASURES = {"win rate": "prospect_win_rate", "lead to customer conversion": "prospect_lead_conversion"}


def _compare(s: rk.datasets.SampleData) -> pd.DataFrame:
    r = rk.compare_prospects(s.deals, by=rk.FollowerDefinition(), audience=s.social_audience,
                             contacts=s.customers, n_boot=10)
    return r.to_frame().set_index("measure")


def test_prospect_odds_ratio_is_planted_in_every_covariate_cell() -> None:
    p = PRESETS["saas"]
    size, region, industry = np.array([0, 2, 1]), np.array([1, 0, 3]), np.array([5, 0, 2])
    pc = customer_pre_deal_p(p, size, region, industry, confounding=1.0)
    # hand-worked first cell: logistic(-0.7 + (-0.9 + 0.15 + 0.1)) × 0.35
    assert pc[0] == pytest.approx(expit(-0.7 - 0.65) * 0.35, rel=1e-12)
    pp = prospect_follow_p(p, size, region, industry, confounding=1.0)
    odds = (pc / (1 - pc)) / (pp / (1 - pp))
    np.testing.assert_allclose(odds, p.prospect_win_odds_ratio, rtol=1e-12)


def test_prospect_truth_matches_closed_forms_without_confounding() -> None:
    p = PRESETS["dtc"]
    n, m = 900, 600
    t = prospect_truth(p, n_customers=n, n_prospects=m, confounding=0.0, window_days=730.0)
    c = expit(p.follow_intercept) * p.pre_deal_follow_share     # same in every cell
    q = expit(logit(c) - np.log(p.prospect_win_odds_ratio))
    conv = t["prospect_lead_conversion"]
    assert conv["followers"] == pytest.approx(n * c / (n * c + m * q), rel=1e-12)
    assert conv["non_followers"] == pytest.approx(n * (1 - c) / (n * (1 - c) + m * (1 - q)), rel=1e-12)
    assert conv["difference"] == pytest.approx(conv["followers"] - conv["non_followers"], abs=1e-15)
    # win rate leaves open deals out: Monte Carlo of "created uniform on [0, W-1), open when
    # creation + days to close passes W" per company size
    rng = np.random.default_rng(SEED)
    k = 400_000
    size = rng.choice(3, size=k, p=p.size_p)
    for key, follower, cc, qq in (("followers", True, c, q), ("non_followers", False, 1 - c, 1 - q)):
        days = (p.close_median_days * np.asarray(p.close_size_mult)[size]
                * (p.close_time_ratio if follower else 1.0) * np.exp(p.close_sigma * rng.standard_normal(k)))
        closed = np.mean(rng.random(k) * 729.0 + days <= 730.0)
        want = n * cc / (n * cc + m * qq * closed)
        assert t["prospect_win_rate"][key] == pytest.approx(want, abs=2e-3)
        # median days to close: the empirical median of the same mixture
        assert t["prospect_median_close_days"][key] == pytest.approx(np.median(days), rel=0.01)


@pytest.mark.parametrize("name", ["saas", "dtc"])
def test_sample_prospect_truth_is_plausible(name: str) -> None:
    t = load_sample(name).truth  # type: ignore[arg-type]
    assert t.prospect_win_odds_ratio == PRESETS[name].prospect_win_odds_ratio
    w = t.prospect_win_rate
    assert 0.1 < w["difference"] < 0.2 and w["followers"] < 0.75    # a lift, not a 100 % artefact
    assert t.prospect_median_close_days["difference"] < 0


@pytest.mark.parametrize("name", ["saas", "dtc"])
def test_sample_recovers_the_planted_prospect_effect(name: str) -> None:
    s = load_sample(name)  # type: ignore[arg-type]
    f = _compare(s)
    for measure, field in _MEASURES.items():
        truth = getattr(s.truth, field)["difference"]
        assert f.loc[measure, "ci_low"] <= truth <= f.loc[measure, "ci_high"], (measure, truth)
        assert f.loc[measure, "followers"] < 0.8                       # followers also lose deals
    gap = s.truth.prospect_median_close_days["difference"]
    assert f.loc["median days to close", "ci_low"] <= gap <= f.loc["median days to close", "ci_high"]


def test_every_audience_row_of_the_samples_matches_a_lead() -> None:
    s = load_sample("saas")
    r = rk.compare_prospects(s.deals, by=rk.FollowerDefinition(), audience=s.social_audience,
                             contacts=s.customers, n_boot=10)
    n = len(s.social_audience)
    assert f"Audience rows matched to leads: {n:,} of {n:,} (100%)." in r.summary()
    counts = r.counts.set_index("group")
    assert counts.loc["followers", "lost"] > 0 and counts.loc["followers", "won"] > 0


def test_a_generated_company_recovers_the_prospect_effect() -> None:
    """A fresh company (seed 1; the slow test below runs 60 per business): the planted
    differences lie in the 95 % intervals."""
    s = generate(seed=1, n_customers=750, touchpoints_per_customer=0.1)
    f = _compare(s)
    for measure, field in _MEASURES.items():
        truth = getattr(s.truth, field)["difference"]
        assert f.loc[measure, "ci_low"] <= truth <= f.loc[measure, "ci_high"], measure


@pytest.mark.slow
@pytest.mark.parametrize("name", ["saas", "dtc"])
def test_prospect_intervals_cover_the_planted_truth_over_seeds(name: str) -> None:
    """Coverage of the 95 % intervals over 60 generated companies, and no bias beyond 3 SE."""
    n_seeds, hits, errors = 60, {k: 0 for k in _MEASURES}, {k: [] for k in _MEASURES}
    for seed in range(100, 100 + n_seeds):
        s = generate(seed=seed, n_customers=750, business=name,  # type: ignore[arg-type]
                     touchpoints_per_customer=0.1)
        f = _compare(s)
        for measure, field in _MEASURES.items():
            truth = getattr(s.truth, field)["difference"]
            hits[measure] += int(f.loc[measure, "ci_low"] <= truth <= f.loc[measure, "ci_high"])
            errors[measure].append(f.loc[measure, "difference"] - truth)
    for measure in _MEASURES:
        err = np.asarray(errors[measure])
        print(name, measure, hits[measure] / n_seeds, err.mean())
        assert hits[measure] / n_seeds >= 0.88, measure
        assert abs(err.mean()) < 3 * err.std(ddof=1) / np.sqrt(n_seeds), measure
