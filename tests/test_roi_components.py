"""Components of the direct + indirect ROI gathered from tables (hand-worked numbers)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.roi_components import care_savings, organic_click_value, return_components

JAN = (dt.date(2025, 1, 1), dt.date(2025, 1, 31))


def _posts() -> pd.DataFrame:
    return pd.DataFrame({
        "platform": ["x", "X ", "x", "linkedin", "linkedin", "tiktok"],
        "paid": [False, True, False, False, True, False],
        "published_at": pd.to_datetime(["2025-01-02 00:00", "2025-01-03 00:00", "2025-02-01 00:00", "2025-01-31 23:00",
                                        "2025-01-10 00:00", "2025-01-05 00:00"]),
        "clicks": [40.0, 100.0, 7.0, 10.0, 50.0, 30.0],
        "spend": [0.0, 80.0, 0.0, 0.0, 200.0, 0.0],
    })


def _cases() -> pd.DataFrame:
    t = pd.to_datetime
    return pd.DataFrame({
        "interaction_id": ["a", "b", "c", "d", "e"], "platform": ["x"] * 5,
        "opened_at": t(["2025-01-03", "2025-01-04", "2025-01-05", "2025-01-06", "2025-02-03"]),
        "first_response_at": t(["2025-01-03 01:00", "2025-01-04 01:00", "2025-01-05 01:00", None,
                                "2025-02-03 01:00"]),
        "resolved_at": t(["2025-01-03 05:00", "2025-01-04 05:00", None, None, "2025-02-03 05:00"]),
        "resolved": [True, True, False, False, True],
        "replaced_channel": ["phone", "email", "phone", "phone", "phone"],
    })


def test_organic_clicks_valued_at_own_paid_cpc_by_hand() -> None:
    v = organic_click_value(_posts(), start=JAN[0], end=JAN[1])
    t = v.to_frame().set_index("platform")
    # x: organic 40 clicks (Feb post out) at 80/100 = 0.80; linkedin: 10 at 200/50 = 4.00;
    # tiktok: 30 clicks but no paid tiktok post -> no CPC, left out and named
    assert t.loc["x", "value"] == pytest.approx(32.0)
    assert t.loc["linkedin", "value"] == pytest.approx(40.0)
    assert pd.isna(t.loc["tiktok", "value"])
    assert v.total == pytest.approx(72.0)
    assert any("own paid CPC" in n and "linkedin 4.00, x 0.80" in n for n in v.notes)
    assert "tiktok" in " ".join(v.notes)


def test_typed_cpc_wins_and_no_cpc_is_a_sentence() -> None:
    v = organic_click_value(_posts(), start=JAN[0], end=JAN[1], cpc={"tiktok": 1.0})
    assert v.total == pytest.approx(30.0)
    posts = _posts().assign(paid=False)
    why = organic_click_value(posts, start=JAN[0], end=JAN[1])
    assert isinstance(why, str) and "no cost per click is known" in why


def test_care_savings_of_the_dates_by_hand() -> None:
    care = care_savings(_cases(), start=JAN[0], end=JAN[1],
                        cost_per_case={"phone": 6.0, "email": 3.0, "social": 1.0})
    # January: a (phone) and b (email) resolved -> 1 × (6 − 1) + 1 × (3 − 1) = 7
    assert care.savings.total == pytest.approx(7.0)
    why = care_savings(_cases(), start=JAN[0], end=JAN[1], cost_per_case=None)
    assert isinstance(why, str) and "no cost per case" in why
    why = care_savings(_cases(), start=JAN[0], end=JAN[1], cost_per_case={"phone": 6.0})
    assert isinstance(why, str) and "cost per case on social is unknown" in why


def test_statement_is_rk_roi_of_the_components() -> None:
    parts = return_components(attributed=500.0, followers="No follower data.", posts=_posts(),
                              interactions=_cases(), start=JAN[0], end=JAN[1],
                              cost_per_case={"phone": 6.0, "email": 3.0, "social": 1.0})
    assert list(parts.revenue) == ["attributed sales", "PPC-equivalent traffic", "service savings"]
    assert parts.left_out == ("No follower data.",)
    r = parts.statement(cost=200.0)
    assert r.revenue == pytest.approx(500.0 + 72.0 + 7.0)
    assert r.roi_pct == pytest.approx((579.0 - 200.0) * 100 / 200.0)
    assert r.direct.roi_pct == pytest.approx(150.0)
    same = rk.roi(revenue={"attributed sales": 500.0, "PPC-equivalent traffic": 72.0,
                           "service savings": 7.0}, cost=200.0)
    assert r.roi_pct == pytest.approx(same.roi_pct)
    text = parts.summary(r)
    assert "count the same visits twice" in text and "Not included: No follower data." in text
    nothing = return_components(start=None, end=None)
    assert nothing.statement(cost=1.0) is None and len(nothing.left_out) == 2
