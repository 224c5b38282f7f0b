"""The value levers in the report: prospects, lifetime value by segment and earned reach.

Each section is computed by the one public function of its lever, with the report's follower
definition (``[followers]``, :func:`~roi_kit.reporting.followers.follower_definition`) and its
period rules (:mod:`roi_kit.reporting.data`); this module only calls them and arranges the result:

* **Prospects (followers vs others)** — :func:`roi_kit.compare_prospects` on the deals as known at
  the end of the period (deals created later are left out, deals closed later are still open and
  censored there), customers' and prospects' new deals alike; a deal's lead is a follower when it
  followed on or before the deal was created. Audience rows are matched to leads by id and, through
  the customers table (``contacts=``), by email and handle — the rule the customer sections use.
* **Lifetime value by segment** — :func:`roi_kit.customer_lifetime_value` on the customers as known
  at the end of the period, followers vs non-followers at the landmark day, within the follower
  horizon (``horizon_days`` rounded to whole months: the horizon of the value of followers, so the
  two sections count the same months).
* **Earned reach** — :func:`roi_kit.earned_reach` on the posts published in the period, per
  campaign: shares, reach beyond the followers and the organic reach paid boosts earned.

A missing table or a figure the data cannot give makes the section say why in words; the export
tables are ``prospects`` and ``prospect_counts``, ``lifetime_value`` and
``lifetime_value_differences``, ``earned_reach`` and ``earned_reach_posts``.

Examples
--------
>>> import datetime as dt, pandas as pd
>>> posts = pd.DataFrame({"post_id": ["a", "b"], "platform": ["x", "x"],
...     "published_at": pd.to_datetime(["2025-01-05", "2025-02-05"]), "reach": [1500, 400],
...     "followers": [1000, 1000], "shares": [30, 2]})
>>> e = report_earned_reach({"posts": posts}, dt.date(2025, 1, 1), dt.date(2025, 1, 31))
>>> e.posts["post_id"].tolist(), e.to_frame()["reach_beyond_followers"].tolist()
(['a'], [500.0])
>>> report_earned_reach({}, dt.date(2025, 1, 1), dt.date(2025, 1, 31))
'Earned reach needs the posts table.'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from roi_kit.content import EarnedReach, earned_reach
from roi_kit.errors import RoiKitError
from roi_kit.export import ReportSection
from roi_kit.followers import (
    LifetimeValue,
    ProspectComparison,
    compare_prospects,
    customer_lifetime_value,
)
from roi_kit.periods import rows_in_dates, whole_months
from roi_kit.reporting.config import ReportConfig
from roi_kit.reporting.data import as_of, bounds
from roi_kit.reporting.display import display_frame
from roi_kit.reporting.followers import follower_definition

if TYPE_CHECKING:
    from roi_kit.reporting.build import Computed

__all__ = ["lever_sections", "report_earned_reach", "report_lifetime_value",
           "report_prospects"]

Draw = Callable[[Callable[[], Any]], Any]

_PROSPECT_COLUMNS = ("group", "reference", "measure", "followers", "non_followers", "difference",
                     "ci_low", "ci_high", "p_value")
_EARNED_COLUMNS = ("campaign", "posts", "paid_posts", "shares", "amplification_rate",
                   "reach_beyond_followers", "paid_reach", "earned_by_boost", "ci_low", "ci_high", "note")


def _failed(what: str, exc: RoiKitError) -> str:
    return f"{what} could not be computed: {exc.message}" + (f" Hint: {exc.hint}" if exc.hint else "")


def _last_second(day: dt.date) -> pd.Timestamp:
    """The end of observation for a period ending on ``day`` (deals open then are censored)."""
    return bounds(day, day)[1] - pd.Timedelta(seconds=1)


def report_prospects(tables: Mapping[str, pd.DataFrame], config: ReportConfig) -> ProspectComparison | str:
    """Follower vs non-follower leads as known at the end of the period, or why not."""
    if tables.get("deals") is None or tables.get("social_audience") is None:
        return "The prospect comparison needs the deals and social_audience tables."
    known = as_of(tables, config.period_end)
    try:
        return compare_prospects(known["deals"], by=follower_definition(config),
                                 audience=known["social_audience"], contacts=tables.get("customers"),
                                 as_of=_last_second(config.period_end), currency=config.currency)
    except RoiKitError as exc:
        return _failed("The prospect comparison", exc)


def report_lifetime_value(tables: Mapping[str, pd.DataFrame], config: ReportConfig) -> LifetimeValue | str:
    """Lifetime value of followers and non-followers as known at the end of the period, or why not."""
    if tables.get("customers") is None or tables.get("social_audience") is None:
        return "The lifetime value by segment needs the customers and social_audience tables."
    known = as_of(tables, config.period_end)
    try:
        return customer_lifetime_value(known["customers"], by=follower_definition(config),
                                       audience=known["social_audience"],
                                       horizon_months=whole_months(config.followers.horizon_days), currency=config.currency)
    except RoiKitError as exc:
        return _failed("The lifetime value by segment", exc)


def report_earned_reach(tables: Mapping[str, pd.DataFrame], start: dt.date, end: dt.date) -> EarnedReach | str:
    """Earned reach per campaign of the posts published from ``start`` to ``end``, or why not."""
    posts = tables.get("posts")
    if posts is None:
        return "Earned reach needs the posts table."
    if "published_at" not in posts.columns:
        return "Earned reach needs the posts' published_at dates to place them in the period."
    shown = rows_in_dates(posts, "published_at", start, end)
    if shown.empty:
        return f"No post was published from {start} to {end}, so there is no earned reach to report."
    try:
        return earned_reach(shown, by="campaign")
    except RoiKitError as exc:
        return _failed("Earned reach", exc)


def _pick(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    return frame[[c for c in columns if c in frame.columns]]


def lever_sections(c: Computed, tables: dict[str, pd.DataFrame], draw: Draw) -> list[ReportSection]:
    """The three lever sections; their tables are added to ``tables`` (name → frame)."""
    cfg = c.config
    sections = []
    prospects = report_prospects(c.data.tables, cfg)
    title = "Prospects (followers vs others)"
    if isinstance(prospects, str):
        sections.append(ReportSection(title, text=prospects))
    else:
        tables["prospects"], tables["prospect_counts"] = prospects.to_frame(), prospects.counts.copy()
        text = f"New deals of customers and prospects, as known on {cfg.period_end}.\n" + prospects.summary()
        sections.append(ReportSection(title, text=text, chart=draw(prospects.chart),
                                      table=display_frame(_pick(prospects.to_frame(), _PROSPECT_COLUMNS)),
                                      max_rows=30))
    clv = report_lifetime_value(c.data.tables, cfg)
    title = "Lifetime value by segment"
    if isinstance(clv, str):
        sections.append(ReportSection(title, text=clv))
    else:
        tables["lifetime_value"], tables["lifetime_value_differences"] = clv.to_frame(), clv.differences()
        text = (f"Customers as known on {cfg.period_end}; horizon {whole_months(cfg.followers.horizon_days)} months after "
                f"the landmark (the follower horizon, {cfg.followers.horizon_days} days).\n" + clv.summary())
        sections.append(ReportSection(title, text=text, chart=draw(clv.chart),
                                      table=display_frame(clv.to_frame().drop(columns=["note"]))))
    earned = report_earned_reach(c.data.tables, cfg.period_start, cfg.period_end)
    if isinstance(earned, str):
        sections.append(ReportSection("Earned reach", text=earned))
    else:
        tables["earned_reach"], tables["earned_reach_posts"] = earned.to_frame(), earned.posts.copy()
        text = (f"Posts published from {cfg.period_start} to {cfg.period_end}, per campaign.\n"
                + earned.summary())
        sections.append(ReportSection("Earned reach", text=text, chart=draw(earned.chart),
                                      table=display_frame(_pick(earned.to_frame(), _EARNED_COLUMNS))))
    return sections
