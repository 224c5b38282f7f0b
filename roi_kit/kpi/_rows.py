"""Turn measured goals and window values into scorecard rows (shared by the API and the report).

:func:`build_rows` takes a :class:`~roi_kit.goals.GoalProgress` table (the goals were measured by
:func:`roi_kit.goal_progress`, whose status rule is :func:`roi_kit.goal_rules.goal_status`; nothing
here re-decides a status), the values of the period to date and of every history window, and an
optional benchmark table.

Examples
--------
>>> pace_of({"progress": 0.5, "elapsed_share": 0.25})
2.0
>>> pace_of({"progress": 0.5, "elapsed_share": 0.0}) is None
True
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from roi_kit.formatting import fmt_pct, no_interval
from roi_kit.goals import band_words
from roi_kit.kpi._benchmarks import Position, lookup, position
from roi_kit.kpi._history import HISTORY_WORDS
from roi_kit.kpi._result import COST_METRICS, Kind, ScorecardRow, fmt_value
from roi_kit.kpi._values import Values

__all__ = ["History", "Scope", "build_rows", "history_of", "pace_of"]

History = dict[str, Values | list[Values]]
"""``{"previous_period": values, "last_year": values, "trailing_median": [values, ...]}``."""


def _num(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def pace_of(goal: Mapping[str, Any]) -> float | None:
    """Progress to target over the share of the period gone (None when either is undefined)."""
    progress, gone = _num(goal.get("progress")), _num(goal.get("elapsed_share"))
    return None if progress is None or not gone else progress / gone


def history_of(history: History, key: tuple[str, str]) -> dict[str, float | None]:
    """The three own-history values of one ``(metric, platform)``."""
    out: dict[str, float | None] = {}
    for basis in ("previous_period", "last_year"):
        one = history.get(basis, {})
        out[basis] = one.get(key) if isinstance(one, dict) else None
    trailing = history.get("trailing_median", [])
    values = [v[key] for v in trailing if isinstance(v, dict) and key in v]
    out["trailing_median"] = float(statistics.median(values)) if values else None
    return out


def _fmt_pace(pace: float) -> str:
    """Two decimals, or three when two would show 1.00 for a pace that is not exactly 1."""
    text = f"{pace:.2f}"
    return f"{pace:.3f}" if text == "1.00" and pace != 1.0 else text


def _change(actual: float | None, bench: float | None) -> float | None:
    return None if actual is None or bench is None or bench == 0 else actual / bench - 1


def _history_words(metric: str, actual: float | None, bench: float | None, basis_words: str) -> str:
    if bench is None:
        return (f"No value for {basis_words} (the data do not cover those days or do not "
                "measure this metric).")
    change = _change(actual, bench)
    if change is None:
        return f"{basis_words.capitalize()}: {fmt_value(metric, bench)} (no change can be computed)."
    way = "above" if change > 0 else "below" if change < 0 else "equal to"
    size = f"{fmt_pct(abs(change), decimals=0)} " if change else ""
    return f"{size}{way} {basis_words} ({fmt_value(metric, bench)})."


def _bench_words(metric: str, platform: str, actual: float | None, bench: dict[str, Any] | None,
                 where: Position) -> str:
    if bench is None or not where:
        return ""
    lo, mid, hi = (_num(bench[c]) for c in ("low", "median", "high"))
    rng = (f"the benchmark range {fmt_value(metric, lo)}–{fmt_value(metric, hi)}"
           if lo is not None and hi is not None else "the benchmark")
    median = f"median {fmt_value(metric, mid)}" if mid is not None else ""
    good = ""
    if where in ("below", "above", "below median", "above median") and metric in COST_METRICS:
        good = " — cheaper than typical" if where.startswith("below") else " — dearer than typical"
    elif where in ("below", "above", "below median", "above median"):
        good = " — weaker than typical" if where.startswith("below") else " — stronger than typical"
    source = f" Source: {bench['source']}." if bench.get("source") else ""
    if where in ("below", "above"):
        text = f"OUTSIDE the range: {where} {rng}" + (f" ({median})" if median else "")
    elif where == "within":
        text = f"within {rng}" + (f" ({median})" if median else "")
    else:
        text = f"{where.replace('median', 'the benchmark median')} {fmt_value(metric, mid)}"
    return f" Benchmark: {text}{good}.{source}"


def _forecast_words(metric: str, goal: Mapping[str, Any]) -> str:
    """The goal's forecast with its prediction interval (from rk.goal_progress), or why none."""
    forecast = _num(goal.get("forecast"))
    if float(goal.get("elapsed_share", 0.0) or 0.0) >= 1:
        return " " + no_interval("the value", "the period is over, so it is counted, not forecast")
    if forecast is None:
        return ""
    band = band_words(goal)
    if not band:
        return (f" Forecast {fmt_value(metric, forecast)} by the period end. "
                + no_interval("forecast", str(goal.get("note") or "too few days of actuals so far")))
    return f" Forecast {fmt_value(metric, forecast)} by the period end{band}."


