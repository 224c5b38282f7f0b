"""Intent ladder: hand-worked scores, the per-rung ladder, editable weights, unweighted sums kept,
every engine, the chart spec, and the score as a top_posts metric."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.errors import ConfigError

# a: 10 likes                                     -> 10 points, 10 actions, depth 1
# b: 2 likes, 1 comment, 1 share, 2 clicks, 1 inquiry -> 2 + 2 + 3 + 8 + 10 = 25 points, 7 actions
# c: nothing but 100 impressions                   -> 0 points, 0 actions, depth undefined
POSTS = pd.DataFrame({
    "post_id": ["a", "b", "c"], "platform": ["linkedin", "linkedin", "x"],
    "published_at": pd.to_datetime(["2024-03-04 09:00", "2024-03-05 10:00", "2024-03-06 11:00"]),
    "impressions": [1000, 500, 100], "likes": [10, 2, 0], "comments": [0, 1, 0],
    "shares": [0, 1, 0], "clicks": [0, 2, 0], "inquiries": [0, 1, 0]})


def test_scores_hand_worked(to_engine: Callable[[pd.DataFrame], Any]) -> None:
    res = rk.intent_ladder(to_engine(POSTS))
    t = res.to_frame().set_index("post_id")
    assert list(res.to_frame()["post_id"]) == ["b", "a", "c"]  # highest score first
    assert t["intent_score"].to_dict() == {"a": 10.0, "b": 25.0, "c": 0.0}
    assert t["actions"].to_dict() == {"a": 10.0, "b": 7.0, "c": 0.0}
    assert t.loc["b", "depth"] == pytest.approx(25 / 7)
    assert t.loc["a", "depth"] == 1.0 and np.isnan(t.loc["c", "depth"])
    # the unweighted sums stay: engagements = likes + comments + shares (+ saves, absent here)
    assert t["engagements"].to_dict() == {"a": 10.0, "b": 4.0, "c": 0.0}


def test_ladder_per_rung_hand_worked() -> None:
    lad = rk.intent_ladder(POSTS).ladder.set_index("rung")
    assert lad["count"].tolist() == [1600.0, 12.0, 1.0, 1.0, 2.0, 1.0]
    assert lad["points"].tolist() == [0.0, 12.0, 2.0, 3.0, 8.0, 10.0]
    assert lad.loc["like", "share_of_points"] == pytest.approx(12 / 35)
    assert lad.loc["like", "share_of_actions"] == pytest.approx(12 / 17)
    assert np.isnan(lad.loc["view", "share_of_actions"])
    # how far the audience climbs: likes per view, comments per like, ... inquiries per click
    assert lad["per_lower_rung"].tolist()[1:] == pytest.approx([12 / 1600, 1 / 12, 1.0, 2.0, 0.5])


def test_summary_in_words_hand_worked() -> None:
    text = rk.intent_ladder(POSTS).summary()
    assert "view 0 < like 1 < comment 2 < share 3 < click 4 < inquiry 10" in text
    assert "12 likes, 1 comments, 1 shares, 2 clicks, 1 inquiries (17 unweighted)" in text
    # deep actions: 3 of 17 actions (17.6 %) but 18 of 35 points (51.4 %)
    assert "Clicks and inquiries are 17.6% of the actions and 51.4% of the intent points" in text
    assert "Most intent: post b (25 points); deepest average action: post b (3.57" in text
    assert "nan" not in text.lower()


def test_user_weights_change_the_score_and_views_can_count() -> None:
    w = rk.IntentWeights(view=0.01, inquiry=50.0)
    t = rk.intent_ladder(POSTS, weights=w).to_frame().set_index("post_id")
    # a: 10 + 1000 x 0.01 = 20; b: 2 + 2 + 3 + 8 + 50 + 5 = 70; c: 1
    assert t["intent_score"].to_dict() == pytest.approx({"a": 20.0, "b": 70.0, "c": 1.0})
    # depth counts the actions only: b (2 + 2 + 3 + 8 + 50) / 7
    assert t.loc["b", "depth"] == pytest.approx(65 / 7)
    by_reach = rk.intent_ladder(POSTS.assign(reach=[10, 0, 0]), views="reach",
                                weights=rk.IntentWeights(view=1.0))
    assert by_reach.to_frame().set_index("post_id").loc["a", "intent_score"] == 20.0


def test_weights_that_fall_as_intent_deepens_are_called_out() -> None:
    res = rk.intent_ladder(POSTS, weights=rk.IntentWeights(comment=5.0))
    assert any("comment 5 > share 3" in n for n in res.notes)
    assert "comment 5 > share 3" in res.summary()


def test_missing_columns_count_as_zero_and_are_named() -> None:
    res = rk.intent_ladder(POSTS.drop(columns=["inquiries", "shares"]))
    assert any("No shares (share), inquiries (inquiry) column" in n for n in res.notes)
    assert res.to_frame().set_index("post_id").loc["b", "intent_score"] == 2 + 2 + 8
    assert "inquiries per click" not in res.summary()


def test_bad_weights_and_views_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="intent weight click=-2 must be a non-negative"):
        rk.IntentWeights(click=-2)
    with pytest.raises(ConfigError, match="views='likes' is not a views column"):
        rk.intent_ladder(POSTS, views="likes")  # type: ignore[arg-type]


def test_chart_is_bars_in_ladder_order() -> None:
    spec = rk.intent_ladder(POSTS).chart().to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["x"]["sort"] == ["view", "like", "comment", "share", "click", "inquiry"]
    assert spec["encoding"]["y"]["field"] == "points"


def test_top_posts_ranks_by_intent_score() -> None:
    top = rk.top_posts(POSTS, metric="intent_score", n=1)
    assert top.top["post_id"].tolist() == ["b"] and top.bottom["post_id"].tolist() == ["c"]
    # a score already in the table (e.g. from intent_ladder with your weights) is used as given
    own = rk.intent_ladder(POSTS, weights=rk.IntentWeights(like=10.0)).to_frame()
    assert rk.top_posts(own, metric="intent_score", n=1).top["post_id"].tolist() == ["a"]
