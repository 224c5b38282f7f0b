"""The metrics core on local PySpark gives the same tables as on pandas (one small case each)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from roi_kit.costs import cost_ledger
from roi_kit.goals import goal_progress
from roi_kit.rates import rates
from roi_kit.roi import roi
from roi_kit.roi_by import roi_by

pytestmark = pytest.mark.spark


def _costs() -> pd.DataFrame:
    return pd.DataFrame({
        "date": pd.to_datetime(["2024-01-05", "2024-01-20", "2024-02-03", "2024-04-01"]),
        "category": ["staff", "ads", "Ads", "tools"],
        "amount": [None, 300.0, 200.0, 49.0],
        "hours": [10.0, None, None, None],
        "rate": [50.0, None, None, None],
        "platform": [None, "linkedin", "x", None],
    })


def test_cost_ledger_and_roi_on_spark(spark: Any) -> None:
    ledger = cost_ledger(spark.createDataFrame(_costs()), period="quarter")
    expected = cost_ledger(_costs(), period="quarter")
    pd.testing.assert_frame_equal(ledger.totals(["period", "category", "platform"]),
                                  expected.totals(["period", "category", "platform"]))
    assert roi(revenue=2098, cost=spark.createDataFrame(_costs())).roi_pct == 100.0
    revenue = pd.DataFrame({"platform": ["linkedin", "x"], "revenue": [600.0, 100.0]})
    got = roi_by(spark.createDataFrame(revenue), spark.createDataFrame(_costs())).to_frame()
    pd.testing.assert_frame_equal(got, roi_by(revenue, _costs()).to_frame())


def test_rates_on_spark(spark: Any) -> None:
    ads = pd.DataFrame({"platform": ["a", "a", "b"], "spend": [10.0, 20.0, 5.0],
                        "impressions": [1000, 2000, 0], "clicks": [10, 20, 0], "likes": [5, 1, 0],
                        "reach": [800, 1500, 0]})
    got = rates(spark.createDataFrame(ads), by="platform").to_frame()
    pd.testing.assert_frame_equal(got, rates(ads, by="platform").to_frame())


def test_goals_on_spark(spark: Any) -> None:
    goals = pd.DataFrame({"metric": ["leads"], "target": [30.0],
                          "period_start": pd.to_datetime(["2024-01-01"]),
                          "period_end": pd.to_datetime(["2024-01-30"])})
    actuals = pd.DataFrame({"date": pd.to_datetime(["2024-01-02", "2024-01-10"]),
                            "metric": ["leads", "leads"], "value": [6.0, 4.0]})
    got = goal_progress(spark.createDataFrame(goals), spark.createDataFrame(actuals)).to_frame()
    pd.testing.assert_frame_equal(got, goal_progress(goals, actuals).to_frame())
