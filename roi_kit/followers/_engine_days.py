"""Customers → days since the landmark, aggregated in the caller's engine (for retention).

The per-customer work (landmark filter, censoring, whole-day durations, cohort month, optional
join of group labels or weights) runs in pandas, polars, DuckDB or Spark through narwhals; only
the counts per (group, cohort, duration) come back as a small pandas table.

Examples
--------
>>> import pandas as pd
>>> c = pd.DataFrame({"customer_id": [1, 2], "g": ["a", "b"],
...     "acquired_at": pd.to_datetime(["2024-01-01", "2024-01-01"]),
...     "churned_at": pd.to_datetime(["2024-01-11T06:00:00", None]),
...     "observed_until": pd.to_datetime(["2024-12-31"] * 2)})
>>> counts, notes = landmark_counts(c, by="g", landmark_days=0)
>>> counts[["group", "cohort", "duration", "events", "removed"]]
  group  cohort  duration  events  removed
0     a  202401        11       1        1
1     b  202401       365       0        1
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

import narwhals as nw
import numpy as np
import pandas as pd

from roi_kit.engine import Frame, as_frame, column_names, require_columns, to_pandas
from roi_kit.errors import ConfigError, EmptyDataError, InputError
from roi_kit.survival import duration_counts

__all__ = ["LabelSource", "landmark_counts"]

_DAY = 86_400
_EPOCH = dt.datetime(1970, 1, 1)
_SPARK = {nw.Implementation.PYSPARK, nw.Implementation.PYSPARK_CONNECT, nw.Implementation.SQLFRAME}


class LabelSource(Protocol):
    """Anything with ``labels(customers, *, landmark_days) -> DataFrame[customer_id, group]``
    (e.g. :class:`roi_kit.followers._definition.Segments`)."""

    def labels(self, customers: Any, *, landmark_days: int) -> pd.DataFrame: ...


def _spark_seconds(native: Any, column: str) -> Any:
    """Epoch seconds of a Spark date/timestamp column: wall-clock arithmetic for TIMESTAMP_NTZ
    (no time-zone shift), true instants for TIMESTAMP."""
    from pyspark.sql import functions as F

    kind = native.schema[column].dataType.typeName()
    col = F.col(column)
    if kind == "date":
        col, kind = col.cast("timestamp_ntz"), "timestamp_ntz"
    if kind == "timestamp_ntz":
        epoch = F.lit(_EPOCH).cast("timestamp_ntz")
        return (F.timestamp_diff("MICROSECOND", epoch, col) / 1e6).cast("double")
    return col.cast("double")


def with_seconds(frame: Frame, columns: list[str]) -> Frame:
    """Add ``_s_<column>``: seconds since 1970-01-01 of each date/datetime column, in any engine.

    Naive timestamps are taken as UTC; aware ones are converted to UTC first.
    """
    schema = frame.collect_schema() if isinstance(frame, nw.LazyFrame) else frame.schema
    for column in columns:
        dtype = schema[column]
        if dtype != nw.Date and dtype != nw.Datetime:
            raise InputError(f"customers column {column!r} has type {dtype}, not a date/datetime.",
                             hint=f"parse it first, e.g. rk.load_customers(...) or pd.to_datetime(df[{column!r}]).")
    if frame.implementation in _SPARK:
        native = nw.to_native(frame)
        native = native.withColumns({f"_s_{c}": _spark_seconds(native, c) for c in columns})
        return as_frame(native)
    exprs = []
    for column in columns:
        dtype, expr = schema[column], nw.col(column)
        if dtype == nw.Date:
            expr = expr.cast(nw.Datetime())
        elif getattr(dtype, "time_zone", None):
            expr = expr.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
        seconds = (expr - nw.lit(_EPOCH)).dt.total_seconds().cast(nw.Float64)
        exprs.append(seconds.alias(f"_s_{column}"))
    return frame.with_columns(*exprs)


def _like(pdf: pd.DataFrame, frame: Frame) -> Frame | None:
    """A pandas frame moved into ``frame``'s engine so the two can be joined there."""
    impl, native = frame.implementation, nw.to_native(frame)
    if impl is nw.Implementation.PANDAS:
        out: Any = pdf
    elif impl is nw.Implementation.POLARS:
        import polars as pl

        out = pl.from_pandas(pdf)
        out = out.lazy() if isinstance(frame, nw.LazyFrame) else out
    elif impl is nw.Implementation.PYARROW:
        import pyarrow as pa

        out = pa.Table.from_pandas(pdf, preserve_index=False)
    elif impl in _SPARK:
        out = native.sparkSession.createDataFrame(pdf)
    else:  # DuckDB relations only join within one connection
        return None
    return as_frame(out)


def _join_by_id(frame: Frame, extra: pd.DataFrame) -> Frame:
    """Inner-join per-customer ``extra`` columns onto ``frame`` on customer_id, in the engine."""
    extra = extra.assign(customer_id=extra["customer_id"].astype(str))
    frame = frame.with_columns(nw.col("customer_id").cast(nw.String))
    other = _like(extra, frame)
    if other is None:  # fall back to polars on the narrow per-customer columns
        import polars as pl

        lazy = frame.lazy() if isinstance(frame, nw.DataFrame) else frame
        frame = as_frame(lazy.collect(backend="polars"))
        other = as_frame(pl.from_pandas(extra))
    return frame.join(other, on="customer_id", how="inner")  # type: ignore[arg-type]


