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
>>> fits(pa.array([9, 14, 9]), "datetime"), fits(pa.array([9, 14, 9]), "id", unique=True)
(False, False)
>>> fits(pa.array([20240105, 20240106]), "datetime"), fits(pa.array(["P1", "P2"]), "id", unique=True)
(True, True)
>>> fits(pa.array([36, 20]), "text"), fits(pa.array([36, 20]), "text", hint=True)
(True, False)
>>> fits(pa.array(["1,050", "600"]), "id", hint=True), fits(pa.array(["1050", "600"]), "id", hint=True)
(False, True)
"""

from __future__ import annotations

import warnings

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from roi_kit.io.cells import FALSE_TOKENS, NULL_TOKENS, TRUE_TOKENS, is_text

__all__ = ["fits"]

_BOOL_WORDS = {"true", "false", "yes", "no", "ja", "nej", "y", "n", "t", "f"}
_SAMPLE = 200
_YES_NO = frozenset(TRUE_TOKENS + FALSE_TOKENS + NULL_TOKENS)
_SHARE = 0.8
_RANGE_END = r"\s+(?:-|–|—|to)\s+.*\d.*$"  # the end of "May 1, 2024 - May 31, 2024"
_EPOCH_FLOOR = 19_000_101  # the smallest yyyymmdd date read (1900-01-01); epochs are larger


def fits(values: pa.Array | pa.ChunkedArray, kind: str, *, unique: bool = False,
         share: float = _SHARE, hint: bool = False) -> bool:
    """True when most sampled values of ``values`` can be read as ``kind`` (``"id"``, ``"text"``,
    ``"datetime"``, ``"number"``, ``"integer"`` or ``"bool"``); empty columns fit anything.

    ``share`` is the part of the values that must read as ``kind`` (the loader's alias check
    uses 1/2: a few bad values are reported row by row, not a reason to ignore the column).
    ``unique=True`` (a record's own id) also asks the sampled values to be distinct: an hour of
    the day or a weekday repeats and is no post id.
    ``hint=True`` is the stricter reading for a suggestion to the user: no measured amounts
    (counts, money) offered as a text field or an id (see :func:`_measure`).
    """
    arr = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    arr = pc.drop_null(arr)[:_SAMPLE]
    if unique and len(arr) > 1 and len(pc.unique(arr)) < len(arr):
        return False
    if hint and kind in ("text", "id") and len(arr) and _measure(arr, kind, share):
        return False
    if len(arr) == 0 or kind == "text":
        return True
    typ = arr.type
    if pa.types.is_boolean(typ):
        return kind == "bool"
    if pa.types.is_timestamp(typ) or pa.types.is_date(typ):
        return kind == "datetime"
    if pa.types.is_integer(typ) or pa.types.is_floating(typ) or pa.types.is_decimal(typ):
        if kind == "datetime":  # yyyymmdd, yyyymmddhh or a Unix epoch; not an hour or a weekday
            return _share(share, sum(v >= _EPOCH_FLOOR for v in arr.to_pylist()), len(arr))
        return kind in ("number", "integer", "id", "bool") and (
            kind != "bool" or set(arr.to_pylist()) <= {0, 1})
    text = [t for t in (str(v).strip() for v in arr.to_pylist()) if t]  # blank cells: missing
    if not text:
        return True
    if kind == "datetime" and all(t.isdigit() for t in text):
        return _share(share, sum(int(t) >= _EPOCH_FLOOR for t in text), len(text))
    lowered = {t.lower() for t in text}
    if kind == "bool":  # the words the loader reads as yes / no (roi_kit.io.cells)
        return lowered <= _YES_NO
    if kind == "id":
        return not lowered <= _BOOL_WORDS
    if kind in ("number", "integer"):
        from roi_kit.io.numbers import parse_numbers

        parsed = parse_numbers(pa.array(text))
        return _share(share, len(text) - parsed.values.null_count, len(text))
    if kind == "datetime":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            starts = pd.Series(text).str.replace(_RANGE_END, "", regex=True)  # ranges: the start
            dates = pd.to_datetime(starts, errors="coerce", format="mixed")
        digits = pd.Series([any(c.isdigit() for c in t) for t in text])  # not "Monday", "Jan"
        return _share(share, int((dates.notna() & digits).sum()), len(text))
    return True


def _measure(arr: pa.Array, kind: str, share: float) -> bool:
    """Do the values read as measured amounts (counts, money, rates) rather than labels or ids?

    Every value counts as a label to the loose check (anything can be text), which is right when
    an alias names the column but not when a hint picks a column for a text field by its name
    alone (``Key events`` offered as ``event``). For a text field, any numbers are measures; for
    an id, numbers written as amounts (``1,050``, ``$700.00``, ``45.00%``, ``2.5``) are.
    """
    typ = arr.type
    if pa.types.is_integer(typ) or pa.types.is_decimal(typ):
        return kind == "text"
    if pa.types.is_floating(typ):
        return kind == "text" or any(v != int(v) for v in arr.to_pylist() if v == v)
    if not is_text(arr):
        return False
    text = [t for t in (str(v).strip() for v in arr.to_pylist()) if t]
    if kind == "id":
        text = [t for t in text if not t.isdigit()]  # plain digits may well be ids
        if not text or any(c.isalpha() for t in text for c in t):
            return False
    from roi_kit.io.numbers import parse_numbers

    parsed = parse_numbers(pa.array(text))
    return bool(text) and _share(share, len(text) - parsed.values.null_count, len(text))


def _share(share: float, good: int, total: int) -> bool:
    return total == 0 or good / total >= share
