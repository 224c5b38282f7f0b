"""App 6 — management report: one page a manager reads, exportable as a self-contained HTML file.

One page that leads with the scorecard: the KPIs of the running goal period (``rk.scorecard``:
pace, status, change against the trailing median of earlier periods) with the headline tiles (ROI,
the value of followers credited to the cost ledger's dates with its interval — the report's rule and
the statement's "follower value" — cost, attributed revenue) and the ROI chart; then goals vs
targets in brief (status counts and the goals of the latest
period that are at risk or missed), direct + indirect ROI (one ``rk.roi(revenue={...})`` statement,
:func:`~roi_kit.widgets.apps.social_roi.statement_section`), and the funnel. Every full table is in the Excel download. The page shows exactly what the exported file
holds: the same escaped text and the same static SVG charts (rendered in Python by vl-convert), so
it renders offline in Voila, in a mail attachment and on an intranet alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, ClassVar

import ipywidgets as W
import pandas as pd

from roi_kit.export import (
    REPORT_CSS,
    ReportSection,
    sections_html,
    static_html_report,
    to_excel_bytes,
)
from roi_kit.formatting import fmt_money, fmt_pct
from roi_kit.widgets._common import download_link, error_text
from roi_kit.widgets.app import AppPanel
from roi_kit.widgets.apps.goal_digest import ATTENTION, goal_digest, scorecard_digest
from roi_kit.widgets.apps.report_sections import funnel_section, goals_section, health_section
from roi_kit.widgets.apps.social_roi import (
    cost_dates,
    cost_per_case_box,
    follower_value,
    social_ledger,
    social_revenue,
    social_roi,
    statement_section,
)
from roi_kit.widgets.results import readable_width

__all__ = ["ATTENTION", "ManagementReportApp", "goal_digest"]

_DESC = {"description_width": "150px"}
_WIDE = W.Layout(width="360px")


class ManagementReportApp(AppPanel):
    """The one-page management report, with HTML and Excel downloads.

    Attributes
    ----------
    sections
        The :class:`~roi_kit.export.ReportSection` list of the last build.
    html
        The last exported page (a complete, self-contained HTML document).
    """

    title: ClassVar[str] = "Management report"
    question: ClassVar[str] = ("One page for the manager: are we on target, did social pay for "
                               "itself, what are followers worth, and where does the funnel leak?")
    tables: ClassVar[tuple[str, ...]] = ("costs",)
    optional_tables: ClassVar[tuple[str, ...]] = (
        "goals", "customers", "social_audience", "deals", "touchpoints", "funnel_events", "posts",
        "service_interactions")
    steps: ClassVar[int] = 6

    def build(self) -> Sequence[W.Widget]:
        self.revenue_from = W.Dropdown(
            options=[("attribution (Markov) on the touchpoints", "attribution"),
                     ("value of followers (adjusted)", "followers")],
            value="attribution", description="ROI revenue from", style=_DESC,
            layout=W.Layout(width="480px"))
        self.company = W.Text(value="", placeholder="e.g. Acme Analytics",
                              description="Company name", style=_DESC, layout=_WIDE)
        self.cost_per_case = cost_per_case_box("480px")
        self.revenue_from.add_class("rk-revenue-from")
        self.company.add_class("rk-company")
        for widget in (self.revenue_from, self.company, self.cost_per_case):
            widget.observe(lambda _c: self.refresh(), names="value")
        self.page = W.HTML("")
        self.page.add_class("roi-kit-report")
        self.downloads = W.HTML("")
        self.downloads.add_class("roi-kit-downloads")
        self.banner = W.HTML("")
        self.banner.add_class("rk-data-health")
        self.sections: list[ReportSection] = []
        self.html = ""
        self.roi_result: Any = None
        self.frames: dict[str, pd.DataFrame] = {}
        self._attributed_revenue: float | None = None
        self._memo: dict[tuple[Any, ...], tuple[Any, dict[str, pd.DataFrame]]] = {}
        self._attributed: Any = None  # the attribution result, shared with the statement
        self._credited: Any = None  # the follower value of the dates, shared with the statement
        controls = W.VBox([self.revenue_from, self.company, self.cost_per_case])
        controls.add_class("roi-kit-controls")
        return [controls, self.banner, self.downloads, self.page]

    # -- sections ---------------------------------------------------------------------------------
    def _attribution(self) -> Any:
        start, end = cost_dates(self.data["costs"])
        result = self._revenue_of(start, end)
        self.frames["attribution"] = result.to_frame()
        return result

    def _followers(self) -> Any:
        """Follower value of the cost dates: the tile, the ROI on followers and the statement's."""
        start, end = cost_dates(self.data["costs"])
        known, credited = follower_value(self.data, start=start, end=end, currency=self.currency)
        self.frames["follower_effects"] = known.comparison.to_frame()
        self.frames["value_of_social"] = known.value.to_frame()
        return credited

    def _safe(self, heading: str, tables: Sequence[str], build: Any) -> ReportSection:
        absent = [t for t in tables if t not in self.data]
        if absent:
            return ReportSection(heading, text=f"Not included: this needs the {', '.join(absent)} "
                                               "table(s). Pick the sample or upload them.")
        try:
            return build()
        except Exception as exc:  # one failing section must not sink the report
            return ReportSection(heading, text=f"This section could not be computed. "
                                               f"{error_text(exc)}")

    def _try(self, tables: Sequence[str], build: Any, problems: list[str], what: str) -> Any:
        """``build()`` when its tables are there (once per data); otherwise ``None`` and a line in
        ``problems``."""
        def attempt() -> tuple[Any, str | None]:
            absent = [t for t in tables if t not in self.data]
            if absent:
                return None, f"{what}: needs the {', '.join(absent)} table(s)."
            try:
                return build(), None
            except Exception as exc:  # one failing figure must not sink the report
                return None, f"{what} could not be computed. {error_text(exc)}"

        value, problem = self._once((what,), attempt)
        problems.extend([problem] if problem else [])
        return value

    def clear_results(self) -> None:
        self.page.value = self.downloads.value = self.banner.value = ""
        self.sections, self.html, self.frames, self._memo = [], "", {}, {}

    def _once(self, key: tuple[Any, ...], build: Any) -> Any:
        """``build()`` once per data, currency and ``key`` (a control change recomputes only what
        reads that control); the tables it adds to :attr:`frames` are added again on reuse."""
        key = (self.currency, *key)
        if key not in self._memo:
            before = dict(self.frames)
            value = build()
            self._memo[key] = value, {k: f for k, f in self.frames.items() if before.get(k) is not f}
        value, added = self._memo[key]
        self.frames.update(added)
        return value

    # -- compute ------------------------------------------------------------------------------------
    def _scorecard(self) -> tuple[list[str], pd.DataFrame | None]:
        """The scorecard's lines and KPI table (ROI KPIs measured by :meth:`_roi_of_dates`)."""
        lines, table, frame = scorecard_digest(
            self.data, roi=self._roi_of_dates if "touchpoints" in self.data else None)
        if frame is not None:
            self.frames["scorecard"] = frame
        return lines, table

    def _roi_of_dates(self, start: pd.Timestamp, end: pd.Timestamp) -> Any:
        """ROI of one goal's dates, on revenue credited to social by attribution (as the report);
        kept per dates, so the scorecard and the goals section share one attribution run."""
        first, last = start.date(), end.date()
        return self._once(("roi of", first, last), lambda: social_roi(
            self._revenue_of(first, last),
            social_ledger(self.data["costs"], start=first, end=last, currency=self.currency),
            start=first, end=last, currency=self.currency))

    def _revenue_of(self, start: dt.date | None, end: dt.date | None) -> Any:
        """The attribution of the journeys ending in ``start`` – ``end``, once per data and dates
        (the headline, the scorecard and the goals read the same runs)."""
        return self._once(("attributed", start, end),
                          lambda: social_revenue(self.data, "attribution", start=start, end=end))

    def _headline(self) -> ReportSection:
        """The scorecard first (KPIs with pace and status), then the tiles (ROI, value of social
        with interval, cost, attributed revenue) and the ROI chart."""
        problems: list[str] = []
        card_lines, card_table = self._once(("scorecard",), self._scorecard)
        attributed = self._try(("touchpoints",), self._attribution, problems,
                               "Attributed revenue")
        value = self._try(("customers", "deals", "social_audience"), self._followers, problems,
                          "Value of followers")
        self._attributed, self._credited = attributed, value
        revenue = attributed if self.revenue_from.value == "attribution" else value
        tiles: list[tuple[str, str]] = []
        lines: list[str] = list(card_lines)
        chart = None
        money = lambda v: fmt_money(v, currency=self.currency, decimals=0)  # noqa: E731
        start, end = cost_dates(self.data["costs"])
        ledger = social_ledger(self.data["costs"], currency=self.currency)
        if revenue is not None:
            result = social_roi(revenue, ledger, start=start, end=end, currency=self.currency)
            self.roi_result = result
            self.frames["roi"] = result.to_frame()
            pct = (fmt_pct(result.roi_pct, ratio_input=False) if result.roi_pct is not None
                   else "undefined")
            dates = f", {start:%Y-%m-%d} to {end:%Y-%m-%d}" if start and end else ""
            ci = result.roi_pct_ci  # the revenue's interval, carried by rk.roi
            band = (f"95% interval {fmt_pct(ci[0], ratio_input=False)} to "
                    f"{fmt_pct(ci[1], ratio_input=False)}; " if ci is not None else "")
            tiles.append(("ROI", f"{pct}\n{band}net return {money(result.net_return)}{dates}"))
            cost = result.cost
            lines.append(f"ROI {pct}: social brought in {money(result.revenue)} for "
                         f"{money(cost)} of cost ({'attributed revenue' if revenue is attributed else 'value of followers'}).")
            chart = readable_width(result.chart())
        else:
            self.roi_result = None
            cost = ledger.total
            tiles.append(("ROI", "not available"))
        if value is not None:
            est, low, high, words = value.revenue_estimate()
            interval = (f"95% interval {money(low)} to {money(high)}"
                        if low is not None and high is not None else "no interval")
            tiles.append(("Value of followers", f"{money(est)}\n{interval}"))
            lines.append(f"Value of followers {money(est)}, {value.start} to {value.end}: "
                         f"{words.removeprefix('value of social: ')}.")
        else:
            tiles.append(("Value of followers", "not available"))
        tiles.append(("Total social cost", money(cost)))
        if attributed is not None:
            est = attributed.revenue_estimate()[0]
            share = fmt_pct(est / attributed.total_value) if attributed.total_value > 0 else "n/a"
            tiles.append(("Attributed revenue", f"{money(est)}\n{share} of value (Markov)"))
            self._attributed_revenue = float(est)
        else:
            tiles.append(("Attributed revenue", "not available"))
        lines.extend(problems)
        lines.append("The value of followers is an adjusted association, not proof that social "
                     "media caused it. Every table is in the Excel download.")
        return ReportSection("Scorecard", text="\n".join(lines), tiles=tuple(tiles),
                             chart=chart, table=card_table)

    def compute(self, step: Any) -> None:
        self.frames = {}
        self._attributed_revenue = self._attributed = self._credited = None
        self.banner.value = ""
        first, self.roi_result, self._attributed, self._credited, self._attributed_revenue = (
            self._once(("headline", self.revenue_from.value), lambda: (
                self._headline(), self.roi_result, self._attributed, self._credited,
                self._attributed_revenue)))
        step("attribution")
        step("value of followers")
        sections: list[ReportSection] = [first]
        sections.append(self._once(("goals",), lambda: self._safe(
            "Goals vs targets", ("goals",), lambda: goals_section(
                self.data, self.frames, roi=self._roi_of_dates))))
        step("goals")
        sections.append(self._once(("statement", self.cost_per_case.value), lambda: self._safe(
            "Direct + indirect ROI", (), lambda: statement_section(
                self.data, self.frames, attributed=self._attributed, followers=self._credited,
                cost_per_case=self.cost_per_case.value, currency=self.currency))))
        step("direct + indirect ROI")
        sections.append(self._once(("funnel",), lambda: self._safe(
            "Funnel", ("funnel_events",), lambda: funnel_section(self.data, self.frames))))
        step("funnel")
        banner = [""]  # the data health, also shown above the page

        def health() -> ReportSection:
            section, banner[0] = health_section(self.data, self.frames,
                                                attributed_revenue=self._attributed_revenue)
            return section

        section, self.banner.value = self._once(("health", self._attributed_revenue), lambda: (
            self._safe("Data health", (), health), banner[0]))
        sections.append(section)
        self.sections = sections
        company = self.company.value.strip()
        title = f"Social media report — {company}" if company else "Social media report"
        self.html = static_html_report(
            title, sections, subtitle="What social media is worth, in money.",
            footer="roi_kit · numbers from the data loaded in the app")
        self.page.value = (f"<style>.roi-kit-report{{max-width:980px}}{REPORT_CSS}</style>"
                           f"<main>{sections_html(sections)}</main>")
        links = [download_link(self.html.encode("utf-8"), "social_media_report.html",
                               label="Download report (HTML)")]
        if self.frames:
            # the tables are those of the sections above: they follow the same two controls
            excel = self._once(("excel", self.revenue_from.value, self.cost_per_case.value),
                               lambda: to_excel_bytes(self.frames))
            links.append(download_link(excel, "social_media_report.xlsx",
                                       label="Download tables (Excel)"))
        self.downloads.value = "".join(links)
        step("page")


