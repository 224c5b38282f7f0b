"""Vectorised parsing of messy text columns: numbers, money, percentages, dates and yes/no flags.

Every parser works on a whole column at once (pyarrow compute kernels, no Python loop per row)
and returns a :class:`Parsed`: the converted values, a mask per problem for the values that could
not be converted (missing input is *not* a problem), and column-level notes for the report.

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

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from roi_kit.errors import InputError

__all__ = [
    "NULL_TOKENS",
    "AmbiguousDateError",
    "DateEvidence",
    "Parsed",
    "PreparedNumbers",
    "date_evidence",
    "decimal_evidence",
    "parse_bools",
    "parse_dates",
    "parse_numbers",
    "prepare_numbers",
]

Decimal = Literal[".", ","]

NULL_TOKENS: tuple[str, ...] = (
    "", "na", "n/a", "nan", "null", "none", "nat", "-", "--", "—", "#n/a", "(blank)",
)
"""Cell texts read as a missing value (compared case-insensitively after trimming)."""

TRUE_TOKENS = ("true", "t", "yes", "y", "1", "1.0", "x", "ja", "oui", "si", "sí", "paid",
               "boosted", "promoted", "sponsored", "wahr", "vrai")
FALSE_TOKENS = ("false", "f", "no", "n", "0", "0.0", "nein", "non", "organic", "not boosted",
                "falsch", "faux")

_NUMBER = r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$"
_DMY = (r"^(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})[./-](?P<y>\d{4}|\d{2})"
        r"(?:[ T,]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?(?:[.,]\d+)?\s*(?P<p>[AaPp]\.?[Mm]\.?)?)?$")
_YMD_SLASH = (r"^(?P<y>\d{4})[./](?P<b>\d{1,2})[./](?P<a>\d{1,2})"
              r"(?:[ T,]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?(?:[.,]\d+)?)?$")
_ISO = (r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}([.,]\d+)?)?)?"
        r"\s*(Z|UTC|[+-]\d{2}:?\d{2})?$")
_TZ = r"(Z|UTC|[+-]\d{2}:?\d{2})$"


class AmbiguousDateError(InputError):
    """Day-first and month-first readings of a date column cannot be told apart, or contradict."""


@dataclass(frozen=True)
class Parsed:
    """Result of parsing one column.

    Parameters
    ----------
    values
        Converted values (float64, timestamp[us] naive UTC or bool); invalid inputs are null.
    problems
        ``{problem text: boolean mask}`` of the values that were present but could not be used.
    notes
        Column-level notes for the report (conventions chosen, conversions made).
    """

    values: pa.Array
    problems: dict[str, np.ndarray] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def _strings(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One contiguous utf8 array (string views and large strings are cast)."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        values = pc.cast(values, pa.large_string() if pa.types.is_large_string(values.type)
                         else pa.string())
    return values


def _mask(values: pa.Array) -> np.ndarray:
    """Boolean numpy mask from an arrow boolean array (null counts as False)."""
    return np.asarray(pc.fill_null(values, False).to_numpy(zero_copy_only=False), dtype=bool)


PLACEHOLDER = "missing-value placeholder"
"""Problem text for cells such as ``n/a`` or ``-`` that stand for a missing value."""


def _clean_missing(text: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """Trim whitespace and turn the usual missing-value tokens into nulls.

    Returns the cleaned text and the mask of non-empty placeholders (``n/a``, ``-`` ...), which
    are reported rather than dropped silently.
    """
    text = pc.utf8_trim_whitespace(text)
    missing = pc.is_in(pc.utf8_lower(text), value_set=pa.array(NULL_TOKENS))
    placeholder = _mask(pc.and_(missing, pc.not_equal(text, "")))
    return pc.if_else(missing, pa.scalar(None, text.type), text), placeholder


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


def _distinct(arr: pa.Array) -> tuple[pa.Array, pa.Array] | None:
    """(distinct values, codes) when a column repeats values enough to parse them once each."""
    if len(arr) < 1000:
        return None
    head = arr.slice(0, 20_000)
    if len(pc.unique(head)) > len(head) // 4:  # mostly distinct: encoding would not pay
        return None
    enc = pc.dictionary_encode(arr)
    if len(enc.dictionary) > len(arr) // 2:
        return None
    return enc.dictionary, enc.indices


def _expand(parsed: Parsed, codes: pa.Array) -> Parsed:
    """Map a :class:`Parsed` of distinct values back onto the rows (``codes`` index them)."""
    idx = np.asarray(pc.fill_null(codes, -1).to_numpy(zero_copy_only=False))
    valid = idx >= 0
    safe = np.where(valid, idx, 0)
    problems = {k: m[safe] & valid for k, m in parsed.problems.items()}
    return Parsed(parsed.values.take(codes), problems, parsed.notes)


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


def _number_text(arr: pa.Array) -> _NumberText:
    text, placeholder = _clean_missing(_strings(arr))
    # What is left once digits and separators are removed: a handful of distinct residues
    # (" €", "kr", "%", "$(" ...) tell which symbols to strip, without scanning for each one.
    residue = pc.unique(pc.replace_substring_regex(text, r"[0-9.,]+", "")).drop_null().to_pylist()
    symbols: list[str] = []
    if any(residue):
        text = pc.replace_substring(text, "−", "-")
        for sym in _SYMBOLS:  # longest first, so "US$" goes before "$"
            if any(sym in r for r in residue):
                symbols.append(sym)
                text = pc.replace_substring(text, sym, "")
                residue = [r.replace(sym, "") for r in residue]
        for junk in _SPACES:
            if any(junk in r for r in residue):
                text = pc.replace_substring(text, junk, "")
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
        rev = pc.utf8_reverse(bare)
        rc = np.asarray(pc.fill_null(pc.find_substring(rev, ","), -1).to_numpy(zero_copy_only=False))
        rd = np.asarray(pc.fill_null(pc.find_substring(rev, "."), -1).to_numpy(zero_copy_only=False))
        comma_last = rc < rd
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
    [1234.56, None, 0.5]
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
        core = pc.replace_substring(pc.replace_substring(core, ".", ""), ",", ".")
    else:
        core = pc.replace_substring(core, ",", "")
    try:
        nums = pc.cast(core, pa.float64())
        valid = nt.present.copy()
    except pa.ArrowInvalid:
        valid = _mask(pc.match_substring_regex(core, _NUMBER))
        nums = pc.cast(pc.if_else(pa.array(valid), core, pa.scalar(None, core.type)), pa.float64())
    valid &= ~wrong
    bad = nt.present & ~valid
    if wrong.any():
        sep = "decimal point" if chosen == "," else "decimal comma"
        problems[f"uses a {sep}, unlike the rest of the column"] = wrong
    if (bad & ~wrong).any():
        problems["not a number"] = bad & ~wrong
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


@dataclass(frozen=True)
class DateEvidence:
    """What a date column says about day-first versus month-first order.

    ``day_rows`` / ``month_rows`` are positions whose first / second number is above 12 (so they
    can only be day-first / month-first); ``numeric`` counts values written as numbers with
    separators (``05/03/2024``), ``dotted`` whether all of those use dots (German style).
    """

    day_rows: np.ndarray
    month_rows: np.ndarray
    numeric: int
    dotted: bool

    @property
    def decides(self) -> bool | None:
        """True = day-first, False = month-first, None = undecided or contradictory."""
        if len(self.day_rows) and not len(self.month_rows):
            return True
        if len(self.month_rows) and not len(self.day_rows):
            return False
        return None


def _numeric_parts(text: pa.Array) -> pa.StructArray:
    return pc.extract_regex(text, _DMY)


def _int_field(parts: pa.Array, name: str) -> np.ndarray:
    raw = pc.struct_field(parts, name)
    raw = pc.if_else(pc.equal(raw, ""), pa.scalar(None, pa.string()), raw)
    return np.asarray(pc.fill_null(pc.cast(raw, pa.int64()), -1).to_numpy(zero_copy_only=False))


def date_evidence(values: pa.Array | pa.ChunkedArray) -> DateEvidence:
    """Look at every value of a text date column for proof of day-first or month-first order.

    Examples
    --------
    >>> import pyarrow as pa
    >>> ev = date_evidence(pa.array(["05/03/2024", "31/03/2024", None]))
    >>> ev.decides, ev.day_rows.tolist()
    (True, [1])
    """
    arr = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        return DateEvidence(np.empty(0, np.int64), np.empty(0, np.int64), 0, False)
    distinct = _distinct(_strings(arr))
    if distinct is not None:
        uniq, codes = distinct
        ev = date_evidence(uniq)
        idx = np.asarray(pc.fill_null(codes, -1).to_numpy(zero_copy_only=False))
        flags = np.zeros((3, len(uniq) + 1), dtype=bool)
        flags[0, ev.day_rows] = flags[1, ev.month_rows] = True
        parts = _numeric_parts(pc.utf8_trim_whitespace(uniq))
        flags[2, :len(uniq)] = _int_field(parts, "a") >= 0
        return DateEvidence(np.flatnonzero(flags[0][idx]), np.flatnonzero(flags[1][idx]),
                            int(flags[2][idx].sum()), ev.dotted)
    text = pc.utf8_trim_whitespace(_strings(arr))
    parts = _numeric_parts(text)
    a, b = _int_field(parts, "a"), _int_field(parts, "b")
    matched = a >= 0
    dots = _mask(pc.equal(pc.struct_field(parts, "sep"), "."))
    return DateEvidence(
        day_rows=np.flatnonzero(matched & (a > 12) & (b <= 12)),
        month_rows=np.flatnonzero(matched & (b > 12) & (a <= 12)),
        numeric=int(matched.sum()),
        dotted=bool(matched.any() and dots[matched].all()),
    )


def _from_parts(year: np.ndarray, month: np.ndarray, day: np.ndarray, hour: np.ndarray,
                minute: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Assemble datetime64[us] from integer parts; impossible dates become NaT."""
    frame = pd.DataFrame({"year": year, "month": month, "day": day, "hour": hour,
                          "minute": minute, "second": second})
    return np.asarray(pd.to_datetime(frame, errors="coerce").to_numpy(dtype="datetime64[us]"))


