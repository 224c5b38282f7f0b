"""App 4 — attribution: every model side by side, one model in detail, editable channel rules.

The CRM milestone models (U-, W-shaped, full path) read their milestones from the ``deals``
table (deal created, closed won) and the ``lead`` rows of ``funnel_events`` (lead created) when
those tables are loaded; without them, picking such a model says which table is missing.

Custom channel rules are typed as plain values (a channel name, the sources and mediums that
belong to it); they are matched as exact, lower-cased strings — never as paths or code — and put
in front of the GA4-style default rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import altair as alt
import ipywidgets as W
import pandas as pd

from roi_kit.formatting import fmt_money, fmt_pct
from roi_kit.results import escape
from roi_kit.widgets.app import AppPanel
from roi_kit.widgets.results import ResultPanel

__all__ = ["AttributionApp", "models_chart", "parse_values"]

_DESC = {"description_width": "150px"}
_WIDE = W.Layout(width="330px")
MODELS: tuple[tuple[str, str], ...] = (
    ("Markov chain (data-driven)", "markov"), ("Shapley value", "shapley"),
    ("First touch", "first"), ("Last touch", "last"), ("Last non-direct", "last_non_direct"),
    ("Linear", "linear"), ("Time decay", "time_decay"), ("Position-based (40/20/40)", "position"),
    ("U-shaped (CRM: first touch, lead created)", "u_shaped"),
    ("W-shaped (CRM: + deal created)", "w_shaped"), ("Full path (CRM: + closed won)", "full_path"),
    ("J-shaped (20/60/20)", "j_shaped"), ("Inverse J (60/20/20)", "inverse_j"),
)


def parse_values(text: str) -> tuple[str, ...]:
    """Comma-separated values, trimmed and lower-cased, empties dropped.

    Examples
    --------
    >>> parse_values(" Podcast, audio ,,")
    ('podcast', 'audio')
    """
    return tuple(v.strip().lower() for v in text.split(",") if v.strip())


def models_chart(frame: pd.DataFrame, *, top: int = 6) -> alt.Chart:
    """Share of the conversion value per channel (rows) and model (columns), the ``top``
    channels by their average share and the rest as "Other": a grid a reader takes in at once,
    where a bar per channel and model made 80 bars.

    Examples
    --------
    >>> f = pd.DataFrame({"model": ["Markov", "Markov", "Markov"], "channel": ["a", "b", "c"],
    ...                   "value_share": [0.5, 0.3, 0.2]})
    >>> sorted(models_chart(f, top=1).data["channel"])
    ['Other', 'a']
    """
    from roi_kit.charts.theme import use_theme

    use_theme()
    order = frame.groupby("channel")["value_share"].mean().sort_values(ascending=False)
    keep = list(order.index[:top])
    data = frame.assign(channel=frame["channel"].where(frame["channel"].isin(keep), "Other"))
    data = data.groupby(["model", "channel"], as_index=False)["value_share"].sum()
    rows = keep + (["Other"] if len(order) > top else [])
    base = alt.Chart(data, title="Share of conversion value by model").encode(
        x=alt.X("model:N", title=None, axis=alt.Axis(labelAngle=-30)),
        y=alt.Y("channel:N", sort=rows, title=None))
    cells = base.mark_rect().encode(
        color=alt.Color("value_share:Q", title="share of value", legend=None,
                        scale=alt.Scale(scheme="blues")),
        tooltip=["channel:N", "model:N", alt.Tooltip("value_share:Q", format=".1%")])
    labels = base.mark_text(fontSize=11).encode(
        text=alt.Text("value_share:Q", format=".0%"),
        color=alt.condition(alt.datum.value_share > 0.15, alt.value("white"), alt.value("#222")))
    return (cells + labels).properties(width=alt.Step(70), height=alt.Step(26))  # type: ignore[return-value]


class AttributionApp(AppPanel):
    """Attribution models side by side, one in detail, with user channel rules.

    Examples
    --------
    >>> import pandas as pd
    >>> tp = pd.DataFrame({"user_id": ["a", "a", "b"], "source": ["linkedin", "google", "google"],
    ...     "medium": ["social", "organic", "organic"], "converted": [False, True, False],
    ...     "conversion_value": [0.0, 100.0, 0.0],
    ...     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03"])})
    >>> app = AttributionApp({"touchpoints": tp})
    >>> app.model.value = "first"
    >>> app.result.to_frame().set_index("channel").loc["Organic Social", "conversions"]
    np.float64(1.0)
    """

    title: ClassVar[str] = "Attribution"
    question: ClassVar[str] = ("How much of the revenue did social earn? Every attribution model "
                               "side by side, because each answers the question differently.")
    tables: ClassVar[tuple[str, ...]] = ("touchpoints",)
    required_columns: ClassVar[dict[str, tuple[str, ...]]] = {"touchpoints": ("converted",)}
    optional_tables: ClassVar[tuple[str, ...]] = ("deals", "funnel_events")
    steps: ClassVar[int] = 3

    def build(self) -> Sequence[W.Widget]:
        self.model = W.Dropdown(options=list(MODELS), value="markov", description="Model in detail",
                                style=_DESC, layout=_WIDE)
        self.order = W.Dropdown(options=[1, 2, 3, 4], value=1, description="Markov order",
                                style=_DESC, layout=_WIDE)
        self.lookback = W.Dropdown(options=[("no limit", 0), ("7 days", 7), ("30 days", 30),
                                            ("90 days", 90)], value=0,
                                   description="Lookback", style=_DESC, layout=_WIDE)
        self.rule_channel = W.Text(placeholder="e.g. Podcast", description="New channel",
                                   style=_DESC, layout=_WIDE)
        self.rule_sources = W.Text(placeholder="e.g. spotify, anchor", description="Sources",
                                   style=_DESC, layout=_WIDE)
        self.rule_mediums = W.Text(placeholder="e.g. podcast, audio", description="Mediums",
                                   style=_DESC, layout=_WIDE)
        self.add_rule = W.Button(description="Add rule", icon="plus", layout=W.Layout(width="130px"))
        self.clear_rules = W.Button(description="Remove my rules", icon="trash",
                                    layout=W.Layout(width="160px"))
        self.rules_view = W.HTML("")
        self.rules: list[Any] = []
        for widget, css in ((self.model, "rk-model"), (self.order, "rk-order"),
                            (self.lookback, "rk-lookback"), (self.rule_channel, "rk-rule-channel"),
                            (self.rule_sources, "rk-rule-sources"),
                            (self.rule_mediums, "rk-rule-mediums"), (self.add_rule, "rk-add-rule")):
            widget.add_class(css)
        self.model.observe(lambda _c: self.refresh(), names="value")
        self.order.observe(lambda _c: self.refresh(), names="value")
        self.lookback.observe(lambda _c: self.refresh(), names="value")
        self.add_rule.on_click(lambda _b: self._add_rule())
        self.clear_rules.on_click(lambda _b: self._clear_rules())
        self.compare_panel = ResultPanel("All models side by side", filename="attribution_models",
                                         details=True)
        self.detail_panel = ResultPanel("One model in detail", filename="attribution",
                                        details=True)
        self.comparison: Any = None
        self.result: Any = None
        rules_box = W.VBox([
            W.HTML("<span style='font-size:13px'>GA4-style default groups. Add a rule to give "
                   "some sources or mediums their own channel; your rules come first.</span>"),
            W.HBox([self.rule_channel, self.rule_sources]),
            W.HBox([self.rule_mediums, self.add_rule, self.clear_rules]), self.rules_view,
        ])
        rules = W.Accordion(children=[rules_box], titles=("Channel grouping (your own rules)",))
        rules.selected_index = None
        controls = W.VBox([W.HBox([self.model, self.order]), self.lookback])
        controls.add_class("roi-kit-controls")
        # the answer first: the chosen model's credit to social, then every model, then rules
        return [controls, self.detail_panel, self.compare_panel, rules]

    # -- rules ----------------------------------------------------------------------------------
    def _add_rule(self) -> None:
        from roi_kit.attribution import ChannelRule
        from roi_kit.errors import ConfigError

        try:
            name = self.rule_channel.value.strip()
            sources, mediums = parse_values(self.rule_sources.value), parse_values(
                self.rule_mediums.value)
            if not name or not (sources or mediums):
                raise ConfigError("A channel rule needs a channel name and at least one source "
                                  "or medium.", hint="e.g. channel 'Podcast', mediums 'podcast'.")
            rule = ChannelRule(name[:60], source_in=sources, medium_in=mediums,
                               match="any" if sources and mediums else "all")
        except Exception as exc:
            from roi_kit.widgets._common import error_text

            self.status.error(error_text(exc))
            return
        self.rules.append(rule)
        self.rule_channel.value = self.rule_sources.value = self.rule_mediums.value = ""
        self._show_rules()
        self.refresh()

    def _clear_rules(self) -> None:
        self.rules = []
        self._show_rules()
        self.refresh()

    def _show_rules(self) -> None:
        items = "".join(
            f"<li><b>{escape(r.channel)}</b>: source in {escape(', '.join(r.source_in or ()))}"
            f" / medium in {escape(', '.join(r.medium_in or ()))}</li>" for r in self.rules)
        self.rules_view.value = f"<ul style='font-size:13px'>{items}</ul>" if items else ""

    def channel_rules(self) -> Any:
        """Custom rules followed by the default rules (``None`` = defaults only)."""
        if not self.rules:
            return None
        from roi_kit.attribution import DEFAULT_CHANNEL_RULES

        return (*self.rules, *DEFAULT_CHANNEL_RULES)

    def milestones(self) -> Any:
        """CRM milestones from the loaded ``deals`` (and lead events), ``None`` without deals."""
        if "deals" not in self.data:
            return None
        from roi_kit.attribution import crm_milestones

        events = self.data.get("funnel_events")
        leads = None
        if events is not None and {"user_id", "timestamp", "event"} <= set(events.columns):
            leads = events[events["event"].astype(str).str.lower() == "lead"]
        return crm_milestones(self.data["deals"], leads=leads, lead_id="user_id",
                              lead_created="timestamp")

    # -- compute ----------------------------------------------------------------------------------
    def compute(self, step: Any) -> None:
        from roi_kit.attribution import attribute, compare_models

        self.comparison = self.result = None
        self.clear_results()  # a failed model must not leave the previous one on screen
        touchpoints = self.data["touchpoints"]
        rules = self.channel_rules()
        lookback = self.lookback.value or None
        from roi_kit.errors import ConfigError

        milestones = self.milestones()
        crm_model = self.model.value in ("u_shaped", "w_shaped", "full_path")
        to_load = ("load deals (customer_id, status, created_at, closed_at) and funnel events with "
                   "a 'lead' event (user_id, timestamp), or pick J-shaped or position-based.")
        if milestones is None and crm_model:
            raise ConfigError(
                f"{dict((v, k) for k, v in MODELS)[self.model.value]} credits the touches before "
                "CRM milestones, and no deals table is loaded.", hint=to_load)
        self.comparison = compare_models(touchpoints, order=self.order.value,
                                         lookback_days=lookback, rules=rules,
                                         milestones=milestones)
        step("every model")
        try:
            self.result = self.comparison.results.get(self.model.value) or attribute(
                touchpoints, model=self.model.value, order=self.order.value,
                lookback_days=lookback, rules=rules, milestones=milestones)
        except ConfigError as exc:
            if not crm_model:
                raise
            raise ConfigError(exc.message, hint=to_load) from exc  # the app's words, not the API's
        step("model in detail")
        chart = models_chart(self.comparison.to_frame())
        self.compare_panel.show(self.comparison, chart=chart,
                                tables={"wide": self.comparison.wide()})
        estimate, _lo, _hi, _text = self.result.revenue_estimate()
        frame = self.result.to_frame()
        social = frame[frame["channel"].isin(["Organic Social", "Paid Social"])]
        headline = {
            "Conversions": f"{self.result.total_conversions:,.0f}",
            "Social share of conversions": fmt_pct(float(social["share"].sum())),
            "Value credited to social": fmt_money(estimate, currency=self.currency, decimals=0),
        }
        self.detail_panel.show(self.result, headline=headline)
