"""Uploaded files before any loader sees them: type, size, text or binary, header, table guess.

Examples
--------
>>> guess_table("HubSpot deals export 2024.csv", ("customers", "deals"))
'deals'
>>> check_file("logo.csv", b"\\x89PNG\\r\\n\\x1a\\n....", max_bytes=1000)
'logo.csv is not a text file: it looks like a PNG image. Export the table from your tool as CSV or Excel (.xlsx) and upload that file.'
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

import pandas as pd

__all__ = ["ALLOWED_EXTENSIONS", "CURRENCIES", "NOT_IN_FILE", "binary_kind", "check_file", "guess_table",
           "read_header", "too_big_text"]

ALLOWED_EXTENSIONS: tuple[str, ...] = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".parquet")
"""File types the upload accepts."""

NOT_IN_FILE = "(not in file)"

CURRENCIES: tuple[str, ...] = ("USD", "EUR", "GBP", "DKK", "SEK", "NOK", "CHF")
"""Currencies the data can be labelled with."""

_TABLE_WORDS: dict[str, tuple[str, ...]] = {
    "social_audience": ("audience", "follower", "fans", "social_audience"),
    "funnel_events": ("funnel", "event"),
    "touchpoints": ("touchpoint", "session", "utm", "journey", "click"),
    "customers": ("customer", "contact", "account", "client"),
    "deals": ("deal", "opportunit", "order", "sale"),
    "posts": ("post", "content", "tweet"),
    "costs": ("cost", "spend", "budget", "expense", "ledger"),
    "goals": ("goal", "target", "okr", "kpi"),
    "ad_performance": ("ad_performance", "ad performance", "ads manager", "ads_manager",
                       "campaign manager", "ad level", "ad-level", "kag_conversion"),
    "traffic": ("traffic", "acquisition", "source_medium", "source medium", "analytics"),
}


def guess_table(filename: str, tables: Sequence[str]) -> str:
    """The canonical table a file most likely holds, from its name (first of ``tables`` if unsure).

    Parameters
    ----------
    filename
        The uploaded file's name.
    tables
        Candidate table names (the app's tables).
    """
    stem = filename.lower()
    for table in tables:
        if any(word in stem for word in _TABLE_WORDS.get(table, (table,))):
            return table
    return tables[0]


def _extension(filename: str) -> str:
    match = re.search(r"\.[A-Za-z0-9]+$", filename)
    return match.group(0).lower() if match else ""


def read_header(content: bytes, filename: str) -> list[str]:
    """The column names of an uploaded file (first row), for the mapping dropdowns.

    Examples
    --------
    >>> read_header(b"Deal ID;Amount\\n1;2\\n", "d.csv")
    ['Deal ID', 'Amount']
    """
    ext = _extension(filename)
    if ext in (".xlsx", ".xlsm"):
        return [str(c) for c in pd.read_excel(io.BytesIO(content), nrows=0).columns]
    if ext == ".parquet":
        import pyarrow.parquet as pq

        return list(pq.read_schema(io.BytesIO(content)).names)
    for encoding in ("utf-8-sig", "utf-16", "cp1252"):
        try:
            text = content[:65536].decode(encoding)
        except UnicodeDecodeError:
            continue
        first = text.splitlines()[0] if text.strip() else ""
        counts = {sep: first.count(sep) for sep in (",", ";", "\t", "|")}
        sep = max(counts, key=lambda k: counts[k])
        if counts[sep] == 0:
            return [first.strip().strip('"')] if first.strip() else []
        return [c.strip().strip('"') for c in first.split(sep)]
    return []


_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"), (b"PK\x03\x04", "a ZIP archive (or an Excel file)"),
    (b"\xd0\xcf\x11\xe0", "an old Excel (.xls) or Word file"), (b"\x1f\x8b", "a gzip archive"),
    (b"PAR1", "a Parquet file"), (b"{\\rtf", "an RTF document"),
)


def binary_kind(content: bytes) -> str:
    """What a file that should be text looks like instead ('' when it looks like text).

    Examples
    --------
    >>> binary_kind(b"%PDF-1.7 ...")
    'a PDF document'
    >>> binary_kind("a;b\\n1;2\\n".encode("utf-16"))  # UTF-16 text has NUL bytes, and a BOM
    ''
    >>> binary_kind(b"a,b\\n\\x00\\x01\\x02")
    'a binary file'
    """
    for magic, kind in _MAGIC:
        if content.startswith(magic):
            return kind
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 byte order marks
        return ""
    head = content[:4096]
    if b"\x00" in head:
        return "a binary file"
    return ""


def too_big_text(name: str, size: int, max_bytes: int) -> str:
    """The message for a file over the upload limit.

    Examples
    --------
    >>> too_big_text("big.csv", 30 * 1024 * 1024, 25 * 1024 * 1024)[:52]
    'big.csv is 30.0 MB; the upload limit is 25 MB per fi'
    """
    return (f"{name} is {size / 1024 / 1024:.1f} MB; the upload limit is "
            f"{max_bytes / 1024 / 1024:g} MB per file, so it was not sent. Filter the export to "
            "the period you need, or use the Python API / command line for large files.")


def check_file(name: str, content: bytes, *, max_bytes: int) -> str:
    """The problem with an uploaded file before it is parsed ('' when there is none)."""
    ext = _extension(name)
    if ext not in ALLOWED_EXTENSIONS:
        hint = " Save it as .xlsx." if ext == ".xls" else ""
        return (f"{name}: files of type '{ext or 'none'}' are not supported; use "
                f"{', '.join(ALLOWED_EXTENSIONS)}.{hint}")
    if len(content) > max_bytes:
        return too_big_text(name, len(content), max_bytes)
    if not content.strip():
        return f"{name} is empty."
    if ext in (".csv", ".tsv", ".txt"):
        kind = binary_kind(content)
        if kind:
            return (f"{name} is not a text file: it looks like {kind}. Export the table from "
                    "your tool as CSV or Excel (.xlsx) and upload that file.")
    return ""