def landmark_counts(customers: Any, *, by: str | LabelSource, landmark_days: int, weights: Any = None,
                    as_of: Any = None) -> tuple[pd.DataFrame, list[str]]:
    """Counts per (group, cohort, duration) and notes on censoring and exclusions.

    ``cohort`` is the acquisition month as ``YYYYMM``; ``duration`` whole days since the landmark
    (events rounded up, censoring rounded down). See :func:`roi_kit.followers._retention.retention_curves`.
    """
    f = as_frame(customers, name="customers")
    require_columns(f, ["customer_id", "acquired_at", "churned_at"], name="customers")
    cols = column_names(f)
    notes: list[str] = []
    if isinstance(by, str):
        require_columns(f, [by], name="customers")
    if isinstance(weights, str):
        require_columns(f, [weights], name="customers")
    has_obs = "observed_until" in cols
    f = with_seconds(f, ["acquired_at", "churned_at", *(["observed_until"] if has_obs else [])])
    acq, churn = nw.col("_s_acquired_at"), nw.col("_s_churned_at")
    meta_exprs = [nw.len().alias("n"), acq.max().alias("acq"), churn.max().alias("churn")]
    if has_obs:
        meta_exprs.append(nw.col("observed_until").null_count().alias("missing_obs"))
    meta = to_pandas(f.select(*meta_exprs)).iloc[0]
    if int(meta["n"]) == 0:
        raise EmptyDataError("customers has no rows.", hint="check the file or the filters before it.")
    missing_obs = int(meta["n"]) if not has_obs else int(meta["missing_obs"])
    if as_of is not None:
        ts = pd.Timestamp(as_of)
        ts = ts.tz_convert("UTC").tz_localize(None) if ts.tzinfo is not None else ts
        fallback, source = ts.value / 1e9, f"as_of={ts.date()}"
    else:
        fallback = float(np.nanmax([meta["acq"], meta["churn"]]))
        source = f"the latest date in the data ({pd.Timestamp(fallback, unit='s').date()})"
    if missing_obs:
        what = "there is no observed_until column" if not has_obs else f"{missing_obs:,} customers have no observed_until"
        notes.append(f"Censoring: {what}, so they count as observed until {source}.")
    obs = nw.coalesce(nw.col("_s_observed_until"), nw.lit(fallback)) if has_obs else nw.lit(fallback)
    start = acq + landmark_days * _DAY
    event = (~churn.is_null()) & (churn <= obs)
    days = (nw.when(event).then(churn).otherwise(obs) - start) / _DAY
    keep = (churn.is_null() | (churn > start)) & (obs >= start)
    extra = [weights] if isinstance(weights, str) else []
    group_col = [by] if isinstance(by, str) else []
    prepared = f.filter(keep).select(
        nw.col("customer_id"), *[nw.col(c) for c in {*group_col, *extra}],
        nw.when(event).then(days.ceil()).otherwise(days.floor()).cast(nw.Int64).alias("_duration"),
        event.alias("_event"),
        (nw.col("acquired_at").dt.year() * 100 + nw.col("acquired_at").dt.month()).alias("_cohort"),
    )
    if isinstance(by, str):
        prepared = prepared.with_columns(nw.col(by).alias("_group"))
    else:
        labels = by.labels(customers, landmark_days=landmark_days)
        if not {"customer_id", "group"} <= set(labels.columns):
            raise InputError(f"{type(by).__name__}.labels() returned columns {list(labels.columns)}.",
                             hint="labels() must return a frame with columns customer_id and group.")
        prepared = _join_by_id(prepared, labels[["customer_id", "group"]].rename(columns={"group": "_group"}))
    weight_col = None
    if isinstance(weights, pd.DataFrame):
        if not {"customer_id", "weight"} <= set(weights.columns):
            raise InputError(f"weights has columns {list(weights.columns)}.",
                             hint="pass a column name of customers, or a frame with customer_id and weight.")
        prepared = _join_by_id(prepared, weights[["customer_id", "weight"]].rename(columns={"weight": "_weight"}))
        weight_col = "_weight"
    elif isinstance(weights, str):
        weight_col = weights
    elif weights is not None:
        raise ConfigError(f"weights={type(weights).__name__} is not supported.",
                          hint="pass a column name of customers or a frame with customer_id and weight.")
    counts = duration_counts(prepared, duration="_duration", event="_event",
                             group=["_group", "_cohort"], weight=weight_col)
    counts = counts.rename(columns={"_group": "group", "_cohort": "cohort"})
    n_all, n_kept = int(meta["n"]), int(counts["removed"].sum())
    unlabelled = counts["group"].isna()
    if unlabelled.any():
        notes.append(f"{int(counts.loc[unlabelled, 'removed'].sum()):,} customers without a group label were left out.")
        counts = counts[~unlabelled]
    if weight_col is not None and counts["weighted_removed"].isna().any():
        raise InputError("some weights are missing.", hint="fill or drop customers without a weight.")
    when = "acquisition" if landmark_days == 0 else f"day {landmark_days} after acquisition"
    notes.insert(0, f"{n_kept:,} of {n_all:,} customers were active and observed at {when}.")
    counts = counts.assign(group=counts["group"].astype(str))
    return counts.reset_index(drop=True), notes
