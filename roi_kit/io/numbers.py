"""Numbers as spreadsheets and exports write them: money, thousands separators, percentages.

Numbers accept currency symbols and codes (``€1.234,56``, ``$1,234.56``, ``1 234,56 kr``),
thousands separators (``,`` ``.`` space, apostrophe), a decimal comma or point, accounting
negatives ``(12.50)``, the Unicode minus and percent strings (``12.5%`` becomes ``0.125``).
Which character is the decimal separator is decided from the evidence of the whole column
(:func:`decimal_evidence`); values such as ``1,234`` that fit both readings follow that evidence.
The text is cleaned once by :mod:`roi_kit.io.number_text`; this module decides and parses.

Examples
--------
>>> import pyarrow as pa
>>> p = parse_numbers(pa.array(["€1.234,56", "12,5 %", "(3,00)", "n/a", "abc"]), decimal=",")
>>> p.values.to_pylist()
[1234.56, 0.125, -3.0, None, None]
>>> {k: v.tolist() for k, v in p.problems.items()}  # doctest: +NORMALIZE_WHITESPACE
{'missing-value placeholder': [False, False, False, True, False],
 'not a number': [False, False, False, False, True]}
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from roi_kit.io.cells import (
    PLACEHOLDER,
    Parsed,
    _distinct,
    _expand,
    _mask,
    _strings,
    is_text,
)
from roi_kit.io.number_text import _CURRENCIES, _drop_ascii, _number_text, _NumberText

__all__ = ["Decimal", "PreparedNumbers", "decimal_evidence", "parse_numbers", "prepare_numbers"]

Decimal = Literal[".", ","]

_NUMBER = r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$"

def decimal_evidence(values: pa.Array | pa.ChunkedArray) -> tuple[int, int]:
    """Count values that prove a decimal comma and values that prove a decimal point.

    ``1.234,5`` or ``12,5`` prove a decimal comma; ``1,234.5``, ``1,234,567`` or ``12.5`` prove
    a decimal point; ``1,234`` and ``1.234`` prove nothing (thousands or three decimals).

    Examples
    --------
    >>> import pyarrow as pa
    >>> decimal_evidence(pa.array(["1.234,50", "7,5", "1.000", "3"]))
    (2, 0)
    """
    prepared = prepare_numbers(values)
    return (0, 0) if prepared is None else prepared.evidence()


@dataclass(frozen=True)
class PreparedNumbers:
    """A text number column cleaned once (see :func:`prepare_numbers`), reusable for evidence
    and parsing; ``codes`` maps rows to distinct values when the column repeats itself."""

    text: _NumberText
    codes: pa.Array | None
    counts: np.ndarray | None

    def evidence(self) -> tuple[int, int]:
        """(values proving a decimal comma, values proving a decimal point)."""
        if self.counts is None:
            return int(self.text.comma_vote.sum()), int(self.text.dot_vote.sum())
        return (int(self.counts[self.text.comma_vote].sum()),
                int(self.counts[self.text.dot_vote].sum()))


def prepare_numbers(values: pa.Array | pa.ChunkedArray) -> PreparedNumbers | None:
    """Clean a text number column once (None for columns that are not text)."""
    arr = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    if not is_text(arr):
        return None
    distinct = _distinct(arr)
    if distinct is None:
        return PreparedNumbers(_number_text(arr), None, None)
    uniq, codes = distinct
    counts = np.bincount(np.asarray(pc.fill_null(codes, len(uniq)).to_numpy(zero_copy_only=False)),
                         minlength=len(uniq) + 1)[: len(uniq)]
    return PreparedNumbers(_number_text(uniq), codes, counts)


def parse_numbers(values: pa.Array | pa.ChunkedArray | PreparedNumbers, *,
                  decimal: Decimal | None = None, integer: bool = False) -> Parsed:
    """Parse a column of numbers written the way spreadsheets and exports write them.

    Parameters
    ----------
    values
        Text (or already numeric) values, or a column prepared by :func:`prepare_numbers`.
    decimal
        The decimal separator. ``None`` decides from the column's own evidence; values that
        cannot decide (``1,234``) are then read with ``,`` as the thousands separator and a note
        says so.
    integer
        Whole-number counts: non-integral values are reported as ``not a whole number``.

    Examples
    --------
    >>> import pyarrow as pa
    >>> parse_numbers(pa.array(["$1,234.56", "1 234,56 kr", "50%"])).values.to_pylist()
    [1234.56, 1234.56, 0.5]
    >>> parse_numbers(pa.array(["1 234,56 kr", "2,5"])).values.to_pylist()
    [1234.56, 2.5]
    """
    if isinstance(values, PreparedNumbers):
        prepared: PreparedNumbers | None = values
    else:
        arr = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
        if (pa.types.is_integer(arr.type) or pa.types.is_floating(arr.type)
                or pa.types.is_decimal(arr.type) or pa.types.is_boolean(arr.type)):
            return _whole(Parsed(pc.cast(arr, pa.float64())), integer)
        prepared = prepare_numbers(_strings(arr))
    assert prepared is not None
    if decimal is None:
        comma, dot = prepared.evidence()
        decimal = "," if comma > dot else None
    parsed = _parse_number_text(prepared.text, decimal)
    if prepared.codes is not None:
        parsed = _expand(parsed, prepared.codes)
    return _whole(parsed, integer)


def _whole(parsed: Parsed, integer: bool) -> Parsed:
    if not integer:
        return parsed
    out = parsed.values
    frac = _mask(pc.not_equal(pc.floor(out), out))
    if not frac.any():
        return parsed
    out = pc.if_else(pa.array(frac), pa.scalar(None, pa.float64()), out)
    return Parsed(out, {**parsed.problems, "not a whole number": frac}, parsed.notes)


def _cast(core: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """Floats of number text, and which values were numbers."""
    try:
        return pc.cast(core, pa.float64()), _mask(pc.is_valid(core))
    except pa.ArrowInvalid:
        valid = _mask(pc.match_substring_regex(core, _NUMBER))
        nums = pc.cast(pc.if_else(pa.array(valid), core, pa.scalar(None, core.type)), pa.float64())
        return nums, valid


def _parse_number_text(nt: _NumberText, decimal: Decimal | None) -> Parsed:
    notes: list[str] = []
    problems: dict[str, np.ndarray] = {}
    if nt.placeholder.any():
        problems[PLACEHOLDER] = nt.placeholder
    chosen: Decimal = decimal or ("," if nt.comma_vote.sum() > nt.dot_vote.sum() else ".")
    if decimal is None and chosen == "." and not nt.comma_vote.any() and not nt.dot_vote.any() \
            and nt.ambiguous.any():
        notes.append("values like '1,234' were read with ',' as the thousands separator "
                     "(no value proved a decimal comma); pass decimal=',' if it is one")
    if nt.comma_values is not None:
        if chosen == ",":  # the fast path read every value (number_fast): nothing else to decide
            return Parsed(nt.comma_values, problems, _currency_notes(nt.symbols))
        nt = nt.general  # read with a decimal point: each value is decided on the general route
    wrong = (nt.dot_vote if chosen == "," else nt.comma_vote) & nt.present
    core = nt.core
    if chosen == ",":
        core = _drop_ascii(core, b".", swap=(ord(","), ord(".")))
    else:
        core = _drop_ascii(core, b",")
    nums, valid = _cast(core)
    if wrong.any():
        # "12,5" in a column of "30.25": only one reading exists, so take it (and say so)
        other = (_drop_ascii(nt.core, b",") if chosen == "," else
                 _drop_ascii(nt.core, b".", swap=(ord(","), ord("."))))
        other_nums, other_valid = _cast(other)
        nums = pc.if_else(pa.array(wrong & other_valid), other_nums, nums)
        valid = (valid & ~wrong) | (wrong & other_valid)
        sep = "decimal point" if chosen == "," else "decimal comma"
        problems[f"read with a {sep}, unlike the rest of the column"] = wrong & other_valid
    bad = nt.present & ~valid
    if bad.any():
        problems["not a number"] = bad
    if bad.any():
        nums = pc.if_else(pa.array(bad), pa.scalar(None, pa.float64()), nums)
    if nt.neg.any():
        nums = pc.if_else(pa.array(nt.neg), pc.negate(nums), nums)
    if nt.pct.any():
        nums = pc.if_else(pa.array(nt.pct), pc.divide(nums, 100.0), nums)
        notes.append("percent values were divided by 100 (12.5% → 0.125)")
    return Parsed(nums, problems, (*notes, *_currency_notes(nt.symbols)))


def _currency_notes(symbols: tuple[str, ...]) -> tuple[str, ...]:
    currencies = {_CURRENCIES[s] for s in symbols}
    if len(currencies) < 2:
        return ()
    return ("mixed currencies (" + ", ".join(sorted(currencies))
            + ") were not converted; amounts are taken at face value",)
