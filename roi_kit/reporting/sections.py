"""The parts of the report: the period comparison, the summary in words, the page sections and
the export tables.

Every function here reads a :class:`~roi_kit.reporting.build.Computed` (the analyses already
run) and only arranges and words the results; nothing is estimated here.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pandas as pd

from roi_kit.attribution import MODEL_LABELS
from roi_kit.export import ReportSection
from roi_kit.formatting import fmt_money, fmt_pct
from roi_kit.goals import STATUSES, GoalProgress
from roi_kit.periods import months_in, rows_in_dates
from roi_kit.reporting.display import (
    change_words,
    comparison_table,
    display_comparison,
    display_frame,
    fmt_value,
)
from roi_kit.reporting.followers import FollowerValue
from roi_kit.reporting.indirect import indirect_line, indirect_section
from roi_kit.reporting.levers import lever_sections
from roi_kit.reporting.period import PeriodFigures
from roi_kit.reporting.roi_sources import source_lines, source_rows, source_sections
from roi_kit.reporting.scorecard import scorecard_columns
from roi_kit.roi import RoiResult, roi

if TYPE_CHECKING:
    from roi_kit.reporting.build import Computed

__all__ = ["METRIC_LABELS", "comparison_rows", "follower_roi", "make_sections", "summary_lines"]

METRIC_LABELS: dict[str, tuple[str, str]] = {
    "posts": ("Posts published", "count"),
    "reach": ("Reach", "count"),
    "impressions": ("Impressions", "count"),
    "engagements": ("Engagements (likes + comments + shares + saves)", "count"),
    "clicks": ("Clicks on posts", "count"),
    "followers": ("Followers (latest count, all platforms)", "count"),
    "spend": ("Paid spend on posts", "money"),
    "revenue": ("Revenue (funnel events or won deals)", "money"),
    "deals_won": ("Deals won (new, upsell and renewal)", "count"),
}
"""Metric totals shown in the period comparison (label, unit); goal metrics are added."""


def follower_roi(c: Computed, p: PeriodFigures) -> RoiResult | None:
    """ROI of the period on the value of followers who reached the landmark in it."""
    if not isinstance(c.followers, FollowerValue):
        return None
    cost: Any = p.ledger if p.ledger is not None else p.cost
    months = months_in(p.start, p.end)
    return roi(revenue=c.followers.for_period(p.start, p.end), cost=cost, period_months=months,
               currency=c.config.currency)


def _roi_pct(result: RoiResult | None) -> float | None:
    return None if result is None else result.roi_pct


def _funnel_users(p: PeriodFigures | None) -> dict[str, float]:
    if p is None or p.funnel is None:
        return {}
    t = p.funnel.to_frame()
    return dict(zip(t["stage"].astype(str), t["users"].astype(float)))


def comparison_rows(c: Computed) -> pd.DataFrame:
    """The period comparison (see :func:`~roi_kit.reporting.display.comparison_table`)."""
    cur, prev = c.current, c.previous
    rows: list[tuple[str, str, str, float | None, float | None]] = []

    def add(metric: str, label: str, unit: str, get: Any) -> None:
        rows.append((metric, label, unit, get(cur), None if prev is None else get(prev)))

    model = MODEL_LABELS.get(c.config.attribution.model, c.config.attribution.model)
    add("cost", "Social media cost", "money", lambda p: p.cost)
    add("social_revenue", f"Revenue credited to social ({model})", "money", lambda p: p.social_revenue)
    if "attribution" in c.config.roi.sources:
        add("roi_pct", "ROI on attributed revenue", "pct", lambda p: p.roi.roi_pct if p.roi else None)
        add("roas", "ROAS on attributed revenue", "ratio", lambda p: p.roi.roas if p.roi else None)
    rows.extend(source_rows(c))
    add("conversions", "Conversions (journeys ending in the period)", "count",
        lambda p: p.attribution.total_conversions if p.attribution else None)
    if isinstance(c.followers, FollowerValue):
        fv = c.followers
        add("new_followers", f"Followers reaching day {fv.landmark_days}", "count",
            lambda p: fv.for_period(p.start, p.end).followers)
        add("follower_value", "Value of those followers", "money",
            lambda p: fv.for_period(p.start, p.end).revenue_estimate()[0])
        add("roi_followers_pct", "ROI on follower value", "pct", lambda p: _roi_pct(follower_roi(c, p)))
    now_users, prev_users = _funnel_users(cur), _funnel_users(prev)
    for stage, users in now_users.items():
        rows.append((f"funnel:{stage}", f"Funnel: {stage}", "count", users,
                     None if prev is None else prev_users.get(stage, 0.0)))
    metrics = [m for m in METRIC_LABELS if m in cur.totals or (prev is not None and m in prev.totals)]
    goals = c.goals.table["metric"].astype(str).tolist() if isinstance(c.goals, GoalProgress) else []
    metrics += [m for m in dict.fromkeys(goals) if m not in metrics and m not in ("cost", "roi_pct")
                and (m in cur.totals or (prev is not None and m in prev.totals))]
    for m in metrics:
        label, unit = METRIC_LABELS.get(m, (m.replace("_", " ").capitalize(), "count"))
        rows.append((m, label, unit, cur.totals.get(m, 0.0),
                     None if prev is None else prev.totals.get(m, 0.0)))
    return comparison_table(rows)


def _get(table: pd.DataFrame, metric: str) -> tuple[float | None, float | None]:
    hit = table.loc[table["metric"] == metric]
    if hit.empty:
        return None, None
    cur, prev = hit["current"].iloc[0], hit["previous"].iloc[0]
    return (None if pd.isna(cur) else float(cur)), (None if pd.isna(prev) else float(prev))


def _with_change(text: str, table: pd.DataFrame, metric: str, unit: str) -> str:
    cur, prev = _get(table, metric)
    change = change_words(cur, prev, unit)
    return f"{text} ({change})" if change else text


def summary_lines(c: Computed, table: pd.DataFrame) -> list[str]:
    """A few plain sentences for the top of the report (no inf/NaN: undefined values say why)."""
    cfg, cur = c.config, c.current
    money = lambda v: fmt_value(v, "money", currency=cfg.currency)  # noqa: E731
    lines = [f"Period: {cfg.period_start} to {cfg.period_end} ({cfg.period_days} days)"
             + (f", compared with {c.previous.start} to {c.previous.end}." if c.previous else ".")]
    last = c.data.last_day()
    if last is not None and last < cfg.period_start:
        lines.append(f"Warning: the data end on {last}, before this period starts — check the period "
                     "or refresh the exports.")
    elif last is not None and last < cfg.period_end:
        lines.append(f"Note: the data end on {last}, before the period ends; figures cover the days "
                     "up to then.")
    if cur.cost is None:
        lines.append(cur.notes.get("costs", "No costs."))
    else:
        lines.append(_with_change(f"Social media cost: {money(cur.cost)}", table, "cost", "money") + ".")
    if cur.attribution is None:
        lines.append(cur.notes.get("attribution", "No attribution."))
    else:
        channels = " + ".join(cfg.attribution.social_channels)
        lines.append(_with_change(f"Revenue credited to {channels} by {cur.attribution.label} "
                                  f"attribution: {money(cur.social_revenue)}", table,
                                  "social_revenue", "money") + ".")
    on_attribution = "attribution" in cfg.roi.sources
    if on_attribution and cur.roi is not None and cur.roi.roi_pct is not None:
        lines.append(_with_change(f"ROI on that revenue: {fmt_pct(cur.roi.roi_pct, ratio_input=False)}",
                                  table, "roi_pct", "pct") + ".")
    elif on_attribution and cur.roi is not None and cur.cost is not None:
        lines.append(str(cur.roi.roi_reason))
    lines.extend(source_lines(c))
    if isinstance(c.followers, FollowerValue):
        pv = c.followers.for_period(cur.start, cur.end)
        est, lo, hi, _ = pv.revenue_estimate()
        per = money(c.followers.value.per_follower)
        text = (f"{pv.followers:,} customers reached day {pv.landmark_days} as followers; at {per} "
                f"each ({c.followers.value.method} comparison over {c.followers.value.months} months) "
                f"that is {money(est)}")
        if lo is not None and hi is not None:
            text += f" (95% interval {money(lo)} to {money(hi)})"
        fr = follower_roi(c, cur)
        if fr is not None and fr.roi_pct is not None:
            text += f"; ROI on follower value {fmt_pct(fr.roi_pct, ratio_input=False)}"
        lines.append(text + ". This is an association, not proof of cause.")
    else:
        lines.append(str(c.followers))
    lines.append(indirect_line(c.indirect))
    if cur.funnel is not None:
        t = cur.funnel.to_frame()
        first, last = t.iloc[0], t.iloc[-1]
        conv = fmt_pct(last["overall_conversion"]) if pd.notna(last["overall_conversion"]) else "no entries"
        text = (f"Funnel: {int(first['users']):,} entered at '{first['stage']}' in the period, "
                f"{int(last['users']):,} of them reached '{last['stage']}' by its end ({conv})")
        text = _with_change(text, table, f"funnel:{last['stage']}", "count")
        reached = cur.totals.get(str(last["stage"]))
        if reached is not None and reached != last["users"]:
            text += (f"; with people who entered earlier, {reached:,.0f} reached "
                     f"'{last['stage']}' in the period")
        lines.append(text + ".")
    elif "funnel" in cur.notes:
        lines.append(cur.notes["funnel"])
    if isinstance(c.goals, GoalProgress):
        counts = c.goals.table["status"].value_counts()
        parts = ", ".join(f"{int(counts[s])} {s}" for s in STATUSES if s in counts)
        attention = c.goals.table.loc[c.goals.table["status"].isin(["at risk", "missed"]), "metric"]
        text = f"Goals as of {c.as_of}: {parts}"
        if len(attention):
            text += "; needing attention: " + ", ".join(dict.fromkeys(attention.astype(str)))
        lines.append(text + ".")
    else:
        lines.append(c.goals)
    health = c.health
    lines.append(health.headline() + (" See the Data health section." if health.worst != "ok" else ""))
    lines.append(_data_line(c))
    return lines


def _data_line(c: Computed) -> str:
    reps = c.data.reports
    read = sum(r.rows_read for r in reps)
    dropped = [(r.table, r.rows_dropped) for r in reps if r.rows_dropped]
    flagged = [(r.table, n) for r in reps if (n := r.action_counts().get("flagged", 0))]
    text = f"Data: {len(reps)} tables, {read:,} rows read"
    if not dropped and not flagged:
        return text + ", none dropped or flagged."
    bits = [f"{n:,} dropped in {t}" for t, n in dropped] + [f"{n:,} flagged in {t}" for t, n in flagged]
    return text + "; " + ", ".join(bits) + " (see Data quality)."


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
