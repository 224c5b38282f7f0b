"""ROI: the seed formula on round numbers, undefined cases in words, ledgers, intervals, payback,
ROI by platform / campaign / period."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roi_kit.errors import InputError
from roi_kit.roi import RoiResult, roi
from roi_kit.roi_by import roi_by
from tests.budget import examples


def test_seed_formula_round_numbers() -> None:
    r = roi(revenue=150, cost=100)
    assert r.roi_pct == 50.0
    assert r.net_return == 50.0
    assert r.roas == 1.5
    assert roi(revenue=0, cost=100).roi_pct == -100.0
    assert roi(revenue=100, cost=100).roi_pct == 0.0
    assert roi(revenue=400, cost=200).roi_pct == 100.0
    assert roi(revenue=50, cost=200).roi_pct == -75.0


@pytest.mark.parametrize("cost", [0, 0.0, None, float("nan")])
def test_zero_or_missing_cost_is_undefined_in_words(cost: float | None) -> None:
    r = roi(revenue=150, cost=cost)
    assert r.roi_pct is None and r.roas is None
    assert r.roi_reason is not None and r.roi_reason.startswith("ROI is undefined:")
    for text in (r.summary(), r._repr_html_(), str(r)):
        assert "nan" not in text.lower() and "inf" not in text.lower()
    assert "undefined" in r.summary()


def test_zero_cost_reason_exact() -> None:
    assert roi(revenue=1, cost=0).roi_reason == "ROI is undefined: total social cost is zero."
    assert roi(revenue=1, cost=None).roi_reason == "ROI is undefined: total social cost is missing."


def test_negative_total_cost_is_undefined() -> None:
    r = roi(revenue=10, cost=-5)
    assert r.roi_pct is None and "negative" in str(r.roi_reason)


def test_cost_from_ledger_frame_every_engine(to_engine) -> None:
    costs = pd.DataFrame({"date": pd.to_datetime(["2024-01-01", "2024-01-15", "2024-02-01"]),
                          "category": ["ads", "staff", "tools"], "amount": [300.0, None, 100.0],
                          "hours": [None, 10.0, None], "rate": [None, 60.0, None]})
    r = roi(revenue=2000, cost=to_engine(costs))
    # cost = 300 + 10 × 60 + 100 = 1000; ROI = (2000 − 1000) × 100 / 1000 = 100 %
    assert r.cost == 1000.0 and r.roi_pct == 100.0
    assert dict(r.cost_by_category) == {"ads": 300.0, "staff": 600.0, "tools": 100.0}


@dataclass
class _Estimate:
    est: float
    lo: float | None
    hi: float | None

    def revenue_estimate(self) -> tuple[float, float | None, float | None, str]:
        return self.est, self.lo, self.hi, "value of social (test double)"


def test_revenue_object_with_interval_gives_roi_interval() -> None:
    r = roi(revenue=_Estimate(300.0, 150.0, 450.0), cost=200)
    assert r.roi_pct == 50.0
    # (150 − 200) × 100 / 200 = −25 %, (450 − 200) × 100 / 200 = 125 %
    assert r.roi_pct_ci == (-25.0, 125.0)
    assert r.revenue_source == "value of social (test double)"
    assert "between -25.0% and 125.0%" in r.summary()
    frame = r.to_frame().set_index("metric")
    assert frame.loc["roi_pct", "ci_low"] == -25.0 and frame.loc["roas", "ci_high"] == 2.25


def test_revenue_object_without_interval() -> None:
    r = roi(revenue=_Estimate(300.0, None, None), cost=200)
    assert r.roi_pct_ci is None and r.revenue_ci is None


def test_bad_revenue_raises_with_hint() -> None:
    with pytest.raises(InputError, match=r"(?s)revenue is a str.*Hint: pass a number"):
        roi(revenue="a lot", cost=100)
    with pytest.raises(InputError, match="not a finite number"):
        roi(revenue=float("inf"), cost=100)


def test_payback_months() -> None:
    # 12 000 over 12 months = 1 000 a month; cost 3 000 → 3 months
    r = roi(revenue=12_000, cost=3_000, period_months=12)
    assert r.payback_months == 3.0
    assert "covered after 3.0 months" in r.summary()
    none = roi(revenue=0, cost=3_000, period_months=12)
    assert none.payback_months is None and "never" in str(none.payback_reason)
    assert roi(revenue=1, cost=1).payback_months is None
    with pytest.raises(InputError, match="period_months"):
        roi(revenue=1, cost=1, period_months=0)


def test_summary_exact_words() -> None:
    assert roi(revenue=150, cost=100).summary() == (
        "Revenue from social: USD 150.00 (revenue typed in).\n"
        "Total social cost: USD 100.00.\n"
        "ROI: 50.0% — net return USD 50.00; every USD 1 spent brought back USD 1.50 in revenue "
        "(ROAS 1.50).\n"
        "No interval: ROI — the revenue came without an interval (a typed-in number or a result "
        "that has none) and costs are booked amounts; pass an attribution or value-of-social result "
        "as revenue to carry its interval."
    )


def test_to_frame_undefined_values_are_nan_with_note() -> None:
    frame = roi(revenue=5, cost=0).to_frame().set_index("metric")
    assert math.isnan(frame.loc["roi_pct", "value"])
    assert frame.loc["roi_pct", "note"] == "ROI is undefined: total social cost is zero."
    assert frame.loc["roas", "note"] == "ROAS is undefined: total social cost is zero."


def test_waterfall_chart_steps() -> None:
    from roi_kit.charts.roi import waterfall_frame

    costs = pd.DataFrame({"date": pd.to_datetime(["2024-01-01"] * 2), "category": ["ads", "staff"],
                          "amount": [40.0, 60.0]})
    r = roi(revenue=150, cost=costs)
    wf = waterfall_frame(r)
    assert wf["step"].tolist() == ["Revenue", "ads", "staff", "Net return"]
    assert wf[["start", "end"]].values.tolist() == [[0, 150], [150, 110], [110, 50], [0, 50]]
    spec = r.chart().to_dict()
    assert spec["layer"][0]["mark"]["type"] == "bar"


@settings(max_examples=examples(50), deadline=None)
@given(st.floats(min_value=0.01, max_value=1e9, allow_nan=False))
def test_zero_revenue_is_minus_100_pct(cost: float) -> None:
    assert roi(revenue=0, cost=cost).roi_pct == pytest.approx(-100.0)


@settings(max_examples=examples(50), deadline=None)
@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
       st.floats(min_value=0.01, max_value=1e9, allow_nan=False))
def test_roi_matches_formula(revenue: float, cost: float) -> None:
    r = roi(revenue=revenue, cost=cost)
    assert r.roi_pct == pytest.approx((revenue - cost) * 100 / cost)
    assert r.net_return == pytest.approx(revenue - cost)
    assert r.roas == pytest.approx(revenue / cost)


# --- roi_by -------------------------------------------------------------------------------------


def _costs() -> pd.DataFrame:
    return pd.DataFrame({
        "date": pd.to_datetime(["2024-01-10", "2024-01-20", "2024-02-05", "2024-02-10"]),
        "category": ["ads", "ads", "ads", "staff"],
        "amount": [100.0, 50.0, 200.0, 150.0],
        "platform": ["linkedin", "x", "linkedin", None],
        "campaign": ["spring", "spring", "summer", None],
    })


def _revenue() -> pd.DataFrame:
    return pd.DataFrame({
        "date": pd.to_datetime(["2024-01-15", "2024-02-15", "2024-02-20", "2024-02-21"]),
        "platform": ["linkedin", "linkedin", "x", "tiktok"],
        "campaign": ["spring", "summer", "spring", "summer"],
        "revenue": [400.0, 300.0, 25.0, 80.0],
    })


def test_roi_by_platform_every_engine(to_engine) -> None:
    res = roi_by(to_engine(_revenue()), to_engine(_costs()), by="platform")
    t = res.to_frame().set_index("platform")
    # linkedin: revenue 700, cost 300 → 133.33 %; x: 25 vs 50 → −50 %
    assert t.loc["linkedin", "roi_pct"] == pytest.approx(400 / 3)
    assert t.loc["x", "roi_pct"] == -50.0
    assert math.isnan(t.loc["tiktok", "roi_pct"])
    assert t.loc["tiktok", "reason"] == "ROI is undefined: no cost is booked for this platform."
    assert t.loc["(none)", "roi_pct"] == -100.0
    assert res.total.roi_pct == pytest.approx((805 - 500) * 100 / 500)
    expected = roi_by(_revenue(), _costs(), by="platform").to_frame()
    pd.testing.assert_frame_equal(res.to_frame(), expected)


def test_roi_by_period_and_campaign() -> None:
    by_month = roi_by(_revenue(), _costs(), by="period").to_frame()
    # Jan: 400 vs 150; Feb: 405 vs 350
    assert by_month["period"].tolist() == ["2024-01", "2024-02"]
    assert by_month["roi_pct"].tolist() == pytest.approx([(400 - 150) / 1.5, (405 - 350) / 3.5])
    both = roi_by(_revenue(), _costs(), by=["campaign", "period"], period="quarter").to_frame()
    spring = both[(both["campaign"] == "spring") & (both["period"] == "2024-Q1")].iloc[0]
    assert (spring["revenue"], spring["cost"]) == (425.0, 150.0)


def test_roi_by_shared_costs_spread_proportionally() -> None:
    res = roi_by(_revenue(), _costs(), by="platform", shared="proportional")
    t = res.to_frame().set_index("platform")
    # 150 shared over linkedin 300 / x 50 → +128.57 / +21.43
    assert t.loc["linkedin", "cost"] == pytest.approx(300 + 150 * 300 / 350)
    assert t.loc["x", "cost"] == pytest.approx(50 + 150 * 50 / 350)
    assert "(none)" not in t.index
    assert t["cost"].sum() == pytest.approx(500.0)
    assert "spread" in res.summary()


def test_roi_by_dict_revenue_and_errors() -> None:
    res = roi_by({"linkedin": 600.0}, _costs())
    assert res.to_frame().set_index("platform").loc["x", "roi_pct"] == -100.0
    with pytest.raises(InputError, match="by='owner'"):
        roi_by(_revenue(), _costs(), by="owner")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="one by= key"):
        roi_by(_revenue(), _costs(), by="period", shared="proportional")


def test_roi_by_summary_and_chart() -> None:
    res = roi_by(_revenue(), _costs(), by="platform")
    text = res.summary()
    assert "Highest: linkedin at 133.3%" in text
    assert "tiktok: ROI is undefined" in text
    assert "inf" not in text and "nan" not in text.lower()
    spec = res.chart().to_dict()
    assert "tiktok" in spec["title"]["subtitle"]


def test_result_type() -> None:
    assert isinstance(roi(revenue=1, cost=1), RoiResult)
