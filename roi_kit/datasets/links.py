"""Social touchpoints point at the posts that brought the visitor: ``utm_content`` = ``post_id``.

Every Organic Social / Paid Social touch is tagged (``utm_source`` names the network, with the
sample's deliberate spelling mistakes) and links to one post of that network: a *paid* post for
Paid Social, an *organic* one for Organic Social, drawn among the few latest posts published
before the touch (the first post of the network when the touch is earlier than all of them — rare,
only in the first days of the window). Paid Social touches cost the linked post's CPC
(``spend / clicks``), so click costs, posts and the ``ads`` ledger tell the same story.

Paid CPMs (cost per 1,000 impressions) are drawn per platform from published 2025–2026 ranges
(:data:`CPM_RANGE`, in the sample's currency; sources in ``docs/sample_data.md``); a paid post's
spend is its impressions × CPM / 1,000.

Examples
--------
>>> import numpy as np, pandas as pd
>>> posts = pd.DataFrame({"post_id": ["post-1", "post-2"], "platform": ["linkedin"] * 2,
...     "published_at": pd.to_datetime(["2024-01-02", "2024-01-09"]), "paid": [False, True],
...     "spend": [0.0, 40.0], "clicks": [5, 20], "campaign": [None, "brand"]})
>>> touch = pd.DataFrame({"source": ["lnkd.in", "linkedin"], "medium": ["social", "cpc"],
...     "campaign": ["brand", "brand"], "content": ["x", "x"], "cost": [0.0, 1.0],
...     "url": ["https://a.com/?utm_source=lnkd.in", "https://a.com/pricing?utm_source=linkedin"],
...     "timestamp": pd.to_datetime(["2024-01-05", "2024-01-10"])})
>>> out = link_posts(np.random.default_rng(0), touch, np.array([0, 1]), posts)
>>> out["content"].tolist(), out["cost"].tolist()
(['post-1', 'post-2'], [0.0, 2.0])
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl

from roi_kit.datasets.strings import pd_str

__all__ = ["CPM_RANGE", "SOURCE_PLATFORM", "link_posts", "paid_spend"]

CPM_RANGE: dict[str, tuple[float, float]] = {
    "facebook": (6.0, 15.0), "instagram": (6.0, 15.0), "linkedin": (30.0, 60.0),
    "tiktok": (10.0, 20.0), "x": (4.0, 9.0), "youtube": (5.0, 15.0),
}
"""Paid CPM range per platform (low, high), drawn log-uniformly."""

SOURCE_PLATFORM: dict[str, str] = {
    "linkedin": "linkedin", "LinkedIn": "linkedin", "lnkd.in": "linkedin",
    "facebook": "facebook", "Facebook ": "facebook", "fb": "facebook",
    "m.facebook.com": "facebook", "instagram": "instagram", "tiktok": "tiktok", "t.co": "x",
}
"""The network behind each social ``utm_source`` of the samples."""

_LATEST = 6   # a touch links to one of the latest posts before it


def paid_spend(rng: np.random.Generator, platform: str, impressions: np.ndarray,
               paid: np.ndarray) -> np.ndarray:
    """Spend of each post: impressions × CPM / 1,000 for paid posts, 0 for organic ones."""
    lo, hi = CPM_RANGE[platform]
    cpm = np.exp(rng.uniform(np.log(lo), np.log(hi), len(impressions)))
    return np.where(paid, np.round(np.asarray(impressions, float) * cpm / 1000.0, 2), 0.0)


def _pick(rng: np.random.Generator, times: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Index into ``times`` (sorted) of one of the latest posts at or before each ``at``."""
    last = np.searchsorted(times, at, side="right") - 1
    back = rng.integers(0, _LATEST, len(at))
    return np.clip(np.where(last >= 0, last - np.minimum(back, last), 0), 0, len(times) - 1)


def link_posts(rng: np.random.Generator, touch: pd.DataFrame, channel: np.ndarray,
               posts: pd.DataFrame) -> pd.DataFrame:
    """``touch`` with content / campaign / url / cost of its social rows taken from ``posts``.

    ``channel`` per row: 0 = Organic Social, 1 = Paid Social, anything else = not social.
    """
    out = touch.copy()
    platform = out["source"].astype(object).map(SOURCE_PLATFORM).fillna("").to_numpy(object)
    source = np.array(out["source"].astype(object).to_numpy(), dtype=object)
    for paid in (False, True):
        # a network the company does not post on (with this kind of post): its biggest one
        kind = posts.loc[posts["paid"] == paid, "platform"]
        if kind.empty:
            continue
        rows = (channel == int(paid)) & ~np.isin(platform, kind.unique())
        platform[rows] = source[rows] = kind.value_counts().index[0]
    out["source"] = pd_str(source)
    at = out["timestamp"].to_numpy("datetime64[ns]")
    post_row = np.full(len(out), -1)
    for plat in sorted(set(platform[np.isin(channel, (0, 1))]) - {""}):
        for paid in (False, True):
            rows = np.flatnonzero((platform == plat) & (channel == int(paid)))
            mine = posts.index[(posts["platform"] == plat) & (posts["paid"] == paid)].to_numpy()
            if not len(rows) or not len(mine):
                continue
            times = posts["published_at"].to_numpy("datetime64[ns]")[mine]
            post_row[rows] = mine[_pick(rng, times, at[rows])]
    hit = post_row >= 0
    if not hit.any():
        return out
    linked = posts.iloc[post_row[hit]]
    content = np.array(out["content"].astype(object).to_numpy(), dtype=object)
    content[hit] = linked["post_id"].to_numpy(object)
    out["content"] = pd_str(content)
    paid_hit = hit & (channel == 1)
    paid_posts = posts.iloc[post_row[paid_hit]]
    campaign = np.array(out["campaign"].astype(object).to_numpy(), dtype=object)
    campaign[paid_hit] = paid_posts["campaign"].fillna("always_on").to_numpy(object)
    out["campaign"] = pd_str(campaign)
    cost = out["cost"].to_numpy(float).copy()
    cpc = paid_posts["spend"].to_numpy(float) / np.maximum(paid_posts["clicks"].to_numpy(float), 1)
    cost[paid_hit] = np.round(cpc, 2)
    out["cost"] = cost
    url = pl.Series(out["url"].astype("str").to_numpy(object)[hit], dtype=pl.String)
    page = url.str.split("?").list.first()
    query = pl.select(pl.concat_str([
        page, pl.lit("?utm_source="), pl.Series(out["source"].astype("str").to_numpy(object)[hit]
                                               ).str.replace_all(" ", "%20"),
        pl.lit("&utm_medium="), pl.Series(out["medium"].astype("str").to_numpy(object)[hit]),
        pl.lit("&utm_campaign="), pl.Series(campaign[hit].astype(str)),
        pl.lit("&utm_content="), pl.Series(content[hit].astype(str))])).to_series()
    urls = np.array(out["url"].astype(object).to_numpy(), dtype=object)
    urls[hit] = query.to_numpy()
    out["url"] = pd_str(urls)
    return out
