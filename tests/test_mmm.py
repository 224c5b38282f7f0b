"""rk.fit_mmm: input checks, the engine against independent references, planted-truth recovery,
the budget optimiser against a hand-solved split, and the hand-off to rk.roi."""

from __future__ import annotations

import dataclasses
import importlib.util

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import roi_kit as rk
from roi_kit.datasets.media import MEDIA_CHANNELS, ORGANIC, adstock
from roi_kit.errors import ConfigError, InputError
from roi_kit.incrementality._mmm import _costs, _sparse
from roi_kit.incrementality._mmm_engine import (
    BETA_SD,
    Draws,
    _Posterior,
    _truncated_beta,
    saturated,
)
from roi_kit.incrementality._mmm_result import MmmResult

SMALL = {"draws": 400, "chains": 8, "tune": 700, "steps": 900}


def weekly(weeks: int = 40, **cols: list[float]) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"week": pd.date_range("2024-01-01", periods=weeks, freq="W-MON"),
                          "revenue": rng.normal(100, 5, weeks),
                          "search": rng.gamma(2.0, 50.0, weeks)})
    for name, values in cols.items():
        frame[name] = values
    return frame


# --- bad input ---------------------------------------------------------------------------------
def test_fit_mmm_too_few_weeks_names_the_need() -> None:
    frame = weekly(20, video=list(np.linspace(1, 5, 20)))
    with pytest.raises(InputError, match=r"20 weeks \(2024-01-01 to 2024-05-13\), too few for 2 "
                                         r"channels \(search, video\).*at least 24 weeks"):
        rk.fit_mmm(frame, channels=["search", "video"])


def test_fit_mmm_constant_spend_names_the_channel() -> None:
    frame = weekly(40, video=[250.0] * 40)
    with pytest.raises(InputError, match=r"channel 'video' is 250.00 in every week \(2024-01-01"):
        rk.fit_mmm(frame, channels=["search", "video"])


def test_fit_mmm_gap_in_weeks_names_the_week() -> None:
    frame = weekly(40).drop(index=10)
    with pytest.raises(InputError, match=r"after 2024-03-04 the next week is 2024-03-18 \(14 days"):
        rk.fit_mmm(frame, channels=["search"])


def test_fit_mmm_repeated_week_is_refused() -> None:
    frame = weekly(40)
    frame.loc[5, "week"] = frame.loc[4, "week"]
    with pytest.raises(InputError, match="week 2024-01-29 appears twice"):
        rk.fit_mmm(frame, channels=["search"])


def test_fit_mmm_negative_spend_names_channel_and_week() -> None:
    frame = weekly(40)
    frame.loc[3, "search"] = -20.0
    with pytest.raises(InputError, match=r"'search' has negative spend in week 2024-01-22"):
        rk.fit_mmm(frame, channels=["search"])


def test_fit_mmm_missing_spend_names_channel_and_week() -> None:
    frame = weekly(40)
    frame.loc[7, "search"] = np.nan
    with pytest.raises(InputError, match=r"'search' has no number in week 2024-02-19"):
        rk.fit_mmm(frame, channels=["search"])


def test_fit_mmm_infinite_spend_names_channel_and_week() -> None:
    frame = weekly(40)
    frame.loc[9, "search"] = np.inf
    with pytest.raises(InputError, match=r"'search' has no number in week 2024-03-04 \(value inf"):
        rk.fit_mmm(frame, channels=["search"])


def test_fit_mmm_constant_outcome_or_control_is_refused() -> None:
    with pytest.raises(InputError, match=r"the outcome 'revenue' is 100.00 in every week "
                                         r"\(2024-01-01 to 2024-09-30\)"):
        rk.fit_mmm(weekly(40).assign(revenue=100.0), channels=["search"])
    with pytest.raises(InputError, match=r"control 'promo' is 0.00 in every week.*\nHint: drop "
                                         r"'promo' from controls="):
        rk.fit_mmm(weekly(40, promo=[0.0] * 40), channels=["search"], controls=["promo"])


