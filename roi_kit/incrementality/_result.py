"""The readout of a lift test: :class:`LiftResult` (holdout or geo), in numbers and in words."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import pandas as pd

from roi_kit.errors import InputError
from roi_kit.formatting import fmt_money, fmt_number, fmt_pct
from roi_kit.results import ResultMixin

if TYPE_CHECKING:
    import altair as alt

__all__ = ["LiftResult", "Metric"]

Metric = Literal[
    "conversion_rate_test", "conversion_rate_control", "lift_pct", "incremental_conversions",
    "incremental_revenue", "incremental_roas", "cost_per_incremental_conversion",
    "pre_period_rmspe_pct",
]


@dataclass(frozen=True, eq=False)
class LiftResult(ResultMixin):
    """Readout of a lift test (see :func:`~roi_kit.incrementality.lift_test`).

    Attributes
    ----------
    design
        ``"holdout"`` (users randomly held out) or ``"geo"`` (markets, synthetic control).
    metrics
        One row per metric: ``metric, estimate, ci_low, ci_high, note`` (what :meth:`to_frame`
        returns). Rates and lift are in percent; money in ``currency``.
    p_value
        Two-sided p-value of "no effect" (z test for a holdout, placebo rank for a geo test).
    groups
        Holdout: ``group, users, conversions, rate, ci_low, ci_high`` (Wilson intervals).
    series
        Geo: ``week, treated, synthetic, gap, period`` in the outcome's units.
    weights
        Geo: ``market, weight`` of the synthetic control (non-zero weights, largest first).
    placebos
        Geo: ``placebo, effect_pct, pre_rmspe_pct`` of each placebo group.

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.incrementality import lift_test
    >>> data = pd.DataFrame({"group": ["test", "control"], "users": [9000, 1000],
    ...                      "conversions": [450, 35], "revenue": [22500.0, 1750.0]})
    >>> r = lift_test(data, cost=5000)
    >>> r.estimate("incremental_conversions")
    135.0
    >>> r.revenue_estimate()[0]
    6750.0
    """

    design: Literal["holdout", "geo"]
    metrics: pd.DataFrame
    p_value: float
    alpha: float
    cost: float | None
    currency: str
    outcome: Literal["revenue", "conversions"]
    has_revenue: bool
    headline: str
    notes: tuple[str, ...] = ()
    groups: pd.DataFrame | None = None
    series: pd.DataFrame | None = None
    weights: pd.DataFrame | None = None
    placebos: pd.DataFrame | None = None
    pre_rmspe: float | None = None
    fit_quality: Literal["good", "fair", "poor"] | None = None
    source: str = field(default="lift test")

    def to_frame(self) -> pd.DataFrame:
        """Metrics table: ``metric, estimate, ci_low, ci_high, note`` (NaN when undefined)."""
        return self.metrics.copy()

    def estimate(self, metric: Metric) -> float:
        """The point estimate of one metric (NaN when undefined).

        Examples
        --------
        >>> import pandas as pd
        >>> from roi_kit.incrementality import lift_test
        >>> r = lift_test(pd.DataFrame({"group": ["test", "control"], "users": [100, 100],
        ...                             "conversions": [20, 10]}))
        >>> r.estimate("lift_pct")
        100.0
        """
        return float(self.interval(metric)[0])

    def interval(self, metric: Metric) -> tuple[float, float, float]:
        """(estimate, ci_low, ci_high) of one metric; raises if this design has no such metric."""
        rows = self.metrics[self.metrics["metric"] == metric]
        if rows.empty:
            raise InputError(f"this {self.design} lift test has no metric {metric!r}. Metrics: "
                             f"{', '.join(self.metrics['metric'])}.",
                             hint="pick one of the metrics listed.")
        row = rows.iloc[0]
        return float(row["estimate"]), float(row["ci_low"]), float(row["ci_high"])

    def revenue_estimate(self) -> tuple[float, float | None, float | None, str]:
        """(incremental revenue, low, high, source) — what ``rk.roi(revenue=...)`` reads."""
        if not self.has_revenue:
            raise InputError(
                f"this {self.design} lift test measured {self.outcome} without revenue, so it has "
                "no incremental revenue to put into an ROI.",
                hint="pass a revenue column to rk.lift_test (holdout) or outcome='revenue' (geo).")
        est, lo, hi = self.interval("incremental_revenue")
        return est, lo, hi, f"incremental revenue from a {self.source}"

    def summary(self) -> str:
        """The readout in plain words, with intervals and what to do with it."""
        money = lambda v: fmt_money(v, currency=self.currency, decimals=0)  # noqa: E731
        level = f"{100 * (1 - self.alpha):g}%"
        lines = [self.headline]
        lift, lift_lo, lift_hi = self._row("lift_pct")
        lines.append(f"Lift: {_signed(lift)} ({level} interval {_signed(lift_lo)} to "
                     f"{_signed(lift_hi)}); p = {self.p_value:.3g}.")
        if self._has("incremental_conversions"):
            est, lo, hi = self._row("incremental_conversions")
            lines.append(f"Incremental conversions: {fmt_number(est)} ({fmt_number(lo)} to "
                         f"{fmt_number(hi)}) — conversions that would not have happened without "
                         "the campaign.")
        if self.has_revenue:
            est, lo, hi = self._row("incremental_revenue")
            lines.append(f"Incremental revenue: {money(est)} ({money(lo)} to {money(hi)}).")
        if self.cost is None:
            lines.append("No cost given: pass cost= for incremental ROAS and cost per incremental "
                         "conversion.")
        else:
            if self.has_revenue:
                est, lo, hi = self._row("incremental_roas")
                lines.append(f"Incremental ROAS: {_num(est)} ({_num(lo)} to {_num(hi)}) — every "
                             f"{self.currency} 1 of the {money(self.cost)} cost brought back "
                             f"{fmt_money(est, currency=self.currency)} that would not have come "
                             "in otherwise.")
            if self._has("cost_per_incremental_conversion"):
                est, lo, hi = self._row("cost_per_incremental_conversion")
                if not math.isfinite(est):
                    span = "— undefined: the test measured no incremental conversions"
                elif math.isfinite(hi):
                    span = f"({money(lo)} to {money(hi)})"
                else:
                    span = (f"(from {money(lo)}, with no upper bound: the interval of incremental "
                            "conversions reaches zero)")
                shown = money(est) if math.isfinite(est) else "n/a"
                lines.append(f"Cost per incremental conversion: {shown} {span}.")
        lines.append(self._verdict(lift_lo, lift_hi))
        lines.extend(self.notes)
        return "\n".join(lines)

    def _verdict(self, lo: float, hi: float) -> str:
        level = f"{100 * (1 - self.alpha):g}%"
        if self.p_value <= self.alpha and lo > 0:
            return (f"Reading: the campaign caused a measurable lift (the {level} interval is above "
                    "zero). Use the incremental numbers, not attributed ones, when pricing it.")
        if self.p_value <= self.alpha and hi < 0:
            return (f"Reading: the test group did worse than the control (the {level} interval is "
                    "below zero); check the set-up before acting on it.")
        return (f"Reading: the lift is not distinguishable from zero at the {level} level — the "
                "test cannot tell whether the campaign worked. A longer or larger test (see "
                "rk.plan_lift_test) would narrow the interval.")

    def _has(self, metric: str) -> bool:
        return bool((self.metrics["metric"] == metric).any())

    def _row(self, metric: Metric) -> tuple[float, float, float]:
        return self.interval(metric)

    def chart(self) -> alt.LayerChart | alt.VConcatChart:
        """Holdout: conversion rates with intervals; geo: treated vs synthetic control by week."""
        from roi_kit.charts.incrementality import lift_chart

        return lift_chart(self)


def _signed(pct: float) -> str:
    if not math.isfinite(pct):
        return "n/a"
    return ("+" if pct > 0 else "") + fmt_pct(pct, ratio_input=False)


def _num(value: float) -> str:
    return f"{value:,.2f}" if math.isfinite(value) else "n/a"
