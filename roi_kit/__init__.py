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

from typing import TYPE_CHECKING

from roi_kit._lazy import attach as _attach
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

# Every public name, imported when first used (roi_kit/_lazy.py reads this block): `import roi_kit`
# stays fast, and type checkers see the names. Add new names here, nowhere else.
if TYPE_CHECKING:
    from roi_kit import datasets

    # --- io (loaders) -----------------------------------------------------------------------------
    from roi_kit.io import (
        Loaded,
        LoadReport,
        load,
        load_ad_performance,
        load_audience,
        load_costs,
        load_customers,
        load_deals,
        load_funnel_events,
        load_goals,
        load_posts,
        load_service_interactions,
        load_touchpoints,
        load_traffic,
    )
    from roi_kit.deal_customers import DealCustomers, customers_from_deals
    # --- costs and roi ----------------------------------------------------------------------------
    from roi_kit.costs import CostLedger, cost_ledger
    from roi_kit.ppc import EXAMPLE_CPC, PpcValue, ppc_value
    from roi_kit.roi import RoiResult, roi
    from roi_kit.roi_by import RoiByResult, roi_by
    # --- rates ------------------------------------------------------------------------------------
    from roi_kit.rates import RatesResult, rates
    from roi_kit.traffic_share import SocialShareResult, social_share
    # --- funnel -----------------------------------------------------------------------------------
    from roi_kit.funnel import FunnelResult, funnel
    from roi_kit.funnel_presets import FUNNEL_PRESETS, FunnelPreset, FunnelStage
    # --- goals ------------------------------------------------------------------------------------
    from roi_kit.goals import GoalProgress, goal_progress
    from roi_kit.reconcile import DataHealth, data_health
    from roi_kit.kpi import ScorecardResult, ScorecardRow, scorecard
    # --- segments and retention -------------------------------------------------------------------
    from roi_kit.followers import (
        BalanceTable,
        FollowerDefinition,
        GroupComparison,
        LifetimeValue,
        MatchReport,
        Population,
        ProspectComparison,
        RetentionResult,
        SegmentComparison,
        Segments,
        ValueOfSocial,
        balance_table,
        compare_groups,
        compare_prospects,
        compare_segments,
        customer_lifetime_value,
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
    # --- incrementality (lift tests, MMM) ---------------------------------------------------------
    from roi_kit import incrementality
    from roi_kit.incrementality import (
        LiftMeasurement,
        LiftPlan,
        LiftResult,
        MmmResult,
        fit_mmm,
        lift_test,
        plan_lift_test,
    )
    # --- scale: SQL warehouse ---------------------------------------------------------------------
    from roi_kit.warehouse import warehouse_table
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

__getattr__, __dir__, __all__ = _attach(__name__, __file__, namespace=globals())
