"""Direct + indirect ROI in one statement: ``rk.roi(revenue={name: number or result, ...}, cost=...)``.

Each component is read like a single revenue (a number, or a result with ``revenue_estimate()``)
and keeps its own interval and source. Then:

* **direct** components are revenue that social demonstrably brought in (by default: attributed
  sales — an attribution result, or a component named like ``"attributed sales"``); ``direct=``
  names them explicitly. Everything else is **indirect**: follower value, PPC-equivalent traffic
  value, service-cost savings (costs avoided, counted as return);
* ROI is reported twice over the same cost: for direct revenue alone and for the total;
* the total's interval adds the components' interval half-widths in quadrature (each side
  separately), treating components estimated from different data as independent and components
  without an interval as known — an approximation, said so in the summary;
* components that can count the same money twice get a warning in words: attributed sales and
  follower value (follower value includes followers' extra deals, which attribution already
  credits in part), attributed sales and PPC-equivalent traffic (the value of the visits and the
  sales of the same visits), and any two components of the same kind.

The kind of a component comes from a ``money_kind`` attribute of the result when it has one, else
from the result's type (attribution result → sales, value of social → follower value, PPC value →
traffic), else from words in its name.

Examples
--------
>>> parts = components({"attributed sales": 100.0, "follower value": 50.0})
>>> [(c.name, c.kind, c.direct) for c in parts]
[('attributed sales', 'sales', True), ('follower value', 'follower value', False)]
>>> overlap_warnings(parts)[0][:60]
"'attributed sales' and 'follower value' can count the same m"
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from roi_kit.errors import InputError
from roi_kit.formatting import fmt_money, fmt_pct
from roi_kit.roi_inputs import resolve_cost, resolve_revenue

if TYPE_CHECKING:
    from roi_kit.roi import RoiResult

__all__ = ["MoneyKind", "RevenueComponent", "combined_interval", "components", "components_frame",
           "overlap_warnings", "statement", "statement_rows", "statement_summary"]

MoneyKind = Literal["sales", "follower value", "traffic", "service savings", "other"]

_BY_TYPE: dict[str, MoneyKind] = {
    "AttributionResult": "sales", "PeriodAttribution": "sales", "ValueOfSocial": "follower value",
    "PeriodFollowerValue": "follower value", "PpcValue": "traffic", "ServiceMetrics": "service savings",
}
_BY_WORD: tuple[tuple[str, MoneyKind], ...] = (
    ("service", "service savings"), ("care", "service savings"), ("support", "service savings"),
    ("follower", "follower value"), ("value of social", "follower value"),
    ("ppc", "traffic"), ("traffic", "traffic"), ("media value", "traffic"),
    ("attribut", "sales"), ("sales", "sales"), ("direct", "sales"),
)
_OVERLAPS: dict[frozenset[str], str] = {
    frozenset({"sales", "follower value"}): (
        "can count the same money twice: follower value includes followers' extra deals, upsells "
        "and retained revenue, and attribution already credits social with the part of those sales "
        "that followed a social touch. Read the total as an upper bound, or keep only one of the two "
        "for a conservative ROI."),
    frozenset({"sales", "traffic"}): (
        "can count the same visits twice: the traffic value is what the clicks would have cost as "
        "ads, the attributed sales are what those clicks sold. Keep one of the two for a "
        "conservative ROI."),
}


@dataclass(frozen=True)
class RevenueComponent:
    """One named part of the return: value, interval (or ``None``), source and kind.

    Examples
    --------
    >>> components({"PPC-equivalent traffic": 120})[0].kind
    'traffic'
    """

    name: str
    value: float
    ci_low: float | None
    ci_high: float | None
    source: str
    kind: MoneyKind
    direct: bool


def _kind(name: str, value: Any) -> MoneyKind:
    declared = getattr(value, "money_kind", None)
    if declared in ("sales", "follower value", "traffic", "service savings", "other"):
        return declared  # type: ignore[no-any-return]
    if type(value).__name__ in _BY_TYPE:
        return _BY_TYPE[type(value).__name__]
    words = name.lower()
    return next((kind for word, kind in _BY_WORD if word in words), "other")


def components(revenue: Mapping[str, Any], *, direct: Sequence[str] | None = None) -> tuple[RevenueComponent, ...]:
    """Read every component of a ``revenue={name: ...}`` mapping (see the module docstring)."""
    if not revenue:
        raise InputError("revenue={} has no components.",
                         hint="pass e.g. revenue={'attributed sales': 1200, 'follower value': 800}.")
    names = [str(k) for k in revenue]
    if direct is not None:
        unknown = [d for d in direct if d not in names]
        if unknown:
            raise InputError(f"direct={list(direct)!r} names {unknown[0]!r}, which is not a component. "
                             f"Components: {', '.join(names)}.",
                             hint="use the names given in revenue={...}.")
    out = []
    for name, value in zip(names, revenue.values()):
        try:
            est, lo, hi, source = resolve_revenue(value)
        except InputError as exc:
            raise InputError(f"revenue[{name!r}]: {exc.message}", hint=exc.hint) from exc
        kind = _kind(name, value)
        is_direct = name in direct if direct is not None else kind == "sales"
        out.append(RevenueComponent(name, est, lo, hi, source, kind, is_direct))
    return tuple(out)


def combined_interval(parts: Sequence[RevenueComponent]) -> tuple[float, float] | None:
    """Interval of the sum: half-widths added in quadrature per side; ``None`` if no part has one.

    Examples
    --------
    >>> a = RevenueComponent("a", 100.0, 70.0, 140.0, "", "sales", True)
    >>> b = RevenueComponent("b", 50.0, 10.0, 80.0, "", "follower value", False)
    >>> combined_interval([a, b])
    (100.0, 200.0)
    """
    if not any(p.ci_low is not None for p in parts):
        return None
    total = sum(p.value for p in parts)
    down = math.sqrt(sum((p.value - p.ci_low) ** 2 for p in parts if p.ci_low is not None))
    up = math.sqrt(sum((p.ci_high - p.value) ** 2 for p in parts if p.ci_high is not None))
    return total - down, total + up


def overlap_warnings(parts: Sequence[RevenueComponent]) -> tuple[str, ...]:
    """Warnings in words for components that can count the same money twice."""
    out = []
    for i, a in enumerate(parts):
        for b in parts[i + 1:]:
            pair = f"{a.name!r} and {b.name!r}"
            if a.kind == b.kind and a.kind != "other":
                out.append(f"{pair} are both {a.kind}: adding them counts that money twice unless "
                           "they cover different periods or audiences.")
            elif frozenset({a.kind, b.kind}) in _OVERLAPS:
                out.append(f"{pair} {_OVERLAPS[frozenset({a.kind, b.kind})]}")
    return tuple(out)


def components_frame(parts: Sequence[RevenueComponent]) -> pd.DataFrame:
    """``component, kind, direct, value, ci_low, ci_high, source`` (NaN where no interval)."""
    nan = float("nan")
    return pd.DataFrame(
        [(p.name, p.kind, p.direct, p.value, nan if p.ci_low is None else p.ci_low,
          nan if p.ci_high is None else p.ci_high, p.source) for p in parts],
        columns=["component", "kind", "direct", "value", "ci_low", "ci_high", "source"])


def statement(revenue: Mapping[str, Any], cost: Any, *, direct: Sequence[str] | None,
              period_months: float | None, currency: str) -> RoiResult:
    """The total :class:`~roi_kit.roi.RoiResult` with ``.direct``, ``.components``, ``.warnings``."""
    from roi_kit.roi import _result

    parts = components(revenue, direct=direct)
    total, by_cat = resolve_cost(cost, currency=currency)

    def result(chosen: Sequence[RevenueComponent], label: str) -> RoiResult:
        lo, hi = combined_interval(chosen) or (None, None)
        source = f"{label}: {' + '.join(p.name for p in chosen)}"
        return _result(sum(p.value for p in chosen), lo, hi, source, total, by_cat, period_months,
                       currency)

    chosen = [p for p in parts if p.direct]
    return dataclasses.replace(result(parts, "direct + indirect"), components=parts,
                               direct=result(chosen, "direct") if chosen else None,
                               warnings=overlap_warnings(parts))


def statement_rows(result: RoiResult, frame: pd.DataFrame) -> pd.DataFrame:
    """``to_frame()`` of a statement: the total's rows, direct revenue and ROI, then each component."""
    nan = float("nan")
    d = result.direct
    if d is None:
        why = "no component is direct revenue"
        rows = [("direct_revenue", nan, nan, nan, why), ("direct_roi_pct", nan, nan, nan, why)]
    else:
        rci, pci = d.revenue_ci or (nan, nan), d.roi_pct_ci or (nan, nan)
        rows = [("direct_revenue", d.revenue, *rci, d.revenue_source),
                ("direct_roi_pct", nan if d.roi_pct is None else d.roi_pct, *pci, d.roi_reason or "")]
    parts = components_frame(result.components)
    rows += [(f"component: {r.component}", r.value, r.ci_low, r.ci_high, r.source)
             for r in parts.itertuples()]
    return pd.concat([frame, pd.DataFrame(rows, columns=frame.columns)], ignore_index=True)


