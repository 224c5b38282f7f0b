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
    "date_evidence",
    "decimal_evidence",
    "parse_bools",
    "parse_dates",
    "parse_numbers",
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

_CURRENCY_BODY = (r"US\$|C\$|A\$|R\$|[€$£¥₹₩]|\b(?:EUR|USD|GBP|SEK|NOK|DKK|CHF|JPY|CAD|AUD|PLN|"
                  r"CZK|INR|BRL|ISK)\b|kr\.?|zł|Kč|Fr\.")
_CURRENCY = "(?i)(?:" + _CURRENCY_BODY + ")"
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


def _numeric_core(text: pa.Array) -> tuple[pa.Array, pa.Array, pa.Array, np.ndarray]:
    """Strip currency, spaces, percent and accounting brackets; return (core, pct, neg, currencies)."""
    text = pc.replace_substring(text, "−", "-")
    found = pc.extract_regex(text, "(?i)(?P<c>" + _CURRENCY_BODY + ")")
    symbols = pc.unique(pc.struct_field(found, [0]).drop_null()).to_numpy(zero_copy_only=False)
    text = pc.replace_substring_regex(text, _CURRENCY, "")
    text = pc.replace_substring_regex(text, r"[\s\x{00a0}\x{202f}\x{2009}']", "")
    pct = pc.ends_with(text, "%")
    text = pc.replace_substring(text, "%", "")
    neg = pc.match_substring_regex(text, r"^\(.*\)$")
    text = pc.replace_substring_regex(text, r"^\((.*)\)$", r"\1")
    return text, pct, neg, symbols


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
    text = _strings(values)
    if pa.types.is_string(text.type) or pa.types.is_large_string(text.type):
        text = _numeric_core(_clean_missing(text)[0])[0]
    comma, dot = _votes(text)
    return int(np.count_nonzero(comma)), int(np.count_nonzero(dot))


def _votes(core: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Per-value evidence masks (comma-decimal, point-decimal) on cleaned numeric text."""
    core = pc.replace_substring_regex(core, r"^[-+]", "")
    has_comma = _mask(pc.match_substring(core, ","))
    has_dot = _mask(pc.match_substring(core, "."))
    both = has_comma & has_dot
    comma_last = _mask(pc.match_substring_regex(core, r",\d*$"))
    multi_comma = _mask(pc.match_substring_regex(core, r",.*,"))
    multi_dot = _mask(pc.match_substring_regex(core, r"\..*\."))
    amb_comma = _mask(pc.match_substring_regex(core, r"^\d{1,3},\d{3}$"))
    amb_dot = _mask(pc.match_substring_regex(core, r"^\d{1,3}\.\d{3}$"))
    only_comma = has_comma & ~has_dot
    only_dot = has_dot & ~has_comma
    comma_vote = (both & comma_last) | (only_comma & ~multi_comma & ~amb_comma) | (only_dot & multi_dot)
    dot_vote = (both & ~comma_last) | (only_dot & ~multi_dot & ~amb_dot) | (only_comma & multi_comma)
    return comma_vote, dot_vote


def parse_numbers(values: pa.Array | pa.ChunkedArray, *, decimal: Decimal | None = None,
                  integer: bool = False) -> Parsed:
    """Parse a column of numbers written the way spreadsheets and exports write them.

    Parameters
    ----------
    values
        Text (or already numeric) values.
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
    notes: list[str] = []
    problems: dict[str, np.ndarray] = {}
    arr = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    if pa.types.is_integer(arr.type) or pa.types.is_floating(arr.type) or pa.types.is_decimal(arr.type) or pa.types.is_boolean(arr.type):
        out = pc.cast(arr, pa.float64())
    else:
        text, placeholder = _clean_missing(_strings(arr))
        if placeholder.any():
            problems[PLACEHOLDER] = placeholder
        core, pct, neg, symbols = _numeric_core(text)
        comma_vote, dot_vote = _votes(core)
        n_comma, n_dot = int(comma_vote.sum()), int(dot_vote.sum())
        chosen: Decimal
        if decimal is not None:
            chosen = decimal
        elif n_comma > n_dot:
            chosen = ","
        else:
            chosen = "."
            ambiguous = _mask(pc.match_substring_regex(core, r"^[-+]?\d{1,3}[,.]\d{3}$"))
            if n_comma == 0 and n_dot == 0 and ambiguous.any():
                notes.append("values like '1,234' were read with ',' as the thousands separator "
                             "(no value proved a decimal comma); pass decimal=',' if it is one")
        wrong = dot_vote if chosen == "," else comma_vote
        if chosen == ",":
            core = pc.replace_substring(pc.replace_substring(core, ".", ""), ",", ".")
        else:
            core = pc.replace_substring(core, ",", "")
        valid = _mask(pc.match_substring_regex(core, _NUMBER)) & ~wrong
        present = _mask(pc.is_valid(text))
        bad = present & ~valid
        if wrong.any():
            sep = "decimal point" if chosen == "," else "decimal comma"
            problems[f"uses a {sep}, unlike the rest of the column"] = wrong & present
        if (bad & ~wrong).any():
            problems["not a number"] = bad & ~wrong
        nums = pc.cast(pc.if_else(pa.array(valid), core, pa.scalar(None, core.type)), pa.float64())
        nums = pc.if_else(pc.fill_null(neg, False), pc.negate(nums), nums)
        pct_mask = pc.fill_null(pct, False)
        if pc.any(pct_mask).as_py():
            nums = pc.if_else(pct_mask, pc.divide(nums, 100.0), nums)
            notes.append("percent values were divided by 100 (12.5% → 0.125)")
        if len(symbols) > 1:
            notes.append("mixed currencies (" + ", ".join(sorted(map(str, symbols)))
                         + ") were not converted; amounts are taken at face value")
        out = nums
    if integer:
        frac = _mask(pc.not_equal(pc.floor(out), out))
        if frac.any():
            problems["not a whole number"] = frac
            out = pc.if_else(pa.array(frac), pa.scalar(None, pa.float64()), out)
    return Parsed(out, problems, tuple(notes))


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
