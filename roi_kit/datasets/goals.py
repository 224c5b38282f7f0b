"""SMART goals per quarter of the last year of the window, set from the previous quarter's actuals.

Each goal has a ``metric`` (reach, engagements, followers, clicks, leads / orders, revenue, cost,
roi_pct), a ``target`` for ``period_start`` – ``period_end`` with its ``direction`` (``at_most`` for
cost — "keep costs flat" is a ceiling with a 3 % ``tolerance`` — ``at_least`` otherwise), the ``baseline`` it was set from (the
actual of the quarter before), an ``owner``, the funnel ``stage`` it belongs to (awareness,
engagement, conversion, revenue, efficiency), the ``platform`` where it applies ("all" otherwise)
and a one-line SMART ``description``.

Examples
--------
>>> import pandas as pd
>>> posts = pd.DataFrame({"platform": ["x", "x"], "published_at": pd.to_datetime(
...     ["2024-02-01", "2024-05-01"]), "reach": [100, 120], "likes": [5, 6], "comments": [1, 1],
...     "shares": [0, 1], "saves": [0, 0], "clicks": [3, 4], "followers": [1000, 1100]})
>>> g = build_goals(posts, pd.DataFrame(columns=["t", "event", "value"]),
...                 pd.DataFrame({"date": pd.to_datetime(["2024-02-01"]), "amount": [10.0]}),
...                 business="saas", start="2024-01-01", end="2024-06-30")
>>> sorted(set(g["metric"]))[:3]
['clicks', 'cost', 'engagements']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["build_goals"]

_OWNERS = {"awareness": "Maja (social lead)", "engagement": "Tom (community)",
           "conversion": "Priya (growth)", "revenue": "Sales & marketing",
           "efficiency": "Finance (CFO office)"}


def build_goals(posts: pd.DataFrame, events: pd.DataFrame, costs: pd.DataFrame, *,
                business: str, start: str, end: str,
                social_revenue: pd.Series | None = None) -> pd.DataFrame:
    """Goals for each full quarter in the last year of the window (at least one quarter).

    ``social_revenue`` (values indexed by conversion time) is the revenue credited to social
    channels; the ROI goal asks for the previous quarter's ROI on it (costs at their target and
    revenue grown like the revenue goal). Without it, the ROI goal uses all funnel revenue.
    """
    first = pd.Timestamp(start).to_period("Q")
    last = pd.Timestamp(end).to_period("Q")
    quarters = pd.period_range(max(first + 1, last - 3), last, freq="Q")
    eng = posts[["likes", "comments", "shares", "saves"]].sum(axis=1)
    pq = posts["published_at"].dt.to_period("Q")
    ev_q = pd.to_datetime(events.get("timestamp", pd.Series(dtype="datetime64[ns]"))).dt.to_period("Q")
    cq = costs["date"].dt.to_period("Q")
    conv_event = "lead" if business == "saas" else "order"
    final_event = "won" if business == "saas" else "order"

    def actual(metric: str, q: pd.Period) -> float:
        in_q = pq == q
        if metric == "reach":
            return float(posts.loc[in_q, "reach"].sum())
        if metric == "engagements":
            return float(eng[in_q].sum())
        if metric == "clicks":
            return float(posts.loc[in_q, "clicks"].sum())
        if metric == "followers":
            last_counts = posts.loc[in_q].sort_values("published_at").groupby("platform")["followers"]
            return float(last_counts.last().sum())
        if metric in ("leads", "orders"):
            return float(((ev_q == q) & (events["event"] == conv_event)).sum())
        if metric == "revenue":
            return float(events.loc[(ev_q == q) & (events["event"] == final_event), "value"].sum())
        if metric == "cost":
            return float(costs.loc[cq == q, "amount"].sum())
        raise KeyError(metric)

    plan = [("reach", "awareness", 1.05, "Grow organic + paid reach"),
            ("followers", "awareness", 1.04, "Grow followers across platforms"),
            ("engagements", "engagement", 1.05, "More likes, comments, shares and saves"),
            ("clicks", "engagement", 1.05, "More clicks to the website"),
            ("leads" if business == "saas" else "orders", "conversion", 1.05,
             "More social-sourced conversions"),
            ("revenue", "revenue", 1.08, "Revenue from converted customers"),
            ("cost", "efficiency", 1.00, "Keep social costs flat")]
    ceiling = {"cost"}
    rows = []
    for q in quarters:
        prev = q - 1
        revenue = cost = 0.0
        for metric, stage, uplift, what in plan:
            base = actual(metric, prev)
            target = float(np.round(base * uplift, 0))
            if metric == "revenue":
                revenue = target
            if metric == "cost":
                cost = target
            at_most = metric in ceiling
            tolerance = float(np.round(0.03 * base, 0)) if at_most else 0.0
            words = (f"{what}: at most {target:,.0f} (+{tolerance:,.0f} tolerance)" if at_most
                     else f"{what}: at least {target:,.0f}")
            rows.append({"metric": metric, "target": target, "period_start": q.start_time,
                         "period_end": q.end_time.normalize(), "owner": _OWNERS[stage],
                         "stage": stage, "baseline": base,
                         "direction": "at_most" if at_most else "at_least", "tolerance": tolerance,
                         "platform": "all",
                         "description": f"{words} in {q} (from {base:,.0f} in {prev})."})
        if social_revenue is not None:
            in_prev = social_revenue.index.to_period("Q") == prev
            revenue = float(social_revenue[in_prev].sum()) * 1.08
        roi = float(np.round((revenue - cost) / cost * 100.0, 1)) if cost > 0 else 0.0
        rows.append({"metric": "roi_pct", "target": roi, "period_start": q.start_time,
                     "period_end": q.end_time.normalize(), "owner": _OWNERS["efficiency"],
                     "stage": "efficiency", "baseline": np.nan, "direction": "at_least",
                     "tolerance": 0.0, "platform": "all",
                     "description": f"ROI of social (on revenue credited to social channels) of at "
                                    f"least {roi:,.1f} % in {q}."})
    out = pd.DataFrame(rows)
    out["period_start"] = out["period_start"].astype("datetime64[ns]")
    out["period_end"] = out["period_end"].astype("datetime64[ns]")
    return out