def test_sparse_channel_is_named_in_the_notes() -> None:
    weeks = pd.date_range("2024-01-01", periods=30, freq="W-MON")
    x = np.zeros((30, 2))
    x[:, 0] = 1.0 + np.arange(30) % 3
    x[[4, 9, 20], 1] = 5.0
    notes = _sparse(("search", "video"), x, weeks)
    assert notes == ("Warning: video was active in only 3 of 30 weeks (first 2024-01-29, last "
                     "2024-05-20); its return rests on those weeks and leans on the prior.",)


def test_fit_mmm_channels_as_one_string_is_refused() -> None:
    with pytest.raises(ConfigError, match="lists of column names"):
        rk.fit_mmm(weekly(), channels="search")  # type: ignore[arg-type]


@pytest.mark.skipif(importlib.util.find_spec("pymc_marketing") is not None,
                    reason="PyMC-Marketing is installed here")
def test_fit_mmm_pymc_engine_says_how_to_install() -> None:
    with pytest.raises(ConfigError, match=r"roi_kit\[mmm\]"):
        rk.fit_mmm(weekly(), channels=["search"], engine="pymc")


# --- the engine against references --------------------------------------------------------------
def test_saturated_matches_hand_worked_adstock() -> None:
    x = np.array([[2.0], [0.0], [1.0]])
    s = saturated(x, np.array([0.5]), np.array([1.0]), np.array([1.0]))
    ad = np.array([2.0, 1.0, 1.5])  # 2, 0 + 0.5 * 2, 1 + 0.5 * 1
    assert np.allclose(s[:, 0], 1 - np.exp(-0.5 * ad))
    assert np.allclose(adstock(x[:, 0], 0.5), ad)


def test_marginal_likelihood_matches_multivariate_normal() -> None:
    rng = np.random.default_rng(3)
    n, x = 30, rng.gamma(2.0, 1.0, (30, 2))
    base = np.column_stack([np.ones(n), np.linspace(-0.5, 0.5, n)])
    y = rng.normal(0, 1, n)
    post = _Posterior(y, base, x)
    u = np.array([0.3, -0.4, 0.2, -0.1, np.log(0.7)])
    theta, lam, sigma = 1 / (1 + np.exp(-u[:2])), np.exp(u[2:4]), np.exp(u[4])
    design = np.hstack([base, saturated(x, theta, lam, x.mean(axis=0))])
    prior_var = np.diag(1 / post.prior_prec)
    ref = stats.multivariate_normal(np.zeros(n), sigma ** 2 * np.eye(n)
                                    + design @ prior_var @ design.T).logpdf(y)
    th, ll, ls = u[:2], u[2:4], u[4]
    log_prior = (np.sum(-2 * np.logaddexp(0, -th) - 2 * np.logaddexp(0, th))
                 - 0.5 * ll @ ll - 0.5 * np.exp(2 * ls) + ls)
    assert float(post.logp(u[None])[0]) == pytest.approx(ref + log_prior, rel=1e-9)


def test_truncated_effect_matches_scipy_truncnorm() -> None:
    # One channel, no baseline: the conditional posterior of beta is a normal truncated at zero.
    rng = np.random.default_rng(5)
    x = rng.gamma(2.0, 1.0, (12, 1))
    post = _Posterior(rng.normal(0, 1, 12) - 0.3, np.zeros((12, 0)), x)
    u = np.tile([0.0, 0.0, np.log(0.8)], (4000, 1))
    b = _truncated_beta(post, u, rng)[:, 0]
    _, prec, h, _ = post.gaussian(u[:1])
    var = 1 / prec[0, 0, 0]
    mean, sd = var * h[0, 0], np.sqrt(var)
    ref = stats.truncnorm(-mean / sd, np.inf, loc=mean, scale=sd)
    assert b.min() >= 0
    assert b.mean() == pytest.approx(ref.mean(), abs=4 * ref.std() / np.sqrt(4000))
    assert BETA_SD > 0


