"""App 1 — ROI calculator: cost ledger + revenue attributed to social → ROI, by period.

Revenue comes from one of the sources the data allows: typed in, or credited to social by an
attribution model on the touchpoints (when the attribution module is available). Costs come from
the cost ledger, filtered to the chosen dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, ClassVar

import ipywidgets as W
import pandas as pd

from roi_kit.formatting import fmt_money, fmt_pct
from roi_kit.widgets.app import AppPanel
from roi_kit.widgets.results import ResultPanel

__all__ = ["RoiCalculatorApp", "filter_dates"]

_DESC = {"description_width": "150px"}
_WIDE = W.Layout(width="330px")


def filter_dates(frame: pd.DataFrame, column: str, start: dt.date | None,
                 end: dt.date | None) -> pd.DataFrame:
    """Rows of ``frame`` whose ``column`` falls within [start, end] (inclusive days).

    Examples
    --------
    >>> f = pd.DataFrame({"date": pd.to_datetime(["2024-01-01", "2024-02-01"])})
    >>> len(filter_dates(f, "date", dt.date(2024, 1, 15), None))
    1
    """
    if column not in frame.columns or (start is None and end is None):
        return frame
    values = pd.to_datetime(frame[column])
    if getattr(values.dt, "tz", None) is not None:
        values = values.dt.tz_convert("UTC").dt.tz_localize(None)
    keep = pd.Series(True, index=frame.index)
    if start is not None:
        keep &= values >= pd.Timestamp(start)
    if end is not None:
        keep &= values < pd.Timestamp(end) + pd.Timedelta(days=1)
    return frame.loc[keep]


def _date_bounds(frame: pd.DataFrame, column: str) -> tuple[dt.date | None, dt.date | None]:
    if column not in frame.columns or frame.empty:
        return None, None
    values = pd.to_datetime(frame[column]).dropna()
    if values.empty:
        return None, None
    return values.min().date(), values.max().date()


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
                                                 "deals")
    steps: ClassVar[int] = 3

    def build(self) -> Sequence[W.Widget]:
        self.revenue_source = W.Dropdown(options=[("typed in", "typed")], value="typed",
                                         description="Revenue from", style=_DESC, layout=_WIDE)
        self.revenue = W.BoundedFloatText(value=250_000.0, min=0, max=1e12, step=1000,
                                          description="Revenue (typed)", style=_DESC,
                                          layout=_WIDE)
        self.start = W.DatePicker(description="From", style=_DESC, layout=_WIDE)
        self.end = W.DatePicker(description="To", style=_DESC, layout=_WIDE)
        self.period = W.ToggleButtons(options=[("Month", "month"), ("Quarter", "quarter"),
                                               ("Year", "year")], value="quarter",
                                      style={"button_width": "80px"})
        self.currency = W.Dropdown(options=["USD", "EUR", "GBP", "DKK", "SEK"], value="USD",
                                   description="Currency", style=_DESC, layout=_WIDE)
        for widget, name in ((self.revenue_source, "rk-revenue-source"), (self.revenue, "rk-revenue"),
                             (self.start, "rk-start"), (self.end, "rk-end"),
                             (self.period, "rk-period"), (self.currency, "rk-currency")):
            widget.add_class(name)
        controls = W.VBox([
            W.HBox([self.revenue_source, self.revenue]),
            W.HBox([self.start, self.end]),
            W.HBox([W.HTML("<span style='font-size:13px'>Costs per</span>",
                           layout=W.Layout(width="150px")), self.period, self.currency]),
        ])
        controls.add_class("roi-kit-controls")
        self.roi_panel = ResultPanel("Return on investment", filename="roi")
        self.cost_panel = ResultPanel("Cost ledger", filename="costs")
        self.result: Any = None
        self.ledger: Any = None
        self._revenue_cache: dict[str, Any] = {}
        self._updating = False
        for widget in (self.revenue_source, self.revenue, self.start, self.end, self.period,
                       self.currency):
            widget.observe(lambda _c: self._control_changed(), names="value")
        return [controls, self.roi_panel, self.cost_panel]

    def _control_changed(self) -> None:
        if not self._updating:
            self._revenue_cache.pop("attribution", None)  # depends on the dates
            self.refresh()

    def on_data(self) -> None:
        costs = self.data.get("costs")
        first, last = _date_bounds(costs, "date") if costs is not None else (None, None)
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
            return float(self.revenue.value)
        if source not in self._revenue_cache:
            if source == "attribution":
                from roi_kit.attribution import attribute

                touchpoints = filter_dates(self.data["touchpoints"], "timestamp",
                                           self.start.value, self.end.value)
                self._revenue_cache[source] = attribute(touchpoints, model="markov")
            else:
                from roi_kit.comparisons import compare_segments
                from roi_kit.segments import FollowerDefinition
                from roi_kit.value import value_of_social

                cmp = compare_segments(self.data["customers"], self.data["deals"],
                                       by=FollowerDefinition(),
                                       audience=self.data["social_audience"], n_boot=300)
                self._revenue_cache[source] = value_of_social(cmp)
        return self._revenue_cache[source]

    def compute(self, step: Any) -> None:
        from roi_kit.costs import cost_ledger
        from roi_kit.roi import roi

        currency = self.currency.value
        costs = filter_dates(self.data["costs"], "date", self.start.value, self.end.value)
        ledger = cost_ledger(costs, period=self.period.value, unknown="other", currency=currency)
        step("cost ledger")
        revenue = self._revenue()
        step("revenue")
        months = None
        if self.start.value and self.end.value and self.end.value > self.start.value:
            months = ((self.end.value - self.start.value).days + 1) / 30.4375
        if self.revenue_source.value == "followers":
            months = 12.0  # value_of_social's default window: revenue earned over 12 months
        result = roi(revenue=revenue, cost=ledger, currency=currency, period_months=months)
        self.result, self.ledger = result, ledger
        money = lambda v: fmt_money(v, currency=currency, decimals=0)  # noqa: E731
        headline = {
            "ROI": (fmt_pct(result.roi_pct, ratio_input=False)
                    if result.roi_pct is not None else "undefined"),
            "Net return": money(result.net_return),
            "Revenue": money(result.revenue),
            "Total cost": money(result.cost),
        }
        self.roi_panel.show(result, headline=headline)
        self.cost_panel.show(ledger, tables={
            "by_period": ledger.by_period(), "by_platform": ledger.by_platform(),
            "by_campaign": ledger.by_campaign(),
        })
        step("done")
