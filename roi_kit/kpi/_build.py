"""``rk.scorecard``: which goals are the KPIs, which period, and the data behind every row.

Examples
--------
>>> import pandas as pd
>>> daily = pd.DataFrame({"date": pd.to_datetime(["2025-01-01", "2025-04-10"]),
...                       "metric": ["leads", "leads"], "value": [3.0, 5.0]})
>>> goals = pd.DataFrame({"metric": ["leads"], "target": [10.0],
...     "period_start": pd.to_datetime(["2025-04-01"]), "period_end": pd.to_datetime(["2025-06-30"])})
>>> kpis = active_goals(goals, pd.Timestamp("2025-04-10"))
>>> len(kpis), str(kpis["period_end"].iloc[0].date())
(1, '2025-06-30')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from roi_kit.actuals import daily_actuals
from roi_kit.engine import as_frame, require_columns, to_pandas
from roi_kit.errors import ConfigError, EmptyDataError, InputError
from roi_kit.goal_rules import DEFAULT_AT_MOST, as_of_day, measured_roi_row
from roi_kit.goals import goal_progress
from roi_kit.kpi._benchmarks import check_benchmarks
from roi_kit.kpi._history import HISTORY_BASES, HISTORY_WORDS, HistoryBasis, Window, shifted
from roi_kit.kpi._inputs import on_platform as _on_platform
from roi_kit.kpi._inputs import read_data as _tables
from roi_kit.kpi._result import ScorecardResult
from roi_kit.kpi._rows import History, Scope, build_rows
from roi_kit.kpi._values import DEFAULT_RATES, Values, window_values
from roi_kit.periods import utc_days

__all__ = ["active_goals", "card_from_progress", "measure_windows", "scorecard"]

_CONTEXT_VOLUMES = ("posts", "impressions", "spend", "video_views", "deals_won")


def active_goals(goals: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Goals whose period contains ``as_of``; if none, those of the latest period that ended."""
    start, end = utc_days(goals["period_start"]), utc_days(goals["period_end"])
    live = goals.loc[(start <= as_of) & (end >= as_of)]
    if len(live):
        return live
    ended = goals.loc[end < as_of]
    if ended.empty:
        return ended
    last = utc_days(ended["period_end"]).max()
    return ended.loc[utc_days(ended["period_end"]) == last]


def measure_windows(daily: pd.DataFrame, posts: pd.DataFrame | None, period: tuple[pd.Timestamp, pd.Timestamp],
                    as_of: pd.Timestamp, *, trailing: int, levels: Sequence[str],
                    rate_metrics: Sequence[str]) -> tuple[Values, History]:
    """Values of the period to date and of each history window (see :mod:`._history`)."""
    window = Window(period[0], min(as_of, period[1]))
    firsts = [daily["date"].min()] if len(daily) else []
    if posts is not None and len(posts):
        firsts.append(utc_days(posts["published_at"]).min())
    first = min(firsts) if firsts else window.start
    kw: dict[str, Any] = dict(first_day=min(first, window.start), levels=levels,
                              rate_metrics=rate_metrics)
    earlier = [shifted(window, period, periods=1), shifted(window, period, years=1),
               *(shifted(window, period, periods=k) for k in range(1, trailing + 1))]
    current, previous, last_year, *rest = window_values(daily, posts, [window, *earlier], **kw)
    history: History = {"previous_period": previous, "last_year": last_year, "trailing_median": rest}
    return current, history


