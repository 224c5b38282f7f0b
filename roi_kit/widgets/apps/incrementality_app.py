"""App 7 — incrementality: what each channel (organic social included) returns, from a
marketing-mix model on weekly data, and how to prove it with a lift test.

The page answers first: ROAS and ROI % per channel with their intervals (tiles and chart),
then the response curves (diminishing returns), a budget suggestion for a total the user types,
the lift-test planner and readout (:mod:`roi_kit.widgets.apps.incrementality_lift`), and a lift
test entered to calibrate the model (:mod:`roi_kit.widgets.apps.incrementality_calibrate`).
The data are one weekly table (``media_weekly``): the generated sample, a frame given by the
notebook, or one uploaded file (:mod:`roi_kit.widgets.apps.incrementality_data`). The fit uses
:data:`~roi_kit.widgets.apps.incrementality_data.QUICK_FIT`, shorter than ``rk.fit_mmm``'s
defaults, and the page says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import ipywidgets as W
import numpy as np
import pandas as pd

from roi_kit.formatting import fmt_money
from roi_kit.widgets.app import AppPanel
from roi_kit.widgets.apps.incrementality_calibrate import CalibrationPanel, section_title
from roi_kit.widgets.apps.incrementality_data import (
    QUICK_FIT,
    Roles,
    curves_words,
    fit_note,
    guess_roles,
    read_weekly,
    return_tiles,
    sample_weekly,
)
from roi_kit.widgets.apps.incrementality_lift import LiftTestPanel
from roi_kit.widgets.file_picker import FilePicker
from roi_kit.widgets.results import ResultPanel
from roi_kit.widgets.upload_files import ALLOWED_EXTENSIONS

__all__ = ["IncrementalityApp"]

_DESC = {"description_width": "150px"}
_WIDE = W.Layout(width="330px")
_MULTI = W.Layout(width="330px", height="110px")


class IncrementalityApp(AppPanel):
    """ROAS and ROI % per channel from a marketing-mix model, response curves, a budget
    suggestion and a lift-test planner and readout.

    Parameters
    ----------
    data
        A weekly table (pandas frame, or ``rk.datasets.generate_media_weekly(...)``); ``None``
        starts on the generated sample (``generate_media_weekly(seed=0)``).
    fit
        Sampler settings passed to :func:`roi_kit.fit_mmm` (default :data:`QUICK_FIT`).
    organic_cost
        Cost of organic social over the weeks (0: not known; organic ROAS and ROI are then
        undefined, said so, and the channel is priced per post).
    show_title, max_upload_mb
        As in :class:`~roi_kit.widgets.AppPanel`.

    Examples
    --------
    >>> import roi_kit as rk
    >>> m = rk.datasets.generate_media_weekly(seed=0, weeks=60).frame
    >>> app = IncrementalityApp(m[["week", "revenue", "search", "display"]],
    ...                         fit={"chains": 4, "tune": 300, "steps": 300, "draws": 100})
    >>> app.state, list(app.result.roi()["channel"])
    ('ready', ['search', 'display'])
    """

    title: ClassVar[str] = "Incrementality"
    question: ClassVar[str] = ("What does each channel — organic social included — really return, "
                               "where do returns flatten, and how would a lift test prove it?")
    steps: ClassVar[int] = 4

    def __init__(self, data: Any = None, *, fit: Mapping[str, int] | None = None,
                 organic_cost: float | None = None, show_title: bool = True,
                 max_upload_mb: float = 25.0) -> None:
        self.fit_settings = {k: int(v) for k, v in (QUICK_FIT if fit is None else fit).items()}
        given = getattr(data, "frame", data)
        self._sample: pd.DataFrame | None = None
        self._sample_cost = 0.0
        if given is None:
            self._sample, self._sample_cost = sample_weekly(0)
        self._given = given
        self._cost0 = self._sample_cost if organic_cost is None else organic_cost
        self._max_bytes = int(max_upload_mb * 1024 * 1024)
        first = given if given is not None else self._sample
        self.weekly: pd.DataFrame | None = first
        self._uploaded: pd.DataFrame | None = None
        self.roles: Roles = guess_roles(first)
        self.result: Any = None
        self.plan: Any = None
        self._quiet = False
        super().__init__({}, allow_upload=False, show_title=show_title,
                         max_upload_mb=max_upload_mb)

    # -- layout ------------------------------------------------------------------------------
    def build(self) -> Sequence[W.Widget]:
        for hidden in (self.source.mode, self.source.sample_box, self.source.summary):
            hidden.layout.display = "none"
        modes = [("Sample weekly data", "sample"), ("Upload weekly file", "upload")]
        if self._given is not None:
            modes.insert(0, ("Notebook data", "given"))
        self.weekly_mode = W.ToggleButtons(options=modes, value=modes[0][1],
                                           style={"button_width": "150px"})
        self.weekly_mode.add_class("rk-weekly-mode")
        self.upload = FilePicker(accept=",".join(ALLOWED_EXTENSIONS), max_bytes=self._max_bytes,
                                 description="Choose weekly file")
        self.upload.on_files(self._files)
        self.upload_box = W.VBox([W.HTML(
            "<span style='font-size:13px'>One file, one row per week: a <b>week</b> column "
            "(its first day), revenue, spend per paid channel, organic activity (posts), "
            "controls (price, promotions).</span>"), self.upload],
            layout=W.Layout(display="none"))
        self.data_note = W.HTML("")
        self.outcome = W.Dropdown(description="Outcome", style=_DESC, layout=_WIDE)
        self.channels = W.SelectMultiple(description="Paid channels", style=_DESC, layout=_MULTI)
        self.organic = W.SelectMultiple(description="Organic activity", style=_DESC,
                                        layout=_MULTI)
        self.controls = W.SelectMultiple(description="Controls", style=_DESC, layout=_MULTI)
        self.organic_cost = W.BoundedFloatText(value=self._cost0, min=0.0, max=1e12,
                                               description="Organic cost (0 = none)",
                                               style=_DESC, layout=_WIDE)
        for widget, css in ((self.outcome, "rk-outcome"), (self.channels, "rk-channels"),
                            (self.organic, "rk-organic"), (self.controls, "rk-controls"),
                            (self.organic_cost, "rk-organic-cost")):
            widget.add_class(css)
            widget.observe(lambda _c: self._changed(), names="value")
        self.weekly_mode.observe(lambda _c: self._mode_changed(), names="value")
        self.fit_note = W.HTML(fit_note(self.fit_settings))
        settings = W.Accordion(children=[W.VBox([
            W.HBox([self.outcome, self.organic_cost]), W.HBox([self.channels, self.organic]),
            self.controls, self.fit_note])],
            titles=("Model: which column is what",))
        settings.selected_index = None
        self.roi_panel = ResultPanel("Return per channel", filename="mmm_roi", details=True)
        self.curves_panel = ResultPanel("Response curves", filename="response_curves", details=True)
        self.budget_total = W.BoundedFloatText(value=0.0, min=0.0, max=1e12,
                                               description="Paid budget", style=_DESC,
                                               layout=_WIDE)
        self.budget_weeks = W.BoundedIntText(value=13, min=1, max=104, description="Over weeks",
                                             style=_DESC, layout=_WIDE)
        for widget, css in ((self.budget_total, "rk-budget"), (self.budget_weeks, "rk-weeks")):
            widget.add_class(css)
            widget.observe(lambda _c: self._budget_changed(), names="value")
        self.budget_panel = ResultPanel("", filename="budget", details=True)
        self.lift = LiftTestPanel(currency=lambda: self.currency)
        self.source.currency.observe(lambda _c: self.lift.update(), names="value")
        self.calibration = CalibrationPanel(lambda _tests: self.refresh(), self._model_args)
        self.calibration_panel = self.calibration.panel  # cleared with the other results
        budget_box = W.HBox([self.budget_total, self.budget_weeks])
        top = W.VBox([self.weekly_mode, self.upload_box, self.data_note, settings])
        for box in (top, budget_box):
            box.add_class("roi-kit-controls")
        self._set_roles(self.roles)
        t = section_title
        return [top, self.roi_panel, self.curves_panel, t("Budget suggestion"), budget_box,
                self.budget_panel, t("Prove it: a lift test"), self.lift,
                t("Calibrate the model with a lift test"), self.calibration]

    # -- data ------------------------------------------------------------------------------
    def _set_roles(self, roles: Roles) -> None:
        assert self.weekly is not None
        numbers = [c for c in self.weekly.columns if c != roles.week]
        self._quiet = True
        try:
            self.outcome.options = numbers
            self.outcome.value = roles.outcome
            for widget, chosen in ((self.channels, roles.channels),
                                   (self.organic, roles.organic),
                                   (self.controls, roles.controls)):
                widget.value = ()
                widget.options = [c for c in numbers if c != roles.outcome]
                widget.value = chosen
        finally:
            self._quiet = False
        weeks = self.weekly[roles.week]
        self.data_note.value = (
            f"<div style='font-size:13px'><b>{len(self.weekly):,} weeks</b> "
            f"({weeks.min():%Y-%m-%d} to {weeks.max():%Y-%m-%d}); "
            f"{len(roles.channels)} paid channels, {len(roles.organic)} organic.</div>")

    def use_weekly(self, frame: pd.DataFrame) -> None:
        """Take a new weekly table: roles guessed again, old results removed, model refitted."""
        self.weekly, self.roles = frame, guess_roles(frame)
        self.calibration.forget()
        self._set_roles(self.roles)
        self.refresh()

    def _mode_changed(self) -> None:
        mode = self.weekly_mode.value
        self.upload_box.layout.display = "flex" if mode == "upload" else "none"
        if mode == "upload" and self._uploaded is None:
            self.weekly, self.result, self.data_note.value = None, None, ""
            self.refresh()
            return
        if mode == "sample":
            if self._sample is None:
                self._sample, self._sample_cost = sample_weekly(0)
            self._quiet, self.organic_cost.value, self._quiet = True, self._sample_cost, False
        self.use_weekly({"given": self._given, "sample": self._sample,
                         "upload": self._uploaded}[mode])

    def add_file(self, name: str, content: bytes) -> None:
        """Take an uploaded weekly file, as if picked in the browser."""
        if self.weekly_mode.value != "upload":
            self.weekly_mode.value = "upload"
        try:
            frame = read_weekly(name, content)
            guess_roles(frame)
        except Exception as exc:  # the previous file's numbers must not come back later
            self.weekly = self._uploaded = None
            self.data_note.value = ""
            self._failed(exc)
            return
        self._quiet, self.organic_cost.value, self._quiet = True, 0.0, False
        self._uploaded = frame
        self.use_weekly(frame)

    def _files(self, files: dict[str, bytes], refused: dict[str, int]) -> None:
        if refused:
            self.status.error(f"{next(iter(refused))} is larger than "
                              f"{self._max_bytes / 1024 / 1024:g} MB; upload a smaller file.")
        for name, content in list(files.items())[:1]:
            self.add_file(name, content)

    def _changed(self) -> None:
        if not self._quiet:
            self.refresh()

    # -- results -----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Refit under the progress bar (or wait for a weekly file)."""
        if self.weekly is None:
            self.clear_results()
            self.state, self.result_version, self.result, self.plan = "waiting", -1, None, None
            self.status.show("Waiting for data: choose a weekly file above (or “Sample weekly "
                             "data”).", "info")
            return
        super().refresh()

    def compute(self, step: Any) -> None:
        from roi_kit import fit_mmm
        from roi_kit.charts.mmm import response_chart

        step("fitting the marketing-mix model")
        cost, args = self.organic_cost.value, self._model_args()
        self.result = fit_mmm(args.pop("weekly"), **args, currency=self.currency,
                              organic_cost={c: cost for c in args["organic"][:1]} if cost else None,
                              lift_tests=list(self.calibration.tests) or None,
                              **self.fit_settings)  # type: ignore[arg-type]
        step("ROAS and ROI per channel")
        r = self.result
        self.roi_panel.show(r, table=r.to_frame(), headline=return_tiles(r))
        self.calibration.set_channels(list(r.channels))
        self.calibration.show(r)
        step("response curves")
        self.curves_panel.show(summary=curves_words(r), chart=response_chart(r),
                               table=r.response_curves())
        step("budget suggestion")
        paid = [c for c, k in zip(r.channels, r.kinds) if k == "paid"]
        weekly_spend = float(sum(r.totals[r.channels.index(c)] for c in paid)) / len(r.weeks)
        self._quiet = True
        try:
            self.budget_total.value = float(np.round(weekly_spend * self.budget_weeks.value, -3))
        finally:
            self._quiet = False
        self._show_budget()

    def _model_args(self) -> dict[str, Any]:
        return {"weekly": self.weekly, "channels": list(self.channels.value),
                "organic": list(self.organic.value), "controls": list(self.controls.value),
                "outcome": self.outcome.value, "week": self.roles.week}

    def _budget_changed(self) -> None:
        if not self._quiet and self.result is not None and self.state == "ready":
            self._show_budget()

    def _show_budget(self) -> None:
        try:
            self.plan = self.result.optimize_budget(total=float(self.budget_total.value),
                                                    weeks=int(self.budget_weeks.value))
        except Exception as exc:
            self.plan = None
            self.budget_panel.show_error(exc)
            return
        est, lo, hi = (fmt_money(v, currency=self.currency, decimals=0) for v in self.plan.gain)
        self.budget_panel.show(self.plan, headline={
            "Paid budget": fmt_money(self.plan.total, currency=self.currency, decimals=0),
            "Extra revenue (suggested split)": f"{est} ({lo} to {hi})"})

    def _failed(self, exc: BaseException) -> None:
        super()._failed(exc)
        self.result = self.plan = None
