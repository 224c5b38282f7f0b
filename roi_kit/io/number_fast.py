"""Decimal-comma amounts read straight from their bytes: the fast path of the number parser.

European exports write money the same way in every row: ``1.234,56 €``, ``-12,00 €``,
``980,10`` — an optional minus, digits with ``.`` or spaces between them, a comma, exactly two
decimals, then one suffix shared by every value (a currency symbol or code, spaces).
:func:`comma_amounts` turns such a column into floats with a few numpy passes over the arrow
buffers (no string copies, no per-row Python) and returns None as soon as one value has another
shape. The general route of :mod:`roi_kit.io.number_text` then cleans and parses the column as
before, so this path decides the speed, never the result: every value it accepts reads the same
on the general route (separators dropped, the comma read as the decimal point) and votes there for
a decimal comma, as it does here.

Exact: the digits are summed as an integer number of cents (at most 15 digits, below 2**53) and
divided by 100 once, which rounds to the same double as parsing the decimal text.

Examples
--------
>>> import pyarrow as pa
>>> comma_amounts(pa.array(["1.234,56 €", "-7,00 €", None, "12 345,10 €"]), " €").to_pylist()
[1234.56, -7.0, None, 12345.1]
>>> comma_amounts(pa.array(["1.234,56 €", "1.234,5 €"]), " €") is None  # one decimal: general route
True
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

__all__ = ["comma_amounts"]

_MAX_DIGITS = 13
"""Integer digits accepted: 13 + 2 decimals stay below 2**53, so the cents are exact."""
_MAX_WIDTH = 40
"""Bytes before the comma accepted (digits and separators); longer values take the general route."""
_CLASS = np.full(256, 11, dtype=np.uint8)
_CLASS[48:58] = np.arange(10)
_CLASS[[ord("."), ord(" ")]] = 10
"""Byte classes: the digit's value for ``0``-``9``, 10 for the separators ``.`` and space, 11 else."""


def comma_amounts(text: pa.Array, suffix: str) -> pa.Array | None:
    """Float64 of every value of ``text`` written ``[-]1.234,56<suffix>``, or None.

    ``text`` is a utf8 (or large utf8) array; nulls stay null. Between the digits before the
    comma only ``.`` and spaces may occur (thousands separators, dropped whatever their
    grouping, as the general route drops them); the suffix must end every value.
    """
    n = len(text)
    if n == 0 or text.null_count == n or not (pa.types.is_string(text.type)
                                               or pa.types.is_large_string(text.type)):
        return None
    off_buf, data_buf = text.buffers()[1:3]
    if data_buf is None:
        return None
    kind = np.int64 if pa.types.is_large_string(text.type) else np.int32
    offsets = np.frombuffer(off_buf, dtype=kind)[text.offset:text.offset + n + 1].astype(np.int64)
    data = np.frombuffer(data_buf, dtype=np.uint8)
    valid = None
    if text.null_count:
        valid = np.asarray(text.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
        starts, ends = offsets[:-1][valid], offsets[1:][valid]
    else:
        starts, ends = offsets[:-1], offsets[1:]
    tail = suffix.encode("utf-8")
    k = len(tail)
    if int((ends - starts).min()) < k + 4:  # at least "0,00" and the suffix
        return None
    for j, byte in enumerate(reversed(tail), start=1):
        if not (data[ends - j] == byte).all():
            return None
    comma = ends - (k + 3)
    if not (data[comma] == 44).all():  # ","
        return None
    tens, units = _CLASS[data[comma + 1]], _CLASS[data[comma + 2]]
    if int(tens.max()) > 9 or int(units.max()) > 9:
        return None
    neg = data[starts] == 45  # "-"
    width = (comma - starts - neg).astype(np.int16)  # _MAX_WIDTH fits
    if int(width.min()) < 1 or int(width.max()) > _MAX_WIDTH:
        return None
    whole = _whole(data, comma, width)
    if whole is None:
        return None
    cents = whole * 100 + tens.astype(np.int64) * 10 + units
    values = cents / 100.0
    np.negative(values, out=values, where=neg)  # "-0,00" gives -0.0, as parsing "-0.00" does
    if valid is None:
        return pa.array(values, type=pa.float64())
    out = np.zeros(n, dtype=np.float64)
    out[valid] = values
    return pa.array(out, type=pa.float64(), mask=~valid)


def _whole(data: np.ndarray, comma: np.ndarray, width: np.ndarray) -> np.ndarray | None:
    """The integer before each comma (``width`` bytes of digits and separators), or None when a
    byte is something else, a value has no digit or more than :data:`_MAX_DIGITS`.

    Right to left, the p-th byte before every comma: the values are visited longest first so
    that the values still having a p-th byte are a prefix (no masks, no wasted gathers).
    """
    order = np.argsort(-width, kind="stable")
    comma_s = comma[order]
    longest_first = width[order]
    # values with at least p bytes: the first reach[p - 1] of the order
    reach = np.searchsorted(-longest_first, -np.arange(1, int(longest_first[0]) + 1), side="right")
    whole = np.zeros(len(order), dtype=np.int64)
    place = np.ones(len(order), dtype=np.int64)
    for p, m in enumerate(reach.tolist(), start=1):
        cls = _CLASS[data[comma_s[:m] - p]]
        if int(cls.max()) > 10:
            return None
        digit = cls < 10
        head = place[:m]
        whole[:m] += np.where(digit, cls, 0) * head
        np.multiply(head, 10, out=head, where=digit)
        if p >= _MAX_DIGITS and int(head.max()) > 10**_MAX_DIGITS:
            return None
    if int(place.min()) == 1:  # a value without a digit before its comma (".,50")
        return None
    out = np.empty_like(whole)
    out[order] = whole
    return out
