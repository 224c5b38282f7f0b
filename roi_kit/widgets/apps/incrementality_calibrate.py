"""App 07's calibration panel: enter a finished lift test, refit the model calibrated with it,
and read how the measured and the modelled lift compare.

The panel checks a test against the weekly table first (channel in the model, window inside the
weeks, spend in the window — :func:`roi_kit.incrementality._mmm_lift.lift_terms`, the same check
``rk.fit_mmm`` runs), so a mistyped test is refused in the panel without losing the fitted
results; only a valid test triggers the refit (``on_change``). After the fit the app calls
:meth:`CalibrationPanel.show` with the result: the calibration table
(``MmmResult.calibration()``) and the model's words about it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as W

from roi_kit.incrementality._mmm_lift import LiftMeasurement
from roi_kit.widgets.results import ResultPanel

__all__ = ["CalibrationPanel", "section_title"]

_DESC = {"description_width": "150px"}
_WIDE = W.Layout(width="330px")


def section_title(text: str) -> W.HTML:
    """A section heading of app 07's page."""
    return W.HTML(f"<div class='roi-kit-section-title'>{text}</div>")


class CalibrationPanel(W.VBox):
    """Lift tests to calibrate the model with (one at a time added; all removable).

    Parameters
    ----------
    on_change
        Called with the new tuple of tests when one is added or they are removed (the app refits).
    model_args
        Returns the keyword arguments of the current fit (``weekly``, ``channels``, ``organic``,
        ``controls``, ``outcome``, ``week``) so a test can be checked before the refit.

    Examples
    --------
    >>> import pandas as pd
    >>> seen = []
    >>> w = pd.DataFrame({"week": pd.date_range("2024-01-01", periods=40, freq="W-MON"),
    ...                   "revenue": range(40), "search": [1.0, 2.0] * 20})
    >>> panel = CalibrationPanel(seen.append, lambda: {"weekly": w, "channels": ["search"]})
    >>> panel.set_channels(["search"])
    >>> panel.start.value, panel.end.value = "2024-03-04", "2024-03-31"
    >>> panel.incremental.value, panel.se.value = 900.0, 150.0
    >>> panel.add_test()
    >>> [t.channel for t in seen[-1]]
    ['search']
    """

    def __init__(self, on_change: Callable[[tuple[LiftMeasurement, ...]], None],
                 model_args: Callable[[], Mapping[str, Any]]) -> None:
        self._on_change, self._model_args = on_change, model_args
        self.tests: tuple[LiftMeasurement, ...] = ()
        self.channel = W.Dropdown(description="Channel tested", style=_DESC, layout=_WIDE)
        self.start = W.Text(description="First day", placeholder="2025-03-03", style=_DESC,
                            layout=_WIDE)
        self.end = W.Text(description="Last day", placeholder="2025-03-30", style=_DESC,
                          layout=_WIDE)
        self.incremental = W.FloatText(description="Incremental outcome", style=_DESC,
                                       layout=_WIDE)
        self.se = W.FloatText(description="Its standard error", style=_DESC, layout=_WIDE)
        self.add_button = W.Button(description="Refit with this lift test", button_style="primary",
                                   layout=W.Layout(width="220px"))
        self.remove_button = W.Button(description="Remove lift tests",
                                      layout=W.Layout(width="160px"))
        for widget, css in ((self.channel, "rk-cal-channel"), (self.start, "rk-cal-start"),
                            (self.end, "rk-cal-end"), (self.incremental, "rk-cal-incremental"),
                            (self.se, "rk-cal-se"), (self.add_button, "rk-cal-add"),
                            (self.remove_button, "rk-cal-remove")):
            widget.add_class(css)
        self.add_button.on_click(lambda _b: self.add_test())
        self.remove_button.on_click(lambda _b: self.remove_tests())
        self.panel = ResultPanel("", filename="calibration", details=True)
        inputs = W.VBox([
            W.HTML("<span style='font-size:13px'>A finished lift test of one channel: its days, "
                   "the extra outcome it measured over the whole business (a geo test scaled up "
                   "first) and that number's standard error (interval width / 3.92 for a 95% "
                   "interval). The model is refitted so its lift over those weeks agrees with "
                   "the test.</span>"),
            W.HBox([self.channel, self.incremental]), W.HBox([self.start, self.se]),
            W.HBox([self.end]), W.HBox([self.add_button, self.remove_button])])
        inputs.add_class("roi-kit-controls")
        super().__init__([inputs, self.panel])

    def set_channels(self, channels: list[str]) -> None:
        """The channels a test can be for (the model's, paid and organic)."""
        keep = self.channel.value if self.channel.value in channels else None
        self.channel.options = channels
        self.channel.value = keep if keep is not None else (channels[0] if channels else None)

    def add_test(self) -> None:
        """Check the typed test against the weekly table; if valid, refit with it added."""
        from roi_kit.incrementality._mmm_checks import media_data
        from roi_kit.incrementality._mmm_lift import lift_terms

        try:
            test = LiftMeasurement(str(self.channel.value), self.start.value.strip(),
                                   self.end.value.strip(), incremental=float(self.incremental.value),
                                   se=float(self.se.value))
            args = dict(self._model_args())
            lift_terms([*self.tests, test], media_data(args.pop("weekly"), **args))
        except Exception as exc:
            self.panel.show_error(exc)
            return
        self.tests = (*self.tests, test)
        self._on_change(self.tests)

    def remove_tests(self) -> None:
        """Drop every lift test and refit uncalibrated."""
        if self.tests:
            self.tests = ()
            self._on_change(())

    def forget(self) -> None:
        """New weekly data: the tests belonged to the old table (no refit here)."""
        self.tests = ()
        self.panel.clear()

    def show(self, result: Any) -> None:
        """The calibration table of a fitted result, or what the panel is for."""
        if not self.tests:
            self.panel.clear()
            self.panel.lead.value = ("<span style='font-size:13px'>Not calibrated: no lift test "
                                     "entered.</span>")
            return
        words = [line for line in result.summary().splitlines()
                 if line.startswith(("Calibrated with", "The model and the"))]
        self.panel.show(summary="\n".join(words), table=result.calibration(),
                        headline={f"{t.channel} lift test": f"{t.start:%Y-%m-%d} to "
                                  f"{t.end:%Y-%m-%d}" for t in self.tests})
