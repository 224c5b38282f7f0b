"""Followers vs non-followers on retention, upsell, deal size and time to close — side by side,
raw ("naive") and propensity-weighted ("adjusted").

:func:`compare_segments` is the one call an analyst makes; it reads the data once into the
follower population (:func:`~roi_kit.prepare_population`, the one rule for who is compared from
when until when) and compares. To try several follower definitions quickly (a widget), prepare
once and call ``population.compare(definition)``.

Populations (landmark definition, the default):

* retention and upsell — customers still active ``landmark_days`` after acquisition; follower =
  followed on or before that day; time counted from the landmark;
* deal size and time to close — new deals of known customers; follower = the customer had
  followed before the deal was created (status at deal creation);
* ``kind="ever"`` instead uses every customer, time from acquisition and "ever followed" (biased
  by immortal time; offered for contrast).

The adjusted figures weight each group to the covariate mix of the whole population (stabilised
ATE weights from a logistic propensity model; deals get their own model for "followed before the
deal"). Intervals: Kaplan–Meier differences use Greenwood standard errors (weighted:
Xie & Liu 2005); means use sandwich standard errors; medians of deal size a bootstrap. The
propensity model is treated as known, which for ATE weights makes intervals slightly
conservative.

Examples
--------
>>> import pandas as pd, roi_kit as rk
>>> customers = pd.DataFrame({"customer_id": list("abcdef"),
...     "acquired_at": pd.to_datetime(["2024-01-01"] * 6),
...     "churned_at": pd.to_datetime([None, None, "2024-09-01", None, "2024-06-01", "2024-12-01"]),
...     "observed_until": pd.to_datetime(["2025-06-30"] * 6), "mrr": [100.0] * 6})
>>> audience = pd.DataFrame({"customer_id": ["a", "b", "c"],
...                          "followed_at": pd.to_datetime(["2024-01-15"] * 3)})
>>> cmp = rk.compare_segments(customers, by=rk.FollowerDefinition(), audience=audience,
...                           covariates=())
>>> cmp.n_followers, cmp.n_non_followers
(3, 3)
>>> round(cmp.retention.effect("retention", "naive", horizon_days=365).difference, 4)
0.3333
>>> cmp.retention.effect("retention", horizon_days=365)   # no covariates: no adjusted figures
Traceback (most recent call last):
...
roi_kit.errors.ConfigError: no effect 'retention' (adjusted) at horizon_days=365; available: 'retention', horizon_days=90 (naive), 'retention', horizon_days=180 (naive), 'retention', horizon_days=365 (naive), 'rmst', horizon_days=365 (naive), 'median_lifetime' (naive).
Hint: pick one of those; 'adjusted' figures exist only when covariates were chosen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from roi_kit.errors import ConfigError
from roi_kit.followers._close_time import CloseTimeComparison
from roi_kit.followers._deal_comparisons import DealSizeComparison, UpsellComparison
from roi_kit.followers._definition import FollowerDefinition
from roi_kit.followers._effects import (
    CAVEAT,
    measure_label,
)
from roi_kit.followers._landmark import TimeUnit
from roi_kit.followers._matching import MatchReport
from roi_kit.followers._propensity import PropensityModel
from roi_kit.followers._retention_comparison import RetentionComparison
from roi_kit.followers._segments import Segments
from roi_kit.followers._value_boot import ValueArrays
from roi_kit.results import ResultMixin

if TYPE_CHECKING:
    import altair as alt

__all__ = ["DEFAULT_COVARIATES", "RetentionComparison", "SegmentComparison", "compare_segments"]

DEFAULT_COVARIATES: tuple[str, ...] = ("company_size", "industry", "region", "acquisition_channel")


@dataclass(frozen=True)
class SegmentComparison(ResultMixin):
    """All four follower comparisons, naive and adjusted, for one follower definition.

    Attributes
    ----------
    definition
        The follower definition in words.
    retention, upsell, deal_size, time_to_close
        The four comparisons (``None`` when the data needed are missing, e.g. no deals).
    propensity, deal_propensity
        Customer-level and deal-level propensity models (``None`` without covariates); their
        ``balance`` holds the balance tables.
    n_followers, n_non_followers
        Sizes of the landmark population's groups.
    revenue_per_account_month
        Mean ``mrr`` of the landmark population (None when the customers have no ``mrr``).
    won_new_deals_per_follower
        Won new deals per follower-at-creation customer (used to value larger deals).

    Examples
    --------
    >>> import roi_kit as rk
    >>> s = rk.datasets.generate(seed=1, n_customers=300)
    >>> seg = rk.define_followers(s.customers, s.social_audience)
    >>> cmp = rk.compare_segments(s.customers, s.deals, by=seg, covariates=["company_size"], n_boot=200)
    >>> sorted(cmp.to_frame()["method"].unique())
    ['adjusted', 'naive']
    """

    definition: str
    landmark_days: int
    horizon_days: int
    covariates: tuple[str, ...]
    n_followers: int
    n_non_followers: int
    retention: RetentionComparison
    upsell: UpsellComparison | None
    deal_size: DealSizeComparison | None
    time_to_close: CloseTimeComparison | None
    propensity: PropensityModel | None = field(repr=False)
    deal_propensity: PropensityModel | None = field(repr=False)
    match: MatchReport | None = field(repr=False)
    revenue_per_account_month: float | None
    deal_followers: int = 0
    currency: str = "USD"
    notes: tuple[str, ...] = ()
    time_unit: str = "days"
    durations: bool = False
    value_arrays: ValueArrays | None = field(default=None, repr=False, compare=False)

    @property
    def balance(self) -> Any:
        """Customer-level balance table (None without covariates)."""
        return None if self.propensity is None else self.propensity.balance

    def parts(self) -> dict[str, Any]:
        """The comparisons that could be computed, by name."""
        named = {"retention": self.retention, "upsell": self.upsell, "deal size": self.deal_size,
                 "time to close": self.time_to_close}
        return {k: v for k, v in named.items() if v is not None}

    def to_frame(self) -> pd.DataFrame:
        """Every effect of every comparison (columns of :func:`~roi_kit.followers._effects.effects_frame`)."""
        return pd.concat([p.to_frame() for p in self.parts().values()], ignore_index=True)

    def _when(self) -> str:
        if not self.durations:
            return f"day {self.landmark_days} after acquisition"
        return f"{self.time_unit[:-1]} {self.landmark_days} of each duration"

    def summary(self) -> str:
        """Headline findings, naive next to adjusted, with the caveat."""
        lines = [f"Follower = {self.definition}.",
                 f"{self.n_followers:,} followers and {self.n_non_followers:,} non-followers are "
                 f"active at {self._when()}."]
        if self.match is not None:
            lines.append(self.match.summary().splitlines()[0])
        u = self.time_unit
        picks = [("retention", measure_label("retention", 365 if u == "days" else self.horizon_days, u)),
                 ("retention", measure_label("rmst", self.horizon_days, u)),
                 ("upsell", measure_label("upsell_share")), ("upsell", measure_label("upsell_revenue")),
                 ("deal size", measure_label("deal_mean")), ("time to close", measure_label("close_median"))]
        parts = self.parts()
        for comp, measure in picks:
            if comp not in parts:
                continue
            for e in parts[comp].effects:
                if e.measure == measure:
                    lines.append(e.sentence()[0].upper() + e.sentence()[1:])
        if self.propensity is not None:
            lines.append("Adjusted for " + ", ".join(self.covariates) + ". "
                         + self.propensity.balance.summary())
        else:
            lines.append("No covariates were chosen, so the adjusted figures are not computed.")
        lines += list(self.notes)
        return "\n".join([*lines, CAVEAT])

    def chart(self) -> alt.TopLevelMixin:
        """Forest plot of every difference, naive next to adjusted."""
        from roi_kit.charts.segments import comparison_chart

        return comparison_chart(self)


def compare_segments(
    customers: Any,
    deals: Any | None = None,
    *,
    by: FollowerDefinition | Segments | str,
    followers: Any = None,
    audience: Any | None = None,
    covariates: Sequence[str] | None = None,
    landmark_days: int | None = None,
    horizon_days: int = 365,
    horizons_days: Sequence[int] = (90, 180, 365),
    trim: float | None = 0.01,
    n_boot: int = 2000,
    seed: int = 0,
    as_of: Any = None,
    upsell_kinds: Sequence[str] = ("upsell",),
    currency: str = "USD",
    duration: str | None = None,
    event: str | None = None,
    time_unit: TimeUnit = "days",
) -> SegmentComparison:
    """Compare followers and non-followers on retention, upsell, deal size and time to close.

    Reads the data once into the follower population (:func:`~roi_kit.prepare_population`) and
    compares on it; to try several definitions, prepare once and call ``population.compare``.

    Parameters
    ----------
    customers
        Customer table, any engine (``customer_id, acquired_at``; ``churned_at``,
        ``observed_until``, ``mrr`` and covariates when available).
    deals
        Deal table, same engine (None: retention only).
    by
        A :class:`FollowerDefinition` (needs ``audience``), a :class:`Segments` from
        :func:`~roi_kit.define_followers`, or a customer column: bool, 0/1, or two values with
        ``followers=`` naming the follower value. Anything else raises ``InputError``.
    followers
        The value of the ``by`` column that marks followers.
    audience
        Social audience table (for a :class:`FollowerDefinition`).
    covariates
        Covariates of the propensity model; None = whichever of company_size, industry, region,
        acquisition_channel the customers have; ``()`` = no adjustment.
    landmark_days, horizon_days, horizons_days
        Landmark (default: the definition's; 90 for a column), horizon of upsell and restricted
        mean lifetime, horizons of the retention differences.
    trim, n_boot, seed
        Propensity truncation, bootstrap replicates and seed of the median intervals.
    as_of
        End of observation for customers without ``observed_until`` (default: latest date).
    upsell_kinds
        Deal kinds counted as upsell (e.g. ``("upsell", "cross-sell")``).
    duration, event, time_unit
        Durations without dates (tenure, churned flag, unit): retention only, grouped by a
        column; horizons and landmark in ``time_unit`` (see :func:`~roi_kit.prepare_population`).

    Returns
    -------
    SegmentComparison

    Examples
    --------
    >>> import roi_kit as rk
    >>> s = rk.datasets.generate(seed=1, n_customers=300)
    >>> seg = rk.define_followers(s.customers, s.social_audience)
    >>> cmp = rk.compare_segments(s.customers, s.deals, by=seg, covariates=["company_size"], n_boot=200)
    >>> cmp.n_followers + cmp.n_non_followers == len(seg.labels(s.customers))
    True
    """
    from roi_kit.engine import as_frame, column_names
    from roi_kit.followers._prepare import prepare_population

    if covariates is None:
        cols = column_names(as_frame(customers, name="customers"))
        covariates = tuple(c for c in DEFAULT_COVARIATES if c in cols)
    if isinstance(by, Segments):
        audience = by.matched
    if isinstance(by, FollowerDefinition | Segments) and audience is None:
        raise ConfigError("a follower definition needs the social audience.",
                          hint="pass audience=social_audience_frame.")
    pop = prepare_population(customers, deals, audience=audience, covariates=covariates,
                             columns=(by,) if isinstance(by, str) else (), as_of=as_of,
                             upsell_kinds=upsell_kinds, duration=duration, event=event, time_unit=time_unit)
    return pop.compare(by, followers=followers, landmark_days=landmark_days, horizon_days=horizon_days,
                       horizons_days=horizons_days, trim=trim, n_boot=n_boot, seed=seed, currency=currency)