def test_generator_truth_is_contribution_over_cost() -> None:
    m = rk.datasets.generate_media_weekly(seed=2, weeks=70)
    t = m.truth
    for i, name in enumerate(t.channels):
        x = m.frame[name].to_numpy(float)
        sat = saturated(x[:, None], np.array([t.decay[i]]), np.array([t.saturation[i]]),
                        np.array([x.mean()]))[:, 0]
        assert t.beta[i] * sat.sum() == pytest.approx(t.contribution[i], rel=1e-9)
        cost = t.organic_cost if name == ORGANIC else x.sum()
        assert t.roas[i] == pytest.approx(t.contribution[i] / cost, rel=1e-12)
        assert t.roi_of(name) == pytest.approx((t.contribution[i] - cost) * 100 / cost)
    posts = m.frame[ORGANIC].sum()
    assert t.revenue_per_post == pytest.approx(t.contribution[-1] / posts, rel=1e-12)


# --- recovery of planted truth (small; scripts/mmm_coverage.py runs 20 seeds) -----------------
@pytest.fixture(scope="module")
def fits() -> list[tuple[rk.datasets.MediaWeekly, MmmResult]]:
    out = []
    for seed in (11,):
        m = rk.datasets.generate_media_weekly(seed=seed, weeks=80)
        frame = m.frame.drop(columns=["display", "video", "email"])
        print("seed", seed)
        out.append((m, rk.fit_mmm(frame, channels=["paid_social", "search", "affiliates"],
                                  organic=[ORGANIC], controls=["price_index", "promotion"],
                                  organic_cost=m.truth.organic_cost, seed=seed, **SMALL)))
    return out


def test_fit_mmm_intervals_cover_planted_roi(fits: list) -> None:
    m, r = fits[0]
    # The dropped channels still drive revenue here, as an unmodelled part of the baseline;
    # the planted ROIs of the modelled ones must still be inside their 90% intervals.
    inside = [row.roas_low <= m.truth.roas_of(row.channel) <= row.roas_high
              for row in r.roi().itertuples(index=False)]
    assert sum(inside) >= 3, f"{sum(inside)}/4 planted ROAS inside the 90% interval"
    assert r.rhat.max() < 1.1


@pytest.mark.slow
@pytest.mark.parametrize("seed", [20, 21, 22])
def test_fit_mmm_full_defaults_cover_planted_roi(seed: int) -> None:
    m = rk.datasets.generate_media_weekly(seed=seed)
    print("seed", seed)
    r = rk.fit_mmm(m.frame, channels=list(MEDIA_CHANNELS), organic=[ORGANIC],
                   controls=["price_index", "promotion"], organic_cost=m.truth.organic_cost,
                   seed=seed)
    inside = [row.roas_low <= m.truth.roas_of(row.channel) <= row.roas_high
              for row in r.roi().itertuples(index=False)]
    assert sum(inside) >= 6, f"{sum(inside)}/7 planted ROAS inside the 90% interval"
    assert r.rhat.max() < 1.05


def test_fit_mmm_result_tables_and_words(fits: list) -> None:
    _, r = fits[0]
    assert list(r.roi().columns) == ["channel", "roi", "ci_low", "ci_high", "roas", "roas_low",
                                     "roas_high", "note"]  # DESIGN section 7: channel, roi, ci_low, ci_high
    frame = r.to_frame()
    for m in ("roas", "roi_pct", "contribution"):
        assert (frame[f"{m}_low"] <= frame[m]).all() and (frame[m] <= frame[f"{m}_high"]).all()
    assert frame["note"].eq("").all()  # organic social priced with its planted cost
    curves = r.response_curves(points=11)
    assert set(curves["channel"]) == set(r.channels)
    for _, c in curves.groupby("channel"):
        assert np.all(np.diff(c["response"]) >= 0) and np.all(np.diff(c["marginal_roas"]) <= 0)
    text = r.summary()
    assert "search: ROAS" in text and "R-hat" in text and "% to " in text
    assert r.chart().to_dict()["layer"][0]["mark"]["type"] == "bar"


def test_roi_reads_the_mmm_organic_contribution(fits: list) -> None:
    _, r = fits[0]
    contrib = r.channel("organic social")
    res = rk.roi(revenue=contrib, cost=50_000)
    assert res.net_return == pytest.approx(contrib.estimate - 50_000)
    assert "marketing-mix model" in res.summary()
    with pytest.raises(ConfigError, match="Channels: paid_social"):
        r.channel("tv")


