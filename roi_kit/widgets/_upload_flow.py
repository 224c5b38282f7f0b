"""The upload half of :class:`~roi_kit.widgets.data_source.DataSourcePicker`: files in, tables out.

:class:`UploadFlow` holds what happens in the "Upload files" mode — files received (or refused
as too big), each checked and parsed by its ``rk.load_<table>`` loader, the file / table / date
order choices, the column-mapping dropdowns and re-parsing after a change — and hands the parsed
tables to the picker's ``_publish``. The picker builds the widgets these methods read (declared
below); the rules for one file (size, type, which table, reading the header) live in
:mod:`roi_kit.widgets.upload_files` and parsing in :mod:`roi_kit.widgets.uploads`.

Examples
--------
>>> from roi_kit.widgets.data_source import DataSourcePicker
>>> picker = DataSourcePicker(["deals"])
>>> picker.add_files({"deals.csv": b"deal_id,status,amount,client,created_at\\n"
...                               b"d1,won,100,c1,2024-01-05\\n"})
>>> picker.ready, picker.mode.value, [u.table for u in picker.uploads]
(False, 'upload', ['deals'])
>>> picker._mapping_dropdowns["customer_id"].value = "client"  # the mapping step
>>> picker.apply_mapping.click()
>>> picker.ready, len(picker.tables["deals"])
(True, 1)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import ipywidgets as W
import pandas as pd

from roi_kit.schema import TABLES
from roi_kit.widgets._common import StatusBox
from roi_kit.widgets.upload_files import NOT_IN_FILE, check_file, guess_table, too_big_text
from roi_kit.widgets.uploads import UploadedTable, named_error, parse_upload

__all__ = ["UploadFlow"]


class UploadFlow:
    """Upload-mode behaviour, mixed into :class:`~roi_kit.widgets.data_source.DataSourcePicker`."""

    # built by the picker's __init__
    mode: W.ToggleButtons
    message: StatusBox
    file_choice: W.Dropdown
    table_choice: W.Dropdown
    dates: W.Dropdown
    mapping_box: W.VBox
    needed: tuple[str, ...]
    optional: tuple[str, ...]
    required_columns: dict[str, tuple[str, ...]]
    max_bytes: int
    uploads: list[UploadedTable]
    _mapping_dropdowns: dict[str, W.Dropdown]
    _syncing: bool
    # the picker's own methods
    _publish: Callable[[dict[str, pd.DataFrame], str], None]
    _set_report: Callable[[Any], None]

    def _files_received(self, files: dict[str, bytes], refused: dict[str, int]) -> None:
        problems = [too_big_text(name, size, self.max_bytes) for name, size in refused.items()]
        if files:
            self.add_files(files, problems=problems)
        elif problems:
            self.message.error("\n".join(problems))

    def add_files(self, files: Mapping[str, bytes], *, problems: Sequence[str] = ()) -> None:
        """Take uploaded files (name → content), as if picked in the browser; ``problems``
        are messages about files refused before they were sent."""
        if self.mode.value != "upload":
            self.mode.value = "upload"
        problems = list(problems)
        for name, content in files.items():
            problem = self._check_file(name, content)
            if problem:
                problems.append(problem)
                continue
            table = guess_table(name, (*self.needed, *self.optional))
            entry = UploadedTable(name=name, content=content, table=table)
            self.uploads = [u for u in self.uploads if u.name != name] + [entry]
            self._parse(entry)
        self.file_choice.options = [u.name for u in self.uploads]
        if self.uploads:
            self.file_choice.value = self.uploads[-1].name
        self._show_upload()
        errors = problems + [named_error(u) for u in self.uploads if u.error]
        if errors:
            self.message.error("\n".join(errors))
        elif files:
            self.message.show(f"Loaded {len(files)} file(s).", "success")
        self._publish_uploads()

    def _check_file(self, name: str, content: bytes) -> str:
        return check_file(name, content, max_bytes=self.max_bytes)

    def _parse(self, entry: UploadedTable) -> None:
        parse_upload(entry, dayfirst=None if self.dates.value == "detect"
                     else self.dates.value == "day")

    def _current(self) -> UploadedTable | None:
        for entry in self.uploads:
            if entry.name == self.file_choice.value:
                return entry
        return None

    def _show_upload(self) -> None:
        entry = self._current()
        if entry is None:
            self.mapping_box.children = ()
            self._set_report(None)
            return
        if self.table_choice.value != entry.table:
            self._syncing = True
            try:
                self.table_choice.value = entry.table
            finally:
                self._syncing = False
        self._build_mapping(entry)
        self._set_report(entry.report)

    def _build_mapping(self, entry: UploadedTable) -> None:
        spec = TABLES[entry.table]
        used = {canonical: source for source, canonical in entry.columns.items()}
        header = entry.header
        rows: list[W.Widget] = [W.HTML(
            "<span style='font-size:13px'>Column mapping — which column of your file holds "
            "each field (<b>bold</b> = required). Change a choice and press Apply.</span>")]
        self._mapping_dropdowns = {}
        lowered = {h.strip().lower(): h for h in header}
        for column in spec.columns:
            guess = used.get(column) or lowered.get(column)
            options = [NOT_IN_FILE, *header]
            dropdown = W.Dropdown(options=options,
                                  value=guess if guess in options else NOT_IN_FILE,
                                  layout=W.Layout(width="260px"))
            required = (*spec.required, *self.required_columns.get(entry.table, ()))
            label = f"<b>{column}</b>" if column in required else column
            self._mapping_dropdowns[column] = dropdown
            rows.append(W.HBox([W.HTML(label, layout=W.Layout(width="160px")), dropdown]))
        self.mapping_box.children = tuple(rows)

    def _table_changed(self) -> None:
        entry = self._current()
        if self._syncing or entry is None or entry.table == self.table_choice.value:
            return
        entry.table = self.table_choice.value
        entry.columns = {}
        self._reparse(entry)

    def _dates_changed(self) -> None:
        for entry in self.uploads:
            self._parse(entry)
        self._show_upload()
        errors = [named_error(u) for u in self.uploads if u.error]
        if errors:
            self.message.error("\n".join(errors))
        elif self.uploads:
            self.message.show("Files read again with the new date order.", "success")
        self._publish_uploads()

    def _mapping_applied(self) -> None:
        entry = self._current()
        if entry is None:
            return
        entry.columns = {
            dropdown.value: canonical
            for canonical, dropdown in self._mapping_dropdowns.items()
            if dropdown.value != NOT_IN_FILE and dropdown.value != canonical
        }
        self._reparse(entry)

    def _reparse(self, entry: UploadedTable) -> None:
        self._parse(entry)
        self._show_upload()
        if entry.error:
            self.message.error(named_error(entry))
        else:
            self.message.show(f"{entry.name} loaded as the {entry.table} table.", "success")
        self._publish_uploads()

    def _publish_uploads(self) -> None:
        if self.mode.value != "upload":
            return
        tables = {u.table: u.frame for u in self.uploads if u.frame is not None}
        self._publish(tables, "Your files")
