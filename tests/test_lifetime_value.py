"""rk.customer_lifetime_value (subscriptions): hand-worked RMST × revenue, the delta-method
interval against a simulation, groups and the words for what cannot be estimated."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.errors import ConfigError
from roi_kit.survival import kaplan_meier

T = pd.to_datetime
M = 30.4375


def _customers() -> pd.DataFrame:
    """Followers churn on days 61 and 122 (third censored at 400); non-followers on day 31."""
    return pd.DataFrame({
        "customer_id": list("abcdef"), "acquired_at": T(["2024-01-01"] * 6),
        "churned_at": T(["2024-03-02", "2024-05-02", None, "2024-02-01", None, None]),
        "observed_until": T(["2025-02-04"] * 6), "mrr": [100.0, 100.0, 100.0, 40.0, 60.0, 80.0],
        "fan": [True, True, True, False, False, False]})


def test_clv_hand_worked(engine: str, to_engine: object) -> None:
    v = rk.customer_lifetime_value(to_engine(_customers()), by="fan", horizon_months=6,  # type: ignore[operator]
                                   landmark_days=0)
    f = v.to_frame().set_index("group")
    # followers: 61·1 + 61·(2/3) + (182.625 − 122)·(1/3) = 121.875 days within 6 months
    assert f.loc["followers", "months_active"] == pytest.approx(121.875 / M)
    assert f.loc["followers", "clv"] == pytest.approx(121.875 / M * 100)
    # non-followers: 31 + (182.625 − 31)·(2/3) = 132.0833 days; mean mrr 60, se 20/√3
    assert f.loc["non-followers", "months_active"] == pytest.approx((31 + 151.625 * 2 / 3) / M)
    assert f.loc["non-followers", "revenue_per_month_se"] == pytest.approx(20 / math.sqrt(3))
    km = kaplan_meier([61, 122, 400], [1, 1, 0])
    _, se = km.rmst(6 * M)
    assert f.loc["followers", "clv_se"] == pytest.approx(se / M * 100)  # revenue known exactly (sd 0)
    d = v.differences().iloc[0]
    se_d = math.hypot(f.loc["followers", "clv_se"], f.loc["non-followers", "clv_se"])
    assert (d["difference"], d["ci_high"] - d["difference"]) == pytest.approx(
        (f.loc["followers", "clv"] - f.loc["non-followers", "clv"], 1.959964 * se_d), rel=1e-5)
    assert "months active" in v.summary() and v.chart().to_dict()["layer"]


def test_clv_interval_covers_in_simulation() -> None:
    seed = 11
    rng = np.random.default_rng(seed)
    horizon, rate, n, reps = 12, 1 / 400, 300, 200
    tau = horizon * M
    truth_months = (1 - math.exp(-rate * tau)) / rate / M * 50.0  # E[min(T, τ)] × mean mrr
    hits = 0
    for _ in range(reps):
        life = np.ceil(rng.exponential(1 / rate, n))
        obs = rng.uniform(200, 700, n)
        churn = np.where(life <= obs, life, np.nan)
        c = pd.DataFrame({"customer_id": np.arange(n), "acquired_at": T("2020-01-01"),
                          "churned_at": T("2020-01-01") + pd.to_timedelta(churn, unit="D"),
                          "observed_until": T("2020-01-01") + pd.to_timedelta(np.floor(obs), unit="D"),
                          "mrr": rng.gamma(4.0, 12.5, n)})
        row = rk.customer_lifetime_value(c, horizon_months=horizon).to_frame().iloc[0]
        hits += row["clv_low"] <= truth_months <= row["clv_high"]
    assert 0.90 <= hits / reps <= 0.99, f"seed {seed}: coverage {hits / reps}"


def test_clv_beyond_follow_up_is_said_in_words() -> None:
    v = rk.customer_lifetime_value(_customers(), by="fan", horizon_months=24, landmark_days=0)
    assert v.to_frame()["clv"].isna().all()
    text = v.summary()
    assert "less than the horizon" in text and "nan" not in text.lower()


def test_clv_groups_and_reference() -> None:
    c = _customers().assign(plan=["a", "b", "c", "a", "b", "c"])
    v = rk.customer_lifetime_value(c, by="plan", horizon_months=6, landmark_days=0)
    assert v.differences().empty and "reference=" in v.summary()
    v = rk.customer_lifetime_value(c, by="plan", reference="a", horizon_months=6, landmark_days=0)
    assert v.differences()["group"].tolist() == ["b", "c"]
    with pytest.raises(ConfigError, match="not one of the groups"):
        rk.customer_lifetime_value(c, by="plan", reference="zz", landmark_days=0)
    with pytest.raises(ConfigError, match="out of range"):
        rk.customer_lifetime_value(c, horizon_months=0)


def test_clv_definition_route_and_known_revenue() -> None:
    audience = pd.DataFrame({"customer_id": ["a", "b", "c"], "followed_at": T(["2023-12-01"] * 3)})
    v = rk.customer_lifetime_value(_customers(), by=rk.FollowerDefinition(landmark_days=0),
                                   audience=audience, horizon_months=6, revenue_per_account_month=10.0)
    f = v.to_frame().set_index("group")
    assert f.loc["followers", "clv"] == pytest.approx(121.875 / M * 10)
    assert f.loc["followers", "revenue_per_month_se"] == 0.0


def test_clv_difference_equals_value_of_social_retention(
        generated: Callable[..., rk.datasets.SampleData]) -> None:
    """Two routes, one population: the CLV gap is value_of_social's retention component."""
    s = generated(seed=4, n_customers=400, business="saas")  # shared with test_goals.py
    seg = rk.define_followers(s.customers, s.social_audience)
    cmp = rk.compare_segments(s.customers, by=seg, covariates=(), n_boot=50)
    value = rk.value_of_social(cmp, months=12, revenue_per_account_month=100.0, method="naive",
                               include=("retention",)).to_frame().iloc[0]
    clv = rk.customer_lifetime_value(s.customers, by=seg, horizon_months=12, revenue_per_account_month=100.0)
    d = clv.differences().iloc[0]
    assert d["difference"] == pytest.approx(value["per_follower"], rel=1e-9)
    assert (d["ci_low"], d["ci_high"]) == pytest.approx((value["per_follower_low"], value["per_follower_high"]),
                                                        rel=1e-6)
