"""Calendar periods: the rows of a table that fall in a date range (the one rule every report, app
and ROI statement uses), and the labels of months, quarters and years.

Days are whole calendar days with both ends included: a row belongs to ``start`` – ``end`` when its
time is on or after the first instant of ``start`` and before the first instant of the day after
``end``. Rows without a time are left out (unless neither end is given). Time-zone-aware times are
compared in UTC, naive ones as they are (roi_kit reads naive times as UTC, see
:mod:`roi_kit.epoch`).

Examples
--------
>>> import datetime as dt, pandas as pd
>>> costs = pd.DataFrame({"date": pd.to_datetime(["2025-01-31 23:00", "2025-02-01 00:00"]),
...                       "amount": [1.0, 2.0]})
>>> rows_in_dates(costs, "date", dt.date(2025, 1, 1), dt.date(2025, 1, 31))["amount"].tolist()
[1.0]
>>> len(rows_in_dates(costs, "date", dt.date(2025, 1, 15), None))
2
>>> period_labels(pd.Series([2025]), pd.Series([2]), "month").tolist()
['2025-02']
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import pandas as pd

from roi_kit.errors import InputError

__all__ = ["DAYS_PER_MONTH", "Period", "as_day", "months_in", "period_labels", "rows_in_dates", "utc_days",
           "whole_months"]

Period = Literal["month", "quarter", "year"]

_PERIODS: tuple[str, ...] = ("month", "quarter", "year")

DAYS_PER_MONTH = 30.4375
"""Days in a month: the mean Gregorian month (every month figure of roi_kit uses it)."""


def rows_in_dates(frame: pd.DataFrame, column: str, start: dt.date | None,
                  end: dt.date | None) -> pd.DataFrame:
    """Rows of ``frame`` whose ``column`` falls within [``start``, ``end``] (inclusive days).

    Parameters
    ----------
    frame
        A pandas table.
    column
        Its date or time column. A frame without it is returned whole (nothing to cut by).
    start, end
        First and last day; ``None`` leaves that side open, both ``None`` returns ``frame``.
    """
    if column not in frame.columns or (start is None and end is None):
        return frame
    values = pd.to_datetime(frame[column])
    if getattr(values.dt, "tz", None) is not None:
        values = values.dt.tz_convert("UTC").dt.tz_localize(None)
    keep = pd.Series(True, index=frame.index)
    if start is not None:
        keep &= values >= pd.Timestamp(start)
    if end is not None:
        keep &= values < pd.Timestamp(end) + pd.Timedelta(days=1)
    return frame.loc[keep]


def period_labels(year: pd.Series, month: pd.Series, period: Period) -> pd.Series:
    """Period labels (``2024-01``, ``2024-Q1``, ``2024``) from year and month numbers.

    Examples
    --------
    >>> period_labels(pd.Series([2024, 2024]), pd.Series([1, 11]), "quarter").tolist()
    ['2024-Q1', '2024-Q4']
    """
    if period not in _PERIODS:
        raise InputError(
            f"period={period!r} is not a period roi_kit knows.",
            hint=f"use one of {', '.join(repr(p) for p in _PERIODS)}.",
        )
    y = year.astype("int64").astype(str)
    m = month.astype("int64")
    if period == "month":
        return y + "-" + m.map("{:02d}".format)
    if period == "quarter":
        return y + "-Q" + ((m - 1) // 3 + 1).astype(str)
    return y


def utc_days(values: pd.Series) -> pd.Series:
    """Whole calendar days as naive midnight timestamps (time-zone-aware times taken in UTC).

    The day rule of goals, their actuals and the scorecard.

    Examples
    --------
    >>> utc_days(pd.Series(pd.to_datetime(["2025-01-31 23:30-05:00"]))).tolist()
    [Timestamp('2025-02-01 00:00:00')]
    >>> utc_days(pd.Series(["2025-01-31 23:30"])).tolist()
    [Timestamp('2025-01-31 00:00:00')]
    """
    out = pd.to_datetime(values)
    if out.dt.tz is not None:
        out = out.dt.tz_convert("UTC").dt.tz_localize(None)
    return out.dt.normalize().astype("datetime64[ns]")


def whole_months(days: float) -> int:
    """A horizon in days as whole months (at least 1): the months a value is read over.

    Examples
    --------
    >>> whole_months(365), whole_months(180), whole_months(10)
    (12, 6, 1)
    """
    return max(1, round(days / DAYS_PER_MONTH))


def months_in(start: dt.date, end: dt.date) -> float:
    """Months in the days ``start`` – ``end``, both included: the months an ROI's revenue is read
    over (its payback).

    Examples
    --------
    >>> round(months_in(dt.date(2025, 1, 1), dt.date(2025, 12, 31)), 4)  # 365 / 30.4375
    11.9918
    """
    return ((end - start).days + 1) / DAYS_PER_MONTH


def as_day(value: object) -> dt.date:
    """A calendar day from a TOML/CLI value: a date, a datetime (its day) or ``"YYYY-MM-DD"`` text.

    Raises ``ValueError`` for anything else (callers say which key and file).

    Examples
    --------
    >>> as_day("2025-03-01"), as_day(dt.datetime(2025, 3, 1, 12, 30))
    (datetime.date(2025, 3, 1), datetime.date(2025, 3, 1))
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
