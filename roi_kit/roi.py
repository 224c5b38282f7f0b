"""Return on investment of social media: ROI %, net return, ROAS and payback.

The formula (the one CFOs check)::

    ROI % = (revenue attributed to social − total social cost) × 100 / total social cost
    net return = revenue − cost
    ROAS = revenue / cost
    payback months = cost / (revenue / period_months)

Revenue is a number typed in, or any object with ``revenue_estimate() -> (estimate, ci_low,
ci_high, description)`` — an attribution result, a value-of-social estimate or a PPC-equivalent
value. Cost is a number, a cost-ledger frame (any engine) or a :class:`~roi_kit.costs.CostLedger`.
With zero or missing cost ROI is undefined: ``roi_pct is None`` and ``roi_reason`` says why.

When the revenue carries an interval, the ROI interval is the same formula applied to its ends
(costs are bookkeeping facts and treated as known).

Examples
--------
>>> r = roi(revenue=150, cost=100)
>>> r.roi_pct, r.net_return, r.roas
(50.0, 50.0, 1.5)
>>> roi(revenue=0, cost=100).roi_pct
-100.0
>>> roi(revenue=150, cost=0).roi_reason
'ROI is undefined: total social cost is zero.'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from roi_kit.errors import ConfigError, InputError
from roi_kit.formatting import fmt_money, fmt_pct, no_interval, ratio
from roi_kit.results import ResultMixin
from roi_kit.roi_inputs import resolve_cost, resolve_revenue
from roi_kit.roi_statement import (
    RevenueComponent,
    components_frame,
    statement,
    statement_rows,
    statement_summary,
)

if TYPE_CHECKING:
    import altair as alt

__all__ = ["RoiResult", "resolve_cost", "resolve_revenue", "roi", "roi_pct"]


def roi_pct(revenue: float, cost: float | None) -> tuple[float | None, str | None]:
    if cost is not None and cost < 0:
        return None, "ROI is undefined: total social cost is negative (credits exceed costs)."
    if cost is None:
        return None, "ROI is undefined: total social cost is missing."
    r = ratio(revenue - cost, cost, what="ROI", denominator_name="total social cost")
    return (None if r.value is None else r.value * 100.0), r.reason


@dataclass(frozen=True)
class RoiResult(ResultMixin):
    """ROI of social media (see :func:`roi`).

    Attributes
    ----------
    roi_pct
        ROI in percent, or ``None`` when undefined (``roi_reason`` says why).
    net_return
        Revenue minus cost (``None`` when cost is missing).
    roas
        Revenue per unit of cost (``None`` when undefined).
    roi_pct_ci
        (low, high) ROI % from the revenue interval, when the revenue carries one.
    payback_months
        Months of revenue needed to cover the cost (``None`` with ``payback_reason``).

    Examples
    --------
    >>> r = roi(revenue=3000, cost=1000, period_months=12)
    >>> r.payback_months
    4.0
    >>> r.to_frame()["metric"].tolist()
    ['revenue', 'cost', 'net_return', 'roi_pct', 'roas', 'payback_months']
    """

    revenue: float
    cost: float | None
    roi_pct: float | None
    roi_reason: str | None
    net_return: float | None
    roas: float | None
    revenue_ci: tuple[float, float] | None = None
    roi_pct_ci: tuple[float, float] | None = None
    payback_months: float | None = None
    payback_reason: str | None = None
    cost_by_category: tuple[tuple[str, float], ...] = field(default_factory=tuple)
    revenue_source: str = "revenue typed in"
    currency: str = "USD"
    components: tuple[RevenueComponent, ...] = ()
    direct: RoiResult | None = None
    warnings: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """One row per metric: ``metric, value, ci_low, ci_high, note`` (value NaN when undefined)."""
        nan = float("nan")
        rci = self.revenue_ci or (nan, nan)
        roi_ci = self.roi_pct_ci or (nan, nan)
        cost_ci = (self.cost, self.cost) if self.revenue_ci and self.cost is not None else (nan, nan)
        net_ci = ((rci[0] - self.cost, rci[1] - self.cost)
                  if self.revenue_ci and self.cost is not None else (nan, nan))
        roas_ci = ((rci[0] / self.cost, rci[1] / self.cost)
                   if self.revenue_ci and self.cost else (nan, nan))
        roas_reason = None if self.roas is not None else (self.roi_reason or "").replace("ROI", "ROAS")
        rows = [
            ("revenue", self.revenue, *rci, self.revenue_source),
            ("cost", self.cost, *cost_ci, None if self.cost is not None else "cost is missing"),
            ("net_return", self.net_return, *net_ci, None),
            ("roi_pct", self.roi_pct, *roi_ci, self.roi_reason),
            ("roas", self.roas, *roas_ci, roas_reason),
            ("payback_months", self.payback_months, nan, nan, self.payback_reason),
        ]
        out = pd.DataFrame(rows, columns=["metric", "value", "ci_low", "ci_high", "note"])
        out["value"] = pd.to_numeric(out["value"], errors="coerce").astype("float64")
        out["note"] = out["note"].fillna("")
        return statement_rows(self, out) if self.components else out

    def components_frame(self) -> pd.DataFrame:
        """Revenue components (``revenue={...}``): ``component, kind, direct, value, ci_low,
        ci_high, source``; empty for a single revenue."""
        return components_frame(self.components)

    def summary(self) -> str:
        """ROI in plain words; undefined numbers are explained, never printed as inf/NaN."""
        if self.components:
            return statement_summary(self)
        money = lambda v: fmt_money(v, currency=self.currency)  # noqa: E731
        lines = [f"Revenue from social: {money(self.revenue)} ({self.revenue_source})."]
        if self.cost is None:
            lines.append("Total social cost: missing.")
        else:
            lines.append(f"Total social cost: {money(self.cost)}.")
        if self.roi_pct is None:
            lines.append(f"{self.roi_reason} Enter the social media costs to get an ROI.")
        else:
            lines.append(
                f"ROI: {fmt_pct(self.roi_pct, ratio_input=False)} — net return "
                f"{money(self.net_return)}; every {self.currency} 1 spent brought back "
                f"{money(self.roas)} in revenue (ROAS {self.roas:.2f})."
            )
            if self.roi_pct_ci is not None:
                lo, hi = self.roi_pct_ci
                lines.append(
                    f"From the revenue interval, ROI lies between {fmt_pct(lo, ratio_input=False)} "
                    f"and {fmt_pct(hi, ratio_input=False)} (costs taken as known)."
                )
            else:
                lines.append(no_interval(
                    "ROI", "the revenue came without an interval (a typed-in number or a result "
                    "that has none) and costs are booked amounts; pass an attribution or "
                    "value-of-social result as revenue to carry its interval"))
        if self.payback_months is not None:
            lines.append(f"Payback: the cost is covered after {self.payback_months:,.1f} months of "
                         "this revenue.")
        elif self.payback_reason and "period_months" not in self.payback_reason:
            lines.append(self.payback_reason)
        return "\n".join(lines)

    def chart(self) -> alt.LayerChart:
        """Waterfall: revenue up, each cost category down, net return at the end."""
        from roi_kit.charts.roi import roi_waterfall

        return roi_waterfall(self)


def roi(
    *,
    revenue: Any,
    cost: Any,
    period_months: float | None = None,
    currency: str = "USD",
    direct: Sequence[str] | None = None,
) -> RoiResult:
    """ROI %, net return, ROAS and payback of social media.

    Parameters
    ----------
    revenue
        Revenue attributed to social: a number, or an object with ``revenue_estimate()`` (an
        attribution result, a value-of-social estimate, a PPC-equivalent value, service
        metrics). An interval it carries becomes the ROI interval. A mapping
        ``{name: number or result}`` gives direct + indirect ROI in one statement (see
        :mod:`roi_kit.roi_statement`).
    cost
        Total social cost: a number, a cost-ledger frame (``date, category, amount`` or
        ``hours, rate``; any engine) or a :class:`~roi_kit.costs.CostLedger`. ``None`` or 0 makes
        ROI undefined (said in words).
    period_months
        Months over which the revenue was earned; gives the payback period
        ``cost / (revenue / period_months)``. Revenue, not profit: pass margin-adjusted revenue
        for a profit payback.
    currency
        Currency code used in the summary.
    direct
        With a ``revenue`` mapping: the names counted as direct revenue (default: attributed
        sales); the rest is indirect.

    Returns
    -------
    RoiResult
        With a ``revenue`` mapping, ``roi_pct`` is the total ROI, ``.direct`` the ROI of direct
        revenue alone, ``.components`` the parts and ``.warnings`` the double-counting warnings.

    Examples
    --------
    >>> r = roi(revenue={"attributed sales": 300, "service savings": 100}, cost=200)
    >>> r.roi_pct, r.direct.roi_pct, r.warnings
    (100.0, 50.0, ())
    >>> r = roi(revenue=150, cost=100)
    >>> print(r.summary())
    Revenue from social: USD 150.00 (revenue typed in).
    Total social cost: USD 100.00.
    ROI: 50.0% — net return USD 50.00; every USD 1 spent brought back USD 1.50 in revenue (ROAS 1.50).
    No interval: ROI — the revenue came without an interval (a typed-in number or a result that has none) and costs are booked amounts; pass an attribution or value-of-social result as revenue to carry its interval.
    >>> roi(revenue=0, cost=100).roi_pct
    -100.0
    """
    if isinstance(revenue, Mapping):
        return statement(revenue, cost, direct=direct, period_months=period_months, currency=currency)
    if direct is not None:
        raise ConfigError(f"direct={list(direct)!r} needs revenue as a mapping of components.",
                          hint="pass revenue={'attributed sales': ..., 'follower value': ...}, "
                          "or drop direct=.")
    rev = resolve_revenue(revenue)
    total, by_cat = resolve_cost(cost, currency=currency)
    return _result(*rev, total, by_cat, period_months, currency)


def _result(rev: float, lo: float | None, hi: float | None, source: str, total: float | None,
            by_cat: tuple[tuple[str, float], ...], period_months: float | None,
            currency: str) -> RoiResult:
    pct, reason = roi_pct(rev, total)
    net = None if total is None else rev - total
    roas = ratio(rev, total, what="ROAS", denominator_name="total social cost").value
    if total is not None and total < 0:
        roas = None
    revenue_ci = (lo, hi) if lo is not None and hi is not None else None
    roi_ci = None
    if revenue_ci is not None and pct is not None and total:
        roi_ci = ((revenue_ci[0] - total) * 100 / total, (revenue_ci[1] - total) * 100 / total)
    payback, payback_reason = _payback(rev, total, period_months)
    return RoiResult(
        revenue=rev, cost=total, roi_pct=pct, roi_reason=reason, net_return=net, roas=roas,
        revenue_ci=revenue_ci, roi_pct_ci=roi_ci, payback_months=payback,
        payback_reason=payback_reason, cost_by_category=by_cat, revenue_source=source,
        currency=currency,
    )


def _payback(revenue: float, cost: float | None,
             period_months: float | None) -> tuple[float | None, str | None]:
    if period_months is None:
        return None, "Payback needs period_months= (the months the revenue was earned over)."
    if not period_months > 0:
        raise InputError(f"period_months={period_months!r} must be a positive number of months.",
                         hint="e.g. period_months=12 for a year of revenue.")
    if cost is None:
        return None, "Payback is undefined: total social cost is missing."
    if cost <= 0:
        return None, "Payback is immediate: there is no cost to recover."
    if revenue <= 0:
        return None, "Payback never happens at this revenue: social brought no revenue."
    return cost / (revenue / period_months), None