def scorecard(
    data: Any,
    *,
    goals: Any = None,
    as_of: str | pd.Timestamp | None = None,
    basis: HistoryBasis = "trailing_median",
    trailing: int = 4,
    benchmarks: Any = None,
    industry: str | None = None,
    levels: Sequence[str] = ("followers",),
    rate_metrics: Sequence[str] = DEFAULT_RATES,
    context: Sequence[str] = _CONTEXT_VOLUMES,
    roi: Callable[[pd.Timestamp, pd.Timestamp], Any] | None = None,
) -> ScorecardResult:
    """KPIs against targets and benchmarks, with metrics as context — the first screen.

    A KPI is a goal (``metric, target, period_start, period_end`` and optional ``direction,
    tolerance, owner, stage, platform``) measured by :func:`roi_kit.goal_progress` (its status
    rule, pace = progress ÷ share of the period gone). Metrics without a goal — volumes and the
    rates of the posts (overall and per platform) — are context. Every row is compared with the
    company's own history over the same days of earlier periods and, when ``benchmarks`` is
    given, with the benchmark table; values outside a benchmark range are called out in words.

    Parameters
    ----------
    data
        The canonical tables (a mapping such as ``sample.tables()``, or a ``SampleData``), or
        daily actuals ``date, metric, value`` (any engine; no rates then).
    goals
        The goals table; default ``data["goals"]``. The KPIs are the goals whose period contains
        ``as_of`` (else the latest period that ended); their most common period is the
        scorecard period.
    as_of
        Last day of data to count; default the latest date in the data for the goals' metrics.
    basis
        Own-history benchmark in ``benchmark`` / ``change``: ``"trailing_median"`` (default),
        ``"previous_period"`` or ``"last_year"``; all three are columns of ``to_frame()``.
    trailing
        Number of earlier periods in the trailing median.
    benchmarks
        A table ``metric, platform, industry, low, median, high`` (optional ``source``); see
        ``rk.datasets.example_benchmarks()`` for the layout.
    industry
        The benchmark rows' industry to use (rows for ``"all"`` fill in).
    levels
        Metrics measured by their latest value, not summed (follower counts).
    rate_metrics, context
        Rates (names of :func:`roi_kit.rates`) and volumes shown as context metrics.
    roi
        How ``roi_pct`` goals are measured: called with a goal's first day and ``as_of`` (or its
        last day, when earlier), it returns an :class:`~roi_kit.RoiResult` of those dates (e.g.
        ``rk.roi`` of the attribution of that window). Without it, ``roi_pct`` KPIs say
        ``no data`` and why. The status rule is the one ``roi-kit report`` uses.

    Returns
    -------
    ScorecardResult

    Examples
    --------
    >>> import pandas as pd
    >>> daily = pd.DataFrame({"date": pd.to_datetime(["2025-01-01", "2025-04-05"]),
    ...                       "metric": ["leads", "leads"], "value": [40.0, 30.0]})
    >>> goals = pd.DataFrame({"metric": ["leads"], "target": [90.0], "stage": ["conversion"],
    ...     "period_start": pd.to_datetime(["2025-04-01"]),
    ...     "period_end": pd.to_datetime(["2025-06-29"])})
    >>> card = scorecard(daily, goals=goals, as_of="2025-04-30", basis="previous_period")
    >>> row = card.kpis()[0]
    >>> row.status, round(row.pace, 2), row.benchmark, round(row.change, 2)
    ('on track', 1.0, 40.0, -0.25)
    """
    if basis not in HISTORY_BASES:
        raise InputError(f"basis={basis!r} is not a history benchmark.",
                         hint=f"use one of {', '.join(HISTORY_BASES)}.")
    if isinstance(trailing, bool) or not isinstance(trailing, int) or trailing < 1:
        raise InputError(f"trailing={trailing!r} must be a whole number of periods >= 1.", hint="e.g. 4.")
    tables, daily = _tables(data)
    if goals is None:
        if tables is None or tables.get("goals") is None:
            raise ConfigError("there is no goals table: data has none and goals= is not given.",
                              hint="pass goals=your_goals (metric, target, period_start, period_end).")
        goals = tables["goals"]
    g = to_pandas(as_frame(goals, name="goals"))
    require_columns(as_frame(g), ["metric", "target", "period_start", "period_end"], name="goals")
    if g.empty:
        raise EmptyDataError("goals has no rows.", hint="add at least one goal.")
    day = as_of_day(as_of, daily, metrics=g["metric"], name="the data")
    kpis = active_goals(g, day)
    if kpis.empty:
        raise EmptyDataError(f"no goal has started by {day:%Y-%m-%d}.",
                             hint="pass a later as_of= or goals whose period has begun.")
    kpis = kpis.assign(platform=kpis["platform"].fillna("all").astype(str).str.strip().str.lower()
                       .replace("", "all") if "platform" in kpis else "all")
    starts, ends = utc_days(kpis["period_start"]), utc_days(kpis["period_end"])
    period = pd.Series(list(zip(starts, ends))).mode().iloc[0]
    notes: list[str] = []
    parts: list[pd.DataFrame] = []
    kpi_history: dict[Scope, History] = {}
    posts_all = tables.get("posts") if tables else None
    roi_rows = []
    if roi is not None:  # ROI is not a daily sum: measured by the caller over each goal's dates
        roi_rows = [_measured_roi(goal, roi, day)
                    for goal in kpis.loc[kpis["metric"] == "roi_pct"].to_dict("records")]
        kpis = kpis.loc[kpis["metric"] != "roi_pct"]
    for platform, group in kpis.groupby("platform", sort=False):
        if platform != "all" and tables is None:
            notes.append(f"Goals on {platform} are measured on every platform: daily actuals have "
                         "no platform (pass the canonical tables).")
        sub = _on_platform(tables, str(platform)) if tables and platform != "all" else None
        p_daily = daily_actuals(sub) if sub is not None else daily
        progress = goal_progress(group.drop(columns=["platform"]), p_daily, as_of=day,
                                 how={m: "last" for m in levels},
                                 directions={m: "at_most" for m in DEFAULT_AT_MOST}).table
        parts.append(progress.assign(platform=str(platform)))
        for start, end in set(zip(progress["period_start"], progress["period_end"])):
            _, kpi_history[(str(platform), start, end)] = measure_windows(
                p_daily, None, (start, end), day, trailing=trailing, levels=levels, rate_metrics=())
    if roi_rows:
        parts.append(pd.DataFrame(roi_rows))
    if len(set(zip(starts, ends))) > 1:
        notes.append("The KPIs have different periods: each KPI is compared with its own period's "
                     "history; the context metrics use the most common period.")
    if tables is None and rate_metrics:
        notes.append("No rates: pass the canonical tables (with posts) instead of daily actuals.")
    table = pd.concat(parts, ignore_index=True)
    if roi is None:
        table.loc[(table["metric"] == "roi_pct") & (table["status"] == "no data"), "note"] = (
            "ROI needs attribution: pass rk.scorecard(..., roi=...), or run `roi-kit report` for the "
            "goal's period.")
    return card_from_progress(table, daily, posts_all, period=period, as_of=day, basis=basis,
                              trailing=trailing, benchmarks=benchmarks, industry=industry,
                              levels=levels, rate_metrics=rate_metrics, context=context,
                              kpi_history=kpi_history, notes=notes)


