"""The company's own history as a benchmark: the same days of earlier periods.

A scorecard compares the period *to date* — ``period_start`` to ``min(as_of, period_end)`` — so
every history window covers the same days of an earlier period (like for like: 20 days of this
quarter against the first 20 days of the last one, never against a whole quarter):

* ``previous_period``: shifted back by one period length;
* ``last_year``: shifted back by one year;
* ``trailing_median``: the median over the previous ``n`` periods (shifted back 1, 2, … n period
  lengths) that the data cover — the default, as one unusual period moves it least.

A period of whole calendar months (starts on the 1st, ends on a month's last day) shifts by that
many months (Q4 → Q3 → Q2, whatever their lengths in days), and a window that ends on a month's
last day keeps ending on the last day of its month (1–30 November → 1–31 October); any other
period shifts by its length in days. A window that starts before the first day of the data has no value (never a zero).

Examples
--------
>>> import pandas as pd
>>> w = Window(pd.Timestamp("2025-10-01"), pd.Timestamp("2025-10-20"))
>>> p = (pd.Timestamp("2025-10-01"), pd.Timestamp("2025-12-31"))
>>> s = shifted(w, p, periods=1)
>>> str(s.start.date()), str(s.end.date())
('2025-07-01', '2025-07-20')
>>> str(shifted(w, p, years=1).start.date())
'2024-10-01'
>>> nov = Window(pd.Timestamp("2025-11-01"), pd.Timestamp("2025-11-30"))
>>> str(shifted(nov, (nov.start, nov.end), periods=1).end.date())
'2025-10-31'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

__all__ = ["HISTORY_BASES", "HISTORY_WORDS", "HistoryBasis", "Window", "shifted", "whole_months"]

HistoryBasis = Literal["trailing_median", "previous_period", "last_year"]
HISTORY_BASES: tuple[str, ...] = ("trailing_median", "previous_period", "last_year")
"""The own-history benchmarks, default first."""

HISTORY_WORDS: dict[str, str] = {
    "trailing_median": "the median of the same days in the previous {n} periods",
    "previous_period": "the same days of the previous period",
    "last_year": "the same days last year",
}
"""How each basis reads in a sentence (``{n}``: number of trailing periods)."""


@dataclass(frozen=True)
class Window:
    """A span of whole days, both ends included."""

    start: pd.Timestamp
    end: pd.Timestamp

    @property
    def days(self) -> int:
        """Number of days in the window."""
        return (self.end - self.start).days + 1


def whole_months(start: pd.Timestamp, end: pd.Timestamp) -> int | None:
    """Number of calendar months when ``start``–``end`` is whole months, else None.

    Examples
    --------
    >>> import pandas as pd
    >>> whole_months(pd.Timestamp("2025-01-01"), pd.Timestamp("2025-03-31"))
    3
    >>> whole_months(pd.Timestamp("2025-01-01"), pd.Timestamp("2025-01-30")) is None
    True
    """
    after = end + pd.Timedelta(days=1)
    if start.day != 1 or after.day != 1:
        return None
    return (after.year - start.year) * 12 + after.month - start.month


def _back(start: pd.Timestamp, end: pd.Timestamp,
          offset: pd.DateOffset) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Move back by calendar months / years; a window ending on a month's last day keeps ending
    on the last day of its month (all of November → all of October, not October 1–30)."""
    month_end = (end + pd.Timedelta(days=1)).day == 1
    new_end = end - offset
    if month_end:
        new_end = new_end + pd.offsets.MonthEnd(0)
    return start - offset, new_end


def shifted(window: Window, period: tuple[pd.Timestamp, pd.Timestamp], *, periods: int = 0,
            years: int = 0) -> Window:
    """``window`` moved back by ``periods`` lengths of ``period`` and by ``years`` years."""
    start, end = window.start, window.end
    if periods:
        months = whole_months(*period)
        if months is not None:
            start, end = _back(start, end, pd.DateOffset(months=months * periods))
        else:
            days = pd.Timedelta(days=((period[1] - period[0]).days + 1) * periods)
            start, end = start - days, end - days
    if years:
        start, end = _back(start, end, pd.DateOffset(years=years))
    return Window(pd.Timestamp(start), pd.Timestamp(end))
