"""The report's data: load every configured table once, then cut it to a period.

Tables come from the files named in the config (through the ordinary loaders, so the report shows
the same :class:`~roi_kit.io.LoadReport` as ``roi-kit validate``) or from a shipped sample; files
win over the sample table by table.

Period rules (days are whole calendar days, both ends included):

* an event, cost line, post or touch belongs to a period when its date is on or after the first
  day and before the day after the last day;
* :func:`as_of` rolls the customer data back to the end of a period (no look-ahead): customers
  acquired later are removed, later churn is not yet known (censored at the period end), deals
  created later are removed and deals closed later are still open, follows after the end are
  removed.

Examples
--------
>>> import datetime as dt, pandas as pd
>>> costs = pd.DataFrame({"date": pd.to_datetime(["2025-01-31 23:00", "2025-02-01 00:00"]),
...                       "amount": [1.0, 2.0]})
>>> from roi_kit.periods import rows_in_dates
>>> rows_in_dates(costs, "date", dt.date(2025, 1, 1), dt.date(2025, 1, 31))["amount"].tolist()
[1.0]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from roi_kit.io import LoadReport, load
from roi_kit.reporting.config_schema import TABLE_KEYS
from roi_kit.reporting.config_types import ReportConfig

__all__ = ["DATE_COLUMN", "ReportData", "as_of", "bounds", "load_data"]

DATE_COLUMN: dict[str, str] = {
    "costs": "date", "posts": "published_at", "touchpoints": "timestamp",
    "funnel_events": "timestamp", "deals": "created_at", "customers": "acquired_at",
    "social_audience": "followed_at",
}
"""The date that places a row of each table in a period."""


@dataclass(frozen=True, eq=False)
class ReportData:
    """The loaded tables (pandas, canonical columns) and what each loader reported."""

    tables: Mapping[str, pd.DataFrame]
    reports: tuple[LoadReport, ...]
    origin: str

    def get(self, name: str) -> pd.DataFrame | None:
        """A table, or None when the config names no data for it."""
        return self.tables.get(name)

    def last_day(self) -> dt.date | None:
        """The latest dated row over every table (what "as of" means when data end early)."""
        days = []
        for name, column in DATE_COLUMN.items():
            frame = self.tables.get(name)
            if frame is not None and len(frame) and column in frame:
                value = frame[column].max()
                if pd.notna(value):
                    days.append(pd.Timestamp(value).date())
        return max(days) if days else None


def load_data(config: ReportConfig, *, progress: Callable[[str], None] | None = None) -> ReportData:
    """Load every table the config names (files first, then the sample's remaining tables).

    Errors of the loaders (missing column, unreadable file, empty table) propagate unchanged:
    they are data errors for the command line.
    """
    tables: dict[str, pd.DataFrame] = {}
    reports: list[LoadReport] = []
    for name, path in config.files.items():
        if progress:
            progress(f"loading {name} from {path}")
        loaded = load(Path(path), name)
        tables[name], report = loaded.frame, loaded.report
        reports.append(report)
    origin = "files" if config.files else ""
    if config.sample is not None and any(t not in tables for t in TABLE_KEYS):
        from roi_kit.datasets import load_sample

        if progress:
            progress(f"loading the shipped sample {config.sample!r}")
        sample = load_sample(config.sample)  # type: ignore[arg-type]
        for name, frame in sample.tables().items():
            if name not in tables:
                loaded = load(frame, name, name=f"sample {config.sample}/{name}")
                tables[name] = loaded.frame
                reports.append(loaded.report)
        origin = f"sample {config.sample}" + (" + files" if origin else "")
    return ReportData(tables=tables, reports=tuple(reports), origin=origin)


def bounds(start: dt.date, end: dt.date) -> tuple[pd.Timestamp, pd.Timestamp]:
    """``[first instant, first instant after the period)`` as naive timestamps."""
    return pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(days=1)


def _censor(values: pd.Series, cutoff: pd.Timestamp) -> pd.Series:
    return values.where(values < cutoff)


def as_of(tables: Mapping[str, pd.DataFrame], end: dt.date) -> dict[str, pd.DataFrame]:
    """The customer-side tables as they were known at the end of ``end`` (see module docstring).

    Examples
    --------
    >>> import pandas as pd
    >>> customers = pd.DataFrame({"customer_id": ["a", "b"],
    ...     "acquired_at": pd.to_datetime(["2024-01-01", "2025-06-01"]),
    ...     "churned_at": pd.to_datetime(["2025-03-01", None]),
    ...     "observed_until": pd.to_datetime(["2025-12-31", "2025-12-31"])})
    >>> out = as_of({"customers": customers}, dt.date(2024, 12, 31))["customers"]
    >>> out["customer_id"].tolist(), out["churned_at"].isna().tolist()
    (['a'], [True])
    >>> str(out["observed_until"].iloc[0].date())
    '2025-01-01'
    """
    _, cutoff = bounds(end, end)
    out: dict[str, pd.DataFrame] = {}
    customers = tables.get("customers")
    if customers is not None:
        c = customers.loc[customers["acquired_at"] < cutoff].copy()
        if "churned_at" in c:
            c["churned_at"] = _censor(c["churned_at"], cutoff)
        if "observed_until" in c:
            c["observed_until"] = c["observed_until"].where(
                c["observed_until"].isna() | (c["observed_until"] < cutoff), cutoff)
        else:
            c["observed_until"] = cutoff
        out["customers"] = c
    deals = tables.get("deals")
    if deals is not None:
        d = deals.loc[deals["created_at"] < cutoff].copy()
        if "closed_at" in d:
            later = d["closed_at"].notna() & (d["closed_at"] >= cutoff)
            d["closed_at"] = d["closed_at"].where(~later)
            d["status"] = np.where(later, "open", d["status"].astype(object))
            d["status"] = d["status"].astype(deals["status"].dtype)
        out["deals"] = d
    audience = tables.get("social_audience")
    if audience is not None:
        if "followed_at" in audience:
            audience = audience.loc[audience["followed_at"].isna() | (audience["followed_at"] < cutoff)]
        out["social_audience"] = audience
    return out
