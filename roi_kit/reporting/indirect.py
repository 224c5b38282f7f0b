"""The report's direct + indirect ROI: one ``rk.roi(revenue={...})`` statement for the period.

Components for the report period (see :mod:`roi_kit.roi_components`): attributed sales (the
period's attribution on the configured social channels — the same revenue as "ROI on attributed
revenue"), follower value (followers who reached the landmark in the period), PPC-equivalent
traffic (organic post clicks at ``[indirect] cpc`` or the company's own paid CPC) and service
savings (care cases opened in the period, at ``[indirect] cost_per_case``). The cost is the
period's cost ledger. Nothing is estimated here: the statement is ``rk.roi``'s.

Examples
--------
>>> from roi_kit.reporting.config import parse_config
>>> from roi_kit.reporting.build import compute
>>> cfg = parse_config('''
... [report]
... period_start = "2025-10-01"
... period_end = "2025-12-31"
... [data]
... sample = "saas"
... [indirect]
... cost_per_case = { phone = 6.5, email = 3.2, social = 1.5 }
... ''', check_files=False)
>>> s = compute(cfg).indirect
>>> [p.name for p in s.result.components]
['attributed sales', 'follower value', 'PPC-equivalent traffic', 'service savings']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from roi_kit.export import ReportSection
from roi_kit.formatting import fmt_money, fmt_pct
from roi_kit.periods import months_in
from roi_kit.reporting.config_types import ReportConfig
from roi_kit.reporting.display import display_frame
from roi_kit.reporting.followers import FollowerValue
from roi_kit.reporting.period import PeriodFigures, SocialRevenue
from roi_kit.roi import RoiResult
from roi_kit.roi_components import ReturnComponents, return_components

__all__ = ["PeriodStatement", "indirect_line", "indirect_section", "period_statement"]

HEADING = "Direct + indirect ROI"


@dataclass(frozen=True, eq=False)
class PeriodStatement:
    """The period's components and the ``rk.roi`` statement over them (``None``: no component)."""

    parts: ReturnComponents
    result: RoiResult | None

    def summary(self) -> str:
        """The statement in words, with the components left out."""
        return self.parts.summary(self.result)


def period_statement(tables: Mapping[str, pd.DataFrame], config: ReportConfig, p: PeriodFigures,
                     followers: FollowerValue | str) -> PeriodStatement:
    """Direct + indirect ROI of the period ``p`` (see the module docstring)."""
    attributed: Any = (SocialRevenue(p.attribution, config.attribution.social_channels)
                       if p.attribution is not None else p.notes.get("attribution",
                                                                     "No attributed sales."))
    fv: Any = followers.for_period(p.start, p.end) if isinstance(followers, FollowerValue) else followers
    parts = return_components(
        attributed=attributed, followers=fv, posts=tables.get("posts"),
        interactions=tables.get("service_interactions"), start=p.start, end=p.end,
        cpc=config.indirect.cpc, cost_per_case=config.indirect.cost_per_case or None,
        ledger=p.ledger, currency=config.currency)
    cost: Any = p.ledger if p.ledger is not None else p.cost
    months = months_in(p.start, p.end)
    return PeriodStatement(parts, parts.statement(cost, period_months=months,
                                                  currency=config.currency))


def indirect_line(s: PeriodStatement) -> str:
    """One sentence for the report summary: ROI of direct revenue alone and of the total."""
    r = s.result
    if r is None or r.roi_pct is None:
        return "Direct + indirect ROI: " + (r.roi_reason or "undefined." if r is not None
                                            else "no component could be measured.")
    total = fmt_pct(r.roi_pct, ratio_input=False)
    direct = ("undefined (no direct revenue)" if r.direct is None or r.direct.roi_pct is None
              else fmt_pct(r.direct.roi_pct, ratio_input=False))
    names = ", ".join(p.name for p in r.components)
    text = (f"ROI of direct revenue alone {direct}; of direct + indirect return ({names}) {total} "
            f"on {fmt_money(r.revenue, currency=r.currency, decimals=0)}")
    if r.warnings:
        text += " — an upper bound: some components can count the same money twice"
    return text + "."


def indirect_section(s: PeriodStatement, tables: dict[str, pd.DataFrame],
                     draw: Callable[[Callable[[], Any]], Any]) -> ReportSection:
    """The report section (words, waterfall chart, statement table) and its export tables."""
    r = s.result
    if r is None:
        return ReportSection(HEADING, text=s.summary())
    frame = r.to_frame()
    tables["roi_direct_indirect"] = frame
    tables["roi_components"] = r.components_frame()
    return ReportSection(HEADING, text=s.summary(), chart=draw(r.chart),
                         table=display_frame(r.components_frame()), max_rows=10)
