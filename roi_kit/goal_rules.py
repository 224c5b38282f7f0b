"""The one rule that turns a measured goal into a status, for floors and ceilings.

:func:`goal_status` is shared by :func:`roi_kit.goal_progress`, the apps (app 06 and the report
panel) and ``roi-kit report``, so a goal cannot be *missed* in one place and *achieved* in
another. A goal's ``direction`` is ``at_least`` (the target is a floor: leads, revenue) or
``at_most`` (a ceiling: cost, CAC, churn); its optional ``tolerance`` (metric units) turns the
target into a band.

Examples
--------
>>> import pandas as pd
>>> row_directions(pd.DataFrame({"metric": ["cost", "leads"], "direction": ["at_most", None]}),
...                {"leads": "at_least"})
['at_most', 'at_least']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal

import pandas as pd

from roi_kit.errors import EmptyDataError, InputError
from roi_kit.periods import utc_days

__all__ = ["DEFAULT_AT_MOST", "DIRECTIONS", "Direction", "as_of_day", "goal_status", "roi_goal_row",
           "row_directions", "tolerance_of"]

Direction = Literal["at_least", "at_most"]
DIRECTIONS: tuple[str, ...] = ("at_least", "at_most")
"""Every direction a goal can have."""

DEFAULT_AT_MOST: tuple[str, ...] = ("cost",)
"""Metrics treated as ceilings when a goal row has no ``direction`` (apps and ``roi-kit report``)."""


def tolerance_of(goal: Mapping[str, Any]) -> float:
    """The goal's ``tolerance`` as a non-negative float (0 when absent or missing).

    Examples
    --------
    >>> tolerance_of({"tolerance": -5.0}), tolerance_of({})
    (5.0, 0.0)
    """
    value = goal.get("tolerance")
    return 0.0 if value is None or pd.isna(value) else abs(float(value))


def as_of_day(as_of: str | pd.Timestamp | None, data: pd.DataFrame, *, metrics: Iterable[str],
              date: str = "date", name: str = "actuals") -> pd.Timestamp:
    """The last day goals are measured to (inclusive), as a naive midnight timestamp.

    ``as_of`` when given (its time of day dropped, a time-zone-aware one taken in UTC); else the
    latest day in ``data[date]`` among the rows of the goals' ``metrics`` — never the clock, so
    results are reproducible. The one default of :func:`roi_kit.goal_progress` and
    :func:`roi_kit.scorecard`.

    Examples
    --------
    >>> daily = pd.DataFrame({"date": pd.to_datetime(["2024-01-02 18:30", "2024-01-05 09:00"]),
    ...                       "metric": ["leads", "cost"], "value": [3.0, 9.0]})
    >>> as_of_day(None, daily, metrics=["leads"])
    Timestamp('2024-01-02 00:00:00')
    >>> as_of_day("2024-01-09 17:00", daily, metrics=["leads"])
    Timestamp('2024-01-09 00:00:00')
    """
    if as_of is not None:
        return pd.Timestamp(utc_days(pd.Series([pd.Timestamp(as_of)])).iloc[0])
    wanted = sorted({str(m) for m in metrics})
    days = data.loc[data["metric"].astype(str).isin(wanted), date].dropna()
    if days.empty:
        raise EmptyDataError(f"{name} has no values for the goals' metrics ({', '.join(wanted)}) "
                             "and as_of= is not given.",
                             hint="pass as_of='YYYY-MM-DD' or data that measure these metrics.")
    return pd.Timestamp(utc_days(days).max())


def goal_status(*, direction: Direction, actual: float, target: float, forecast: float,
                period_over: bool, tolerance: float = 0.0) -> str:
    """The status of one measured goal: ``achieved``, ``on track``, ``at risk`` or ``missed``.

    The single rule behind :func:`goal_progress`, the apps and ``roi-kit report`` (see the module
    docstring). A missing ``forecast`` (e.g. ROI, which has no run rate) counts as not reaching
    the target.

    Examples
    --------
    >>> goal_status(direction="at_most", actual=80.0, target=100.0, forecast=95.0, period_over=True)
    'achieved'
    >>> goal_status(direction="at_most", actual=80.0, target=100.0, forecast=120.0, period_over=False)
    'at risk'
    >>> goal_status(direction="at_least", actual=97.0, target=100.0, forecast=97.0, period_over=True,
    ...             tolerance=5.0)
    'achieved'
    """
    if direction not in DIRECTIONS:
        raise InputError(f"direction={direction!r} is not a goal direction.",
                         hint="use 'at_least' (a floor) or 'at_most' (a ceiling).")
    tol = tolerance_of({"tolerance": tolerance})
    fc = float("nan") if forecast is None else float(forecast)
    if direction == "at_least":
        if actual >= target - tol:
            return "achieved"
        if period_over:
            return "missed"
        return "on track" if fc >= target - tol else "at risk"
    if actual > target + tol:
        return "missed"
    if period_over:
        return "achieved"
    return "on track" if fc <= target + tol else "at risk"



def row_directions(g: pd.DataFrame, directions: Mapping[str, Direction] | None) -> list[Direction]:
    """Direction per goal row: its own ``direction``, else ``directions[metric]``, else at_least."""
    fill = dict(directions or {})
    own = g["direction"] if "direction" in g.columns else pd.Series([None] * len(g), index=g.index)
    out = []
    for metric, value in zip(g["metric"], own):
        d = fill.get(metric, "at_least") if value is None or pd.isna(value) else str(value).strip()
        if d not in DIRECTIONS:
            raise InputError(f"goal '{metric}' has direction={d!r}.",
                             hint="use 'at_least' (a floor) or 'at_most' (a ceiling).")
        out.append(d)
    return out  # type: ignore[return-value]


def roi_goal_row(goal: Mapping[str, Any], *, roi_pct: float | None, reason: str,
                 as_of: pd.Timestamp) -> dict[str, Any]:
    """One ``roi_pct`` goal in the :class:`~roi_kit.goals.GoalProgress` table layout.

    ROI is not a daily sum, so it is measured by the caller over the goal's period up to
    ``as_of`` (``roi-kit report`` and app 06 from the attribution of those dates) and handed in as
    ``roi_pct``; ``None`` gives status ``no data`` with ``reason`` as the note. The status comes
    from :func:`goal_status`; ROI has no run-rate forecast.

    Examples
    --------
    >>> goal = {"metric": "roi_pct", "target": 40.0, "period_start": "2025-10-01",
    ...         "period_end": "2025-12-31"}
    >>> row = roi_goal_row(goal, roi_pct=42.2, reason="", as_of=pd.Timestamp("2025-12-31"))
    >>> row["status"], round(row["progress"], 3)
    ('achieved', 1.055)
    >>> roi_goal_row(goal, roi_pct=None, reason="no cost.", as_of=pd.Timestamp("2025-11-01"))["status"]
    'no data'
    """
    start, end = pd.Timestamp(goal["period_start"]), pd.Timestamp(goal["period_end"])
    target = float(goal["target"])
    direction = row_directions(pd.DataFrame([dict(goal)]), None)[0]
    text = lambda key: "" if pd.isna(goal.get(key)) else str(goal.get(key, ""))  # noqa: E731
    elapsed = ((pd.Timestamp(as_of) - start).days + 1) / ((end - start).days + 1)
    row: dict[str, Any] = {
        "goal": f"roi_pct {start:%Y-%m-%d}–{end:%Y-%m-%d}", "metric": "roi_pct",
        "owner": text("owner"), "stage": text("stage"), "period_start": start, "period_end": end,
        "target": target, "baseline": float("nan"), "direction": direction,
        "tolerance": tolerance_of(goal), "how": "roi", "actual": float("nan"),
        "progress": float("nan"), "expected_by_now": float("nan"), "forecast": float("nan"),
        "forecast_progress": float("nan"), "elapsed_share": min(max(elapsed, 0.0), 1.0)}
    if roi_pct is None:
        return row | {"status": "no data", "note": reason}
    status = goal_status(direction=direction, actual=roi_pct, target=target,
                         forecast=float("nan"), period_over=pd.Timestamp(as_of) >= end,
                         tolerance=tolerance_of(goal))
    return row | {"actual": roi_pct, "progress": roi_pct / target if target > 0 else float("nan"),
                  "status": status, "note": "ROI on revenue credited to social by attribution."}


def measured_roi_row(goal: Mapping[str, Any], roi: Callable[[pd.Timestamp, pd.Timestamp], Any],
                     as_of: pd.Timestamp) -> dict[str, Any]:
    """A ``roi_pct`` goal measured by ``roi(start, end)`` over its period up to ``as_of``.

    The one way the scorecard and app 06 measure ROI goals (``roi-kit report`` hands in its own
    period's ROI through :func:`roi_goal_row`). A goal whose period starts after ``as_of`` is
    ``not started`` and ``roi`` is not called.

    Examples
    --------
    >>> import roi_kit as rk
    >>> goal = {"metric": "roi_pct", "target": 40.0, "period_start": "2025-10-01",
    ...         "period_end": "2025-12-31"}
    >>> measured = lambda start, end: rk.roi(revenue=150.0, cost=100.0)
    >>> measured_roi_row(goal, measured, pd.Timestamp("2025-12-31"))["status"]
    'achieved'
    >>> measured_roi_row(goal, measured, pd.Timestamp("2025-09-30"))["status"]
    'not started'
    """
    day = pd.Timestamp(as_of).normalize()
    start = pd.Timestamp(goal["period_start"]).normalize()
    if start > day:
        row = roi_goal_row(goal, roi_pct=None, reason="", as_of=day)
        return row | {"status": "not started", "note": "the period has not started yet."}
    end = min(pd.Timestamp(goal["period_end"]).normalize(), day)
    result = roi(start, end)
    reason = str(getattr(result, "roi_reason", None) or "ROI is undefined for these dates.")
    return roi_goal_row(goal, roi_pct=getattr(result, "roi_pct", None), reason=reason, as_of=day)

