"""ROI on revenue from a marketing-mix model or a lift test, beside or instead of attribution.

:func:`prepare_sources` fits the model / reads the lift test once per report (a data problem
stops the run with the model's own error, never a silent fit); :func:`source_rois` prices each
period with them; :func:`source_rows`, :func:`source_lines` and :func:`source_sections` put the
numbers in the comparison, the summary and the page. Every ROI keeps ``rk.roi``'s
``revenue_source``, so each number says where its revenue comes from.

* MMM: revenue the model gives the ``mmm_social`` channels in the weeks dated in the period
  (:meth:`~roi_kit.incrementality.MmmResult.revenue`, one joint posterior interval), over the
  period's social cost. A period without fitted weeks gets no MMM ROI, and says so.
* Lift test: the test's incremental revenue (:func:`roi_kit.lift_test`) in the period that holds
  the whole test window, over ``lift_cost`` or else the period's social cost; other periods say
  the test does not cover them.

Examples
--------
>>> LABELS["mmm"]
'marketing-mix-model revenue'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from roi_kit.errors import ConfigError
from roi_kit.export import ReportSection
from roi_kit.formatting import fmt_pct
from roi_kit.reporting.display import display_frame
from roi_kit.reporting.roi_config import RevenueSource, RoiConfig
from roi_kit.roi import RoiResult, roi

if TYPE_CHECKING:
    from roi_kit.incrementality import LiftResult, MmmResult
    from roi_kit.reporting.build import Computed

__all__ = ["LABELS", "LEVELS", "RevenueSources", "prepare_sources", "source_lines", "source_rois",
           "source_rows", "source_sections"]

LABELS: dict[RevenueSource, str] = {"attribution": "attributed revenue",
                                    "mmm": "marketing-mix-model revenue",
                                    "lift_test": "lift-test revenue"}
"""How each revenue source is named in the report ("ROI on …")."""
LEVELS: dict[RevenueSource, float] = {"mmm": 0.9, "lift_test": 0.95}
"""Interval level of each source's revenue (the MMM's posterior interval, the test's confidence)."""


@dataclass(frozen=True, eq=False)
class RevenueSources:
    """The fitted model and the read-out lift test (``None`` when not configured)."""

    config: RoiConfig
    currency: str
    mmm: MmmResult | None = None
    lift: LiftResult | None = None


def prepare_sources(config: RoiConfig, *, currency: str) -> RevenueSources:
    """Fit the MMM on ``media_weekly`` and read out ``lift_test``, as configured."""
    mmm = lift = None
    if config.media_weekly is not None:
        from roi_kit.incrementality import fit_mmm
        from roi_kit.incrementality._weekly_file import read_weekly

        path = config.media_weekly
        weekly = read_weekly(str(path), path.read_bytes())
        mmm = fit_mmm(weekly, channels=config.mmm_channels, organic=config.mmm_organic,
                      controls=config.mmm_controls, outcome=config.mmm_outcome,
                      week=str(weekly.columns[0]), currency=currency, level=LEVELS["mmm"])
    if config.lift_test is not None:
        from roi_kit.incrementality import lift_test
        from roi_kit.io.read import read_source

        path = config.lift_test
        table = read_source(path.read_bytes(), name=str(path)).table.to_pandas()
        lift = lift_test(table, currency=currency, alpha=round(1 - LEVELS["lift_test"], 10))
        lift.revenue_estimate()  # a test without revenue cannot price ROI: its own error says so
    return RevenueSources(config, currency, mmm, lift)


def _mmm_roi(s: RevenueSources, start: dt.date, end: dt.date, cost: Any,
             months: float) -> RoiResult | str:
    assert s.mmm is not None
    try:
        revenue = s.mmm.revenue(s.config.mmm_social, start=start, end=end)
    except ConfigError as exc:
        return f"No ROI on {LABELS['mmm']} for {start} to {end}: {exc.message}"
    return roi(revenue=revenue, cost=cost, period_months=months, currency=s.currency)


