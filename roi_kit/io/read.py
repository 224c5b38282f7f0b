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

Examples
--------
>>> raw = read_source(b"id;amount\\nd1;1,5\\n", name="deals.csv")
>>> raw.format, raw.delimiter, raw.table.column_names, raw.rows.tolist()
('csv', ';', ['id', 'amount'], [2])
"""

from __future__ import annotations

import codecs
import csv
import io
import mmap
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from roi_kit.errors import EmptyDataError, InputError, UnsupportedFormatError

__all__ = ["RawTable", "read_source", "source_name"]

TypesFor = Callable[[list[str], str], dict[str, pa.DataType]]
DELIMITERS = (",", ";", "\t", "|")
_SAMPLE = 1 << 16
_COLUMN_ERR = re.compile(r"In CSV column #(\d+)")
_FIELDS_ERR = re.compile(r"Expected \d+ columns, got \d+")


@dataclass
class RawTable:
    """Raw columns as read, before mapping and parsing.

    ``malformed`` lists rows that could not be split into the header's columns:
    ``(row, text, problem)``; they are counted as read and reported as dropped.
    """

    table: pa.Table
    source: str
    format: str
    rows: np.ndarray
    encoding: str | None = None
    delimiter: str | None = None
    malformed: list[tuple[int, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


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
    frame = _from_frame(source, label)
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
        return RawTable(_plain(table), label, "parquet", np.arange(table.num_rows) + 2)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnsupportedFormatError(
            f"{label} is an old Excel .xls workbook, which roi_kit does not read.",
            hint="open it in Excel or LibreOffice and save it as .xlsx or CSV, then load that file.")
    if ext in {".xlsx", ".xlsm", ".parquet", ".pq"}:
        raise UnsupportedFormatError(
            f"{label} is named like a {ext} file but its content is not one.",
            hint="check that the upload finished, or rename the file to match its content (.csv?).")
    return _read_text(data, label, ext, types_for, encoding, delimiter, path)


# --- sources ------------------------------------------------------------------------------------

def _from_frame(source: Any, label: str) -> RawTable | None:
    if isinstance(source, pd.DataFrame):
        frame = source
        if any(n is not None for n in frame.index.names):
            frame = frame.reset_index()
        cols = [str(c) for c in frame.columns]
        arrays = [_pandas_column(frame.iloc[:, i]) for i in range(frame.shape[1])]
        table = pa.table(dict(zip(dedupe(cols), arrays))) if cols else pa.table({})
        return RawTable(table, label, "pandas frame", np.arange(len(frame)) + 2)
    module = type(source).__module__.split(".")[0]
    if module == "polars":
        import polars as pl

        if isinstance(source, pl.LazyFrame):
            source = source.collect()
        if isinstance(source, pl.DataFrame):
            return RawTable(_plain(source.to_arrow()), label, "polars frame",
                            np.arange(source.height) + 2)
    if isinstance(source, pa.Table):
        return RawTable(_plain(source), label, "arrow table", np.arange(source.num_rows) + 2)
    if module == "narwhals":
        return _from_frame(source.to_native(), label)
    return None


def _pandas_column(col: pd.Series) -> pa.Array:
    try:
        arr = pa.array(col, from_pandas=True)
        if not pa.types.is_null(arr.type):
            return arr
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        pass
    missing = col.isna().to_numpy()
    return pa.array(col.astype(str).to_numpy(dtype=object), type=pa.string(), mask=missing)


def _plain(table: pa.Table) -> pa.Table:
    """Dedupe names, turn string views / dictionaries into plain strings."""
    cols = []
    for col in table.columns:
        t = col.type
        if pa.types.is_dictionary(t):
            col = col.cast(t.value_type)
            t = col.type
        if pa.types.is_string_view(t):
            col = col.cast(pa.large_string())
        cols.append(col)
    return pa.table(cols, names=dedupe([str(n) for n in table.column_names]))


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


# --- text ----------------------------------------------------------------------------------------

def _detect_encoding(data: Any, encoding: str | None) -> tuple[str, int]:
    """(encoding, bytes of BOM to skip)."""
    head = bytes(data[:4])
    if encoding:
        skip = 3 if encoding.lower().replace("_", "-") in {"utf-8-sig"} else 0
        return encoding, skip
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig", 3
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", 0
    sample = bytes(data[:_SAMPLE])
    if sample.count(b"\x00") > len(sample) // 4:
        return ("utf-16-le" if sample[1:2] == b"\x00" else "utf-16-be"), 0
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:  # not just a character cut by the sample boundary
            return _eight_bit(sample), 0
    return "utf-8", 0


def _eight_bit(data: Any) -> str:
    try:
        bytes(data).decode("cp1252")
    except UnicodeDecodeError:
        return "latin-1"
    return "cp1252"


def _sniff(text: str, delimiter: str | None) -> tuple[str, int, list[str]]:
    """(delimiter, records before the header, header fields) from a text sample."""
    lines = text.splitlines()[:200]
    preamble = 0
    while preamble < len(lines) - 1 and (lines[preamble].startswith("#") or not lines[preamble].strip()):
        preamble += 1
    body = "\n".join(lines[preamble:])
    best = (-1.0, 0, ",")
    for cand in ([delimiter] if delimiter else DELIMITERS):
        records = [r for r in csv.reader(io.StringIO(body), delimiter=cand) if r][:100]
        if not records:
            continue
        counts = [len(r) for r in records]
        width = max(set(counts), key=counts.count)
        agree = sum(c == width for c in counts) / len(counts)
        score = agree if width > 1 else 0.0
        if (score, width) > best[:2]:
            best = (score, width, cand)
    chosen = best[2]
    records = list(csv.reader(io.StringIO(body), delimiter=chosen))
    skip = 0
    width = best[1]
    while skip < len(records) - 1 and width > 1 and sum(1 for f in records[skip] if f.strip()) < 2:
        skip += 1
    header = records[skip] if records else []
    return chosen, preamble + skip, header


def dedupe(names: list[str]) -> list[str]:
    """Header names made usable: trimmed, BOM removed, blanks named, repeats numbered."""
    seen: dict[str, int] = {}
    out = []
    for i, raw in enumerate(names):
        n = raw.strip().lstrip("\ufeff").strip() or f"column_{i + 1}"
        if n in seen:
            seen[n] += 1
            n = f"{n} ({seen[n]})"
        else:
            seen[n] = 1
        out.append(n)
    return out


def _single_byte(encoding: str) -> bool:
    """A code page of one byte per character that keeps ASCII (cp1252, latin-1, iso8859-15 ...)."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    return name.startswith(("cp125", "iso8859-"))


