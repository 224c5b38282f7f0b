"""Segment controls: who counts as a follower, which period, horizon, covariates, preset, paid/organic.

:class:`SegmentControls` builds only the controls an app asks for and hands their current values
over as one frozen :class:`SegmentSettings`. Choices are dropdowns, check boxes and number boxes
(never free-text paths), so nothing on the page can point the kernel at a file.

Examples
--------
>>> controls = SegmentControls(show=("platforms", "landmark_days", "paid"),
...                            platforms=("linkedin", "x"))
>>> controls.landmark.value = 60
>>> s = controls.settings
>>> s.landmark_days, s.platforms, s.paid
(60, ('linkedin', 'x'), 'all')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Literal

import ipywidgets as W

__all__ = ["CONTROL_NAMES", "SegmentControls", "SegmentSettings"]

ControlName = Literal[
    "platforms", "min_engagements", "recency_days", "landmark_days", "date_range",
    "horizon_days", "covariates", "preset", "paid",
]
PaidFilter = Literal["all", "organic", "paid"]

CONTROL_NAMES: tuple[str, ...] = (
    "platforms", "min_engagements", "recency_days", "landmark_days", "date_range",
    "horizon_days", "covariates", "preset", "paid",
)
"""Every control :class:`SegmentControls` can show."""

DEFAULT_COVARIATES: tuple[str, ...] = ("company_size", "industry", "region", "acquisition_channel")
_COVARIATE_LABELS = {"company_size": "company size", "acquisition_channel": "acquisition channel"}
_RECENCY = (("any time", 0), ("last 30 days", 30), ("last 90 days", 90),
            ("last 180 days", 180), ("last 365 days", 365))


@dataclass(frozen=True)
class SegmentSettings:
    """Current values of the segment controls (``None``/empty where a control is not shown).

    Attributes
    ----------
    platforms
        Platforms whose follows count (empty = any platform).
    min_engagements
        Minimum engagements for a follower to count.
    recency_days
        Engaged within the last N days of the data (``None`` = any time).
    landmark_days
        Follower status is taken at this many days after acquisition.
    start, end
        Date range (inclusive), or ``None``.
    horizon_days
        Horizon for retention / upsell readings.
    covariates
        Covariates to adjust for (propensity weighting).
    preset
        Business-model preset name (funnel stages).
    paid
        ``"all"``, ``"organic"`` or ``"paid"``.
    """

    platforms: tuple[str, ...] = ()
    min_engagements: int = 0
    recency_days: int | None = None
    landmark_days: int = 90
    start: dt.date | None = None
    end: dt.date | None = None
    horizon_days: int = 365
    covariates: tuple[str, ...] = field(default=())
    preset: str | None = None
    paid: PaidFilter = "all"


class SegmentControls(W.VBox):
    """The follower-definition and period controls an app needs, with one change callback.

    Parameters
    ----------
    show
        Names from :data:`CONTROL_NAMES` to display, in that order.
    platforms
        Platform choices (all ticked at start).
    covariates
        Covariate choices (all ticked at start).
    presets
        Business-model preset names for the ``preset`` dropdown (first is selected).
    landmark_days, horizon_days, min_engagements
        Starting values.
    horizons, landmarks
        Choices of the horizon and landmark dropdowns (days).
    date_range
        ``(first, last)`` dates allowed by the data; both pickers start there.
    """

    def __init__(
        self,
        *,
        show: Sequence[str] = ("platforms", "min_engagements", "landmark_days", "horizon_days"),
        platforms: Sequence[str] = (),
        covariates: Sequence[str] = DEFAULT_COVARIATES,
        presets: Sequence[str] = (),
        landmark_days: int = 90,
        horizon_days: int = 365,
        min_engagements: int = 0,
        horizons: Sequence[int] = (90, 180, 365),
        landmarks: Sequence[int] = (30, 60, 90, 120, 180),
        date_range: tuple[dt.date, dt.date] | None = None,
    ) -> None:
        unknown = [s for s in show if s not in CONTROL_NAMES]
        if unknown:
            from roi_kit.errors import ConfigError

            raise ConfigError(f"Unknown control(s) {unknown}; valid: {', '.join(CONTROL_NAMES)}.",
                              hint="pick names from roi_kit.widgets.CONTROL_NAMES")
        self.shown = tuple(show)
        self._handlers: list[Callable[[object], None]] = []
        self._held = 0
        desc = {"description_width": "150px"}
        wide = W.Layout(width="330px")
        self.platform_boxes = {
            p: W.Checkbox(value=True, description=p, indent=False, layout=W.Layout(width="auto"))
            for p in platforms
        }
        self.min_engagements = W.BoundedIntText(value=min_engagements, min=0, max=10_000,
                                                description="Min. engagements", style=desc,
                                                layout=wide)
        self.recency = W.Dropdown(options=_RECENCY, value=0, description="Engaged",
                                  style=desc, layout=wide)
        landmark_opts = sorted({*landmarks, landmark_days})
        self.landmark = W.Dropdown(options=[(f"day {d}", d) for d in landmark_opts],
                                   value=landmark_days, description="Follower status at",
                                   style=desc, layout=wide)
        horizon_opts = sorted({*horizons, horizon_days})
        self.horizon = W.Dropdown(options=[(f"{d} days", d) for d in horizon_opts],
                                  value=horizon_days, description="Horizon", style=desc,
                                  layout=wide)
        first, last = date_range if date_range else (None, None)
        self.start = W.DatePicker(value=first, description="From", style=desc, layout=wide)
        self.end = W.DatePicker(value=last, description="To", style=desc, layout=wide)
        self.covariate_boxes = {
            c: W.Checkbox(value=True, description=_COVARIATE_LABELS.get(c, c), indent=False,
                          layout=W.Layout(width="auto"))
            for c in covariates
        }
        self.preset = W.Dropdown(options=list(presets), value=presets[0] if presets else None,
                                 description="Business model", style=desc, layout=wide)
        self.paid = W.ToggleButtons(options=[("All", "all"), ("Organic", "organic"),
                                             ("Paid", "paid")], value="all",
                                    style={"button_width": "80px"})
        rows = {
            "platforms": self._labelled("Platforms", list(self.platform_boxes.values())),
            "min_engagements": self.min_engagements,
            "recency_days": self.recency,
            "landmark_days": self.landmark,
            "date_range": W.HBox([self.start, self.end]),
            "horizon_days": self.horizon,
            "covariates": self._labelled("Adjust for", list(self.covariate_boxes.values())),
            "preset": self.preset,
            "paid": self._labelled("Paid / organic", [self.paid]),
        }
        super().__init__([rows[name] for name in self.shown])
        self.add_class("roi-kit-controls")

    @staticmethod
    def _labelled(label: str, widgets: list[W.Widget]) -> W.HBox:
        title = W.HTML(f"<span style='font-size:13px'>{label}</span>",
                       layout=W.Layout(width="150px"))
        return W.HBox([title, W.HBox(widgets, layout=W.Layout(flex_flow="row wrap"))])

    # ------------------------------------------------------------------------------------------
    @property
    def value_widgets(self) -> list[W.ValueWidget]:
        """Every widget whose value feeds :attr:`settings` (for observing changes)."""
        shown = set(self.shown)
        out: list[W.ValueWidget] = []
        if "platforms" in shown:
            out += list(self.platform_boxes.values())
        if "min_engagements" in shown:
            out.append(self.min_engagements)
        if "recency_days" in shown:
            out.append(self.recency)
        if "landmark_days" in shown:
            out.append(self.landmark)
        if "date_range" in shown:
            out += [self.start, self.end]
        if "horizon_days" in shown:
            out.append(self.horizon)
        if "covariates" in shown:
            out += list(self.covariate_boxes.values())
        if "preset" in shown:
            out.append(self.preset)
        if "paid" in shown:
            out.append(self.paid)
        return out

    def on_change(self, callback: Callable[[SegmentSettings], None]) -> None:
        """Call ``callback(settings)`` whenever a shown control changes."""
        def handler(_change: object) -> None:
            if not self._held:
                callback(self.settings)

        self._handlers.append(handler)
        for widget in self.value_widgets:
            widget.observe(handler, names="value")

    @contextmanager
    def hold(self) -> Iterator[None]:
        """Change several controls as one action: the :meth:`on_change` callbacks run once when
        the block ends (not at all if the settings ended as they began), not once per widget.

        Examples
        --------
        >>> controls = SegmentControls(show=("platforms",), platforms=("linkedin", "x"))
        >>> calls = []
        >>> controls.on_change(lambda s: calls.append(s.platforms))
        >>> with controls.hold():
        ...     for box in controls.platform_boxes.values():
        ...         box.value = False
        >>> calls
        [()]
        """
        before = self.settings
        self._held += 1
        try:
            yield
        finally:
            self._held -= 1
            if not self._held and self.settings != before:
                for handler in list(self._handlers):
                    handler(None)

    @property
    def settings(self) -> SegmentSettings:
        """The current values as one frozen :class:`SegmentSettings`."""
        shown = set(self.shown)
        platforms = tuple(p for p, box in self.platform_boxes.items() if box.value)
        return SegmentSettings(
            platforms=platforms if "platforms" in shown else (),
            min_engagements=int(self.min_engagements.value) if "min_engagements" in shown else 0,
            recency_days=(self.recency.value or None) if "recency_days" in shown else None,
            landmark_days=int(self.landmark.value),
            start=self.start.value if "date_range" in shown else None,
            end=self.end.value if "date_range" in shown else None,
            horizon_days=int(self.horizon.value),
            covariates=tuple(c for c, box in self.covariate_boxes.items()
                             if box.value) if "covariates" in shown else (),
            preset=self.preset.value if "preset" in shown else None,
            paid=self.paid.value if "paid" in shown else "all",
        )

    def set_platforms(self, platforms: Sequence[str]) -> None:
        """Replace the platform choices (e.g. after new data was loaded); all ticked."""
        self.platform_boxes = {
            p: W.Checkbox(value=True, description=p, indent=False, layout=W.Layout(width="auto"))
            for p in platforms
        }
        for box in self.platform_boxes.values():
            for handler in self._handlers:
                box.observe(handler, names="value")
        if "platforms" in self.shown:
            idx = self.shown.index("platforms")
            rows: list[W.Widget] = list(self.children)  # type: ignore[has-type]
            rows[idx] = self._labelled("Platforms", list(self.platform_boxes.values()))
            self.children = tuple(rows)
