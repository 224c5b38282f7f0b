"""App 1 — ROI calculator: cost ledger + revenue attributed to social → ROI, by platform,
campaign and period.

Revenue comes from one of the sources the data allows: credited to social by Markov attribution
on the touchpoints, the value of followers, or typed in. Costs come from the cost ledger, filtered
to the chosen dates. The breakdown (:func:`roi_kit.roi_by`) shares the same social revenue out
over platforms, campaigns or periods as :mod:`roi_kit.widgets.apps.roi_breakdown` explains.
Below, "Direct + indirect ROI" puts attributed sales, follower value, PPC-equivalent traffic and
service savings of the same dates into one ``rk.roi(revenue={...})`` statement
(:func:`roi_kit.widgets.apps.social_roi.direct_indirect`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import ipywidgets as W
import pandas as pd

from roi_kit.attribution.period import journeys_in_period
from roi_kit.formatting import fmt_money, fmt_pct
from roi_kit.widgets.app import AppPanel
from roi_kit.widgets.apps.roi_inputs import TypedRevenue, date_bounds
from roi_kit.widgets.apps.social_roi import (
    cost_per_case_box,
    direct_indirect,
    parse_cost_per_case,
    social_ledger,
    social_revenue,
    social_roi,
    statement_tiles,
)
from roi_kit.widgets.results import ResultPanel

__all__ = ["RoiCalculatorApp", "TypedRevenue"]

_DESC = {"description_width": "150px"}
_WIDE = W.Layout(width="330px")


class RoiCalculatorApp(AppPanel):
    """ROI of social media from the cost ledger and the revenue social brought in.

    Examples
    --------
    >>> import pandas as pd
    >>> costs = pd.DataFrame({"date": pd.to_datetime(["2024-01-05", "2024-02-05"]),
    ...                       "category": ["ads", "staff"], "amount": [600.0, 400.0]})
    >>> app = RoiCalculatorApp({"costs": costs})
    >>> app.revenue.value = 1500
    >>> app.result.roi_pct
    50.0
    """

    title: ClassVar[str] = "ROI calculator"
    question: ClassVar[str] = ("Did social media pay for itself? Costs from the ledger, revenue "
                               "attributed to social, and ROI % = (revenue − cost) × 100 / cost.")
    tables: ClassVar[tuple[str, ...]] = ("costs",)
    optional_tables: ClassVar[tuple[str, ...]] = ("touchpoints", "customers", "social_audience",
                                                 "deals", "posts", "service_interactions")
    steps: ClassVar[int] = 5

    def build(self) -> Sequence[W.Widget]:
        self.revenue_source = W.Dropdown(options=[("typed in", "typed")], value="typed",
                                         description="Revenue from", style=_DESC, layout=_WIDE)
        # starts empty (0, "not typed yet"): a pre-filled example would flow into the ROI as
        # if it were the user's figure
        self.revenue = W.BoundedFloatText(value=0.0, min=0, max=1e12, step=1000,
                                          description="Revenue (typed)", style=_DESC,
                                          layout=_WIDE)
        self.revenue_typed = False
        self.revenue.observe(self._revenue_typed, names="value")
        self.start = W.DatePicker(description="From", style=_DESC, layout=_WIDE)
        self.end = W.DatePicker(description="To", style=_DESC, layout=_WIDE)
        self.period = W.ToggleButtons(options=[("Month", "month"), ("Quarter", "quarter"),
                                               ("Year", "year")], value="quarter",
                                      style={"button_width": "80px"})
        self.breakdown = W.ToggleButtons(options=[("Platform", "platform"),
                                                  ("Campaign", "campaign"), ("Period", "period")],
                                         value="platform", style={"button_width": "90px"})
        self.shared = W.ToggleButtons(options=[("Spread by own cost", "proportional"),
                                               ("Own row", "separate")], value="proportional",
                                      style={"button_width": "140px"},
                                      tooltips=["Staff time and tools are shared by every platform: "
                                                "spread them in proportion to each one's own cost",
                                                "Show costs without a platform/campaign as a row "
                                                "'(none)'"])
        self.breakdown.add_class("rk-breakdown")
        self.shared.add_class("rk-shared")
        for widget, name in ((self.revenue_source, "rk-revenue-source"), (self.revenue, "rk-revenue"),
                             (self.start, "rk-start"), (self.end, "rk-end"),
                             (self.period, "rk-period")):
            widget.add_class(name)
        controls = W.VBox([
            W.HBox([self.revenue_source, self.revenue]),
            W.HBox([self.start, self.end]),
            W.HBox([W.HTML("<span style='font-size:13px'>Periods of</span>",
                           layout=W.Layout(width="150px")), self.period]),
        ])
        controls.add_class("roi-kit-controls")
        self.roi_panel = ResultPanel("Return on investment", filename="roi")
        self.by_panel = ResultPanel("", filename="roi_by_platform")
        self.by_heading = W.HTML("<div class='roi-kit-section-title'>ROI by platform</div>")
        by_controls = W.VBox([self.by_heading,
            W.HBox([W.HTML("<span style='font-size:13px'>Break ROI down by</span>",
                           layout=W.Layout(width="150px")), self.breakdown]),
            W.HBox([W.HTML("<span style='font-size:13px'>Shared costs</span>",
                           layout=W.Layout(width="150px")), self.shared]),
        ])
        by_controls.add_class("roi-kit-controls")
        self.by_result: Any = None
        self.cost_panel = ResultPanel("Cost ledger", filename="costs")
        self.cost_per_case = cost_per_case_box("480px")
        self.statement_panel = ResultPanel("Direct + indirect ROI", filename="roi_direct_indirect")
        self.statement: Any = None
        self.result: Any = None
        self.ledger: Any = None
        self._revenue_cache: dict[Any, Any] = {}
        self._updating = False
        for widget in (self.revenue_source, self.revenue, self.start, self.end, self.period,
                       self.breakdown, self.shared, self.cost_per_case):
            widget.observe(lambda _c: self._control_changed(), names="value")
        care = W.VBox([self.cost_per_case])
        care.add_class("roi-kit-controls")
        return [controls, self.roi_panel, by_controls, self.by_panel, self.cost_panel,
                self.statement_panel, care]

    def _revenue_typed(self, _change: Any) -> None:
        self.revenue_typed = True

    def _control_changed(self) -> None:
        if not self._updating:
            self.refresh()

    def _cached(self, key: str, build: Any) -> Any:
        """Results that depend on the data and the dates only (not on the other controls)."""
        full = (key, self.start.value, self.end.value)
        if full not in self._revenue_cache:
            self._revenue_cache[full] = build()
        return self._revenue_cache[full]

    def _touchpoints(self) -> pd.DataFrame:
        """The journeys that end in the dates: the headline ROI's rule, so the breakdown shares
        out the same revenue by the same journeys."""
        return journeys_in_period(self.data["touchpoints"], self.start.value, self.end.value)

    def on_data(self) -> None:
        costs = self.data.get("costs")
        first, last = date_bounds(costs, "date") if costs is not None else (None, None)
        sources = [("typed in", "typed")]
        if "touchpoints" in self.data:
            sources.insert(0, ("attribution (Markov) on the touchpoints", "attribution"))
        if all(t in self.data for t in ("customers", "social_audience", "deals")):
            sources.append(("value of followers (adjusted)", "followers"))
        self._updating = True
        try:
            self.start.value, self.end.value = first, last
            self.revenue_source.options = sources
            self.revenue_source.value = sources[0][1]
        finally:
            self._updating = False
        self._revenue_cache = {}

    def _revenue(self) -> Any:
        source = self.revenue_source.value
        self.revenue.disabled = source != "typed"
        if source == "typed":
            if not self.revenue_typed:
                return None
            return TypedRevenue(float(self.revenue.value))
        # attribution or the follower value credited to the dates; the statement reuses both
        return self._cached(source, lambda: social_revenue(
            self.data, source, start=self.start.value, end=self.end.value))

    def _breakdown(self, social_total: float, ledger: Any, currency: str) -> None:
        """ROI per platform / campaign / period with the same social revenue, into ``by_panel``."""
        from roi_kit.roi_by import roi_by
        from roi_kit.widgets.apps.roi_breakdown import (
            METHOD,
            campaign_credit,
            period_revenue,
            platform_credit,
            share_out,
        )

        by = self.breakdown.value
        self.shared.disabled = by == "period"
        has_tp = "touchpoints" in self.data
        self.by_heading.value = f"<div class='roi-kit-section-title'>ROI by {by}</div>"
        self.by_panel.filename = f"roi_by_{by}"
        if by == "period":
            tp = self._touchpoints() if has_tp else None
            revenue: Any = period_revenue(social_total, tp, start=self.start.value,
                                          end=self.end.value)
            method = METHOD["period"] if has_tp else (
                "Revenue per period: the revenue above spread evenly over the days of the "
                "chosen dates (no touchpoints to date the conversions).")
            shared: Any = "separate"
        else:
            if not has_tp:
                self.by_result = None
                self.by_panel.clear()
                self.by_panel.message.show(
                    f"ROI by {by} needs the touchpoints table (to see which {by} the revenue "
                    "came through). ROI by period works without it.", "info")
                return
            credit = (platform_credit if by == "platform" else campaign_credit)
            weights = self._cached(by, lambda: credit(self._touchpoints()))
            revenue = share_out(social_total, weights)
            if not revenue:
                self.by_result = None
                self.by_panel.clear()
                self.by_panel.message.show(
                    f"No conversion value went through a social {by} in these dates, so there "
                    f"is nothing to split by {by}.", "info")
                return
            method = METHOD[by]
            shared = self.shared.value
        result = roi_by(revenue, ledger, by=by, period=self.period.value, shared=shared,
                        currency=currency)
        self.by_result = result
        table = result.to_frame()
        shown = table.drop(columns=["reason"]).copy()
        shown["roi_pct"] = shown["roi_pct"].round(1)
        self.by_panel.show(result, summary=method + "\n" + result.summary(), table=table,
                           display=shown)

    def _no_revenue(self, ledger: Any) -> None:
        """Costs only: the ROI waits for a revenue the user typed (no example number)."""
        self.result = self.by_result = None
        self.ledger = ledger
        self.by_panel.clear()
        self.roi_panel.show(headline={"Total cost": fmt_money(ledger.total,
                                                              currency=self.currency,
                                                              decimals=0)})
        self.roi_panel.message.show(
            "No ROI yet: these data have no touchpoints or follower tables to estimate the "
            "revenue social brought in. Type that revenue into the “Revenue (typed)” box above "
            "(it then shows as “revenue you typed in”).", "info")
        self._show_costs(ledger)

    def _show_costs(self, ledger: Any) -> None:
        key = (self.start.value, self.end.value, self.period.value, self.currency)
        if key != self.cost_panel.shown_key:
            self.cost_panel.show(ledger, tables={"by_period": ledger.by_period(), "by_platform":
                                 ledger.by_platform(), "by_campaign": ledger.by_campaign()}, key=key)

    def _statement(self, ledger: Any, currency: str) -> None:
        try:  # errors go to the statement panel: the ROI above must stay usable
            costs = parse_cost_per_case(self.cost_per_case.value)
            known = {k: self._revenue_cache.get((k, self.start.value, self.end.value))
                     for k in ("attribution", "followers")}
            result, parts = self._cached(f"statement {sorted(costs.items())}", lambda: direct_indirect(
                self.data, ledger, start=self.start.value, end=self.end.value,
                attributed=known["attribution"], followers=known["followers"],
                cost_per_case=costs, currency=currency))
        except Exception as exc:
            self.statement = None
            self.statement_panel.show_error(exc)
            return
        self.statement = result
        if result is None:
            self.statement_panel.show(summary=parts.summary(None))
        else:
            self.statement_panel.show(result, summary=parts.summary(result),
                                      headline=statement_tiles(result, currency=currency),
                                      table=result.to_frame(), display=result.components_frame(),
                                      key=(self.start.value, self.end.value,
                                           self.cost_per_case.value, currency))

    def compute(self, step: Any) -> None:
        currency = self.currency
        ledger = social_ledger(self.data["costs"], start=self.start.value, end=self.end.value,
                               period=self.period.value, currency=currency)
        step("cost ledger")
        revenue = self._revenue()
        step("revenue")
        if revenue is None:
            self._no_revenue(ledger)
            self._statement(ledger, currency)
            return
        result = social_roi(revenue, ledger, start=self.start.value, end=self.end.value,
                            currency=currency)
        self.result, self.ledger = result, ledger
        money = lambda v: fmt_money(v, currency=currency, decimals=0)  # noqa: E731
        headline = {
            "ROI": (fmt_pct(result.roi_pct, ratio_input=False)
                    if result.roi_pct is not None else "undefined"),
            "Net return": money(result.net_return),
            "Revenue": money(result.revenue),
            "Total cost": money(result.cost),
        }
        # keyed by its inputs: a breakdown or cost-per-case change does not redraw it
        self.roi_panel.show(result, headline=headline, key=(self.start.value, self.end.value,
            self.period.value, currency, self.revenue_source.value, self.revenue.value))
        step("breakdown")
        self._breakdown(float(result.revenue), ledger, currency)
        self._show_costs(ledger)
        step("direct + indirect ROI")
        self._statement(ledger, currency)
        step("done")
