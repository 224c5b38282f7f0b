"""Followers vs non-followers: who counts as a follower, and what following is worth.

One idea per private module, one population behind every route:

* definition — :func:`define_followers` / :class:`FollowerDefinition` / :class:`Segments`
  (matching the audience to customers: :func:`match_audience`, :class:`MatchReport`);
* population — :func:`prepare_population` builds the one frozen :class:`Population`: who is
  compared, from when (the landmark) until when (one end-of-observation rule), on one time grid;
* survival by group — :func:`retention_curves` / :class:`RetentionResult`;
* propensity — :func:`fit_propensity`, :func:`balance_table`;
* comparisons — :func:`compare_segments` / :class:`SegmentComparison` (the apps' fast path is
  :meth:`Population.compare`);
* prospects — :func:`compare_prospects` / :class:`ProspectComparison`: every lead's new deals
  (customers' and prospects'), win rate, lead conversion, sales cycle, pipeline velocity;
* value — :func:`value_of_social` / :class:`ValueOfSocial`; lifetime value per segment —
  :func:`customer_lifetime_value` / :class:`LifetimeValue`.

Examples
--------
>>> import roi_kit as rk
>>> s = rk.datasets.generate(seed=1, n_customers=300)
>>> seg = rk.define_followers(s.customers, s.social_audience)
>>> cmp = rk.compare_segments(s.customers, s.deals, by=seg, covariates=(), n_boot=100)
>>> cmp.n_followers + cmp.n_non_followers == len(seg.labels(s.customers))
True
"""

from __future__ import annotations

from roi_kit.followers._close_time import CloseTimeComparison
from roi_kit.followers._comparisons import (
    DEFAULT_COVARIATES,
    RetentionComparison,
    SegmentComparison,
    compare_segments,
)
from roi_kit.followers._deal_comparisons import DealSizeComparison, UpsellComparison
from roi_kit.followers._definition import (
    FOLLOWERS,
    NON_FOLLOWERS,
    DefinitionKind,
    FollowerDefinition,
)
from roi_kit.followers._effects import MEASURE_LABELS, Effect, MeasureKey, effects_frame
from roi_kit.followers._k_groups import GroupComparison, compare_groups
from roi_kit.followers._lifetime_value import customer_lifetime_value
from roi_kit.followers._lifetime_value_result import LifetimeValue
from roi_kit.followers._matching import MatchedAudience, MatchKey, MatchReport, match_audience
from roi_kit.followers._population import Population
from roi_kit.followers._prepare import prepare_population
from roi_kit.followers._propensity import (
    BalanceTable,
    PropensityModel,
    balance_table,
    fit_propensity,
)
from roi_kit.followers._prospects import compare_prospects
from roi_kit.followers._prospects_result import ProspectComparison
from roi_kit.followers._retention import retention_curves
from roi_kit.followers._retention_result import RetentionResult
from roi_kit.followers._segments import Segments, define_followers
from roi_kit.followers._value import DAYS_PER_MONTH, ValueOfSocial, value_of_social

__all__ = [
    "DAYS_PER_MONTH",
    "DEFAULT_COVARIATES",
    "FOLLOWERS",
    "MEASURE_LABELS",
    "NON_FOLLOWERS",
    "BalanceTable",
    "CloseTimeComparison",
    "DealSizeComparison",
    "DefinitionKind",
    "Effect",
    "FollowerDefinition",
    "GroupComparison",
    "LifetimeValue",
    "MatchKey",
    "MatchReport",
    "MatchedAudience",
    "MeasureKey",
    "Population",
    "PropensityModel",
    "ProspectComparison",
    "RetentionComparison",
    "RetentionResult",
    "SegmentComparison",
    "Segments",
    "UpsellComparison",
    "ValueOfSocial",
    "balance_table",
    "compare_groups",
    "compare_prospects",
    "compare_segments",
    "customer_lifetime_value",
    "define_followers",
    "effects_frame",
    "fit_propensity",
    "match_audience",
    "prepare_population",
    "retention_curves",
    "value_of_social",
]
