"""Decide a file's conventions from evidence: its decimal separator and each date column's order.

The decimal separator is one per file: text number columns are cleaned once and vote with the
separators their values can only mean (``1.234,56`` says comma); a tie without evidence follows
the delimiter (``;`` files are European). Date order is per column: a day above 12 decides it, a
column without one follows the other columns of the file, dotted dates (``31.12.2024``) are
day-first, and a column whose rows contradict each other, or that nothing decides, raises
:class:`~roi_kit.io.parse.AmbiguousDateError` with the rows that show it.

Examples
--------
>>> from roi_kit.io.read import read_source
>>> from roi_kit.schema import TABLES
>>> raw = read_source(b"id;when;amount\\nd1;31/01/2024;1.234,5\\n", name="deals.csv")
>>> cols = {"deal_id": raw.table["id"], "created_at": raw.table["when"], "amount": raw.table["amount"]}
>>> dec, dayfirst, ready = conventions(raw, cols, TABLES["deals"], None, None, raw.delimiter)
>>> dec, dayfirst, sorted(ready)
(',', {'created_at': True}, ['amount'])
"""

from __future__ import annotations

from typing import Any, Literal

import pyarrow as pa

from roi_kit.io.cells import _distinct, _strings, is_text
from roi_kit.io.parse import AmbiguousDateError, PreparedNumbers, date_evidence, prepare_numbers
from roi_kit.io.raw import RawTable

__all__ = ["DecimalSep", "conventions"]

DecimalSep = Literal[".", ","]


def conventions(raw: RawTable, cols: dict[str, Any], spec: Any, decimal: DecimalSep | None,
                 dayfirst: bool | None, delimiter: str | None
                 ) -> tuple[DecimalSep | None, dict[str, bool | None],
                            dict[str, PreparedNumbers | pa.DictionaryArray]]:
    """Decide the decimal separator for the file and the date order per column, from evidence.

    Also returns the text number columns already cleaned for the evidence, and the date columns
    that repeat their values encoded as distinct values and codes, to parse them once.
    """
    dec: DecimalSep | None = decimal
    ready: dict[str, PreparedNumbers | pa.DictionaryArray] = {}
    if dec is None:
        comma = dot = 0
        text_numbers = False
        for col, values in cols.items():
            if spec.kind(col) in ("number", "integer") and is_text(values):
                text_numbers = True
                prepared = prepare_numbers(values)
                if prepared is not None:
                    ready[col] = prepared  # parsed later without cleaning the text again
                    c, d = prepared.evidence()
                    comma, dot = comma + c, dot + d
        if text_numbers:
            dec = "," if comma > dot or (comma == dot == 0 and delimiter == ";") else "."
    by_col: dict[str, bool | None] = {}
    evidence = {}
    for name, column in cols.items():
        if spec.kind(name) == "datetime" and is_text(column):
            distinct = _distinct(_strings(column))
            if distinct is not None:  # encoded once, for the evidence and for the parse
                column = ready[name] = pa.DictionaryArray.from_arrays(distinct[1], distinct[0])
            evidence[name] = date_evidence(column)
    decided = {c: e.decides for c, e in evidence.items() if e.decides is not None}
    file_order = set(decided.values())
    for col, ev in evidence.items():
        if dayfirst is not None or ev.numeric == 0:
            by_col[col] = dayfirst
            continue
        if len(ev.day_rows) and len(ev.month_rows):
            rows = raw.rows
            v = cols[col]
            d, m = int(ev.day_rows[0]), int(ev.month_rows[0])
            raise AmbiguousDateError(
                f"{raw.source}, column {col!r}: dates contradict each other — row {rows[d]} "
                f"({v[d]}) can only be day-first and row {rows[m]} ({v[m]}) can only be month-first.",
                hint="pass dayfirst=True or dayfirst=False; the rows that do not fit are then "
                "reported and handled like other unreadable values.")
        if ev.decides is not None:
            by_col[col] = ev.decides
        elif len(file_order) == 1:
            by_col[col] = next(iter(file_order))
        elif ev.dotted:
            by_col[col] = True
        else:
            example = next(x for x in cols[col].to_pylist() if x and x.strip())
            raise AmbiguousDateError(
                f"{raw.source}, column {col!r}: dates such as {example!r} read as day-first or "
                "month-first, and no value in the file decides (no day above 12).",
                hint="pass dayfirst=True (31/12/2024 style) or dayfirst=False (12/31/2024 style).")
    return dec, by_col, ready
