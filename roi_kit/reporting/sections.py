"""The page sections of the report and the tables it exports.

:func:`make_sections` reads a :class:`~roi_kit.reporting.build.Computed` (the analyses already
run) and arranges each result as a section (words, chart, table) and a tidy export table:
scorecard, period comparison, costs, attribution, ROI and its other sources, value of followers,
indirect return, levers, funnel, goals, data health and data quality; nothing is estimated here.
The period comparison's rows are built in :mod:`~roi_kit.reporting.comparison` and the summary in
words in :mod:`~roi_kit.reporting.summary` (both importable from here as before).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pandas as pd

from roi_kit.export import ReportSection
from roi_kit.formatting import fmt_money, fmt_pct
from roi_kit.goals import GoalProgress
from roi_kit.periods import rows_in_dates
from roi_kit.reporting.comparison import (
    METRIC_LABELS,
    _funnel_users,
    _get,
    comparison_rows,
    follower_roi,
)
from roi_kit.reporting.display import (
    change_words,
    display_comparison,
    display_frame,
    fmt_value,
)
from roi_kit.reporting.followers import FollowerValue
from roi_kit.reporting.indirect import indirect_section
from roi_kit.reporting.levers import lever_sections
from roi_kit.reporting.roi_sources import source_sections
from roi_kit.reporting.scorecard import scorecard_columns
from roi_kit.reporting.summary import summary_lines

if TYPE_CHECKING:
    from roi_kit.reporting.build import Computed

__all__ = ["METRIC_LABELS", "comparison_rows", "follower_roi", "make_sections", "summary_lines"]



def _data_quality(c: Computed) -> pd.DataFrame:
    rows = []
    for r in c.data.reports:
        counts = r.action_counts()
        rows.append({"table": r.table, "source": r.source, "rows_read": r.rows_read,
                     "rows_kept": r.rows_kept, "rows_dropped": r.rows_dropped,
                     "rows_coerced": counts.get("coerced", 0), "rows_flagged": counts.get("flagged", 0)})
    return pd.DataFrame(rows, columns=["table", "source", "rows_read", "rows_kept", "rows_dropped",
                                       "rows_coerced", "rows_flagged"])


def _previous_line(c: Computed, text: str, table: pd.DataFrame, metric: str, unit: str) -> str:
    cur, prev = _get(table, metric)
    if c.previous is None or prev is None:
        return text
    return f"{text}\nPrevious period: {fmt_value(prev, unit, currency=c.config.currency)} " \
           f"({change_words(cur, prev, unit) or 'no change to compute'})."


def make_sections(c: Computed, table: pd.DataFrame, *, charts: bool = True
                  ) -> tuple[list[ReportSection], dict[str, pd.DataFrame]]:
    """The page sections and the export tables (name → frame); ``charts=False`` leaves the charts
    out (Altair is then not even imported: Excel, CSV and JSON do not need it)."""
    cfg, cur = c.config, c.current

    def draw(make: Callable[[], Any]) -> Any:
        return make() if charts else None

    def comparison_chart() -> Any:
        from roi_kit.charts.reporting import period_chart

        return period_chart(table, current=cur_label, previous=prev_label, currency=cfg.currency)

    cur_label = f"{cur.start:%Y-%m-%d} to {cur.end:%Y-%m-%d}"
    prev_label = None if c.previous is None else f"{c.previous.start:%Y-%m-%d} to {c.previous.end:%Y-%m-%d}"
    tables: dict[str, pd.DataFrame] = {}
    sections = [_scorecard_section(c, tables, draw), ReportSection("This period and the previous one" if c.previous else "This period",
                              chart=draw(comparison_chart),
                              table=display_comparison(table, currency=cfg.currency,
                                                       with_previous=c.previous is not None),
                              max_rows=60)]
    tables["comparison"] = table
    if cur.ledger is not None:
        text = _previous_line(c, cur.ledger.summary(), table, "cost", "money")
        sections.append(ReportSection("Costs", text=text, chart=draw(cur.ledger.chart),
                                      table=display_frame(cur.ledger.by_category())))
        tables |= {"costs_by_category": cur.ledger.by_category(),
                   "costs_by_month": cur.ledger.by_period(),
                   "costs_by_campaign": cur.ledger.by_campaign(),
                   "cost_lines": rows_in_dates(c.data.tables["costs"], "date", cur.start, cur.end)}
    else:
        sections.append(ReportSection("Costs", text=cur.notes.get("costs", "No costs.")))
    if cur.attribution is not None:
        att = cur.attribution
        sections.append(ReportSection(f"Attribution ({att.label})", text=att.summary(), chart=draw(att.chart),
                                      table=display_frame(att.to_frame()[[
                                          c for c in ("channel", "conversions", "value", "share",
                                                      "share_ci_low", "share_ci_high", "value_share")
                                          if c in att.to_frame().columns]])))
        tables["attribution"] = att.to_frame()
    else:
        sections.append(ReportSection("Attribution", text=cur.notes.get("attribution", "")))
    if cur.roi is not None and "attribution" in cfg.roi.sources:
        text = _previous_line(c, cur.roi.summary(), table, "roi_pct", "pct")
        sections.append(ReportSection("ROI on attributed revenue", text=text, chart=draw(cur.roi.chart),
                                      table=display_frame(cur.roi.to_frame())))
        tables["roi"] = cur.roi.to_frame()
    more, more_tables = source_sections(c, draw)
    sections.extend(more)
    tables |= more_tables
    _follower_sections(c, table, sections, tables, draw)
    sections.append(indirect_section(c.indirect, tables, draw))
    sections += lever_sections(c, tables, draw)  # prospects, lifetime value, earned reach
    if cur.funnel is not None:
        ft = cur.funnel.to_frame()
        view = ft[["stage", "kind", "users", "step_conversion", "overall_conversion"]].copy()
        if c.previous is not None:
            prev_users = _funnel_users(c.previous)
            view["users_previous_period"] = [prev_users.get(str(s), 0.0) for s in view["stage"]]
        sections.append(ReportSection("Funnel", text=cur.funnel.summary(), chart=draw(cur.funnel.chart),
                                      table=display_frame(view)))
        tables["funnel"] = ft
    else:
        sections.append(ReportSection("Funnel", text=cur.notes.get("funnel", "")))
    if isinstance(c.goals, GoalProgress):
        gt = c.goals.to_frame()
        cols = ["goal", "owner", "direction", "target", "actual", "progress", "forecast",
                *[c for c in ("forecast_low", "forecast_high", "reach_probability") if c in gt.columns],
                "status", "note"]
        sections.append(ReportSection("Goals", text=c.goals.summary(), chart=draw(c.goals.chart),
                                      table=display_frame(gt[cols]), max_rows=40))
        tables["goals"] = gt
    else:
        sections.append(ReportSection("Goals", text=c.goals))
    health = c.health.to_frame()
    sections.append(ReportSection("Data health", text=c.health.summary(),
                                  table=display_frame(health[["check", "status", "message"]])))
    tables["data_health"] = health
    dq = _data_quality(c)
    text = "\n".join(r.summary().splitlines()[1].replace("Rows:", f"{r.table} ({r.source}):")
                     for r in c.data.reports)
    sections.append(ReportSection("Data quality", text=text, table=display_frame(dq)))
    tables["data_quality"] = dq
    issues = [r.issues.assign(table=r.table) for r in c.data.reports if len(r.issues)]
    if issues:
        tables["load_issues"] = pd.concat(issues, ignore_index=True)
    return sections, tables


def _scorecard_section(c: Computed, tables: dict[str, pd.DataFrame],
                       draw: Callable[[Callable[[], Any]], Any]) -> ReportSection:
    if isinstance(c.scorecard, str):
        return ReportSection("Scorecard", text=c.scorecard)
    frame = c.scorecard.to_frame()
    tables["scorecard"] = frame
    view = display_frame(frame[scorecard_columns()])
    view["change"] = [fmt_pct(v, decimals=0) if pd.notna(v) else "—" for v in frame["change"]]
    return ReportSection("Scorecard", text=c.scorecard.summary(), chart=draw(c.scorecard.chart),
                         table=view, max_rows=60)


def _follower_sections(c: Computed, table: pd.DataFrame, sections: list[ReportSection],
                       tables: dict[str, pd.DataFrame], draw: Callable[[Callable[[], Any]], Any]) -> None:
    if not isinstance(c.followers, FollowerValue):
        sections.append(ReportSection("Value of followers", text=str(c.followers)))
        return
    fv, cur = c.followers, c.current
    pv = fv.for_period(cur.start, cur.end)
    fr = follower_roi(c, cur)
    est, lo, hi, desc = pv.revenue_estimate()
    lines = [f"Credited to this period: {fmt_money(est, currency=c.config.currency, decimals=0)} — "
             f"{desc}."]
    if lo is not None and hi is not None and not (math.isnan(lo) or math.isnan(hi)):
        lines.append(f"95% interval: {fmt_money(lo, currency=c.config.currency, decimals=0)} to "
                     f"{fmt_money(hi, currency=c.config.currency, decimals=0)}.")
    if fr is not None:
        lines.append(fr.summary().splitlines()[-1] if fr.roi_pct is None else
                     _previous_line(c, "ROI on follower value: " + fmt_pct(fr.roi_pct, ratio_input=False)
                                    + ".", table, "roi_followers_pct", "pct"))
    lines += ["Estimated on the customers as known at the end of the period:", fv.value.summary()]
    sections.append(ReportSection("Value of followers", text="\n".join(lines), chart=draw(fv.value.chart),
                                  table=display_frame(fv.value.to_frame())))
    sections.append(ReportSection("Followers vs non-followers", text=fv.comparison.summary(),
                                  chart=draw(fv.comparison.chart),
                                  table=display_frame(fv.comparison.to_frame()[[
                                      "comparison", "measure", "method", "followers", "non_followers",
                                      "difference", "ci_low", "ci_high"]]), max_rows=30))
    tables["value_of_social"] = fv.value.to_frame()
    tables["follower_comparison"] = fv.comparison.to_frame()
    if fr is not None:
        tables["roi_follower_value"] = fr.to_frame()
