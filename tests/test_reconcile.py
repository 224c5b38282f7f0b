"""Data health: every check on tiny hand-made tables, then on both committed samples."""

from __future__ import annotations

import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.errors import InputError


def _tp(value: float = 500.0, user: str = "C1", content: str = "post-1") -> pd.DataFrame:
    return pd.DataFrame({
        "user_id": [user, user, "u9"],
        "timestamp": pd.to_datetime(["2025-01-02", "2025-01-05", "2025-01-03"]),
        "converted": [False, True, False], "conversion_value": [None, value, None],
        "content": [content, None, "post-1"], "channel": ["Organic Social", "Direct",
                                                           "Organic Social"]})


def _deals() -> pd.DataFrame:
    return pd.DataFrame({"customer_id": ["C1", "C2"], "status": ["won", "won"],
                         "kind": ["new", "new"], "amount": [500.0, 300.0],
                         "closed_at": pd.to_datetime(["2025-01-05", "2025-01-20"])})


def _posts() -> pd.DataFrame:
    return pd.DataFrame({"post_id": ["post-1", "post-2"],
                         "published_at": pd.to_datetime(["2025-01-01", "2025-01-10"])})


def _check(h: rk.DataHealth, name: str) -> pd.Series:
    return h.to_frame().set_index("check").loc[name]


def test_attributed_revenue_above_the_period_revenue_is_a_problem() -> None:
    h = rk.data_health(touchpoints=_tp(), deals=_deals(), attributed_revenue=600.0, currency="EUR")
    row = _check(h, "attributed_revenue")
    assert row["status"] == "problem" and row["reference"] == 500.0
    assert "EUR 600" in row["message"] and "EUR 500" in row["message"] and "120.0%" in row["message"]
    assert h.worst == "problem"


def test_crm_vs_analytics_counts_tracked_deals_and_value_mismatches() -> None:
    row = _check(rk.data_health(touchpoints=_tp(), deals=_deals()), "crm_vs_analytics")
    # 2 won new deals worth 800, 1 tracked conversion worth 500 (62.5%)
    assert row["status"] == "warning" and (row["value"], row["reference"]) == (500.0, 800.0)
    assert "2 won new deals" in row["message"] and "62.5%" in row["message"]
    assert "1 of 2 won deals have a tracked journey" in row["message"]
    bad = _check(rk.data_health(touchpoints=_tp(value=450.0), deals=_deals()), "crm_vs_analytics")
    assert bad["status"] == "problem" and "1 conversions carry a value other" in bad["message"]


def test_converting_users_unknown_to_the_crm_are_named() -> None:
    row = _check(rk.data_health(touchpoints=_tp(user="C7"), deals=_deals()), "unknown_users")
    assert row["status"] == "problem" and "1 of 1 converting" in row["message"]
    assert "(C7)" in row["message"]


def test_posts_never_linked_and_orphan_contents_are_listed() -> None:
    row = _check(rk.data_health(touchpoints=_tp(content="banner_c"), posts=_posts()),
                 "unlinked_posts")
    # post-1 still appears on u9's touch; post-2 never does; banner_c matches no post
    assert row["status"] == "warning" and row["value"] == 1.0
    assert "post-2" in row["message"] and "1 of 2 social touches" in row["message"]
    assert "(banner_c)" in row["message"]


def test_a_source_that_stops_early_is_flagged_with_its_gap() -> None:
    costs = pd.DataFrame({"date": pd.to_datetime(["2025-03-31"])})
    row = _check(rk.data_health(posts=_posts(), costs=costs), "coverage")
    assert row["status"] == "warning" and "posts (80 days)" in row["message"]


def test_missing_tables_say_why_instead_of_zero() -> None:
    t = rk.data_health(posts=_posts()).to_frame().set_index("check")
    assert (t.loc[["attributed_revenue", "crm_vs_analytics", "unknown_users", "unlinked_posts",
                   "coverage"], "status"] == "skipped").all()
    assert t["message"].str.len().min() > 20
    with pytest.raises(InputError, match="gap_days=-1"):
        rk.data_health(posts=_posts(), gap_days=-1)


@pytest.mark.parametrize("name", ["saas", "dtc"])
def test_committed_samples_have_no_problem(name: str) -> None:
    s = rk.datasets.load_sample(name)  # type: ignore[arg-type]
    h = rk.data_health(touchpoints=s.touchpoints, deals=s.deals, customers=s.customers,
                       posts=s.posts, funnel_events=s.funnel_events, costs=s.costs)
    t = h.to_frame().set_index("check")
    assert h.worst != "problem", h.summary()
    assert "every tracked conversion carries its deal's amount" in t.loc["crm_vs_analytics",
                                                                          "message"]
    assert t.loc["unknown_users", "value"] == 0 and t.loc["unlinked_posts", "status"] == "ok"
    assert h.chart().to_dict()["mark"]["type"] == "bar"
