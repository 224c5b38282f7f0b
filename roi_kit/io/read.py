"""Read any source into one arrow table of raw columns, detecting format, encoding and delimiter.

Sources: a path (CSV, TSV, TXT, XLSX, Parquet), bytes, a file-like object (uploads; its ``name``
is used for messages), an ipywidgets ``FileUpload`` value entry (``{"name", "content"}``), or a
pandas / polars / pyarrow frame. Text files go through pyarrow's multithreaded CSV reader; only
when a file is malformed (rows with the wrong number of fields) is it re-read with Python's
``csv`` module so that every row keeps its exact number.

Row numbers: ``rows[i]`` is the spreadsheet row of record ``i`` — the header is row 1 (or the
row after a comment preamble such as GA4's ``#`` lines), the first data row is row 2; a value
spanning several lines inside quotes stays one row, as in Excel. For frames and Parquet files
``row`` is the position + 2, the row the record would have in a CSV export.

This module recognises the source and hands it on: frames to :mod:`roi_kit.io.frames`, text to
:mod:`roi_kit.io.text` (which asks :mod:`roi_kit.io.sniff` for encoding and delimiter), workbooks
to :mod:`roi_kit.io.excel`; each returns the :class:`~roi_kit.io.raw.RawTable` of
:mod:`roi_kit.io.raw`.

Examples
--------
>>> raw = read_source(b"id;amount\\nd1;1,5\\n", name="deals.csv")
>>> raw.format, raw.delimiter, raw.table.column_names, raw.rows.tolist()
('csv', ';', ['id', 'amount'], [2])
"""

from __future__ import annotations

import mmap
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from roi_kit.errors import EmptyDataError, InputError, UnsupportedFormatError
from roi_kit.io.frames import from_frame, plain
from roi_kit.io.raw import RawTable, dedupe
from roi_kit.io.text import TypesFor, read_text

__all__ = ["RawTable", "dedupe", "read_source", "source_name"]


def source_name(source: Any, name: str | None = None) -> str:
    """The name messages use for a source (file name, upload name or kind of frame)."""
    if name:
        return name
    if isinstance(source, str | os.PathLike):
        return Path(source).name
    if isinstance(source, Mapping) and "name" in source:
        return str(source["name"])
    fname = getattr(source, "name", None)
    if isinstance(fname, str) and fname:
        return Path(fname).name
    return f"{type(source).__module__.split('.')[0]} {type(source).__name__}"


def read_source(source: Any, *, name: str | None = None, types_for: TypesFor | None = None,
                sheet: str | int | None = None, encoding: str | None = None,
                delimiter: str | None = None) -> RawTable:
    """Read ``source`` into a :class:`RawTable` (see the module docstring for what is accepted).

    ``types_for(headers, delimiter)`` may return arrow types to force per column (ids as
    strings ...).
    """
    label = source_name(source, name)
    frame = from_frame(source, label)
    if frame is not None:
        return frame
    data, ext = _bytes_of(source, label)
    path = str(source) if isinstance(source, str | os.PathLike) else None
    magic = bytes(data[:8])
    if magic.startswith(b"PK\x03\x04"):
        from roi_kit.io.excel import read_excel

        rows, table, notes = read_excel(data, label, sheet, ext)
        return RawTable(table, label, "excel", rows, notes=notes)
    if magic.startswith(b"PAR1"):
        import pyarrow.parquet as pq

        table = pq.read_table(pa.BufferReader(pa.py_buffer(data)))
        return RawTable(plain(table), label, "parquet", np.arange(table.num_rows) + 2)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnsupportedFormatError(
            f"{label} is an old Excel .xls workbook, which roi_kit does not read.",
            hint="open it in Excel or LibreOffice and save it as .xlsx or CSV, then load that file.")
    if ext in {".xlsx", ".xlsm", ".parquet", ".pq"}:
        raise UnsupportedFormatError(
            f"{label} is named like a {ext} file but its content is not one.",
            hint="check that the upload finished, or rename the file to match its content (.csv?).")
    return read_text(data, label, ext, types_for, encoding, delimiter, path)


def _bytes_of(source: Any, label: str) -> tuple[Any, str]:
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.is_file():
            raise InputError(f"File not found: {path}.",
                             hint="check the path (relative paths start at the notebook's folder).")
        if path.stat().st_size == 0:
            raise EmptyDataError(f"{label} is empty (0 bytes).", hint="export the table again.")
        with path.open("rb") as fh:
            data: Any = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        return data, path.suffix.lower()
    if isinstance(source, Mapping) and "content" in source:
        data = bytes(source["content"])
    elif isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
    elif hasattr(source, "read"):
        data = source.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
    else:
        raise UnsupportedFormatError(
            f"Cannot read a {type(source).__name__} as a table.",
            hint="pass a file path, an uploaded file, bytes, or a pandas / polars frame.")
    if not data:
        raise EmptyDataError(f"{label} is empty (0 bytes).", hint="export the table again.")
    return data, Path(label).suffix.lower()

