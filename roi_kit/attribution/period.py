"""The journeys of a period: the one rule every report, app and ROI uses to attribute a date range.

A journey belongs to the period in which it ends. For each user, touches up to and including their
last conversion *before* the period are left out (that journey closed earlier), touches after the
period end are left out, and users whose remaining touches all lie before the period (nothing
happened in it) are left out. Earlier touches of a journey that ends in the period are kept, so a
conversion in January keeps the December ad that started it; ``lookback_days`` in
:func:`roi_kit.attribute` then limits how far back they count (no limit by default).

Cutting the touchpoints at the first day instead (a plain date filter) would drop those earlier
touches and credit the conversion to whatever came last; the ROI calculator and the management
report once differed for that reason.

Examples
--------
>>> import datetime as dt, pandas as pd
>>> tp = pd.DataFrame({"user_id": ["a", "a", "a", "b"],
...     "timestamp": pd.to_datetime(["2024-12-20", "2024-12-30", "2025-01-05", "2024-12-01"]),
...     "converted": [True, False, True, False]})
>>> journeys_in_period(tp, dt.date(2025, 1, 1), dt.date(2025, 1, 31))["timestamp"].dt.day.tolist()
[30, 5]
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

__all__ = ["journeys_in_period"]


def journeys_in_period(touchpoints: pd.DataFrame, start: dt.date | None,
                       end: dt.date | None) -> pd.DataFrame:
    """Touches of the journeys that end between ``start`` and ``end`` (inclusive days).

    Parameters
    ----------
    touchpoints
        The canonical touchpoints table (``user_id``, ``timestamp``, ``converted``).
    start, end
        First and last day of the period; ``None`` leaves that side open.

    Returns
    -------
    pandas.DataFrame
        The kept rows, in their original order (rows without a user or a time are left out).
    """
    t = touchpoints.dropna(subset=["user_id", "timestamp"])
    when = t["timestamp"]
    if getattr(when.dt, "tz", None) is not None:
        when = when.dt.tz_convert("UTC").dt.tz_localize(None)
    if start is not None:
        lo = pd.Timestamp(start)
        conv = t["converted"].fillna(False).astype(bool) if "converted" in t else pd.Series(
            False, index=t.index)
        closed = when[(when < lo) & conv].groupby(t["user_id"]).max()
        if closed.empty:  # no journey closed before the period (pandas cannot map an empty one)
            keep = pd.Series(True, index=t.index)
        else:
            cut = t["user_id"].map(closed)
            keep = cut.isna() | (when > cut)
    else:
        keep = pd.Series(True, index=t.index)
    if end is not None:
        keep &= when < pd.Timestamp(end) + pd.Timedelta(days=1)
    t, when = t.loc[keep], when.loc[keep]
    if start is not None:
        last = when.groupby(t["user_id"]).transform("max")
        t = t.loc[last >= pd.Timestamp(start)]
    return t
