"""The raw table every reader hands on, and the header names it carries.

:class:`RawTable` is what :func:`roi_kit.io.read.read_source` returns for any source (a text
file, a workbook, Parquet or a frame): the columns exactly as read, the spreadsheet row of each
record, and what was detected on the way (format, encoding, delimiter, malformed rows, notes).
:func:`dedupe` makes header names usable the same way for every format, so that a column is
named alike whether it came from a CSV, an Excel sheet or a pandas frame.

Examples
--------
>>> dedupe([" amount", "", "amount", "\\ufeffid"])
['amount', 'column_2', 'amount (2)', 'id']
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

__all__ = ["RawTable", "dedupe"]


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

