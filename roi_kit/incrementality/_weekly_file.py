"""Read one weekly file (the ``media_weekly`` table) keeping every column: used by app 07's
upload and by the report's ``[roi] media_weekly`` file.

The table has one column per channel, named by the company, so it cannot go through a canonical
loader (which keeps only the columns it knows). Everything else (gaps, negative or constant
spend, too few weeks) is checked by :func:`roi_kit.fit_mmm`, with messages that name the channel
and week.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from roi_kit.errors import InputError

__all__ = ["WEEK_NAMES", "read_weekly"]

WEEK_NAMES = ("week", "week_start", "date", "period")
"""Names of the week column, in the order they are looked for (case and spaces ignored)."""


def read_weekly(name: str, content: bytes) -> pd.DataFrame:
    """One weekly file (CSV, TSV, Excel, Parquet) as a frame; numbers parsed, the week
    column as dates. Text columns other than the week are dropped (they cannot be channels).

    Examples
    --------
    >>> read_weekly("m.csv", b"week,revenue,search\\n2024-01-01,10,1\\n2024-01-08,12,2\\n").dtypes.tolist()
    [dtype('<M8[ns]'), dtype('float64'), dtype('float64')]
    """
    from roi_kit.io.read import read_source

    raw = read_source(content, name=name).table.to_pandas()
    raw.columns = [str(c).strip() for c in raw.columns]
    if raw.empty:
        raise InputError(f"{name} has no data rows.", hint="upload one row per week.")
    week = _week_column(raw, name)
    out: dict[str, Any] = {week: _dates(raw[week], name, week)}
    for col in raw.columns:
        if col == week:
            continue
        values = pd.to_numeric(raw[col], errors="coerce")
        if values.notna().sum() >= max(1, int(0.9 * raw[col].notna().sum())):
            out[col] = values.astype("float64")
    return pd.DataFrame(out)


def _week_column(raw: pd.DataFrame, name: str) -> str:
    lowered = {c.lower().replace(" ", "_"): c for c in raw.columns}
    for key in WEEK_NAMES:
        if key in lowered:
            return lowered[key]
    raise InputError(f"{name} has no week column. Columns found: {', '.join(raw.columns)}.",
                     hint="name the column with the first day of each week 'week'.")


def _dates(values: pd.Series, name: str, column: str) -> pd.Series:
    parsed = pd.to_datetime(values, errors="coerce", format="mixed")
    bad = parsed.isna() & values.notna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0]) + 2
        raise InputError(f"{name}: {column!r} on row {row} is not a date ({values[bad].iloc[0]!r}).",
                         hint="write weeks as 2024-01-01 (the Monday of each week).")
    return parsed.astype("datetime64[ns]")


