"""roi_kit — prove what social media is worth in money.

Load your exports, compare followers with non-followers, attribute revenue to channels, and turn
it all into ROI a CFO can check::

    import roi_kit as rk
    deals, report = rk.load_deals("deals.csv")
    result = rk.roi(revenue=120_000, cost=80_000)
    print(result.summary())

Every public name below is documented with an example; results have ``summary()``,
``to_frame()`` and ``chart()``.
"""

from __future__ import annotations

from roi_kit import datasets
from roi_kit.errors import (
    ConfigError,
    EmptyDataError,
    InputError,
    MissingColumnError,
    RoiKitError,
    UnsupportedFormatError,
    UnsupportedFrameError,
)

__version__ = "0.1.0"

# --- io (loaders) -----------------------------------------------------------------------------
from roi_kit.io import (
    Loaded,
    LoadReport,
    load,
    load_audience,
    load_costs,
    load_customers,
    load_deals,
    load_funnel_events,
    load_goals,
    load_posts,
    load_service_interactions,
    load_touchpoints,
)
# --- costs and roi ----------------------------------------------------------------------------
from roi_kit.costs import CostLedger, cost_ledger
from roi_kit.ppc import EXAMPLE_CPC, PpcValue, ppc_value
from roi_kit.roi import RoiResult, roi
from roi_kit.roi_by import RoiByResult, roi_by
# --- rates ------------------------------------------------------------------------------------
from roi_kit.rates import RatesResult, rates
# --- funnel -----------------------------------------------------------------------------------
from roi_kit.funnel import FunnelResult, funnel
from roi_kit.funnel_presets import FUNNEL_PRESETS, FunnelPreset, FunnelStage
# --- goals ------------------------------------------------------------------------------------
from roi_kit.goals import GoalProgress, goal_progress
from roi_kit.reconcile import DataHealth, data_health
from roi_kit.deal_customers import DealCustomers, customers_from_deals
# --- segments and retention -------------------------------------------------------------------
from roi_kit.followers import (
    BalanceTable,
    FollowerDefinition,
    MatchReport,
    GroupComparison,
    Population,
    RetentionResult,
    SegmentComparison,
    Segments,
    ValueOfSocial,
    balance_table,
    compare_groups,
    compare_segments,
    define_followers,
    fit_propensity,
    match_audience,
    prepare_population,
    retention_curves,
    value_of_social,
)
# --- social customer care -------------------------------------------------------------------
from roi_kit.service import ServiceMetrics, ServiceRetention, service_metrics, service_retention
# --- attribution ------------------------------------------------------------------------------
from roi_kit.attribution import (
    AttributionResult,
    ChannelRule,
    MilestoneWeights,
    ModelComparison,
    attribute,
    build_paths,
    channel_group,
    compare_models,
    crm_milestones,
    parse_utm,
    read_paths,
    tagging_report,
)
# --- incrementality (lift tests) -------------------------------------------------------------
from roi_kit import incrementality
from roi_kit.incrementality import LiftPlan, LiftResult, lift_test, plan_lift_test
# --- content ----------------------------------------------------------------------------------
from roi_kit.content import (
    AudienceBreakdown,
    BestTime,
    Boosting,
    Drivers,
    EarnedReach,
    FollowerGrowth,
    IntentLadder,
    IntentWeights,
    PostMetrics,
    TopPosts,
    audience_breakdown,
    best_time_to_post,
    boosting_effect,
    earned_reach,
    engagement_drivers,
    follower_growth,
    intent_ladder,
    post_metrics,
    top_posts,
)

__all__ = [
    "EXAMPLE_CPC",
    "FUNNEL_PRESETS",
    "AttributionResult",
    "AudienceBreakdown",
    "BalanceTable",
    "BestTime",
    "Boosting",
    "ChannelRule",
    "ConfigError",
    "CostLedger",
    "DataHealth",
    "DealCustomers",
    "Drivers",
    "EarnedReach",
    "EmptyDataError",
    "FollowerDefinition",
    "FollowerGrowth",
    "FunnelPreset",
    "FunnelResult",
    "FunnelStage",
    "GoalProgress",
    "GroupComparison",
    "InputError",
    "IntentLadder",
    "IntentWeights",
    "LiftPlan",
    "LiftResult",
    "LoadReport",
    "Loaded",
    "MatchReport",
    "MilestoneWeights",
    "MissingColumnError",
    "ModelComparison",
    "Population",
    "PostMetrics",
    "PpcValue",
    "RatesResult",
    "RetentionResult",
    "RoiByResult",
    "RoiKitError",
    "RoiResult",
    "SegmentComparison",
    "Segments",
    "ServiceMetrics",
    "ServiceRetention",
    "TopPosts",
    "UnsupportedFormatError",
    "UnsupportedFrameError",
    "ValueOfSocial",
    "attribute",
    "audience_breakdown",
    "balance_table",
    "best_time_to_post",
    "boosting_effect",
    "build_paths",
    "channel_group",
    "compare_groups",
    "compare_models",
    "compare_segments",
    "cost_ledger",
    "crm_milestones",
    "customers_from_deals",
    "data_health",
    "datasets",
    "define_followers",
    "earned_reach",
    "engagement_drivers",
    "fit_propensity",
    "follower_growth",
    "funnel",
    "goal_progress",
    "incrementality",
    "intent_ladder",
    "lift_test",
    "load",
    "load_audience",
    "load_costs",
    "load_customers",
    "load_deals",
    "load_funnel_events",
    "load_goals",
    "load_posts",
    "load_service_interactions",
    "load_touchpoints",
    "match_audience",
    "parse_utm",
    "plan_lift_test",
    "post_metrics",
    "ppc_value",
    "prepare_population",
    "rates",
    "read_paths",
    "retention_curves",
    "roi",
    "roi_by",
    "service_metrics",
    "service_retention",
    "tagging_report",
    "top_posts",
    "value_of_social",
]
