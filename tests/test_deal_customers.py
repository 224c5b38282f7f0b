"""rk.customers_from_deals: a customers table for CRMs that export only deals."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.errors import ConfigError

FIXTURES = Path(__file__).parent / "fixtures"
NOW = "2025-06-30"


def _pipeline() -> pd.DataFrame:
    deals, _ = rk.load_deals(FIXTURES / "crm_pipeline.csv", now=NOW,
                             columns={"engage_date": "created_at", "close_value": "amount"})
    return deals


def test_first_won_deal_is_acquisition_and_last_activity_is_observed_until() -> None:
    customers, res = rk.customers_from_deals(_pipeline())
    # kept deals: Cancity won (closed 01-20) and lost (closed 01-26); Isdom won (closed 02-04)
    # and open (created 02-03); Codehow open; Ron-tech lost -> two customers, two prospects
    assert customers.columns.tolist() == ["customer_id", "acquired_at", "churned_at",
                                          "observed_until"]
    assert customers["customer_id"].tolist() == ["Cancity", "Isdom"]
    assert customers["acquired_at"].tolist() == [pd.Timestamp("2024-01-20"), pd.Timestamp("2024-02-04")]
    assert customers["observed_until"].tolist() == [pd.Timestamp("2024-01-26"),
                                                    pd.Timestamp("2024-02-04")]
    assert customers["churned_at"].isna().all()
    assert (res.accounts, res.prospects, res.churned) == (4, 2, 0)
    text = res.summary()
    assert text.startswith("2 customers derived from the deals of 4 accounts (2 without a won deal")
    assert "churn is unknown" in text and "pass churn_after_days=" in text
    assert res.to_frame().equals(customers)


def test_churn_rule_marks_customers_without_recent_activity() -> None:
    customers, res = rk.customers_from_deals(_pipeline(), churn_after_days=10)
    # end of data: Ron-tech's lost deal closed 2024-02-11. Cancity's last activity 2024-01-26
    # (16 days before) -> churned 10 days after it; Isdom's 2024-02-04 (7 days) -> active
    assert customers["churned_at"].tolist()[0] == pd.Timestamp("2024-02-05")
    assert pd.isna(customers["churned_at"].tolist()[1])
    assert (customers["observed_until"] == pd.Timestamp("2024-02-11")).all()
    assert res.churned == 1
    assert "1 customers without deal activity for more than 10 days before 2024-02-11" in res.summary()


def test_open_deal_expected_close_date_is_not_activity() -> None:
    deals = pd.DataFrame({"customer_id": ["a", "a"], "status": ["won", "open"],
                          "created_at": pd.to_datetime(["2024-01-01", "2024-03-01"]),
                          "closed_at": pd.to_datetime(["2024-01-10", "2024-12-31"]),
                          "source": ["LinkedIn", "Web"]})
    customers, _ = rk.customers_from_deals(deals)
    assert customers["observed_until"].tolist() == [pd.Timestamp("2024-03-01")]
    assert customers["acquisition_channel"].tolist() == ["LinkedIn"]


def test_won_deal_without_close_date_uses_creation_date() -> None:
    deals = pd.DataFrame({"customer_id": ["a", "b"], "status": ["Won", "won"],
                          "created_at": pd.to_datetime(["2024-01-01", "2024-02-01"]),
                          "closed_at": pd.to_datetime([None, "2024-02-05"])})
    customers, res = rk.customers_from_deals(deals)
    assert customers["acquired_at"].tolist() == [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-02-05")]
    assert "(1 without a close date use the creation date)" in res.summary()


@pytest.mark.parametrize("bad", [0, -5])
def test_churn_after_days_must_be_positive(bad: int) -> None:
    with pytest.raises(ConfigError, match="is not a positive number of days"):
        rk.customers_from_deals(_pipeline(), churn_after_days=bad)


def test_as_of_before_acquisitions_is_refused() -> None:
    with pytest.raises(ConfigError, match="before the first won deal of 1 customers"):
        rk.customers_from_deals(_pipeline(), churn_after_days=30, as_of="2024-01-31")


def _renewal_deals() -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """60 accounts won on day i; two in three renew a year later; every second one follows."""
    n = 60
    start = pd.Timestamp("2022-01-01")
    won = start + pd.to_timedelta(np.arange(n), unit="D")
    renew = np.arange(n) % 3 != 0
    deals = pd.DataFrame({
        "deal_id": [f"n{i}" for i in range(n)] + [f"r{i}" for i in np.flatnonzero(renew)],
        "customer_id": [f"c{i}" for i in range(n)] + [f"c{i}" for i in np.flatnonzero(renew)],
        "created_at": list(won - pd.Timedelta(days=20)) + list(won[renew] + pd.Timedelta(days=355)),
        "closed_at": list(won) + list(won[renew] + pd.Timedelta(days=365)),
        "status": "won", "kind": ["new"] * n + ["renewal"] * int(renew.sum()),
        "amount": 100.0})
    audience = pd.DataFrame({"customer_id": [f"c{i}" for i in range(0, n, 2)],
                             "followed_at": [start - pd.Timedelta(days=30)] * (n // 2)})
    return deals, audience, int((~renew).sum())


def test_derived_customers_feed_retention_and_population() -> None:
    deals, audience, lapsed = _renewal_deals()
    customers, res = rk.customers_from_deals(deals, churn_after_days=400, as_of="2023-06-30")
    # lapsed accounts: last activity = first close (day i); 400 days later they are churned
    assert res.churned == lapsed == 20
    churned = customers.dropna(subset=["churned_at"])
    assert ((churned["churned_at"] - churned["acquired_at"]).dt.days == 400).all()
    ret = rk.retention_curves(customers, by=rk.FollowerDefinition(), audience=audience,
                              landmark_days=0, horizons_days=(365, 500))
    frame = ret.to_frame()
    assert set(frame["group"]) == {"followers", "non-followers"}
    # every lapsed account (i % 3 == 0) churns on day 400: survival at 500 days is the renewed
    # share of each group (followers: even i, 10 of 30 lapsed; non-followers: odd i, 10 of 30)
    at = {g: f[f["time_days"] <= 500]["survival"].iloc[-1] for g, f in frame.groupby("group")}
    assert at["followers"] == pytest.approx(20 / 30) and at["non-followers"] == pytest.approx(20 / 30)
    pop = rk.prepare_population(customers, deals, audience=audience)
    assert pop is not None
