"""App 2 — followers vs non-followers: retention, upsell, deal size, time to close, and the money;
below the answer, prospects (follower leads vs other leads) and lifetime value by segment.

The follower population (matching, covariates, lifetimes: :func:`roi_kit.prepare_population`)
is read once per data set and covariate choice; a change of the follower definition or horizon
only re-runs ``population.compare(definition)`` — the same population and numbers as
``rk.compare_segments`` — which takes well under a second even on large data, so the controls
feel immediate.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import ipywidgets as W
import pandas as pd

from roi_kit.errors import ConfigError, RoiKitError
from roi_kit.formatting import fmt_money
from roi_kit.periods import whole_months
from roi_kit.widgets.app import AppPanel
from roi_kit.widgets.apps.follower_levers import CLV_HORIZONS, gap_tile
from roi_kit.widgets.controls import DEFAULT_COVARIATES, SegmentControls, SegmentSettings
from roi_kit.widgets.results import ResultPanel

__all__ = ["FollowersApp", "by_unit"]

VIEWS: tuple[tuple[str, str], ...] = (
    ("Retention", "retention"), ("Upsell", "upsell"), ("Deal size", "deal size"),
    ("Time to close", "time to close"), ("Covariate balance", "balance"),
)


KEY_COLUMNS: tuple[str, ...] = ("comparison", "measure", "method", "followers", "non_followers",
                                "difference", "ci_low", "ci_high", "p_value")


def by_unit(effects: pd.DataFrame, currency: str) -> pd.DataFrame:
    """Effects with each row's figures written in its own unit (shares as %, money with the
    currency, days as days): one column holds a share in one row and an amount in the next.

    Examples
    --------
    >>> e = pd.DataFrame({"unit": ["share", "money"], "followers": [0.882, 546.0],
    ...                   "difference": [0.1, -20.5]})
    >>> by_unit(e, "EUR")[["followers", "difference"]].values.tolist()
    [['88.2%', '+10.0 pts'], ['EUR 546', '-EUR 20']]
    """
    out = effects.copy()
    units = out["unit"] if "unit" in out else pd.Series("share", index=out.index)

    def cell(value: Any, unit: str, diff: bool) -> str:
        if value is None or value != value:
            return "—"
        if unit == "share":
            return f"{value * 100:+.1f} pts" if diff else f"{value:.1%}"
        if unit == "money":
            text = fmt_money(abs(value), currency=currency, decimals=0)
            return ("-" if value < 0 else "+" if diff else "") + text
        if unit == "days":
            return f"{value:+,.1f} days" if diff else f"{value:,.1f} days"
        return f"{value:+,.0f}" if diff else f"{value:,.0f}"

    for col in ("followers", "non_followers", "difference", "ci_low", "ci_high"):
        if col in out:
            diff = col in ("difference", "ci_low", "ci_high")
            out[col] = [cell(v, u, diff) for v, u in zip(out[col], units, strict=True)]
    return out


class FollowersApp(AppPanel):
    """Followers vs non-followers, naive beside adjusted, turned into money.

    Parameters
    ----------
    data, sample, allow_upload, max_upload_mb
        See :class:`~roi_kit.widgets.AppPanel`.
    n_boot
        Bootstrap resamples for the deal-size interval (fewer = faster).

    Examples
    --------
    >>> import pandas as pd
    >>> customers = pd.DataFrame({"customer_id": list("abcdef"),
    ...     "acquired_at": pd.to_datetime(["2024-01-01"] * 6),
    ...     "churned_at": pd.to_datetime([None, None, "2024-09-01", None, "2024-06-01", None]),
    ...     "observed_until": pd.to_datetime(["2025-06-30"] * 6), "mrr": [100.0] * 6})
    >>> audience = pd.DataFrame({"customer_id": ["a", "b", "c"], "platform": ["x", "x", "x"],
    ...     "followed_at": pd.to_datetime(["2024-01-15"] * 3), "engagements": [5, 1, 0]})
    >>> deals = pd.DataFrame({"deal_id": ["d1"], "customer_id": ["a"], "amount": [10.0],
    ...     "created_at": pd.to_datetime(["2024-02-01"]), "status": ["won"], "kind": ["new"]})
    >>> app = FollowersApp({"customers": customers, "social_audience": audience, "deals": deals},
    ...                    n_boot=50)
    >>> app.comparison.n_followers, app.comparison.n_non_followers
    (3, 3)
    >>> app.controls.min_engagements.value = 2
    >>> app.comparison.n_followers
    1
    """

    title: ClassVar[str] = "Followers vs non-followers"
    question: ClassVar[str] = (
        "Are customers who follow us on social worth more? Retention, upsell, deal size and time "
        "to close — raw and adjusted for company size, industry, region and channel — and what "
        "the difference is worth in money.")
    tables: ClassVar[tuple[str, ...]] = ("customers", "social_audience", "deals")
    steps: ClassVar[int] = 4

    def __init__(self, data: Any = None, *, n_boot: int = 1000, **options: Any) -> None:
        self.n_boot = n_boot
        super().__init__(data, **options)

    def build(self) -> Sequence[W.Widget]:
        self.controls = SegmentControls(
            show=("platforms", "min_engagements", "recency_days", "landmark_days",
                  "horizon_days", "covariates"),
            platforms=(), covariates=DEFAULT_COVARIATES)
        self.kind = W.ToggleButtons(
            options=[("Landmark (honest)", "landmark"), ("Ever followed (biased)", "ever")],
            value="landmark", style={"button_width": "170px"},
            tooltips=["status fixed at the landmark day; only customers active then",
                      "everyone, ever followed vs never: inflated by immortal time"])
        self.method = W.ToggleButtons(options=[("Adjusted", "adjusted"), ("Naive", "naive")],
                                      value="adjusted", style={"button_width": "100px"})
        self.view = W.Dropdown(options=list(VIEWS), value="retention", description="Show",
                               layout=W.Layout(width="330px"))
        for widget, css in ((self.kind, "rk-kind"), (self.method, "rk-method"),
                            (self.view, "rk-view"), (self.controls.min_engagements,
                                                     "rk-min-engagements"),
                            (self.controls.landmark, "rk-landmark"),
                            (self.controls.horizon, "rk-horizon")):
            widget.add_class(css)
        self.summary_panel = ResultPanel("", filename="follower_comparison", details=True)
        self.detail_panel = ResultPanel("", filename="comparison_detail", details=True)
        self.value_panel = ResultPanel("Value of social in money", filename="value_of_social",
                                       details=True)
        self.prospects_panel = ResultPanel("Prospects: follower leads vs other leads",
                                           filename="prospects", details=True)
        self.clv_panel = ResultPanel("Lifetime value by segment", filename="lifetime_value",
                                     details=True)
        self.clv_horizon = W.Dropdown(options=list(CLV_HORIZONS), value=12,
                                      description="CLV horizon", layout=W.Layout(width="330px"))
        self.clv_horizon.add_class("rk-clv-horizon")
        self.clv_horizon.observe(lambda _c: self.refresh(), names="value")
        self.prepared: Any = None
        self._prepared_key: tuple[Any, ...] | None = None
        self.comparison: Any = None
        self.value: Any = None
        self.prospects: Any = None
        self.lifetime_value: Any = None
        self._prospects_key: tuple[Any, ...] | None = None
        self.controls.on_change(lambda _s: self.refresh())
        self.kind.observe(lambda _c: self.refresh(), names="value")
        self.method.observe(lambda _c: self.refresh(), names="value")
        self.view.observe(lambda _c: self._show_detail(), names="value")
        row = lambda label, w: W.HBox([W.HTML(f"<span style='font-size:13px'>{label}</span>",  # noqa: E731
                                              layout=W.Layout(width="150px")), w])
        settings = W.Accordion(children=[W.VBox([self.controls, row("Definition", self.kind),
                                                 row("Value from", self.method)])],
                               titles=("Settings: who counts as a follower, horizon, adjustment",))
        settings.selected_index = None
        settings.add_class("rk-settings")
        self.settings_box = settings
        # the answer first: tiles and one sentence, then the chart; settings one click away
        return [settings, self.summary_panel, self.view, self.detail_panel, self.value_panel,
                self.prospects_panel, self.clv_horizon, self.clv_panel]

    # ------------------------------------------------------------------------------------------
    def on_data(self) -> None:
        audience = self.data.get("social_audience")
        if audience is not None and "platform" in audience.columns:
            platforms = sorted(str(p) for p in pd.unique(audience["platform"].dropna()))
            self.controls.set_platforms(platforms)
        self.prepared, self._prepared_key = None, None
        self.prospects, self._prospects_key = None, None

    def definition(self, settings: SegmentSettings) -> Any:
        """The :class:`roi_kit.FollowerDefinition` the controls describe."""
        from roi_kit.followers import FollowerDefinition

        all_platforms = tuple(self.controls.platform_boxes)
        platforms = settings.platforms
        if not platforms and all_platforms:
            raise ConfigError("No platform is ticked, so nobody can be a follower.",
                              hint="tick at least one platform.")
        chosen = None if set(platforms) == set(all_platforms) else platforms
        return FollowerDefinition(platforms=chosen, min_engagements=settings.min_engagements,
                                  engaged_within_days=settings.recency_days,
                                  landmark_days=settings.landmark_days, kind=self.kind.value)

    def _prepare(self, covariates: tuple[str, ...]) -> Any:
        from roi_kit.followers import prepare_population

        customers = self.data["customers"]
        usable = tuple(c for c in covariates if c in customers.columns)
        key = (id(customers), id(self.data["deals"]), id(self.data["social_audience"]), usable)
        if self.prepared is None or self._prepared_key != key:
            self.prepared = prepare_population(customers, self.data["deals"],
                                               audience=self.data["social_audience"],
                                               covariates=usable)
            self._prepared_key = key
        return self.prepared

    def compute(self, step: Any) -> None:
        from roi_kit.followers import value_of_social

        settings = self.controls.settings
        definition = self.definition(settings)
        prepared = self._prepare(settings.covariates)
        step("comparing")
        horizon = settings.horizon_days
        comparison = prepared.compare(
            definition, horizon_days=horizon,
            horizons_days=tuple(sorted({90, 180, 365, horizon})), n_boot=self.n_boot)
        step("value in money")
        method: Any = self.method.value if settings.covariates else "naive"
        value = value_of_social(comparison, months=whole_months(horizon), method=method)
        self.comparison, self.value = comparison, value
        self._show_summary(horizon, method)
        self._show_detail()
        self.value_panel.show(value)
        step("prospects")
        self._levers(definition)

    def _levers(self, definition: Any) -> None:
        """Prospects and lifetime value with the same definition; a failure stays in its panel.

        The prospect comparison (bootstrap of the velocity interval) is kept while only the
        horizon, landmark, covariates or method change: it depends on none of them."""
        import roi_kit as rk
        from roi_kit.widgets.apps.follower_levers import show_lifetime_value, show_prospects

        deals, audience, contacts = self.data["deals"], self.data["social_audience"], self.data.get("customers")
        key = (id(deals), id(audience), id(contacts), definition.platforms, definition.min_engagements,
               definition.engaged_within_days, definition.kind, self.currency)
        try:
            if self._prospects_key != key:
                self.prospects, self._prospects_key = None, None
                self.prospects = rk.compare_prospects(deals, by=definition, audience=audience,
                                                      contacts=contacts,
                                                      n_boot=self.n_boot, currency=self.currency)
                self._prospects_key = key
            show_prospects(self.prospects_panel, self.prospects, self.currency)
        except RoiKitError as exc:
            self.prospects = None
            self.prospects_panel.show_error(exc)
        try:
            self.lifetime_value = None
            self.lifetime_value = rk.customer_lifetime_value(
                self.data["customers"], by=definition, audience=audience,
                horizon_months=int(self.clv_horizon.value), currency=self.currency)
            show_lifetime_value(self.clv_panel, self.lifetime_value)
        except RoiKitError as exc:
            self.clv_panel.show_error(exc)

    def _show_summary(self, horizon: int, method: str) -> None:
        cmp, value = self.comparison, self.value
        try:
            gap = cmp.retention.effect("retention", method, horizon_days=horizon)
        except ConfigError:
            gap = None
        estimate, low, high, _ = value.revenue_estimate()
        money = lambda v: fmt_money(v, currency=self.currency, decimals=0)  # noqa: E731
        headline = {"Followers": f"{cmp.n_followers:,}", "Non-followers": f"{cmp.n_non_followers:,}",
                    f"Retention gap at {horizon} days ({method})": gap_tile(gap),
                    "Value of social": money(estimate) + (
                        f"\n95% interval {money(low)} to {money(high)}" if low is not None
                        and high is not None else "")}
        tables = {name.replace(" ", "_"): part.to_frame() for name, part in cmp.parts().items()}
        if cmp.balance is not None:
            tables["balance"] = cmp.balance.to_frame()
        tables["value_of_social"] = value.to_frame()
        effects = cmp.to_frame()
        key = effects["measure"].isin([f"retention at {horizon} days", "upsell share",
                                       "mean won new deal", "median days to close"])
        display = by_unit(effects.loc[key], self.currency)[
            [c for c in KEY_COLUMNS if c in effects.columns]]
        self.summary_panel.show(summary=cmp.summary(), table=effects, tables=tables,
                                headline=headline, chart=None, display=display)

    def _show_detail(self) -> None:
        if self.comparison is None:
            return
        name = self.view.value
        part = self.comparison.balance if name == "balance" else self.comparison.parts().get(name)
        if part is None:
            what = ("no covariates are ticked" if name == "balance"
                    else f"the data have nothing to compare on {name}")
            self.detail_panel.clear()
            self.detail_panel.message.show(f"Nothing to show: {what}.", "info")
            return
        self.detail_panel.filename = name.replace(" ", "_")
        self.detail_panel.show(part)
