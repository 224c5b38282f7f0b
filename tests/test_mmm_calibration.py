"""rk.fit_mmm(..., lift_tests=...): the lift-test likelihood term against brute-force references,
bad input, and the value on planted truth (a weakly identified channel's interval narrows and still
covers the truth when a lift test of it is added)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats

import roi_kit as rk
from roi_kit.datasets.media import MEDIA_CHANNELS, ORGANIC, adstock
from roi_kit.errors import ConfigError, InputError
from roi_kit.incrementality._mmm_checks import media_data
from roi_kit.incrementality._mmm_engine import _Posterior, _truncated_beta, saturated
from roi_kit.incrementality._mmm_lift import LiftTerms, lift_effects, lift_terms

SMALL = {"draws": 400, "chains": 8, "tune": 700, "steps": 900}


def weekly(weeks: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame({"week": pd.date_range("2024-01-01", periods=weeks, freq="W-MON"),
                         "revenue": rng.normal(100, 5, weeks),
                         "search": rng.gamma(2.0, 50.0, weeks),
                         "video": rng.gamma(2.0, 20.0, weeks)})


# --- the likelihood term against brute force ---------------------------------------------------
def test_lift_effect_matches_brute_force_counterfactual() -> None:
    rng = np.random.default_rng(1)
    x = rng.gamma(2.0, 1.0, (30, 2))
    terms = LiftTerms(np.array([1, 0]), np.array([10, 0]), np.array([15, 4]), np.ones(2),
                      np.ones(2))
    theta, lam = np.array([[0.3, 0.7], [0.6, 0.2]]), np.array([[1.2, 0.5], [0.8, 2.0]])
    e = lift_effects(x, terms, theta, lam, x.mean(axis=0))
    for row in range(2):
        for j, (c, a, b) in enumerate([(1, 10, 15), (0, 0, 4)]):
            dark = x[:, c].copy()
            dark[a:b + 1] = 0.0  # switched off in the window only
            rate = lam[row, c] * (1 - theta[row, c]) / x[:, c].mean()
            on = 1 - np.exp(-rate * adstock(x[:, c], theta[row, c]))
            off = 1 - np.exp(-rate * adstock(dark, theta[row, c]))
            assert e[row, j] == pytest.approx((on - off)[a:b + 1].sum(), rel=1e-12)


def test_lift_term_in_marginal_likelihood_matches_multivariate_normal() -> None:
    # Brute force: stack the lift tests under y as extra rows of the linear model, each with its
    # own variance se^2, and evaluate the joint Gaussian density of (y, lifts) with the linear
    # coefficients integrated out (covariance Sigma + X V X').
    rng = np.random.default_rng(3)
    n, x = 30, rng.gamma(2.0, 1.0, (30, 2))
    base = np.column_stack([np.ones(n), np.linspace(-0.5, 0.5, n)])
    y = rng.normal(0, 1, n)
    terms = LiftTerms(np.array([0, 1, 0]), np.array([5, 12, 20]), np.array([9, 12, 26]),
                      np.array([1.5, 0.4, 2.0]), np.array([0.3, 0.2, 0.5]))
    u = np.array([0.3, -0.4, 0.2, -0.1, np.log(0.7)])
    with_lift, without = _Posterior(y, base, x, terms), _Posterior(y, base, x)
    theta, lam, sigma = 1 / (1 + np.exp(-u[:2])), np.exp(u[2:4]), np.exp(u[4])
    design = np.hstack([base, saturated(x, theta, lam, x.mean(axis=0))])
    e = lift_effects(x, terms, theta[None], lam[None], x.mean(axis=0))[0]
    lift_rows = np.zeros((3, 4))
    lift_rows[np.arange(3), 2 + terms.channel] = e
    full = np.vstack([design, lift_rows])
    prior_var = np.diag(1 / with_lift.prior_prec)
    cov = np.diag(np.r_[np.full(n, sigma ** 2), terms.se ** 2]) + full @ prior_var @ full.T
    joint = stats.multivariate_normal(np.zeros(n + 3), cov).logpdf(np.r_[y, terms.value])
    alone = stats.multivariate_normal(np.zeros(n), cov[:n, :n]).logpdf(y)
    got = float(with_lift.logp(u[None])[0] - without.logp(u[None])[0])
    assert got == pytest.approx(joint - alone, rel=1e-9)  # the priors cancel in the difference
    # and the conditional mean of the coefficients is the least-squares fit of the stacked rows
    _, prec, h, _ = with_lift.gaussian(u[None])
    w = np.r_[np.full(n, sigma ** -2), terms.se ** -2]
    ref = np.linalg.solve(full.T @ (full * w[:, None]) + np.linalg.inv(prior_var),
                          full.T @ (w * np.r_[y, terms.value]))
    assert np.linalg.solve(prec[0], h[0]) == pytest.approx(ref, rel=1e-9)


def test_tight_lift_test_pins_the_channel_effect_by_quadrature() -> None:
    # One channel, no baseline: the conditional posterior of beta (truncated at 0) with a lift
    # test is proportional to N(y | s beta, sigma^2) N(L | e beta, se^2) N(beta | 0, 2^2);
    # its mean by numerical quadrature must match the sampler's truncated Gibbs draws.
    rng = np.random.default_rng(5)
    x = rng.gamma(2.0, 1.0, (12, 1))
    y = rng.normal(0, 1, 12) + 0.2
    terms = LiftTerms(np.array([0]), np.array([3]), np.array([6]), np.array([1.2]),
                      np.array([0.25]))
    post = _Posterior(y, np.zeros((12, 0)), x, terms)
    u = np.tile([0.0, 0.0, np.log(0.8)], (4000, 1))
    draws = _truncated_beta(post, u, rng)[:, 0]
    s = saturated(x, np.array([0.5]), np.array([1.0]), x.mean(axis=0))[:, 0]
    e = lift_effects(x, terms, np.array([[0.5]]), np.array([[1.0]]), x.mean(axis=0))[0, 0]

    grid = np.linspace(0.0, 5.0, 20001)  # brute force on a fine grid (beta >= 0)
    logd = (stats.norm.logpdf(y[:, None], s[:, None] * grid, 0.8).sum(axis=0)
            + stats.norm.logpdf(1.2, e * grid, 0.25) + stats.norm.logpdf(grid, 0, 2))
    dens = np.exp(logd - logd.max())
    mean = float(integrate.trapezoid(grid * dens, grid) / integrate.trapezoid(dens, grid))
    sd = float(np.sqrt(integrate.trapezoid((grid - mean) ** 2 * dens, grid)
                       / integrate.trapezoid(dens, grid)))
    assert draws.mean() == pytest.approx(mean, abs=4 * sd / np.sqrt(4000))
    assert abs(1.2 / e - mean) < abs(float(s @ y / (s @ s)) - mean)  # the test pulls it


def test_true_lift_is_the_planted_window_counterfactual() -> None:
    m = rk.datasets.generate_media_weekly(seed=4, weeks=90)
    data = media_data(m.frame, channels=list(MEDIA_CHANNELS), organic=[ORGANIC])
    t = rk.LiftMeasurement("video", "2024-05-06", "2024-06-10", incremental=1.0, se=1.0)
    terms, _ = lift_terms([t], data)
    assert terms is not None and (terms.first[0], terms.last[0]) == (18, 23)
    truth = m.truth
    theta, lam = np.array([truth.decay]), np.array([truth.saturation])
    i = truth.channels.index("video")
    model = truth.beta[i] * lift_effects(data.x, terms, theta, lam, data.x.mean(axis=0))[0, 0]
    assert model == pytest.approx(m.true_lift("video", "2024-05-06", "2024-06-10"), rel=1e-10)


# --- inputs -------------------------------------------------------------------------------------
def test_lift_measurement_from_holdout_and_geo_results() -> None:
    holdout = rk.lift_test(pd.DataFrame({"group": ["test", "control"], "users": [9000, 1000],
                                         "conversions": [450, 35],
                                         "revenue": [22500.0, 1750.0]}))
    t = rk.LiftMeasurement.from_lift_test(holdout, channel="search", start="2024-02-05",
                                          end="2024-03-03")
    est, lo, hi = holdout.interval("incremental_revenue")
    assert t.incremental == est and t.se == pytest.approx((hi - lo) / (2 * 1.959964), rel=1e-6)
    with pytest.raises(ConfigError, match="does not say which weeks"):
        rk.LiftMeasurement.from_lift_test(holdout, channel="search")
    g = rk.incrementality.simulate_geo_test(seed=0, n_markets=12, n_treated=2, pre_weeks=30,
                                            test_weeks=6, lift=0.2)
    geo = rk.lift_test(g.panel, treated=g.treated, test_start=g.test_start)
    tg = rk.LiftMeasurement.from_lift_test(geo, channel="search")
    test_weeks = geo.series.loc[geo.series["period"] == "test", "week"]
    assert tg.start == test_weeks.min() and tg.end == test_weeks.max() + pd.Timedelta(days=6)


def test_lift_tests_as_a_table_equal_the_dataclass() -> None:
    data = media_data(weekly(), channels=["search", "video"])
    table = pd.DataFrame({"channel": ["video"], "start": ["2024-02-05"], "end": ["2024-02-25"],
                          "incremental": [300.0], "se": [50.0]})
    a, _ = lift_terms(table, data)
    b, _ = lift_terms([rk.LiftMeasurement("video", "2024-02-05", "2024-02-25", 300.0, 50.0)], data)
    assert a is not None and b is not None
    assert (a.channel[0], a.first[0], a.last[0]) == (b.channel[0], b.first[0], b.last[0]) == (1, 5, 7)
    pl = pytest.importorskip("polars")
    c, _ = lift_terms(pl.from_pandas(table), data)
    assert c is not None and (c.first[0], c.last[0], c.value[0], c.se[0]) == (5, 7, 300.0, 50.0)


def test_lift_test_for_unknown_channel_lists_channels() -> None:
    t = rk.LiftMeasurement("tv", "2024-02-05", "2024-02-25", incremental=300.0, se=50.0)
    with pytest.raises(ConfigError, match=r"channel 'tv', which is not in the model\. "
                                          r"Channels: search, video"):
        rk.fit_mmm(weekly(), channels=["search", "video"], lift_tests=[t])


def test_lift_test_window_outside_the_data_is_refused() -> None:
    t = rk.LiftMeasurement("search", "2024-09-02", "2024-10-27", incremental=300.0, se=50.0)
    with pytest.raises(InputError, match=r"ran 2024-09-02 to 2024-10-27, outside the weekly "
                                         r"table \(2024-01-01 to 2024-10-06\)"):
        rk.fit_mmm(weekly(), channels=["search", "video"], lift_tests=[t])


@pytest.mark.parametrize("se", [0.0, -5.0, float("nan")])
def test_lift_test_non_positive_se_is_refused(se: float) -> None:
    with pytest.raises(ConfigError, match="a standard error must be a positive number"):
        rk.LiftMeasurement("search", "2024-02-05", "2024-02-25", incremental=300.0, se=se)


def test_lift_test_window_without_spend_and_bad_items_are_refused() -> None:
    frame = weekly()
    frame.loc[5:7, "video"] = 0.0
    t = rk.LiftMeasurement("video", "2024-02-05", "2024-02-25", incremental=300.0, se=50.0)
    with pytest.raises(InputError, match="'video' has no spend in the lift test's weeks"):
        rk.fit_mmm(frame, channels=["search", "video"], lift_tests=[t])
    with pytest.raises(ConfigError, match=r"LiftMeasurement\.from_lift_test"):
        rk.fit_mmm(frame, channels=["search", "video"], lift_tests=[{"channel": "video"}])
    with pytest.raises(ConfigError, match=r"ends .* before it starts"):
        rk.LiftMeasurement("video", "2024-02-25", "2024-02-05", incremental=1.0, se=1.0)


# --- value on planted truth ---------------------------------------------------------------------
def calibrate(seed: int, weeks: int, channels: list[str], se_share: float,
              **options: int) -> tuple[str, pd.DataFrame, pd.DataFrame, rk.MmmResult]:
    """Fit without and with a lift test of the least identified paid channel (widest 90 % interval
    relative to its estimate; chosen without looking at the truth) -> (channel, before, after, fit).
    The lift is the planted one over 8 mid-series weeks plus noise of the stated se."""
    m = rk.datasets.generate_media_weekly(seed=seed, weeks=weeks)
    args = dict(channels=channels, organic=[ORGANIC], controls=["price_index", "promotion"],
                organic_cost=m.truth.organic_cost, seed=seed, **options)
    before = rk.fit_mmm(m.frame.drop(columns=[c for c in MEDIA_CHANNELS if c not in channels]),
                        **args).roi()
    truth = np.array([m.truth.roas_of(c) for c in before["channel"]])
    paid = before["channel"] != ORGANIC
    width = (before["roas_high"] - before["roas_low"]) / before["roas"]
    channel = str(before.loc[width[paid].idxmax(), "channel"])
    start, end = m.frame["week"].iloc[weeks // 2], m.frame["week"].iloc[weeks // 2 + 7]
    true = m.true_lift(channel, start, end)
    measured = true + np.random.default_rng(seed).normal(0, se_share * true)
    print("seed", seed, "channel", channel, "true lift", round(true), "measured", round(measured))
    test = rk.LiftMeasurement(channel, start, end, incremental=measured, se=se_share * true)
    fit = rk.fit_mmm(m.frame.drop(columns=[c for c in MEDIA_CHANNELS if c not in channels]),
                     lift_tests=[test], **args)
    return channel, before.assign(truth=truth), fit.roi().assign(truth=truth), fit


def test_lift_test_narrows_weak_channel_and_covers_truth() -> None:
    channel, before, after, fit = calibrate(1, 104, list(MEDIA_CHANNELS), 0.1, **SMALL)
    b, a = before.set_index("channel").loc[channel], after.set_index("channel").loc[channel]
    assert a.roas_low <= a.truth <= a.roas_high
    assert (a.roas_high - a.roas_low) < 0.7 * (b.roas_high - b.roas_low)
    cal = fit.calibration()
    assert cal.loc[0, "ci_low"] <= cal.loc[0, "measured"] + 2 * cal.loc[0, "se"]
    assert "Calibrated with a lift test of" in fit.summary()


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_lift_test_narrows_weak_channel_full_size(seed: int) -> None:
    channel, before, after, fit = calibrate(seed, 104, list(MEDIA_CHANNELS), 0.1)
    b, a = before.set_index("channel").loc[channel], after.set_index("channel").loc[channel]
    assert a.roas_low <= a.truth <= a.roas_high
    assert (a.roas_high - a.roas_low) < 0.7 * (b.roas_high - b.roas_low)
    assert fit.rhat.max() < 1.05


def test_calibration_table_and_disagreement_in_words() -> None:
    from roi_kit.incrementality._mmm_engine import Draws
    from roi_kit.incrementality._mmm_result import MmmResult

    draws = Draws(theta=np.full((3, 1), 0.5), lam=np.ones((3, 1)), beta=np.ones((3, 1)),
                  sigma=np.ones(3), chain=np.zeros(3), xbar=np.ones(1), fitted=np.zeros(3),
                  acceptance=0.25)
    test = rk.LiftMeasurement("c0", "2024-01-08", "2024-01-14", incremental=-500.0, se=100.0)
    r = MmmResult(channels=("c0",), kinds=("paid",),
                  weeks=pd.date_range("2024-01-01", periods=3, freq="W-MON"), outcome=np.zeros(3),
                  totals=np.ones(1), peak=np.ones(1), costs=np.ones(1), draws=draws,
                  contributions=np.ones((3, 1)), rhat=np.ones(1), r2=0.5, level=0.9, currency="USD", lift_tests=(test,), lift_draws=np.array([[10.0], [20.0], [30.0]]))
    cal = r.calibration()
    assert cal.columns.tolist() == ["channel", "start", "end", "measured", "se", "modelled",
                                    "ci_low", "ci_high"]
    assert cal.loc[0, "modelled"] == 20.0 and cal.loc[0, "ci_low"] == pytest.approx(11.0)
    assert "The model and the c0 test disagree" in r.summary()
