"""Untagged visits read as GA4 reads them: ad-platform click IDs in the URL, and the referrer.

A touch with no ``utm_source`` / ``utm_medium`` (and no source / medium column value) is not
necessarily direct traffic:

* **Click IDs.** Ad platforms append their own click identifier to the landing URL. Google Ads'
  auto-tagging (``gclid``, ``gbraid``, ``wbraid``) is read by GA4 as ``google / cpc``, Microsoft
  Advertising's ``msclkid`` as ``bing / cpc``; TikTok (``ttclid``), LinkedIn (``li_fat_id``) and
  X (``twclid``) add theirs to ad clicks, read here as ``<platform> / cpc`` (Paid Social).
  Facebook adds ``fbclid`` and Instagram ``igshid`` to *every* outbound link, paid or organic;
  GA4 then shows the referring site, ``facebook / referral`` or ``instagram / referral``, which
  groups as Organic Social — so do we (an untagged paid Meta ad cannot be told apart).
* **Referrer.** Without tags or click IDs, GA4 uses the referring host: ``l.instagram.com``,
  ``lm.facebook.com``, ``t.co``, ``lnkd.in``, ``out.reddit.com`` ... (mapped onto the platform by
  :data:`roi_kit.attribution.utm.SOURCE_ALIASES`) with medium ``referral``; a search engine's
  host gives medium ``organic``.

Tags always win: a URL with ``utm_source`` / ``utm_medium`` is read from its tags.
:func:`roi_kit.attribution.utm.tagging_report` lists the touches read from a click ID or from a
social referrer, so the tagging can be fixed where it is made.

Examples
--------
>>> import pandas as pd, narwhals as nw
>>> f = nw.from_native(pd.DataFrame({"url": ["https://a.example/?fbclid=IwAR1", "https://a.example/",
...                                          "https://a.example/?x=1&gclid=Cj0"]}))
>>> f.select(click_id(nw.col("url")).alias("id")).to_native()["id"].fillna("-").tolist()
['fbclid', '-', 'gclid']
>>> g = nw.from_native(pd.DataFrame({"ref": ["https://l.instagram.com/?u=x", "android-app://x", None]}))
>>> g.select(referrer_host(nw.col("ref")).alias("h")).to_native()["h"].fillna("-").tolist()
['l.instagram.com', '-', '-']
"""

from __future__ import annotations

import narwhals as nw

__all__ = ["CLICK_IDS", "click_id", "referrer_host"]

CLICK_IDS: dict[str, tuple[str, str]] = {
    "gclid": ("google", "cpc"), "gbraid": ("google", "cpc"), "wbraid": ("google", "cpc"),
    "msclkid": ("bing", "cpc"), "ttclid": ("tiktok", "cpc"), "li_fat_id": ("linkedin", "cpc"),
    "twclid": ("x", "cpc"), "fbclid": ("facebook", "referral"),
    "igshid": ("instagram", "referral"),
}
"""Click-ID URL parameter -> (source, medium) it stands for, in order of precedence."""


def click_id(url: nw.Expr, *, part: int | None = None) -> nw.Expr:
    """Name of the first click ID of :data:`CLICK_IDS` in a URL's parameters, else missing;
    ``part=0`` / ``part=1`` gives the source / medium it stands for instead."""
    text = url.cast(nw.String)
    out: nw.Expr = nw.lit(None, nw.String)
    for name in reversed(list(CLICK_IDS)):
        found = text.str.contains(f"(?i)[?&#;]{name}=[^&#;]").fill_null(False)
        value = name if part is None else CLICK_IDS[name][part]
        out = nw.when(found).then(nw.lit(value)).otherwise(out)
    return out


def referrer_host(referrer: nw.Expr) -> nw.Expr:
    """Lower-case host of a web referrer URL (``https://l.instagram.com/...`` -> ``l.instagram.com``);
    missing for blanks and for non-web referrers (``android-app://``)."""
    text = referrer.cast(nw.String).str.strip_chars().str.to_lowercase()
    web = text.str.contains("^https?://").fill_null(False)
    host = text.str.replace_all("^https?://", "").str.replace_all("[/?#:].*$", "")
    return nw.when(web & (host.str.len_chars() > 0)).then(host)
