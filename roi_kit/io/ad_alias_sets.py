"""Header aliases of ad-level exports (the ``ad_performance`` table): ads managers and one public set.

Data only; the matching is in :mod:`roi_kit.io.aliases` and the families are listed with the
others in :data:`roi_kit.io.alias_sets.ALIAS_SETS`. Headers are written normalised (lower case,
single spaces), as the vendors document them:

* **Meta Ads Manager** (Export table data / Reports): ``Reporting starts``, ``Reporting ends``,
  ``Campaign name``, ``Ad set name``, ``Ad name``, ``Ad ID``, breakdowns ``Age``, ``Gender``,
  ``Country``, ``Placement``, ``Platform``, ``Impression device``, ``Day``; metrics ``Results``,
  ``Result indicator``, ``Reach``, ``Impressions``, ``Cost per result``, ``Amount spent (USD)``
  (the account's currency in brackets), ``Link clicks``, ``Clicks (all)``, ``Purchases conversion
  value``. Platform ``meta`` unless a ``Platform`` breakdown says facebook / instagram.
* **LinkedIn Campaign Manager** (campaign / creative performance report CSV): ``Start Date (in
  UTC)``, ``Account Name``, ``Campaign Group Name``, ``Campaign Name``, ``Campaign ID``,
  ``Creative Name``, ``Creative ID``, ``Total Spent``, ``Impressions``, ``Clicks``,
  ``Conversions``, ``Post-Click Conversions``, ``View-Through Conversions``, ``Total Conversion
  Value``, ``Approximate Member Reach``, ``Average CTR``, ``Average CPC``, ``Leads``.
* **X Ads** (campaign manager export): ``Time period``, ``Campaign name``, ``Campaign ID``,
  ``Ad Group name``, ``Ad Group ID``, ``Ad name``, ``Ad ID``, ``Funding source name``,
  ``Impressions``, ``Spend``, ``Billed engagements``, ``Link clicks``, ``Results``,
  ``Result type``, ``Cost per result``, ``Conversions``.
* **KAG_conversion_data** (the public Kaggle "Sales conversion optimization" set of Facebook
  ads): ``ad_id``, ``xyz_campaign_id`` (the advertiser's campaign), ``fb_campaign_id`` (Facebook's
  campaign, one per audience: an ad set), ``age``, ``gender``, ``interest``, ``Impressions``,
  ``Clicks``, ``Spent``, ``Total_Conversion``, ``Approved_Conversion``.

Examples
--------
>>> [s.name for s in AD_ALIAS_SETS]
['Meta Ads Manager', 'LinkedIn Campaign Manager', 'X Ads', 'Kaggle KAG_conversion_data (Facebook ads)']
>>> "amount spent eur" in AD_ALIAS_SETS[0].columns["spend"]
True
"""

from __future__ import annotations

from roi_kit.io.alias_family import AliasSet

__all__ = ["AD_ALIAS_SETS", "AD_COMMON", "CURRENCIES"]

CURRENCIES: tuple[str, ...] = (
    "usd", "eur", "gbp", "dkk", "sek", "nok", "chf", "pln", "czk", "huf", "cad", "aud", "nzd",
    "jpy", "inr", "brl", "mxn", "zar", "sgd", "hkd", "aed", "try", "ils", "krw", "cny",
)
"""Currency codes an ads manager writes in brackets after a money header (``Amount spent (EUR)``)."""


def _money(*headers: str) -> tuple[str, ...]:
    """Each header as written alone and with every currency code after it."""
    return tuple(h for base in headers for h in (base, *(f"{base} {c}" for c in CURRENCIES)))