def test_organic_cost_prices_organic_roi() -> None:
    names, kinds = ("search", "organic_social"), ("paid", "organic")
    totals = np.array([1000.0, 40.0])
    costs = _costs(names, kinds, totals, None, "EUR")
    assert costs[0] == 1000.0 and np.isnan(costs[1])  # no cost: ROAS undefined, not per post
    assert _costs(names, kinds, totals, 5000, "EUR").tolist() == [1000.0, 5000.0]
    assert _costs(names, kinds, totals, {"organic_social": 800.0}, "EUR")[1] == 800.0
    with pytest.raises(ConfigError, match="not an organic channel"):
        _costs(names, kinds, totals, {"search": 1.0}, "EUR")
    with pytest.raises(ConfigError, match="must be above zero"):
        _costs(names, kinds, totals, 0, "EUR")


def test_roas_and_roi_pct_follow_the_one_roi_rule() -> None:
    # Hand-worked: 5 draws of a paid channel's contribution over spend 100 and of an organic
    # channel without a cost (40 posts). Median contribution 150 -> ROAS 1.5, ROI 50%.
    contributions = np.array([[110.0, 400.0], [130.0, 420.0], [150.0, 440.0], [170.0, 460.0],
                              [190.0, 480.0]])
    r = dataclasses.replace(hand_result([1.0, 1.0], [1.0, 1.0], [1.0, 1.0]),
                            channels=("search", "organic_social"), kinds=("paid", "organic"),
                            totals=np.array([100.0, 40.0]), costs=np.array([100.0, np.nan]),
                            contributions=contributions, level=0.5)
    t = r.roi().set_index("channel")
    # level 0.5: quantiles 25% / 50% / 75% of (110, 130, 150, 170, 190) = 130, 150, 170
    assert t.loc["search", ["roas_low", "roas", "roas_high"]].tolist() == pytest.approx(
        [1.3, 1.5, 1.7])
    assert t.loc["search", ["ci_low", "roi", "ci_high"]].tolist() == pytest.approx(
        [30.0, 50.0, 70.0])
    same = rk.roi(revenue=r.channel("search"), cost=100.0)  # the product's ROI on the same revenue
    assert (same.roi_pct, *same.roi_pct_ci) == pytest.approx(
        tuple(t.loc["search", ["roi", "ci_low", "ci_high"]]))
    assert r.to_frame().set_index("channel").loc["search", ["roi_pct", "roi_pct_low", "roi_pct_high"]
                                                  ].tolist() == pytest.approx([50.0, 30.0, 70.0])
    assert same.roas == pytest.approx(t.loc["search", "roas"])
    assert np.isnan(t.loc["organic_social", "roas"]) and np.isnan(t.loc["organic_social", "roi"])
    assert "no cost given for organic_social" in t.loc["organic_social", "note"]
    per = r.to_frame().set_index("channel").loc["organic_social", "revenue_per_activity"]
    assert per == pytest.approx(440.0 / 40)
    assert "11.00 USD of revenue per unit of activity" in r.summary()
    assert "search: ROAS 1.50" in r.summary() and "ROI 50% (30% to 70%)" in r.summary()


# --- budget: a hand-solved optimum ----------------------------------------------------------------
def hand_result(beta: list[float], lam: list[float], xbar: list[float]) -> MmmResult:
    k = len(beta)
    draws = Draws(theta=np.zeros((1, k)), lam=np.array([lam]), beta=np.array([beta]),
                  sigma=np.ones(1), chain=np.zeros(1), xbar=np.array(xbar), fitted=np.zeros(3),
                  acceptance=0.25)
    return MmmResult(channels=tuple(f"c{i}" for i in range(k)), kinds=("paid",) * k,
                     weeks=pd.date_range("2024-01-01", periods=3, freq="W-MON"),
                     outcome=np.zeros(3), totals=np.array(xbar) * 3, peak=np.array(xbar),
                     costs=np.array(xbar) * 3, draws=draws,
                     contributions=np.ones((1, k)), rhat=np.ones(k), r2=0.5, level=0.9,
                     currency="USD")


