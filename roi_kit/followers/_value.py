"""Turn the follower differences into money: the value of social, with an interval.

Three components, each from the chosen comparison method (adjusted by default):

* **retention** — extra months a follower stays within the next ``months`` months (the
  difference of restricted mean lifetimes up to ``months`` × 30.4375 days, divided by 30.4375)
  × revenue per account per month (mean ``mrr`` of the landmark population unless given);
* **upsell** — extra won upsell revenue per follower within the comparison's horizon, scaled
  linearly to ``months`` when they differ;
* **larger deals** — the difference in mean won new deal × the number of won new deals of
  customers who followed before the deal.

Totals multiply per-follower values by the number of followers at the landmark (retention,
upsell) or the number of follower deals (deal size). The interval is a **joint bootstrap over
customers** (:mod:`roi_kit.followers._value_boot`): each replicate reweights every customer
together with their deals, revalues all components and sums them, so the 95% interval of the
total (percentiles of the summed replicates) respects the correlation between components.
Component rows keep their analytic (delta-method) intervals — the retention one is exactly
:func:`~roi_kit.customer_lifetime_value`'s — only the total needs the joint one. The interval that treats the
components as independent is kept beside it (``independent_low``, ``independent_high``) for
comparison, and is the one shown when the comparison carries no per-customer arrays
(``n_boot=0``). Revenue per account and propensity weights are treated as known.

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
>>> value = rk.value_of_social(cmp, months=12)
>>> estimate, low, high, text = value.revenue_estimate()
>>> round(estimate), low <= estimate <= high   # 70.75 extra days / 30.4375 × 100 × 3 followers
(697, True)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from roi_kit.errors import ConfigError
from roi_kit.followers._comparisons import SegmentComparison
from roi_kit.followers._effects import Method, z_value
from roi_kit.followers._value_boot import (
    ValueArrays,
    poisson_weights,
    replicate_means,
    replicate_rmst,
)
from roi_kit.formatting import fmt_money
from roi_kit.periods import DAYS_PER_MONTH
from roi_kit.results import ResultMixin

if TYPE_CHECKING:
    import altair as alt

__all__ = ["DAYS_PER_MONTH", "ValueOfSocial", "value_of_social"]

Component = Literal["retention", "upsell", "deal_size"]
_COLS = ["component", "per_follower", "per_follower_low", "per_follower_high", "count", "total",
         "total_low", "total_high", "basis"]


@dataclass(frozen=True)
class ValueOfSocial(ResultMixin):
    """Money attributable to followers (association, not proof of cause) with an interval.

    ``to_frame()`` columns: ``component, per_follower, per_follower_low, per_follower_high,
    count, total, total_low, total_high, basis`` (NaN where a component could not be valued;
    ``basis`` then says why).

    Examples
    --------
    >>> import roi_kit as rk
    >>> s = rk.datasets.generate(seed=1, n_customers=300)
    >>> seg = rk.define_followers(s.customers, s.social_audience)
    >>> value = rk.value_of_social(rk.compare_segments(s.customers, s.deals, by=seg, n_boot=200))
    >>> value.ci_low <= value.total <= value.ci_high
    True
    """

    components: pd.DataFrame
    total: float
    ci_low: float
    ci_high: float
    n_followers: int
    months: int
    method: Method
    revenue_per_account_month: float | None
    currency: str = "USD"
    interval: str = "delta method, components treated as independent"
    independent_low: float | None = None
    independent_high: float | None = None

    @property
    def per_follower(self) -> float | None:
        """Total value divided by the followers at the landmark."""
        return self.total / self.n_followers if self.n_followers else None

    def revenue_estimate(self) -> tuple[float, float | None, float | None, str]:
        """(estimate, low, high, description) — what ``rk.roi(revenue=...)`` reads."""
        return (self.total, self.ci_low, self.ci_high,
                f"value of social: {self.method} follower vs non-follower differences in retention, "
                f"upsell and deal size over {self.months} months, for {self.n_followers:,} followers")

    def to_frame(self) -> pd.DataFrame:
        """Components table."""
        return self.components.copy()

    def summary(self) -> str:
        """The value in words."""
        money = lambda v: fmt_money(v, currency=self.currency, decimals=0)  # noqa: E731
        lines = [f"Value of social over {self.months} months ({self.method} comparison): "
                 f"{money(self.total)} (95% interval {money(self.ci_low)} to {money(self.ci_high)}; "
                 f"{self.interval})"
                 + (f", about {money(self.per_follower)} per follower." if self.per_follower is not None else ".")]
        for row in self.components.itertuples(index=False):
            if np.isnan(row.total):
                lines.append(f"{row.component}: not valued — {row.basis}")
            else:
                lines.append(f"{row.component}: {money(row.total)} ({money(row.total_low)} to "
                             f"{money(row.total_high)}) = {money(row.per_follower)} × {row.count:,.0f}; "
                             f"{row.basis}")
        if self.interval.startswith("joint"):
            lines.append("Component intervals are each on their own (delta method); the total's interval "
                         "resamples customers jointly, so it counts how the components move together.")
        lines.append("This is the revenue associated with following after adjusting for the chosen "
                     "covariates, not proof that social media caused it.")
        return "\n".join(lines)

    def chart(self) -> alt.TopLevelMixin:
        """Value per component with intervals."""
        from roi_kit.charts.segments import value_chart

        return value_chart(self)


def _row(component: str, per: float | None, se: float | None, count: float, basis: str,
         z: float) -> dict[str, object]:
    if per is None or se is None or not math.isfinite(per):
        return {"component": component, **{c: np.nan for c in _COLS[1:-1]}, "basis": basis}
    return {"component": component, "per_follower": per, "per_follower_low": per - z * se,
            "per_follower_high": per + z * se, "count": count, "total": per * count,
            "total_low": (per - z * se) * count, "total_high": (per + z * se) * count, "basis": basis}


def value_of_social(
    comparison: SegmentComparison,
    *,
    revenue_per_account_month: float | None = None,
    months: int = 12,
    method: Method = "adjusted",
    include: Sequence[Component] = ("retention", "upsell", "deal_size"),
    n_boot: int = 1000,
    seed: int = 0,
) -> ValueOfSocial:
    """Convert a :class:`~roi_kit.followers._comparisons.SegmentComparison` into money.

    Parameters
    ----------
    comparison
        From :func:`~roi_kit.followers._comparisons.compare_segments`.
    revenue_per_account_month
        Monthly revenue per account; None = mean ``mrr`` of the landmark population.
    months
        Valuation horizon for the retention component (and upsell scaling).
    method
        ``"adjusted"`` (default; falls back to naive without covariates) or ``"naive"``.
    include
        Components to value.
    n_boot
        Replicates of the joint bootstrap over customers (0 = delta-method interval that treats
        the components as independent).
    seed
        Seed of the bootstrap.

    Examples
    --------
    >>> import roi_kit as rk
    >>> s = rk.datasets.generate(seed=1, n_customers=300)
    >>> seg = rk.define_followers(s.customers, s.social_audience)
    >>> value = rk.value_of_social(rk.compare_segments(s.customers, s.deals, by=seg, n_boot=200))
    >>> result = rk.roi(revenue=value, cost=50_000)   # money from the comparison feeds ROI
    >>> result.roi_pct_ci is not None
    True
    """
    if months <= 0:
        raise ConfigError(f"months={months!r} must be a positive number of months.", hint="e.g. months=12.")
    if method == "adjusted" and comparison.propensity is None:
        method = "naive"
    z = z_value()
    rows = []
    n = comparison.n_followers
    if "retention" in include:
        rev = revenue_per_account_month if revenue_per_account_month is not None else comparison.revenue_per_account_month
        tau = months * DAYS_PER_MONTH
        c1 = comparison.retention.curves.get((method, "followers"))
        c0 = comparison.retention.curves.get((method, "non-followers"))
        r1, s1 = c1.rmst(tau) if c1 is not None else (None, None)
        r0, s0 = c0.rmst(tau) if c0 is not None else (None, None)
        if rev is None:
            rows.append(_row("retention", None, None, n, "no revenue per account: pass "
                             "revenue_per_account_month= or give the customers an mrr column.", z))
        elif r1 is None or r0 is None or s1 is None or s0 is None:
            rows.append(_row("retention", None, None, n, f"the data do not follow customers for "
                             f"{months} months after the landmark; use fewer months.", z))
        else:
            extra = (r1 - r0) / DAYS_PER_MONTH
            rows.append(_row("retention", extra * rev, math.hypot(s1, s0) / DAYS_PER_MONTH * rev, n,
                             f"{extra:.2f} extra months active × {fmt_money(rev, currency=comparison.currency, decimals=0)} per month", z))
    if "upsell" in include:
        eff = None if comparison.upsell is None else comparison.upsell.effect("upsell_revenue", method)
        if eff is None or eff.difference is None or eff.ci_high is None:
            rows.append(_row("upsell", None, None, n, "no upsell deals to compare.", z))
        else:
            scale = months * DAYS_PER_MONTH / comparison.horizon_days
            se = (eff.ci_high - eff.difference) / z
            rows.append(_row("upsell", eff.difference * scale, se * scale, n,
                             f"extra won upsell revenue per follower within {comparison.horizon_days} days"
                             + (f", scaled × {scale:.2f} to {months} months" if abs(scale - 1) > 0.01 else ""), z))
    if "deal_size" in include:
        eff = None if comparison.deal_size is None else comparison.deal_size.effect("deal_mean", method)
        if eff is None or eff.difference is None or eff.ci_high is None:
            rows.append(_row("deal_size", None, None, 0, "no won new deals to compare.", z))
        else:
            count = float(eff.n_followers or 0)
            rows.append(_row("deal_size", eff.difference, (eff.ci_high - eff.difference) / z, count,
                             "larger mean won new deal × won new deals of customers who followed first", z))
    frame = pd.DataFrame(rows, columns=_COLS)
    ok = frame["total"].notna()
    total = float(frame.loc[ok, "total"].sum())
    se_total = float(np.sqrt((((frame.loc[ok, "total_high"] - frame.loc[ok, "total"]) / z) ** 2).sum()))
    rev_used = (revenue_per_account_month if revenue_per_account_month is not None
                else comparison.revenue_per_account_month)
    low, high = total - z * se_total, total + z * se_total
    interval = "delta method, components treated as independent"
    arrays = comparison.value_arrays
    if n_boot < 0:
        raise ConfigError(f"n_boot={n_boot!r} must be 0 or a positive number of replicates.",
                          hint="e.g. n_boot=1000.")
    if n_boot and arrays is not None and ok.any():
        reps = _replicates(frame, arrays, method=method, months=months, rev=rev_used,
                           horizon_days=comparison.horizon_days, n_boot=n_boot, seed=seed)
        good = np.isfinite(reps).all(axis=1)
        if good.sum() >= max(20, n_boot // 2):
            tot = reps[good].sum(axis=1)
            low, high = (float(v) for v in np.percentile(tot, [2.5, 97.5]))
            interval = f"joint bootstrap over customers, {int(good.sum()):,} replicates"
    return ValueOfSocial(frame, total, low, high, n, months, method, rev_used, comparison.currency,
                         interval, total - z * se_total, total + z * se_total)


def _replicates(frame: pd.DataFrame, arrays: ValueArrays, *, method: Method, months: int,
                rev: float | None, horizon_days: int, n_boot: int, seed: int) -> np.ndarray:
    """Total of every valued component (columns, in frame order) per replicate (rows)."""
    boot = poisson_weights(n_boot, arrays.n_customers, seed=seed)
    adjusted = method == "adjusted"
    out = []
    for row in frame.loc[frame["total"].notna()].itertuples(index=False):
        count = float(row.count)
        if row.component == "retention":
            w = boot[:, arrays.member]
            if adjusted and arrays.weights is not None:
                w = w * arrays.weights
            per = replicate_rmst(arrays.cell, arrays.size, w, months * DAYS_PER_MONTH) / DAYS_PER_MONTH * float(rev or 0.0)
        elif row.component == "upsell":
            assert arrays.upsell_member is not None and arrays.upsell_revenue is not None
            assert arrays.upsell_treated is not None
            w = boot[:, arrays.upsell_member]
            if adjusted and arrays.upsell_weights is not None:
                w = w * arrays.upsell_weights
            scale = months * DAYS_PER_MONTH / horizon_days
            per = replicate_means(arrays.upsell_revenue, arrays.upsell_treated, w) * scale
        else:
            assert arrays.deal_customer is not None and arrays.deal_amount is not None
            assert arrays.deal_treated is not None
            w = boot[:, arrays.deal_customer]
            if adjusted and arrays.deal_weights is not None:
                w = w * arrays.deal_weights
            per = replicate_means(arrays.deal_amount, arrays.deal_treated, w)
        out.append(per * count)
    return np.column_stack(out)
