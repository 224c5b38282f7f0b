"""The one ROI of social media that the ROI calculator (app 01) and the report (app 06) show.

Both apps used to compute it their own way (the calculator on the touchpoints of the cost
ledger's dates, the report on every touchpoint) and showed 176.1 % and 175.8 % for the same sample.
Now both call these functions with the same rule: **revenue and cost of the same dates** — by
default the first to the last day of the cost ledger.

* ``attribution`` — Markov attribution on the journeys that end in those dates (the report's rule,
  :func:`roi_kit.attribution.period.journeys_in_period`; no lookback limit, as the report's default);
* ``followers`` — the adjusted value of followers (:func:`roi_kit.followers.value_of_social`, 12 months of
  revenue, so the ROI is read over 12 months).

Examples
--------
>>> import pandas as pd
>>> costs = pd.DataFrame({"date": pd.to_datetime(["2024-01-01", "2024-01-31"]),
...                       "category": ["ads", "tools"], "amount": [600.0, 400.0]})
>>> ledger = social_ledger(costs)
>>> social_roi(1500.0, ledger, start=None, end=None).roi_pct
50.0
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal

import pandas as pd

from roi_kit.widgets.apps.roi_inputs import date_bounds, filter_dates

__all__ = ["RevenueFrom", "cost_dates", "follower_value", "social_ledger", "social_revenue", "social_roi"]

RevenueFrom = Literal["attribution", "followers"]
Period = Literal["month", "quarter", "year"]
FOLLOWER_MONTHS = 12.0
"""value_of_social's window: the follower revenue is earned over 12 months."""


def cost_dates(costs: pd.DataFrame) -> tuple[dt.date | None, dt.date | None]:
    """First and last day of the cost ledger (the default dates of the ROI)."""
    return date_bounds(costs, "date")


def social_ledger(costs: pd.DataFrame, *, start: dt.date | None = None,
                  end: dt.date | None = None, period: Period = "quarter",
                  currency: str = "USD") -> Any:
    """The cost ledger of the chosen dates (unknown categories count as 'other')."""
    from roi_kit.costs import cost_ledger

    return cost_ledger(filter_dates(costs, "date", start, end), period=period, unknown="other",
                       currency=currency)


def social_revenue(data: Mapping[str, pd.DataFrame], revenue_from: RevenueFrom, *,
                   start: dt.date | None, end: dt.date | None) -> Any:
    """Revenue social brought in, in the chosen dates (readable by :func:`roi_kit.roi`)."""
    if revenue_from == "attribution":
        import polars as pl

        from roi_kit.attribution import attribute
        from roi_kit.attribution.period import journeys_in_period

        journeys = journeys_in_period(data["touchpoints"], start, end)
        return attribute(pl.from_pandas(journeys), model="markov")
    return follower_value(data)[1]


def follower_value(data: Mapping[str, pd.DataFrame]) -> tuple[Any, Any]:
    """(comparison, value of social) with the default follower definition."""
    from roi_kit.followers import FollowerDefinition, compare_segments, value_of_social

    cmp = compare_segments(data["customers"], data["deals"], by=FollowerDefinition(),
                           audience=data["social_audience"], n_boot=300)
    return cmp, value_of_social(cmp)


def social_roi(revenue: Any, ledger: Any, *, start: dt.date | None, end: dt.date | None,
               revenue_from: str = "attribution", currency: str = "USD") -> Any:
    """:func:`roi_kit.roi` of ``revenue`` over ``ledger`` for the dates ``start`` – ``end``."""
    from roi_kit.roi import roi

    months = None
    if start and end and end > start:
        months = ((end - start).days + 1) / 30.4375
    if revenue_from == "followers":
        months = FOLLOWER_MONTHS
    return roi(revenue=revenue, cost=ledger, currency=currency, period_months=months)
