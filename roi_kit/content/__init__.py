"""Content performance: per-post metrics, top posts, best time to post, drivers of engagement,
paid boosting, earned vs paid reach, audience growth and the intent ladder (engagements weighted
by depth of intent).

Every function takes the canonical posts table (``roi_kit.schema.TABLES["posts"]``) in any engine
narwhals supports and returns a result with ``summary()``, ``to_frame()`` and ``chart()``.
Engagements are ``likes + comments + shares + saves``; rates are named after their denominator.

Examples
--------
>>> import pandas as pd
>>> import roi_kit as rk
>>> posts = pd.DataFrame({"post_id": ["a", "b"], "platform": ["x", "x"],
...     "published_at": pd.to_datetime(["2024-01-01 09:00", "2024-01-02 10:00"]),
...     "likes": [30, 5], "impressions": [1000, 1000]})
>>> rk.top_posts(posts, n=1).top["post_id"].tolist()
['a']
"""

from __future__ import annotations

from roi_kit.content._metric_specs import ENGAGEMENT_PARTS, METRICS, Metric, MetricSpec
from roi_kit.content.audience import AudienceBreakdown, audience_breakdown
from roi_kit.content.boosting import Boosting, boosting_effect
from roi_kit.content.drivers import Drivers, engagement_drivers
from roi_kit.content.earned import EarnedReach, earned_reach
from roi_kit.content.growth import FollowerGrowth, follower_growth
from roi_kit.content.intent import IntentLadder, IntentWeights, intent_ladder
from roi_kit.content.metrics import PostMetrics, post_metrics
from roi_kit.content.timing import BestTime, best_time_to_post
from roi_kit.content.top import TopPosts, top_posts

__all__ = [
    "ENGAGEMENT_PARTS",
    "METRICS",
    "AudienceBreakdown",
    "BestTime",
    "Boosting",
    "Drivers",
    "EarnedReach",
    "FollowerGrowth",
    "IntentLadder",
    "IntentWeights",
    "Metric",
    "MetricSpec",
    "PostMetrics",
    "TopPosts",
    "audience_breakdown",
    "best_time_to_post",
    "boosting_effect",
    "earned_reach",
    "engagement_drivers",
    "follower_growth",
    "intent_ladder",
    "post_metrics",
    "top_posts",
]
