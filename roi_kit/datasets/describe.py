"""Column documentation of the sample tables, and the README written next to each sample.

Examples
--------
>>> "customer_id" in COLUMN_DOCS["customers"]
True
>>> from roi_kit.datasets.generate import generate
>>> text = sample_readme(generate(seed=0, n_customers=200), command="python -m ...")
>>> text.startswith("# Sample data: saas")
True
"""

from __future__ import annotations

from roi_kit.datasets.sampledata import TABLE_NAMES, SampleData
from roi_kit.datasets.truth import Truth

__all__ = ["COLUMN_DOCS", "TABLE_DOCS", "sample_readme", "truth_lines"]

TABLE_DOCS: dict[str, str] = {
    "customers": "one row per customer (account); covariates confound following and churn.",
    "social_audience": "one row per follower and platform, matched by id, e-mail or handle.",
    "deals": "new (won/lost/open), upsell (won/lost/open) and renewal (saas) deals.",
    "touchpoints": "one row per marketing touch of a journey from the known Markov chain.",
    "posts": "one row per published post (organic and paid) of the company's accounts.",
    "costs": "the social media cost ledger (staff, management, tools, ads, agency, service, "
             "training, other).",
    "funnel_events": "one row per user and funnel step reached.",
    "goals": "SMART goals per quarter, set from the previous quarter's actuals.",
    "service_interactions": "one row per social customer-care case (customers and anonymous "
                            "people); resolved complainers stay longer (planted).",
}

