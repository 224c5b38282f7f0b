"""Input layer: load CSV / TSV / Excel / Parquet files, uploads and frames as canonical tables.

Every ``load_<table>`` returns a :class:`Loaded` that unpacks into ``(frame, report)``; the
:class:`LoadReport` says what was detected (format, encoding, delimiter, decimal convention,
export family), how columns were mapped and every row that was dropped, coerced or flagged.

Examples
--------
>>> import pandas as pd
>>> frame, report = load_funnel_events(pd.DataFrame(
...     {"user": ["u1", "u2"], "time": ["2024-01-05", "bad"], "event": ["lead", "demo"]}))
>>> report.rows_read, report.rows_kept, report.rows_dropped
(2, 1, 1)
"""

from __future__ import annotations

from roi_kit.io.aliases import ALIAS_SETS, COMMON, AliasSet, normalise
from roi_kit.io.loaders import (
    LoadOptions,
    load,
    load_ad_performance,
    load_audience,
    load_costs,
    load_customers,
    load_deals,
    load_funnel_events,
    load_goals,
    load_posts,
    load_service_interactions,
    load_touchpoints,
)
from roi_kit.io.parse import AmbiguousDateError
from roi_kit.io.report import Loaded, LoadReport
from roi_kit.io.traffic import load_traffic

__all__ = [
    "ALIAS_SETS",
    "COMMON",
    "AliasSet",
    "AmbiguousDateError",
    "LoadOptions",
    "LoadReport",
    "Loaded",
    "load",
    "load_ad_performance",
    "load_audience",
    "load_costs",
    "load_customers",
    "load_deals",
    "load_funnel_events",
    "load_goals",
    "load_posts",
    "load_service_interactions",
    "load_touchpoints",
    "load_traffic",
    "normalise",
]
