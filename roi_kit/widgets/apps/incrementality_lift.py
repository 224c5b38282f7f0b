"""App 07's lift-test part: a planner (users or markets needed, smallest detectable lift) and a
readout of a finished user-level holdout, both from numbers typed in.

They do not depend on the weekly table, so a new upload or a refit leaves them as they are; each
panel recomputes when one of its own inputs changes and shows its own error in words.

Examples
--------
>>> panel = LiftTestPanel()
>>> panel.users.value = 0
>>> "79,376 users" in panel.plan_panel.lead.value
True
>>> panel.test_conversions.value = 700
>>> panel.result.estimate("incremental_conversions") > 0
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as W
import pandas as pd

from roi_kit.formatting import fmt_money, fmt_pct
from roi_kit.widgets.results import ResultPanel

__all__ = ["LiftTestPanel"]

_DESC = {"description_width": "190px"}
_BOX = W.Layout(width="330px")


def _number(kind: type[W.Widget], value: float, label: str, css: str, **bounds: Any) -> Any:
    widget = kind(value=value, description=label, style=_DESC, layout=_BOX, **bounds)
    widget.add_class(css)
    return widget


class LiftTestPanel(W.VBox):
    """Lift-test planner and holdout readout (``rk.plan_lift_test``, ``rk.lift_test``).

    Parameters
    ----------
    currency
        Returns the currency label to show money in (the app's "Amounts in" choice).
    """

    def __init__(self, currency: Callable[[], str] = lambda: "USD") -> None:
        self.currency = currency
        self.design = W.ToggleButtons(options=[("Users held out", "holdout"),
                                               ("Markets (geo test)", "geo")], value="holdout",
                                      style={"button_width": "150px"})
        self.design.add_class("rk-lift-design")
        self.baseline = _number(W.BoundedFloatText, 3.0, "Conversion rate without (%)",
                                "rk-baseline", min=0.01, max=99.0, step=0.1)
        self.lift = _number(W.BoundedFloatText, 20.0, "Expected lift (%)", "rk-lift",
                            min=0.1, max=500.0, step=1.0)
        self.users = _number(W.BoundedIntText, 0, "Users (0 = how many?)",
                             "rk-users", min=0, max=10**9)
        self.holdout = _number(W.BoundedFloatText, 10.0, "Held out (%)", "rk-holdout",
                               min=1.0, max=90.0, step=1.0)
        self.markets = _number(W.BoundedIntText, 30, "Markets", "rk-markets", min=4, max=500)
        self.treated = _number(W.BoundedIntText, 3, "Markets in the test", "rk-treated",
                               min=1, max=100)
        self.noise = _number(W.BoundedFloatText, 5.0, "Weekly noise per market (%)", "rk-noise",
                             min=0.1, max=100.0, step=0.5)
        self.holdout_box = W.VBox([W.HBox([self.baseline, self.lift]),
                                   W.HBox([self.users, self.holdout])])
        self.geo_box = W.VBox([W.HBox([self.markets, self.treated]), W.HBox([self.noise])],
                              layout=W.Layout(display="none"))
        self.plan_panel = ResultPanel("", filename="lift_test_plan", details=True)
        self.test_users = _number(W.BoundedIntText, 18_000, "Test: users", "rk-test-users",
                                  min=1, max=10**9)
        self.test_conversions = _number(W.BoundedIntText, 630, "Test: conversions",
                                        "rk-test-conv", min=0, max=10**9)
        self.test_revenue = _number(W.BoundedFloatText, 63_000.0, "Test: revenue",
                                    "rk-test-rev", min=0.0, max=1e12)
        self.control_users = _number(W.BoundedIntText, 2_000, "Held out: users",
                                     "rk-control-users", min=1, max=10**9)
        self.control_conversions = _number(W.BoundedIntText, 60, "Held out: conversions",
                                           "rk-control-conv", min=0, max=10**9)
        self.control_revenue = _number(W.BoundedFloatText, 6_000.0, "Held out: revenue",
                                       "rk-control-rev", min=0.0, max=1e12)
        self.cost = _number(W.BoundedFloatText, 5_000.0, "Campaign cost", "rk-lift-cost",
                            min=0.0, max=1e12)
        self.readout_panel = ResultPanel("", filename="lift_test_readout", details=True)
        self.plan: Any = None
        self.result: Any = None
        for widget in (self.design, self.baseline, self.lift, self.users, self.holdout,
                       self.markets, self.treated, self.noise):
            widget.observe(lambda _c: self.update_plan(), names="value")
        for widget in (self.test_users, self.test_conversions, self.test_revenue,
                       self.control_users, self.control_conversions, self.control_revenue,
                       self.cost):
            widget.observe(lambda _c: self.update_readout(), names="value")
        readout_inputs = W.VBox([
            W.HTML("<span style='font-size:13px'>After the test: type the totals of each group "
                   "(revenue optional: 0 = none).</span>"),
            W.HBox([self.test_users, self.control_users]),
            W.HBox([self.test_conversions, self.control_conversions]),
            W.HBox([self.test_revenue, self.control_revenue]), self.cost])
        plan_inputs = W.VBox([self.design, self.holdout_box, self.geo_box])
        for box in (plan_inputs, readout_inputs):
            box.add_class("roi-kit-controls")
        title = lambda t: W.HTML(f"<div class='roi-kit-section-title'>{t}</div>")  # noqa: E731
        super().__init__([title("Lift-test planner: before the test"), plan_inputs,
                          self.plan_panel, title("Lift-test readout: users held out"),
                          readout_inputs, self.readout_panel])
        self.update()

    def update(self) -> None:
        """Recompute the plan and the readout (e.g. after a currency change)."""
        self.update_plan()
        self.update_readout()

    def update_plan(self) -> None:
        """Plan the test from the planner inputs; an impossible plan is said in words."""
        from roi_kit import plan_lift_test

        geo = self.design.value == "geo"
        self.holdout_box.layout.display = "none" if geo else "flex"
        self.geo_box.layout.display = "flex" if geo else "none"
        try:
            if geo:
                self.plan = plan_lift_test(design="geo", n_markets=int(self.markets.value),
                                           n_treated=int(self.treated.value),
                                           noise=self.noise.value / 100, weeks=(4, 6, 8),
                                           currency=self.currency(), n_placebos=60)
            else:
                users = int(self.users.value) or None
                self.plan = plan_lift_test(baseline_rate=self.baseline.value / 100,
                                           lift=None if users else self.lift.value / 100,
                                           users=users, holdout_share=self.holdout.value / 100)
        except Exception as exc:
            self.plan = None
            self.plan_panel.show_error(exc)
            return
        row = self.plan.to_frame().iloc[0]
        if geo:
            headline = {"Smallest lift seen in 4 weeks":
                        fmt_pct(row["min_detectable_lift_pct"], ratio_input=False)}
        else:
            headline = {"Users needed": f"{int(row['users_total']):,}",
                        "Held out": f"{int(row['users_control']):,}",
                        "Smallest detectable lift": fmt_pct(row["lift_pct"], ratio_input=False)}
        self.plan_panel.show(self.plan, headline=headline)

    def readout_data(self) -> pd.DataFrame:
        """The typed-in totals as ``group, users, conversions[, revenue]`` rows."""
        data = pd.DataFrame({"group": ["test", "control"],
                             "users": [self.test_users.value, self.control_users.value],
                             "conversions": [self.test_conversions.value,
                                             self.control_conversions.value]})
        if self.test_revenue.value or self.control_revenue.value:
            data["revenue"] = [float(self.test_revenue.value), float(self.control_revenue.value)]
        return data

    def update_readout(self) -> None:
        """Read out the typed-in holdout test; bad numbers are said in words."""
        from roi_kit import lift_test

        data = self.readout_data()
        try:
            self.result = lift_test(data, design="holdout", cost=self.cost.value or None,
                                    currency=self.currency(),
                                    revenue="revenue" if "revenue" in data else None)
        except Exception as exc:
            self.result = None
            self.readout_panel.show_error(exc)
            return
        r, money = self.result, self.currency()
        headline = {"Lift": fmt_pct(r.estimate("lift_pct"), ratio_input=False),
                    "Incremental conversions": f"{r.estimate('incremental_conversions'):,.0f}"}
        if "revenue" in data:
            headline["Incremental revenue"] = fmt_money(r.estimate("incremental_revenue"),
                                                        currency=money, decimals=0)
        self.readout_panel.show(r, headline=headline)
