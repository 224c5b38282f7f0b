"""Period totals of the daily actuals (see :mod:`roi_kit.actuals` for how each metric is measured).

Examples
--------
>>> import pandas as pd
>>> daily = pd.DataFrame({"date": pd.to_datetime(["2025-01-01", "2025-01-02"]),
...                       "metric": ["leads", "leads"], "value": [2.0, 3.0]})
>>> period_totals(daily, dt.date(2025, 1, 1), dt.date(2025, 1, 31))
{'leads': 5.0}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from roi_kit.actuals import ENGAGEMENT_COLUMNS, daily_actuals
from roi_kit.periods import rows_in_dates

__all__ = ["ENGAGEMENT_COLUMNS", "daily_actuals", "period_totals"]


def period_totals(daily: pd.DataFrame, start: dt.date, end: dt.date, *,
                  levels: Sequence[str] = ("followers",)) -> dict[str, float]:
    """Each metric over the period: the sum for flows, the latest value for ``levels``.

    Examples
    --------
    >>> import pandas as pd
    >>> daily = pd.DataFrame({"date": pd.to_datetime(["2025-01-01", "2025-01-05", "2025-02-01"]),
    ...                       "metric": ["leads", "leads", "leads"], "value": [2.0, 3.0, 9.0]})
    >>> period_totals(daily, dt.date(2025, 1, 1), dt.date(2025, 1, 31))
    {'leads': 5.0}
    """
    rows = rows_in_dates(daily, "date", start, end)
    out: dict[str, float] = {}
    for metric, group in rows.groupby("metric", sort=True):
        values = group.sort_values("date")["value"]
        out[str(metric)] = float(values.iloc[-1] if metric in levels else values.sum())
    return out