AD_ALIAS_SETS: tuple[AliasSet, ...] = (
    AliasSet(
        "Meta Ads Manager", "ad_performance",
        {"campaign": ("campaign name", "campaign id"), "ad_set": ("ad set name", "ad set id"),
         "ad_name": ("ad name",), "ad_id": ("ad id",),
         "date": ("day", "reporting starts"), "spend": _money("amount spent"),
         "impressions": ("impressions",), "clicks": ("link clicks", "clicks all"),
         "reach": ("reach",), "conversions": ("results", "website purchases", "purchases"),
         "conversion_value": _money("purchases conversion value",
                                    "website purchases conversion value"),
         "age": ("age",), "gender": ("gender",), "country": ("country",),
         "placement": ("placement",), "platform": ("platform",),
         "device": ("impression device", "device platform")},
        ("reporting starts", "reporting ends", "ad set name", "results", "result indicator",
         "cost per result", *_money("amount spent")[1:], "clicks all", "frequency", "delivery", "attribution setting", "ends",
         "ad set budget", "ad set budget type", "cpc cost per link click usd",
         "ctr link click through rate", "purchases conversion value"),
        constants={"platform": "meta"},
    ),
    AliasSet(
        "LinkedIn Campaign Manager", "ad_performance",
        {"campaign": ("campaign name", "campaign", "campaign id"),
         "ad_name": ("creative name", "ad name"), "ad_id": ("creative id", "ad id"),
         "date": ("start date in utc", "start date", "date"),
         "spend": _money("total spent", "amount spent"), "impressions": ("impressions",),
         "clicks": ("clicks",), "reach": ("approximate member reach", "reach"),
         "conversions": ("conversions", "total conversions"),
         "conversion_value": ("total conversion value", "conversion value")},
        ("start date in utc", "campaign group name", "campaign group id", "total spent",
         "average ctr", "average cpm", "average cpc", "post click conversions",
         "view through conversions", "cost per conversion", "total conversion value",
         "return on ad spend", "approximate member reach", "creative name", "campaign type",
         "total engagements", "total social actions", "viral impressions"),
        constants={"platform": "linkedin"},
    ),
    AliasSet(
        "X Ads", "ad_performance",
        {"campaign": ("campaign name", "campaign id"),
         "ad_set": ("ad group name", "ad group id", "line item name"),
         "ad_name": ("ad name",), "ad_id": ("ad id", "promoted tweet id", "tweet id", "post id"),
         "date": ("time period", "day", "date"), "spend": _money("spend", "billed charge"),
         "impressions": ("impressions",), "clicks": ("link clicks", "url clicks", "clicks"),
         "conversions": ("conversions", "results")},
        ("time period", "ad group name", "ad group id", "funding source name",
         "billed engagements", "billed charge", "result type", "line item name",
         "promoted tweet id", "cost per result", "cost per billed engagement"),
        constants={"platform": "x"},
    ),
    AliasSet(
        "Kaggle KAG_conversion_data (Facebook ads)", "ad_performance",
        {"campaign": ("xyz campaign id",), "ad_set": ("fb campaign id",), "ad_id": ("ad id",),
         "spend": ("spent",), "impressions": ("impressions",), "clicks": ("clicks",),
         "conversions": ("total conversion",), "approved_conversions": ("approved conversion",),
         "age": ("age",), "gender": ("gender",)},
        ("xyz campaign id", "fb campaign id", "total conversion", "approved conversion",
         "interest", "spent"),
        constants={"platform": "facebook"},
    ),
)
"""Ad-level export families (see the module docstring for the headers they were built from)."""

AD_COMMON: dict[str, tuple[str, ...]] = {
    "platform": ("network", "channel", "publisher platform", "ad platform"),
    "campaign": ("campaign name", "campaign id"),
    "ad_set": ("ad set name", "ad set", "adset", "ad group", "ad group name"),
    "ad_name": ("ad", "creative", "creative name"),
    "ad_id": ("creative id",),
    "date": ("day", "start date", "report date"),
    "spend": (*_money("amount spent", "spent", "cost", "total spent", "spend"), "amount"),
    "impressions": ("impr",),
    "clicks": ("link clicks", "clicks all", "url clicks"),
    "reach": ("accounts reached", "unique reach"),
    "conversions": ("results", "total conversions", "total conversion", "purchases"),
    "approved_conversions": ("approved conversion",),
    "conversion_value": ("total conversion value", "purchases conversion value", "revenue",
                         "purchase value"),
    "age": ("age range", "age group"), "gender": ("sex",),
    "placement": ("platform position", "position"), "country": ("country region", "location"),
    "device": ("impression device", "device platform", "device type"),
}
"""Generic aliases of the ad_performance table (after the canonical names and the families)."""
