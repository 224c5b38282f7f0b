"""One period's figures: costs, attributed social revenue, ROI, funnel and metric totals.

:func:`period_figures` is called for the report period and, when asked, for the previous period of
equal length, so both sides of every comparison are computed the same way.

Attribution in a period (touchpoint input) uses the one rule of
:func:`roi_kit.attribution.period.journeys_in_period` (a journey belongs to the period in which it
ends), the one the apps use too; the ``lookback_days`` window then drops touches older than that
before the end of each journey (no limit unless the config sets one, as in :func:`roi_kit.attribute`).
The CRM milestone models (``u_shaped``, ``w_shaped``, ``full_path``) read their milestones from the
deals as known at the period end and the ``lead`` funnel events (:func:`period_milestones`);
without a deals table they are not shown, and the report says why. ``j_shaped`` and
``inverse_j`` weigh first and last touches only and need no CRM data.

The period's rows are handed to the attribution and funnel engines as polars frames: their
window functions run 4-6 times faster there than on pandas, with identical results.

Examples
--------
>>> from roi_kit.reporting.config import AttributionConfig
>>> AttributionConfig().lookback_days is None
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import polars as pl

from roi_kit.attribution import MILESTONE_WEIGHTS, AttributionResult, attribute, crm_milestones
from roi_kit.attribution.period import journeys_in_period
from roi_kit.costs import CostLedger, cost_ledger
from roi_kit.errors import ConfigError, InputError
from roi_kit.funnel import FunnelResult, funnel
from roi_kit.funnel_presets import FUNNEL_PRESETS
from roi_kit.periods import months_in, rows_in_dates
from roi_kit.reporting.config_types import ReportConfig
from roi_kit.reporting.data import as_of, bounds
from roi_kit.reporting.metrics import period_totals
from roi_kit.reporting.roi_config import RevenueSource
from roi_kit.reporting.roi_sources import RevenueSources, source_rois
from roi_kit.roi import RoiResult, roi

__all__ = ["PeriodFigures", "SocialRevenue", "detect_stages", "period_figures", "period_milestones"]


@dataclass(frozen=True)
class SocialRevenue:
    """Attributed value of the configured social channels, readable by ``rk.roi(revenue=...)``."""

    result: AttributionResult
    channels: tuple[str, ...]

    def revenue_estimate(self) -> tuple[float, float | None, float | None, str]:
        """(estimate, None, None, description) from the attribution result."""
        return self.result.revenue_estimate(self.channels)


@dataclass(frozen=True, eq=False)
class PeriodFigures:
    """Everything measured for one period (``None`` where the data do not allow it)."""

    start: dt.date
    end: dt.date
    ledger: CostLedger | None
    cost: float | None
    attribution: AttributionResult | None
    social_revenue: float | None
    roi: RoiResult | None
    funnel: FunnelResult | None
    totals: dict[str, float]
    notes: dict[str, str] = field(default_factory=dict)
    source_rois: dict[RevenueSource, RoiResult | str] = field(default_factory=dict)
    primary: RevenueSource = "attribution"

    @property
    def primary_roi(self) -> RoiResult | str | None:
        """The ROI of the first configured revenue source (what ROI goals are measured with)."""
        return self.roi if self.primary == "attribution" else self.source_rois.get(self.primary)

    @property
    def label(self) -> str:
        """``YYYY-MM-DD to YYYY-MM-DD``."""
        return f"{self.start:%Y-%m-%d} to {self.end:%Y-%m-%d}"


def detect_stages(config: ReportConfig, events: pd.DataFrame) -> str | tuple[str, ...] | None:
    """The configured funnel stages, else the preset whose events the data use most (None: none fit).

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.reporting.config import parse_config
    >>> cfg = parse_config('[report]\\nperiod="last_year"', check_files=False)
    >>> detect_stages(cfg, pd.DataFrame({"event": ["session", "add_to_cart", "order"]}))
    'dtc'
    """
    if config.funnel.stages is not None:
        return config.funnel.stages
    names = set(events["event"].dropna().astype(str).str.strip().str.lower().unique())
    scores = {key: len(names & {e for s in p.stages for e in s.events}) for key, p in FUNNEL_PRESETS.items()}
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] >= 2 else None


def _attribution(tables: Mapping[str, pd.DataFrame], config: ReportConfig, start: dt.date,
                 end: dt.date, notes: dict[str, str]) -> AttributionResult | None:
    tp = tables.get("touchpoints")
    if tp is None:
        notes["attribution"] = "No touchpoints table, so no revenue is attributed to social."
        return None
    if "converted" not in tp:
        notes["attribution"] = "The touchpoints have no 'converted' column, so attribution is not possible."
        return None
    journeys = journeys_in_period(tp, start, end)
    if journeys.empty:
        notes["attribution"] = "No touchpoints in this period, so no revenue is attributed to social."
        return None
    att = config.attribution
    milestones = None
    if MILESTONE_WEIGHTS.get(att.model) is not None and MILESTONE_WEIGHTS[att.model].needs:
        milestones = period_milestones(tables, end)
        if isinstance(milestones, str):
            notes["attribution"] = (f"The {att.model} model is not shown: it places touches at CRM "
                                    f"milestones, and {milestones}")
            return None
    try:
        return attribute(pl.from_pandas(journeys), model=att.model, order=att.order,
                         lookback_days=att.lookback_days, milestones=milestones)
    except (InputError, ConfigError) as exc:
        notes["attribution"] = f"Attribution could not be computed: {exc.message}"
        return None


def period_milestones(tables: Mapping[str, pd.DataFrame], end: dt.date) -> pd.DataFrame | str:
    """CRM milestones known at the end of the period (``rk.crm_milestones``), or why there are none.

    Deal created / won come from the deals table as known at the period end (later closes are
    still open); lead creation is each customer's first ``lead`` funnel event up to the end.
    """
    deals = tables.get("deals")
    if deals is None or "customer_id" not in deals or "created_at" not in deals:
        return "there is no deals table with customer_id and created_at."
    known = as_of({"deals": deals}, end)["deals"]
    events = tables.get("funnel_events")
    leads = None
    if events is not None and {"user_id", "timestamp", "event"} <= set(events.columns):
        _, hi = bounds(end, end)
        lead = events.loc[(events["event"].astype(str).str.lower() == "lead") & (events["timestamp"] < hi)]
        leads = lead[["user_id", "timestamp"]] if len(lead) else None
    return crm_milestones(known, leads=leads, lead_id="user_id", lead_created="timestamp")


def _funnel(tables: Mapping[str, pd.DataFrame], config: ReportConfig, start: dt.date,
            end: dt.date, notes: dict[str, str]) -> FunnelResult | None:
    events = tables.get("funnel_events")
    if events is None:
        notes["funnel"] = "No funnel_events table, so there is no funnel."
        return None
    stages = detect_stages(config, events)
    if stages is None:
        notes["funnel"] = ("The funnel events match no preset; name the stages in [funnel] "
                           'stages = ["visit", "lead", ...].')
        return None
    rows = rows_in_dates(events, "timestamp", start, end)
    if rows.empty:
        notes["funnel"] = "No funnel events in this period."
        return None
    fun = config.funnel
    try:
        return funnel(pl.from_pandas(rows), stages=stages, window_days=fun.window_days,
                      ordering=fun.ordering)  # type: ignore[arg-type]
    except InputError as exc:
        notes["funnel"] = f"The funnel could not be computed: {exc.message}"
        return None


def period_figures(tables: Mapping[str, pd.DataFrame], daily: pd.DataFrame, config: ReportConfig,
                   start: dt.date, end: dt.date, sources: RevenueSources | None = None
                   ) -> PeriodFigures:
    """Costs, attribution, ROI (on each configured revenue source), funnel and metric totals of
    one period."""
    notes: dict[str, str] = {}
    ledger: CostLedger | None = None
    cost: Any = None
    costs = tables.get("costs")
    if costs is None:
        notes["costs"] = "No costs table, so ROI cannot be computed."
    else:
        lines = rows_in_dates(costs, "date", start, end)
        if lines.empty:
            cost = 0.0
            notes["costs"] = "No cost lines in this period."
        else:
            ledger = cost_ledger(lines, period="month", unknown="other", currency=config.currency)
            cost = ledger
    result = _attribution(tables, config, start, end, notes)
    revenue = SocialRevenue(result, config.attribution.social_channels) if result is not None else 0.0
    months = months_in(start, end)
    roi_result = roi(revenue=revenue, cost=cost, period_months=months, currency=config.currency)
    return PeriodFigures(
        start=start, end=end, ledger=ledger,
        cost=None if cost is None else (ledger.total if ledger is not None else 0.0),
        attribution=result, social_revenue=roi_result.revenue if result is not None else None,
        roi=roi_result, funnel=_funnel(tables, config, start, end, notes),
        totals=period_totals(daily, start, end, levels=config.goals.levels), notes=notes,
        source_rois=source_rois(sources, start, end, cost, months), primary=config.roi.primary,
    )
