"""App 6 — management report: one page a manager reads, exportable as a self-contained HTML file.

Sections: goals vs targets, ROI (revenue credited to social by attribution or the value of
followers), the value of followers, and the funnel. The page shows exactly what the exported file
holds: the same escaped text and the same static SVG charts (rendered in Python by vl-convert), so
it renders offline in Voila, in a mail attachment and on an intranet alike.
"""

from __future__ import annotations

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

__all__ = ["ManagementReportApp"]

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
        "goals", "customers", "social_audience", "deals", "touchpoints", "funnel_events", "posts")
    steps: ClassVar[int] = 5

    def build(self) -> Sequence[W.Widget]:
        self.revenue_from = W.Dropdown(
            options=[("attribution (Markov) on the touchpoints", "attribution"),
                     ("value of followers (adjusted)", "followers")],
            value="attribution", description="ROI revenue from", style=_DESC,
            layout=W.Layout(width="480px"))
        self.company = W.Text(value="", placeholder="e.g. Acme Analytics",
                              description="Company name", style=_DESC, layout=_WIDE)
        self.revenue_from.add_class("rk-revenue-from")
        self.company.add_class("rk-company")
        self.revenue_from.observe(lambda _c: self.refresh(), names="value")
        self.company.observe(lambda _c: self.refresh(), names="value")
        self.page = W.HTML("")
        self.page.add_class("roi-kit-report")
        self.downloads = W.HTML("")
        self.downloads.add_class("roi-kit-downloads")
        self.sections: list[ReportSection] = []
        self.html = ""
        self.frames: dict[str, pd.DataFrame] = {}
        controls = W.VBox([self.revenue_from, self.company])
        controls.add_class("roi-kit-controls")
        return [controls, self.downloads, self.page]

    # -- sections ---------------------------------------------------------------------------------
    def _goals(self) -> ReportSection:
        from roi_kit.goals import goal_progress
        from roi_kit.reporting.metrics import daily_actuals

        goals = self.data["goals"]
        tracked = goals[goals["metric"] != "roi_pct"] if "metric" in goals.columns else goals
        progress = goal_progress(tracked, daily_actuals(self.data), how={"followers": "last"})
        self.frames["goals"] = progress.to_frame()
        return ReportSection.from_result("Goals vs targets", progress)

    def _revenue(self) -> tuple[Any, list[ReportSection]]:
        if self.revenue_from.value == "attribution":
            from roi_kit.attribution import attribute

            result = attribute(self.data["touchpoints"], model="markov")
            self.frames["attribution"] = result.to_frame()
            return result, [ReportSection.from_result("Revenue credited to social", result)]
        from roi_kit.comparisons import compare_segments
        from roi_kit.value import value_of_social

        cmp = compare_segments(self.data["customers"], self.data["deals"],
                               by=_default_definition(), audience=self.data["social_audience"],
                               n_boot=300)
        value = value_of_social(cmp)
        self.frames["value_of_social"] = value.to_frame()
        return value, []

    def _followers(self) -> ReportSection:
        from roi_kit.comparisons import compare_segments
        from roi_kit.value import value_of_social

        cmp = compare_segments(self.data["customers"], self.data["deals"],
                               by=_default_definition(), audience=self.data["social_audience"],
                               n_boot=300)
        value = value_of_social(cmp)
        self.frames["follower_effects"] = cmp.to_frame()
        self.frames["value_of_social"] = value.to_frame()
        text = value.summary() + "\n" + cmp.summary().split("\n")[-1]
        return ReportSection("What followers are worth", text=text, chart=value.chart(),
                             table=value.to_frame())

    def _funnel(self) -> ReportSection:
        from roi_kit.funnel import funnel
        from roi_kit.widgets.apps.funnel_app import best_preset

        events = self.data["funnel_events"]
        result = funnel(events, stages=best_preset(events["event"]), window_days=90,
                        by="paid" if "paid" in events.columns else None)
        self.frames["funnel"] = result.to_frame()
        return ReportSection.from_result("Funnel", result, table=False)

    def _missing(self, heading: str, tables: Sequence[str]) -> ReportSection | None:
        absent = [t for t in tables if t not in self.data]
        if not absent:
            return None
        return ReportSection(heading, text=f"Not included: this needs the {', '.join(absent)} "
                                           "table(s). Pick the sample or upload them.")

    def _safe(self, heading: str, tables: Sequence[str], build: Any) -> ReportSection:
        missing = self._missing(heading, tables)
        if missing is not None:
            return missing
        try:
            return build()
        except Exception as exc:  # one failing section must not sink the report
            return ReportSection(heading, text=f"This section could not be computed. "
                                               f"{error_text(exc)}")

    def clear_results(self) -> None:
        self.page.value = self.downloads.value = ""
        self.sections, self.html, self.frames = [], "", {}

    # -- compute ------------------------------------------------------------------------------------
    def compute(self, step: Any) -> None:
        from roi_kit.roi import roi

        self.frames = {}
        sections: list[ReportSection] = []
        sections.append(self._safe("Goals vs targets", ("goals",), self._goals))
        step("goals")
        needed = (("touchpoints",) if self.revenue_from.value == "attribution"
                  else ("customers", "deals", "social_audience"))
        roi_sections: list[ReportSection] = []
        missing = self._missing("Return on investment", needed)
        if missing is not None:
            roi_sections.append(missing)
        else:
            revenue, extra = self._revenue()
            result = roi(revenue=revenue, cost=self.data["costs"])
            self.frames["roi"] = result.to_frame()
            headline = ("ROI " + (fmt_pct(result.roi_pct, ratio_input=False)
                                  if result.roi_pct is not None else "undefined")
                        + f", net return {fmt_money(result.net_return, decimals=0)}.")
            roi_sections.append(ReportSection("Return on investment",
                                              text=headline + "\n" + result.summary(),
                                              chart=result.chart(), table=result.to_frame()))
            roi_sections.extend(extra)
        sections.extend(roi_sections)
        step("ROI")
        sections.append(self._safe("What followers are worth",
                                   ("customers", "deals", "social_audience"), self._followers))
        step("followers")
        sections.append(self._safe("Funnel", ("funnel_events",), self._funnel))
        step("funnel")
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
            links.append(download_link(to_excel_bytes(self.frames), "social_media_report.xlsx",
                                       label="Download tables (Excel)"))
        self.downloads.value = "".join(links)
        step("page")


def _default_definition() -> Any:
    from roi_kit.segments import FollowerDefinition

    return FollowerDefinition()
