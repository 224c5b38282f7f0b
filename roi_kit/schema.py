"""Canonical table contracts: the column names and kinds every analysis function relies on.

Loaders (:mod:`roi_kit.io`) map real-world exports onto these tables; analysis functions check
their inputs against them with :func:`check_table`. Column kinds are deliberately few:

``id``        text identifier (kept as string, never as float)
``text``      free text or a category label
``datetime``  timestamp, timezone-aware or naive UTC
``number``    float (money, counts that may be fractional, rates)
``integer``   whole-number counts
``bool``      true / false flags (``paid``, ``converted``)

Examples
--------
>>> TABLES["deals"].required
('deal_id', 'customer_id', 'created_at', 'amount', 'status')
>>> TABLES["deals"].kind("amount")
'number'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from roi_kit.engine import as_frame, require_columns

__all__ = [
    "COST_CATEGORIES",
    "DEAL_KINDS",
    "DEAL_STATUSES",
    "TABLES",
    "ColumnKind",
    "TableName",
    "TableSpec",
    "check_table",
]

ColumnKind = Literal["id", "text", "datetime", "number", "integer", "bool"]
TableName = Literal[
    "customers", "social_audience", "deals", "touchpoints", "posts", "costs", "funnel_events", "goals",
    "service_interactions", "ad_performance", "traffic",
]

COST_CATEGORIES: tuple[str, ...] = (
    "staff", "management", "tools", "ads", "agency", "service", "training", "other",
)
"""Cost ledger categories (service = refunds, discounts, credits given through social customer
service; training = research, courses, conferences)."""

DEAL_STATUSES: tuple[str, ...] = ("won", "lost", "open")
DEAL_KINDS: tuple[str, ...] = ("new", "upsell", "cross-sell", "renewal")


@dataclass(frozen=True)
class TableSpec:
    """Contract of one canonical table.

    Parameters
    ----------
    name
        Canonical table name.
    columns
        Every known column and its kind, required ones first.
    required
        Columns that must be present.
    one_of
        Groups of alternatives of which at least one full group must be present (e.g. costs need
        ``amount`` or both ``hours`` and ``rate``).
    ids
        Columns that must be unique per row (duplicates are reported by loaders).
    description
        One line on what a row is.
    """

    name: str
    columns: dict[str, ColumnKind]
    required: tuple[str, ...]
    one_of: tuple[tuple[tuple[str, ...], ...], ...] = ()
    ids: tuple[str, ...] = ()
    description: str = ""
    notes: dict[str, str] = field(default_factory=dict)

    def kind(self, column: str) -> ColumnKind:
        """Kind of a column (``text`` for columns the contract does not know)."""
        return self.columns.get(column, "text")

    @property
    def optional(self) -> tuple[str, ...]:
        """Known columns that are not required."""
        return tuple(c for c in self.columns if c not in self.required)


TABLES: dict[str, TableSpec] = {
    "customers": TableSpec(
        name="customers",
        description="one row per customer (account)",
        columns={
            "customer_id": "id", "acquired_at": "datetime", "churned_at": "datetime",
            "observed_until": "datetime", "mrr": "number", "arr": "number", "plan": "text",
            "company_size": "text", "industry": "text", "region": "text",
            "acquisition_channel": "text", "employees": "number", "email": "text", "handle": "text",
        },
        required=("customer_id", "acquired_at"),
        ids=("customer_id",),
    ),
    "social_audience": TableSpec(
        name="social_audience",
        description="one row per follower/engager per platform",
        columns={
            "customer_id": "id", "email": "text", "handle": "text", "platform": "text",
            "followed_at": "datetime", "engagements": "integer", "last_engaged_at": "datetime",
        },
        required=(),
        one_of=((("customer_id",), ("email",), ("handle",)),),
    ),
    "deals": TableSpec(
        name="deals",
        description="one row per deal / opportunity",
        columns={
            "deal_id": "id", "customer_id": "id", "created_at": "datetime", "amount": "number",
            "status": "text", "closed_at": "datetime", "kind": "text", "source": "text",
        },
        required=("deal_id", "customer_id", "created_at", "amount", "status"),
        ids=("deal_id",),
    ),
    "touchpoints": TableSpec(
        name="touchpoints",
        description="one row per marketing touch (session, click, visit) of a user",
        columns={
            "user_id": "id", "timestamp": "datetime", "source": "text", "medium": "text",
            "url": "text", "campaign": "text", "content": "text", "term": "text", "cost": "number",
            "converted": "bool", "conversion_value": "number", "referrer": "text",
        },
        required=("user_id", "timestamp"),
        one_of=((("source", "medium"), ("url",)),),
    ),
    "posts": TableSpec(
        name="posts",
        description="one row per published social post",
        columns={
            "post_id": "id", "platform": "text", "published_at": "datetime", "type": "text",
            "text": "text", "paid": "bool", "spend": "number", "reach": "integer",
            "impressions": "integer", "likes": "integer", "comments": "integer",
            "shares": "integer", "saves": "integer", "clicks": "integer",
            "video_views": "integer", "followers": "integer", "hashtags": "integer",
            "campaign": "text", "organic_reach": "integer", "paid_reach": "integer",
            "engaged_users": "integer", "weekday": "text", "hour": "integer", "month": "text",
        },
        required=("post_id", "platform"),
        one_of=((("published_at",), ("weekday", "hour")),),
        ids=("post_id",),
        notes={
            "weekday": "Mon ... Sun, for exports with weekday / hour timing and no timestamp",
            "hour": "0-23, the hour of the day the export states (in its own time zone)",
            "month": "as written in the export (a month name or number)",
        },
    ),
    "costs": TableSpec(
        name="costs",
        description="one row per cost line of the social media ledger",
        columns={
            "date": "datetime", "category": "text", "amount": "number", "hours": "number",
            "rate": "number", "platform": "text", "campaign": "text", "note": "text",
        },
        required=("date", "category"),
        one_of=((("amount",), ("hours", "rate")),),
    ),
    "funnel_events": TableSpec(
        name="funnel_events",
        description="one row per user event (page view, lead, demo, order ...)",
        columns={
            "user_id": "id", "timestamp": "datetime", "event": "text", "channel": "text",
            "platform": "text", "paid": "bool", "value": "number",
        },
        required=("user_id", "timestamp", "event"),
    ),
    "goals": TableSpec(
        name="goals",
        description="one row per SMART goal",
        columns={
            "metric": "text", "target": "number", "period_start": "datetime",
            "period_end": "datetime", "owner": "text", "stage": "text", "baseline": "number",
            "direction": "text", "tolerance": "number",
        },
        required=("metric", "target", "period_start", "period_end"),
    ),
    "service_interactions": TableSpec(
        name="service_interactions",
        description="one row per customer-care case opened on a social platform",
        columns={
            "interaction_id": "id", "platform": "text", "opened_at": "datetime",
            "customer_id": "id", "first_response_at": "datetime", "resolved_at": "datetime",
            "resolved": "bool", "replaced_channel": "text", "sentiment": "text",
            "first_response_minutes": "number", "resolution_minutes": "number",
        },
        required=("interaction_id", "platform", "opened_at"),
        ids=("interaction_id",),
        notes={
            "replaced_channel": "the channel the case would otherwise have used (phone, email, chat)",
            "first_response_minutes": "help desks that export durations instead of timestamps",
            "resolution_minutes": "help desks that export durations instead of timestamps",
        },
    ),
    "ad_performance": TableSpec(
        name="ad_performance",
        description="one row per ad (optionally per date and breakdown: age, gender, placement ...)",
        columns={
            "platform": "text", "campaign": "text", "spend": "number", "impressions": "integer",
            "clicks": "integer", "ad_id": "id", "ad_name": "text", "ad_set": "text",
            "date": "datetime", "age": "text", "gender": "text", "placement": "text",
            "country": "text", "device": "text", "reach": "integer", "conversions": "number",
            "approved_conversions": "number", "conversion_value": "number",
        },
        required=("platform", "campaign", "spend", "impressions", "clicks"),
        notes={
            "ad_id": "made from platform, campaign, ad set and ad name when the export has none",
            "age": "breakdown columns (age, gender, placement, country, device) keep their values",
            "conversions": "the ads manager's results / conversions (Meta 'Results')",
            "approved_conversions": "conversions the advertiser confirmed (e.g. approved sales)",
        },
    ),
    "traffic": TableSpec(
        name="traffic",
        description=("one row per traffic source (source / medium or channel group), optionally "
                     "per date and campaign: an analytics tool's aggregate, no user ids"),
        columns={
            "sessions": "integer", "source": "text", "medium": "text", "channel": "text",
            "campaign": "text", "date": "datetime", "engaged_sessions": "integer",
            "users": "integer", "new_users": "integer", "key_events": "number",
            "revenue": "number",
        },
        required=(),
        one_of=((("source", "medium"), ("channel",)), (("sessions",), ("new_users",), ("users",))),
        notes={
            "channel": "the export's channel group, else GA4's default channel grouping of "
                       "source / medium (roi_kit.attribution.channels)",
            "key_events": "GA4 key events (older exports: conversions; Universal Analytics: "
                          "goal completions)",
            "revenue": "GA4 total revenue (Universal Analytics: revenue)",
        },
    ),
}


def check_table(data: Any, table: str, *, name: str | None = None) -> None:
    """Check that a frame has the columns a canonical table requires.

    Parameters
    ----------
    data
        Any frame narwhals supports.
    table
        Canonical table name (a key of :data:`TABLES`).
    name
        What to call the frame in messages (defaults to the table name).

    Examples
    --------
    >>> import pandas as pd
    >>> check_table(pd.DataFrame({"customer_id": ["c1"]}), "customers")
    Traceback (most recent call last):
    ...
    roi_kit.errors.MissingColumnError: customers is missing the column 'acquired_at'. Columns found: customer_id.
    Hint: load the file with rk.load_customers(path, columns={'your_name': 'acquired_at'}), or rename the column in the frame.
    """
    spec = TABLES[table]
    frame = as_frame(data, name=name or table)
    require_columns(frame, spec.required, name=name or table)
    from roi_kit.engine import column_names
    from roi_kit.errors import MissingColumnError

    found = set(column_names(frame))
    for groups in spec.one_of:
        if not any(set(group) <= found for group in groups):
            options = " or ".join("+".join(g) for g in groups)
            raise MissingColumnError(
                f"{name or table} needs {options}. Columns found: {', '.join(sorted(found))}.",
                hint="map your columns onto one of these with columns={...} when loading.",
            )
