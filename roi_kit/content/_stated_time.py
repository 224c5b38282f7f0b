"""Weekday × hour slots of posts whose export states only a weekday and an hour (no timestamp).

Some post exports (a page's insights by weekday and hour, content calendars) carry no publish
time, only ``Post Weekday`` and ``Post Hour``. ``rk.load_posts`` reads them into the ``weekday``
(``Mon`` ... ``Sun``) and ``hour`` (0-23) columns and says that ``published_at`` is absent. The
slots are then the export's own: the weekday and hour in the time zone the export used, which
``tz=`` cannot convert (there is no date to convert). Rows without a readable weekday or hour
are left out and counted.

Examples
--------
>>> import narwhals as nw
>>> import pandas as pd
>>> f = nw.from_native(pd.DataFrame({"platform": ["x", "x", "x"], "weekday": ["Mon", "Mon", None],
...                                  "hour": [9, 9, 10], "likes": [3.0, 5.0, 1.0]}))
>>> stated_slot_sums(f, keys=("platform",), sums=("likes",)).to_dict("records")
[{'platform': 'x', 'weekday': 0, 'hour': 9, 'posts': 2.0, 'likes': 8.0}]
"""

from __future__ import annotations

import pandas as pd

from roi_kit.engine import Frame, column_names, to_pandas
from roi_kit.errors import EmptyDataError, MissingColumnError

__all__ = ["STATED_TIME_NOTE", "WEEKDAY_NUMBER", "stated_slot_sums", "stated_time_note"]

WEEKDAY_NUMBER: dict[str, int] = {d: i for i, d in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri",
                                                               "Sat", "Sun"))}
"""The loader's weekday names and their numbers (0 = Monday, as everywhere in roi_kit)."""

STATED_TIME_NOTE = ("Timing comes from the export's own weekday and hour columns (no publish "
                    "time): slots are in the time zone the export used, and tz= was not applied.")


def stated_slot_sums(frame: Frame, *, keys: tuple[str, ...] = (),
                     sums: tuple[str, ...] = ()) -> pd.DataFrame:
    """Posts and column sums per (keys, weekday, hour) from the ``weekday`` and ``hour`` columns.

    Returns the same columns as :func:`roi_kit.content._slots.slot_sums`: ``keys``, ``weekday``
    (0 = Monday), ``hour``, ``posts`` and one column per name in ``sums``.
    """
    names = column_names(frame)
    if not {"weekday", "hour"} <= set(names):
        raise MissingColumnError(
            f"posts has neither published_at nor weekday + hour. Columns found: {', '.join(names)}.",
            hint="load the export with rk.load_posts, which reads a publish time or a weekday and "
            "an hour column.")
    cols = [*keys, "weekday", "hour", *sums]
    table = to_pandas(frame.select(cols))
    day = table["weekday"].astype("string").map(WEEKDAY_NUMBER)
    hour = pd.to_numeric(table["hour"], errors="coerce")
    ok = day.notna() & hour.between(0, 23) & (hour % 1 == 0)
    table = table[ok].assign(weekday=day[ok].astype("int64"), hour=hour[ok].astype("int64"),
                             posts=1.0)
    if table.empty:
        raise EmptyDataError("posts has no row with a readable weekday (Mon ... Sun) and hour (0-23).",
                             hint="load the export with rk.load_posts: its report lists the "
                             "values it could not read.")
    value_cols = ["posts", *sums]
    table[value_cols] = table[value_cols].astype("float64")
    out = table.groupby([*keys, "weekday", "hour"], as_index=False, observed=True)[value_cols].sum()
    return out.reset_index(drop=True)


def stated_time_note(frame: Frame) -> str | None:
    """:data:`STATED_TIME_NOTE` plus the count of rows left out, when the frame has no timestamp."""
    if "published_at" in column_names(frame):
        return None
    table = to_pandas(frame.select("weekday", "hour"))
    hour = pd.to_numeric(table["hour"], errors="coerce")
    ok = table["weekday"].astype("string").isin(list(WEEKDAY_NUMBER)) & hour.between(0, 23)
    left = int((~ok).sum())
    return STATED_TIME_NOTE + (f" {left:,} post{'s' if left != 1 else ''} without a readable "
                               "weekday or hour left out." if left else "")