def parse_dates(values: pa.Array | pa.ChunkedArray, *, dayfirst: bool | None = None) -> Parsed:
    """Parse a date/time column into naive UTC ``timestamp[us]``.

    Understands ISO 8601 (with ``Z`` or offsets, which are converted to UTC and noted),
    ``DD/MM/YYYY`` or ``MM/DD/YYYY`` (also with ``.`` or ``-``, two-digit years, times and AM/PM),
    ``YYYY/MM/DD``, compact ``YYYYMMDD`` (GA4), month names (``Jan 5, 2024``) and, for integer
    columns, ``YYYYMMDD`` numbers or Unix epochs in s / ms / µs.

    Parameters
    ----------
    values
        The column.
    dayfirst
        Order of numeric dates. ``None`` decides from the column (see :func:`date_evidence`)
        and raises :class:`AmbiguousDateError` when it cannot.

    Examples
    --------
    >>> import pyarrow as pa
    >>> p = parse_dates(pa.array(["31/01/2024", "01/02/2024 14:30", "2024-02-03T10:00:00+01:00"]))
    >>> [str(v) for v in p.values.to_pylist()]
    ['2024-01-31 00:00:00', '2024-02-01 14:30:00', '2024-02-03 09:00:00']
    """
    arr = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    notes: list[str] = []
    if pa.types.is_timestamp(arr.type) or pa.types.is_date(arr.type):
        if pa.types.is_timestamp(arr.type) and arr.type.tz is not None:
            notes.append(f"times with time zone {arr.type.tz} were converted to naive UTC")
            arr = pc.cast(arr, pa.timestamp(arr.type.unit, tz="UTC")).cast(pa.timestamp(arr.type.unit))
        return Parsed(pc.cast(arr, pa.timestamp("us")), {}, tuple(notes))
    if pa.types.is_integer(arr.type) or pa.types.is_floating(arr.type):
        return _parse_numeric_dates(arr)
    distinct = _distinct(_strings(arr))
    if distinct is not None:
        uniq, codes = distinct
        return _expand(parse_dates(uniq, dayfirst=dayfirst), codes)
    text, placeholder = _clean_missing(_strings(arr))
    n = len(text)
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[us]")
    present = _mask(pc.is_valid(text))
    done = ~present
    problems: dict[str, np.ndarray] = {}

    iso = _mask(pc.match_substring_regex(text, _ISO)) & present
    if iso.any():
        sub = pd.Series(pc.filter(text, pa.array(iso)).to_numpy(zero_copy_only=False), dtype=object)
        parsed = pd.to_datetime(sub, format="ISO8601", utc=True, errors="coerce")
        out[iso] = parsed.dt.tz_localize(None).to_numpy(dtype="datetime64[us]")
        if _mask(pc.match_substring_regex(pc.filter(text, pa.array(iso)), _TZ)).any():
            notes.append("times with a UTC offset were converted to naive UTC")
        done |= iso
    compact = _mask(pc.match_substring_regex(text, r"^\d{8}(\d{2})?$")) & ~done
    if compact.any():
        sub = pd.Series(pc.filter(text, pa.array(compact)).to_numpy(zero_copy_only=False), dtype=object)
        eight = pd.to_datetime(sub.str.slice(0, 8), format="%Y%m%d", errors="coerce")
        hours = pd.to_numeric(sub.str.slice(8, 10).replace("", "0"), errors="coerce").fillna(0)
        out[compact] = (eight + pd.to_timedelta(hours, unit="h")).to_numpy(dtype="datetime64[us]")
        done |= compact
    parts = _numeric_parts(text)
    a = _int_field(parts, "a")
    numeric = (a >= 0) & ~done
    if numeric.any():
        b = _int_field(parts, "b")
        if dayfirst is None:
            ev = date_evidence(pc.if_else(pa.array(numeric), text, pa.scalar(None, text.type)))
            dayfirst = ev.decides
            if dayfirst is None:
                raise AmbiguousDateError("dates are ambiguous", hint="pass dayfirst=True or False")
        day, month = (a, b) if dayfirst else (b, a)
        out[numeric] = _assemble(parts, numeric, day, month)
        done |= numeric
    ymd = _mask(pc.match_substring_regex(text, _YMD_SLASH)) & ~done
    if ymd.any():
        p2 = pc.extract_regex(text, _YMD_SLASH)
        out[ymd] = _assemble(p2, ymd, _int_field(p2, "a"), _int_field(p2, "b"))
        done |= ymd
    rest = ~done
    if rest.any():
        sub = pc.filter(text, pa.array(rest))
        uniq = pc.unique(sub)
        parsed = pd.to_datetime(pd.Series(uniq.to_numpy(zero_copy_only=False), dtype=object),
                                format="mixed", utc=True, errors="coerce", dayfirst=bool(dayfirst))
        lookup = pc.index_in(sub, value_set=uniq).to_numpy(zero_copy_only=False)
        out[rest] = parsed.dt.tz_localize(None).to_numpy(dtype="datetime64[us]")[lookup]
    failed = present & np.isnat(out)
    if placeholder.any():
        problems[PLACEHOLDER] = placeholder
    if failed.any():
        if numeric.any() and (failed & numeric).any():
            order = "day" if dayfirst else "month"
            problems[f"not a date (read as {order}-first)"] = failed & numeric
        if (failed & ~numeric).any():
            problems["not a date"] = failed & ~numeric
    return Parsed(pa.array(out, type=pa.timestamp("us")), problems, tuple(notes))


