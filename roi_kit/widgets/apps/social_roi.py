"""The one ROI of social media that the ROI calculator (app 01) and the report (app 06) show.

Both apps used to compute it their own way (the calculator on the touchpoints of the cost
ledger's dates, the report on every touchpoint) and showed 176.1 % and 175.8 % for the same sample.
Now both call these functions with the same rule: **revenue and cost of the same dates** — by
default the first to the last day of the cost ledger.

* ``attribution`` — Markov attribution on the journeys that end in those dates (the report's rule,
  :func:`roi_kit.attribution.period.journeys_in_period`; no lookback limit, as the report's default);
* ``followers`` — the value of followers credited to those dates, by the report's rule
  (:mod:`roi_kit.reporting.followers`: the comparison on the customers as known on the last day,
  valued over 12 months, credited with the followers who reached the landmark day in the dates).
  The apps' follower tiles, this ROI and the statement's "follower value" are this one figure.

:func:`direct_indirect` is the "Direct + indirect ROI" both apps show: one ``rk.roi(revenue={...})``
statement over the same dates, with the components the report uses
(:mod:`roi_kit.roi_components`): attributed sales (Markov on those dates), follower value credited
to the dates (followers who reached the landmark in them, :mod:`roi_kit.reporting.followers`),
PPC-equivalent traffic (organic post clicks at the company's own paid CPC) and service savings
(care cases at the cost per case the user typed, :func:`parse_cost_per_case`).

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
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from roi_kit.periods import months_in, rows_in_dates
from roi_kit.widgets.apps.roi_inputs import date_bounds

if TYPE_CHECKING:
    from roi_kit.reporting.followers import FollowerValue, PeriodFollowerValue

__all__ = [
    "RevenueFrom",
    "cost_dates",
    "cost_per_case_box",
    "direct_indirect",
    "follower_value",
    "parse_cost_per_case",
    "social_ledger",
    "social_revenue",
    "social_roi",
    "statement_section",
    "statement_tiles",
]

RevenueFrom = Literal["attribution", "followers"]
Period = Literal["month", "quarter", "year"]
FOLLOWER_TABLES = ("customers", "social_audience", "deals")


def cost_dates(costs: pd.DataFrame) -> tuple[dt.date | None, dt.date | None]:
    """First and last day of the cost ledger (the default dates of the ROI)."""
    return date_bounds(costs, "date")


def social_ledger(costs: pd.DataFrame, *, start: dt.date | None = None,
                  end: dt.date | None = None, period: Period = "quarter",
                  currency: str = "USD") -> Any:
    """The cost ledger of the chosen dates (unknown categories count as 'other')."""
    from roi_kit.costs import cost_ledger

    return cost_ledger(rows_in_dates(costs, "date", start, end), period=period, unknown="other",
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
    return follower_value(data, start=start, end=end)[1]


def follower_value(data: Mapping[str, pd.DataFrame], *, start: dt.date | None,
                   end: dt.date | None, currency: str = "USD",
                   ) -> tuple[FollowerValue, PeriodFollowerValue]:
    """(the follower comparison and value as known on ``end``, the value credited to ``start`` –
    ``end``) by ``roi-kit report``'s rule and default ``[followers]`` settings.

    Credited = the followers who reached the landmark day in the dates (no ``start`` = from the
    first acquisition) × the value per follower (:mod:`roi_kit.reporting.followers`).

    Raises
    ------
    roi_kit.errors.InputError
        A table or the dates are missing, or the comparison cannot be computed (says which).
    """
    from roi_kit.errors import InputError
    from roi_kit.reporting.config import ReportConfig
    from roi_kit.reporting.followers import follower_value as report_value

    hint = "load the customers, social_audience and deals tables and a cost ledger with dates."
    if not all(t in data for t in FOLLOWER_TABLES) or end is None:
        raise InputError("Follower value needs the customers, social_audience and deals tables"
                         + (" and dates (the cost ledger has none)." if end is None else "."), hint=hint)
    config = ReportConfig(title="", currency=currency, period_start=end, period_end=end, files={})
    known = report_value(data, config)
    if isinstance(known, str):
        raise InputError(known, hint=hint)
    return known, known.for_period(start or date_bounds(data["customers"], "acquired_at")[0] or end, end)


def social_roi(revenue: Any, ledger: Any, *, start: dt.date | None, end: dt.date | None,
               currency: str = "USD") -> Any:
    """:func:`roi_kit.roi` of ``revenue`` over ``ledger`` for the dates ``start`` – ``end``
    (payback read over the months of those dates, as the report)."""
    from roi_kit.roi import roi

    months = months_in(start, end) if start and end and end > start else None
    return roi(revenue=revenue, cost=ledger, currency=currency, period_months=months)


def parse_cost_per_case(text: str) -> dict[str, float]:
    """``"phone=6.5, email=3.2, social=1.5"`` → ``{"phone": 6.5, ...}`` (empty text → ``{}``).

    Examples
    --------
    >>> parse_cost_per_case("phone = 6.5; Email=3.2")
    {'phone': 6.5, 'email': 3.2}
    >>> parse_cost_per_case("phone 6.5")
    Traceback (most recent call last):
    ...
    roi_kit.errors.InputError: cost per case 'phone 6.5' is not channel=cost.
    Hint: type e.g. phone=6.5, email=3.2, social=1.5 (social = your cost per case on social).
    """
    from roi_kit.errors import InputError

    out: dict[str, float] = {}
    hint = "type e.g. phone=6.5, email=3.2, social=1.5 (social = your cost per case on social)."
    for part in text.replace(";", ",").split(","):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        try:
            number = float(value)
        except ValueError:
            number = float("nan")
        if not sep or not key.strip() or not 0 <= number < float("inf"):
            raise InputError(f"cost per case {part.strip()!r} is not channel=cost.", hint=hint)
        out[key.strip().lower()] = number
    return out


def direct_indirect(data: Mapping[str, pd.DataFrame], ledger: Any, *, start: dt.date | None,
                    end: dt.date | None, attributed: Any = None, followers: Any = None,
                    cost_per_case: Mapping[str, float] | None = None,
                    currency: str = "USD") -> tuple[Any, Any]:
    """(statement or ``None``, components) of the direct + indirect ROI over ``start`` – ``end``.

    ``attributed`` is the attribution result of those dates and ``followers`` the follower value
    credited to them (:func:`follower_value`) when the caller has them already (else they are
    computed here, by the same functions).
    """
    from roi_kit.errors import InputError
    from roi_kit.roi_components import return_components

    if attributed is None:
        attributed = (social_revenue(data, "attribution", start=start, end=end)
                      if "touchpoints" in data else "Attributed sales need the touchpoints table.")
    if followers is None:
        try:
            followers = follower_value(data, start=start, end=end, currency=currency)[1]
        except InputError as exc:
            followers = exc.message
    parts = return_components(
        attributed=attributed, followers=followers, posts=data.get("posts"),
        interactions=data.get("service_interactions"), start=start, end=end,
        cost_per_case=cost_per_case or None, ledger=ledger, currency=currency)
    months = months_in(start, end) if start and end and end > start else None
    return parts.statement(ledger, period_months=months, currency=currency), parts


def statement_tiles(result: Any, *, currency: str) -> dict[str, str]:
    """Headline figures of a direct + indirect statement (label → formatted value).

    Examples
    --------
    >>> from roi_kit.roi import roi
    >>> statement_tiles(roi(revenue={"attributed sales": 150, "follower value": 50}, cost=100),
    ...                 currency="EUR")["ROI, direct + indirect"]
    '100.0%'
    """
    from roi_kit.formatting import fmt_money, fmt_pct

    def pct(r: Any) -> str:
        return "undefined" if r is None or r.roi_pct is None else fmt_pct(r.roi_pct, ratio_input=False)

    return {"ROI, direct revenue alone": pct(result.direct), "ROI, direct + indirect": pct(result),
            "Return, direct + indirect": fmt_money(result.revenue, currency=currency, decimals=0)}


def statement_section(data: Mapping[str, pd.DataFrame], frames: dict[str, pd.DataFrame], *,
                      attributed: Any, followers: Any, cost_per_case: str, currency: str) -> Any:
    """App 06's "Direct + indirect ROI" section over the cost ledger's dates (its tables are
    added to ``frames``)."""
    from roi_kit.export import ReportSection

    start, end = cost_dates(data["costs"])
    ledger = social_ledger(data["costs"], start=start, end=end, currency=currency)
    result, parts = direct_indirect(data, ledger, start=start, end=end, attributed=attributed,
                                    followers=followers, cost_per_case=parse_cost_per_case(cost_per_case),
                                    currency=currency)
    if result is None:
        return ReportSection("Direct + indirect ROI", text=parts.summary(None))
    frames |= {"roi_direct_indirect": result.to_frame(), "roi_components": result.components_frame()}
    tiles = tuple(statement_tiles(result, currency=currency).items())
    return ReportSection("Direct + indirect ROI", text=parts.summary(result), tiles=tiles,
                         table=result.components_frame())


def cost_per_case_box(width: str) -> Any:
    """The "Cost per care case" text box of apps 01 and 06 (read by :func:`parse_cost_per_case`)."""
    import ipywidgets as W

    box = W.Text(value="", placeholder="e.g. phone=6.5, email=3.2, social=1.5",
                 description="Cost per care case", style={"description_width": "150px"},
                 layout=W.Layout(width=width))
    box.add_class("rk-cost-per-case")
    return box
