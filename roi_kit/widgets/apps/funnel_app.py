"""App 3 — funnel: where prospects drop off, by business-model preset, paid vs organic, platform."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import ipywidgets as W
import pandas as pd

from roi_kit.formatting import fmt_pct
from roi_kit.widgets.app import AppPanel
from roi_kit.widgets.results import ResultPanel

__all__ = ["FunnelApp", "best_preset", "missing_stages"]

_DESC = {"description_width": "150px"}
_WIDE = W.Layout(width="330px")
SPLITS: tuple[tuple[str, str], ...] = (
    ("no split", ""), ("paid vs organic", "paid"), ("platform", "platform"),
    ("channel", "channel"),
)


def best_preset(events: pd.Series) -> str:
    """The funnel preset whose stage events cover most of the event names in the data.

    On a tie a business-model preset wins over the generic ``awareness_to_purchase`` (whose
    awareness stage comes from the posts' impressions, not from the event log), then the shorter one.

    Examples
    --------
    >>> best_preset(pd.Series(["session", "product_view", "order"]))
    'dtc'
    >>> best_preset(pd.Series(["session", "order"]))  # ties go to the preset the data enter
    'dtc'
    """
    from roi_kit.funnel_presets import FUNNEL_PRESETS

    seen = {str(e).strip().lower() for e in pd.unique(events.dropna())}
    def score(name: str) -> tuple[int, bool, bool, int]:
        stages = FUNNEL_PRESETS[name].stages
        hits = sum(any(e in seen for e in stage.events) for stage in stages)
        # a funnel counts from its first stage: one the data never reach shows 0 everywhere
        entry = any(e in seen for e in stages[0].events)
        return hits, entry, name != "awareness_to_purchase", -len(stages)
    return max(FUNNEL_PRESETS, key=score)


def missing_stages(events: pd.Series, preset: str) -> tuple[str, ...]:
    """Stages of ``preset`` none of whose event names occur in ``events``.

    Examples
    --------
    >>> missing_stages(pd.Series(["visit", "lead"]), "dtc")  # a visit counts as a session
    ('product_view', 'add_to_cart', 'checkout', 'order')
    """
    from roi_kit.funnel_presence import stage_found
    from roi_kit.funnel_presets import FUNNEL_PRESETS

    seen = {str(e).strip().lower() for e in pd.unique(events.dropna())}
    return tuple(stage.name for stage in FUNNEL_PRESETS[preset].stages
                 if not stage_found(stage, seen))


def _absent_text(missing: Sequence[str], preset: str, suggestion: str, n_stages: int) -> str:
    said = ", ".join(f"“{m}”" for m in missing)
    text = (f"Your data have no events for {len(missing)} of the {n_stages} stages of the "
            f"“{preset.replace('_', ' ')}” business model: {said}. Those stages are left out, "
            "so each step shown spans the stages skipped before it.")
    if suggestion != preset:
        text += (f" Choose “{suggestion.replace('_', ' ')}” in the “Business model” dropdown "
                 "above: it matches your event names best.")
    else:
        text += " Check the event names in your file (the load report lists them)."
    return text


class FunnelApp(AppPanel):
    """Step conversion and drop-off of a business-model funnel, split paid/organic or by platform.

    Examples
    --------
    >>> import pandas as pd
    >>> events = pd.DataFrame({"user_id": ["a", "a", "b"], "event": ["session", "order", "session"],
    ...                        "timestamp": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03"])})
    >>> app = FunnelApp({"funnel_events": events})
    >>> app.preset.value, app.result.to_frame()["users"].tolist()[:1]
    ('dtc', [2])
    """

    title: ClassVar[str] = "Funnel"
    question: ClassVar[str] = ("Where do prospects drop off on the way to a sale — and does paid "
                               "social bring people who convert, or only visitors?")
    tables: ClassVar[tuple[str, ...]] = ("funnel_events",)
    optional_tables: ClassVar[tuple[str, ...]] = ("posts",)   # awareness for awareness_to_purchase
    steps: ClassVar[int] = 2

    def build(self) -> Sequence[W.Widget]:
        from roi_kit.funnel_presets import FUNNEL_PRESETS

        self.preset = W.Dropdown(
            options=[(f"{name.replace('_', ' ')} — {p.description.split(':')[0]}", name)
                     for name, p in FUNNEL_PRESETS.items()],
            description="Business model", style=_DESC, layout=W.Layout(width="480px"))
        self.window = W.Dropdown(options=[("30 days", 30), ("60 days", 60), ("90 days", 90),
                                          ("180 days", 180), ("no limit", 0)], value=90,
                                 description="Window", style=_DESC, layout=_WIDE)
        self.ordering = W.ToggleButtons(options=[("Strict order", "strict"),
                                                 ("Loose order", "loose")], value="strict",
                                        style={"button_width": "110px"})
        self.split = W.Dropdown(options=list(SPLITS), value="paid", description="Split by",
                                style=_DESC, layout=_WIDE)
        self.paid = W.ToggleButtons(options=[("All", "all"), ("Organic", "organic"),
                                             ("Paid", "paid")], value="all",
                                    style={"button_width": "80px"})
        self.platform = W.Dropdown(options=[("all platforms", "")], value="",
                                   description="Platform", style=_DESC, layout=_WIDE)
        for widget, css in ((self.preset, "rk-preset"), (self.window, "rk-window"),
                            (self.ordering, "rk-ordering"), (self.split, "rk-split"),
                            (self.paid, "rk-paid"), (self.platform, "rk-platform")):
            widget.add_class(css)
            widget.observe(lambda _c: self._changed(), names="value")
        self.panel = ResultPanel("Funnel", filename="funnel")
        self.result: Any = None
        self._quiet = False
        label = lambda t: W.HTML(f"<span style='font-size:13px'>{t}</span>",  # noqa: E731
                                 layout=W.Layout(width="150px"))
        controls = W.VBox([self.preset, W.HBox([self.window, self.split]),
                           W.HBox([label("Steps"), self.ordering]),
                           W.HBox([label("Paid / organic"), self.paid]), self.platform])
        controls.add_class("roi-kit-controls")
        return [controls, self.panel]

    def _changed(self) -> None:
        if not self._quiet:
            self.refresh()

    def on_data(self) -> None:
        events = self.data["funnel_events"]
        self._quiet = True
        try:
            if "event" in events.columns:
                self.preset.value = best_preset(events["event"])
            platforms = (sorted(str(p) for p in pd.unique(events["platform"].dropna()))
                         if "platform" in events.columns else [])
            self.platform.options = [("all platforms", ""), *[(p, p) for p in platforms]]
            self.platform.value = ""
        finally:
            self._quiet = False

    def _events(self) -> pd.DataFrame:
        events = self.data["funnel_events"]
        keep = pd.Series(True, index=events.index)
        if self.paid.value != "all":
            if "paid" not in events.columns:
                from roi_kit.errors import MissingColumnError

                raise MissingColumnError(
                    "The funnel events have no 'paid' column, so paid and organic cannot be "
                    f"told apart. Columns found: {', '.join(map(str, events.columns))}.",
                    hint="choose 'All', or upload events with a paid true/false column.")
            keep &= events["paid"].astype("boolean").fillna(False) == (self.paid.value == "paid")
        if self.platform.value and "platform" in events.columns:
            keep &= events["platform"] == self.platform.value
        return events.loc[keep]

    def compute(self, step: Any) -> None:
        from roi_kit.funnel import funnel

        events = self._events()
        by = self.split.value or None
        if by is not None and by not in events.columns:
            by = None
        step("counting users per stage")
        posts = self.data.get("posts") if self.preset.value == "awareness_to_purchase" else None
        result = funnel(events, stages=self.preset.value, window_days=self.window.value or None,
                        ordering=self.ordering.value, by=None if posts is not None else by,
                        posts=posts)   # awareness = the posts' impressions
        self.result = result
        frame = result.to_frame()
        last = frame[frame["step"] == frame["step"].max()]
        entered = int(frame.loc[frame["step"] == 1, "users"].sum())
        reached = int(last["users"].sum())
        units = frame["unit"]
        same = units.iloc[0] == units.iloc[-1]
        headline = {f"Entered ({units.iloc[0]})": f"{entered:,}",
                    f"Reached '{last['stage'].iloc[0]}' ({units.iloc[-1]})": f"{reached:,}",
                    "Overall conversion": fmt_pct(reached / entered if entered and same else None)}
        self.panel.show(result, headline=headline)
        if "event" in events.columns:
            from roi_kit.funnel_presets import FUNNEL_PRESETS

            missing = missing_stages(events["event"], self.preset.value)
            if missing:
                self.panel.message.show(_absent_text(
                    missing, self.preset.value, best_preset(events["event"]),
                    len(FUNNEL_PRESETS[self.preset.value].stages)), "warning")
