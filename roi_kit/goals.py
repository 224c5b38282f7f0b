"""SMART goals: progress against target, run-rate forecast to the period end, and a status.

Inputs
------
``goals`` (the canonical goals table, any engine): ``metric, target, period_start, period_end``,
optional ``owner, stage, baseline``.

``actuals`` (any engine): one row per measurement — ``date, metric, value``. Rows of the same
metric and day are summed (in the caller's engine) before anything else.

How a goal is measured
----------------------
Dates count in whole days; a period includes both its start and end day. ``as_of`` is the last
day of data to use (inclusive). It is never taken from the clock: when ``as_of`` is not given it
is the latest date in ``actuals`` among the goals' metrics, and the summary says so.

``how[metric] = "sum"`` (default, for flows: leads, revenue, posts)::

    actual   = sum of values from period_start to min(as_of, period_end)
    progress = actual / target
    forecast = actual / elapsed_days × period_days        (run rate; = actual once the period ended)

``how[metric] = "last"`` (for levels: followers, MRR)::

    actual   = latest value in the period up to as_of
    baseline = goal's baseline, else the first value in the period
    progress = (actual − baseline) / (target − baseline)
    forecast = baseline + (actual − baseline) × period_days / elapsed_days

Direction: the goals table's optional ``direction`` column says whether the target is a floor
(``at_least``, the default: leads, revenue) or a ceiling (``at_most``: cost, CAC, churn); the
optional ``tolerance`` (metric units, default 0) widens it into a band — met when actual ≥ target −
tolerance (at_least) or actual ≤ target + tolerance (at_most). ``directions=`` fills in metrics whose
row has no direction. Status comes from :func:`goal_status` — the one rule the API, the apps and the
CLI report share: ``not started`` (as_of before the period), ``no data`` (no actuals so far), then

* at_least: ``achieved`` once actual reaches the band; else ``missed`` when the period is over,
  ``on track`` when the forecast reaches it, else ``at risk``;
* at_most: ``missed`` as soon as actual is above the band (a spent budget stays spent); else
  ``achieved`` when the period is over, ``on track`` when the forecast stays in it, else ``at risk``.

The result, :class:`~roi_kit.goal_result.GoalProgress`, and its words live in
:mod:`roi_kit.goal_result`.

Examples
--------
>>> import pandas as pd
>>> goals = pd.DataFrame({"metric": ["leads"], "target": [300.0],
...                       "period_start": pd.to_datetime(["2024-01-01"]),
...                       "period_end": pd.to_datetime(["2024-01-30"])})
>>> actuals = pd.DataFrame({"date": pd.to_datetime(["2024-01-02", "2024-01-10"]),
...                         "metric": ["leads", "leads"], "value": [60.0, 40.0]})
>>> g = goal_progress(goals, actuals, as_of="2024-01-10")
>>> g.to_frame()[["actual", "forecast", "status"]].values.tolist()
[[100.0, 300.0, 'on track']]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import narwhals as nw
import numpy as np
import pandas as pd

from roi_kit.engine import as_frame, require_columns, to_pandas
from roi_kit.errors import EmptyDataError, InputError
from roi_kit.goal_forecast import forecast_band, reach_probability
from roi_kit.goal_result import STATUSES, GoalProgress, band_words
from roi_kit.goal_rules import (
    DIRECTIONS,
    Direction,
    as_of_day,
    goal_status,
    row_directions,
    tolerance_of,
)
from roi_kit.periods import utc_days

__all__ = ["DIRECTIONS", "STATUSES", "Direction", "GoalProgress", "band_words", "goal_progress", "goal_status"]

How = Literal["sum", "last"]


def _daily_actuals(actuals: Any, metrics: list[str]) -> pd.DataFrame:
    if isinstance(actuals, pd.DataFrame) and isinstance(actuals.get("date", pd.Series()).dtype,
                                                          pd.DatetimeTZDtype):
        actuals = actuals.assign(date=utc_days(actuals["date"]))  # narwhals may not type it
    frame = as_frame(actuals, name="actuals")
    require_columns(frame, ["date", "metric", "value"], name="actuals")
    date, kind = nw.col("date"), frame.collect_schema()["date"]
    if isinstance(kind, nw.Datetime) and kind.time_zone is not None:
        date = date.dt.convert_time_zone("UTC")  # a time-zone-aware time counts on its UTC day
    daily = (frame.filter(nw.col("metric").is_in(metrics), ~nw.col("date").is_null())
             .select(nw.col("metric").cast(nw.String),
                     date.dt.year().cast(nw.Int64).alias("year"),
                     date.dt.month().cast(nw.Int64).alias("month"),
                     date.dt.day().cast(nw.Int64).alias("day"),
                     nw.col("value").cast(nw.Float64))
             .group_by("metric", "year", "month", "day").agg(nw.col("value").sum()))
    out = to_pandas(daily)
    out["day"] = pd.to_datetime(out[["year", "month", "day"]]).astype("datetime64[ns]")
    out = out.drop(columns=["year", "month"])
    out["metric"] = out["metric"].astype("str")
    return out.sort_values(["metric", "day"]).reset_index(drop=True)


def _goal_row(goal: dict[str, Any], days: pd.DataFrame, as_of: pd.Timestamp, how: How,
              direction: Direction) -> dict[str, Any]:
    start, end = goal["period_start"], goal["period_end"]
    total_days = (end - start).days + 1
    upto = min(as_of, end)
    elapsed = max((upto - start).days + 1, 0)
    window = days[(days["day"] >= start) & (days["day"] <= upto)]
    target = float(goal["target"])
    baseline = goal.get("baseline")
    baseline = None if baseline is None or pd.isna(baseline) else float(baseline)
    row: dict[str, Any] = dict(actual=np.nan, progress=np.nan, forecast=np.nan, note="",
                               forecast_low=np.nan, forecast_high=np.nan, reach_probability=np.nan,
                               elapsed_share=min(elapsed / total_days, 1.0), expected_by_now=np.nan)
    if as_of < start:
        return {**row, "status": "not started", "note": "the period has not started yet."}
    if window.empty:
        return {**row, "status": "no data",
                "note": f"no actuals for '{goal['metric']}' between {start:%Y-%m-%d} and {upto:%Y-%m-%d}."}
    if how == "sum":
        actual = float(window["value"].sum())
        base = 0.0
    else:
        actual = float(window["value"].iloc[-1])
        base = baseline if baseline is not None else float(window["value"].iloc[0])
    span = target - base
    progress = (actual - base) / span if span != 0 else np.nan
    forecast = base + (actual - base) * total_days / elapsed
    if as_of >= end:
        forecast = actual
    expected = base + span * elapsed / total_days
    status = goal_status(direction=direction, actual=actual, target=target, forecast=forecast,
                         period_over=as_of >= end, tolerance=tolerance_of(goal))
    note = "" if span != 0 else "target equals the baseline: progress is undefined."
    band = forecast_band(how=how, offsets=(window["day"] - start).dt.days.to_numpy(),
                         values=window["value"].to_numpy(float), elapsed=elapsed,
                         remaining=0 if as_of >= end else total_days - elapsed, forecast=forecast)
    chance = {"achieved": 1.0, "missed": 0.0}.get(status, reach_probability(
        band, target=target, direction=direction, tolerance=tolerance_of(goal)))
    if band.reason:
        note = f"{note} No forecast interval: {band.reason}".strip()
    return {**row, "actual": actual, "baseline": base if how == "last" else baseline,
            "forecast_low": band.low, "forecast_high": band.high, "reach_probability": chance,
            "progress": progress, "forecast": forecast,
            "forecast_progress": (forecast - base) / span if span != 0 else np.nan,
            "expected_by_now": expected, "status": status, "note": note}


def goal_progress(
    goals: Any,
    actuals: Any,
    *,
    as_of: str | pd.Timestamp | None = None,
    how: Mapping[str, How] | None = None,
    directions: Mapping[str, Direction] | None = None,
) -> GoalProgress:
    """Progress of SMART goals against their targets, with a run-rate forecast and status.

    Parameters
    ----------
    goals
        Goals table in any engine: ``metric, target, period_start, period_end`` and optional
        ``owner, stage, baseline``.
    actuals
        Measurements in any engine: ``date, metric, value`` (summed per metric and day).
    as_of
        Last day of data to count (inclusive). Default: the latest date in ``actuals`` for the
        goals' metrics — never today's date, so results are reproducible.
    how
        ``{metric: "sum" | "last"}``: ``"sum"`` (default) adds values up (flows),
        ``"last"`` takes the latest value (levels such as follower counts).
    directions
        ``{metric: "at_least" | "at_most"}`` for goals whose row has no ``direction``
        (default ``"at_least"``).

    Returns
    -------
    GoalProgress

    Examples
    --------
    >>> import pandas as pd
    >>> goals = pd.DataFrame({"metric": ["demos"], "target": [10.0], "owner": ["Ana"],
    ...                       "period_start": pd.to_datetime(["2024-03-01"]),
    ...                       "period_end": pd.to_datetime(["2024-03-31"])})
    >>> actuals = pd.DataFrame({"date": pd.to_datetime(["2024-03-05"]), "metric": ["demos"],
    ...                         "value": [12.0]})
    >>> goal_progress(goals, actuals, as_of="2024-03-15").to_frame()["status"].tolist()
    ['achieved']
    """
    g = to_pandas(as_frame(goals, name="goals"))
    require_columns(as_frame(g), ["metric", "target", "period_start", "period_end"], name="goals")
    if g.empty:
        raise EmptyDataError("goals has no rows.", hint="add at least one goal.")
    g = g.copy()
    g["metric"] = g["metric"].astype("str")
    for col in ("period_start", "period_end"):
        g[col] = utc_days(g[col])
    bad = g[g["period_end"] < g["period_start"]]
    if len(bad):
        raise InputError(f"goal '{bad['metric'].iloc[0]}' ends before it starts.",
                         hint="check period_start and period_end.")
    how = dict(how or {})
    wrong = {m: h for m, h in how.items() if h not in ("sum", "last")}
    if wrong:
        raise InputError(f"how={wrong!r} has an unknown aggregation.", hint="use 'sum' or 'last'.")
    dirs = row_directions(g, directions)
    metrics = sorted(set(g["metric"]))
    daily = _daily_actuals(actuals, metrics)
    from_data = as_of is None
    day = as_of_day(as_of, daily, metrics=metrics, date="day")
    by_metric = {m: d for m, d in daily.groupby("metric")}
    empty = daily.iloc[:0]
    rows = []
    for goal, direction in zip(g.to_dict("records"), dirs):
        mode: How = how.get(goal["metric"], "sum")
        out = _goal_row(goal, by_metric.get(goal["metric"], empty), day, mode, direction)
        label = f"{goal['metric']} {goal['period_start']:%Y-%m-%d}–{goal['period_end']:%Y-%m-%d}"
        rows.append({"goal": label, "metric": goal["metric"],
                     "owner": "" if pd.isna(goal.get("owner")) else str(goal.get("owner", "")),
                     "stage": "" if pd.isna(goal.get("stage")) else str(goal.get("stage", "")),
                     "period_start": goal["period_start"], "period_end": goal["period_end"],
                     "target": float(goal["target"]), "baseline": out.get("baseline", np.nan),
                     "direction": direction,
                     "tolerance": tolerance_of(goal),
                     "how": mode, **{k: out.get(k, np.nan) for k in (
                         "actual", "progress", "expected_by_now", "forecast", "forecast_progress",
                         "elapsed_share")}, "status": out["status"], "note": out["note"],
                     **{k: out.get(k, np.nan) for k in ("forecast_low", "forecast_high",
                                                         "reach_probability")}})
    table = pd.DataFrame(rows)
    table["baseline"] = pd.to_numeric(table["baseline"], errors="coerce").astype("float64")
    notes = []
    unused = sorted(set(how) - set(metrics))
    if unused:
        notes.append(f"how= names metrics without a goal: {', '.join(unused)}.")
    return GoalProgress(table=table, as_of=day, as_of_from_data=from_data, notes=tuple(notes))
