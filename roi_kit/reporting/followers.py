"""The value of followers in a report period, ready for ``rk.roi``.

The follower comparison (``rk.compare_segments`` with the configured landmark definition) is
estimated once on the customer data as known at the end of the report period (no look-ahead; see
:func:`roi_kit.reporting.data.as_of`) and turned into money with ``rk.value_of_social`` over
``horizon_days`` (rounded to months). That gives a value *per follower at the landmark*.

A period is credited with the followers who **reached the landmark day in that period** (their
follower status became known then): value in the period = value per follower × those followers,
with the interval scaled the same way. The same per-follower value is used for the previous period,
so the period-over-period change reflects how many followers were won, not a re-estimate.

Examples
--------
>>> import datetime as dt, pandas as pd
>>> labels = pd.DataFrame({"customer_id": ["a", "b", "c"],
...     "group": ["followers", "followers", "non-followers"],
...     "landmark_at": pd.to_datetime(["2025-01-10", "2024-12-01", "2025-01-11"])})
>>> reached_landmark(labels, dt.date(2025, 1, 1), dt.date(2025, 1, 31))
1
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from roi_kit.errors import InputError
from roi_kit.followers import (
    DEFAULT_COVARIATES,
    FOLLOWERS,
    FollowerDefinition,
    SegmentComparison,
    ValueOfSocial,
    define_followers,
    prepare_population,
    value_of_social,
)
from roi_kit.formatting import fmt_money
from roi_kit.periods import rows_in_dates, whole_months
from roi_kit.reporting.config_types import ReportConfig
from roi_kit.reporting.data import as_of

__all__ = ["FollowerValue", "PeriodFollowerValue", "follower_definition", "follower_value", "reached_landmark"]


def reached_landmark(labels: pd.DataFrame, start: dt.date, end: dt.date) -> int:
    """Followers whose landmark day falls in the period."""
    rows = rows_in_dates(labels.loc[labels["group"] == FOLLOWERS], "landmark_at", start, end)
    return len(rows)


@dataclass(frozen=True)
class PeriodFollowerValue:
    """Follower value credited to one period; implements ``revenue_estimate()`` for ``rk.roi``."""

    value: ValueOfSocial
    followers: int
    landmark_days: int
    start: dt.date
    end: dt.date

    @property
    def share(self) -> float:
        """This period's followers as a share of every follower the value was computed for."""
        return self.followers / self.value.n_followers if self.value.n_followers else 0.0

    def revenue_estimate(self) -> tuple[float, float | None, float | None, str]:
        """(estimate, low, high, description): the value scaled to this period's followers."""
        k = self.share
        per = fmt_money(self.value.per_follower, currency=self.value.currency, decimals=0)
        return (self.value.total * k, self.value.ci_low * k, self.value.ci_high * k,
                f"value of social: {self.followers:,} followers reached day {self.landmark_days} "
                f"after acquisition in this period × {per} each ({self.value.method} comparison, "
                f"{self.value.months} months)")


@dataclass(frozen=True, eq=False)
class FollowerValue:
    """The follower comparison, its money value and who reached the landmark when."""

    comparison: SegmentComparison
    value: ValueOfSocial
    labels: pd.DataFrame
    landmark_days: int

    def for_period(self, start: dt.date, end: dt.date) -> PeriodFollowerValue:
        """The value credited to the period ``start``–``end``."""
        return PeriodFollowerValue(self.value, reached_landmark(self.labels, start, end),
                                   self.landmark_days, start, end)


def follower_definition(config: ReportConfig) -> FollowerDefinition:
    """The report's follower definition (``[followers]`` of the config), shared by every section."""
    fol = config.followers
    return FollowerDefinition(platforms=fol.platforms, min_engagements=fol.min_engagements,
                              engaged_within_days=fol.engaged_within_days, landmark_days=fol.landmark_days)


def follower_value(tables: Mapping[str, pd.DataFrame], config: ReportConfig) -> FollowerValue | str:
    """Compare followers with non-followers as of the period end and value the difference.

    Returns the :class:`FollowerValue`, or a sentence saying why it cannot be computed.
    """
    if tables.get("customers") is None or tables.get("social_audience") is None:
        return "The follower value needs the customers and social_audience tables."
    known = as_of(tables, config.period_end)
    fol = config.followers
    definition = follower_definition(config)
    customers = known["customers"]
    covariates = (fol.covariates if fol.covariates is not None
                  else tuple(c for c in DEFAULT_COVARIATES if c in customers.columns))
    try:  # one population for the comparison and for who reached the landmark when
        segments = define_followers(customers, known["social_audience"], definition=definition)
        population = prepare_population(customers, known.get("deals"), audience=segments.matched,
                                        covariates=covariates)
        comparison = population.compare(segments, horizon_days=fol.horizon_days, currency=config.currency)
    except InputError as exc:
        return f"The follower comparison could not be computed: {exc.message}"
    value = value_of_social(comparison, months=whole_months(fol.horizon_days))
    labels = population.labels(segments).merge(
        customers[["customer_id", "acquired_at"]], on="customer_id", how="left")
    labels["landmark_at"] = labels["acquired_at"] + pd.Timedelta(days=comparison.landmark_days)
    return FollowerValue(comparison, value, labels.drop(columns=["acquired_at"]), fol.landmark_days)
