"""The base of every app panel: title and question, data source, controls, progress, results.

An app is a subclass of :class:`AppPanel` that declares the tables it needs and implements
:meth:`AppPanel.compute`. The base wires everything else: a new data set or a control change calls
:meth:`AppPanel.refresh`, which runs ``compute`` under a progress bar and turns any exception
into a visible, specific message, so one bad file or setting never breaks the page.

A notebook then composes an app in two lines::

    from roi_kit.widgets import FollowersApp
    FollowersApp()
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import ipywidgets as W
import pandas as pd
import traitlets

from roi_kit.results import escape
from roi_kit.widgets._common import Progress, StatusBox, error_text, style_widget
from roi_kit.widgets.data_source import DataSourcePicker

__all__ = ["AppPanel"]


class AppPanel(W.VBox):
    """Base class of the roi_kit apps (one subclass per notebook).

    Parameters
    ----------
    data
        Tables to start with: a :class:`roi_kit.datasets.SampleData`, or a mapping of canonical
        table name → frame. ``None`` loads the shipped sample ``sample``.
    sample
        Name of the shipped sample to start with (``"saas"`` or ``"dtc"``).
    allow_upload
        Offer the upload tab (CSV / Excel) next to the sample data.
    max_upload_mb
        Largest accepted upload per file, in megabytes.
    show_title
        Show the app's title and question (notebooks that have their own markdown title pass
        ``False``).

    Attributes
    ----------
    source
        The :class:`DataSourcePicker`.
    status
        Message line for errors that concern the whole app.
    progress
        Progress bar shown while :meth:`compute` runs.
    computations
        How many times :meth:`compute` ran successfully (handy in tests).
    state
        ``"waiting"`` (a needed table is missing), ``"ready"`` (the results on the page come
        from the current data and settings) or ``"error"`` (nothing is shown; the status says
        why). Every change of data clears the results before anything else happens.
    result_version
        The :attr:`DataSourcePicker.version` the shown results were computed from (-1: none).
    """

    state = traitlets.Unicode("waiting")
    result_version = traitlets.Int(-1)

    title: ClassVar[str] = "roi_kit app"
    question: ClassVar[str] = ""
    tables: ClassVar[tuple[str, ...]] = ()
    optional_tables: ClassVar[tuple[str, ...]] = ()
    required_columns: ClassVar[dict[str, tuple[str, ...]]] = {}

    def __init__(
        self,
        data: Any = None,
        *,
        sample: str = "saas",
        allow_upload: bool = True,
        max_upload_mb: float = 25.0,
        show_title: bool = True,
    ) -> None:
        self.status = StatusBox()
        self.progress = Progress()
        self.computations = 0
        self.source = DataSourcePicker(
            self.tables, optional=self.optional_tables, data=data, sample=sample,
            allow_upload=allow_upload, max_upload_mb=max_upload_mb,
            required_columns=self.required_columns,
        )
        header = W.HTML(
            f"<div class='roi-kit-title'><h2>{escape(self.title)}</h2>"
            f"<p>{escape(self.question)}</p></div>" if show_title else ""
        )
        body = list(self.build())
        super().__init__([style_widget(), header, self.source, self.status, self.progress, *body])
        self.add_class("roi-kit-app")
        self.source.observe(lambda _change: self._data_changed(), names="version")
        self.source.currency.observe(lambda _change: self.refresh(), names="value")
        if self.source.ready:
            self._data_changed()

    # -- to implement --------------------------------------------------------------------------
    def build(self) -> Sequence[W.Widget]:
        """Create the controls and result panels; return them in page order."""
        raise NotImplementedError

    def compute(self, step: Any) -> None:
        """Recompute every result from :attr:`data` and the controls; call ``step(text)``
        between stages so the progress bar moves."""
        raise NotImplementedError

    def on_data(self) -> None:
        """Hook: new tables arrived (e.g. refresh the platform choices). Default: nothing."""

    steps: ClassVar[int] = 1

    # -- provided ------------------------------------------------------------------------------
    @property
    def currency(self) -> str:
        """The currency label of the data (chosen once, above the data)."""
        return str(self.source.currency.value)

    @property
    def data(self) -> Mapping[str, pd.DataFrame]:
        """The current tables (canonical name → frame)."""
        return self.source.tables

    def _data_changed(self) -> None:
        """New tables (or none): old results go first, so nothing stays next to other data."""
        had_result = self.state == "ready"
        self.clear_results()
        self.state, self.result_version = "waiting", -1
        missing = [t for t in self.tables if t not in self.source.tables]
        if missing:
            self._waiting(missing, had_result)
            return
        try:
            self.on_data()
        except Exception as exc:
            self._failed(exc)
            return
        self.refresh()

    def _waiting(self, missing: Sequence[str], had_result: bool) -> None:
        why = ("The results were removed because the data changed. " if had_result else "")
        how = ("Choose “Sample data” above, or upload a file for each table."
               if self.source.mode.value != "upload" else
               "Upload a file for each table with “Choose files” above (or choose "
               "“Sample data”).")
        self.status.show(f"{why}Waiting for data: {', '.join(missing)}. {how}", "info")

    def _failed(self, exc: BaseException) -> None:
        self.clear_results()
        self.state, self.result_version = "error", -1
        self.status.error("No result is shown, because it could not be computed from the "
                          "current data and settings.\n" + error_text(exc))

    def clear_results(self) -> None:
        """Empty every result panel (old numbers must not stay next to new data)."""
        from roi_kit.widgets.results import ResultPanel

        for value in vars(self).values():
            if isinstance(value, ResultPanel):
                value.clear()

    def refresh(self) -> None:
        """Recompute under the progress bar; any error clears the results and says why."""
        missing = [t for t in self.tables if t not in self.source.tables]
        if missing:
            had_result = self.state == "ready"
            self.clear_results()
            self.state, self.result_version = "waiting", -1
            self._waiting(missing, had_result)
            return
        try:
            with self.progress.task(f"Updating {self.title}", steps=self.steps) as step:
                self.compute(step)
        except Exception as exc:
            self._failed(exc)
            return
        self.status.clear()
        self.state = "ready"
        self.result_version = self.source.version
        self.computations += 1
