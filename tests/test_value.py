"""Value of social: hand-worked money, intervals, undefined parts in words, and rk.roi."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.errors import ConfigError
from roi_kit.followers import DAYS_PER_MONTH


def _customers(mrr: bool = True) -> pd.DataFrame:
    frame = pd.DataFrame({
        "customer_id": list("abcdef"),
        "acquired_at": pd.to_datetime(["2024-01-01"] * 6),
        "churned_at": pd.to_datetime([None, None, "2024-09-01", None, "2024-06-01", "2024-12-01"]),
        "observed_until": pd.to_datetime(["2025-06-30"] * 6),
        "mrr": [100.0] * 6,
    })
    return frame if mrr else frame.drop(columns=["mrr"])


AUDIENCE = pd.DataFrame({"customer_id": ["a", "b", "c"],
                         "followed_at": pd.to_datetime(["2024-01-15"] * 3)})


def test_retention_component_hand_worked() -> None:
    cmp = rk.compare_segments(_customers(), by=rk.FollowerDefinition(), audience=AUDIENCE, covariates=())
    value = rk.value_of_social(cmp, months=12)
    row = value.to_frame().set_index("component").loc["retention"]
    # RMST to 365.25 days: 294.8333 vs 224.0833 -> 70.75 extra days
    extra_months = 70.75 / DAYS_PER_MONTH
    assert row["per_follower"] == pytest.approx(extra_months * 100)
    assert row["total"] == pytest.approx(extra_months * 100 * 3)
    assert value.method == "naive"  # no covariates: falls back to the raw comparison
    est, lo, hi, text = value.revenue_estimate()
    assert est == pytest.approx(row["total"])
    assert lo is not None and hi is not None and lo < est < hi
    assert "value of social" in text


def test_revenue_per_account_overrides_mrr_and_missing_revenue_is_explained() -> None:
    cmp = rk.compare_segments(_customers(mrr=False), by=rk.FollowerDefinition(), audience=AUDIENCE,
                              covariates=())
    none = rk.value_of_social(cmp)
    assert math.isnan(none.to_frame().set_index("component").loc["retention", "total"])
    assert "revenue_per_account_month=" in none.summary()
    given = rk.value_of_social(cmp, revenue_per_account_month=50.0)
    assert given.total == pytest.approx(70.75 / DAYS_PER_MONTH * 50 * 3)


def test_too_long_horizon_is_not_valued_and_bad_months_rejected() -> None:
    cmp = rk.compare_segments(_customers(), by=rk.FollowerDefinition(), audience=AUDIENCE, covariates=())
    long = rk.value_of_social(cmp, months=24)
    assert "use fewer months" in long.summary()
    assert "nan" not in long.summary().lower()
    with pytest.raises(ConfigError, match="months=0"):
        rk.value_of_social(cmp, months=0)


@pytest.fixture(scope="module")
def sample_value() -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = rk.datasets.generate(seed=5, n_customers=4000)
    cmp = rk.compare_segments(s.customers, s.deals, audience=s.social_audience,
                              by=rk.FollowerDefinition(), n_boot=300)
    return cmp, rk.value_of_social(cmp)


def test_components_add_up_with_a_delta_method_interval(sample_value: Any) -> None:
    cmp, value = sample_value
    f = value.to_frame()
    assert set(f["component"]) == {"retention", "upsell", "deal_size"}
    assert value.total == pytest.approx(f["total"].sum())
    indep = rk.value_of_social(cmp, n_boot=0)  # components as independent: delta method
    half = (indep.to_frame()["total_high"] - indep.to_frame()["total"]).to_numpy()
    assert indep.ci_high - indep.total == pytest.approx(float(np.sqrt((half**2).sum())))
    assert "components treated as independent" in indep.summary()
    assert (value.independent_low, value.independent_high) == pytest.approx((indep.ci_low, indep.ci_high))
    assert "joint bootstrap over customers, 1,000 replicates" in value.summary()
    assert indep.total == value.total
    assert value.method == "adjusted"
    deal = f.set_index("component").loc["deal_size"]
    eff = cmp.deal_size.effect("mean won new deal", "adjusted")
    assert deal["total"] == pytest.approx(eff.difference * eff.n_followers)
    assert value.chart().to_dict()["layer"][0]["mark"]["type"] == "bar"


def test_roi_accepts_value_of_social(sample_value: Any) -> None:
    _, value = sample_value
    result = rk.roi(revenue=value, cost=50_000)
    assert result.net_return == pytest.approx(value.total - 50_000)
