"""Social posts per platform with a planted best time slot, post-type effects and paid reach.

Engagement rate by reach (``(likes + comments + shares + saves) / reach``) is
``base(platform) × type effect × slot effect × noise``. The slot effect peaks at the planted
``best_post_slot`` (weekday, hour in UTC): a smooth daily cycle centred on the best hour, a bump on
the best weekday and an extra bump on the exact slot, so the best slot is unique. Paid posts reach
``paid_reach_multiplier`` times more people at the same engagement rate, for a spend of impressions ×
a platform CPM drawn from published ranges (:data:`~roi_kit.datasets.links.CPM_RANGE`). Follower
counts grow over the window.

Examples
--------
>>> import numpy as np
>>> from roi_kit.datasets.presets import PRESETS
>>> p = simulate_posts(np.random.default_rng(0), PRESETS["saas"], start="2024-01-01",
...                    window_days=364.0)
>>> set(p["platform"]) == set(PRESETS["saas"].posts_per_week), bool((p["reach"] >= 0).all())
(True, True)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from roi_kit.datasets.links import paid_spend
from roi_kit.datasets.presets import POST_TYPE_EFFECTS, Preset

__all__ = ["simulate_posts", "slot_effect"]

_BASE_ER = {"linkedin": 0.045, "x": 0.02, "youtube": 0.04, "facebook": 0.03, "instagram": 0.05,
            "tiktok": 0.07}
_REACH_RATE = {"linkedin": 0.12, "x": 0.06, "youtube": 0.35, "facebook": 0.07, "instagram": 0.22,
               "tiktok": 0.6}
_HOURS = np.array([7, 8, 9, 11, 12, 13, 15, 16, 17, 18, 19, 20])
_TOPICS = (
    "How we cut reporting time in half", "Three lessons from our customers this quarter",
    "New feature: dashboards your CFO will read", "Behind the scenes with the team",
    "What 2,000 customers taught us about retention", "Live Q&A this Thursday",
    "Our guide to measuring social ROI", "Customer story: from chaos to clarity",
    "Weekend picks from the new collection", "Made to last — the story of our fabrics",
    "Limited drop: only 200 pieces", "Care tips for your favourites",
)
_HASHTAGS = ("#marketing", "#socialmedia", "#ROI", "#B2B", "#analytics", "#growth", "#newin",
             "#sustainable", "#design", "#tips", "#café", "#behindthescenes")
_UNSAFE_TEXT = ('Launch day <script>alert("x")</script> & "quotes" <b>bold</b> =SUM(A1:A2) '
                "— check escaping #launch")


def slot_effect(weekday: np.ndarray, hour: np.ndarray, best: tuple[int, int]) -> np.ndarray:
    """Multiplicative engagement effect of posting at (weekday, hour) given the best slot."""
    w, h = best
    cyc = 0.35 * np.cos(2.0 * np.pi * (np.asarray(hour) - h) / 24.0)
    bump = 0.25 * (np.asarray(weekday) == w) + 0.2 * ((np.asarray(weekday) == w)
                                                      & (np.asarray(hour) == h))
    return np.asarray(np.exp(cyc + bump - 0.35))


def _captions(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    topic = np.asarray(_TOPICS, dtype=object)[rng.integers(0, len(_TOPICS), n)]
    k = rng.choice(5, size=n, p=(0.25, 0.3, 0.25, 0.15, 0.05))
    tags = np.asarray(_HASHTAGS, dtype=object)
    text = []
    for t, kk in zip(topic.tolist(), k.tolist()):
        chosen = rng.choice(len(tags), size=kk, replace=False)
        text.append(t + ("" if kk == 0 else " " + " ".join(tags[chosen].tolist())))
    out = np.asarray(text, dtype=object)
    if n:
        out[min(3, n - 1)] = _UNSAFE_TEXT
        k[min(3, n - 1)] = 1
    return out, k


def simulate_posts(rng: np.random.Generator, p: Preset, *, start: str,
                   window_days: float, paid_reach_multiplier: float | None = None) -> pd.DataFrame:
    """All posts of the company's accounts over the window (sorted by time, ids assigned)."""
    mult = p.paid_reach_multiplier if paid_reach_multiplier is None else paid_reach_multiplier
    t0 = pd.Timestamp(start)
    frames = []
    for plat, per_week in p.posts_per_week.items():
        n = int(rng.poisson(per_week * window_days / 7.0))
        day = np.floor(rng.random(n) * window_days)
        weekday = ((t0.day_of_week + day) % 7).astype(int)
        hour = rng.choice(_HOURS, size=n)
        best_w, best_h = p.best_post_slot[plat]
        at_best = rng.random(n) < 0.12
        day = np.where(at_best, day - ((weekday - best_w) % 7), day)
        day = np.where(day < 0, day + 7, day)
        weekday = ((t0.day_of_week + day) % 7).astype(int)
        hour = np.where(at_best, best_h, hour)
        minute = rng.integers(0, 60, n)
        types = p.post_types[plat]
        ptype = np.asarray(types, dtype=object)[rng.integers(0, len(types), n)]
        type_eff = np.array([POST_TYPE_EFFECTS[t] for t in ptype.tolist()])
        paid = (rng.random(n) < (0.0 if plat == "youtube" else 0.15))
        growth = 1.0 + 0.8 * day / window_days
        followers = np.round(p.base_followers[plat] * growth * np.exp(0.01 * rng.standard_normal(n)))
        raw_reach = followers * _REACH_RATE[plat] * np.exp(0.4 * rng.standard_normal(n))
        reach = np.round(np.where(paid, raw_reach * mult, raw_reach)).astype(np.int64)
        impressions = np.round(reach * (1.2 + 0.5 * rng.random(n))).astype(np.int64)
        er = _BASE_ER[plat] * type_eff * slot_effect(weekday, hour, (best_w, best_h))
        er = np.clip(er * np.exp(0.25 * rng.standard_normal(n)), 0.0, 0.9)
        engagements = rng.binomial(reach, er)
        split = rng.multinomial(engagements, [0.7, 0.1, 0.12, 0.08])
        ctr = np.where(ptype == "link", 0.02, 0.008)
        clicks = rng.binomial(impressions, ctr)
        is_video = np.isin(ptype, ["video", "reel"])
        views = np.where(is_video, np.round(reach * (0.3 + 0.4 * rng.random(n))), np.nan)
        spend = paid_spend(rng, plat, impressions, paid)
        campaign = np.where(paid, np.asarray(["always_on", "spring_launch", "black_friday",
                                              "retargeting"], dtype=object)[rng.integers(0, 4, n)],
                            np.array(None, dtype=object))
        published = (t0 + pd.to_timedelta(day, unit="D") + pd.to_timedelta(hour, unit="h")
                      + pd.to_timedelta(minute, unit="min"))
        frames.append(pd.DataFrame({
            "platform": plat, "published_at": published, "type": ptype, "paid": paid,
            "spend": spend, "reach": reach, "impressions": impressions,
            "likes": split[:, 0], "comments": split[:, 1], "shares": split[:, 2],
            "saves": split[:, 3], "clicks": clicks, "video_views": views,
            "followers": followers.astype(np.int64), "campaign": campaign,
        }))
    posts = pd.concat(frames, ignore_index=True).sort_values(
        ["published_at", "platform"], kind="stable").reset_index(drop=True)
    text, hashtags = _captions(rng, len(posts))
    posts.insert(0, "post_id", [f"post-{i:05d}" for i in range(1, len(posts) + 1)])
    posts.insert(4, "text", text)
    posts["hashtags"] = hashtags.astype(np.int64)
    posts["video_views"] = posts["video_views"].astype("Int64")
    posts["published_at"] = posts["published_at"].astype("datetime64[ns]")
    return posts
