"""Every metric of the scorecard measured over one window of days — the same rule for the
period to date and for each history window, so a change against history is like for like.

* volumes (``date, metric, value`` daily actuals, see :mod:`roi_kit.actuals`): the sum over the
  window; a *level* (followers) is its latest value in the window;
* rates (CPM, CPC, CTR, engagement rates) from the posts published in the window, through
  :func:`roi_kit.rates` — overall (platform ``"all"``) and per platform.

A window that starts before the first day of the data has no values at all (``{}``): the data do
not cover it, which is not the same as zero.

Examples
--------
>>> import pandas as pd
>>> from roi_kit.kpi._history import Window
>>> daily = pd.DataFrame({"date": pd.to_datetime(["2025-01-01", "2025-01-02", "2025-01-03"]),
...                       "metric": ["leads", "leads", "leads"], "value": [1.0, 2.0, 4.0]})
>>> w = Window(pd.Timestamp("2025-01-02"), pd.Timestamp("2025-01-03"))
>>> window_values(daily, None, [w], first_day=pd.Timestamp("2025-01-01"))
[{('leads', 'all'): 6.0}]
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from roi_kit.errors import InputError
from roi_kit.kpi._history import Window
from roi_kit.rates import rates

__all__ = ["DEFAULT_RATES", "Values", "window_values"]

Values = dict[tuple[str, str], float]
"""``(metric, platform) → value``; platform ``"all"`` is every platform together."""

DEFAULT_RATES: tuple[str, ...] = ("engagement_rate_by_impressions", "ctr", "cpc", "cpm")
"""Rates shown as context by default (the ones public benchmark tables quote most)."""


def _volumes(daily: pd.DataFrame, window: Window, levels: Sequence[str]) -> Values:
    rows = daily.loc[(daily["date"] >= window.start) & (daily["date"] <= window.end)]
    out: Values = {}
    for metric, group in rows.groupby("metric", sort=True):
        values = group.sort_values("date", kind="stable")["value"]
        out[(str(metric), "all")] = float(values.iloc[-1] if metric in levels else values.sum())
    return out


def _rates(posts: pd.DataFrame, windows: Sequence[Window], wanted: Sequence[str]) -> list[Values]:
    """Rates per window, from one stacked table (two :func:`rates` calls for every window)."""
    when = posts["published_at"]
    parts = [posts.loc[(when >= w.start) & (when < w.end + pd.Timedelta(days=1))].assign(_window=i)
             for i, w in enumerate(windows)]
    out: list[Values] = [{} for _ in windows]
    rows = pd.concat(parts, ignore_index=True)
    if rows.empty:
        return out
    try:
        tables = [(rates(rows, by="_window").table, False)]
        if "platform" in rows:
            tables.append((rates(rows, by=["_window", "platform"]).table, True))
    except InputError:
        return out
    for table, per_platform in tables:
        keep = table.loc[table["metric"].isin(wanted) & table["value"].notna()]
        for row in keep.to_dict("records"):
            where = str(row["platform"]) if per_platform else "all"
            out[int(row["_window"])][(str(row["metric"]), where)] = float(row["value"])
    return out


def window_values(daily: pd.DataFrame, posts: pd.DataFrame | None, windows: Sequence[Window], *,
                  first_day: pd.Timestamp, levels: Sequence[str] = ("followers",),
                  rate_metrics: Sequence[str] = DEFAULT_RATES) -> list[Values]:
    """Volumes and rates over each of ``windows`` (see the module docstring)."""
    covered = [w for w in windows if w.start >= first_day]
    found: dict[Window, Values] = {w: _volumes(daily, w, levels) for w in dict.fromkeys(covered)}
    if posts is not None and len(posts) and rate_metrics and found:
        for w, values in zip(found, _rates(posts, list(found), rate_metrics)):
            found[w].update(values)
    return [dict(found.get(w, {})) for w in windows]