def test_optimize_budget_equalises_marginal_returns() -> None:
    # Response b(1 - exp(-l w / m)): marginal b l / m exp(-l w / m). With b = (100, 50),
    # l = (1, 1), m = (10, 10) and a weekly total of 20, the optimum has
    # 100 exp(-w1/10) = 50 exp(-w2/10), w1 + w2 = 20  ->  w1 = 10 + 5 ln 2.
    r = hand_result([100.0, 50.0], [1.0, 1.0], [10.0, 10.0])
    plan = r.optimize_budget(total=20.0, weeks=1, bounds={"c0": (0.0, 20.0), "c1": (0.0, 20.0)})
    w1 = plan.allocation["suggested"].iloc[0]
    assert w1 == pytest.approx(10 + 5 * np.log(2), abs=1e-3)
    assert plan.allocation["suggested"].sum() == pytest.approx(20.0)
    current = np.array([10.0, 10.0])
    gain = (100 * (1 - np.exp(-w1 / 10)) + 50 * (1 - np.exp(-(20 - w1) / 10))
            - (150 * (1 - np.exp(-current[0] / 10))))
    assert plan.gain[0] == pytest.approx(gain, rel=1e-4)
    assert "Expected extra revenue" in plan.summary()
    assert plan.chart().to_dict()["mark"]["type"] == "bar"


def test_optimize_budget_default_bounds_and_bad_bounds() -> None:
    r = hand_result([100.0, 50.0], [1.0, 1.0], [10.0, 10.0])
    plan = r.optimize_budget(total=20.0, weeks=1)  # default: half to twice today's mix
    assert plan.allocation["suggested"].between(5.0 - 1e-9, 20.0 + 1e-9).all()
    with pytest.raises(ConfigError, match="cannot hold total=100"):
        r.optimize_budget(total=100.0, weeks=1, bounds={"c0": (0, 10), "c1": (0, 10)})
    with pytest.raises(ConfigError, match="no channel 'tv'"):
        r.optimize_budget(total=20.0, bounds={"tv": (0, 10)})


def test_optimize_budget_on_fit_has_interval(fits: list) -> None:
    _, r = fits[0]
    plan = r.optimize_budget(total=300_000, weeks=13)
    est, lo, hi = plan.gain
    assert lo <= est <= hi
    assert plan.allocation["suggested"].sum() == pytest.approx(300_000)
    assert plan.left_out == (ORGANIC,)


def test_fit_mmm_reads_a_polars_frame() -> None:
    pl = pytest.importorskip("polars")
    frame = weekly(40)
    frame.loc[3, "search"] = -20.0
    with pytest.raises(InputError, match=r"'search' has negative spend in week 2024-01-22"):
        rk.fit_mmm(pl.from_pandas(frame), channels=["search"])


def test_revenue_of_a_window_sums_weekly_draws_by_hand() -> None:
    # One draw, no carry-over (θ = 0), λ = 1, x̄ = 1: week revenue β (1 − e^{−x}).
    r = dataclasses.replace(hand_result([2.0, 3.0], [1.0, 1.0], [1.0, 1.0]),
                            weeks=pd.date_range("2024-01-01", periods=3, freq="W-MON"),
                            spend=np.array([[1.0, 2.0], [0.0, 1.0], [1.0, 0.0]]),
                            contributions=np.array([[2 * 2 * (1 - np.exp(-1)),
                                                     3 * ((1 - np.exp(-2)) + (1 - np.exp(-1)))]]))
    week = 1 - np.exp(-1)
    late = r.revenue("c0", start="2024-01-08", end="2024-01-20")
    assert late.estimate == pytest.approx(2 * week)  # weeks 2 and 3: 0 and 1 spent
    both = r.revenue(["c0", "c1"], start="2024-01-01", end="2024-01-08")
    assert both.estimate == pytest.approx(2 * week + 3 * ((1 - np.exp(-2)) + week))
    assert both.channel == "c0 + c1" and "2 of the 3 fitted" in both.weeks
    whole = r.revenue("c1")
    assert whole.estimate == pytest.approx(r.contributions[0, 1]) and whole.weeks.startswith("2024")
    with pytest.raises(ConfigError, match="no fitted week is dated 2025-01-01 to 2025-02-01"):
        r.revenue("c0", start="2025-01-01", end="2025-02-01")
