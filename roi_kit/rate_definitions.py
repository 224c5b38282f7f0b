"""What each marketing rate is: its numerator, denominator, multiplier and plain words.

:data:`RATE_DEFINITIONS` is the one table every rate is computed and labelled from (the formulas
are spelled out in :mod:`roi_kit.rates`); :data:`ENGAGEMENT_PARTS` are the columns summed into
``engagements``, and ``INPUTS`` the columns :func:`roi_kit.rates` sums per group.
:func:`cost_denominator` says what CPM and CPC divide by under each cost basis (paid impressions
and clicks when a ``paid`` column tells them apart).

Examples
--------
>>> RATE_DEFINITIONS["ctr"][:4]
('clicks', 'impressions', 1.0, True)
>>> cost_denominator("cpc", "clicks", "cost per click", ["paid_clicks"], "paid")
('paid_clicks', 'cost per paid click')
"""

from __future__ import annotations

__all__ = ["ENGAGEMENT_PARTS", "EU_REACH", "INPUTS", "RATE_DEFINITIONS", "cost_denominator"]

ENGAGEMENT_PARTS: tuple[str, ...] = ("likes", "comments", "shares", "saves")
"""Columns summed into ``engagements`` (clicks are reported separately)."""

EU_REACH = "reach_with_engaged_users"  # reach of the rows whose engaged-users count is known

# metric: (numerator, denominator, multiplier, is proportion, words)
RATE_DEFINITIONS: dict[str, tuple[str, str, float, bool, str]] = {
    "cpm": ("spend", "impressions", 1000.0, False, "cost per 1,000 impressions"),
    "cpc": ("spend", "clicks", 1.0, False, "cost per click"),
    "ctr": ("clicks", "impressions", 1.0, True, "click-through rate (clicks / impressions)"),
    "cpa": ("spend", "conversions", 1.0, False, "cost per acquisition (per conversion)"),
    "cac": ("spend", "new_customers", 1.0, False, "customer acquisition cost"),
    "cost_per_lead": ("spend", "leads", 1.0, False, "cost per lead"),
    "roas": ("revenue", "spend", 1.0, False, "return on ad spend (revenue / spend)"),
    "conversion_rate": ("conversions", "clicks", 1.0, True, "conversions / clicks"),
    "engagement_rate_by_reach": ("engagements", "reach", 1.0, True, "engagements / reach"),
    "engagement_rate_by_impressions": ("engagements", "impressions", 1.0, True,
                                       "engagements / impressions"),
    "engagement_rate_by_followers": ("engagements", "followers", 1.0, True,
                                     "engagements / followers"),
    "engaged_user_rate": ("engaged_users", EU_REACH, 1.0, True,
                          "engaged users / reach (the platform's own count of people who "
                          "engaged; rows without it are left out of both)"),
    "engaged_session_rate": ("engaged_sessions", "sessions", 1.0, True,
                             "engaged sessions / sessions (GA4's engagement rate)"),
    "key_event_rate": ("key_events", "sessions", 1.0, True,
                       "key events (conversions) / sessions"),
    "revenue_per_session": ("revenue", "sessions", 1.0, False, "revenue / sessions"),
}
"""Every rate: numerator, denominator, multiplier, whether it is a proportion, plain words."""

INPUTS = ("spend", "impressions", "reach", "clicks", *ENGAGEMENT_PARTS, "followers", "leads",
          "conversions", "new_customers", "revenue", "engaged_users", "sessions",
          "engaged_sessions", "key_events")


def cost_denominator(metric: str, den: str, words: str, paid_cols: list[str],
                     cost_basis: str) -> tuple[str, str]:
    """Denominator column and words of CPM / CPC for the cost basis (see :mod:`roi_kit.rates`)."""
    unit = "1,000 impressions" if metric == "cpm" else "click"
    if f"paid_{den}" in paid_cols:
        return f"paid_{den}", "cost per 1,000 paid impressions" if metric == "cpm" else "cost per paid click"
    if cost_basis == "all":
        return den, f"cost per {unit}, paid and organic rows together (cost_basis='all')"
    return den, f"cost per {unit} (every row: no 'paid' column to tell paid {den} apart)"

