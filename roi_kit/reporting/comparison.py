"""The period comparison: each headline metric in this period and the previous one.

:func:`comparison_rows` reads a :class:`~roi_kit.reporting.build.Computed` and lists, per metric,
its label, unit and the two values (cost, credited revenue, ROI and ROAS, the other ROI sources,
conversions, the value of followers and its ROI, funnel stages, the totals of
:data:`METRIC_LABELS` and goal metrics); :func:`follower_roi` is the ROI of a period on the value
of the followers credited to it. ``_get`` and ``_with_change`` read a metric back from the table
for the sentences of the summary and the sections. Nothing is estimated here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from roi_kit.attribution import MODEL_LABELS
from roi_kit.goals import GoalProgress
from roi_kit.periods import months_in
from roi_kit.reporting.display import change_words, comparison_table
from roi_kit.reporting.followers import FollowerValue
from roi_kit.reporting.period import PeriodFigures
from roi_kit.reporting.roi_sources import source_rows
from roi_kit.roi import RoiResult, roi

if TYPE_CHECKING:
    from roi_kit.reporting.build import Computed

__all__ = ["METRIC_LABELS", "comparison_rows", "follower_roi"]

METRIC_LABELS: dict[str, tuple[str, str]] = {
    "posts": ("Posts published", "count"),
    "reach": ("Reach", "count"),
    "impressions": ("Impressions", "count"),
    "engagements": ("Engagements (likes + comments + shares + saves)", "count"),
    "clicks": ("Clicks on posts", "count"),
    "followers": ("Followers (latest count, all platforms)", "count"),
    "spend": ("Paid spend on posts", "money"),
    "revenue": ("Revenue (funnel events or won deals)", "money"),
    "deals_won": ("Deals won (new, upsell and renewal)", "count"),
}
"""Metric totals shown in the period comparison (label, unit); goal metrics are added."""


def follower_roi(c: Computed, p: PeriodFigures) -> RoiResult | None:
    """ROI of the period on the value of followers who reached the landmark in it."""
    if not isinstance(c.followers, FollowerValue):
        return None
    cost: Any = p.ledger if p.ledger is not None else p.cost
    months = months_in(p.start, p.end)
    return roi(revenue=c.followers.for_period(p.start, p.end), cost=cost, period_months=months,
               currency=c.config.currency)


def _roi_pct(result: RoiResult | None) -> float | None:
    return None if result is None else result.roi_pct


def _funnel_users(p: PeriodFigures | None) -> dict[str, float]:
    if p is None or p.funnel is None:
        return {}
    t = p.funnel.to_frame()
    return dict(zip(t["stage"].astype(str), t["users"].astype(float)))


def comparison_rows(c: Computed) -> pd.DataFrame:
    """The period comparison (see :func:`~roi_kit.reporting.display.comparison_table`)."""
    cur, prev = c.current, c.previous
    rows: list[tuple[str, str, str, float | None, float | None]] = []

    def add(metric: str, label: str, unit: str, get: Any) -> None:
        rows.append((metric, label, unit, get(cur), None if prev is None else get(prev)))

    model = MODEL_LABELS.get(c.config.attribution.model, c.config.attribution.model)
    add("cost", "Social media cost", "money", lambda p: p.cost)
    add("social_revenue", f"Revenue credited to social ({model})", "money", lambda p: p.social_revenue)
    if "attribution" in c.config.roi.sources:
        add("roi_pct", "ROI on attributed revenue", "pct", lambda p: p.roi.roi_pct if p.roi else None)
        add("roas", "ROAS on attributed revenue", "ratio", lambda p: p.roi.roas if p.roi else None)
    rows.extend(source_rows(c))
    add("conversions", "Conversions (journeys ending in the period)", "count",
        lambda p: p.attribution.total_conversions if p.attribution else None)
    if isinstance(c.followers, FollowerValue):
        fv = c.followers
        add("new_followers", f"Followers reaching day {fv.landmark_days}", "count",
            lambda p: fv.for_period(p.start, p.end).followers)
        add("follower_value", "Value of those followers", "money",
            lambda p: fv.for_period(p.start, p.end).revenue_estimate()[0])
        add("roi_followers_pct", "ROI on follower value", "pct", lambda p: _roi_pct(follower_roi(c, p)))
    now_users, prev_users = _funnel_users(cur), _funnel_users(prev)
    for stage, users in now_users.items():
        rows.append((f"funnel:{stage}", f"Funnel: {stage}", "count", users,
                     None if prev is None else prev_users.get(stage, 0.0)))
    metrics = [m for m in METRIC_LABELS if m in cur.totals or (prev is not None and m in prev.totals)]
    goals = c.goals.table["metric"].astype(str).tolist() if isinstance(c.goals, GoalProgress) else []
    metrics += [m for m in dict.fromkeys(goals) if m not in metrics and m not in ("cost", "roi_pct")
                and (m in cur.totals or (prev is not None and m in prev.totals))]
    for m in metrics:
        label, unit = METRIC_LABELS.get(m, (m.replace("_", " ").capitalize(), "count"))
        rows.append((m, label, unit, cur.totals.get(m, 0.0),
                     None if prev is None else prev.totals.get(m, 0.0)))
    return comparison_table(rows)


def _get(table: pd.DataFrame, metric: str) -> tuple[float | None, float | None]:
    hit = table.loc[table["metric"] == metric]
    if hit.empty:
        return None, None
    cur, prev = hit["current"].iloc[0], hit["previous"].iloc[0]
    return (None if pd.isna(cur) else float(cur)), (None if pd.isna(prev) else float(prev))


def _with_change(text: str, table: pd.DataFrame, metric: str, unit: str) -> str:
    cur, prev = _get(table, metric)
    change = change_words(cur, prev, unit)
    return f"{text} ({change})" if change else text
