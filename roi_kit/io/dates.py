"""Dates and times: ISO, day-first or month-first numbers, month names, GA4 and epoch integers.

Day-first versus month-first is decided from the evidence of the whole column
(:func:`date_evidence`) and never guessed: when nothing decides, the loader asks for
``dayfirst=``. Everything is returned as naive UTC ``timestamp[us]``.

Examples
--------
>>> import pyarrow as pa
>>> p = parse_dates(pa.array(["31.01.2024", "05.02.2024 14:30", None]))
>>> [str(v) for v in p.values.to_pylist()]
['2024-01-31 00:00:00', '2024-02-05 14:30:00', 'None']
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from roi_kit.errors import InputError
from roi_kit.io.cells import (
    PLACEHOLDER,
    Parsed,
    _clean_missing,
    _distinct,
    _expand,
    _mask,
    _strings,
    is_text,
)

__all__ = ["AmbiguousDateError", "DateEvidence", "date_evidence", "parse_dates"]

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
    if not is_text(arr) and not _encoded(arr):
        return DateEvidence(np.empty(0, np.int64), np.empty(0, np.int64), 0, False)
    distinct = _distinct(arr if _encoded(arr) else _strings(arr))
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


def _encoded(arr: pa.Array) -> bool:
    """A text column already encoded as distinct values and codes (the loader encodes a date
    column once, for the evidence and the parse)."""
    return pa.types.is_dictionary(arr.type) and is_text(arr.dictionary)


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
    distinct = _distinct(arr if _encoded(arr) else _strings(arr))
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
    ranged = _range_starts(text, failed, out, dayfirst)  # "May 1, 2024 - May 31, 2024"
    if ranged.any():
        failed &= ~ranged
        problems[RANGE] = ranged
    if placeholder.any():
        problems[PLACEHOLDER] = placeholder
    if failed.any():
        if numeric.any() and (failed & numeric).any():
            order = "day" if dayfirst else "month"
            problems[f"not a date (read as {order}-first)"] = failed & numeric
        if (failed & ~numeric).any():
            problems["not a date"] = failed & ~numeric
    return Parsed(pa.array(out, type=pa.timestamp("us")), problems, tuple(notes))


RANGE = "a date range: its start date is used"
_RANGE = r"^\s*(?P<a>.+?)\s+(?:-|–|—|to)\s+(?P<b>.+?)\s*$"


def _range_starts(text: pa.Array, failed: np.ndarray, out: np.ndarray,
                  dayfirst: bool | None) -> np.ndarray:
    """Read the start of ``start - end`` ranges (ads managers' ``Time period``) into ``out``.

    Both ends are parsed together, so the end date's evidence decides the day-first question for
    the start. Returns the rows read this way (reported as :data:`RANGE`, coerced).
    """
    if not failed.any():
        return failed
    sub = pc.filter(text, pa.array(failed))
    parts = pc.extract_regex(sub, _RANGE)
    if not parts.is_valid().to_numpy(zero_copy_only=False).any():
        return np.zeros(len(failed), dtype=bool)
    first, last = pc.struct_field(parts, "a"), pc.struct_field(parts, "b")
    try:
        both = parse_dates(pa.concat_arrays([first, last]), dayfirst=dayfirst).values
    except AmbiguousDateError:
        return np.zeros(len(failed), dtype=bool)
    m = len(sub)
    start = both.slice(0, m).to_numpy(zero_copy_only=False)
    end = both.slice(m, m).to_numpy(zero_copy_only=False)
    ok = ~np.isnat(start) & ~np.isnat(end)
    rows = np.flatnonzero(failed)[ok]
    out[rows] = start[ok].astype("datetime64[us]")
    read = np.zeros(len(failed), dtype=bool)
    read[rows] = True
    return read


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
