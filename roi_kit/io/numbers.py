"""Numbers as spreadsheets and exports write them: money, thousands separators, percentages.

Numbers accept currency symbols and codes (``€1.234,56``, ``$1,234.56``, ``1 234,56 kr``),
thousands separators (``,`` ``.`` space, apostrophe), a decimal comma or point, accounting
negatives ``(12.50)``, the Unicode minus and percent strings (``12.5%`` becomes ``0.125``).
Which character is the decimal separator is decided from the evidence of the whole column
(:func:`decimal_evidence`); values such as ``1,234`` that fit both readings follow that evidence.

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
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from roi_kit.io.cells import (
    PLACEHOLDER,
    Parsed,
    _clean_missing,
    _distinct,
    _expand,
    _mask,
    _strings,
)

__all__ = ["Decimal", "PreparedNumbers", "decimal_evidence", "parse_numbers", "prepare_numbers"]

Decimal = Literal[".", ","]

_NUMBER = r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$"
_CURRENCIES = {
    "US$": "USD", "C$": "CAD", "A$": "AUD", "R$": "BRL", "kr.": "kr", "Fr.": "CHF", "€": "EUR",
    "$": "USD", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW", "kr": "kr", "Kr": "kr", "KR": "kr",
    "zł": "PLN", "Kč": "CZK", "eur": "EUR", "Eur": "EUR", "usd": "USD",
    **{c: c for c in ("EUR", "USD", "GBP", "SEK", "NOK", "DKK", "CHF", "JPY", "CAD", "AUD", "PLN",
                      "CZK", "INR", "BRL", "ISK")},
}
"""Currency symbols and codes stripped from numbers (longest first), and what they stand for."""
_SYMBOLS = tuple(sorted(_CURRENCIES, key=len, reverse=True))
_SPACES = (" ", "\u00a0", "\u202f", "\u2009", "'", "\t")


@dataclass(frozen=True)
class _NumberText:
    """Numeric text with currency, spaces, %, brackets removed, and per-value separator facts."""

    core: pa.Array
    present: np.ndarray
    placeholder: np.ndarray
    pct: np.ndarray
    neg: np.ndarray
    comma_vote: np.ndarray
    dot_vote: np.ndarray
    ambiguous: np.ndarray
    symbols: tuple[str, ...]


def _drop_ascii(text: pa.Array, drop: bytes, swap: tuple[int, int] | None = None) -> pa.Array:
    """``text`` without the ASCII characters in ``drop`` (and ``swap=(a, b)`` turning a into b).

    Works on the bytes (an ASCII byte never occurs inside a multi-byte UTF-8 character), a few
    times faster than ``replace_substring`` once per character, with the same type and nulls.

    Examples
    --------
    >>> _drop_ascii(pa.array(["1.234,5 €", None]), b".", swap=(44, 46)).to_pylist()
    ['1234.5 €', None]
    """
    wide = pa.types.is_large_string(text.type)
    kind: type[np.signedinteger[Any]] = np.int64 if wide else np.int32
    validity, off_buf, data_buf = text.buffers()
    offsets: npt.NDArray[np.signedinteger[Any]] = np.frombuffer(off_buf, dtype=kind)[
        text.offset:text.offset + len(text) + 1].copy()
    base = int(offsets[0]) if len(offsets) else 0
    end = int(offsets[-1]) if len(offsets) else 0
    data = (np.frombuffer(data_buf, dtype=np.uint8)[base:end] if data_buf is not None
            else np.zeros(0, dtype=np.uint8))
    if base:
        offsets -= base
    gone = np.zeros(len(data), dtype=bool)
    run: list[int] = []
    for byte in [*sorted(set(drop)), 256]:  # runs of consecutive bytes (digits) as one range test
        if run and byte == run[-1] + 1:
            run.append(byte)
            continue
        if len(run) > 2:
            gone |= (data - np.uint8(run[0])) <= np.uint8(len(run) - 1)  # wraps below run[0]
        for b in run if len(run) <= 2 else ():
            gone |= data == b
        run = [byte]
    # bytes dropped before each offset (a running count), so each value loses the difference
    before = np.zeros(len(data) + 1, dtype=kind)
    np.cumsum(gone, out=before[1:])
    offsets -= before[offsets]  # offsets[0] is 0: the new offsets, in place
    del before
    np.logical_not(gone, out=gone)
    data = data[gone]  # a new array: safe to edit in place
    del gone
    if swap is not None:
        data[data == swap[0]] = swap[1]
    out = pa.Array.from_buffers(text.type, len(text), [
        None, pa.py_buffer(offsets), pa.py_buffer(data)])
    if validity is not None and text.null_count:
        out = pc.if_else(text.is_valid(), out, pa.scalar(None, text.type))
    return out


def _residues(text: pa.Array) -> list[str]:
    """Distinct texts left once digits, ``.`` and ``,`` are removed (``" €"``, ``"kr"``, ``"$("``).

    The same as ``unique(replace_substring_regex(text, "[0-9.,]+", ""))`` without nulls, about
    five times faster than the regex on a million amounts.

    Examples
    --------
    >>> sorted(_residues(pa.array(["1.234,56 €", "7 €", None, "12", "US$3"])))
    ['', ' €', 'US$']
    """
    if len(text) == 0 or text.null_count == len(text):
        return []
    return list(pc.unique(_drop_ascii(text, b"0123456789.,")).drop_null().to_pylist())


def _strip(text: pa.Array, residue: list[str]) -> tuple[pa.Array, list[str]]:
    """Remove the currency symbols and spaces the residues show (and turn "−" into "-")."""
    symbols: list[str] = []
    if any("−" in r for r in residue):
        text = pc.replace_substring(text, "−", "-")
    for sym in _SYMBOLS:  # longest first, so "US$" goes before "$"
        # residues have lost their dots: "kr." shows as "kr" there; strip "kr." from the
        # text first and leave "kr" in the residue for values written without the dot
        probe = sym.rstrip(".")
        if any(probe in r for r in residue):
            symbols.append(sym)
            text = pc.replace_substring(text, sym, "")
            if probe == sym:
                residue = [r.replace(sym, "") for r in residue]
    ascii_junk = bytes(ord(j) for j in _SPACES if len(j.encode()) == 1 and any(j in r for r in residue))
    if ascii_junk:
        text = _drop_ascii(text, ascii_junk)
    for junk in _SPACES:
        if len(junk.encode()) > 1 and any(junk in r for r in residue):
            text = pc.replace_substring(text, junk, "")
    return text, symbols


def _number_text(arr: pa.Array) -> _NumberText:
    text, placeholder = _clean_missing(_strings(arr))
    # What is left once digits and separators are removed: a handful of distinct residues
    # (" €", "kr", "%", "$(" ...) tell which symbols to strip, without scanning for each one.
    residue = _residues(text)
    symbols: list[str] = []
    if len(residue) == 1 and residue[0] and "−" not in residue[0]:
        # one residue R (every value is "1.234,56 €"-like): when stripping removes all of R and
        # every value ends with it, each value is its number text followed by R — cut R off
        tail = residue[0]
        rest, symbols = _strip(pa.array([tail], text.type), residue)
        if rest[0].as_py() == "" and pc.all(pc.ends_with(text, tail)).as_py() is not False:
            text = pc.utf8_slice_codeunits(text, 0, -len(tail))
        else:
            text, symbols = _strip(text, residue)
    elif any(residue):
        text, symbols = _strip(text, residue)
    pct = _mask(pc.ends_with(text, "%"))
    if pct.any():
        text = pc.replace_substring(text, "%", "")
    neg = _mask(pc.and_(pc.starts_with(text, "("), pc.ends_with(text, ")")))
    if neg.any():
        text = pc.if_else(pa.array(neg), pc.utf8_trim(text, "()"), text)
    bare = pc.utf8_ltrim(text, "-+")
    n_comma = np.asarray(pc.fill_null(pc.count_substring(bare, ","), 0).to_numpy(zero_copy_only=False))
    n_dot = np.asarray(pc.fill_null(pc.count_substring(bare, "."), 0).to_numpy(zero_copy_only=False))
    length = np.asarray(pc.fill_null(pc.utf8_length(bare), 0).to_numpy(zero_copy_only=False))
    comma_at = np.asarray(pc.fill_null(pc.find_substring(bare, ","), -1).to_numpy(zero_copy_only=False))
    dot_at = np.asarray(pc.fill_null(pc.find_substring(bare, "."), -1).to_numpy(zero_copy_only=False))
    only_comma, only_dot, both = (n_comma > 0) & (n_dot == 0), (n_dot > 0) & (n_comma == 0), (n_comma > 0) & (n_dot > 0)
    if both.any():
        # the first positions decide when the first separator occurs once ("1.234,56": the one
        # comma after the first dot is last; "1,234.56" likewise); only the rest ("1.234.567,8")
        # need the last positions, read from the reversed text of those values alone
        comma_last = comma_at > dot_at
        unsure = np.flatnonzero(both & ~(((n_comma == 1) & (comma_at < dot_at)) | ((n_dot == 1) & (dot_at < comma_at))))
        if unsure.size:
            rev = pc.utf8_reverse(bare.take(pa.array(unsure)))
            rc = np.asarray(pc.fill_null(pc.find_substring(rev, ","), -1).to_numpy(zero_copy_only=False))
            rd = np.asarray(pc.fill_null(pc.find_substring(rev, "."), -1).to_numpy(zero_copy_only=False))
            comma_last[unsure] = rc < rd
    else:
        comma_last = np.zeros(len(bare), dtype=bool)
    amb_comma = only_comma & (n_comma == 1) & (comma_at >= 1) & (comma_at <= 3) & (length - comma_at == 4)
    amb_dot = only_dot & (n_dot == 1) & (dot_at >= 1) & (dot_at <= 3) & (length - dot_at == 4)
    comma_vote = (both & comma_last) | (only_comma & (n_comma == 1) & ~amb_comma) | (only_dot & (n_dot > 1))
    dot_vote = (both & ~comma_last) | (only_dot & (n_dot == 1) & ~amb_dot) | (only_comma & (n_comma > 1))
    return _NumberText(text, _mask(pc.is_valid(text)), placeholder, pct, neg, comma_vote, dot_vote,
                       amb_comma | amb_dot, tuple(symbols))


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
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
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
    currencies = {_CURRENCIES[s] for s in nt.symbols}
    if len(currencies) > 1:
        notes.append("mixed currencies (" + ", ".join(sorted(currencies))
                     + ") were not converted; amounts are taken at face value")
    return Parsed(nums, problems, tuple(notes))
