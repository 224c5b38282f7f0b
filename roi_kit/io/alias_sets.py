"""Header aliases of the export families roi_kit recognises (HubSpot, Salesforce, Meta, GA4 ...).

Data only; the matching is in :mod:`roi_kit.io.aliases` and the generic aliases per table are in
:mod:`roi_kit.io.common_aliases` (``COMMON`` stays importable from here). Aliases are written
normalised (lower case, single spaces; see :func:`roi_kit.io.aliases.normalise`).
``docs/loading.md`` lists them.

Examples
--------
>>> [s.name for s in ALIAS_SETS if s.table == "deals"]
['HubSpot deals', 'Salesforce opportunities', 'Pipedrive deals', 'Zoho CRM deals']
"""

from __future__ import annotations

from roi_kit.io.ad_alias_sets import AD_ALIAS_SETS
from roi_kit.io.alias_family import AliasSet
from roi_kit.io.common_aliases import COMMON
from roi_kit.io.traffic_alias_sets import TRAFFIC_ALIAS_SETS

__all__ = ["ALIAS_SETS", "COMMON", "AliasSet"]


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
        "Pipedrive deals", "deals",
        {"deal_id": ("deal id", "id"),
         "customer_id": ("deal organization", "organization", "deal organization id",
                         "organization id", "deal contact person", "contact person"),
         "created_at": ("deal deal created", "deal created", "deal add time", "add time"),
         "amount": ("deal value", "value"), "status": ("deal status", "status"),
         "closed_at": ("deal deal closed on", "deal closed on", "deal close time", "close time",
                       "deal won time", "won time"),
         "source": ("deal source channel", "source channel", "deal source origin")},
        ("deal title", "deal value", "deal currency", "deal organization", "deal status",
         "deal deal created", "deal won time", "deal lost time", "deal lost reason",
         "deal expected close date", "deal owner", "deal deal closed on", "deal pipeline",
         "deal weighted value", "won time", "lost time", "lost reason", "expected close date",
         "weighted value"),
    ),
    AliasSet(
        "Zoho CRM deals", "deals",
        {"deal_id": ("record id", "deal id", "id"),
         "customer_id": ("account name", "account id", "contact name"),
         "created_at": ("created time", "created date"), "amount": ("amount",),
         "status": ("stage",), "closed_at": ("closing date",), "kind": ("type",),
         "source": ("lead source", "campaign source")},
        ("deal name", "account name", "closing date", "created time", "modified time",
         "expected revenue", "probability", "deal owner", "record id", "campaign source",
         "next step", "contact name", "layout"),
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
         "conversion_value": ("total revenue", "purchase revenue", "event value"),
         "referrer": ("page referrer",)},
        ("session source medium", "session source", "session medium", "session campaign",
         "user pseudo id", "event timestamp", "session default channel group", "event name",
         "page location", "first user source medium", "engaged sessions", "key events",
         "effective user id", "landing page query string"),
        split={"session source medium": ("source", "medium"),
               "first user source medium": ("source", "medium")},
    ),
    AliasSet(
        "GA4 events (BigQuery export)", "funnel_events",
        {"user_id": ("user pseudo id", "user id", "effective user id", "client id"),
         "timestamp": ("event timestamp", "event date", "date hour", "date"),
         "event": ("event name",),
         "channel": ("session default channel group", "default channel group"),
         "value": ("event value in usd", "event value", "ecommerce purchase revenue",
                   "purchase revenue")},
        ("event name", "user pseudo id", "event timestamp", "event date", "event value in usd",
         "event bundle sequence id", "event previous timestamp", "user first touch timestamp",
         "stream id", "traffic source source", "traffic source medium", "traffic source name"),
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
    *AD_ALIAS_SETS,
    *TRAFFIC_ALIAS_SETS,
)
"""Known export families. Detection picks the set with most signature headers (at least 2)."""