def _assemble(parts: pa.StructArray, rows: np.ndarray, day: np.ndarray, month: np.ndarray) -> np.ndarray:
    year = _int_field(parts, "y")
    year = np.where((year >= 0) & (year < 100), np.where(year < 69, 2000 + year, 1900 + year), year)
    hour = np.maximum(_int_field(parts, "H"), 0)
    minute = np.maximum(_int_field(parts, "M"), 0)
    second = np.maximum(_int_field(parts, "S"), 0)
    if "p" in [parts.type.field(i).name for i in range(parts.type.num_fields)]:
        ampm = pc.utf8_lower(pc.struct_field(parts, "p"))
        pm = _mask(pc.starts_with(ampm, "p"))
        am = _mask(pc.starts_with(ampm, "a"))
        hour = np.where(pm & (hour < 12), hour + 12, np.where(am & (hour == 12), 0, hour))
    return _from_parts(year[rows], month[rows], day[rows], hour[rows], minute[rows], second[rows])


def _parse_numeric_dates(arr: pa.Array) -> Parsed:
    """Integer dates: YYYYMMDD(HH) numbers or Unix epochs (s, ms, µs)."""
    nums = np.asarray(pc.fill_null(pc.cast(arr, pa.float64()), np.nan).to_numpy(zero_copy_only=False))
    present = ~np.isnan(nums)
    out = np.full(len(nums), np.datetime64("NaT"), dtype="datetime64[us]")
    if not present.any():
        return Parsed(pa.array(out, type=pa.timestamp("us")))
    big = np.nanmax(np.abs(nums))
    if np.nanmin(nums) >= 19000101 and big <= 21001231:
        note = "numbers were read as YYYYMMDD dates"
        text = pd.Series(nums[present].astype(np.int64).astype(str))
        out[present] = pd.to_datetime(text, format="%Y%m%d", errors="coerce").to_numpy(dtype="datetime64[us]")
    elif np.nanmin(nums) >= 1900010100 and big <= 2100123123:
        note = "numbers were read as YYYYMMDDHH dates"
        text = pd.Series(nums[present].astype(np.int64).astype(str))
        out[present] = pd.to_datetime(text, format="%Y%m%d%H", errors="coerce").to_numpy(dtype="datetime64[us]")
    else:
        unit, note = ("s", "seconds") if big < 1e11 else ("ms", "milliseconds") if big < 1e14 else ("us", "microseconds")
        note = f"numbers were read as Unix time in {note}"
        out[present] = pd.to_datetime(nums[present], unit=unit, errors="coerce").to_numpy(dtype="datetime64[us]")
    failed = present & np.isnat(out)
    return Parsed(pa.array(out, type=pa.timestamp("us")), {"not a date": failed} if failed.any() else {}, (note,))


