"""Attribution: UTM parsing, GA4-style channel grouping, paths, rule-based, CRM milestone, Markov
and Shapley models.

Examples
--------
>>> import pandas as pd
>>> from roi_kit.attribution import attribute
>>> attribute(pd.DataFrame({"path": ["a > b"], "conversions": [1]}), model="last").credit("b")
1.0
"""

from __future__ import annotations

from roi_kit.attribution.api import MODEL_LABELS, as_paths, attribute
from roi_kit.attribution.channels import (
    CHANNEL_GROUPS,
    DEFAULT_CHANNEL_RULES,
    SEARCH_SOURCES,
    SOCIAL_SOURCES,
    VIDEO_SOURCES,
    ChannelRule,
    channel_group,
)
from roi_kit.attribution.compare import ModelComparison, compare_models
from roi_kit.attribution.crm import crm_milestones
from roi_kit.attribution.markov import markov, transition_matrix
from roi_kit.attribution.milestones import MILESTONE_WEIGHTS, MilestoneWeights
from roi_kit.attribution.paths import Paths, build_paths, read_paths
from roi_kit.attribution.result import SOCIAL_CHANNELS, AttributionResult
from roi_kit.attribution.shapley import shapley
from roi_kit.attribution.utm import SOURCE_ALIASES, parse_utm, tagging_report

__all__ = [
    "CHANNEL_GROUPS",
    "DEFAULT_CHANNEL_RULES",
    "MILESTONE_WEIGHTS",
    "MODEL_LABELS",
    "SEARCH_SOURCES",
    "SOCIAL_CHANNELS",
    "SOCIAL_SOURCES",
    "SOURCE_ALIASES",
    "VIDEO_SOURCES",
    "AttributionResult",
    "ChannelRule",
    "MilestoneWeights",
    "ModelComparison",
    "Paths",
    "as_paths",
    "attribute",
    "build_paths",
    "channel_group",
    "compare_models",
    "crm_milestones",
    "markov",
    "parse_utm",
    "read_paths",
    "shapley",
    "tagging_report",
    "transition_matrix",
]
