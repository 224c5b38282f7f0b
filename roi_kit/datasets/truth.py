"""The ground truth planted in a generated sample, documented field by field.

Every number here is either a parameter of the simulation (a *conditional* effect such as a hazard
ratio) or a population quantity computed from potential outcomes on the generated customers
themselves (each customer's future is simulated under both follower statuses with the same random
draws, so the difference is the exact sample average treatment effect).

Examples
--------
>>> t = Truth.from_dict(Truth.example().to_dict())
>>> t.landmark_days, t.churn_hazard_ratio
(90, 0.65)
>>> round(float(t.channel_transition.sum(axis=1).max()), 12)
1.0
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["CHANNELS", "Truth", "removal_effects"]

CHANNELS: tuple[str, ...] = (
    "Organic Social", "Paid Social", "Email", "Organic Search", "Paid Search",
    "Referral", "Direct", "Display", "Video", "Affiliates",
)
"""GA4-style default channel groups used by the touchpoint journeys."""

START, CONVERSION, NULL = "(start)", "(conversion)", "(null)"


@dataclass(frozen=True)
class Truth:
    """Known answers planted in a :class:`~roi_kit.datasets.SampleData`.

    Attributes
    ----------
    landmark_days
        Landmark L in days after acquisition. A *follower* is a customer who followed on any platform
        on or before day L; the analysis population is the customers still active at L and acquired
        at least L days before ``observed_until``; time is counted in days since L.
    churn_hazard_ratio
        Conditional (on covariates) churn hazard ratio of followers vs non-followers; the hazard is
        multiplied by it from the follow date on.
    retention_diff
        ``{90: d, 180: d, 365: d}``: average treatment effect on the probability of still being a
        customer that many days after the landmark (follower minus non-follower) among customers
        active at the landmark, from potential outcomes with common random numbers.
    rmst_diff_365
        Same, for the restricted mean survival time (days) up to 365 days after the landmark.
    upsell_rate_ratio
        Conditional rate ratio of won upsell deals (a Poisson process while active) for followers.
    upsell_share_diff_365
        ATE on P(at least one won upsell deal within 365 days after the landmark), among
        landmark-active customers observed for the full 365 days; includes the churn effect.
    upsell_revenue_diff_365
        ATE on won upsell revenue per customer within 365 days after the landmark (same population).
    deal_size_ratio
        Conditional multiplicative effect on the amount of new deals whose customer followed before
        the deal was created.
    deal_size_diff
        ATE on the mean amount of won new deals (follower status at deal creation).
    close_time_ratio
        Accelerated-failure-time factor on days from ``created_at`` to ``closed_at`` of new deals
        (< 1 means followers close faster).
    median_close_days
        ``{"followers": m1, "non_followers": m0}``: potential-outcome medians of days to close over
        all new deals (won, lost and open; open deals use their latent close time).
    channel_transition
        First-order Markov chain that generated the touchpoint journeys: rows ``(start)`` and each
        channel, columns each channel plus ``(conversion)`` and ``(null)``; rows sum to 1.
    best_post_slot
        Per platform, the planted best ``(weekday, hour)`` in UTC (weekday 0 = Monday).
    post_type_effects
        Multiplicative effect of the post type on the engagement rate by reach (reference = 1.0).
    paid_reach_multiplier
        Reach of a paid post relative to the same post unpaid.
    channel_removal_effects
        Exact Markov removal effect of each channel (share of conversions lost when the channel is
        removed, i.e. its transitions are sent to ``(null)``), from ``channel_transition``.
    conversion_probability
        Probability that a journey from ``(start)`` ends in ``(conversion)``.
    n_landmark
        Size of the landmark population used for the retention truths.
    n_landmark_365
        Size of the population used for the upsell truths (observed 365 days past the landmark).
    care
        Social customer care (``service_interactions``, :mod:`roi_kit.datasets.care`): ``cases``,
        ``customer_cases``; the planted ``p_answer``, ``p_resolve_stay`` / ``p_resolve_leave``;
        ``resolution_rate`` (expected share of cases ever resolved); ``median_first_response_hours``
        and ``median_resolution_hours`` over all cases (never-answered cases never end);
        ``landmark_days``, ``stay_days``; ``n_landmark`` / ``n_served`` (complainers still customers
        at the landmark, and of them the served); ``savings`` (resolved cases with a replaced
        channel × (cost per case there − on social), at ``care_cost_per_case``).
    care_retention_diff
        ``{90: d, 180: d, 365: d}``: retention of served minus not-served complainers that many days
        after the landmark (first case + ``care["landmark_days"]``; served = a case resolved by
        then), among complainers still customers at the landmark, from latent lifetimes.
    care_cost_per_case
        The sample's assumed cost per case on social and on each replaced channel (an assumption
        typed into the plan, not derived from the ledger).
    prospect_win_odds_ratio
        Planted odds ratio of a lead (customer or prospect) being won, follower at deal creation vs
        not, within every covariate cell (:mod:`roi_kit.datasets.prospects`).
    prospect_win_rate
        ``{"followers": w1, "non_followers": w0, "difference": w1 - w0}``: won / (won + lost) new
        deals of follower and non-follower leads (follower = followed on or before the deal was
        created; open deals left out), the population value of the generating process for this
        number of customers and prospects — what a raw :func:`~roi_kit.compare_prospects` estimates.
    prospect_lead_conversion
        Same, for the share of leads whose new deal was won (open deals count as not converted).
    prospect_median_close_days
        Same, for the median days from a new deal's creation to its close (latent close times, so
        open deals count with the day they will close): follower leads are more often large
        accounts, so this raw difference is not ``close_time_ratio``'s causal one.
    """

    landmark_days: int
    churn_hazard_ratio: float
    retention_diff: dict[int, float]
    rmst_diff_365: float
    upsell_rate_ratio: float
    upsell_share_diff_365: float
    upsell_revenue_diff_365: float
    deal_size_ratio: float
    deal_size_diff: float
    close_time_ratio: float
    median_close_days: dict[str, float]
    channel_transition: pd.DataFrame = field(compare=False)
    best_post_slot: dict[str, tuple[int, int]]
    post_type_effects: dict[str, float]
    paid_reach_multiplier: float
    channel_removal_effects: dict[str, float] = field(default_factory=dict)
    conversion_probability: float = float("nan")
    n_landmark: int = 0
    n_landmark_365: int = 0
    care: dict[str, float] = field(default_factory=dict)
    care_retention_diff: dict[int, float] = field(default_factory=dict)
    care_cost_per_case: dict[str, float] = field(default_factory=dict)
    prospect_win_odds_ratio: float = float("nan")
    prospect_win_rate: dict[str, float] = field(default_factory=dict)
    prospect_lead_conversion: dict[str, float] = field(default_factory=dict)
    prospect_median_close_days: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable dict (the transition matrix as ``{row: {column: p}}``)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, pd.DataFrame):
                value = {str(r): {str(c): float(v) for c, v in row.items()}
                         for r, row in value.to_dict(orient="index").items()}
            elif f.name == "retention_diff":
                value = {str(k): float(v) for k, v in value.items()}
            elif f.name == "best_post_slot":
                value = {k: [int(v[0]), int(v[1])] for k, v in value.items()}
            elif isinstance(value, dict):
                value = {str(k): float(v) for k, v in value.items()}
            elif isinstance(value, (bool, np.bool_)):
                value = bool(value)
            elif isinstance(value, (int, np.integer)):
                value = int(value)
            elif isinstance(value, (float, np.floating)):
                value = float(value)
            out[f.name] = value
        return out

    def to_json(self, *, indent: int = 2) -> str:
        """The truth as a JSON document (what ``truth.json`` holds)."""
        return json.dumps(self.to_dict(), indent=indent, allow_nan=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Truth:
        """Rebuild a :class:`Truth` from :meth:`to_dict` output (e.g. a parsed ``truth.json``)."""
        known = {f.name for f in fields(cls)}
        kw = {k: v for k, v in data.items() if k in known}
        kw["retention_diff"] = {int(k): float(v) for k, v in data["retention_diff"].items()}
        kw["care_retention_diff"] = {int(k): float(v)
                                     for k, v in data.get("care_retention_diff", {}).items()}
        kw["best_post_slot"] = {k: (int(v[0]), int(v[1])) for k, v in data["best_post_slot"].items()}
        matrix = pd.DataFrame.from_dict(data["channel_transition"], orient="index").astype(float)
        kw["channel_transition"] = matrix
        return cls(**kw)

    @classmethod
    def example(cls) -> Truth:
        """A small, self-consistent truth for documentation examples."""
        return cls(
            landmark_days=90, churn_hazard_ratio=0.65,
            retention_diff={90: 0.02, 180: 0.04, 365: 0.07}, rmst_diff_365=12.0,
            upsell_rate_ratio=1.5, upsell_share_diff_365=0.08, upsell_revenue_diff_365=900.0,
            deal_size_ratio=1.25, deal_size_diff=2500.0, close_time_ratio=0.8,
            median_close_days={"followers": 24.0, "non_followers": 30.0},
            channel_transition=pd.DataFrame(
                [[0.5, 0.5, 0.0, 0.0], [0.2, 0.2, 0.2, 0.4], [0.2, 0.2, 0.2, 0.4]],
                index=[START, "Email", "Direct"], columns=["Email", "Direct", CONVERSION, NULL],
            ),
            best_post_slot={"linkedin": (1, 9)}, post_type_effects={"image": 1.0, "video": 1.3},
            paid_reach_multiplier=3.0,
        )


def removal_effects(transition: pd.DataFrame) -> tuple[float, dict[str, float]]:
    """Exact conversion probability and Markov removal effect of every channel.

    Removing a channel sends every transition into it to ``(null)``; its removal effect is
    ``1 - P(conversion without it) / P(conversion)``.

    Examples
    --------
    >>> m = pd.DataFrame({"A": [1.0, 0.0], "(conversion)": [0.0, 0.5], "(null)": [0.0, 0.5]},
    ...                  index=["(start)", "A"])
    >>> p, eff = removal_effects(m)
    >>> round(p, 3), eff
    (0.5, {'A': 1.0})
    """
    channels = [c for c in transition.columns if c not in (CONVERSION, NULL)]
    states = [START, *channels]
    q = transition.reindex(index=states, columns=channels).fillna(0.0).to_numpy(float)
    r = transition.reindex(index=states).get(CONVERSION, pd.Series(0.0, index=states))
    r_vec = r.reindex(states).fillna(0.0).to_numpy(float)
    # transient states: (start) + channels; (start) has no incoming transitions
    q_full = np.zeros((len(states), len(states)))
    q_full[:, 1:] = q

    def conv(mask: np.ndarray) -> float:
        qm = q_full * mask[None, :]
        x = np.linalg.solve(np.eye(len(states)) - qm, r_vec * mask)
        return float(x[0])

    keep = np.ones(len(states))
    base = conv(keep)
    effects: dict[str, float] = {}
    for i, ch in enumerate(channels, start=1):
        m = keep.copy()
        m[i] = 0.0
        effects[ch] = 0.0 if base == 0 else float(1.0 - conv(m) / base)
    return base, effects
