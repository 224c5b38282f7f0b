"""Build the automated report: every analysis for a period, compared with the previous period.

:func:`build_report` loads the configured data once, then computes for the report period (and the
previous period of equal length, unless ``compare_previous = false``):

* costs (the cost ledger of the period's cost lines);
* revenue credited to the social channel groups by the configured attribution model (journeys
  that end in the period), and the ROI on it — and/or, as ``[roi] revenue_source`` says, the ROI
  on a marketing-mix model's or a lift test's revenue (:mod:`roi_kit.reporting.roi_sources`);
* the value of followers (``compare_segments`` + ``value_of_social`` with the configured follower
  definition; see :mod:`roi_kit.reporting.followers`) and the ROI on it;
* direct + indirect ROI: one ``rk.roi(revenue={...})`` statement over attributed sales, follower
  value, PPC-equivalent traffic and service savings (:mod:`roi_kit.reporting.indirect`);
* the funnel (events in the period), the goals that overlap the period against their targets, the
  period totals of the goal metrics, and what the loaders found in the data;
* the scorecard that leads the page: those goals as KPIs with pace and status, against the
  company's own history and an optional benchmark table, with metrics as context
  (:mod:`roi_kit.reporting.scorecard`).

It returns a :class:`Report`; :func:`write_report` writes it as HTML, Excel, CSV or JSON.

Examples
--------
>>> from roi_kit.reporting.config import parse_config
>>> cfg = parse_config('''
... [report]
... period_start = "2025-01-01"
... period_end = "2025-01-31"
... [data]
... sample = "saas"
... ''', check_files=False)
>>> report = build_report(cfg)
>>> print(report.summary().splitlines()[0])
Period: 2025-01-01 to 2025-01-31 (31 days), compared with 2024-12-01 to 2024-12-31.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from roi_kit.errors import EmptyDataError
from roi_kit.export import ReportSection, static_html_report
from roi_kit.goals import GoalProgress
from roi_kit.kpi import ScorecardResult
from roi_kit.reconcile import DataHealth, data_health
from roi_kit.reporting.comparison import comparison_rows
from roi_kit.reporting.config_types import ReportConfig
from roi_kit.reporting.data import ReportData, load_data
from roi_kit.reporting.followers import FollowerValue, follower_value
from roi_kit.reporting.goals import report_goals
from roi_kit.reporting.indirect import PeriodStatement, period_statement
from roi_kit.reporting.metrics import daily_actuals
from roi_kit.reporting.period import PeriodFigures, period_figures
from roi_kit.reporting.roi_sources import RevenueSources, prepare_sources
from roi_kit.reporting.scorecard import report_scorecard
from roi_kit.reporting.sections import make_sections
from roi_kit.reporting.summary import summary_lines
from roi_kit.reporting.write import write_report
from roi_kit.results import ResultMixin

__all__ = ["STEPS", "Progress", "Report", "build_report", "write_report"]

Progress = Callable[[int, int, str], None]
"""``progress(step, total, text)``: called before each step of the work (the CLI prints it)."""

STEPS = 7
"""Steps reported to ``progress``: 1-6 by :func:`build_report`, 7 (writing) by its caller."""


@dataclass(frozen=True, eq=False)
class Report(ResultMixin):
    """A finished report: plain-words summary, sections for the page, tables for the exports.

    Attributes
    ----------
    title, currency
        From the config.
    period, previous
        ``(first day, last day)`` of the report period and of the previous period (``None`` when
        the comparison is switched off).
    lines
        The summary at the top, one sentence per line.
    sections
        Blocks of the HTML page (heading, words, chart, table).
    tables
        Name → pandas table, one sheet / CSV file / JSON entry each; ``"comparison"`` is the
        period comparison (``metric, label, unit, current, previous, change, change_pct``).
    source
        What the data came from (the footer of the page).
    generated_at
        When the report was built (UTC).
    """

    title: str
    currency: str
    period: tuple[dt.date, dt.date]
    previous: tuple[dt.date, dt.date] | None
    lines: tuple[str, ...]
    sections: tuple[ReportSection, ...]
    tables: Mapping[str, pd.DataFrame]
    source: str
    generated_at: dt.datetime

    def summary(self) -> str:
        """The plain-words summary at the top of the report."""
        return "\n".join(self.lines)

    def to_frame(self) -> pd.DataFrame:
        """The period comparison table (a copy)."""
        return self.tables["comparison"].copy()

    @property
    def subtitle(self) -> str:
        """The period line under the title."""
        start, end = self.period
        text = f"{start:%Y-%m-%d} to {end:%Y-%m-%d}"
        if self.previous is not None:
            text += f" · compared with {self.previous[0]:%Y-%m-%d} to {self.previous[1]:%Y-%m-%d}"
        return text

    def to_html(self) -> str:
        """The self-contained HTML page (inline CSS, static SVG charts, no requests)."""
        summary = ReportSection("Summary", text=self.summary())
        return static_html_report(self.title, [summary, *self.sections], subtitle=self.subtitle,
                                  footer=self.source, generated_at=self.generated_at)


@dataclass(frozen=True, eq=False)
class Computed:
    """Intermediate results handed to the section builders."""

    config: ReportConfig
    data: ReportData
    current: PeriodFigures
    previous: PeriodFigures | None
    followers: FollowerValue | str
    goals: GoalProgress | str
    as_of: dt.date
    health: DataHealth
    scorecard: ScorecardResult | str
    indirect: PeriodStatement


def _noop(step: int, total: int, text: str) -> None:
    return None


def compute(config: ReportConfig, *, progress: Progress | None = None) -> Computed:
    """Load the data and run every analysis (the work behind :func:`build_report`)."""
    say = progress or _noop
    say(1, STEPS, "loading data")
    data = load_data(config, progress=lambda text: say(1, STEPS, text))
    if not data.tables:
        raise EmptyDataError(f"{config.source}: no table could be loaded.",
                             hint="name the data files under [data] or set sample = \"saas\".")
    daily = daily_actuals(data.tables)
    sources: RevenueSources | None = None
    if set(config.roi.sources) - {"attribution"}:
        say(1, STEPS, "revenue sources for ROI: " + ", ".join(config.roi.sources))
        sources = prepare_sources(config.roi, currency=config.currency)
    say(2, STEPS, f"costs, attribution ({config.attribution.model}) and funnel, "
                   f"{config.period_start} to {config.period_end}")
    current = period_figures(data.tables, daily, config, config.period_start, config.period_end,
                             sources)
    previous = None
    if config.compare_previous:
        start, end = config.previous_period
        say(3, STEPS, f"the same for the previous period, {start} to {end}")
        previous = period_figures(data.tables, daily, config, start, end, sources)
    say(4, STEPS, "followers vs non-followers and the value of social")
    followers = follower_value(data.tables, config)
    indirect = period_statement(data.tables, config, current, followers)
    last = data.last_day()
    as_of = min(config.period_end, last) if last is not None else config.period_end
    say(5, STEPS, "goals against targets")
    goals = report_goals(data.tables.get("goals"), daily, config, current, as_of=as_of)
    scorecard = report_scorecard(goals, daily, data.tables, config, as_of=as_of)
    t = data.tables
    health = data_health(
        touchpoints=t.get("touchpoints"), deals=t.get("deals"), customers=t.get("customers"),
        posts=t.get("posts"), funnel_events=t.get("funnel_events"), costs=t.get("costs"),
        attributed_revenue=current.social_revenue, start=config.period_start,
        end=config.period_end, currency=config.currency)
    return Computed(config, data, current, previous, followers, goals, as_of, health, scorecard,
                    indirect)


def build_report(config: ReportConfig, *, progress: Progress | None = None,
                 charts: bool = True) -> Report:
    """Compute every part of the report for the configured period.

    Parameters
    ----------
    config
        A validated :class:`~roi_kit.reporting.config.ReportConfig`.
    progress
        Called as ``progress(step, total, text)`` before each step (loading, each period,
        followers, goals, sections); ``None`` = silent. ``total`` is :data:`STEPS`, whose last
        step (writing the file, which draws the charts) is left to the caller.
    charts
        Build the charts of the sections (needed for HTML only; ``False`` saves a few seconds
        when writing Excel, CSV or JSON, and ``Report.to_html()`` then shows no charts).

    Returns
    -------
    Report

    Raises
    ------
    roi_kit.errors.InputError
        A data file cannot be used (missing column, unreadable, empty).
    roi_kit.errors.ConfigError
        A setting cannot be applied to the data.
    """
    computed = compute(config, progress=progress)
    (progress or _noop)(6, STEPS, "putting the sections and the summary together")
    rows = comparison_rows(computed)
    lines = summary_lines(computed, rows)
    sections, tables = make_sections(computed, rows, charts=charts)
    return Report(
        title=config.title, currency=config.currency,
        period=(config.period_start, config.period_end),
        previous=config.previous_period if config.compare_previous else None,
        lines=tuple(lines), sections=tuple(sections), tables=tables,
        source=f"Data: {computed.data.origin or 'none'} · config: {config.source}",
        generated_at=dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
    )
