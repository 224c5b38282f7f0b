"""Header aliases of analytics aggregate exports (the ``traffic`` table): GA4 and Universal Analytics.

Data only; the matching is in :mod:`roi_kit.io.aliases` and the families are listed with the
others in :data:`roi_kit.io.alias_sets.ALIAS_SETS`. Headers are written normalised (lower case,
single spaces), as the vendors document them. GA4's ``session ...`` headers are left out of the
common aliases, so they stay full evidence of the GA4 touchpoints export too:

* **GA4 traffic acquisition** (Reports > Acquisition > Traffic acquisition, Share > Download
  CSV): a ``#`` preamble, then the primary dimension ``Session source / medium`` (or ``Session
  default channel group``, ``Session source``, ``Session medium``, ``Session campaign``), optional
  ``Date``, and ``Sessions``, ``Engaged sessions``, ``Engagement rate``, ``Average engagement
  time per session``, ``Events per session``, ``Event count``, ``Key events`` (before March
  2024: ``Conversions``), ``Session key event rate``, ``Total revenue``.
* **GA4 user acquisition**: ``First user source / medium`` (or ``First user default channel
  group`` ...), ``Total users``, ``New users``, ``Returning users``, ``Engaged sessions``,
  ``Engagement rate``, ``Engaged sessions per active user``, ``Average engagement time per active
  user``, ``Event count``, ``Key events``, ``User key event rate``, ``Total revenue``.
* **Universal Analytics** (Acquisition > All traffic > Source/Medium): ``Source / Medium``,
  ``Default Channel Grouping``, ``Campaign``, ``Users``, ``New Users``, ``Sessions``, ``Bounce
  Rate``, ``Pages / Session``, ``Avg. Session Duration``, ``Goal Conversion Rate``, ``Goal
  Completions``, ``Goal Value``, ``Transactions``, ``Revenue``, ``Ecommerce Conversion Rate``.

Examples
--------
>>> [s.name for s in TRAFFIC_ALIAS_SETS]
['GA4 traffic acquisition', 'GA4 user acquisition', 'Universal Analytics acquisition']
>>> TRAFFIC_ALIAS_SETS[0].split
{'session source medium': ('source', 'medium')}
"""

from __future__ import annotations

from roi_kit.io.alias_family import AliasSet

__all__ = ["TRAFFIC_ALIAS_SETS", "TRAFFIC_COMMON"]

_KEY_EVENTS = ("key events", "conversions")
_REVENUE = ("total revenue", "purchase revenue")

TRAFFIC_ALIAS_SETS: tuple[AliasSet, ...] = (
    AliasSet(
        "GA4 traffic acquisition", "traffic",
        {"source": ("session source",), "medium": ("session medium",),
         "channel": ("session default channel group", "session primary channel group",
                     "session default channel grouping"),
         "campaign": ("session campaign", "session campaign name"), "date": ("date",),
         "sessions": ("sessions",), "engaged_sessions": ("engaged sessions",),
         "users": ("total users", "active users", "users"), "new_users": ("new users",),
         "key_events": _KEY_EVENTS, "revenue": _REVENUE},
        ("session source medium", "session default channel group", "session primary channel group",
         "session source", "session medium", "session campaign", "engaged sessions",
         "engagement rate", "average engagement time per session", "events per session",
         "session key event rate", "session conversion rate", "key events", "total revenue"),
        split={"session source medium": ("source", "medium")},
    ),
    AliasSet(
        "GA4 user acquisition", "traffic",
        {"source": ("first user source",), "medium": ("first user medium",),
         "channel": ("first user default channel group", "first user primary channel group"),
         "campaign": ("first user campaign",), "date": ("date",), "sessions": ("sessions",),
         "engaged_sessions": ("engaged sessions",),
         "users": ("total users", "active users", "users"), "new_users": ("new users",),
         "key_events": _KEY_EVENTS, "revenue": _REVENUE},
        ("first user source medium", "first user default channel group",
         "first user primary channel group", "first user source", "first user medium",
         "first user campaign", "engaged sessions per active user",
         "average engagement time per active user", "user key event rate",
         "user conversion rate", "returning users", "key events", "total revenue"),
        split={"first user source medium": ("source", "medium")},
    ),
    AliasSet(
        "Universal Analytics acquisition", "traffic",
        {"channel": ("default channel grouping",), "campaign": ("campaign",),
         "date": ("date", "day index", "day"), "sessions": ("sessions",),
         "users": ("users",), "new_users": ("new users",),
         "key_events": ("goal completions", "transactions"), "revenue": ("revenue",)},
        ("source medium", "default channel grouping", "bounce rate", "pages session",
         "avg session duration", "goal conversion rate", "goal completions", "goal value",
         "ecommerce conversion rate", "percent new sessions", "new sessions"),
        split={"source medium": ("source", "medium")},
    ),
)
"""Analytics aggregate families (see the module docstring for the headers they were built from)."""

TRAFFIC_COMMON: dict[str, tuple[str, ...]] = {
    "source": ("traffic source", "utm source"),
    "medium": ("utm medium",),
    "channel": ("default channel group", "channel group", "channel grouping",
                "default channel grouping"),
    "campaign": ("campaign name", "utm campaign"),
    "date": ("day", "report date"),
    "sessions": ("visits", "session start", "session starts"),
    "engaged_sessions": ("engaged session",),
    "users": ("total users", "active users", "visitors"),
    "key_events": ("conversions",),
    "revenue": ("total revenue", "purchase revenue", "conversion value"),
}
"""Generic aliases of the traffic table (after the canonical names and the families)."""
