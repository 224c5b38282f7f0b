"""Earned vs paid reach: amplification, reach beyond followers and organic reach earned by boosts,
against hand-worked numbers and a planted boost effect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.errors import ConfigError, MissingColumnError


def posts() -> pd.DataFrame:
    """Two campaigns on facebook images.

    spring: boosted a (reach 5000 = 3000 paid + 2000 organic), organic b, c (900, 1100)
    summer: boosted d (reach 2600, 2000 paid → 600 organic), organic e (1000)
    Baseline organic reach of facebook images: mean(900, 1100, 1000) = 1000, variance 10,000.
    Earned: a 2000 − 1000 = +1000; d 600 − 1000 = −400.
    """
    return pd.DataFrame({
        "post_id": list("abcde"), "platform": ["facebook"] * 5, "type": ["image"] * 5,
        "published_at": pd.to_datetime(["2024-01-01"] * 5),
        "paid": [True, False, False, True, False],
        "campaign": ["spring", "spring", "spring", "summer", "summer"],
        "reach": [5000, 900, 1100, 2600, 1000], "paid_reach": [3000, 0, 0, 2000, 0],
        "followers": [800, 800, 800, 1000, 1000], "shares": [40, 8, 16, 5, 10]})


def test_per_post_definitions_by_hand() -> None:
    p = rk.earned_reach(posts()).posts.set_index("post_id")
    assert p["organic_reach"].tolist() == [2000.0, 900.0, 1100.0, 600.0, 1000.0]
    assert p["amplification_rate"].tolist() == pytest.approx([0.05, 0.01, 0.02, 0.005, 0.01])
    assert p["reach_beyond_followers"].tolist() == [1200.0, 100.0, 300.0, 0.0, 0.0]
    assert p.loc["a", "earned_by_boost"] == 1000.0 and p.loc["d", "earned_by_boost"] == -400.0
    assert np.isnan(p.loc["b", "earned_by_boost"])


def test_campaign_earned_reach_with_prediction_interval() -> None:
    g = rk.earned_reach(posts()).to_frame().set_index("campaign")
    assert g.loc["spring", ["posts", "paid_posts", "paid_reach", "earned_by_boost"]].tolist() == [
        3, 1, 3000.0, 1000.0]
    # n = 1 boosted, m = 3 unboosted, σ² = 10,000: Var = 1 · 10,000 · (1 + 1/3)
    half = 1.959964 * np.sqrt(10_000 * 4 / 3)
    assert g.loc["spring", "ci_low"] == pytest.approx(1000 - half, rel=1e-6)
    assert g.loc["spring", "earned_per_paid_reach"] == pytest.approx(1 / 3)
    assert g.loc["summer", "earned_by_boost"] == -400.0
    whole = rk.earned_reach(posts(), by="all").to_frame().iloc[0]
    assert whole["earned_by_boost"] == 600.0  # 1000 − 400
    # both boosted posts in one stratum: Var = 2 · 10,000 · (1 + 2/3)
    assert whole["ci_high"] == pytest.approx(600 + 1.959964 * np.sqrt(2 * 10_000 * 5 / 3), rel=1e-6)


def test_organic_reach_column_gives_the_same() -> None:
    split = posts().assign(organic_reach=[2000, 900, 1100, 600, 1000]).drop(columns="paid_reach")
    a = rk.earned_reach(split).to_frame()
    b = rk.earned_reach(posts()).to_frame()
    pd.testing.assert_frame_equal(a, b)


def test_without_the_split_earned_is_undefined_in_words() -> None:
    e = rk.earned_reach(posts().drop(columns="paid_reach"))
    g = e.to_frame().set_index("campaign")
    assert np.isnan(g.loc["spring", "earned_by_boost"])
    assert g.loc["spring", "note"] == "boosted posts have no organic/paid reach split"
    text = e.summary()
    assert "Earned by boosts: undefined — boosted posts have no organic/paid reach split" in text
    assert "Lifetime Post organic reach" in text
    assert "nan" not in text.lower()


def test_no_baseline_in_the_stratum_is_said() -> None:
    p = posts().assign(type=["video", "image", "image", "image", "image"])
    g = rk.earned_reach(p).to_frame().set_index("campaign")
    assert g.loc["spring", "note"] == "no unboosted post of the same platform and type to compare with"
    assert g.loc["summer", "note"] == ""


def test_every_engine_gives_the_same(to_engine: Callable[[pd.DataFrame], Any]) -> None:
    pd.testing.assert_frame_equal(rk.earned_reach(to_engine(posts())).to_frame(),
                                  rk.earned_reach(posts()).to_frame())


def test_bad_input_raises() -> None:
    with pytest.raises(ConfigError, match="by='post'"):
        rk.earned_reach(posts(), by="post")  # type: ignore[arg-type]
    with pytest.raises(MissingColumnError, match="'reach'"):
        rk.earned_reach(posts().drop(columns="reach"))


def test_chart_and_meta_export_columns() -> None:
    spec = rk.earned_reach(posts()).chart().to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["bar", "rule"]
    # a Meta export names its page: three generic headers alone no longer name the family
    src = pd.DataFrame({"Post ID": ["1"], "Page name": ["Shop"], "Publish time": ["2024-01-01 10:00"],
                        "Permalink": ["u"],
                        "Post type": ["Photo"], "Reach": [500], "Lifetime Post organic reach": [200],
                        "Lifetime Post Paid Reach": [300]})
    df, rep = rk.load_posts(src, now="2024-06-01")
    assert rep.alias_set == "Meta Business Suite (Facebook posts)"
    assert df[["organic_reach", "paid_reach"]].iloc[0].tolist() == [200, 300]


def test_planted_boost_effect_is_recovered() -> None:
    seed = 7
    print(f"seed={seed}")
    rng = np.random.default_rng(seed)
    n, lift = 600, 400.0  # every boosted post earns 400 organic reach on top of its baseline
    paid = rng.random(n) < 0.3
    organic = rng.normal(1500, 300, n) + np.where(paid, lift, 0.0)
    paid_reach = np.where(paid, rng.normal(3000, 500, n), 0.0)
    frame = pd.DataFrame({"post_id": [f"p{i}" for i in range(n)], "platform": "x",
                          "published_at": pd.to_datetime("2024-01-01"), "paid": paid,
                          "reach": organic + paid_reach, "paid_reach": paid_reach})
    g = rk.earned_reach(frame, by="all").to_frame().iloc[0]
    truth = lift * paid.sum()
    assert g["ci_low"] <= truth <= g["ci_high"]
    assert g["ci_low"] > 0.5 * truth