def _lift_roi(s: RevenueSources, start: dt.date, end: dt.date, cost: Any,
              months: float) -> RoiResult | str:
    cfg = s.config
    assert s.lift is not None and cfg.lift_start is not None and cfg.lift_end is not None
    if not (start <= cfg.lift_start and cfg.lift_end <= end):
        return (f"No ROI on {LABELS['lift_test']} for {start} to {end}: the lift test ran "
                f"{cfg.lift_start} to {cfg.lift_end}, not inside this period.")
    return roi(revenue=s.lift, cost=cfg.lift_cost if cfg.lift_cost is not None else cost,
               period_months=months, currency=s.currency)


def source_rois(s: RevenueSources | None, start: dt.date, end: dt.date, cost: Any,
                months: float) -> dict[RevenueSource, RoiResult | str]:
    """ROI (or why there is none) per configured non-attribution source for one period."""
    out: dict[RevenueSource, RoiResult | str] = {}
    if s is None:
        return out
    if s.mmm is not None:
        out["mmm"] = _mmm_roi(s, start, end, cost, months)
    if s.lift is not None:
        out["lift_test"] = _lift_roi(s, start, end, cost, months)
    return out


def _pct(r: RoiResult | str | None) -> float | None:
    return r.roi_pct if isinstance(r, RoiResult) else None


def _revenue(r: RoiResult | str | None) -> float | None:
    return r.revenue if isinstance(r, RoiResult) else None


def source_rows(c: Computed) -> list[tuple[str, str, str, float | None, float | None]]:
    """Comparison rows: revenue and ROI % per non-attribution source."""
    rows: list[tuple[str, str, str, float | None, float | None]] = []
    for name in c.config.roi.sources:
        if name == "attribution":
            continue
        now = c.current.source_rois.get(name)
        before = None if c.previous is None else c.previous.source_rois.get(name)
        rows.append((f"social_revenue_{name}", f"Revenue of social ({LABELS[name]})", "money",
                     _revenue(now), _revenue(before)))
        rows.append((f"roi_pct_{name}", f"ROI on {LABELS[name]}", "pct", _pct(now), _pct(before)))
    return rows


def source_lines(c: Computed) -> list[str]:
    """One summary sentence per non-attribution source, naming where the revenue comes from."""
    lines = []
    for name in c.config.roi.sources:
        r = c.current.source_rois.get(name)
        if name == "attribution" or r is None:
            continue
        if isinstance(r, str):
            lines.append(r)
        elif r.roi_pct is None:
            lines.append(f"ROI on {LABELS[name]} ({r.revenue_source}): {r.roi_reason}")
        else:
            text = f"ROI on {LABELS[name]} ({r.revenue_source}): {fmt_pct(r.roi_pct, ratio_input=False)}"
            if r.roi_pct_ci is not None:
                lo, hi = r.roi_pct_ci
                text += (f" ({100 * LEVELS[name]:g}% interval {fmt_pct(lo, ratio_input=False)} to "
                         f"{fmt_pct(hi, ratio_input=False)}, from the revenue's interval; costs "
                         "taken as known)")
            lines.append(text + ".")
    return lines


def source_sections(c: Computed, draw: Callable[[Callable[[], Any]], Any]
                    ) -> tuple[list[ReportSection], Mapping[str, pd.DataFrame]]:
    """A page section and an export table per non-attribution source."""
    sections, tables = [], {}
    for name in c.config.roi.sources:
        r = c.current.source_rois.get(name)
        if name == "attribution" or r is None:
            continue
        title = f"ROI on {LABELS[name]}"
        if isinstance(r, str):
            sections.append(ReportSection(title, text=r))
            continue
        frame = r.to_frame()
        sections.append(ReportSection(title, text=r.summary(), chart=draw(r.chart),
                                      table=display_frame(frame)))
        tables[f"roi_{name}"] = frame
    return sections, tables
