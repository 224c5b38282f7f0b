"""Read what ``rk.roi`` is given: revenue (a number or a result with ``revenue_estimate()``) and
cost (a number, a ledger frame or a :class:`~roi_kit.costs.CostLedger`).

Examples
--------
>>> resolve_revenue(99.5)[0], resolve_cost(None)
(99.5, (None, ()))
"""

from __future__ import annotations

import math
import numbers
from typing import Any

from roi_kit.costs import CostLedger, cost_ledger
from roi_kit.errors import InputError

__all__ = ["resolve_cost", "resolve_revenue"]


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
        "rk.value_of_social(...), or a mapping of such components {'attributed sales': ...}.",
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
