"""Loaders: any source in, the canonical table and a :class:`LoadReport` out; no row lost silently.

``load(source, table)`` reads (see :mod:`roi_kit.io.read`), maps columns (see
:mod:`roi_kit.io.aliases`), parses every column by its kind in :data:`roi_kit.schema.TABLES`
(see :mod:`roi_kit.io.parse`), then applies the table's value maps and row checks (see
:mod:`roi_kit.io.build`, :mod:`roi_kit.io.checks`, :mod:`roi_kit.io.rules`). What happens to bad
values:

* unreadable or missing **required** value → row **dropped**;
* unreadable **optional** value → set to missing, **coerced**;
* duplicate id → later rows **dropped** (the first is kept);
* deal with a negative amount → **dropped**; negative cost → **flagged**;
* a date after ``now`` → **flagged** (goal periods and expected close dates of open deals excepted).

Examples
--------
>>> import io
>>> csv = io.BytesIO(b"Deal ID;Customer;Created;Amount;Stage\\n"
...                  b"D1;C1;31/01/2024;1.234,50;Closed Won\\nD2;C2;01/02/2024;-5;Open\\n")
>>> csv.name = "deals.csv"
>>> deals, report = load_deals(csv)
>>> deals[["deal_id", "amount", "status"]].to_dict("records")
[{'deal_id': 'D1', 'amount': 1234.5, 'status': 'won'}]
>>> report.issues[["row", "column", "problem", "action"]].to_dict("records")
[{'row': 3, 'column': 'amount', 'problem': 'negative amount', 'action': 'dropped'}]
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, TypedDict, Unpack

import pyarrow as pa

from roi_kit.errors import ConfigError
from roi_kit.io.aliases import resolve_columns
from roi_kit.io.build import DecimalSep, Engine, build
from roi_kit.io.fit import fits
from roi_kit.io.read import read_source, source_name
from roi_kit.io.report import Loaded
from roi_kit.schema import TABLES

__all__ = ["LoadOptions", "load", "load_ad_performance", "load_audience", "load_costs",
           "load_customers", "load_deals", "load_funnel_events", "load_goals", "load_posts",
           "load_service_interactions", "load_touchpoints"]


class LoadOptions(TypedDict, total=False):
    """Keyword options shared by every ``load_<table>`` (see :func:`load`)."""

    columns: Mapping[str, str] | None
    engine: Engine
    sheet: str | int | None
    encoding: str | None
    delimiter: str | None
    decimal: DecimalSep | None
    dayfirst: bool | None
    fill: Mapping[str, Any] | None
    status_map: Mapping[str, str] | None
    now: datetime | str | None
    name: str | None


def load(source: Any, table: str, *, columns: Mapping[str, str] | None = None,
         engine: Engine = "pandas", sheet: str | int | None = None, encoding: str | None = None,
         delimiter: str | None = None, decimal: DecimalSep | None = None,
         dayfirst: bool | None = None, fill: Mapping[str, Any] | None = None,
         status_map: Mapping[str, str] | None = None, now: datetime | str | None = None,
         name: str | None = None) -> Loaded:
    """Load ``source`` as the canonical ``table`` and report everything that was changed.

    Parameters
    ----------
    source
        Path (CSV, TSV, TXT, XLSX, Parquet), bytes, file-like object (``.name`` is used in
        messages), ipywidgets upload entry, or a pandas / polars / pyarrow frame.
    table
        Canonical table name: customers, social_audience, deals, touchpoints, posts, costs,
        funnel_events, goals, service_interactions, ad_performance, traffic.
    columns
        ``{"their name": "canonical name"}``, applied before the automatic aliases.
    engine
        ``"pandas"`` (default) or ``"polars"`` for the returned frame (cheaper for big data).
    sheet
        Excel sheet name or index (default: the first).
    encoding, delimiter, decimal
        Override detection (``decimal=","`` for ``1.234,56``).
    dayfirst
        Order of numeric dates when the data cannot tell (``True`` = 31/12/2024).
    fill
        Constant values for absent columns, e.g. ``{"platform": "linkedin"}``.
    status_map
        Extra deal status labels, e.g. ``{"Signed": "won"}``.
    now
        Reference time for "date in the future" flags (default: the current UTC time).
    name
        Name used in the report and messages (default: the file name).

    Examples
    --------
    >>> import pandas as pd
    >>> goals = pd.DataFrame({"metric": ["leads"], "target": ["1,200"],
    ...                       "period_start": ["2025-01-01"], "period_end": ["2025-03-31"]})
    >>> frame, report = load(goals, "goals")
    >>> frame["target"].tolist(), report.rows_kept
    ([1200.0], 1)
    """
    if table not in TABLES:
        raise ConfigError(f"table={table!r} is not a canonical table.",
                          hint=f"use one of: {', '.join(TABLES)}.")
    if engine not in ("pandas", "polars"):
        raise ConfigError(f"engine={engine!r} is not supported.", hint="use 'pandas' or 'polars'.")
    label = source_name(source, name)
    spec = TABLES[table]

    def types_for(headers: list[str], delim: str) -> dict[str, pa.DataType]:
        m = resolve_columns(headers, table, columns=columns)
        out: dict[str, pa.DataType] = {}
        for src, col in m.mapping.items():
            kind = spec.kind(col)
            if kind in ("id", "text", "bool"):
                out[src] = pa.large_string()  # what pandas' str dtype holds: no cast later
            elif kind in ("number", "integer") and decimal != "," and not (
                    decimal is None and delim == ";"):  # ';' files usually write 1.234,56
                out[src] = pa.float64()
            elif kind in ("number", "integer"):
                out[src] = pa.string()
        for src in m.split:
            out[src] = pa.string()
        return out

    raw = read_source(source, name=label, types_for=types_for, sheet=sheet, encoding=encoding,
                      delimiter=delimiter)
    mapping = resolve_columns(raw.table.column_names, table, columns=columns,
                              fit=lambda header, kind: fits(raw.table[header], kind, share=0.5))
    return build(raw, table, mapping, engine=engine, decimal=decimal, dayfirst=dayfirst,
                  fill=fill, status_map=status_map, now=now)


def load_customers(source: Any, **options: Unpack[LoadOptions]) -> Loaded:
    """Load the customers table (customer_id, acquired_at, churned_at, mrr, covariates ...).

    Options as in :func:`load`.

    Examples
    --------
    >>> import pandas as pd
    >>> df, rep = load_customers(pd.DataFrame({"Customer ID": [1, 2], "Signup date": ["2024-01-03", "2024-02-05"]}))
    >>> df["customer_id"].tolist(), rep.mapping
    (['1', '2'], {'Customer ID': 'customer_id', 'Signup date': 'acquired_at'})
    """
    return load(source, "customers", **options)


def load_deals(source: Any, **options: Unpack[LoadOptions]) -> Loaded:
    """Load the deals table (deal_id, customer_id, created_at, amount, status won/lost/open ...).

    Options as in :func:`load`; ``status_map={"Signed": "won"}`` adds stage labels.

    Examples
    --------
    >>> import pandas as pd
    >>> src = pd.DataFrame({"Opportunity ID": ["o1"], "Account ID": ["a1"], "Created Date": ["2024-03-01"],
    ...                     "Amount": ["$1,200.00"], "Stage": ["Closed Won"], "Opportunity Name": ["x"]})
    >>> df, rep = load_deals(src)
    >>> rep.alias_set, df["amount"].tolist(), df["status"].tolist()
    ('Salesforce opportunities', [1200.0], ['won'])
    """
    return load(source, "deals", **options)


def load_touchpoints(source: Any, **options: Unpack[LoadOptions]) -> Loaded:
    """Load marketing touchpoints (user_id, timestamp, source+medium or url, campaign ...).

    GA4's combined ``Session source / medium`` column is split into source and medium.

    Examples
    --------
    >>> import pandas as pd
    >>> src = pd.DataFrame({"User pseudo ID": ["u1"], "Date": [20240105],
    ...                     "Session source / medium": ["google / cpc"]})
    >>> df, rep = load_touchpoints(src)
    >>> rep.alias_set, df[["source", "medium"]].iloc[0].tolist(), str(df["timestamp"].iloc[0])
    ('GA4 export', ['google', 'cpc'], '2024-01-05 00:00:00')
    """
    return load(source, "touchpoints", **options)


def load_posts(source: Any, **options: Unpack[LoadOptions]) -> Loaded:
    """Load social posts (post_id, platform, published_at, reach, impressions, likes ...).

    Meta, LinkedIn and X exports are recognised; their platform is filled in.

    Examples
    --------
    >>> import pandas as pd
    >>> src = pd.DataFrame({"Tweet id": ["1"], "Tweet text": ["hi"], "time": ["2024-01-02 10:00 +0000"],
    ...                     "impressions": [100], "retweets": [2], "replies": [1]})
    >>> df, rep = load_posts(src)
    >>> rep.alias_set, df["platform"].iloc[0], int(df["shares"].iloc[0])
    ('X/Twitter post analytics', 'x', 2)
    """
    return load(source, "posts", **options)


def load_costs(source: Any, **options: Unpack[LoadOptions]) -> Loaded:
    """Load the social media cost ledger (date, category, amount or hours × rate ...).

    Examples
    --------
    >>> import pandas as pd
    >>> src = pd.DataFrame({"date": ["2024-01-31"], "category": ["Ad spend"], "amount": ["€500,00"]})
    >>> df, rep = load_costs(src)
    >>> df["category"].tolist(), df["amount"].tolist()
    (['ads'], [500.0])
    """
    return load(source, "costs", **options)


def load_audience(source: Any, **options: Unpack[LoadOptions]) -> Loaded:
    """Load the social audience (customer_id / email / handle, platform, followed_at ...).

    Examples
    --------
    >>> import pandas as pd
    >>> df, rep = load_audience(pd.DataFrame({"Email": ["a@x.com"], "Network": ["LinkedIn"]}))
    >>> df[["email", "platform"]].iloc[0].tolist()
    ['a@x.com', 'linkedin']
    """
    return load(source, "social_audience", **options)


def load_funnel_events(source: Any, **options: Unpack[LoadOptions]) -> Loaded:
    """Load funnel events (user_id, timestamp, event, channel, paid, value).

    Examples
    --------
    >>> import pandas as pd
    >>> src = pd.DataFrame({"user_id": ["u1"], "timestamp": ["2024-01-05"], "event": ["lead"], "paid": ["yes"]})
    >>> bool(load_funnel_events(src).frame["paid"].iloc[0])
    True
    """
    return load(source, "funnel_events", **options)


def load_goals(source: Any, **options: Unpack[LoadOptions]) -> Loaded:
    """Load SMART goals (metric, target, period_start, period_end, owner, stage, baseline).

    Examples
    --------
    >>> import pandas as pd
    >>> src = pd.DataFrame({"KPI": ["leads"], "Target": ["12%"], "Start": ["2025-01-01"], "End": ["2025-12-31"]})
    >>> load_goals(src).frame["target"].tolist()
    [0.12]
    """
    return load(source, "goals", **options)


def load_service_interactions(source: Any, **options: Unpack[LoadOptions]) -> Loaded:
    """Load customer-care cases (interaction_id, platform, opened_at, first_response_at ...).

    Zendesk ticket exports, Sprout Social case exports and Sprinklr / Hootsuite-style inbox
    exports are recognised (see ``docs/loading.md``); Zendesk's ``First reply time in minutes``
    becomes ``first_response_minutes``. Answers or resolutions dated before the case was opened
    are flagged. Options as in :func:`load`; ``fill={"replaced_channel": "phone"}`` names the
    channel the cases would otherwise have used.

    Examples
    --------
    >>> import pandas as pd
    >>> src = pd.DataFrame({"Id": [101, 102], "Via": ["Twitter", "Facebook"],
    ...                     "Created at": ["2024-05-01 09:00", "2024-05-01 10:00"],
    ...                     "Requester id": [7, 8], "Solved at": ["2024-05-01 12:00", None],
    ...                     "First reply time in minutes": [30, None]})
    >>> df, rep = load_service_interactions(src, fill={"replaced_channel": "phone"})
    >>> rep.alias_set, df["platform"].tolist(), df["first_response_minutes"].tolist()[0]
    ('Zendesk tickets', ['x', 'facebook'], 30.0)
    """
    return load(source, "service_interactions", **options)


def load_ad_performance(source: Any, **options: Unpack[LoadOptions]) -> Loaded:
    """Load an ad-level export (one row per ad, optionally per date and breakdown).

    Meta Ads Manager, LinkedIn Campaign Manager, X Ads and Kaggle ``KAG_conversion_data`` headers
    are recognised; ads without an id share a stable ``ad-<hash>`` per ad; blank clicks are
    flagged and summed as 0 (columns and rules: ``docs/loading.md``). Options as in :func:`load`.

    Examples
    --------
    >>> import pandas as pd
    >>> src = pd.DataFrame({"Campaign name": ["S", "S"], "Ad name": ["A", "A"], "Age": ["18-24", "25-34"],
    ...     "Amount spent (EUR)": ["12,50", "7,50"], "Impressions": [1000, 3000], "Link clicks": [10, None],
    ...     "Results": [1, 0], "Reporting starts": ["2024-05-01"] * 2, "Reporting ends": ["2024-05-31"] * 2})
    >>> ads, rep = load_ad_performance(src, decimal=",")
    >>> rep.alias_set, ads["spend"].tolist(), ads["platform"].tolist(), ads["ad_id"].nunique()
    ('Meta Ads Manager', [12.5, 7.5], ['meta', 'meta'], 1)
    """
    return load(source, "ad_performance", **options)
