"""Which per-post metrics the content functions know, and how each is computed.

:data:`METRICS` maps every name of :data:`Metric` to its :class:`MetricSpec`: the numerator and
denominator columns, a scale (1000 for CPM), whether higher is better (top lists) and whether it is
defined only for paid posts with spend. Engagement follows the project-wide definition,
``engagements = likes + comments + shares + saves`` (:data:`ENGAGEMENT_PARTS`, shared with
:mod:`roi_kit.rates`). :func:`validate_metric` turns a name into its spec or a ``ConfigError``
listing the valid names.

Examples
--------
>>> METRICS["cpm"].scale, METRICS["cpm"].paid_only, METRICS["ctr"].is_rate
(1000.0, True, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from roi_kit.errors import ConfigError
from roi_kit.rate_definitions import ENGAGEMENT_PARTS

__all__ = ["ENGAGEMENT_PARTS", "METRICS", "Metric", "MetricSpec", "validate_metric"]

Metric = Literal[
    "engagement_rate_by_impressions", "engagement_rate_by_reach", "engagement_rate_by_followers",
    "ctr", "cost_per_engagement", "cost_per_click", "cpm", "engagements", "clicks", "reach",
    "impressions", "video_views", "conversions", "revenue", "intent_score",
]


@dataclass(frozen=True)
class MetricSpec:
    """How one metric is computed per post.

    ``numerator``/``denominator`` are column names (``denominator`` is None for plain counts);
    ``scale`` multiplies the ratio (1000 for CPM); ``higher_is_better`` orders top lists;
    ``paid_only`` restricts the metric to paid posts with spend; ``label`` is for charts.
    """

    name: str
    numerator: str
    denominator: str | None
    label: str
    higher_is_better: bool = True
    scale: float = 1.0
    paid_only: bool = False

    @property
    def is_rate(self) -> bool:
        """True for a ratio of a count to a count of opportunities (a binomial-like rate)."""
        return self.denominator is not None and not self.paid_only


METRICS: dict[str, MetricSpec] = {
    m.name: m
    for m in (
        MetricSpec("engagement_rate_by_impressions", "engagements", "impressions",
                   "engagement rate (by impressions)"),
        MetricSpec("engagement_rate_by_reach", "engagements", "reach", "engagement rate (by reach)"),
        MetricSpec("engagement_rate_by_followers", "engagements", "followers",
                   "engagement rate (by followers)"),
        MetricSpec("ctr", "clicks", "impressions", "click-through rate"),
        MetricSpec("cost_per_engagement", "spend", "engagements", "cost per engagement",
                   higher_is_better=False, paid_only=True),
        MetricSpec("cost_per_click", "spend", "clicks", "cost per click",
                   higher_is_better=False, paid_only=True),
        MetricSpec("cpm", "spend", "impressions", "cost per 1,000 impressions",
                   higher_is_better=False, scale=1000.0, paid_only=True),
        MetricSpec("engagements", "engagements", None, "engagements"),
        MetricSpec("clicks", "clicks", None, "clicks"),
        MetricSpec("reach", "reach", None, "reach"),
        MetricSpec("impressions", "impressions", None, "impressions"),
        MetricSpec("video_views", "video_views", None, "video views"),
        MetricSpec("conversions", "conversions", None, "conversions"),
        MetricSpec("revenue", "revenue", None, "revenue"),
        MetricSpec("intent_score", "intent_score", None, "intent score (actions weighted by depth)"),
    )
}
"""Every metric a content function can rank, map or model, by name."""


def validate_metric(metric: str, *, allowed: tuple[str, ...] | None = None) -> MetricSpec:
    """Return the :class:`MetricSpec` of ``metric`` or raise :class:`ConfigError` listing options.

    Examples
    --------
    >>> validate_metric("ctr").denominator
    'impressions'
    """
    names = allowed or tuple(METRICS)
    if metric not in names:
        raise ConfigError(
            f"metric={metric!r} is not one roi_kit knows here. Valid: {', '.join(names)}.",
            hint="pick one of the listed names, e.g. metric='engagement_rate_by_impressions'.",
        )
    return METRICS[metric]
