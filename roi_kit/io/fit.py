"""Does a column's content fit a canonical column's kind? Used to suggest mappings that make sense.

A suggestion such as ``{'Paid': 'customer_id'}`` (a true/false column offered as an id) sends the
user down a wrong path; :func:`fits` looks at up to 200 values of the candidate column first.

Examples
--------
>>> import pyarrow as pa
>>> fits(pa.array(["true", "false", "true"]), "id")
False
>>> fits(pa.array(["2024-01-05", "05/01/2024"]), "datetime"), fits(pa.array(["abc"]), "datetime")
(True, False)
>>> fits(pa.array(["1.234,50 kr", "7"]), "number"), fits(pa.array(["C1", "C2"]), "number")
(True, False)
"""

from __future__ import annotations

import warnings

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["fits"]

_BOOL_WORDS = {"true", "false", "yes", "no", "ja", "nej", "y", "n", "t", "f"}
_SAMPLE = 200
_SHARE = 0.8


def fits(values: pa.Array | pa.ChunkedArray, kind: str) -> bool:
    """True when most sampled values of ``values`` can be read as ``kind`` (``"id"``, ``"text"``,
    ``"datetime"``, ``"number"``, ``"integer"`` or ``"bool"``); empty columns fit anything."""
    arr = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    arr = pc.drop_null(arr)[:_SAMPLE]
    if len(arr) == 0 or kind == "text":
        return True
    typ = arr.type
    if pa.types.is_boolean(typ):
        return kind == "bool"
    if pa.types.is_timestamp(typ) or pa.types.is_date(typ):
        return kind == "datetime"
    if pa.types.is_integer(typ) or pa.types.is_floating(typ) or pa.types.is_decimal(typ):
        return kind in ("number", "integer", "id", "bool", "datetime") and (
            kind != "bool" or set(arr.to_pylist()) <= {0, 1})
    text = [str(v).strip() for v in arr.to_pylist()]
    lowered = {t.lower() for t in text}
    if kind == "bool":
        return lowered <= _BOOL_WORDS | {"0", "1"}
    if kind == "id":
        return not lowered <= _BOOL_WORDS
    if kind in ("number", "integer"):
        from roi_kit.io.numbers import parse_numbers

        parsed = parse_numbers(pa.array(text))
        return _share(len(text) - parsed.values.null_count, len(text))
    if kind == "datetime":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            dates = pd.to_datetime(pd.Series(text), errors="coerce", format="mixed")
        return _share(int(dates.notna().sum()), len(text))
    return True


def _share(good: int, total: int) -> bool:
    return total == 0 or good / total >= _SHARE
