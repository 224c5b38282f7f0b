"""Service-cost savings: what answering on social saved against the channel each case replaced.

The formula, per replaced channel ``c``::

    savings_c = cases handled on social that replaced c × (cost per case on c − cost per case on social)

A case is *handled on social* when it was resolved and names the channel it replaced
(``replaced_channel``: phone, email, chat ...). Cases without a replaced channel may not have
replaced any contact and save nothing; they are counted in the notes.

Cost per case on social, in this order:

1. ``cost_per_case={"social": ...}`` typed in;
2. from the cost ledger: the ``service`` category (refunds, discounts and credits given through
   social care) plus ``staff`` and ``management`` lines whose campaign names customer care
   (``customer care``, ``care``, ``customer service``, ``service``, ``support``, ``social care``),
   divided by every case in the table. The ledger and the cases should cover the same period;
   the summary shows both ranges.

The cost per case on each replaced channel comes from ``cost_per_case`` (your contact-centre
figures); roi_kit ships no default, because a made-up phone cost would decide the answer.
Savings carry no interval: case counts and unit costs are bookkeeping facts here.

Examples
--------
>>> import pandas as pd
>>> handled = pd.DataFrame({"replaced_channel": ["email", "phone"], "handled": [10, 4]})
>>> s = savings(handled, cases=20, cost_per_case={"phone": 6.0, "email": 3.0, "social": 1.5},
...             ledger=None, has_replaced_channel=True)
>>> s.total, s.table["savings"].tolist()
(33.0, [15.0, 18.0])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from roi_kit.costs import CostLedger, cost_ledger
from roi_kit.errors import InputError
from roi_kit.formatting import fmt_money

__all__ = ["CARE_LABELS", "Savings", "savings"]

CARE_LABELS: tuple[str, ...] = ("customer care", "care", "customer service", "service", "support",
                                "social care")
"""Campaign labels of staff / management ledger lines that count as customer-care work."""

_SOCIAL = "social"


@dataclass(frozen=True, eq=False)
class Savings:
    """Service-cost savings (see the module docstring).

    ``table`` has one row per replaced channel: ``replaced_channel, handled, cost_per_case,
    social_cost_per_case, savings, note`` (``savings`` NaN where undefined, ``note`` says why).
    """

    total: float | None
    reason: str | None
    table: pd.DataFrame
    social_cost_per_case: float | None
    social_cost_source: str
    notes: tuple[str, ...] = field(default_factory=tuple)


def _care_cost(ledger: Any, currency: str) -> tuple[float | None, str]:
    led = ledger if isinstance(ledger, CostLedger) else cost_ledger(ledger, currency=currency)
    d = led.detail
    campaign = d["campaign"].astype(str).str.strip().str.lower()
    care = (d["category"] == "service") | (d["category"].isin(["staff", "management"])
                                           & campaign.isin(CARE_LABELS))
    if not care.any():
        return None, ("the ledger has no service lines and no staff or management lines with a "
                      "customer-care campaign")
    months = d.loc[care].assign(p=lambda f: f["year"].astype(str) + "-" + f["month"].map("{:02d}".format))
    span = sorted(months["p"].unique())
    when = span[0] if len(span) == 1 else f"{span[0]} to {span[-1]}"
    return float(d.loc[care, "amount"].sum()), f"cost ledger care lines ({when})"


def _check_costs(cost_per_case: Mapping[str, float]) -> dict[str, float]:
    out = {}
    for key, value in cost_per_case.items():
        v = float(value)
        if not np.isfinite(v) or v < 0:
            raise InputError(f"cost_per_case[{key!r}]={value!r} is not a cost per case.",
                             hint="pass a finite, non-negative amount per case, e.g. {'phone': 6.5}.")
        out[str(key).strip().lower()] = v
    return out


def savings(handled: pd.DataFrame, *, cases: int, cost_per_case: Mapping[str, float] | None,
            ledger: Any, has_replaced_channel: bool, currency: str = "USD") -> Savings:
    """Savings per replaced channel and in total (see the module docstring)."""
    costs = _check_costs(cost_per_case or {})
    notes: list[str] = []
    if _SOCIAL in costs:
        social: float | None = costs.pop(_SOCIAL)
        source = "cost_per_case['social'] typed in"
    elif ledger is not None:
        care, source = _care_cost(ledger, currency)
        social = None if care is None else care / cases
        if social is not None:
            source = f"{source}: {fmt_money(care, currency=currency)} over {cases:,} cases"
    else:
        social, source = None, "no ledger and no cost_per_case['social']"
    table = handled.copy()
    table["cost_per_case"] = table["replaced_channel"].map(costs).astype("float64")
    table["social_cost_per_case"] = np.nan if social is None else social
    table["savings"] = table["handled"] * (table["cost_per_case"] - table["social_cost_per_case"])
    table["note"] = np.where(table["cost_per_case"].isna(),
                             "no cost_per_case for this channel", "")
    if social is None:
        table["note"] = "cost per case on social is unknown"
    unknown = sorted(set(costs) - set(table["replaced_channel"]))
    if unknown:
        notes.append(f"No handled case replaced {', '.join(unknown)}; those costs were not used.")
    defined = table["savings"].notna()
    if not has_replaced_channel:
        reason = ("Service-cost savings are undefined: the cases have no replaced_channel column "
                  "(load with fill={'replaced_channel': 'phone'} if every case replaced a call).")
    elif table.empty:
        reason = "Service-cost savings are undefined: no resolved case names a replaced channel."
    elif social is None:
        reason = (f"Service-cost savings are undefined: the cost per case on social is unknown "
                  f"({source}); pass a ledger with care lines or cost_per_case={{'social': ...}}.")
    elif not defined.any():
        wanted = ", ".join(repr(c) for c in table["replaced_channel"])
        reason = (f"Service-cost savings are undefined: no cost per case for the replaced channels "
                  f"({wanted}); pass cost_per_case={{...}} with your contact-centre costs.")
    else:
        reason = None
        missing = table.loc[~defined, "replaced_channel"].tolist()
        if missing:
            notes.append(f"Savings leave out cases that replaced {', '.join(missing)}: no "
                         "cost_per_case for those channels.")
    total = None if reason else float(table.loc[defined, "savings"].sum())
    return Savings(total, reason, table.reset_index(drop=True), social, source, tuple(notes))
