"""Pick the data: the shipped sample, or your own CSV / Excel exports with a column-mapping step.

:class:`DataSourcePicker` offers

* **Sample data** — a shipped sample (``rk.datasets.load_sample``), ready at once;
* **Upload files** — one or more CSV / TSV / Excel / Parquet files, each parsed by the matching
  ``rk.load_<table>`` loader. The page shows which columns were mapped onto the canonical names
  and lets the user fix the mapping with dropdowns; the loader's ``LoadReport`` (rows read, kept,
  dropped and why) is shown under it. A file that is too big, of the wrong type or unreadable
  gives a specific message and the rest of the app keeps working.

Nothing on the page takes a file-system path: uploads arrive as bytes through the widget.
What happens in the upload mode (files, their table, the mapping, the date order) is
:class:`~roi_kit.widgets._upload_flow.UploadFlow`, mixed into the picker.

Examples
--------
>>> guess_table("HubSpot deals export 2024.csv", ("customers", "deals"))
'deals'
>>> guess_table("followers.xlsx", ("customers", "social_audience"))
'social_audience'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as W
import pandas as pd
import traitlets

from roi_kit.errors import InputError
from roi_kit.results import escape
from roi_kit.widgets._common import StatusBox, error_text
from roi_kit.widgets._upload_flow import UploadFlow
from roi_kit.widgets.file_picker import FilePicker
from roi_kit.widgets.upload_files import ALLOWED_EXTENSIONS, CURRENCIES, guess_table, read_header
from roi_kit.widgets.uploads import UploadedTable, report_html

__all__ = ["ALLOWED_EXTENSIONS", "DataSourcePicker", "UploadedTable", "guess_table",
           "read_header"]

_SAMPLE_LABELS = {"saas": "SaaS sample", "dtc": "DTC sample"}


def _sample_label(name: str) -> str:
    """How a shipped sample is named on the page (``saas`` -> ``SaaS sample``)."""
    return _SAMPLE_LABELS.get(name, f"{name} sample")


class DataSourcePicker(UploadFlow, W.VBox):
    """Sample data or uploaded files → canonical tables, with a column-mapping step.

    Parameters
    ----------
    tables
        Tables the app needs.
    optional
        Tables the app uses when present.
    data
        Tables given by the notebook (``SampleData`` or mapping name → frame); offered as
        "Notebook data" and selected at start.
    sample
        Shipped sample selected at start (``"saas"`` or ``"dtc"``).
    samples
        Shipped samples offered.
    allow_upload
        Offer the upload tab.
    max_upload_mb
        Largest accepted upload per file, in megabytes.
    required_columns
        Columns the app needs beyond the table's own required ones (table → columns), shown
        in bold in the mapping like the others.

    Attributes
    ----------
    tables
        The current canonical tables (name → pandas frame).
    version
        Increases by one each time :attr:`tables` changes (observe it).
    uploads
        One :class:`UploadedTable` per uploaded file, in upload order.
    currency
        Dropdown: the currency the data's amounts are in, set once for every figure of the
        app (a label; amounts are never converted).
    """

    version = traitlets.Int(0)

    def __init__(
        self,
        tables: Sequence[str],
        *,
        optional: Sequence[str] = (),
        data: Any = None,
        sample: str = "saas",
        samples: Sequence[str] = ("saas", "dtc"),
        allow_upload: bool = True,
        max_upload_mb: float = 25.0,
        required_columns: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.needed = tuple(tables)
        self.required_columns = {t: tuple(c) for t, c in (required_columns or {}).items()}
        self.optional = tuple(optional)
        self.max_bytes = int(max_upload_mb * 1024 * 1024)
        self.tables: dict[str, pd.DataFrame] = {}
        self.uploads: list[UploadedTable] = []
        self._given = self._as_tables(data) if data is not None else None
        self.sample_name = sample

        modes = [("Sample data", "sample")]
        if self._given is not None:
            modes.insert(0, ("Notebook data", "given"))
        if allow_upload:
            modes.append(("Upload files", "upload"))
        self.mode = W.ToggleButtons(options=modes, value=modes[0][1],
                                    style={"button_width": "130px"})
        self.sample = W.Dropdown(
            options=[(_sample_label(s), s) for s in samples],
            value=sample if sample in samples else samples[0], description="Sample",
            layout=W.Layout(width="260px"))
        self.sample.add_class("rk-sample")
        self.upload = FilePicker(accept=",".join(ALLOWED_EXTENSIONS), max_bytes=self.max_bytes,
                                 description="Choose files")
        self.file_choice = W.Dropdown(options=[], description="File",
                                      layout=W.Layout(width="420px"))
        self.table_choice = W.Dropdown(
            options=[(t.replace("_", " "), t) for t in (*self.needed, *self.optional)],
            description="Holds table", layout=W.Layout(width="320px"))
        self.dates = W.Dropdown(options=[("detect from the data", "detect"),
                                         ("day first (31/12)", "day"),
                                         ("month first (12/31)", "month")], value="detect",
                                description="Dates", layout=W.Layout(width="320px"))
        self.mapping_box = W.VBox([])
        self.apply_mapping = W.Button(description="Apply column mapping", icon="check",
                                      button_style="primary", layout=W.Layout(width="220px"))
        self.message = StatusBox()
        self.summary = W.HTML("")
        self.report = W.HTML("")
        self.report.add_class("roi-kit-load-report")
        self._mapping_dropdowns: dict[str, W.Dropdown] = {}
        self._syncing = False

        self.upload_box = W.VBox([
            W.HTML(f"<span style='font-size:13px'>CSV, TSV, Excel (.xlsx) or Parquet, up to "
                   f"{max_upload_mb:g} MB per file; one file per table"
                   + (f" ({escape(', '.join(self.needed))})" if self.needed else "")
                   + ".</span>"),
            W.HBox([self.upload, self.dates]), W.HBox([self.file_choice, self.table_choice]),
            self.mapping_box, self.apply_mapping,
        ], layout=W.Layout(display="none"))
        self.sample_box = W.HBox([self.sample])
        details = W.Accordion(children=[self.report], titles=("Load report",))
        details.selected_index = None
        details.layout.display = "none"
        self.details = details
        self.currency = W.Dropdown(options=list(CURRENCIES), value="USD",
                                   description="Amounts in", layout=W.Layout(width="180px"))
        self.currency.add_class("rk-currency")
        currency_note = W.HTML("<span style='font-size:12px;color:#555'>the currency your data "
                               "is in: a label, nothing is converted</span>")
        super().__init__([W.HBox([self.mode, self.currency, currency_note],
                                 layout=W.Layout(flex_flow="row wrap", align_items="center")),
                          self.sample_box, self.upload_box, self.message, self.summary, details])
        self.add_class("roi-kit-data-source")

        self.mode.observe(lambda _c: self._mode_changed(), names="value")
        self.sample.observe(lambda _c: self._load_sample(), names="value")
        self.upload.on_files(self._files_received)
        self.file_choice.observe(lambda _c: self._show_upload(), names="value")
        self.table_choice.observe(lambda _c: self._table_changed(), names="value")
        self.apply_mapping.on_click(lambda _b: self._mapping_applied())
        self.dates.observe(lambda _c: self._dates_changed(), names="value")
        self._mode_changed()

    # -- helpers ------------------------------------------------------------------------------
    def _as_tables(self, data: Any) -> dict[str, pd.DataFrame]:
        tables = data.tables() if hasattr(data, "tables") and callable(data.tables) else data
        if not isinstance(tables, Mapping):
            raise InputError(
                f"data must be SampleData or a dict of tables; got {type(data).__name__}.",
                hint="pass rk.datasets.load_sample('saas') or {'deals': frame, ...}",
            )
        wanted = (*self.needed, *self.optional)
        return {k: v for k, v in tables.items() if k in wanted}

    @property
    def ready(self) -> bool:
        """True when every needed table is present."""
        return all(t in self.tables for t in self.needed)

    def _publish(self, tables: dict[str, pd.DataFrame], origin: str) -> None:
        self.tables = tables
        parts = [f"{escape(t.replace('_', ' '))}: {len(f):,} rows" for t, f in tables.items()]
        missing = [t for t in self.needed if t not in tables]
        text = f"<b>{escape(origin)}</b> — " + ("; ".join(parts) if parts else "no tables yet")
        if missing:
            text += (" — <span style='color:#7a1d16'>still needed: "
                     + escape(", ".join(missing)) + "</span>")
        self.summary.value = f"<div style='font-size:13px;margin:2px 0'>{text}</div>"
        self.version += 1

    def _mode_changed(self) -> None:
        mode = self.mode.value
        self.sample_box.layout.display = "flex" if mode == "sample" else "none"
        self.upload_box.layout.display = "flex" if mode == "upload" else "none"
        self.message.clear()
        if mode == "given" and self._given is not None:
            self._set_report(None)
            self._publish(dict(self._given), "Data given by the notebook")
        elif mode == "sample":
            self._load_sample()
        else:
            self._publish_uploads()

    def _load_sample(self) -> None:
        if self.mode.value != "sample":
            return
        from roi_kit import datasets

        name = self.sample.value
        try:
            sample = datasets.load_sample(name)  # type: ignore[attr-defined,unused-ignore]
        except Exception as exc:
            self.message.error(f"The {name} sample could not be loaded. {error_text(exc)}")
            return
        self._set_report(None)
        self._publish(self._as_tables(sample), f"{_sample_label(name)} data")

    def _set_report(self, report: Any) -> None:
        self.report.value = report_html(report)
        self.details.layout.display = "flex" if report is not None else "none"
        if report is not None:
            self.details.selected_index = 0
