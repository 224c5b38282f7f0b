"""Shared building blocks of the content package, kept importable from one place.

They live in modules of one question each: which metrics exist and how each is computed
(:mod:`~roi_kit.content._metric_specs`), preparing posts with their per-post metrics
(:mod:`~roi_kit.content._posts`) and local-time slots from UTC timestamps
(:mod:`~roi_kit.content._slots`). This module re-exports them for code and tests that import ``roi_kit.content._frame``.

Examples
--------
>>> finite_or_none(float("nan")) is None, finite_or_none(2)
(True, 2.0)
"""

from __future__ import annotations

import math

from roi_kit.content._metric_specs import (
    ENGAGEMENT_PARTS,
    METRICS,
    Metric,
    MetricSpec,
    validate_metric,
)
from roi_kit.content._posts import PreparedPosts, prepare_posts, require_metric
from roi_kit.content._slots import (
    HOUR_BANDS,
    WEEKDAYS,
    hour_band,
    local_time_parts,
    slot_sums,
    validate_tz,
)

__all__ = [
    "ENGAGEMENT_PARTS",
    "HOUR_BANDS",
    "METRICS",
    "WEEKDAYS",
    "Metric",
    "MetricSpec",
    "PreparedPosts",
    "finite_or_none",
    "hour_band",
    "local_time_parts",
    "prepare_posts",
    "require_metric",
    "slot_sums",
    "validate_metric",
    "validate_tz",
]


def finite_or_none(x: float) -> float | None:
    """``x`` as a float, or None when it is NaN/inf (so nothing prints ``nan``)."""
    return float(x) if x is not None and math.isfinite(float(x)) else None
