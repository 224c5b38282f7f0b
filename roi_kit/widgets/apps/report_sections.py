"""Three sections of the management report (app 06): goals vs targets, the funnel and the data
health. Each adds its full table to ``frames`` (the Excel download)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from roi_kit.export import ReportSection
from roi_kit.widgets._common import health_banner
from roi_kit.widgets.results import readable_width

__all__ = ["funnel_section", "goals_section", "health_section"]


def goals_section(data: Mapping[str, pd.DataFrame], frames: dict[str, pd.DataFrame], *,
                  roi: Callable[[pd.Timestamp, pd.Timestamp], Any]) -> ReportSection:
    """Every goal against its target; ROI goals measured by the one goal rule over their dates
    (``roi(start, end)``: the ROI of those dates)."""
    from roi_kit.goal_rules import DEFAULT_AT_MOST, measured_roi_row
    from roi_kit.goals import goal_progress
    from roi_kit.reporting.metrics import daily_actuals
    from roi_kit.widgets.apps.goal_digest import goal_digest

    goals = data["goals"]
    is_roi = goals.get("metric", pd.Series("", index=goals.index)).astype(str) == "roi_pct"
    progress = goal_progress(goals.loc[~is_roi], daily_actuals(data), how={"followers": "last"},
                             directions={m: "at_most" for m in DEFAULT_AT_MOST})
    frame = progress.to_frame()
    if is_roi.any() and "touchpoints" in data and "costs" in data:
        rows = [measured_roi_row(goal, roi, progress.as_of)
                for goal in goals.loc[is_roi].to_dict("records")]
        frame = pd.concat([frame, pd.DataFrame(rows)], ignore_index=True)
    frames["goals"] = frame
    text, tiles, table = goal_digest(frame)
    return ReportSection("Goals vs targets", text=text, tiles=tiles, table=table)


def funnel_section(data: Mapping[str, pd.DataFrame], frames: dict[str, pd.DataFrame]) -> ReportSection:
    """The funnel of ``funnel_events`` with the best-fitting stage preset, 90-day window, by paid."""
    from roi_kit.funnel import funnel
    from roi_kit.widgets.apps.funnel_app import best_preset

    events = data["funnel_events"]
    result = funnel(events, stages=best_preset(events["event"]), window_days=90,
                    by="paid" if "paid" in events.columns else None)
    frames["funnel"] = result.to_frame()
    lines = [line for line in result.summary().split("\n") if line.strip()][:3]
    return ReportSection("Funnel", text="\n".join(lines), chart=readable_width(result.chart()))


def health_section(data: Mapping[str, pd.DataFrame], frames: dict[str, pd.DataFrame], *,
                   attributed_revenue: float | None) -> tuple[ReportSection, str]:
    """(the data health section of the loaded tables, the banner shown above the page)."""
    from roi_kit.reconcile import data_health

    tables = {k: data[k] for k in ("touchpoints", "deals", "customers", "posts", "funnel_events",
                                   "costs") if k in data}
    health = data_health(**tables, attributed_revenue=attributed_revenue)
    frames["data_health"] = health.to_frame()
    return ReportSection("Data health", text=health.summary()), health_banner(health)
