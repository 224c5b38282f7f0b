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

import math
import numbers
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from roi_kit.costs import CostLedger, cost_ledger
from roi_kit.errors import InputError
from roi_kit.formatting import fmt_money, fmt_pct, ratio
from roi_kit.results import ResultMixin

if TYPE_CHECKING:
    import altair as alt

__all__ = ["RoiResult", "resolve_cost", "resolve_revenue", "roi", "roi_pct"]


def resolve_revenue(revenue: Any) -> tuple[float, float | None, float | None, str]:
    """(estimate, ci_low, ci_high, description) of a number or a ``revenue_estimate()`` object.

    Examples
    --------
    >>> resolve_revenue(1200)
    (1200.0, None, None, 'revenue typed in')
    """
    if isinstance(revenue, numbers.Real) and not isinstance(revenue, bool):
        value = float(revenue)
        if not math.isfinite(value):
            raise InputError(f"revenue={revenue!r} is not a finite number.",
                             hint="pass the revenue attributed to social as a plain number.")
        return value, None, None, "revenue typed in"
    estimate = getattr(revenue, "revenue_estimate", None)
    if callable(estimate):
        est, lo, hi, description = estimate()
        if est is None or not math.isfinite(float(est)):
            raise InputError(f"{type(revenue).__name__}.revenue_estimate() gave no finite estimate.",
                             hint="check the result that should provide the revenue.")
        low = None if lo is None or not math.isfinite(float(lo)) else float(lo)
        high = None if hi is None or not math.isfinite(float(hi)) else float(hi)
        if low is None or high is None:
            low = high = None
        return float(est), low, high, str(description)
    raise InputError(
        f"revenue is a {type(revenue).__name__}, which roi() cannot read as money.",
        hint="pass a number, or a result with revenue_estimate() such as rk.attribute(...) or "
        "rk.value_of_social(...).",
    )


def resolve_cost(cost: Any, *, currency: str = "USD") -> tuple[float | None, tuple[tuple[str, float], ...]]:
    """(total cost or None, cost per category) from a number, a ledger frame or a CostLedger.

    Examples
    --------
    >>> resolve_cost(80)
    (80.0, (('cost', 80.0),))
    """
    if cost is None:
        return None, ()
    if isinstance(cost, numbers.Real) and not isinstance(cost, bool):
        value = float(cost)
        if math.isnan(value):
            return None, ()
        if not math.isfinite(value):
            raise InputError(f"cost={cost!r} is not a finite number.",
                             hint="pass the total social cost as a plain number or a cost ledger.")
        return value, (("cost", value),)
    ledger = cost if isinstance(cost, CostLedger) else cost_ledger(cost, currency=currency)
    cats = ledger.by_category()
    return ledger.total, tuple(zip(cats["category"].tolist(), cats["amount"].astype(float).tolist()))


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
        return out

    def summary(self) -> str:
        """ROI in plain words; undefined numbers are explained, never printed as inf/NaN."""
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
) -> RoiResult:
    """ROI %, net return, ROAS and payback of social media.

    Parameters
    ----------
    revenue
        Revenue attributed to social: a number, or an object with ``revenue_estimate()`` (an
        attribution result, a value-of-social estimate, a PPC-equivalent value). An interval it
        carries becomes the ROI interval.
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

    Returns
    -------
    RoiResult

    Examples
    --------
    >>> r = roi(revenue=150, cost=100)
    >>> print(r.summary())
    Revenue from social: USD 150.00 (revenue typed in).
    Total social cost: USD 100.00.
    ROI: 50.0% — net return USD 50.00; every USD 1 spent brought back USD 1.50 in revenue (ROAS 1.50).
    >>> roi(revenue=0, cost=100).roi_pct
    -100.0
    """
    rev, lo, hi, source = resolve_revenue(revenue)
    total, by_cat = resolve_cost(cost, currency=currency)
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
