"""Rates whose trials cluster by post: cluster-robust intervals against a hand-worked case, a
post-level bootstrap, Wilson on one binomial, and coverage on overdispersed generated posts."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.aggregates import clustered_interval, wilson_interval
from roi_kit.errors import InputError

ROOT = Path(__file__).resolve().parents[1]


def _coverage_script():
    spec = importlib.util.spec_from_file_location("validate_coverage", ROOT / "scripts" / "validate_coverage.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_clustered_interval_hand_worked_two_groups() -> None:
    # group 0: the doctest's four posts (R = 0.14, deff 14.8); group 1: one post -> Wilson
    y = np.array([2, 30, 4, 20, 7])
    n = np.array([100, 100, 100, 100, 50])
    lo, hi, g, deff = clustered_interval(y, n, np.array([0, 0, 0, 0, 1]), n_groups=2)
    assert g.tolist() == [4.0, 1.0]
    assert deff[0] == pytest.approx((4 / 3 * 536 / 400**2) / (0.14 * 0.86 / 400))
    wl, wh = wilson_interval(7, 50)
    assert (lo[1], hi[1]) == pytest.approx((float(wl), float(wh)))
    assert lo[0] == pytest.approx(0.0323, abs=5e-4) and hi[0] == pytest.approx(0.4449, abs=5e-4)


def test_clustered_interval_is_never_narrower_than_wilson_on_one_binomial() -> None:
    rng = np.random.default_rng(4)
    n = rng.integers(500, 5000, 200)
    y = rng.binomial(n, 0.03)  # every post the same rate: one binomial
    lo, hi, _, deff = clustered_interval(y, n, np.zeros(200, dtype=int), n_groups=1)
    wl, wh = wilson_interval(y.sum(), n.sum())
    assert deff[0] < 1.6
    assert hi[0] - lo[0] >= float(wh - wl) - 1e-12
    assert hi[0] - lo[0] == pytest.approx(float(wh - wl), rel=0.3)


def test_rates_on_posts_agree_with_a_post_level_bootstrap() -> None:
    posts = rk.datasets.load_sample("saas").posts
    fb = posts[posts["platform"] == "facebook"]
    r = rk.rates(fb).to_frame().set_index("metric").loc["engagement_rate_by_followers"]
    eng = fb[["likes", "comments", "shares", "saves"]].sum(axis=1).to_numpy(float)
    fol = fb["followers"].to_numpy(float)
    rng = np.random.default_rng(0)
    idx = rng.integers(0, len(fb), (4000, len(fb)))
    boot = eng[idx].sum(axis=1) / fol[idx].sum(axis=1)
    blo, bhi = np.quantile(boot, [0.025, 0.975])
    print(f"ours {r['ci_low']:.5f}-{r['ci_high']:.5f}, post bootstrap {blo:.5f}-{bhi:.5f}")
    assert r["ci_low"] == pytest.approx(blo, rel=0.04)
    assert r["ci_high"] == pytest.approx(bhi, rel=0.04)
    assert r["ci_method"].startswith("cluster-robust over")
    w = rk.rates(fb, cluster=None).to_frame().set_index("metric").loc["engagement_rate_by_followers"]
    assert w["ci_method"] == "Wilson (independent trials)"
    assert (w["ci_high"] - w["ci_low"]) < 0.5 * (r["ci_high"] - r["ci_low"])


def test_rates_cluster_choice_and_words() -> None:
    posts = pd.DataFrame({"post_id": ["p1", "p2", "p3", "p4"], "platform": ["x", "x", "x", "li"],
                          "impressions": [1000, 1000, 1000, 500], "clicks": [5, 40, 12, 9]})
    r = rk.rates(posts, by="platform")
    t = r.to_frame().set_index(["platform", "metric"])
    assert t.loc[("x", "ctr"), "ci_method"].startswith("cluster-robust over 3 post_id values")
    assert t.loc[("li", "ctr"), "ci_method"].startswith("Wilson (one post_id")
    assert "cluster-robust over 'post_id'" in r.summary()
    assert t.loc[("x", "ctr"), "value"] == pytest.approx(57 / 3000)
    plain = rk.rates(posts.drop(columns="post_id"), by="platform")
    assert "Wilson intervals" in plain.summary()
    with pytest.raises(InputError, match="cluster='post' is not a column"):
        rk.rates(posts, cluster="post")


def test_rates_coverage_on_overdispersed_posts_fast() -> None:
    mod = _coverage_script()
    table = mod.rates_coverage(seeds=40, posts=40, concentration=50.0)
    row = table.iloc[0]
    print(table.to_string())
    assert row["coverage"] >= 0.88  # nominal 0.95 (40 seeds: sd of the estimate ~0.035)
    assert row["wilson_coverage"] <= 0.5  # impressions as independent trials: far too narrow
