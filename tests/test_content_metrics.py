"""Per-post metrics: named engagement rates, CTR, paid costs, touchpoint links; every engine."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.errors import ConfigError, MissingColumnError


def _posts() -> pd.DataFrame:
    return pd.DataFrame({
        "post_id": ["P1", "P2", "P3"], "platform": ["linkedin", "x", "x"],
        "published_at": pd.to_datetime(["2024-03-04 08:30", "2024-03-05 23:10", "2024-03-06 12:00"]),
        "type": ["video", "image", "image"], "text": ["Hi <b>there</b> #a #b", "", None],
        "likes": [30, 4, 0], "comments": [5, 1, 0], "shares": [5, 0, 0], "saves": [10, 0, 0],
        "reach": [800, 100, 0], "impressions": [1000, 200, 0], "followers": [5000, 1000, 1000],
        "clicks": [20, 2, 0], "paid": [True, False, True], "spend": [100.0, 0.0, 10.0],
    })


def test_post_metrics_hand_worked_rates_across_engines(to_engine):
    m = rk.post_metrics(to_engine(_posts()), tz="Europe/Copenhagen").to_frame()
    m = m.sort_values("post_id").reset_index(drop=True)
    # P1: engagements 30+5+5+10 = 50
    assert m.loc[0, "engagements"] == 50
    assert m.loc[0, "engagement_rate_by_reach"] == pytest.approx(50 / 800)
    assert m.loc[0, "engagement_rate_by_impressions"] == pytest.approx(0.05)
    assert m.loc[0, "engagement_rate_by_followers"] == pytest.approx(0.01)
    assert m.loc[0, "ctr"] == pytest.approx(0.02)
    assert m.loc[0, "cost_per_click"] == pytest.approx(5.0)
    assert m.loc[0, "cost_per_engagement"] == pytest.approx(2.0)
    assert m.loc[0, "cpm"] == pytest.approx(100.0)
    # organic post: no cost ratios; zero impressions: undefined, not 0 or inf
    assert np.isnan(m.loc[1, "cost_per_click"])
    assert np.isnan(m.loc[2, "engagement_rate_by_impressions"])
    assert np.isnan(m.loc[2, "cost_per_click"])
    # local time: 08:30 UTC in March is 09:30 in Copenhagen, a Monday
    assert (m.loc[0, "weekday"], m.loc[0, "hour"], m.loc[0, "weekday_name"]) == (0, 9, "Mon")
    # 23:10 UTC Tuesday is Wednesday 00:10 in Copenhagen
    assert (m.loc[1, "weekday"], m.loc[1, "hour"]) == (2, 0)
    assert m.loc[0, "hashtags"] == 2
    assert m.loc[0, "text_length"] == len("Hi <b>there</b> #a #b")


def test_post_metrics_missing_parts_are_zero_and_named():
    posts = _posts().drop(columns=["saves", "shares"])
    m = rk.post_metrics(posts)
    assert m.to_frame().loc[0, "engagements"] == 35
    assert any("shares, saves" in n for n in m.notes)


def test_post_metrics_links_touchpoints_by_utm_content(to_engine):
    tp = pd.DataFrame({
        "user_id": ["u1", "u2", "u3", "u4"], "timestamp": pd.to_datetime(["2024-03-07"] * 4),
        "content": [" p1", "P1", "p2", None], "campaign": ["c", "c", "c", "c"],
        "converted": [True, False, True, True], "conversion_value": [100.0, 0.0, 40.0, 999.0]})
    m = rk.post_metrics(_posts(), touchpoints=to_engine(tp)).to_frame().set_index("post_id")
    assert m.loc["P1", ["sessions", "conversions", "revenue"]].tolist() == [2.0, 1.0, 100.0]
    assert m.loc["P2", ["sessions", "conversions", "revenue"]].tolist() == [1.0, 1.0, 40.0]
    assert m.loc["P3", "revenue"] == 0.0


def test_post_metrics_campaign_link_splits_equally():
    posts = _posts().assign(campaign=["spring", "spring", "other"])
    tp = pd.DataFrame({"user_id": ["u1"], "timestamp": pd.to_datetime(["2024-03-07"]),
                       "campaign": ["Spring"], "converted": [True], "conversion_value": [90.0]})
    m = rk.post_metrics(posts, touchpoints=tp, link_on="campaign").to_frame()
    assert m["revenue"].tolist() == [45.0, 45.0, 0.0]
    assert "utm_campaign" in rk.post_metrics(posts, touchpoints=tp, link_on="campaign").summary()


def test_post_metrics_errors_name_the_fix():
    with pytest.raises(ConfigError, match="not a known time zone"):
        rk.post_metrics(_posts(), tz="Mars/Olympus")
    tp = pd.DataFrame({"user_id": ["u"], "timestamp": pd.to_datetime(["2024-01-01"]),
                       "converted": [True]})
    with pytest.raises(MissingColumnError, match="utm_content"):
        rk.post_metrics(_posts(), touchpoints=tp)
    with pytest.raises(MissingColumnError, match="published_at"):
        rk.post_metrics(_posts().drop(columns="published_at"))


def test_post_metrics_html_escapes_captions():
    html = rk.post_metrics(_posts().assign(text="<script>alert(1)</script>"))._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html
    chart = rk.post_metrics(_posts()).chart().to_dict()
    assert chart["mark"]["type"] == "bar"


def test_post_metrics_does_not_mutate_input():
    posts = _posts()
    before = posts.copy()
    rk.post_metrics(posts)
    pd.testing.assert_frame_equal(posts, before)
