"""Paid boosting: hand-worked increments, CPM/CPC, planted paid reach multiplier."""

from __future__ import annotations

import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.errors import MissingColumnError
from tests.content_sim import PAID_REACH, simulate


def _posts() -> pd.DataFrame:
    return pd.DataFrame({
        "post_id": list("abcdef"), "platform": ["facebook"] * 4 + ["x"] * 2,
        "type": ["image"] * 6, "published_at": pd.to_datetime(["2024-01-01"] * 6),
        "paid": [True, True, False, False, True, False],
        "spend": [100.0, 300.0, 0, 0, 50.0, 0], "reach": [3000, 5000, 1000, 1000, 400, 200],
        "impressions": [4000, 6000, 1200, 1300, 500, 250], "likes": [80, 100, 30, 30, 10, 5],
        "clicks": [40, 60, 5, 5, 0, 1]})


def test_boosting_hand_worked_across_engines(to_engine):
    b = rk.boosting_effect(to_engine(_posts()))
    e = b.to_frame().set_index(["platform", "outcome"])
    fb = e.loc[("facebook", "reach")]
    assert (fb["paid_mean"], fb["organic_mean"], fb["incremental"]) == (4000, 1000, 3000)
    assert fb["incremental_per_spend"] == pytest.approx(3000 / 200)
    assert fb["ratio"] == pytest.approx(4.0)
    # overall reach multiplier standardised to the paid mix: (2*4000 + 1*400) / (2*1000 + 1*200)
    overall = b.overall.set_index("outcome").loc["reach", "ratio"]
    assert overall == pytest.approx(8400 / 2200)
    costs = b.costs.set_index("platform")
    assert costs.loc["facebook", "cpm"] == pytest.approx(400 / 10000 * 1000)
    assert costs.loc["facebook", "cpc"] == pytest.approx(4.0)
    assert pd.isna(costs.loc["x", "cpc"])  # zero clicks: undefined, not infinite
    assert "nan" not in b.summary().lower() and "inf" not in b.summary().lower()


def test_boosting_recovers_planted_reach_multiplier():
    b = rk.boosting_effect(simulate(31, 1500))
    r = b.overall.set_index("outcome").loc["reach"]
    assert r["ratio_ci_low"] < PAID_REACH < r["ratio_ci_high"]
    assert r["ratio"] == pytest.approx(PAID_REACH, rel=0.1)
    assert b.chart().to_dict()["layer"][2]["mark"]["type"] == "point"


def test_boosting_on_generator_truth():
    gen = pytest.importorskip("roi_kit.datasets")
    if not hasattr(gen, "generate"):
        pytest.skip("sample generator not available yet")
    data = gen.generate(seed=3, n_customers=500)
    r = rk.boosting_effect(data.posts).overall.set_index("outcome").loc["reach"]
    truth = data.truth.paid_reach_multiplier
    assert r["ratio_ci_low"] < truth < r["ratio_ci_high"]


def test_boosting_needs_spend():
    with pytest.raises(MissingColumnError, match="spend"):
        rk.boosting_effect(_posts().drop(columns="spend"))
