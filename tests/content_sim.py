"""A small planted-effect simulator of social posts for the content tests (independent of
roi_kit.datasets): known best slot per platform, type effects and paid reach multiplier."""

from __future__ import annotations

import numpy as np
import pandas as pd

BEST = {"linkedin": (1, 9), "instagram": (4, 18)}
TYPE_EFFECTS = {"image": 1.0, "video": 1.5, "text": 0.7}
BASE = {"linkedin": 0.04, "instagram": 0.06}
PAID_REACH = 3.0


def simulate(seed: int = 0, n_per_platform: int = 1500, *, best_boost: float = 1.8,
             post_sd: float = 0.25) -> pd.DataFrame:
    """Posts over 2024 with engagement by impressions = base × type × slot × lognormal noise."""
    rng = np.random.default_rng(seed)
    frames = []
    for plat, (bw, bh) in BEST.items():
        n = n_per_platform
        day = rng.integers(0, 364, n)
        start = pd.Timestamp("2024-01-01")  # a Monday
        hour = rng.integers(6, 22, n)
        at_best = rng.random(n) < 0.05
        day = np.where(at_best, (day // 7) * 7 + bw, day)
        hour = np.where(at_best, bh, hour)
        weekday = day % 7
        ptype = rng.choice(list(TYPE_EFFECTS), size=n)
        paid = rng.random(n) < 0.2
        reach = np.round(2000 * np.exp(0.5 * rng.standard_normal(n)) * np.where(paid, PAID_REACH, 1.0))
        impressions = np.round(reach * 1.3).astype(np.int64)
        slot = np.where((weekday == bw) & (hour == bh), best_boost, 1.0)
        rate = BASE[plat] * np.array([TYPE_EFFECTS[t] for t in ptype]) * slot
        rate = np.clip(rate * np.exp(post_sd * rng.standard_normal(n) - post_sd**2 / 2), 0, 0.9)
        eng = rng.binomial(impressions, rate)
        likes = rng.binomial(eng, 0.7)
        comments = rng.binomial(eng - likes, 0.5)
        shares = eng - likes - comments
        published = start + pd.to_timedelta(day, unit="D") + pd.to_timedelta(hour, unit="h") \
            + pd.to_timedelta(rng.integers(0, 60, n), unit="min")
        frames.append(pd.DataFrame({
            "platform": plat, "published_at": published, "type": ptype, "paid": paid,
            "spend": np.where(paid, 200.0, 0.0), "reach": reach.astype(np.int64),
            "impressions": impressions, "likes": likes, "comments": comments, "shares": shares,
            "saves": 0, "clicks": rng.binomial(impressions, 0.01),
            "text": ["Post #tag " * int(k) for k in rng.integers(1, 4, n)],
        }))
    posts = pd.concat(frames, ignore_index=True)
    posts.insert(0, "post_id", [f"p{i}" for i in range(len(posts))])
    return posts
