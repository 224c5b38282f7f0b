"""One uploaded file through its loader: the entry, the parse, the mapping kept after a failure.

Examples
--------
>>> entry = UploadedTable(name="costs.csv", content=b"when,what\\n2024-01-01,ads\\n",
...                       table="costs")
>>> parse_upload(entry, dayfirst=None)
>>> entry.frame is None, "missing the required column" in entry.error, entry.header
(True, True, ['when', 'what'])
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from roi_kit.errors import InputError, RoiKitError, UnsupportedFormatError
from roi_kit.results import escape
from roi_kit.widgets._common import error_text
from roi_kit.widgets.plain import plain_words
from roi_kit.widgets.upload_files import read_header

__all__ = ["UploadedTable", "keep_mapping", "named_error", "parse_upload", "report_html"]


@dataclass
class UploadedTable:
    """One uploaded file and what became of it."""

    name: str
    content: bytes
    table: str
    header: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    frame: pd.DataFrame | None = None
    report: Any = None
    error: str = ""


def _loader(table: str) -> Any:
    import roi_kit as rk

    name = {"social_audience": "load_audience"}.get(table, f"load_{table}")
    fn = getattr(rk, name, None)
    if fn is None:
        raise InputError(f"No loader for the {table!r} table in this version of roi_kit.",
                         hint="use one of the sample data sets for now.")
    return fn


def _unpack(loaded: Any) -> tuple[pd.DataFrame, Any]:
    frame, report = loaded
    return frame, report


def _report_mapping(report: Any) -> dict[str, str]:
    """source column → canonical column, as the loader reports it (empty if it does not say)."""
    for attr in ("mapping", "column_map", "columns_mapped", "renamed"):
        value = getattr(report, attr, None)
        if isinstance(value, Mapping):
            return {str(k): str(v) for k, v in value.items()}
    return {}


def named_error(entry: UploadedTable) -> str:
    """The entry's error, prefixed with its file name unless the message names it already."""
    return entry.error if entry.name in entry.error else f"{entry.name}: {entry.error}"


def report_html(report: Any) -> str:
    if report is None:
        return ""
    if hasattr(report, "_repr_html_"):
        return plain_words(str(report._repr_html_()))
    return f"<pre>{escape(report)}</pre>"


def parse_upload(entry: UploadedTable, *, dayfirst: bool | None) -> None:
    """Run the table's loader on ``entry`` (with its column mapping); set frame, report or
    error. Any reader failure becomes a message, never a broken page."""
    entry.frame, entry.report, entry.error = None, None, ""
    try:
        entry.header = read_header(entry.content, entry.name)
    except Exception:
        entry.header = []
    buffer = io.BytesIO(entry.content)
    try:
        loader = _loader(entry.table)
        kwargs: dict[str, Any] = {"name": entry.name}
        if entry.columns:
            kwargs["columns"] = dict(entry.columns)
        if dayfirst is not None:
            kwargs["dayfirst"] = dayfirst
        frame, report = _unpack(loader(buffer, **kwargs))
    except RoiKitError as exc:
        entry.error = error_text(exc)
        keep_mapping(entry, getattr(exc, "suggested", None))
        return
    except Exception as exc:
        wrapped = UnsupportedFormatError(
            f"{entry.name} could not be read as the {entry.table} table ({exc}).",
            hint="check that it is a CSV or Excel export with one header row.")
        entry.error = error_text(wrapped)
        keep_mapping(entry)
        return
    entry.frame, entry.report = frame, report
    if not entry.columns:
        entry.columns = _report_mapping(report)


def keep_mapping(entry: UploadedTable, suggested: Mapping[str, str] | None = None) -> None:
    """After a failed load, offer what the loader recognised (aliases) or suggested in the
    dropdowns instead of "(not in file)"; the user's own choices are kept as they are."""
    if entry.columns or not entry.header:
        return
    from roi_kit.io.aliases import resolve_columns

    try:
        entry.columns = dict(resolve_columns(entry.header, entry.table).mapping)
    except RoiKitError:
        entry.columns = {}
    taken = set(entry.columns.values())
    entry.columns.update({src: dst for src, dst in (suggested or {}).items()
                          if dst not in taken and src in entry.header})
