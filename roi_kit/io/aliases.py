"""Column aliases: map the headers of common exports onto the canonical tables.

Headers are compared after :func:`normalise` (lower case, every run of non-alphanumeric
characters becomes one space), so ``Deal Stage``, ``deal_stage`` and ``DEAL-STAGE`` are the same.
For a table, the loader tries in this order: the caller's ``columns={...}``, the canonical name
itself, the best-fitting export :data:`ALIAS_SETS` (detected from its signature headers and
named in the report), then the :data:`COMMON` aliases. The documented table is in
``docs/loading.md``.

Examples
--------
>>> m = resolve_columns(["Record ID", "Deal Name", "Deal Stage", "Amount", "Create Date",
...                      "Associated Company IDs", "Close Date", "Pipeline"], "deals")
>>> m.alias_set
'HubSpot deals'
>>> m.mapping["Deal Stage"], m.mapping["Record ID"]
('status', 'deal_id')
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from roi_kit.errors import ConfigError
from roi_kit.schema import TABLES

__all__ = ["ALIAS_SETS", "COMMON", "AliasSet", "ColumnMapping", "closest", "normalise",
           "resolve_columns"]

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise(header: str) -> str:
    """Lower-case a header and collapse punctuation/whitespace runs to single spaces.

    Examples
    --------
    >>> normalise("  Session source / medium ")
    'session source medium'
    """
    return _NON_ALNUM.sub(" ", str(header).lower()).strip()


@dataclass(frozen=True)
class AliasSet:
    """Headers of one export family.

    ``columns`` maps a canonical column to its aliases in order of preference (normalised);
    ``signature`` lists headers that identify the export; ``constants`` fills columns the export
    implies (a LinkedIn export is all ``platform="linkedin"``); ``split`` names a combined column
    (``session source / medium``) and the two canonical columns it is split into at ``" / "``.
    """

    name: str
    table: str
    columns: dict[str, tuple[str, ...]]
    signature: tuple[str, ...]
    constants: dict[str, str] = field(default_factory=dict)
    split: dict[str, tuple[str, str]] = field(default_factory=dict)


_POST_METRICS: dict[str, tuple[str, ...]] = {
    "reach": ("reach", "accounts reached"),
    "likes": ("likes", "reactions"),
    "comments": ("comments", "replies"),
    "shares": ("shares", "reposts", "retweets"),
    "saves": ("saves", "saved", "bookmarks"),
}

ALIAS_SETS: tuple[AliasSet, ...] = (
    AliasSet(
        "HubSpot deals", "deals",
        {"deal_id": ("record id", "deal id", "hs object id"),
         "customer_id": ("associated company ids", "associated company id", "company id",
                         "associated company", "associated contact ids"),
         "created_at": ("create date", "createdate"), "amount": ("amount", "amount in company currency"),
         "status": ("deal stage", "dealstage"), "closed_at": ("close date", "closedate"),
         "kind": ("deal type", "dealtype"),
         "source": ("original source type", "original traffic source", "hs analytics source")},
        ("deal name", "dealname", "deal stage", "dealstage", "pipeline", "deal owner", "deal type",
         "record id", "hs object id", "close date", "create date"),
    ),
    AliasSet(
        "HubSpot contacts", "customers",
        {"customer_id": ("record id", "contact id", "hs object id", "vid"),
         "acquired_at": ("became a customer date", "hs lifecyclestage customer date",
                         "create date", "createdate"),
         "email": ("email",), "handle": ("twitter username", "twitterhandle"),
         "employees": ("number of employees", "numemployees"), "industry": ("industry",),
         "region": ("country region", "country"),
         "acquisition_channel": ("original source", "original traffic source", "hs analytics source")},
        ("first name", "last name", "firstname", "lastname", "lifecycle stage", "lifecyclestage",
         "became a customer date", "contact owner", "record id", "original source", "lead status"),
    ),
    AliasSet(
        "Salesforce opportunities", "deals",
        {"deal_id": ("opportunity id", "id", "opportunity 18 digit id"),
         "customer_id": ("account id", "accountid", "account name"),
         "created_at": ("created date", "createddate"), "amount": ("amount",),
         "status": ("stage", "stagename", "stage name"), "closed_at": ("close date", "closedate"),
         "kind": ("type", "opportunity type"), "source": ("lead source", "leadsource",
                                                         "primary campaign source")},
        ("opportunity name", "opportunity id", "opportunity owner", "account name", "stage",
         "stagename", "fiscal period", "probability", "probability", "forecast category",
         "accountid", "isclosed", "iswon", "lead source", "next step"),
    ),
    AliasSet(
        "GA4 export", "touchpoints",
        {"user_id": ("user pseudo id", "effective user id", "client id", "user id"),
         "timestamp": ("event timestamp", "date hour yyyymmddhh", "date hour", "event date",
                       "date"),
         "source": ("session source", "traffic source source", "collected traffic source manual source",
                    "first user source"),
         "medium": ("session medium", "traffic source medium", "collected traffic source manual medium",
                    "first user medium"),
         "campaign": ("session campaign", "session campaign name", "traffic source name",
                      "first user campaign"),
         "content": ("session manual ad content", "manual ad content",
                     "collected traffic source manual content"),
         "term": ("session manual term", "manual term", "collected traffic source manual term"),
         "url": ("page location", "landing page query string", "page path query string"),
         "conversion_value": ("total revenue", "purchase revenue", "event value")},
        ("session source medium", "session source", "session medium", "session campaign",
         "user pseudo id", "event timestamp", "session default channel group", "event name",
         "page location", "first user source medium", "engaged sessions", "key events",
         "effective user id", "landing page query string"),
        split={"session source medium": ("source", "medium"),
               "first user source medium": ("source", "medium")},
    ),
    AliasSet(
        "Meta Business Suite (Facebook posts)", "posts",
        {"post_id": ("post id",), "published_at": ("publish time",), "type": ("post type",),
         "text": ("description", "title", "message"), "impressions": ("impressions", "views"),
         "clicks": ("total clicks", "link clicks", "clicks"),
         "video_views": ("3 second video views", "video views"), **_POST_METRICS},
        ("page id", "page name", "publish time", "permalink", "post type", "is crosspost",
         "is share", "reactions comments and shares", "total clicks", "funded content status",
         "data comment", "caption type"),
        constants={"platform": "facebook"},
    ),
    AliasSet(
        "Meta Business Suite (Instagram posts)", "posts",
        {"post_id": ("post id",), "published_at": ("publish time",), "type": ("post type",),
         "text": ("description", "caption"), "impressions": ("impressions", "views"),
         "video_views": ("plays", "video views"), "clicks": ("link clicks",), **_POST_METRICS},
        ("account id", "account username", "account name", "publish time", "permalink",
         "post type", "saves", "follows", "profile visits", "data comment"),
        constants={"platform": "instagram"},
    ),
    AliasSet(
        "LinkedIn page posts", "posts",
        {"post_id": ("update link", "post link", "post url"),
         "published_at": ("created date", "post date", "date"),
         "text": ("update title", "post title"), "type": ("content type", "post type"),
         "paid": ("update type", "sponsored"), "campaign": ("campaign name",),
         "impressions": ("impressions",), "clicks": ("clicks",),
         "video_views": ("views excluding off site video views", "video views"), **_POST_METRICS},
        ("update title", "update link", "update type", "posted by", "created date",
         "campaign name", "campaign start date", "campaign end date", "audience",
         "click through rate ctr", "engagement rate", "reposts", "off site views",
         "views excluding off site video views"),
        constants={"platform": "linkedin"},
    ),
    AliasSet(
        "X/Twitter post analytics", "posts",
        {"post_id": ("tweet id", "post id"), "published_at": ("time", "created at", "date", "post time"),
         "text": ("tweet text", "post text"), "impressions": ("impressions",),
         "clicks": ("url clicks", "link clicks"), "video_views": ("media views", "video views"),
         "saves": ("bookmarks",), "likes": ("likes",), "comments": ("replies",),
         "shares": ("retweets", "reposts")},
        ("tweet id", "tweet permalink", "tweet text", "retweets", "replies", "user profile clicks",
         "url clicks", "hashtag clicks", "detail expands", "permalink clicks", "media engagements",
         "post link", "post text", "reposts", "bookmarks", "new follows", "profile visits",
         "promoted impressions"),
        constants={"platform": "x"},
    ),
    AliasSet(
        "Zendesk tickets", "service_interactions",
        {"interaction_id": ("id", "ticket id"), "platform": ("via", "channel", "ticket channel"),
         "opened_at": ("created at", "ticket created"), "customer_id": ("requester id", "requester"),
         "resolved_at": ("solved at", "ticket solved"),
         "first_response_minutes": ("first reply time in minutes",
                                    "first reply time in minutes within business hours"),
         "resolution_minutes": ("full resolution time in minutes", "first resolution time in minutes"),
         "sentiment": ("satisfaction score", "satisfaction rating")},
        ("requester", "requester id", "assignee", "via", "solved at", "first reply time in minutes",
         "full resolution time in minutes", "satisfaction score", "reopens", "replies",
         "ticket type", "group stations"),
    ),
    AliasSet(
        "Sprout Social cases", "service_interactions",
        {"interaction_id": ("case id", "case number"), "platform": ("network", "source", "profile network"),
         "opened_at": ("case opened", "opened at", "case created", "created"),
         "first_response_at": ("first reply", "first reply at", "first response at"),
         "resolved_at": ("case closed", "closed at", "completed at", "case completed"),
         "customer_id": ("contact", "contact id", "from"), "sentiment": ("sentiment",)},
        ("case id", "case opened", "case closed", "case type", "case priority", "queue",
         "first reply", "network", "assignee", "completed at"),
    ),
    AliasSet(
        "Sprinklr / Hootsuite inbox cases", "service_interactions",
        {"interaction_id": ("case number", "case id", "conversation id", "ticket id"),
         "platform": ("social network", "channel", "network"),
         "opened_at": ("case creation time", "case created time", "conversation created", "created"),
         "first_response_at": ("first brand response time stamp", "first response at",
                               "first reply at", "first response"),
         "resolved_at": ("case closure time", "case closed time", "resolved at", "closed"),
         "customer_id": ("fan id", "sender id", "author id", "customer id"),
         "sentiment": ("sentiment", "fan sentiment")},
        ("case number", "case creation time", "case closure time", "social network", "case status",
         "conversation id", "conversation created", "assigned team", "fan id", "sender id"),
    ),
)
"""Known export families. Detection picks the set with most signature headers (at least 2)."""

COMMON: dict[str, dict[str, tuple[str, ...]]] = {
    "customers": {
        "customer_id": ("customer", "client id", "account id", "account", "company id", "id"),
        "acquired_at": ("acquired", "acquisition date", "signup date", "sign up date", "signed up",
                        "customer since", "start date", "created", "created at", "create date",
                        "first order date"),
        "churned_at": ("churned", "churn date", "cancelled at", "canceled at", "cancellation date",
                       "cancel date", "end date"),
        "observed_until": ("as of", "snapshot date", "extract date", "observed at"),
        "mrr": ("monthly recurring revenue",), "arr": ("annual recurring revenue",),
        "plan": ("tier", "subscription plan", "product"),
        "company_size": ("size", "segment", "size band"),
        "employees": ("number of employees", "employee count", "headcount"),
        "region": ("country", "market", "country region"),
        "acquisition_channel": ("channel", "source", "lead source", "original source"),
        "email": ("e mail", "email address"), "handle": ("username", "user name", "screen name"),
    },
    "social_audience": {
        "customer_id": ("customer", "account id"), "email": ("e mail", "email address"),
        "handle": ("username", "user name", "screen name", "profile"),
        "platform": ("network", "social network", "channel"),
        "followed_at": ("followed", "followed on", "follow date", "date followed", "since"),
        "engagements": ("interactions", "engagement count"),
        "last_engaged_at": ("last engaged", "last engagement", "last interaction", "last active"),
    },
    "deals": {
        "deal_id": ("deal", "opportunity id", "opp id", "id"),
        "customer_id": ("customer", "account id", "company id", "account", "client id"),
        "created_at": ("created", "create date", "created date", "date created", "open date"),
        "amount": ("value", "deal value", "deal amount", "revenue", "price", "total"),
        "status": ("stage", "deal stage", "state", "outcome"),
        "closed_at": ("closed", "close date", "closed date", "date closed"),
        "kind": ("type", "deal type", "opportunity type"),
        "source": ("lead source", "original source", "channel"),
    },
    "touchpoints": {
        "user_id": ("user", "visitor id", "customer id", "client id", "anonymous id", "cookie id"),
        "timestamp": ("time", "date", "datetime", "event time", "session start", "visited at",
                      "occurred at"),
        "source": ("utm source",), "medium": ("utm medium",),
        "url": ("page url", "landing page", "page", "link"), "campaign": ("utm campaign",),
        "content": ("utm content",), "term": ("utm term", "keyword"), "cost": ("spend",),
        "converted": ("conversion", "is conversion"), "conversion_value": ("revenue", "value"),
    },
    "posts": {
        "post_id": ("id", "post", "tweet id", "media id", "permalink", "url", "link"),
        "platform": ("network", "social network", "channel"),
        "published_at": ("published", "publish time", "publish date", "posted at", "created at",
                         "created time", "date", "time", "timestamp", "post date"),
        "type": ("post type", "format", "media type", "content type"),
        "text": ("caption", "message", "content", "description", "title"),
        "paid": ("boosted", "promoted", "is paid", "sponsored"),
        "spend": ("cost", "amount spent", "spent"),
        "impressions": ("views",), "likes": ("reactions",), "comments": ("replies",),
        "shares": ("reposts", "retweets"), "saves": ("saved", "bookmarks"),
        "clicks": ("link clicks", "url clicks"), "video_views": ("plays",),
        "followers": ("follower count", "audience size", "fans"), "hashtags": ("hashtag count",),
        "organic_reach": ("lifetime post organic reach", "post organic reach", "reach organic",
                          "organic accounts reached"),
        "paid_reach": ("lifetime post paid reach", "post paid reach", "reach paid",
                       "paid accounts reached", "promoted reach"),
    },
    "costs": {
        "date": ("period", "month", "day", "invoice date", "booking date"),
        "category": ("type", "cost type", "kind", "cost category"),
        "amount": ("cost", "spend", "total", "value", "net amount"),
        "hours": ("time spent", "hours spent"), "rate": ("hourly rate", "rate per hour"),
        "note": ("notes", "description", "memo", "comment"),
    },
    "funnel_events": {
        "user_id": ("user", "visitor id", "customer id", "lead id", "contact id"),
        "timestamp": ("time", "date", "event time", "occurred at", "created at"),
        "event": ("event name", "stage", "step", "action"),
        "channel": ("source", "channel group", "default channel group"),
        "value": ("revenue", "amount", "event value"),
    },
    "goals": {
        "metric": ("kpi", "goal", "measure"), "target": ("goal value", "objective"),
        "period_start": ("start", "start date", "from"),
        "period_end": ("end", "end date", "to", "deadline", "due date"),
        "owner": ("responsible", "assignee"), "stage": ("funnel stage",),
        "baseline": ("start value",),
    },
    "service_interactions": {
        "interaction_id": ("id", "case id", "ticket id", "ticket", "case", "conversation id"),
        "platform": ("network", "social network", "channel", "source", "via"),
        "opened_at": ("opened", "created", "created at", "received at", "date", "timestamp"),
        "customer_id": ("customer", "contact id", "requester id", "account id"),
        "first_response_at": ("first response", "first reply", "first reply at", "responded at",
                              "replied at"),
        "resolved_at": ("resolved on", "closed at", "solved at", "closed", "completed at"),
        "resolved": ("is resolved", "solved", "resolved flag"),
        "replaced_channel": ("replaces", "instead of", "alternative channel", "deflected from"),
        "sentiment": ("mood", "tone"),
        "first_response_minutes": ("first reply time in minutes", "first response minutes",
                                   "response time minutes"),
        "resolution_minutes": ("resolution time in minutes", "full resolution time in minutes",
                               "resolution minutes"),
    },
}
"""Generic aliases per table, used after the canonical names and the detected export set."""


@dataclass(frozen=True)
class ColumnMapping:
    """How source headers map onto a canonical table.

    ``mapping`` is ``{source header: canonical column}``; ``alias_set`` names the detected export
    (``None`` when only canonical names / common aliases were used); ``constants`` are columns to
    fill; ``split`` maps a combined header to the two columns it becomes; ``extra`` lists headers
    kept as they are.
    """

    mapping: dict[str, str]
    alias_set: str | None
    constants: dict[str, str]
    split: dict[str, tuple[str, str]]
    extra: tuple[str, ...]


def detect_alias_set(headers: list[str], table: str) -> AliasSet | None:
    """The export family whose signature fits the headers best (at least 2 hits), if any."""
    normed = {normalise(h) for h in headers}
    best: tuple[int, AliasSet | None] = (1, None)
    for alias_set in ALIAS_SETS:
        if alias_set.table != table:
            continue
        hits = len(normed & set(alias_set.signature))
        if hits > best[0]:
            best = (hits, alias_set)
    return best[1]


def resolve_columns(headers: list[str], table: str, *,
                    columns: Mapping[str, str] | None = None) -> ColumnMapping:
    """Map ``headers`` onto the canonical columns of ``table``.

    Raises :class:`~roi_kit.errors.ConfigError` when ``columns`` names a header that does not
    exist or a canonical column the table does not have.
    """
    spec = TABLES[table]
    canon = list(spec.columns)
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for src, dst in (columns or {}).items():
        if dst not in spec.columns:
            raise ConfigError(
                f"columns={{{src!r}: {dst!r}}}: {dst!r} is not a column of the {table} table.",
                hint=f"use one of: {', '.join(canon)}.")
        if src not in headers:
            near = closest(src, headers)
            raise ConfigError(
                f"columns={{{src!r}: {dst!r}}}: the source has no column {src!r}. "
                f"Columns found: {', '.join(headers)}.",
                hint=f"did you mean {near!r}?" if near else "use a header exactly as it is in the file.")
        mapping[src] = dst
        taken.add(dst)
    detected = detect_alias_set(headers, table)
    normed = {h: normalise(h) for h in headers if h not in mapping}
    by_norm: dict[str, str] = {}
    for h, n in normed.items():
        by_norm.setdefault(n, h)
    split: dict[str, tuple[str, str]] = {}

    def claim(col: str, aliases: tuple[str, ...]) -> None:
        if col in taken:
            return
        for alias in aliases:
            h = by_norm.get(alias)
            if h is not None and h not in mapping:
                mapping[h] = col
                taken.add(col)
                return

    for col in canon:
        claim(col, (normalise(col),))
    if detected is not None:
        for combined, (a, b) in detected.split.items():
            found = by_norm.get(combined)
            if found is not None and found not in mapping and a not in taken and b not in taken:
                split[found] = (a, b)
                taken.update((a, b))
        for col, aliases in detected.columns.items():
            claim(col, aliases)
    for col, aliases in COMMON.get(table, {}).items():
        claim(col, aliases)
    constants = {k: v for k, v in (detected.constants if detected else {}).items() if k not in taken}
    extra = tuple(h for h in headers if h not in mapping and h not in split)
    return ColumnMapping(mapping, detected.name if detected else None, constants, split, extra)


def closest(name: str, candidates: list[str]) -> str | None:
    """The candidate header closest to ``name`` (difflib on normalised text), if any is close.

    Examples
    --------
    >>> closest("amount", ["Deal ID", "Amount (EUR)", "Stage"])
    'Amount (EUR)'
    """
    if not candidates:
        return None
    target = normalise(name)
    scored = [(difflib.SequenceMatcher(None, target, normalise(c)).ratio()
               + (0.3 if target and target in normalise(c) else 0.0), c) for c in candidates]
    score, best = max(scored)
    return best if score >= 0.5 else None


def suggestion(column: str, table: str, candidates: list[str]) -> str | None:
    """Closest unmapped header for a missing canonical column, using its aliases too."""
    names = (column, *COMMON.get(table, {}).get(column, ()))
    best: tuple[float, str | None] = (0.0, None)
    for cand in candidates:
        nc = normalise(cand)
        for name in names:
            n = normalise(name)
            score = difflib.SequenceMatcher(None, n, nc).ratio() + (0.3 if n and n in nc else 0.0)
            if score > best[0]:
                best = (score, cand)
    return best[1] if best[0] >= 0.6 else None
