"""Daily actuals of the metrics goals are set on, computed from the canonical tables.

Shared by :func:`roi_kit.scorecard` and ``roi-kit report`` (one definition of each metric).

One long table ``date, metric, value`` (what :func:`roi_kit.goals.goal_progress` reads):

========================  ==========================================================================
metric                    how it is measured (per day)
========================  ==========================================================================
posts                     posts published (``posts``)
reach, impressions,       sums of the post columns of that name
clicks, video_views,
spend
engagements               likes + comments + shares + saves (missing columns count as 0)
followers                 a level: the sum over platforms of each platform's latest follower count
                          (from ``posts.followers``)
<event>, <event>s         funnel events of that name, e.g. ``lead``/``leads``, ``order``/``orders``
revenue                   sum of ``funnel_events.value``; without event values, the amount of won
                          deals by ``closed_at``
cost                      cost lines (``amount``, else ``hours`` × ``rate``) by ``date``
deals_won                 won deals by ``closed_at``
========================  ==========================================================================

``roi_pct`` goals need attribution: ``roi-kit report`` measures them, these tables do not.

Examples
--------
>>> import pandas as pd
>>> posts = pd.DataFrame({"platform": ["x", "x", "linkedin"],
...     "published_at": pd.to_datetime(["2025-01-01 09:00", "2025-01-02 10:00", "2025-01-02 11:00"]),
...     "reach": [100, 50, 10], "likes": [3, 1, 0], "followers": [500, 510, 90]})
>>> daily = daily_actuals({"posts": posts})
>>> daily[daily["metric"] == "followers"]["value"].tolist()
[500.0, 600.0]
>>> daily[daily["metric"] == "engagements"]["value"].tolist()
[3.0, 1.0]
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

__all__ = ["ENGAGEMENT_COLUMNS", "daily_actuals"]

ENGAGEMENT_COLUMNS = ("likes", "comments", "shares", "saves")
_POST_SUMS = ("reach", "impressions", "clicks", "video_views", "spend")


def _by_day(when: pd.Series, values: pd.Series, metric: str) -> pd.DataFrame:
    frame = pd.DataFrame({"date": when.dt.normalize(), "value": values.astype("float64")})
    frame = frame.dropna(subset=["date"])
    out = frame.groupby("date", sort=True)["value"].sum().reset_index()
    out.insert(1, "metric", metric)
    return out


def _followers_level(posts: pd.DataFrame) -> pd.DataFrame:
    known = posts.dropna(subset=["published_at", "followers"])
    if known.empty:
        return pd.DataFrame(columns=["date", "metric", "value"])
    known = known.assign(date=known["published_at"].dt.normalize()).sort_values("published_at")
    last = known.groupby(["date", "platform"], sort=True)["followers"].last().unstack("platform")
    level = last.ffill().sum(axis=1, min_count=1)
    return pd.DataFrame({"date": level.index, "metric": "followers", "value": level.to_numpy(float)})


def daily_actuals(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Every measurable metric per day (see the module docstring); columns ``date, metric, value``."""
    parts: list[pd.DataFrame] = []
    posts = tables.get("posts")
    if posts is not None and len(posts):
        when = posts["published_at"]
        parts.append(_by_day(when, pd.Series(1.0, index=posts.index), "posts"))
        for col in _POST_SUMS:
            if col in posts:
                parts.append(_by_day(when, posts[col].fillna(0), col))
        cols = [c for c in ENGAGEMENT_COLUMNS if c in posts]
        if cols:
            parts.append(_by_day(when, posts[cols].fillna(0).sum(axis=1), "engagements"))
        if "followers" in posts and "platform" in posts:
            parts.append(_followers_level(posts))
    events = tables.get("funnel_events")
    has_event_value = False
    if events is not None and len(events):
        counts = (events.dropna(subset=["timestamp", "event"])
                  .assign(date=lambda f: f["timestamp"].dt.normalize(), value=1.0)
                  .groupby(["date", "event"], sort=True)["value"].sum().reset_index()
                  .rename(columns={"event": "metric"}))
        counts["metric"] = counts["metric"].astype(str)
        plural = counts.assign(metric=counts["metric"] + "s")
        parts += [counts[["date", "metric", "value"]], plural[["date", "metric", "value"]]]
        if "value" in events and events["value"].notna().any():
            has_event_value = True
            parts.append(_by_day(events["timestamp"], events["value"].fillna(0), "revenue"))
    deals = tables.get("deals")
    if deals is not None and len(deals) and "closed_at" in deals:
        won = deals.loc[deals["status"].astype(str) == "won"]
        parts.append(_by_day(won["closed_at"], pd.Series(1.0, index=won.index), "deals_won"))
        if not has_event_value:
            parts.append(_by_day(won["closed_at"], won["amount"], "revenue"))
    costs = tables.get("costs")
    if costs is not None and len(costs):
        amount = costs["amount"] if "amount" in costs else pd.Series(float("nan"), index=costs.index)
        if {"hours", "rate"} <= set(costs.columns):
            amount = amount.fillna(costs["hours"] * costs["rate"])
        parts.append(_by_day(costs["date"], amount.fillna(0), "cost"))
    if not parts:
        return pd.DataFrame({"date": pd.Series([], dtype="datetime64[ns]"),
                             "metric": pd.Series([], dtype=object), "value": pd.Series([], dtype=float)})
    out = pd.concat([p for p in parts if len(p)], ignore_index=True)
    out["date"] = out["date"].astype("datetime64[ns]")
    out["metric"] = out["metric"].astype(object)
    return out.sort_values(["metric", "date"], kind="stable").reset_index(drop=True)
