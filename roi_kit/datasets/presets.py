"""Parameters of the two fictional businesses (a B2B SaaS and a DTC shop).

Every planted effect and every nuisance parameter lives here, so the simulation modules stay free
of magic numbers and the documentation can quote them.

Examples
--------
>>> PRESETS["saas"].churn_hazard_ratio < 1 < PRESETS["saas"].upsell_rate_ratio
True
>>> sorted(PRESETS)
['dtc', 'saas']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ["CARE", "PRESETS", "Business", "CarePlan", "Preset"]

Business = Literal["saas", "dtc"]

SIZES: tuple[str, ...] = ("small", "mid", "large")
REGIONS: tuple[str, ...] = ("EMEA", "North America", "APAC", "LATAM")


@dataclass(frozen=True)
class Preset:
    """All simulation parameters of one business type."""

    business: str
    company: str
    domain: str
    # covariates -------------------------------------------------------------------------------
    size_p: tuple[float, float, float]
    industries: tuple[str, ...]
    industry_p: tuple[float, ...]
    region_p: tuple[float, float, float, float]
    # churn: piecewise-exponential baseline hazard per day, breakpoints in days ------------------
    hazard_breaks: tuple[float, ...]
    hazard_rates: tuple[float, ...]
    size_log_hr: tuple[float, float, float]
    industry_log_hr: tuple[float, ...]
    region_log_hr: tuple[float, float, float, float]
    # follower process ---------------------------------------------------------------------------
    follow_intercept: float
    follow_size: tuple[float, float, float]
    follow_industry: tuple[float, ...]
    follow_region: tuple[float, float, float, float]
    pre_deal_follow_share: float
    platforms: tuple[str, ...]
    platform_p: tuple[float, ...]
    # planted effects -----------------------------------------------------------------------------
    churn_hazard_ratio: float
    upsell_rate_ratio: float
    deal_size_ratio: float
    close_time_ratio: float
    paid_reach_multiplier: float
    prospect_win_odds_ratio: float     # odds of a lead being won, follower vs not, per covariate cell
    # deals ---------------------------------------------------------------------------------------
    amount_median: float
    amount_size_mult: tuple[float, float, float]
    amount_sigma: float
    close_median_days: float
    close_size_mult: tuple[float, float, float]
    close_sigma: float
    win_rate: float
    upsell_rate_per_year: float
    upsell_size_log: tuple[float, float, float]
    upsell_amount_share: float
    lost_upsell_share: float
    renewals: bool
    # funnel --------------------------------------------------------------------------------------
    funnel_events: tuple[str, ...]
    funnel_step_p: tuple[float, ...]
    funnel_gap_days: tuple[float, ...]
    # posts ---------------------------------------------------------------------------------------
    posts_per_week: dict[str, float] = field(default_factory=dict)
    post_types: dict[str, tuple[str, ...]] = field(default_factory=dict)
    best_post_slot: dict[str, tuple[int, int]] = field(default_factory=dict)
    base_followers: dict[str, int] = field(default_factory=dict)
    staff_hours_month: float = 120.0
    staff_rate: float = 48.0


POST_TYPE_EFFECTS: dict[str, float] = {
    "image": 1.0, "video": 1.35, "carousel": 1.2, "text": 0.75, "link": 0.65, "reel": 1.6,
    "story": 0.9, "document": 1.15,
}
"""Multiplicative engagement-rate effect per post type (image is the reference)."""

PRESETS: dict[str, Preset] = {
    "saas": Preset(
        business="saas", company="Northwind Analytics", domain="northwind-analytics.com",
        size_p=(0.55, 0.32, 0.13),
        industries=("software", "finance", "retail", "healthcare", "manufacturing", "education"),
        industry_p=(0.28, 0.16, 0.16, 0.14, 0.14, 0.12),
        region_p=(0.42, 0.33, 0.15, 0.10),
        hazard_breaks=(0.0, 90.0, 365.0), hazard_rates=(0.0016, 0.0011, 0.0007),
        size_log_hr=(0.0, -0.5, -1.1),
        industry_log_hr=(-0.1, -0.05, 0.15, 0.0, 0.05, 0.2),
        region_log_hr=(0.0, -0.1, 0.1, 0.2),
        follow_intercept=-0.7, follow_size=(-0.9, 0.2, 1.5),
        follow_industry=(0.3, 0.0, -0.1, -0.1, -0.2, 0.1), follow_region=(0.0, 0.15, -0.15, 0.1),
        pre_deal_follow_share=0.35,
        platforms=("linkedin", "x", "youtube", "facebook", "instagram"),
        platform_p=(0.5, 0.18, 0.12, 0.1, 0.1),
        churn_hazard_ratio=0.65, upsell_rate_ratio=1.5, deal_size_ratio=1.25,
        close_time_ratio=0.8, paid_reach_multiplier=3.0, prospect_win_odds_ratio=2.0,
        amount_median=6_000.0, amount_size_mult=(1.0, 3.0, 9.0), amount_sigma=0.45,
        close_median_days=38.0, close_size_mult=(1.0, 0.8, 0.6), close_sigma=0.5,
        win_rate=0.4, upsell_rate_per_year=0.45, upsell_size_log=(0.0, 0.25, 0.5),
        upsell_amount_share=0.35, lost_upsell_share=0.4, renewals=True,
        funnel_events=("visit", "lead", "mql", "sql", "demo", "trial", "won"),
        funnel_step_p=(0.45, 0.9, 0.9, 0.9, 0.9, 0.9),
        funnel_gap_days=(2.0, 4.0, 6.0, 5.0, 7.0, 14.0),
        posts_per_week={"linkedin": 4.0, "x": 5.0, "youtube": 0.7, "facebook": 2.0, "instagram": 2.0},
        post_types={
            "linkedin": ("image", "text", "document", "video", "link"),
            "x": ("text", "image", "link", "video"),
            "youtube": ("video",),
            "facebook": ("image", "link", "video"),
            "instagram": ("image", "carousel", "reel"),
        },
        best_post_slot={"linkedin": (1, 9), "x": (2, 15), "youtube": (3, 17), "facebook": (2, 11),
                        "instagram": (4, 12)},
        base_followers={"linkedin": 6_000, "x": 3_500, "youtube": 1_200, "facebook": 2_000,
                        "instagram": 1_500},
        staff_hours_month=120.0, staff_rate=48.0,
    ),
    "dtc": Preset(
        business="dtc", company="Fjord & Fern", domain="fjordandfern.shop",
        size_p=(0.6, 0.3, 0.1),
        industries=("home", "fashion", "beauty", "outdoor", "gifts"),
        industry_p=(0.3, 0.25, 0.2, 0.15, 0.1),
        region_p=(0.5, 0.3, 0.12, 0.08),
        hazard_breaks=(0.0, 60.0, 240.0), hazard_rates=(0.0035, 0.0022, 0.0014),
        size_log_hr=(0.0, -0.45, -1.0),
        industry_log_hr=(0.0, 0.1, -0.05, -0.1, 0.15),
        region_log_hr=(0.0, -0.05, 0.1, 0.15),
        follow_intercept=-0.45, follow_size=(-0.8, 0.2, 1.4),
        follow_industry=(0.0, 0.25, 0.3, -0.1, -0.2), follow_region=(0.0, 0.1, 0.2, 0.1),
        pre_deal_follow_share=0.45,
        platforms=("instagram", "tiktok", "facebook", "youtube", "x", "linkedin"),
        platform_p=(0.38, 0.25, 0.2, 0.09, 0.04, 0.04),
        churn_hazard_ratio=0.7, upsell_rate_ratio=1.4, deal_size_ratio=1.15,
        close_time_ratio=0.75, paid_reach_multiplier=4.0, prospect_win_odds_ratio=1.8,
        amount_median=65.0, amount_size_mult=(1.0, 1.8, 3.5), amount_sigma=0.4,
        close_median_days=2.5, close_size_mult=(1.0, 0.85, 0.7), close_sigma=0.7,
        win_rate=0.6, upsell_rate_per_year=1.5, upsell_size_log=(0.0, 0.3, 0.6),
        upsell_amount_share=0.9, lost_upsell_share=0.25, renewals=False,
        funnel_events=("session", "product_view", "add_to_cart", "checkout", "order"),
        funnel_step_p=(0.5, 0.75, 0.8, 0.85),
        funnel_gap_days=(0.01, 0.3, 0.05, 0.02),
        posts_per_week={"instagram": 6.0, "tiktok": 5.0, "facebook": 3.0, "youtube": 0.5,
                        "x": 1.0, "linkedin": 0.5},
        post_types={
            "instagram": ("image", "carousel", "reel", "story"),
            "tiktok": ("video",),
            "facebook": ("image", "video", "link"),
            "youtube": ("video",),
            "x": ("text", "image"),
            "linkedin": ("image", "text"),
        },
        best_post_slot={"instagram": (6, 18), "tiktok": (4, 20), "facebook": (5, 19),
                        "youtube": (6, 16), "x": (0, 12), "linkedin": (2, 8)},
        base_followers={"instagram": 15_000, "tiktok": 9_000, "facebook": 7_000, "youtube": 1_500,
                        "x": 800, "linkedin": 400},
        staff_hours_month=140.0, staff_rate=38.0,
    ),
}


@dataclass(frozen=True)
class CarePlan:
    """Social customer care of one business (``roi_kit.datasets.care``).

    The planted association: a complaining customer who will still be a customer
    ``stay_days`` after the service landmark is resolved with probability ``p_resolve_stay``, one
    who will not with ``p_resolve_leave`` (resolution is drawn from the customer's latent future,
    because the customers table is fixed before the cases are drawn: association, not cause).
    ``cost_per_case`` is an explicit assumption (currency units per case), not a measurement.
    """

    p_complain: float
    anonymous_share: float
    p_answer: float
    response_median_h: float
    response_sigma: float
    p_resolve_stay: float
    p_resolve_leave: float
    p_resolve_anonymous: float
    fix_median_h: float
    fix_sigma: float
    replaced_channels: tuple[str, ...]
    replaced_p: tuple[float, ...]
    cost_per_case: dict[str, float]
    stay_days: int = 365
    landmark_days: int = 7


CARE: dict[str, CarePlan] = {
    "saas": CarePlan(
        p_complain=0.4, anonymous_share=0.3, p_answer=0.92, response_median_h=1.5,
        response_sigma=1.1, p_resolve_stay=0.9, p_resolve_leave=0.55, p_resolve_anonymous=0.75,
        fix_median_h=9.0, fix_sigma=0.8, replaced_channels=("phone", "email", ""),
        replaced_p=(0.45, 0.4, 0.15),
        cost_per_case={"social": 1.5, "phone": 6.5, "email": 3.2},
    ),
    "dtc": CarePlan(
        p_complain=0.35, anonymous_share=0.5, p_answer=0.88, response_median_h=3.0,
        response_sigma=1.0, p_resolve_stay=0.9, p_resolve_leave=0.5, p_resolve_anonymous=0.7,
        fix_median_h=6.0, fix_sigma=0.9, replaced_channels=("email", "phone", "chat", ""),
        replaced_p=(0.45, 0.2, 0.15, 0.2),
        cost_per_case={"social": 1.2, "phone": 5.8, "email": 2.9, "chat": 3.6},
    ),
}
"""Customer-care plans; the cost per case is the sample's typed-in assumption (see docs)."""