def _read_text(data: Any, label: str, ext: str, types_for: TypesFor | None,
               encoding: str | None, delimiter: str | None, path: str | None = None) -> RawTable:
    enc, bom = _detect_encoding(data, encoding)
    if delimiter is None and ext == ".tsv":
        delimiter = "\t"
    if enc.lower().replace("_", "-") in {"utf-8", "utf8", "utf-8-sig"}:
        buf: Any = pa.py_buffer(data)
        if bom:
            buf = buf.slice(bom)
            path = None
        sample = bytes(buf[:_SAMPLE]).decode("utf-8", errors="ignore")
        return _parse_text(path or buf, buf, sample, label, ext, types_for, encoding, enc, delimiter, data, None)
    if _single_byte(enc):
        # pyarrow decodes the code page while it parses (no decoded copy of the file). The
        # sample is the one the UTF-8 route sniffs: the first _SAMPLE bytes of the UTF-8 text.
        try:
            head = bytes(data[:_SAMPLE]).decode(enc).encode("utf-8")[:_SAMPLE]
            sample = head.decode("utf-8", errors="ignore")
            raw = pa.py_buffer(data)
            return _parse_text(raw, raw, sample, label, ext, types_for, encoding, enc, delimiter, data, enc)
        except UnicodeError:
            pass  # a byte the code page leaves undefined: decoding below says which, as before
    try:
        try:
            text = bytes(data).decode(enc)
        except UnicodeDecodeError:
            if encoding is not None or enc != "cp1252":
                raise
            enc = "latin-1"  # a byte cp1252 leaves undefined, after the sample
            text = bytes(data).decode(enc)
        buf = pa.py_buffer(text.encode("utf-8"))
        del text
    except (UnicodeDecodeError, LookupError) as exc:
        raise UnsupportedFormatError(
            f"{label} cannot be decoded as {enc}: {exc}.",
            hint="pass encoding='utf-8', 'cp1252', 'latin-1' or 'utf-16' to the loader.") from exc
    sample = bytes(buf[:_SAMPLE]).decode("utf-8", errors="ignore")
    return _parse_text(buf, buf, sample, label, ext, types_for, encoding, enc, delimiter, data, None)


