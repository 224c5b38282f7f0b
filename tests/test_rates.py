"""Marketing rates: hand-worked values, Wilson intervals against scipy and the textbook formula,
division by zero in words, per-group breakdowns on every engine."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from roi_kit.errors import InputError
from roi_kit.rates import RATE_DEFINITIONS, rates, wilson_interval
from tests.budget import examples


def _ads() -> pd.DataFrame:
    return pd.DataFrame({
        "platform": ["linkedin", "linkedin", "x", "x"],
        "spend": [300.0, 100.0, 50.0, 0.0],
        "impressions": [20_000, 20_000, 10_000, 0],
        "reach": [10_000, 10_000, 8_000, 0],
        "clicks": [150, 50, 100, 0],
        "likes": [300, 100, 60, 0],
        "comments": [40, 10, 20, 0],
        "shares": [50, 30, 10, 0],
        "saves": [10, 10, 10, 0],
        "followers": [5_000, 5_000, 2_000, 2_000],
        "leads": [8, 2, 0, 0],
        "conversions": [4, 1, 5, 0],
        "new_customers": [2, 0, 1, 0],
        "revenue": [1_000.0, 200.0, 100.0, 0.0],
        "engaged_users": [400, 120, 70, 0],
    })


def test_every_rate_hand_worked_overall() -> None:
    r = rates(_ads())
    # totals: spend 450, impressions 50 000, reach 28 000, clicks 300, engagements 650,
    # followers 14 000, leads 10, conversions 10, new customers 3, revenue 1 300
    assert r.value("cpm") == pytest.approx(450 / 50_000 * 1000)  # 9.0
    assert r.value("cpc") == pytest.approx(1.5)
    assert r.value("ctr") == pytest.approx(0.006)
    assert r.value("cpa") == pytest.approx(45.0)
    assert r.value("cac") == pytest.approx(150.0)
    assert r.value("cost_per_lead") == pytest.approx(45.0)
    assert r.value("roas") == pytest.approx(1300 / 450)
    assert r.value("conversion_rate") == pytest.approx(10 / 300)
    assert r.value("engagement_rate_by_reach") == pytest.approx(650 / 28_000)
    assert r.value("engagement_rate_by_impressions") == pytest.approx(650 / 50_000)
    assert r.value("engagement_rate_by_followers") == pytest.approx(650 / 14_000)
    assert r.value("engaged_user_rate") == pytest.approx(590 / 28_000)
    sessions = ("engaged_session_rate", "key_event_rate", "revenue_per_session")  # traffic only
    assert r.to_frame()["metric"].tolist() == [m for m in RATE_DEFINITIONS if m not in sessions]


def test_by_platform_identical_on_every_engine(to_engine) -> None:
    expected = rates(_ads(), by="platform").to_frame()
    got = rates(to_engine(_ads()), by="platform").to_frame()
    pd.testing.assert_frame_equal(got, expected)
    r = rates(to_engine(_ads()), by="platform")
    assert r.value("cpc", platform="x") == 0.5
    assert r.value("cac", platform="linkedin") == 200.0


def test_division_by_zero_is_missing_with_reason() -> None:
    r = rates(_ads().iloc[[3]])
    t = r.to_frame().set_index("metric")
    assert r.value("cpm") is None
    assert t.loc["cpm", "reason"] == "cpm is undefined: impressions is zero."
    assert t.loc["roas", "reason"] == "roas is undefined: spend is zero."
    assert t.loc["engagement_rate_by_followers", "value"] == 0.0
    assert t.loc["engagement_rate_by_followers", "reason"] == ""
    assert (t["value"].isna() == (t["reason"] != "")).all()
    text = r.summary()
    assert "nan" not in text.lower() and "inf" not in text.lower()
    assert "cpm (cost per 1,000 impressions): cpm is undefined: impressions is zero." in text


def test_wilson_matches_scipy_and_textbook() -> None:
    for k, n in [(0, 10), (3, 10), (10, 10), (150, 20_000), (1, 3)]:
        lo, hi = wilson_interval(k, n, conf_level=0.95)
        ref = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
        assert float(lo) == pytest.approx(ref.low, abs=1e-12)
        assert float(hi) == pytest.approx(ref.high, abs=1e-12)
    # textbook by hand for 8 / 10, z = 1.959964: centre 0.716 and half-width 0.2265
    z = 1.959963984540054
    p, n = 0.8, 10
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    lo, hi = wilson_interval(8, 10)
    assert (float(lo), float(hi)) == pytest.approx((centre - half, centre + half))
    assert (round(float(lo), 4), round(float(hi), 4)) == (0.4902, 0.9433)


def test_wilson_other_level_and_undefined_cases() -> None:
    lo, hi = wilson_interval(np.array([5, 0, 7]), np.array([50, 0, 5]), conf_level=0.9)
    ref = stats.binomtest(5, 50).proportion_ci(confidence_level=0.9, method="wilson")
    assert (lo[0], hi[0]) == pytest.approx((ref.low, ref.high))
    assert np.isnan(lo[1]) and np.isnan(hi[2])  # no trials; more successes than trials


def test_proportions_carry_intervals_others_do_not() -> None:
    t = rates(_ads()).to_frame().set_index("metric")
    assert t.loc["ctr", "ci_low"] < 0.006 < t.loc["ctr", "ci_high"]
    assert math.isnan(t.loc["cpc", "ci_low"])


def test_missing_engagement_parts_named_in_notes() -> None:
    posts = pd.DataFrame({"reach": [100, 100], "likes": [5, 5], "comments": [1, 1]})
    r = rates(posts)
    assert r.value("engagement_rate_by_reach") == pytest.approx(12 / 200)
    assert any("absent and counted as 0: shares, saves" in n for n in r.notes)
    assert any("cpm (needs spend and impressions)" in n for n in r.notes)


def test_column_mapping_and_paid_split(to_engine) -> None:
    ads = _ads().rename(columns={"spend": "amount_spent"}).assign(paid=[True, False, True, False])
    r = rates(to_engine(ads), by="paid", columns={"amount_spent": "spend"})
    assert r.value("cpc", paid=True) == pytest.approx(350 / 250)


def test_wide_view_and_chart() -> None:
    r = rates(_ads(), by="platform")
    wide = r.wide()
    assert wide["platform"].tolist() == ["linkedin", "x"]
    assert wide.loc[0, "cpc"] == 2.0
    spec = r.chart(metric="ctr").to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["bar", "rule"]


def test_no_usable_columns_and_bad_level_raise() -> None:
    with pytest.raises(InputError, match="none of the rates"):
        rates(pd.DataFrame({"foo": [1]}))
    with pytest.raises(InputError, match="conf_level"):
        rates(_ads(), conf_level=95)


def test_missing_group_key_labelled() -> None:
    ads = _ads().assign(platform=["linkedin", None, "x", "x"])
    r = rates(ads, by="platform")
    assert "(missing)" in set(r.to_frame()["platform"])


@settings(max_examples=examples(50), deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1000), st.integers(0, 1000)), min_size=1, max_size=20))
def test_ctr_interval_contains_estimate(rows: list[tuple[int, int]]) -> None:
    frame = pd.DataFrame({"clicks": [min(c, i) for c, i in rows], "impressions": [i for _, i in rows]})
    t = rates(frame).to_frame().set_index("metric").loc["ctr"]
    if frame["impressions"].sum() == 0:
        assert math.isnan(t["value"]) and t["reason"]
    else:
        assert t["ci_low"] - 1e-12 <= t["value"] <= t["ci_high"] + 1e-12


# --- cost basis: spend buys paid impressions and clicks ----------------------------------------

def _boosted() -> pd.DataFrame:
    return pd.DataFrame({"platform": ["x", "x", "x"], "paid": [True, False, False],
                         "spend": [20.0, 0.0, 0.0], "impressions": [4_000, 3_000, 3_000],
                         "clicks": [40, 30, 30]})


def test_cpm_and_cpc_use_paid_impressions_and_clicks_by_default() -> None:
    r = rates(_boosted())
    assert r.value("cpm") == 20.0 / 4_000 * 1000   # 5.0, not 20 / 10,000 × 1000 = 2.0
    assert r.value("cpc") == 20.0 / 40
    t = r.to_frame().set_index("metric")
    assert t.loc["cpm", "definition"] == "cost per 1,000 paid impressions"
    assert t.loc["cpc", "denominator"] == 40.0
    blended = rates(_boosted(), cost_basis="all")
    assert blended.value("cpm") == 2.0
    assert "paid and organic" in blended.to_frame().set_index("metric").loc["cpm", "definition"]


def test_without_a_paid_column_the_definition_says_every_row_counts() -> None:
    t = rates(_boosted().drop(columns="paid")).to_frame().set_index("metric")
    assert t.loc["cpm", "value"] == 2.0 and "no 'paid' column" in t.loc["cpm", "definition"]
    with pytest.raises(InputError, match="cost_basis='paid_only'"):
        rates(_boosted(), cost_basis="paid_only")  # type: ignore[arg-type]


def test_rates_and_boosting_effect_report_the_same_cpm_on_the_sample() -> None:
    import roi_kit as rk

    posts = rk.datasets.load_sample("saas").posts
    r = rates(posts, by="platform")
    costs = rk.boosting_effect(posts).costs.set_index("platform")
    for platform, row in costs.iterrows():
        assert r.value("cpm", platform=platform) == pytest.approx(row["cpm"], rel=1e-12)
        assert r.value("cpc", platform=platform) == pytest.approx(row["cpc"], rel=1e-12)
    # realistic paid-social CPMs (docs/sample_data.md): a few to a few tens of EUR, LinkedIn dearest
    assert costs["cpm"].min() > 3.0 and costs["cpm"].max() < 70.0
    assert costs["cpm"].idxmax() == "linkedin"