COLUMN_DOCS: dict[str, dict[str, str]] = {
    "customers": {
        "customer_id": "C + 7 digits; unique.",
        "name": "company name (saas) or person name (dtc); accented characters on purpose.",
        "email": "unique e-mail (ASCII-folded name + number).",
        "handle": "social handle `@first_last<number>`.",
        "acquired_at": "won the first (new) deal, naive UTC.",
        "churned_at": "churn time, NaT while still active (right-censored at observed_until).",
        "observed_until": "end of the window (data extraction) for every customer.",
        "plan": "saas: Starter / Growth / Enterprise by contract value; dtc: one-off / subscribe & save.",
        "mrr": "saas: monthly recurring revenue = new-deal amount / 12; dtc: expected monthly "
               "revenue = first order × (1 + repeat orders per year) / 12.",
        "arr": "saas only: mrr × 12.",
        "contact": "saas only: the contact person.",
        "employees": "saas only: head count (float), consistent with company_size.",
        "company_size": "small / mid / large (dtc: spend tier). Large accounts follow more, churn "
                        "less, buy bigger and close faster (the confounder).",
        "industry": "industry (dtc: favourite category); mild effect on churn and following.",
        "region": "EMEA / North America / APAC / LATAM; mild effect on churn and following.",
        "acquisition_channel": "GA4 channel group of the first touch of the converting journey "
                               "(drawn from the journey start probabilities when there is none).",
    },
    "social_audience": {
        "customer_id": "C… on most customers' rows (empty when the row matches only by e-mail or "
                       "handle); P… (the lead id) on every prospect's row.",
        "email": "only on e-mail-matched rows and most prospects' rows; case and whitespace vary.",
        "handle": "on id-matched rows and handle-only rows (sometimes upper case).",
        "platform": "linkedin, x, youtube, facebook, instagram, tiktok (mix depends on business).",
        "followed_at": "first follow on that platform; never later than 60 days after acquisition "
                       "(pre-deal followers follow before their deal was created).",
        "engagements": "number of engagements since following.",
        "last_engaged_at": "last engagement (NaT when engagements = 0).",
    },
    "deals": {
        "deal_id": "D + 7 digits, in order of created_at; unique.",
        "customer_id": "C… for customers, P… for prospects who never became customers.",
        "created_at": "deal created.",
        "closed_at": "won/lost time; NaT for open deals.",
        "amount": "deal amount (currency units).",
        "status": "won / lost / open.",
        "kind": "new / upsell / renewal (saas only).",
        "source": "new deals: the customer's acquisition channel; otherwise 'account management'.",
    },
    "touchpoints": {
        "user_id": "customer_id for converting journeys given to customers, else u + 7 digits.",
        "timestamp": "touch time; increasing within a journey.",
        "source": "utm_source / referrer, incl. deliberate mistakes ('Facebook ', 'fb', "
                  "'m.facebook.com', 'LinkedIn').",
        "medium": "utm_medium ('(none)' for direct, 'organic' for search, 'E-mail' mistake ...).",
        "campaign": "utm_campaign; '(organic)', '(direct)', '(referral)' for untagged traffic.",
        "content": "utm_content: the post_id of the post behind every social touch; an ad "
                   "variant for other tagged rows; empty for untagged rows.",
        "term": "paid search keyword, '(not provided)' for organic search.",
        "url": "landing page; with utm_* parameters for tagged channels.",
        "cost": "click cost: the linked post's CPC for Paid Social, a CPC for Paid Search / "
                "Display / Video; affiliate commission on converting affiliate touches; 0 otherwise.",
        "converted": "True on the last touch of a converting journey.",
        "conversion_value": "the customer's won new-deal amount on the converting touch (every "
                            "converting journey is a customer's).",
    },
    "posts": {
        "post_id": "post- + 5 digits in order of publication.",
        "platform": "the account's platform.",
        "published_at": "UTC publication time.",
        "type": "image (reference), video, carousel, text, link, reel, story, document.",
        "text": "caption; one contains <script> and formula characters to test escaping.",
        "paid": "boosted / promoted post.",
        "spend": "ad spend of paid posts = impressions × the platform's CPM / 1,000 (0 for "
                 "organic).",
        "reach": "unique accounts reached (× paid_reach_multiplier when paid).",
        "impressions": "views, ≥ reach.",
        "likes": "", "comments": "", "shares": "", "saves": "",
        "clicks": "link clicks.",
        "video_views": "video and reel posts only.",
        "followers": "follower count of the account when published (grows over time).",
        "campaign": "campaign of paid posts.",
        "hashtags": "number of hashtags in text.",
    },
    "costs": {
        "date": "booking date.",
        "category": "staff, management, tools, ads, agency, service, training, other.",
        "amount": "cost (hours × rate for staff and management).",
        "hours": "staff and management only.",
        "rate": "hourly rate, staff and management only.",
        "platform": "ads only.",
        "campaign": "ads only.",
        "note": "what the line is.",
    },
    "funnel_events": {
        "user_id": "customer_id for users who reached the last step (exactly the won new deals), "
                   "else v + 7 digits.",
        "timestamp": "time of the step; increasing along the funnel.",
        "event": "saas: visit, lead, mql, sql, demo, trial, won; dtc: session, product_view, "
                 "add_to_cart, checkout, order.",
        "channel": "GA4 channel group the user came from.",
        "platform": "social platform for social channels.",
        "paid": "paid channel (Paid Social, Paid Search, Display, Video).",
        "value": "deal / order amount on the last step.",
    },
    "goals": {
        "metric": "reach, followers, engagements, clicks, leads (saas) / orders (dtc), revenue, "
                  "cost, roi_pct.",
        "target": "target for the period.",
        "period_start": "first day of the quarter.",
        "period_end": "last day of the quarter.",
        "owner": "who is accountable.",
        "stage": "funnel stage: awareness, engagement, conversion, revenue, efficiency.",
        "baseline": "actual of the previous quarter (empty for roi_pct).",
        "direction": "at_least (the target is a floor) or at_most (a ceiling: cost).",
        "tolerance": "band around the target in the metric's units (cost: 3 % of the baseline).",
        "platform": "'all'.",
        "description": "the SMART goal in words.",
    },
    "service_interactions": {
        "interaction_id": "S + 7 digits in order of opened_at; unique.",
        "platform": "the social platform the case came in on (the posts' platform mix).",
        "customer_id": "the complaining customer (one case each); empty for anonymous cases.",
        "opened_at": "when the person wrote; customers only while they are customers.",
        "first_response_at": "first reply (lognormal wait); empty when never answered or after "
                             "the window end.",
        "resolved_at": "resolution time (answer + lognormal fix, at most 6 days later); empty "
                       "when not resolved by the window end.",
        "resolved": "resolved by the window end.",
        "replaced_channel": "the contact the case replaced (phone, email; dtc also chat); empty "
                            "when it replaced none.",
    },
}


