"""Read delimited text (CSV, TSV, TXT) into a raw table, keeping each record's spreadsheet row.

The file is decoded as :mod:`roi_kit.io.sniff` detected: UTF-8 is handed to pyarrow's
multithreaded CSV reader as it is (a path reads fastest), a one-byte code page is decoded by
pyarrow while it parses, anything else is decoded in Python first. A column pyarrow cannot type
is re-read as text; only when the file is malformed (rows with the wrong number of fields) is it
re-read with Python's ``csv`` module, so that every row keeps its exact number and each malformed
row is kept as ``(row, text, problem)`` for the load report. Blank lines are skipped and counted.

Examples
--------
>>> raw = read_text(b"id,amount\\nd1,1\\n\\nd2,2,x\\n", "deals.csv", ".csv", None, None, None)
>>> raw.rows.tolist(), raw.malformed, raw.notes
([2], [(4, 'd2,2,x', 'has 3 fields, the header has 2')], ['skipped 1 blank line(s)'])
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from roi_kit.errors import EmptyDataError, InputError, UnsupportedFormatError
from roi_kit.io.raw import RawTable, dedupe
from roi_kit.io.sniff import SAMPLE, detect_encoding, eight_bit, single_byte, sniff

__all__ = ["TypesFor", "read_text"]

TypesFor = Callable[[list[str], str], dict[str, pa.DataType]]
_COLUMN_ERR = re.compile(r"In CSV column #(\d+)")
_FIELDS_ERR = re.compile(r"Expected \d+ columns, got \d+")


def read_text(data: Any, label: str, ext: str, types_for: TypesFor | None,
               encoding: str | None, delimiter: str | None, path: str | None = None) -> RawTable:
    """Read text ``data`` (bytes or a memory map; ``path`` when it is a whole file on disk)."""
    enc, bom = detect_encoding(data, encoding)
    if delimiter is None and ext == ".tsv":
        delimiter = "\t"
    if enc.lower().replace("_", "-") in {"utf-8", "utf8", "utf-8-sig"}:
        buf: Any = pa.py_buffer(data)
        if bom:
            buf = buf.slice(bom)
            path = None
        sample = bytes(buf[:SAMPLE]).decode("utf-8", errors="ignore")
        return _parse_text(path or buf, buf, sample, label, ext, types_for, encoding, enc, delimiter, data, None)
    if single_byte(enc):
        # pyarrow decodes the code page while it parses (no decoded copy of the file). The
        # sample is the one the UTF-8 route sniffs: the first SAMPLE bytes of the UTF-8 text.
        try:
            head = bytes(data[:SAMPLE]).decode(enc).encode("utf-8")[:SAMPLE]
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
    sample = bytes(buf[:SAMPLE]).decode("utf-8", errors="ignore")
    return _parse_text(buf, buf, sample, label, ext, types_for, encoding, enc, delimiter, data, None)


def _parse_text(source: Any, buf: Any, sample: str, label: str, ext: str, types_for: TypesFor | None,
                encoding: str | None, enc: str, delimiter: str | None, data: Any,
                transcode: str | None) -> RawTable:
    """Sniff the sample and read ``source`` (a path or ``buf``: UTF-8, or in code page
    ``transcode``) with pyarrow; malformed files are re-read from the text of ``buf``."""
    delim, skip, header = sniff(sample, delimiter)
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
        return read_text(data, label, ext, types_for, eight_bit(data), delim)  # no path: transcode
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
