"""AttributionResult and ModelComparison: tables, words, charts, money for ROI."""

from __future__ import annotations

import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.attribution.api import MODEL_LABELS

PATHS = pd.DataFrame({"path": ["Paid Social > Email", "Organic Social > Direct", "Email", "Direct"],
                      "conversions": [4, 2, 1, 0], "value": [400.0, 100.0, 50.0, 0.0],
                      "nulls": [6, 3, 9, 10]})


def test_to_frame_columns_and_shares() -> None:
    t = rk.attribute(PATHS, model="linear").to_frame()
    assert list(t.columns) == ["channel", "conversions", "value", "share", "value_share",
                               "conversions_ci_low", "conversions_ci_high", "value_ci_low",
                               "value_ci_high", "share_ci_low", "share_ci_high"]
    assert t["share"].sum() == pytest.approx(1.0)
    assert t["conversions"].is_monotonic_decreasing


def test_revenue_estimate_counts_social_channels_only() -> None:
    res = rk.attribute(PATHS, model="linear", n_boot=0)
    est, lo, hi, desc = res.revenue_estimate()
    # linear: Paid Social 400/2 = 200, Organic Social 100/2 = 50
    assert est == pytest.approx(250.0)
    assert lo is None and hi is None  # no replicates, no interval
    assert "Organic Social + Paid Social" in desc and "250.00" in desc
    assert res.revenue_estimate(channels=["Email"])[0] == pytest.approx(250.0)


def test_revenue_estimate_feeds_roi() -> None:
    res = rk.attribute(PATHS, model="linear")
    out = rk.roi(revenue=res, cost=100.0)
    assert out.net_return == pytest.approx(150.0)


def test_summary_in_words_without_nan() -> None:
    text = rk.attribute(PATHS).summary()
    assert "Markov (order 1, exact removal effects) attribution of 7 conversions" in text
    assert "Social (Organic + Paid Social) earned" in text
    assert "nan" not in text.lower() and "inf" not in text.lower()
    html = rk.attribute(PATHS)._repr_html_()
    assert "<table" in html


def test_chart_is_a_bar_of_shares() -> None:
    spec = rk.attribute(PATHS, model="first").chart().to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["x"]["field"] == "share"
    assert len(spec["datasets"][next(iter(spec["datasets"]))]) == 4


def test_compare_models_runs_every_model_on_the_same_paths() -> None:
    cmp = rk.compare_models(PATHS)
    # no CRM milestones in PATHS: the eight classic models plus J-shaped and inverse J
    expected = [k for k in MODEL_LABELS if k not in ("u_shaped", "w_shaped", "full_path", "custom")]
    assert list(cmp.results) == expected
    long = cmp.to_frame()
    sums = long.groupby("model_key")["conversions"].sum()
    assert sums.to_numpy() == pytest.approx([7.0] * len(expected))
    wide = cmp.wide()
    assert wide.shape == (4, len(expected))
    assert wide.loc["Direct", "First touch"] == 0.0
    assert "of conversions" in cmp.summary()
    spec = cmp.chart().to_dict()
    assert spec["encoding"]["yOffset"]["field"] == "model"


def test_compare_models_from_touchpoints_passes_options() -> None:
    tp = pd.DataFrame({
        "user_id": ["u", "u", "v"],
        "timestamp": pd.to_datetime(["2024-01-01", "2024-01-15", "2024-01-03"]),
        "source": ["linkedin", "newsletter", "google"], "medium": ["social", "email", "cpc"],
        "converted": [False, True, True], "conversion_value": [None, 90.0, 10.0]})
    cmp = rk.compare_models(tp, models=("time_decay", "markov"), half_life_days=14)
    td = cmp.results["time_decay"].to_frame().set_index("channel")
    # u: ages 14 and 0 days, half-life 14 -> weights 1/2, 1 -> Organic Social 1/3 of 90
    assert td.loc["Organic Social", "value"] == pytest.approx(30.0)
    assert td.loc["Paid Search", "value"] == pytest.approx(10.0)
