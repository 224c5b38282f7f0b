"""Generic header aliases per canonical table, for files from no known export family.

Data only: for each table, the other names its columns go by (``"client id"`` for
``customer_id``, ``"deadline"`` for ``period_end`` ...), tried after the canonical names and the
detected export family of :mod:`roi_kit.io.alias_sets`; ad and traffic tables take theirs from
:mod:`roi_kit.io.ad_alias_sets` and :mod:`roi_kit.io.traffic_alias_sets`. Aliases are written
normalised (lower case, single spaces; see :func:`roi_kit.io.aliases.normalise`).

Examples
--------
>>> COMMON["goals"]["period_end"]
('end', 'end date', 'to', 'deadline', 'due date')
"""

from __future__ import annotations

from roi_kit.io.ad_alias_sets import AD_COMMON
from roi_kit.io.traffic_alias_sets import TRAFFIC_COMMON

__all__ = ["COMMON"]

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
        "referrer": ("referer", "page referrer", "http referer", "http referrer", "referring url",
                     "referrer url"),
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
        "impressions": ("views", "lifetime post total impressions"),
        "reach": ("lifetime post total reach", "post total reach"),
        "likes": ("reactions",), "comments": ("replies",),
        "shares": ("reposts", "retweets"), "saves": ("saved", "bookmarks"),
        "clicks": ("link clicks", "url clicks"), "video_views": ("plays",),
        "followers": ("follower count", "audience size", "fans"), "hashtags": ("hashtag count",),
        "weekday": ("post weekday", "weekday", "day of week", "day of the week", "publish weekday",
                    "posted weekday", "published weekday"),
        "hour": ("post hour", "hour", "hour of day", "hour of the day", "publish hour",
                 "posted hour", "published hour"),
        "month": ("post month", "publish month", "posted month", "published month"),
        "organic_reach": ("lifetime post organic reach", "post organic reach", "reach organic",
                          "organic accounts reached"),
        "paid_reach": ("lifetime post paid reach", "post paid reach", "reach paid",
                       "paid accounts reached", "promoted reach"),
        "engaged_users": ("lifetime engaged users", "lifetime post engaged users",
                          "post engaged users", "engaged users", "accounts engaged"),
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
    "ad_performance": AD_COMMON,
    "traffic": TRAFFIC_COMMON,
}
"""Generic aliases per table, used after the canonical names and the detected export set."""
