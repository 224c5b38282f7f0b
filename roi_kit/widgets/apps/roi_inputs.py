"""Inputs of the ROI calculator: the dates of the data and the revenue a user typed.

Examples
--------
>>> import pandas as pd
>>> date_bounds(pd.DataFrame({"d": pd.to_datetime(["2024-03-01", "2024-01-02"])}), "d")
(datetime.date(2024, 1, 2), datetime.date(2024, 3, 1))
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

__all__ = ["TypedRevenue", "date_bounds"]


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
