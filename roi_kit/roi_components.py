"""The parts of a direct + indirect ROI, measured from the canonical tables for one set of dates.

The report (``roi-kit report``, app 06) and the ROI calculator (app 01) show one statement built
by the one ROI function, ``rk.roi(revenue={...}, cost=...)`` (:mod:`roi_kit.roi_statement`). This
module only gathers its components for the chosen dates — each where the data allow it, and a
sentence saying why where they do not:

* **attributed sales** (direct) — revenue credited to social by attribution (passed in);
* **follower value** (indirect) — the value of followers credited to the dates (passed in);
* **PPC-equivalent traffic** (indirect) — clicks on *organic* posts published in the dates, valued
  at what the same clicks cost as ads (:func:`roi_kit.ppc.ppc_value`). The cost per click is
  yours (``cpc=``) or, where the data allow, the company's own: spend ÷ clicks of its *paid*
  posts on that platform in the same dates. A platform without either is left out (and named);
* **service savings** (indirect) — :func:`roi_kit.service_metrics` on the care cases opened in
  the dates, with ``cost_per_case`` (your contact-centre costs; the key ``"social"``, or else the
  cost ledger's care lines, gives the cost per case on social). No default cost: an invented
  phone cost would decide the answer.

Examples
--------
>>> import pandas as pd
>>> posts = pd.DataFrame({"platform": ["x", "x", "x"], "paid": [False, True, False],
...     "published_at": pd.to_datetime(["2025-01-02", "2025-01-03", "2025-03-01"]),
...     "clicks": [40.0, 100.0, 7.0], "spend": [0.0, 80.0, 0.0]})
>>> v = organic_click_value(posts, start=None, end=pd.Timestamp("2025-01-31").date())
>>> v.total, v.to_frame()["cpc"].tolist()
(32.0, [0.8])
>>> parts = return_components(attributed=500.0, posts=posts, start=None, end=None)
>>> list(parts.revenue), parts.left_out
(['attributed sales', 'PPC-equivalent traffic'], ('Service savings need the service_interactions table.',))
>>> parts.statement(cost=400.0).direct.roi_pct
25.0
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from roi_kit.errors import InputError
from roi_kit.periods import rows_in_dates

if TYPE_CHECKING:
    from roi_kit.ppc import PpcValue
    from roi_kit.roi import RoiResult
    from roi_kit.service import ServiceMetrics

__all__ = ["COMPONENT_NAMES", "ReturnComponents", "care_savings", "organic_click_value",
           "return_components"]

COMPONENT_NAMES: tuple[str, ...] = ("attributed sales", "follower value", "PPC-equivalent traffic",
                                    "service savings")
"""Names of the components, in the order the statement lists them."""


def _own_cpc(posts: pd.DataFrame) -> dict[str, float]:
    paid = posts.loc[posts["paid"].astype(bool)]
    by = paid.assign(platform=paid["platform"].astype(str).str.strip().str.lower()).groupby(
        "platform")[["spend", "clicks"]].sum()
    by = by.loc[(by["clicks"] > 0) & (by["spend"] > 0)]
    return {str(k): float(v) for k, v in (by["spend"] / by["clicks"]).items()}


def organic_click_value(posts: pd.DataFrame, *, start: dt.date | None, end: dt.date | None,
                        cpc: Mapping[str, float] | None = None,
                        currency: str = "USD") -> PpcValue | str:
    """PPC-equivalent value of the clicks on organic posts published in the dates (see module).

    Returns the :class:`~roi_kit.ppc.PpcValue`, or a sentence saying why it cannot be valued.
    """
    from roi_kit.ppc import ppc_value

    need = [c for c in ("platform", "published_at", "clicks", "paid") if c not in posts.columns]
    if need:
        return f"PPC-equivalent traffic needs the posts' {', '.join(need)} column(s)."
    dated = rows_in_dates(posts, "published_at", start, end)
    organic = dated.loc[~dated["paid"].astype(bool) & dated["clicks"].notna()]
    if organic.empty or float(organic["clicks"].sum()) == 0:
        return "PPC-equivalent traffic: no clicks on organic posts in these dates."
    own = "spend" in dated.columns and cpc is None
    prices = dict(cpc) if cpc is not None else (_own_cpc(dated) if own else {})
    if not prices:
        return ("PPC-equivalent traffic left out: no cost per click is known (no paid posts with "
                "spend and clicks in these dates, and no cpc given).")
    value = ppc_value(organic[["platform", "clicks"]], cpc=prices, sessions="clicks",
                      currency=currency)
    if cpc is None:
        priced = ", ".join(f"{k} {v:,.2f}" for k, v in sorted(prices.items()))
        value = dataclasses.replace(value, notes=(
            *value.notes, "Cost per click: the company's own paid CPC (spend ÷ clicks of its paid "
            f"posts in these dates): {priced}."))
    if not value.table["value"].notna().any():
        return "PPC-equivalent traffic left out: no platform with organic clicks has a cost per click."
    return value


def care_savings(interactions: pd.DataFrame, *, start: dt.date | None, end: dt.date | None,
                 cost_per_case: Mapping[str, float] | None, ledger: Any = None,
                 currency: str = "USD") -> ServiceMetrics | str:
    """:func:`roi_kit.service_metrics` of the care cases opened in the dates, or a sentence
    saying why their savings are undefined."""
    from roi_kit.service import service_metrics

    if not cost_per_case:
        return ("Service savings left out: no cost per case given for the channels social care "
                "replaced (e.g. phone 6.50, email 3.20).")
    cases = rows_in_dates(interactions, "opened_at", start, end)
    if cases.empty:
        return "Service savings: no care case was opened in these dates."
    as_of = None if end is None else pd.Timestamp(end) + pd.Timedelta(days=1)
    care = service_metrics(cases, ledger=ledger, cost_per_case=cost_per_case, as_of=as_of,
                           currency=currency)
    if care.savings.total is None:
        return f"Service savings left out. {care.savings.reason}"
    return care


@dataclass(frozen=True, eq=False)
class ReturnComponents:
    """The components found for the dates and the sentences for those left out."""

    revenue: Mapping[str, Any]
    left_out: tuple[str, ...] = field(default_factory=tuple)

    def statement(self, cost: Any, *, period_months: float | None = None,
                  currency: str = "USD") -> RoiResult | None:
        """``rk.roi(revenue=self.revenue, cost=cost, ...)``; ``None`` when no component exists."""
        from roi_kit.roi import roi

        if not self.revenue:
            return None
        return roi(revenue=dict(self.revenue), cost=cost, period_months=period_months,
                   currency=currency)

    def summary(self, result: RoiResult | None) -> str:
        """The statement in words, then the components left out and why."""
        lines = [] if result is None else [result.summary()]
        if result is None:
            lines.append("Direct + indirect ROI: no component could be measured from these data.")
        traffic = self.revenue.get("PPC-equivalent traffic")
        lines += [n for n in getattr(traffic, "notes", ()) if n.startswith("Cost per click")]
        lines += [f"Not included: {why}" for why in self.left_out]
        return "\n".join(lines)


def return_components(*, attributed: Any = None, followers: Any = None,
                      posts: pd.DataFrame | None = None, interactions: pd.DataFrame | None = None,
                      start: dt.date | None, end: dt.date | None,
                      cpc: Mapping[str, float] | None = None,
                      cost_per_case: Mapping[str, float] | None = None, ledger: Any = None,
                      currency: str = "USD") -> ReturnComponents:
    """Gather the components of a direct + indirect ROI for the dates ``start`` – ``end``.

    Parameters
    ----------
    attributed, followers
        Attributed sales and follower value already computed for the dates (a number or a result
        with ``revenue_estimate()``), or a sentence (str) saying why they are missing, or ``None``.
    posts, interactions
        The posts and ``service_interactions`` tables (``None`` when absent: the component is
        left out and said so).
    start, end
        The dates (both days included; ``None`` = open).
    cpc
        Your cost per click per platform (default: the company's own paid CPC from the posts).
    cost_per_case
        Cost per case on the replaced channels (and ``"social"``); see :func:`care_savings`.
    ledger
        Cost ledger of the dates (its care lines give the cost per case on social when
        ``cost_per_case`` has no ``"social"``).
    currency
        Currency code.

    Returns
    -------
    ReturnComponents

    Examples
    --------
    >>> parts = return_components(attributed="No touchpoints.", followers=120.0, start=None,
    ...                           end=None)
    >>> list(parts.revenue), len(parts.left_out), parts.left_out[0]
    (['follower value'], 3, 'No touchpoints.')
    """
    revenue: dict[str, Any] = {}
    left: list[str] = []
    for name, value in (("attributed sales", attributed), ("follower value", followers)):
        if isinstance(value, str):
            left.append(value)
        elif value is not None:
            revenue[name] = value
    _add(revenue, left, "PPC-equivalent traffic", "PPC-equivalent traffic needs the posts table."
         if posts is None else organic_click_value(posts, start=start, end=end, cpc=cpc,
                                                   currency=currency))
    _add(revenue, left, "service savings", "Service savings need the service_interactions table."
         if interactions is None else care_savings(interactions, start=start, end=end,
                                                   cost_per_case=cost_per_case, ledger=ledger,
                                                   currency=currency))
    return ReturnComponents(revenue, tuple(left))


def _add(revenue: dict[str, Any], left: list[str], name: str, value: Any) -> None:
    if isinstance(value, str):
        left.append(value)
        return
    try:
        value.revenue_estimate()
    except InputError as exc:
        left.append(f"{name}: {exc.message}")
        return
    revenue[name] = value
