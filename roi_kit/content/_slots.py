"""Exact local-time slots of posts: weekday and hour in the analyst's time zone from UTC times.

:func:`validate_tz` checks an IANA time-zone name; :func:`local_time_parts` converts timestamps
to local weekday (0 = Monday) and hour; :func:`hour_band` groups hours into four six-hour
bands; :func:`slot_sums` aggregates posts to (keys, local weekday, local hour) in the caller's
engine on UTC quarter-hour slots, so only the slots are converted in pandas (posts timed only by
a stated weekday and hour go to :mod:`roi_kit.content._stated_time`).

Examples
--------
>>> import pandas as pd
>>> local_time_parts(pd.Series(pd.to_datetime(["2024-01-01 23:30"])), "Asia/Tokyo")[["weekday", "hour"]].values.tolist()
[[1, 8]]
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import narwhals as nw
import pandas as pd

from roi_kit.engine import Frame, column_names, to_pandas
from roi_kit.errors import ConfigError, EmptyDataError

__all__ = ["HOUR_BANDS", "WEEKDAYS", "hour_band", "local_time_parts", "slot_sums", "validate_tz"]

WEEKDAYS: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
HOUR_BANDS: tuple[str, ...] = ("night (0-5)", "morning (6-11)", "afternoon (12-17)", "evening (18-23)")


def validate_tz(tz: str) -> ZoneInfo:
    """Check an IANA time-zone name (``"Europe/Copenhagen"``) and return its ZoneInfo.

    Examples
    --------
    >>> validate_tz("UTC").key
    'UTC'
    """
    try:
        return ZoneInfo(str(tz))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(
            f"tz={tz!r} is not a known time zone.",
            hint="use an IANA name such as 'UTC', 'Europe/London' or 'America/New_York'.",
        ) from exc


def local_time_parts(ts: pd.Series, tz: str) -> pd.DataFrame:
    """Local time, weekday (0 = Monday) and hour of UTC (naive or aware) timestamps in ``tz``.

    Examples
    --------
    >>> s = pd.Series(pd.to_datetime(["2024-07-01 22:30"]))
    >>> local_time_parts(s, "Europe/Copenhagen")[["weekday", "hour"]].values.tolist()
    [[1, 0]]
    """
    zone = validate_tz(tz)
    ts = pd.to_datetime(ts)
    ts = ts.dt.tz_localize("UTC") if ts.dt.tz is None else ts
    local = ts.dt.tz_convert(zone.key)
    return pd.DataFrame({"local_time": local, "weekday": local.dt.day_of_week.astype("int64"),
                         "hour": local.dt.hour.astype("int64")}, index=ts.index)


def hour_band(hours: pd.Series) -> pd.Series:
    """Four six-hour bands of the day (night, morning, afternoon, evening) as an ordered category.

    Examples
    --------
    >>> hour_band(pd.Series([3, 9, 13, 22])).astype(str).tolist()
    ['night (0-5)', 'morning (6-11)', 'afternoon (12-17)', 'evening (18-23)']
    """
    codes = (pd.to_numeric(hours).to_numpy() // 6).astype(int)
    return pd.Series(pd.Categorical.from_codes(codes, categories=list(HOUR_BANDS), ordered=True),
                     index=hours.index)


def slot_sums(frame: Frame, *, tz: str, keys: tuple[str, ...] = (),
              sums: tuple[str, ...] = ()) -> pd.DataFrame:
    """Aggregate posts to (keys, local weekday, local hour) with post counts and column sums.

    The group-by runs in the caller's engine on UTC quarter-hour slots (every time zone's offset
    is a multiple of 15 minutes, so the slot maps to exactly one local hour); only the slots are
    converted to ``tz`` in pandas. DuckDB and Spark keep time zones in the session, not the data,
    so this also keeps the conversion engine-independent.

    Returns a pandas frame with ``keys``, ``weekday`` (0 = Monday), ``hour``, ``posts`` and one
    column per name in ``sums``.
    """
    validate_tz(tz)
    if "published_at" not in column_names(frame):  # an export with weekday and hour only
        from roi_kit.content._stated_time import stated_slot_sums

        return stated_slot_sums(frame, keys=keys, sums=sums)
    work = frame.filter(~nw.col("published_at").is_null()).with_columns(
        nw.col("published_at").dt.truncate("1h").alias("_slot_hour"),
        (nw.col("published_at").dt.minute() // 15).cast(nw.Int64).alias("_slot_q"),
    )
    # nw.len(), not a sum of 1.0: PostgreSQL reads a bare 1.0 as numeric, which Ibis cannot fetch
    aggs = [nw.len().alias("posts"), *(nw.col(c).sum().alias(c) for c in sums)]
    agg = to_pandas(work.group_by([*keys, "_slot_hour", "_slot_q"]).agg(aggs))
    if agg.empty:
        raise EmptyDataError("posts has no rows with a published_at time.",
                             hint="check that published_at is filled and parsed as a date-time.")
    when = pd.to_datetime(agg["_slot_hour"]) + pd.to_timedelta(agg["_slot_q"] * 15, unit="min")
    parts = local_time_parts(when, tz)
    agg = agg.assign(weekday=parts["weekday"], hour=parts["hour"])
    value_cols = ["posts", *sums]
    agg[value_cols] = agg[value_cols].astype("float64")
    out = agg.groupby([*keys, "weekday", "hour"], as_index=False, observed=True)[value_cols].sum()
    return out.reset_index(drop=True)