def _row(kind: Kind, goal: Mapping[str, Any], metric: str, platform: str, actual: float | None,
         hist: dict[str, float | None], basis: str, basis_words: str,
         bench: dict[str, Any] | None) -> ScorecardRow:
    where = position(actual, bench)
    chosen = hist[basis]
    lead = f"{metric}" + (f" on {platform}" if platform != "all" else "")
    if kind == "kpi":
        pace = pace_of(goal)
        owner = f", owner {goal['owner']}" if goal.get("owner") else ""
        stage = f"{goal['stage']} stage" if goal.get("stage") else "no stage"
        if actual is None:
            head = f"KPI {lead} ({stage}{owner}): {goal['status']} — {goal.get('note') or 'no value.'}"
        else:
            cap = "ceiling" if goal.get("direction") == "at_most" else "target"
            pace_words = (f"pace {_fmt_pace(pace)} (1.00 reaches the {cap} on the last day)"
                          if pace is not None else "pace undefined (no share of the period gone "
                          "or the target equals the baseline)")
            head = (f"KPI {lead} ({stage}{owner}): {goal['status']} — {fmt_value(metric, actual)} "
                    f"against {cap} {fmt_value(metric, goal['target'])}; {pace_words}."
                    + _forecast_words(metric, goal))
    else:
        pace = None
        head = f"{lead}: {fmt_value(metric, actual)}." if actual is not None else f"{lead}: no value."
    words = head if actual is None else (head + " " + _history_words(metric, actual, chosen, basis_words)
                                         + _bench_words(metric, platform, actual, bench, where))
    return ScorecardRow(
        kind=kind, metric=metric, platform=platform, stage=str(goal.get("stage") or ""),
        goal=str(goal.get("goal") or ""), owner=str(goal.get("owner") or ""),
        direction=str(goal.get("direction") or ""), actual=actual,
        target=_num(goal.get("target")), progress=_num(goal.get("progress")), pace=pace,
        status=str(goal.get("status") or ""), benchmark=chosen, change=_change(actual, chosen),
        previous_period=hist["previous_period"], last_year=hist["last_year"],
        trailing_median=hist["trailing_median"],
        bench_low=_num(bench["low"]) if bench else None,
        bench_median=_num(bench["median"]) if bench else None,
        bench_high=_num(bench["high"]) if bench else None, bench_position=where,
        bench_source=str(bench.get("source", "")) if bench else "", words=words.strip())


Scope = tuple[str, pd.Timestamp, pd.Timestamp]
"""``(platform, period_start, period_end)``: whose history a KPI is compared with."""


def build_rows(progress: pd.DataFrame, *, kpi_history: Mapping[Scope, History], values: Values,
               history: History, metrics: Sequence[tuple[str, str]], basis: str, trailing: int,
               benchmarks: pd.DataFrame | None, industry: str | None) -> list[ScorecardRow]:
    """KPI rows (one per goal in ``progress``) then metric rows (``(metric, platform)`` pairs).

    A KPI's history is that of its own platform and period (``kpi_history``); the metrics' values
    and history are those of the scorecard period on every platform.
    """
    words = HISTORY_WORDS[basis].format(n=trailing)
    rows: list[ScorecardRow] = []
    for goal in progress.to_dict("records"):
        platform = str(goal.get("platform") or "all")
        scope = (platform, pd.Timestamp(goal["period_start"]), pd.Timestamp(goal["period_end"]))
        key = (str(goal["metric"]), "all")
        hist = history_of(kpi_history.get(scope, {}), key)
        bench = None if benchmarks is None else lookup(benchmarks, key[0], platform, industry=industry)
        rows.append(_row("kpi", goal, key[0], platform, _num(goal.get("actual")), hist, basis,
                         words, bench))
    for metric, platform in metrics:
        actual = _num(values.get((metric, platform)))
        hist = history_of(history, (metric, platform))
        bench = None if benchmarks is None else lookup(benchmarks, metric, platform, industry=industry)
        rows.append(_row("metric", {}, metric, platform, actual, hist, basis, words, bench))
    return rows
