"""Vectorised parsing of messy text columns (one import point for the three parser modules).

* :mod:`roi_kit.io.numbers` — money, thousands separators, decimal comma or point, percentages;
* :mod:`roi_kit.io.dates` — ISO, day-first / month-first numbers (decided from evidence), month
  names, GA4 and epoch integers, all to naive UTC;
* :mod:`roi_kit.io.cells` — the :class:`Parsed` result, missing-value placeholders, yes/no flags.

Examples
--------
>>> import pyarrow as pa
>>> parse_numbers(pa.array(["1 234,56 kr", "2,5"])).values.to_pylist()
[1234.56, 2.5]
>>> date_evidence(pa.array(["05/03/2024", "31/03/2024"])).decides
True
"""

from __future__ import annotations

from roi_kit.io.cells import NULL_TOKENS, PLACEHOLDER, Parsed, parse_bools, plain_edges
from roi_kit.io.dates import AmbiguousDateError, DateEvidence, date_evidence, parse_dates
from roi_kit.io.numbers import (
    Decimal,
    PreparedNumbers,
    decimal_evidence,
    parse_numbers,
    prepare_numbers,
)

__all__ = [
    "NULL_TOKENS",
    "PLACEHOLDER",
    "AmbiguousDateError",
    "DateEvidence",
    "Decimal",
    "Parsed",
    "PreparedNumbers",
    "date_evidence",
    "decimal_evidence",
    "parse_bools",
    "parse_dates",
    "parse_numbers",
    "plain_edges",
    "prepare_numbers",
]
