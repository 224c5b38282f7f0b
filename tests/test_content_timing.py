"""Best time to post: time zones, hand-worked shrinkage, planted best slots recovered."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.content._shrinkage import normal_normal, overdispersion
from roi_kit.errors import ConfigError
from tests.content_sim import BEST, simulate


def test_normal_normal_matches_textbook_anova_estimates():
    # three cells of post rates, worked by hand with the one-way random-effects formulas
    cells = [np.array([0.05, 0.11, 0.08]), np.array([0.02, 0.05]), np.array([0.09])]
    n = np.array([len(c) for c in cells], float)
    fit = normal_normal(n, np.array([c.sum() for c in cells]), np.array([(c**2).sum() for c in cells]))
    ssw = sum(((c - c.mean()) ** 2).sum() for c in cells)
    sigma2 = ssw / (6 - 3)
    grand = np.concatenate(cells).mean()
    msb = sum(len(c) * (c.mean() - grand) ** 2 for c in cells) / 2
    n0 = (6 - (9 + 4 + 1) / 6) / 2
    tau2 = (msb - sigma2) / n0
    assert fit.sigma == pytest.approx(np.sqrt(sigma2))
    assert fit.tau == pytest.approx(np.sqrt(tau2))
    w = 1 / (tau2 + sigma2 / n)
    mu = (w * np.array([c.mean() for c in cells])).sum() / w.sum()
    assert fit.mu == pytest.approx(mu)
    b = (sigma2 / n) / (sigma2 / n + tau2)
    assert fit.shrunk == pytest.approx(mu + (1 - b) * (np.array([c.mean() for c in cells]) - mu))
    assert fit.weight[2] < fit.weight[1] < fit.weight[0]  # fewer posts, more shrinkage


def test_normal_normal_no_between_variance_pulls_everything_to_mean():
    n = np.array([2.0, 2.0])
    fit = normal_normal(n, np.array([0.10, 0.12]), np.array([0.0068, 0.0074]))  # big within noise
    assert fit.tau == 0.0
    assert fit.shrunk == pytest.approx([fit.mu, fit.mu])


def test_overdispersion_is_one_for_binomial_and_large_for_heterogeneous_posts():
    rng = np.random.default_rng(7)
    m = np.full(200, 5000.0)
    e_binom = rng.binomial(5000, 0.05, 200).astype(float)
    e_het = rng.binomial(5000, np.clip(0.05 * np.exp(0.3 * rng.standard_normal(200)), 0, 1)).astype(float)
    for e, lo, hi in ((e_binom, 0.7, 1.4), (e_het, 10, 60)):
        phi = overdispersion(np.array([200.0]), np.array([e.sum()]), np.array([m.sum()]),
                             np.array([(e * e / m).sum()]))
        assert lo <= phi <= hi


def test_best_time_converts_time_zone_and_counts_posts(to_engine):
    posts = pd.DataFrame({
        "post_id": ["a", "b", "c"], "platform": ["x", "x", "x"],
        # 23:50 UTC Sunday 30 June = Monday 01:50 in Copenhagen (CEST); India is +5:30
        "published_at": pd.to_datetime(["2024-06-30 23:50", "2024-07-01 04:40", "2024-07-01 04:20"]),
        "likes": [10, 20, 30], "impressions": [1000, 1000, 1000]})
    cph = rk.best_time_to_post(to_engine(posts), tz="Europe/Copenhagen").cells
    got = cph[cph["posts"] > 0][["weekday", "hour", "posts"]].values.tolist()
    assert got == [[0, 1, 1], [0, 6, 2]]
    ind = rk.best_time_to_post(to_engine(posts), tz="Asia/Kolkata").cells
    got = ind[ind["posts"] > 0][["weekday", "hour", "posts"]].values.tolist()
    # 04:40 UTC -> 10:10 IST, 04:20 UTC -> 09:50 IST (quarter-hour slots keep them apart)
    assert got == [[0, 5, 1], [0, 9, 1], [0, 10, 1]]
    assert len(cph) == 168


def test_best_time_recovers_planted_slot_per_platform(to_engine):
    posts = simulate(11, 1500)
    r = rk.best_time_to_post(to_engine(posts), tz="UTC")
    best = r.best.set_index("platform")
    for plat, (wd, hr) in BEST.items():
        assert (best.loc[plat, "weekday"], best.loc[plat, "hour"]) == (wd, hr)
    assert "linkedin: Tue 09:00" in r.summary()


def test_best_time_recovers_planted_slot_with_beta_binomial():
    posts = simulate(12, 1500)
    r = rk.best_time_to_post(posts, model="beta-binomial")
    best = r.best.set_index("platform")
    for plat, (wd, hr) in BEST.items():
        assert (best.loc[plat, "weekday"], best.loc[plat, "hour"]) == (wd, hr)
    assert (r.priors["phi"] > 5).all()  # posts vary far more than binomial noise


def test_best_time_two_lucky_posts_do_not_win():
    posts = simulate(13, 1500)  # true best linkedin slot: Tue 09:00 with ~75 posts
    lucky = pd.DataFrame({
        "post_id": ["l1", "l2"], "platform": ["linkedin"] * 2,
        "published_at": pd.to_datetime(["2024-03-03 04:10", "2024-03-10 04:20"]),  # Sun 04:00
        "type": ["image"] * 2, "paid": [False] * 2, "spend": [0.0] * 2, "reach": [1500] * 2,
        "impressions": [2000] * 2, "likes": [200, 190], "comments": [0, 0], "shares": [0, 0],
        "saves": [0, 0], "clicks": [0, 0], "text": ["x", "y"]})
    data = pd.concat([posts, lucky], ignore_index=True)
    for model in ("normal", "beta-binomial"):
        r = rk.best_time_to_post(data, model=model)
        cells = r.cells.query("platform == 'linkedin'").set_index(["weekday", "hour"])
        assert cells.loc[(6, 4), "posts"] == 2
        assert cells.loc[(6, 4), "raw_rate"] > cells.loc[(1, 9), "raw_rate"]  # raw would pick it
        assert cells.loc[(6, 4), "rate"] < cells.loc[(6, 4), "raw_rate"]
        best = r.best.set_index("platform").loc["linkedin"]
        assert (best["weekday"], best["hour"]) == (1, 9), model


def test_best_time_pooled_and_errors():
    posts = simulate(14, 300)
    r = rk.best_time_to_post(posts, by_platform=False)
    assert r.cells["platform"].unique().tolist() == ["all platforms"]
    assert r.cells["posts"].sum() == len(posts)
    with pytest.raises(ConfigError, match="beta-binomial"):
        rk.best_time_to_post(posts, metric="engagements", model="beta-binomial")
    with pytest.raises(ConfigError, match="time zone"):
        rk.best_time_to_post(posts, tz="Nowhere/Land")


def test_best_time_chart_has_counts_as_text():
    r = rk.best_time_to_post(simulate(15, 200))
    spec = r.chart().to_dict()
    marks = [layer["mark"]["type"] for layer in spec["spec"]["layer"]]
    assert marks == ["rect", "text"]
    assert spec["spec"]["layer"][1]["encoding"]["text"]["field"] == "count_text"
    assert "nan" not in r.summary().lower()


def test_best_time_on_generator_truth():
    gen = pytest.importorskip("roi_kit.datasets")
    if not hasattr(gen, "generate"):
        pytest.skip("sample generator not available yet")
    data = gen.generate(seed=3, n_customers=500)
    truth = data.truth.best_post_slot
    r = rk.best_time_to_post(data.posts, metric="engagement_rate_by_reach")
    best = r.best.set_index("platform")
    hits = [(int(best.loc[p, "weekday"]), int(best.loc[p, "hour"])) == tuple(truth[p])
            for p in truth if p in best.index]
    assert hits and all(hits), (best[["weekday", "hour", "posts"]], truth)
