"""Audience: follower growth from posts, counts and follow dates; demographic breakdowns."""

from __future__ import annotations

import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.errors import ConfigError, MissingColumnError


def test_follower_growth_from_posts_uses_last_post_of_period(to_engine):
    posts = pd.DataFrame({
        "post_id": list("abcde"), "platform": ["x", "x", "x", "li", "li"],
        "published_at": pd.to_datetime(["2024-01-03 09:00", "2024-01-30 10:00", "2024-02-10 09:00",
                                        "2024-01-15 09:00", "2024-02-15 09:00"]),
        "followers": [500, 520, 560, 1000, 900]})
    g = rk.follower_growth(to_engine(posts)).to_frame()
    x = g[g["platform"] == "x"]
    assert x["followers"].tolist() == [520.0, 560.0]
    assert x["net_new"].tolist()[1] == 40.0
    assert x["growth_rate"].tolist()[1] == pytest.approx(40 / 520)
    li = g[g["platform"] == "li"]
    assert li["growth_rate"].tolist()[1] == pytest.approx(-0.1)
    assert "li:" in rk.follower_growth(posts).summary()


def test_follower_growth_from_follow_dates_weekly():
    aud = pd.DataFrame({"customer_id": list("abcd"), "platform": ["x"] * 4,
                        "followed_at": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-09",
                                                       "2024-01-10"])})
    g = rk.follower_growth(aud, freq="week").to_frame()
    assert g["followers"].tolist() == [2.0, 4.0]
    assert g["growth_rate"].tolist()[1] == pytest.approx(1.0)
    assert rk.follower_growth(aud).chart().to_dict()["mark"]["type"] == "line"


def test_follower_growth_errors():
    with pytest.raises(ConfigError, match="freq"):
        rk.follower_growth(pd.DataFrame({"date": [], "followers": []}), freq="day")  # type: ignore[arg-type]
    with pytest.raises(MissingColumnError, match="follower"):
        rk.follower_growth(pd.DataFrame({"a": [1]}))


def test_audience_breakdown_wide_and_long(to_engine):
    wide = pd.DataFrame({"platform": ["li"] * 3, "age_range": ["18-24", "25-34", "25-34"],
                         "country": ["DK", "DK", "SE"], "count": [10, 30, 60]})
    t = rk.audience_breakdown(to_engine(wide)).to_frame().set_index(["dimension", "level"])
    assert t.loc[("age_range", "25-34"), "share"] == pytest.approx(0.9)
    assert t.loc[("country", "DK"), "count"] == 40
    long = pd.DataFrame({"dimension": ["gender", "gender"], "level": ["f", "m"], "count": [3, 1]})
    r = rk.audience_breakdown(long)
    assert r.to_frame()["share"].tolist() == [0.75, 0.25]
    assert "largest group f" in r.summary()
    assert r.chart().to_dict()["facet"]["row"]["field"] == "dimension"