def _parse_text(source: Any, buf: Any, sample: str, label: str, ext: str, types_for: TypesFor | None,
                encoding: str | None, enc: str, delimiter: str | None, data: Any,
                transcode: str | None) -> RawTable:
    """Sniff the sample and read ``source`` (a path or ``buf``: UTF-8, or in code page
    ``transcode``) with pyarrow; malformed files are re-read from the text of ``buf``."""
    delim, skip, header = _sniff(sample, delimiter)
    if not header:
        raise EmptyDataError(f"{label} has no header row.", hint="export the table with column names.")
    names = dedupe(header)
    fmt = "tsv" if delim == "\t" else "csv"
    notes = [f"skipped {skip} line(s) above the header (row {skip + 1})"] if skip else []
    try:
        table, bad = _arrow_csv(source, names, skip, delim, '"' in sample, types_for, transcode)
    except UnicodeError as exc:
        if transcode is not None:
            raise
        if encoding is not None:
            raise UnsupportedFormatError(
                f"{label} is not valid {encoding}: {exc}.",
                hint="leave encoding=None to detect it, or pass encoding='cp1252' / 'latin-1'.",
            ) from exc
        return _read_text(data, label, ext, types_for, _eight_bit(data), delim)  # no path: transcode
    if bad:
        text = bytes(buf).decode(transcode or "utf-8")
        table, rows, malformed, blank = _python_csv(text, names, skip, delim)
    else:
        rows = np.arange(table.num_rows) + skip + 2
        table, rows, blank = _drop_blank(table, rows)
        malformed = []
    if blank:
        notes.append(f"skipped {blank} blank line(s)")
    return RawTable(table, label, fmt, rows, enc, delim, malformed, notes)


def _arrow_csv(buf: Any, names: list[str], skip: int, delim: str, quoted: bool,
               types_for: TypesFor | None, encoding: str | None = None) -> tuple[pa.Table, bool]:
    forced = dict(types_for(names, delim)) if types_for else {}
    while True:
        try:
            table = pacsv.read_csv(
                buf if isinstance(buf, str) else pa.BufferReader(buf),  # a path reads fastest
                read_options=pacsv.ReadOptions(column_names=names, skip_rows=skip + 1,
                                               encoding=encoding or "utf8"),
                parse_options=pacsv.ParseOptions(delimiter=delim, newlines_in_values=quoted,
                                                  ignore_empty_lines=False),
                convert_options=pacsv.ConvertOptions(column_types=forced, null_values=[""],
                                                     strings_can_be_null=True,
                                                     quoted_strings_can_be_null=True),
            )
            return table, False
        except pa.ArrowInvalid as exc:
            msg = str(exc)
            if "UTF8" in msg or "utf8" in msg or "UTF-8" in msg:
                raise UnicodeError(msg) from exc
            if _FIELDS_ERR.search(msg):  # a line with the wrong number of fields
                return pa.table({}), True
            match = _COLUMN_ERR.search(msg)
            if not match:
                raise InputError(f"cannot parse the file: {msg}",
                                 hint="check the delimiter (pass delimiter=';' ...).") from exc
            col = names[int(match.group(1))]
            if forced.get(col) == pa.string():
                raise
            forced[col] = pa.string()


def _drop_blank(table: pa.Table, rows: np.ndarray) -> tuple[pa.Table, np.ndarray, int]:
    if table.num_rows == 0 or any(c.null_count == 0 for c in table.columns):
        return table, rows, 0
    import pyarrow.compute as pc

    blank = np.ones(table.num_rows, dtype=bool)
    for col in table.columns:
        blank &= np.asarray(pc.is_null(col).to_numpy(zero_copy_only=False), dtype=bool)
    if not blank.any():
        return table, rows, 0
    return table.filter(pa.array(~blank)), rows[~blank], int(blank.sum())


def _python_csv(text: str, names: list[str], skip: int, delim: str
                ) -> tuple[pa.Table, np.ndarray, list[tuple[int, str, str]], int]:
    """Exact, slower path for malformed files: every record keeps its spreadsheet row."""
    width = len(names)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    columns: list[list[str | None]] = [[] for _ in names]
    rows: list[int] = []
    malformed: list[tuple[int, str, str]] = []
    blank = 0
    for number, record in enumerate(reader, start=1):
        if number <= skip + 1:
            continue
        if not any(f.strip() for f in record):
            blank += 1
            continue
        if len(record) > width and not any(f.strip() for f in record[width:]):
            record = record[:width]
        if len(record) != width:
            malformed.append((number, delim.join(record)[:200],
                              f"has {len(record)} fields, the header has {width}"))
            continue
        rows.append(number)
        for i, value in enumerate(record):
            columns[i].append(value if value != "" else None)
    table = pa.table({n: pa.array(c, type=pa.string()) for n, c in zip(names, columns)})
    return table, np.asarray(rows, dtype=np.int64), malformed, blank
