"""The followers app's lever panels: prospects (follower leads vs other leads) and lifetime value.

Each panel shows the result of the one public function with the app's follower definition —
:func:`roi_kit.compare_prospects` on every lead's new deals, :func:`roi_kit.customer_lifetime_value`
on the customers — and this module only words it: a lead sentence, tiles, the result's chart,
and every figure in its own unit.

Examples
--------
>>> import pandas as pd, roi_kit as rk
>>> deals = pd.DataFrame({"customer_id": list("abcd"), "fan": [1, 1, 0, 0],
...     "status": ["won", "lost", "won", "lost"], "created_at": pd.to_datetime(["2024-01-01"] * 4),
...     "closed_at": pd.to_datetime(["2024-01-03", "2024-01-09", "2024-01-05", "2024-01-20"])})
>>> r = rk.compare_prospects(deals, by="fan", n_boot=50)
>>> prospect_tiles(r)["Win rate, followers"], prospect_tiles(r)["Win rate gap"]
('50.0%', '+0.0 pts')
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from roi_kit.errors import ConfigError
from roi_kit.formatting import fmt_money
from roi_kit.widgets.results import ResultPanel

if TYPE_CHECKING:
    from roi_kit.followers import LifetimeValue, ProspectComparison

__all__ = ["CLV_HORIZONS", "clv_lead", "gap_tile", "prospect_tiles", "show_lifetime_value", "show_prospects"]

CLV_HORIZONS: tuple[tuple[str, int], ...] = (("6 months", 6), ("12 months", 12), ("18 months", 18),
                                             ("24 months", 24), ("36 months", 36))
"""Choices of the lifetime-value horizon (months after the landmark)."""

_PROSPECT_COLUMNS = ("group", "reference", "measure", "followers", "non_followers", "difference",
                     "ci_low", "ci_high", "p_value")


def _effect_text(result: ProspectComparison, key: str, *, share: bool) -> tuple[str, str, str]:
    try:
        e = result.effect(key, "naive")
    except ConfigError:
        return "n/a", "n/a", "n/a"
    fmt = (lambda v: f"{v:.1%}") if share else (lambda v: f"{v:,.1f} days")
    gap = (lambda v: f"{v * 100:+.1f} pts") if share else (lambda v: f"{v:+,.1f} days")
    return tuple("n/a" if v is None else f(v)  # type: ignore[return-value]
                 for v, f in ((e.followers, fmt), (e.non_followers, fmt), (e.difference, gap)))


def prospect_tiles(result: ProspectComparison) -> dict[str, str]:
    """Headline figures: leads per group, win rates and their gap, the median sales-cycle gap."""
    counts = result.counts.set_index("group")["leads"]
    tiles = {f"Leads, {g}": f"{int(n):,}" for g, n in counts.items()}
    fol, non, gap = _effect_text(result, "win_rate", share=True)
    tiles |= {"Win rate, followers": fol, "Win rate, non-followers": non, "Win rate gap": gap}
    tiles["Median sales cycle gap"] = _effect_text(result, "close_median", share=False)[2]
    return tiles


def show_prospects(panel: ResultPanel, result: ProspectComparison, currency: str) -> None:
    """Fill ``panel`` with the prospect comparison (win-rate sentence first)."""
    from roi_kit.widgets.apps.followers_app import by_unit  # the app imports this module

    try:
        lead = result.effect("win_rate", "naive").sentence()
        lead = lead[0].upper() + lead[1:] + "\n"
    except ConfigError:
        lead = ""
    effects = result.to_frame()
    display = by_unit(effects, currency)[[c for c in _PROSPECT_COLUMNS if c in effects.columns]]
    panel.show(result, summary=lead + result.summary(), table=effects, display=display,
               tables={"counts": result.counts}, headline=prospect_tiles(result))


def clv_lead(result: LifetimeValue) -> str:
    """One sentence: the CLV gap against the reference, or why there is none.

    Examples
    --------
    >>> from roi_kit.followers._lifetime_value_result import GroupValue, LifetimeValue
    >>> v = LifetimeValue((GroupValue("followers", 3, 4.0, 0.5, 100.0, 0.0, ""),
    ...                    GroupValue("non-followers", 3, 3.0, 0.5, 100.0, 0.0, "")),
    ...                   "non-followers", 6.0, "fan", (), 1.959964, 0.95)
    >>> clv_lead(v)
    'Within 6 months, followers are worth +USD 100 per customer vs non-followers (95% CI -USD 39 to +USD 239).'
    """
    money = lambda v: ("-" if v < 0 else "+") + fmt_money(abs(v), currency=result.currency, decimals=0)  # noqa: E731
    diffs = result.differences()
    if diffs.empty:
        return f"Lifetime value within {result.horizon_months:g} months per group (no reference group)."
    r = diffs.iloc[0]
    if math.isnan(r["difference"]):
        return (f"No lifetime-value gap within {result.horizon_months:g} months: a group's value is not "
                "estimated (see the details; a shorter horizon may be within the data).")
    return (f"Within {result.horizon_months:g} months, {r['group']} are worth {money(r['difference'])} per "
            f"customer vs {r['reference']} ({result.conf_level:.0%} CI {money(r['ci_low'])} to "
            f"{money(r['ci_high'])}).")


def show_lifetime_value(panel: ResultPanel, result: LifetimeValue) -> None:
    """Fill ``panel`` with the lifetime value per group (the gap first, a tile per group)."""
    frame = result.to_frame()
    tiles = {f"CLV, {r.group}": ("not estimated" if pd.isna(r.clv) else
                                 fmt_money(r.clv, currency=result.currency, decimals=0))
             for r in frame.itertuples(index=False)}
    panel.show(result, summary=clv_lead(result) + "\n" + result.summary(), table=frame,
               tables={"differences": result.differences()}, headline=tiles)


def _pts(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:+.1f} pts"


def gap_tile(effect: Any) -> str:
    """A retention gap for a tile: the difference, and its 95% CI on a second line.

    >>> from types import SimpleNamespace as NS
    >>> gap_tile(NS(difference=0.072, ci_low=0.01, ci_high=0.134))
    '+7.2 pts\\n95% CI +1.0 pts to +13.4 pts'
    >>> gap_tile(None)
    'n/a'
    """
    if effect is None or effect.ci_low is None or effect.ci_high is None:
        return _pts(None if effect is None else effect.difference)
    return f"{_pts(effect.difference)}\n95% CI {_pts(effect.ci_low)} to {_pts(effect.ci_high)}"

