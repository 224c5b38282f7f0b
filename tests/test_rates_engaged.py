"""The platform's own "engaged users" as a named rate (issue 18)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from scipy.stats import norm

import roi_kit as rk

FIXTURES = Path(__file__).parent / "fixtures"


def _posts() -> pd.DataFrame:
    posts, _ = rk.load_posts(FIXTURES / "facebook_page_posts_engaged.csv", now="2025-01-01")
    return posts


def test_facebook_insights_headers_load_engaged_users_reach_and_impressions() -> None:
    posts, rep = rk.load_posts(FIXTURES / "facebook_page_posts_engaged.csv", now="2025-01-01")
    assert rep.mapping["Lifetime Engaged Users"] == "engaged_users"
    assert rep.mapping["Lifetime Post Total Reach"] == "reach"
    assert rep.mapping["Lifetime Post Total Impressions"] == "impressions"
    assert posts["engaged_users"].tolist()[:2] == [96, 40] and pd.isna(posts["engaged_users"][2])


def test_engaged_user_rate_leaves_out_rows_without_the_count() -> None:
    r = rk.rates(_posts(), cluster=None)
    row = r.to_frame().set_index("metric").loc["engaged_user_rate"]
    # posts 1, 2, 4 have the count: (96 + 40 + 64) / (1200 + 800 + 500); post 3's 2,000 reach is out
    assert (row["numerator"], row["denominator"]) == (200, 2500)
    assert row["value"] == pytest.approx(0.08)
    z, n, p = norm.ppf(0.975), 2500, 0.08  # Wilson score interval by hand
    centre, half = (p + z * z / (2 * n)), z * ((p * (1 - p) + z * z / (4 * n)) / n) ** 0.5
    lo, hi = (centre - half) / (1 + z * z / n), (centre + half) / (1 + z * z / n)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((lo, hi))
    assert "engaged users / reach" in row["definition"]


def test_engaged_user_rate_by_type_names_a_group_without_counts() -> None:
    t = rk.rates(_posts(), by="type").to_frame()
    eu = t[t["metric"] == "engaged_user_rate"].set_index("type")
    assert eu.loc["Photo", "value"] == pytest.approx(160 / 1700)
    assert eu.loc["Video", "value"] == pytest.approx(40 / 800)
    assert pd.isna(eu.loc["Link", "value"]) and "undefined" in eu.loc["Link", "reason"]


def test_without_engaged_users_the_rate_is_named_as_not_computed() -> None:
    r = rk.rates(pd.DataFrame({"reach": [100], "likes": [5]}))
    assert "engaged_user_rate (needs engaged_users)" in " ".join(r.notes)
