"""Inputs of the scorecard: canonical tables (dates parsed) or daily actuals, cut per platform.

Examples
--------
>>> import pandas as pd
>>> posts = pd.DataFrame({"published_at": ["2025-01-02 10:00"], "reach": [5]})
>>> str(dated("posts", posts)["published_at"].dtype)
'datetime64[ns]'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from roi_kit.actuals import daily_actuals
from roi_kit.engine import as_frame, require_columns, to_pandas
from roi_kit.errors import InputError
from roi_kit.periods import utc_days

__all__ = ["dated", "on_platform", "read_data"]

_PLATFORM_TABLES = ("posts", "funnel_events", "costs")
_DATES = {"posts": ("published_at",), "funnel_events": ("timestamp",), "costs": ("date",),
          "deals": ("created_at", "closed_at")}


def dated(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The table with its date columns as naive datetimes (CSV text is parsed, UTC kept)."""
    cols = [c for c in _DATES.get(name, ()) if c in frame
            and (not pd.api.types.is_datetime64_any_dtype(frame[c].dtype)
                 or getattr(frame[c].dtype, "tz", None) is not None)]
    if not cols:
        return frame
    out = frame.copy()
    for col in cols:
        values = pd.to_datetime(out[col], format="ISO8601", utc=True, errors="coerce")
        bad = values.isna() & out[col].notna()
        if bad.any():
            raise InputError(f"{name}.{col} has values that are not dates (row "
                             f"{int(bad.to_numpy().argmax()) + 1}: {out[col][bad].iloc[0]!r}).",
                             hint=f"load the table with rk.load_{name}(...) or write dates as "
                                  "YYYY-MM-DD.")
        out[col] = values.dt.tz_localize(None).astype("datetime64[ns]")
    return out


def read_data(data: Any) -> tuple[dict[str, pd.DataFrame] | None, pd.DataFrame]:
    """(canonical tables or None, daily actuals) from tables, a SampleData or an actuals frame."""
    if hasattr(data, "tables") and callable(data.tables):
        data = data.tables()
    if isinstance(data, Mapping):
        tables = {str(k): dated(str(k), to_pandas(as_frame(v, name=str(k))))
                  for k, v in data.items()}
        return tables, daily_actuals(tables)
    frame = as_frame(data, name="data")
    require_columns(frame, ["date", "metric", "value"], name="data")
    daily = to_pandas(frame)[["date", "metric", "value"]].copy()
    daily["date"] = utc_days(daily["date"])
    daily["metric"] = daily["metric"].astype(str)
    daily["value"] = pd.to_numeric(daily["value"], errors="coerce").astype("float64")
    daily = daily.groupby(["metric", "date"], as_index=False)["value"].sum()
    return None, daily[["date", "metric", "value"]]


def on_platform(tables: Mapping[str, pd.DataFrame], platform: str) -> dict[str, pd.DataFrame]:
    """The tables cut to one platform's posts, funnel events and costs (others unchanged)."""
    out = dict(tables)
    for name in _PLATFORM_TABLES:
        t = tables.get(name)
        if t is not None and "platform" in t:
            out[name] = t.loc[t["platform"].astype(str).str.lower() == platform]
    return out


