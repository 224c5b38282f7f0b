"""The result of :func:`~roi_kit.customer_lifetime_value`: value per group and the differences.

Examples
--------
>>> v = LifetimeValue((GroupValue("followers", 3, 4.0, 0.5, 100.0, 0.0, ""),
...                    GroupValue("non-followers", 3, 3.0, 0.5, 100.0, 0.0, "")),
...                   "non-followers", 6.0, "the customer column 'fan'", (), 1.959964, 0.95)
>>> v.differences()[["group", "difference"]].values.tolist()
[['followers', 100.0]]
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from roi_kit.formatting import fmt_money
from roi_kit.results import ResultMixin

if TYPE_CHECKING:
    import altair as alt

__all__ = ["GroupValue", "LifetimeValue"]

REPEAT_NAMES = {"months_active": "expected_purchases", "months_active_se": "expected_purchases_se",
                "revenue_per_month": "revenue_per_purchase", "revenue_per_month_se": "revenue_per_purchase_se"}
COLUMNS = ["group", "customers", "months_active", "months_active_se", "revenue_per_month",
           "revenue_per_month_se", "clv", "clv_se", "clv_low", "clv_high", "note"]


@dataclass(frozen=True)
class GroupValue:
    """Months active within the horizon and revenue per month of one group (None: not estimable)."""

    group: str
    customers: int
    months: float | None
    months_se: float | None
    revenue: float | None
    revenue_se: float | None
    note: str
    value: float | None = None
    value_se: float | None = None

    @property
    def clv(self) -> float | None:
        """Months active × revenue per month (or the model's value when given)."""
        if self.value is not None:
            return self.value
        return None if self.months is None or self.revenue is None else self.months * self.revenue

    @property
    def clv_se(self) -> float | None:
        """Delta-method standard error of the CLV (independent parts, or the model's)."""
        if self.value_se is not None:
            return self.value_se
        if self.clv is None or self.months_se is None or self.revenue_se is None:
            return None
        return math.hypot(self.revenue * self.months_se, self.months * self.revenue_se)  # type: ignore[operator]


@dataclass(frozen=True)
class LifetimeValue(ResultMixin):
    """Customer lifetime value per group within a horizon, with intervals.

    ``to_frame()`` columns: ``group, customers, months_active, months_active_se,
    revenue_per_month, revenue_per_month_se, clv, clv_se, clv_low, clv_high, note`` (NaN where
    a figure cannot be estimated; ``note`` says why). :meth:`differences` compares every group
    with ``reference``.

    Examples
    --------
    >>> import pandas as pd, roi_kit as rk
    >>> c = pd.DataFrame({"customer_id": [1, 2, 3], "acquired_at": pd.to_datetime(["2024-01-01"] * 3),
    ...     "churned_at": pd.to_datetime(["2024-03-01", None, None]),
    ...     "observed_until": pd.to_datetime(["2025-01-01"] * 3), "mrr": [50.0, 50.0, 50.0]})
    >>> # (60 days + 122.625 days × 2/3) / 30.4375 × 50
    >>> round(float(rk.customer_lifetime_value(c, horizon_months=6).to_frame()["clv"].iloc[0]), 1)
    232.9
    """

    groups: tuple[GroupValue, ...]
    reference: str | None
    horizon_months: float
    describe: str
    notes: tuple[str, ...]
    z: float
    conf_level: float
    currency: str = "USD"
    model: str = "subscription"

    def to_frame(self) -> pd.DataFrame:
        """One row per group (see the class docstring)."""
        rows = []
        for g in self.groups:
            clv, se = g.clv, g.clv_se
            rows.append([g.group, g.customers, g.months, g.months_se, g.revenue, g.revenue_se, clv, se,
                         None if clv is None or se is None else clv - self.z * se,
                         None if clv is None or se is None else clv + self.z * se, g.note])
        frame = pd.DataFrame(rows, columns=COLUMNS).fillna({c: np.nan for c in COLUMNS[1:-1]})
        return frame.rename(columns=REPEAT_NAMES) if self.model == "repeat_purchase" else frame

    def differences(self) -> pd.DataFrame:
        """``group, reference, difference, ci_low, ci_high`` of the CLV against the reference
        (empty without a reference; NaN where either CLV is not estimable)."""
        cols = ["group", "reference", "difference", "ci_low", "ci_high"]
        ref = next((g for g in self.groups if g.group == self.reference), None)
        if ref is None:
            return pd.DataFrame(columns=cols)
        rows = []
        for g in self.groups:
            if g is ref:
                continue
            if g.clv is None or ref.clv is None or g.clv_se is None or ref.clv_se is None:
                rows.append([g.group, ref.group, np.nan, np.nan, np.nan])
                continue
            d, se = g.clv - ref.clv, math.hypot(g.clv_se, ref.clv_se)
            rows.append([g.group, ref.group, d, d - self.z * se, d + self.z * se])
        return pd.DataFrame(rows, columns=cols)

    def summary(self) -> str:
        """The value per group and the differences in plain words."""
        money = lambda v: fmt_money(v, currency=self.currency, decimals=0)  # noqa: E731
        pct = f"{self.conf_level:.0%}"
        lines = [f"Customer lifetime value within {self.horizon_months:g} months, by {self.describe}:"]
        repeat = self.model == "repeat_purchase"
        for row in self.to_frame().rename(columns={v: k for k, v in REPEAT_NAMES.items()}).itertuples(index=False):
            if np.isnan(row.clv):
                lines.append(f"{row.group} ({row.customers:,} customers): not estimated — {row.note}")
            else:
                parts = (f"{row.months_active:.2f} expected purchases × {money(row.revenue_per_month)} per "
                         "purchase (per-customer products averaged)" if repeat else
                         f"{row.months_active:.2f} months active × {money(row.revenue_per_month)} per month")
                lines.append(f"{row.group} ({row.customers:,} customers): {money(row.clv)} ({pct} CI "
                             f"{money(row.clv_low)} to {money(row.clv_high)}) = {parts}.")
        diffs = self.differences()
        for row in diffs.itertuples(index=False):
            if np.isnan(row.difference):
                lines.append(f"{row.group} vs {row.reference}: no difference (a value is not estimated).")
            else:
                lines.append(f"{row.group} vs {row.reference}: {'+' if row.difference >= 0 else '-'}"
                             f"{money(abs(row.difference))} per customer ({pct} CI {money(row.ci_low)} to "
                             f"{money(row.ci_high)}).")
        if self.reference is None and len(self.groups) > 2:
            lines.append("Pass reference= to compare every group with one of them.")
        lines += list(self.notes)
        lines.append("The interval combines the two parts' standard errors (delta method); a "
                     "difference between segments is an association, not proof that following causes it.")
        return "\n".join(lines)

    def chart(self) -> alt.TopLevelMixin:
        """CLV per group with its interval."""
        from roi_kit.charts.lifetime import lifetime_value_chart

        return lifetime_value_chart(self)