def _roi_line(r: RoiResult, label: str) -> str:
    money = lambda v: fmt_money(v, currency=r.currency)  # noqa: E731
    if r.roi_pct is None or r.roas is None:
        return f"{label}: {r.roi_reason}"
    text = (f"{label}: {fmt_pct(r.roi_pct, ratio_input=False)} on {money(r.revenue)} — net return "
            f"{money(r.net_return)}, ROAS {r.roas:.2f}")
    if r.roi_pct_ci is not None:
        lo, hi = r.roi_pct_ci
        text += (f"; from the components' intervals, between {fmt_pct(lo, ratio_input=False)} and "
                 f"{fmt_pct(hi, ratio_input=False)}")
    else:
        text += "; no interval: none of its components carries one"
    return text + "."


def statement_summary(r: RoiResult) -> str:
    """Direct + indirect ROI in plain words, component by component, with its warnings."""
    money = lambda v: fmt_money(v, currency=r.currency)  # noqa: E731
    lines = [f"Return from social: {money(r.revenue)} in {len(r.components)} components."]
    for p in r.components:
        ci = (f", interval {money(p.ci_low)} to {money(p.ci_high)}" if p.ci_low is not None
              and p.ci_high is not None else ", no interval (taken as known)")
        lines.append(f"- {p.name} ({'direct' if p.direct else 'indirect'}, {p.kind}): "
                     f"{money(p.value)}{ci} — {p.source.rstrip('.')}.")
    lines.append("Total social cost: missing." if r.cost is None
                 else f"Total social cost: {money(r.cost)}.")
    if r.direct is None:
        lines.append("Direct ROI: undefined — no component is direct revenue (name them with "
                     "direct=[...]).")
    else:
        lines.append(_roi_line(r.direct, "Direct ROI (" + r.direct.revenue_source.split(": ", 1)[1] + ")"))
    lines.append(_roi_line(r, "Total ROI (direct + indirect)"))
    if r.roi_pct is None:
        lines.append("Enter the social media costs to get an ROI.")
    if r.roi_pct_ci is not None:
        lines.append("Intervals of the components are combined as independent; components without "
                     "an interval are taken as known.")
    if any(p.kind == "service savings" for p in r.components):
        lines.append("Service savings are costs avoided, counted here as return.")
    if r.payback_months is not None:
        lines.append(f"Payback on the total: {r.payback_months:,.1f} months.")
    lines.extend(f"WARNING: {w}" for w in r.warnings)
    return "\n".join(lines)
