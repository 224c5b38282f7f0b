"""Dates → seconds since 1970-01-01 (UTC), one convention for every package.

Row-level conversion runs inside the caller's engine (pandas, polars, DuckDB, Spark) so that every
engine gives the same numbers: naive timestamps are taken as UTC, aware ones are converted to UTC
first, and Spark's TIMESTAMP_NTZ is wall-clock time (no time-zone shift). The scalar helpers
convert an ``as_of`` argument and turn seconds back into a timestamp with the same rules.

Examples
--------
>>> import pandas as pd, narwhals as nw
>>> f = nw.from_native(pd.DataFrame({"t": pd.to_datetime(["1970-01-02T06:00:00"])}))
>>> with_seconds(f, ["t"])["_s_t"].to_list()
[108000.0]
>>> seconds_of("1970-01-02 06:00+01:00"), stamp(108000.0)
(104400.0, Timestamp('1970-01-02 06:00:00'))

A pandas frame's datetime64 columns skip the expression route: :func:`pandas_seconds` reads their
int64 ticks with numpy and gives the same numbers (whole seconds, truncated towards zero).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from roi_kit.engine import Frame, as_frame, is_sql
from roi_kit.errors import InputError

__all__ = ["pandas_seconds", "parts_seconds", "seconds_of", "stamp", "with_seconds"]

_EPOCH = dt.datetime(1970, 1, 1)
_SPARK = {nw.Implementation.PYSPARK, nw.Implementation.PYSPARK_CONNECT, nw.Implementation.SQLFRAME}


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


def with_seconds(frame: Frame, columns: list[str], *, table: str = "customers",
                 loader: str = "rk.load_customers(...)") -> Frame:
    """Add ``_s_<column>``: seconds since 1970-01-01 of each date/datetime column, in any engine.

    Naive timestamps are taken as UTC; aware ones are converted to UTC first. ``table`` and
    ``loader`` name the table and the loader that parses its dates in the error message.
    """
    schema = frame.collect_schema() if isinstance(frame, nw.LazyFrame) else frame.schema
    for column in columns:
        dtype = schema[column]
        if dtype != nw.Date and dtype != nw.Datetime:
            raise InputError(f"{table} column {column!r} has type {dtype}, not a date/datetime.",
                             hint=f"parse it first, e.g. {loader} or pd.to_datetime(df[{column!r}]).")
    if frame.implementation in _SPARK:
        native = nw.to_native(frame)
        native = native.withColumns({f"_s_{c}": _spark_seconds(native, c) for c in columns})
        return as_frame(native)
    exprs = []
    for column in columns:
        dtype, expr = schema[column], nw.col(column)
        if is_sql(frame):  # no durations in SQL through narwhals: count from the date parts
            exprs.append(parts_seconds(expr, fraction=False).alias(f"_s_{column}"))
            continue
        if dtype == nw.Date:
            expr = expr.cast(nw.Datetime())
        elif getattr(dtype, "time_zone", None):
            expr = expr.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
        seconds = (expr - nw.lit(_EPOCH)).dt.total_seconds().cast(nw.Float64)
        exprs.append(seconds.alias(f"_s_{column}"))
    return frame.with_columns(*exprs)


_TICKS = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}
_NAT = np.iinfo(np.int64).min


def _nan_where(values: np.ndarray, mask: np.ndarray) -> None:
    """``values[mask] = nan`` in place, branch-free: multiply by 1.0 (exact) or by NaN.

    A boolean-mask assignment with an unpredictable mask (NaT scattered among dates) costs
    ~10× as much. The factor comes from a two-entry table, so the NaN is numpy's own (positive)
    one, as the assignment writes it; ``0/0`` would give a negative NaN.

    >>> x = np.array([1.5, -0.0, 3.0]); _nan_where(x, np.array([False, False, True])); x.tolist()
    [1.5, -0.0, nan]
    """
    values *= _ONE_OR_NAN.take(mask.view(np.uint8))


_ONE_OR_NAN = np.array([1.0, np.nan])


def pandas_seconds(frame: Frame, columns: list[str]) -> dict[str, np.ndarray] | None:
    """``{column: seconds}`` of :func:`with_seconds` straight from a pandas frame's int64 ticks.

    ``None`` unless ``frame`` is pandas and every column is ``datetime64`` (naive or aware;
    aware ticks are already UTC); the caller then takes the expression route. The numbers are
    those of :func:`with_seconds` bit for bit: whole seconds truncated towards zero, NaN for NaT
    (and, as there, ``-0.0`` for instants in the last second before the epoch when NaT is present).

    >>> f = nw.from_native(pd.DataFrame({"t": pd.to_datetime(["1970-01-02T06:00:00.7", None])}))
    >>> pandas_seconds(f, ["t"])["t"].tolist()
    [108000.0, nan]
    """
    if frame.implementation is not nw.Implementation.PANDAS or isinstance(frame, nw.LazyFrame):
        return None
    native = nw.to_native(frame)
    arrays = [native[c].array for c in columns]
    if not all(isinstance(a, pd.arrays.DatetimeArray) and a.unit in _TICKS for a in arrays):
        return None
    out = {}
    for column, arr in zip(columns, arrays, strict=True):
        ticks, per = arr.asi8, _TICKS[arr.unit]
        nat = ticks == _NAT
        has_nat = bool(nat.any())
        seconds = ticks.astype(np.float64)  # = ticks / per bit for bit (int64 / int64 converts both
        seconds /= per                      # to double first), without its ~3× slower mixed loop
        if has_nat:
            _nan_where(seconds, nat)
        lowest = np.fmin.reduce(seconds, initial=0.0)
        if max(-lowest, np.fmax.reduce(seconds, initial=0.0)) * per < 2.0**52:
            # ticks below 2**53 are exact as floats, and a correctly rounded quotient never
            # crosses the next whole second: truncating it is the integer division
            np.trunc(seconds, out=seconds)
            if lowest < 0:
                seconds += 0.0  # -0.0 (a tick in the second before the epoch) → 0.0, as there
        else:
            whole = ticks // per
            whole += (ticks < 0) & (ticks % per != 0)  # floor → towards zero
            seconds = whole.astype(np.float64)
            if has_nat:
                _nan_where(seconds, nat)
        if has_nat:
            zero = seconds == 0
            if zero.any():
                seconds[zero & (ticks <= 0)] = -0.0
        out[column] = seconds
    return out
def parts_seconds(x: nw.Expr, *, fraction: bool = True) -> nw.Expr:
    """Seconds since 1970 of a naive date/time expression, counted from its date parts.

    For engines without duration arithmetic in narwhals (Spark, SQL warehouses). With
    ``fraction`` the milliseconds are kept; without, whole seconds (for times after 1970 the
    numbers of :func:`with_seconds`, whose durations are whole seconds on every engine).

    Examples
    --------
    >>> import pandas as pd, narwhals as nw
    >>> f = nw.from_native(pd.DataFrame({"t": pd.to_datetime(["2024-03-01 06:00:00.250"])}))
    >>> float(f.select(parts_seconds(nw.col("t")))["t"].item()), seconds_of("2024-03-01 06:00:00.250")
    (1709272800.25, 1709272800.25)
    """
    y = x.dt.year().cast(nw.Int64)
    days = ((y - 1970) * 365 + (y - 1969) // 4 - (y - 1901) // 100 + (y - 1601) // 400
            + x.dt.ordinal_day().cast(nw.Int64) - 1)
    seconds = (days * 86400 + x.dt.hour().cast(nw.Int64) * 3600
               + x.dt.minute().cast(nw.Int64) * 60 + x.dt.second().cast(nw.Int64))
    if not fraction:
        return seconds.cast(nw.Float64)
    return seconds.cast(nw.Float64) + x.dt.millisecond().cast(nw.Float64) / 1000.0


def seconds_of(value: Any) -> float:
    """Seconds since 1970-01-01 UTC of one date/time (aware times converted, naive ones as UTC)."""
    ts = pd.Timestamp(value)
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
    return float((ts - pd.Timestamp(_EPOCH)).total_seconds())


def stamp(seconds: float) -> pd.Timestamp:
    """The naive-UTC timestamp ``seconds`` after 1970-01-01 (the inverse of :func:`seconds_of`)."""
    return pd.Timestamp(_EPOCH) + pd.Timedelta(seconds=float(seconds))
