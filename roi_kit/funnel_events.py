"""Which users reach which funnel stage, and when, from a user-level event log.

``_event_stats`` runs as one lazy plan in the caller's engine (pandas, polars, DuckDB, Spark,
SQL): each user's entry is their first stage-1 event; each later stage is the earliest event at
or after the previous stage (``ordering="strict"``) or anywhere after entry (``"loose"``), within
``window_days`` of entry; it returns, per group, the users reaching each stage and the median
hours from the previous stage and from entry (the rules are spelled out in :mod:`roi_kit.funnel`).
On Spark and SQL, durations are taken from epoch seconds and boolean group keys travel as 0/1.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Literal

import narwhals as nw
import pandas as pd

from roi_kit.engine import is_sql, to_pandas
from roi_kit.epoch import parts_seconds
from roi_kit.funnel_presets import FunnelStage

__all__ = ["Ordering"]

Ordering = Literal["strict", "loose"]

_USER, _TS, _EVENT = "user_id", "timestamp", "event"


def _hours_between(start: str, end: str, *, spark_like: bool) -> Any:
    if spark_like:
        return (parts_seconds(nw.col(end)) - parts_seconds(nw.col(start))) / 3600.0
    return (nw.col(end) - nw.col(start)).dt.total_milliseconds().cast(nw.Float64) / 3.6e6


def _step_expr(stages: Sequence[FunnelStage]) -> Any:
    """Stage number of an event (rows are pre-filtered to the funnel's events)."""
    expr: Any = nw.lit(len(stages), dtype=nw.Int32)
    for k in range(len(stages) - 1, 0, -1):
        expr = nw.when(nw.col(_EVENT).is_in(list(stages[k - 1].events))).then(
            nw.lit(k, dtype=nw.Int32)).otherwise(expr)
    return expr


def _event_stats(frame: Any, stages: Sequence[FunnelStage], *, window_days: float | None,
                 ordering: Ordering, by: list[str]) -> pd.DataFrame:
    """One lazy plan: entry per user, then each stage's time, then counts and medians per group."""
    if isinstance(frame, nw.DataFrame) and frame.implementation.is_polars():
        frame = frame.lazy()
    # Spark and SQL: no durations in narwhals, no min() of a boolean
    spark_like = frame.implementation.is_spark_like() or is_sql(frame)
    n = len(stages)
    all_events = [e for s in stages for e in s.events]
    # SQL has no min() of a boolean: carry boolean keys as 0/1 and turn them back at the end
    schema = frame.collect_schema()
    as_int = [b for b in by if schema[b] == nw.Boolean] if spark_like else []
    ev = (frame.filter(nw.col(_EVENT).is_in(all_events), ~nw.col(_USER).is_null(),
                       ~nw.col(_TS).is_null())
          .select(nw.col(_USER), nw.col(_TS), _step_expr(stages).alias("_step"),
                  *[nw.col(b).cast(nw.Int32) if b in as_int else nw.col(b) for b in by]))
    first = ev.filter(nw.col("_step") == 1)
    wide = first.group_by(_USER).agg(nw.col(_TS).min().alias("_t1"))
    if by:
        wide = (first.join(wide, on=_USER).filter(nw.col(_TS) == nw.col("_t1"))
                .group_by(_USER).agg(nw.col("_t1").min(), *[nw.col(b).min() for b in by]))
    carried = ["_t1", *by]
    limit = None if window_days is None else nw.col("_t1") + dt.timedelta(days=window_days)
    for k in range(2, n + 1):
        prev = carried[-1] if k > 2 else "_t1"
        stage_k = ev.filter(nw.col("_step") == k).select(nw.col(_USER), nw.col(_TS).alias("_ts"))
        lower = nw.col(prev) if ordering == "strict" else nw.col("_t1")
        ok = (nw.col("_ts") >= lower) & ~nw.col(prev).is_null()
        if limit is not None:
            ok = ok & (nw.col("_ts") <= limit)
        wide = (wide.join(stage_k, on=_USER, how="left")
                .with_columns(nw.when(ok).then(nw.col("_ts")).alias("_ts"))
                .group_by(_USER)
                .agg(*[nw.col(c).min() for c in carried], nw.col("_ts").min().alias(f"_t{k}")))
        carried.append(f"_t{k}")
    # carried = ["_t1", *by, "_t2", ...]: put stage times in order for the final aggregation
    times = ["_t1", *[f"_t{k}" for k in range(2, n + 1)]]
    hours = [
        expr
        for k in range(2, n + 1)
        for expr in (_hours_between(times[k - 2], times[k - 1], spark_like=spark_like).alias(f"_hp{k}"),
                     _hours_between("_t1", times[k - 1], spark_like=spark_like).alias(f"_he{k}"))
    ]
    aggs = [*[nw.col(t).count().alias(f"_n{i + 1}") for i, t in enumerate(times)],
            *[nw.col(f"_hp{k}").median() for k in range(2, n + 1)],
            *[nw.col(f"_he{k}").median() for k in range(2, n + 1)]]
    prepared = wide.with_columns(*hours, *[nw.col(b).cast(nw.Boolean) for b in as_int])
    stats = prepared.group_by(by, drop_null_keys=False).agg(*aggs) if by else prepared.select(*aggs)
    return to_pandas(stats)