def parse_bools(values: pa.Array | pa.ChunkedArray) -> Parsed:
    """Parse yes/no flags: true/false, yes/no, y/n, 1/0, paid/organic, boosted ... (any case).

    Examples
    --------
    >>> import pyarrow as pa
    >>> p = parse_bools(pa.array(["Yes", "no", "TRUE", "0", None, "maybe"]))
    >>> p.values.to_pylist(), p.problems["not a yes/no value"].tolist()
    ([True, False, True, False, None, None], [False, False, False, False, False, True])
    """
    arr = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    if pa.types.is_boolean(arr.type):
        return Parsed(arr)
    if pa.types.is_integer(arr.type) or pa.types.is_floating(arr.type):
        arr = pc.cast(arr, pa.string())
        arr = pc.replace_substring_regex(arr, r"\.0+$", "")
    cleaned, placeholder = _clean_missing(_strings(arr))
    text = pc.utf8_lower(cleaned)
    is_true = pc.is_in(text, value_set=pa.array(TRUE_TOKENS))
    is_false = pc.is_in(text, value_set=pa.array(FALSE_TOKENS))
    known = pc.or_(is_true, is_false)
    out = pc.if_else(known, is_true, pa.scalar(None, pa.bool_()))
    bad = _mask(pc.is_valid(text)) & ~_mask(known)
    problems = {"not a yes/no value": bad} if bad.any() else {}
    if placeholder.any():
        problems[PLACEHOLDER] = placeholder
    return Parsed(out, problems)
