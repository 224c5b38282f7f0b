"""Inputs of the ROI calculator: the date filter and the revenue a user typed.

Examples
--------
>>> import pandas as pd
>>> date_bounds(pd.DataFrame({"d": pd.to_datetime(["2024-03-01", "2024-01-02"])}), "d")
(datetime.date(2024, 1, 2), datetime.date(2024, 3, 1))
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

__all__ = ["TypedRevenue", "date_bounds", "filter_dates"]


def filter_dates(frame: pd.DataFrame, column: str, start: dt.date | None,
                 end: dt.date | None) -> pd.DataFrame:
    """Rows of ``frame`` whose ``column`` falls within [start, end] (inclusive days).

    Examples
    --------
    >>> f = pd.DataFrame({"date": pd.to_datetime(["2024-01-01", "2024-02-01"])})
    >>> len(filter_dates(f, "date", dt.date(2024, 1, 15), None))
    1
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


def date_bounds(frame: pd.DataFrame, column: str) -> tuple[dt.date | None, dt.date | None]:
    if column not in frame.columns or frame.empty:
        return None, None
    values = pd.to_datetime(frame[column]).dropna()
    if values.empty:
        return None, None
    return values.min().date(), values.max().date()


class TypedRevenue:
    """Revenue the user typed, labelled as such on the page (not an estimate of roi_kit's).

    Examples
    --------
    >>> TypedRevenue(1500.0).revenue_estimate()
    (1500.0, None, None, 'revenue you typed in')
    """

    def __init__(self, value: float) -> None:
        self.value = value

    def revenue_estimate(self) -> tuple[float, None, None, str]:
        """``(value, None, None, label)``, the shape :func:`roi_kit.roi` reads."""
        return self.value, None, None, "revenue you typed in"