def _measured_roi(goal: Mapping[str, Any], roi: Callable[[pd.Timestamp, pd.Timestamp], Any],
                  day: pd.Timestamp) -> dict[str, Any]:
    """A ``roi_pct`` KPI measured by ``roi`` over its period up to ``day`` (the one goal rule)."""
    return measured_roi_row(goal, roi, day) | {"platform": str(goal.get("platform", "all"))}


def card_from_progress(
    progress: pd.DataFrame,
    daily: pd.DataFrame,
    posts: pd.DataFrame | None,
    *,
    period: tuple[pd.Timestamp, pd.Timestamp],
    as_of: pd.Timestamp,
    basis: HistoryBasis = "trailing_median",
    trailing: int = 4,
    benchmarks: Any = None,
    industry: str | None = None,
    levels: Sequence[str] = ("followers",),
    rate_metrics: Sequence[str] = DEFAULT_RATES,
    context: Sequence[str] = _CONTEXT_VOLUMES,
    kpi_history: Mapping[Scope, History] | None = None,
    notes: Sequence[str] = (),
) -> ScorecardResult:
    """The scorecard of goals already measured (a :class:`~roi_kit.goals.GoalProgress` table).

    What :func:`scorecard` and ``roi-kit report`` share: the report measures its goals (ROI ones
    included) its own way and hands the table here. Without ``kpi_history`` every KPI is compared
    with the history of its own period on every platform (``daily``).
    """
    table = progress if "platform" in progress else progress.assign(platform="all")
    if kpi_history is None:
        kpi_history = {}
        for start, end in set(zip(table["period_start"], table["period_end"])):
            scope = (pd.Timestamp(start), pd.Timestamp(end))
            _, kpi_history[("all", *scope)] = measure_windows(
                daily, None, scope, as_of, trailing=trailing, levels=levels, rate_metrics=())
    values, history = measure_windows(daily, posts, period, as_of, trailing=trailing,
                                      levels=tuple(levels), rate_metrics=tuple(rate_metrics))
    kpi_metrics = set(table["metric"])
    metrics = [(m, "all") for m in context if m not in kpi_metrics and (m, "all") in values]
    metrics += sorted((k for k in values if k[0] in rate_metrics),
                      key=lambda k: (list(rate_metrics).index(k[0]), k[1] != "all", k[1]))
    bench = None if benchmarks is None else check_benchmarks(benchmarks)
    rows = build_rows(table, kpi_history=kpi_history, values=values, history=history,
                      metrics=metrics, basis=basis, trailing=trailing, benchmarks=bench,
                      industry=industry)
    return ScorecardResult(rows=tuple(rows), period_start=period[0], period_end=period[1],
                           as_of=as_of, basis=basis,
                           basis_words=HISTORY_WORDS[basis].format(n=trailing), notes=tuple(notes),
                           with_benchmarks=bench is not None)
