"""Top posts: Wilson-guarded ranking against scipy, guards, costs, characteristics."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest

import roi_kit as rk
from roi_kit.aggregates import wilson_interval
from roi_kit.errors import ConfigError, EmptyDataError, MissingColumnError
from tests.budget import examples
from tests.content_sim import simulate


def _posts() -> pd.DataFrame:
    return pd.DataFrame({
        "post_id": ["lucky", "big", "mid", "weak", "small"], "platform": ["x"] * 5,
        "published_at": pd.to_datetime(["2024-01-01 09:00", "2024-01-02 10:00", "2024-01-03 19:00",
                                        "2024-01-04 03:00", "2024-01-05 13:00"]),
        "type": ["image", "video", "video", "text", "image"],
        "likes": [3, 600, 400, 10, 1], "impressions": [10, 10000, 10000, 10000, 150],
        "clicks": [1, 50, 80, 5, 0], "paid": [False, True, True, False, False],
        "spend": [0.0, 100.0, 100.0, 0.0, 0.0], "text": ["<i>x</i>", "a", "bb", "ccc", "dddd"],
    })


@settings(max_examples=examples(50), deadline=None)
@given(st.integers(0, 200), st.integers(1, 200))
def test_wilson_interval_equals_scipy_binomtest(k, extra):
    n = k + extra
    lo, hi = wilson_interval(np.array([float(k)]), np.array([float(n)]))
    ref = binomtest(k, n).proportion_ci(method="wilson")
    assert lo[0] == pytest.approx(ref.low, abs=1e-12)
    assert hi[0] == pytest.approx(ref.high, abs=1e-12)


def test_top_posts_wilson_keeps_tiny_post_out_across_engines(to_engine):
    r = rk.top_posts(to_engine(_posts()), n=2, min_impressions=0)
    # raw rates: lucky 30 %, big 6 %, mid 4 %; Wilson lower bounds: big 5.5 %, mid 3.6 %, lucky 10.8 %?
    lo, _ = wilson_interval(np.array([3.0, 600.0, 400.0]), np.array([10.0, 10000.0, 10000.0]))
    expected = [name for _, name in sorted(zip(-lo, ["lucky", "big", "mid"]))][:2]
    assert r.top["post_id"].tolist() == expected
    raw = rk.top_posts(to_engine(_posts()), n=1, min_impressions=0, rank_by="raw")
    assert raw.top["post_id"].tolist() == ["lucky"]


def test_top_posts_min_impressions_excludes_and_counts():
    r = rk.top_posts(_posts(), n=2, min_impressions=100)
    assert r.eligible == 4 and r.excluded == 1
    assert r.top["post_id"].tolist() == ["big", "mid"]
    # weak (10 of 10,000) is confidently bad; small (1 of 150) might be anything up to 3.7 %
    assert r.bottom["post_id"].tolist() == ["weak", "small"]
    assert "left out" in r.summary()


def test_top_posts_bottom_uses_upper_bound():
    r = rk.top_posts(_posts(), n=5, min_impressions=0)
    _, hi = wilson_interval(np.array([3.0, 600, 400, 10, 1]), np.array([10.0, 1e4, 1e4, 1e4, 150]))
    order = np.argsort(hi, kind="stable")
    assert r.bottom["post_id"].tolist() == list(np.array(_posts()["post_id"])[order])


def test_top_posts_cost_metric_lowest_wins():
    r = rk.top_posts(_posts(), metric="cost_per_click", n=1, min_impressions=0)
    assert r.top["post_id"].tolist() == ["mid"]  # 100/80 < 100/50
    assert r.top["cost_per_click"].iloc[0] == pytest.approx(1.25)
    assert r.eligible == 2  # only paid posts have a cost per click


def test_top_posts_shrunk_and_wilson_keep_lucky_small_posts_out(to_engine):
    posts = simulate(5, 400)
    tiny = posts.head(5).assign(post_id=[f"tiny{i}" for i in range(5)], impressions=10, reach=8,
                                likes=2, comments=0, shares=0, saves=0)
    data = to_engine(pd.concat([posts, tiny], ignore_index=True))
    raw = rk.top_posts(data, n=10, min_impressions=0, rank_by="raw")
    assert raw.top["post_id"].str.startswith("tiny").sum() == 5
    for how in ("shrunk", "wilson"):
        r = rk.top_posts(data, n=10, min_impressions=0, rank_by=how)
        assert r.rank_by == how
        assert r.top["score"].is_monotonic_decreasing
        assert not r.top["post_id"].str.startswith("tiny").any()


def test_top_posts_characteristics_hand_worked():
    posts = pd.DataFrame({
        "post_id": list("abcdefgh"), "platform": ["x"] * 8,
        "published_at": pd.to_datetime(["2024-01-01 09:00"] * 4 + ["2024-01-02 20:00"] * 4),
        "type": ["video", "video", "image", "image", "image", "image", "image", "text"],
        "likes": [90, 80, 70, 60, 10, 9, 8, 7], "impressions": [1000] * 8,
        "text": ["#a #b", "#a #b", "#a", "#a", "", "", "", ""],
    })
    r = rk.top_posts(posts, n=2, min_impressions=0, rank_by="raw", top_share=0.5)
    ch = r.characteristics.set_index(["feature", "level"])
    assert r.top_group == 4
    assert ch.loc[("type", "video"), "top_value"] == pytest.approx(0.5)
    assert ch.loc[("type", "video"), "other_value"] == pytest.approx(0.0)
    assert ch.loc[("time of day", "morning (6-11)"), "top_value"] == pytest.approx(1.0)
    assert ch.loc[("weekday", "Tue"), "other_value"] == pytest.approx(1.0)
    assert ch.loc[("hashtags", "average"), "top_value"] == pytest.approx(1.5)
    assert ch.loc[("hashtags", "average"), "other_value"] == pytest.approx(0.0)
    assert "video" in r.summary()


def test_top_posts_recovers_planted_type_effect():
    posts = simulate(3, 800)
    r = rk.top_posts(posts, n=20, top_share=0.1)
    ch = r.characteristics.set_index(["feature", "level"])
    assert ch.loc[("type", "video"), "difference"] > 0.15
    assert ch.loc[("type", "text"), "difference"] < 0


def test_top_posts_errors():
    with pytest.raises(ConfigError, match="rank_by"):
        rk.top_posts(_posts(), rank_by="best")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="metric="):
        rk.top_posts(_posts(), metric="likes_per_day")
    with pytest.raises(MissingColumnError, match="reach"):
        rk.top_posts(_posts(), metric="engagement_rate_by_reach")
    with pytest.raises(EmptyDataError, match="min_impressions"):
        rk.top_posts(_posts(), min_impressions=10**9)


def test_top_posts_chart_and_html_escape_captions():
    r = rk.top_posts(_posts(), n=2, min_impressions=0)
    spec = r.chart().to_dict()
    assert spec["mark"]["type"] == "bar"
    assert "<i>x</i>" not in r._repr_html_()
    assert r.to_frame()["list"].tolist() == ["top", "top", "bottom", "bottom"]


def test_a_metric_that_is_zero_on_every_post_is_not_ranked() -> None:
    posts = pd.DataFrame({"post_id": list("abc"), "platform": ["x"] * 3,
                          "published_at": pd.to_datetime(["2024-01-01"] * 3),
                          "impressions": [500, 600, 700], "revenue": [0.0, 0.0, 0.0]})
    t = rk.top_posts(posts, metric="revenue")
    assert t.top.empty and t.bottom.empty and t.eligible == 3
    assert t.summary().startswith("Not ranked: revenue is 0 on all 3 eligible posts")
    assert "utm_content = post_id" in t.summary()


def test_revenue_per_post_ranks_on_the_sample_through_utm_content() -> None:
    s = rk.datasets.load_sample("saas")
    pm = rk.post_metrics(s.posts, touchpoints=s.touchpoints).to_frame()
    t = rk.top_posts(pm, metric="revenue", n=3)
    assert not t.not_ranked and t.top["revenue"].iloc[0] > 0


def test_a_metric_missing_on_every_post_says_so_instead_of_blaming_the_minimums() -> None:
    posts = pd.DataFrame({"post_id": list("ab"), "platform": ["x"] * 2,
                          "published_at": pd.to_datetime(["2024-01-01"] * 2),
                          "impressions": [500, 600], "revenue": [np.nan, np.nan]})
    with pytest.raises(EmptyDataError, match=r"missing on all 2 posts(.|\n)*Hint: pick a metric"):
        rk.top_posts(posts, metric="revenue")