def truth_lines(sample: SampleData) -> list[str]:
    """Markdown bullet lines stating the planted truths of a sample."""
    t = sample.truth
    rd = ", ".join(f"{h} d: {v:+.3f}" for h, v in t.retention_diff.items())
    slots = ", ".join(f"{k} {v}" for k, v in t.best_post_slot.items())
    types = ", ".join(f"{k} {v:g}" for k, v in t.post_type_effects.items())
    eff = ", ".join(f"{k} {v:.3f}" for k, v in t.channel_removal_effects.items())
    return [
        f"- landmark: {t.landmark_days} days after acquisition; population active at the landmark: "
        f"{t.n_landmark:,} customers ({t.n_landmark_365:,} observed 365 days past it).",
        f"- churn hazard ratio followers vs non-followers (conditional on covariates): "
        f"{t.churn_hazard_ratio:g}.",
        f"- retention difference after the landmark (ATE from potential outcomes): {rd}.",
        f"- RMST difference up to 365 days after the landmark: {t.rmst_diff_365:+.2f} days.",
        f"- upsell rate ratio {t.upsell_rate_ratio:g}; share with an upsell within 365 days: "
        f"{t.upsell_share_diff_365:+.3f}; upsell revenue per customer: "
        f"{t.upsell_revenue_diff_365:+,.2f}.",
        f"- new-deal size ratio {t.deal_size_ratio:g}; ATE on mean won new-deal amount: "
        f"{t.deal_size_diff:+,.2f}.",
        f"- close-time ratio {t.close_time_ratio:g}; median days to close: followers "
        f"{t.median_close_days['followers']:.2f}, non-followers "
        f"{t.median_close_days['non_followers']:.2f}.",
        f"- journeys: conversion probability {t.conversion_probability:.4f}; removal effects: {eff}.",
        f"- best post slot (weekday 0 = Monday, hour UTC): {slots}.",
        f"- post type effects on engagement rate by reach: {types}; paid reach multiplier "
        f"{t.paid_reach_multiplier:g}.",
        *_care_lines(t),
        *_prospect_lines(t),
    ]


def _prospect_lines(t: Truth) -> list[str]:
    if not t.prospect_win_rate:
        return []

    def pair(d: dict[str, float], fmt: str, unit: str, diff_unit: str) -> str:
        return (f"followers {d['followers']:{fmt}}{unit} vs non-followers {d['non_followers']:{fmt}}{unit} "
                f"({d['difference']:+{fmt}}{diff_unit})")

    pct = {k: 100 * v for k, v in t.prospect_win_rate.items()}
    conv = {k: 100 * v for k, v in t.prospect_lead_conversion.items()}
    return [
        f"- prospects (every lead's new deal; follower = followed on or before the deal was created): "
        f"win odds ratio of followers {t.prospect_win_odds_ratio:g} within each covariate cell; "
        f"population win rate {pair(pct, '.1f', ' %', ' pts')}; lead conversion "
        f"{pair(conv, '.1f', ' %', ' pts')}; median days to close "
        f"{pair(t.prospect_median_close_days, '.2f', '', ' days')}.",
    ]


def _care_lines(t: Truth) -> list[str]:
    c = t.care
    if not c:
        return []
    diff = ", ".join(f"{h} d: {v:+.3f}" for h, v in t.care_retention_diff.items())
    cost = ", ".join(f"{k} {v:.2f}" for k, v in t.care_cost_per_case.items())
    return [
        f"- customer care: {c['cases']:,.0f} cases ({c['customer_cases']:,.0f} from customers); "
        f"answered with probability {c['p_answer']:g}; expected resolution rate "
        f"{c['resolution_rate']:.3f}; median first response {c['median_first_response_hours']:.2f} h, "
        f"median resolution {c['median_resolution_hours']:.2f} h (never-answered cases never end).",
        f"- served complainers stay (association planted through the customer's future: resolved "
        f"with probability {c['p_resolve_stay']:g} when still a customer {c['stay_days']:.0f} days "
        f"after the landmark, else {c['p_resolve_leave']:g}); landmark {c['landmark_days']:.0f} days "
        f"after the first case, {c['n_landmark']:,.0f} complainers at it ({c['n_served']:,.0f} "
        f"served); retention served − not served: {diff}.",
        f"- assumed cost per case: {cost}; service-cost savings of the resolved cases: "
        f"{c['savings']:,.2f}.",
    ]


def sample_readme(sample: SampleData, *, command: str) -> str:
    """README.md text for ``data/samples/<business>/``."""
    lines = [
        f"# Sample data: {sample.business}",
        "",
        f"Generated by `{command}` (seed {sample.seed}); do not edit by hand. "
        "Timestamps are naive UTC. `truth.json` holds the planted ground truth "
        "(`roi_kit.datasets.Truth`), read by `rk.datasets.load_sample(...)`. "
        "See docs/sample_data.md for how the data is simulated.",
        "",
        "## Planted truths",
        "",
        *truth_lines(sample),
        "",
        "## Tables",
    ]
    for name in TABLE_NAMES:
        frame = sample.tables()[name]
        lines += ["", f"### {name}.csv — {len(frame):,} rows", "", TABLE_DOCS[name], "",
                  "| column | description |", "|---|---|"]
        docs = COLUMN_DOCS[name]
        for col in frame.columns:
            lines.append(f"| `{col}` | {docs.get(col, '')} |")
    return "\n".join(lines) + "\n"
