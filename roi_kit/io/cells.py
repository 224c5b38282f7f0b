"""Building blocks of the column parsers: the :class:`Parsed` result, missing-value tokens,
distinct-value evaluation, and yes/no flags.

Every parser works on a whole column at once (pyarrow compute kernels, no Python loop per row)
and returns a :class:`Parsed`: the converted values, a mask per problem for the values that could
not be converted (missing input is *not* a problem), and column-level notes for the report.
Columns that repeat their values (dates, labels, counts) are parsed once per distinct value.

Examples
--------
>>> import pyarrow as pa
>>> parse_bools(pa.array(["yes", "N/A"])).problems["missing-value placeholder"].tolist()
[False, True]
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["NULL_TOKENS", "PLACEHOLDER", "Parsed", "is_text", "parse_bools", "plain_edges"]

NULL_TOKENS: tuple[str, ...] = (
    "", "na", "n/a", "nan", "null", "none", "nat", "-", "--", "—", "#n/a", "(blank)",
)
"""Cell texts read as a missing value (compared case-insensitively after trimming)."""
_LONGEST_TOKEN = max(len(t) for t in NULL_TOKENS)

TRUE_TOKENS = ("true", "t", "yes", "y", "1", "1.0", "x", "ja", "oui", "si", "sí", "paid",
               "boosted", "promoted", "sponsored", "wahr", "vrai")
FALSE_TOKENS = ("false", "f", "no", "n", "0", "0.0", "nein", "non", "organic", "not boosted",
                "falsch", "faux")


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


def is_text(values: pa.Array | pa.ChunkedArray) -> bool:
    """Whether a column holds text (utf8 or large utf8), the columns the parsers clean.

    >>> is_text(pa.array(["1,5"])), is_text(pa.array([1.5]))
    (True, False)
    """
    return pa.types.is_string(values.type) or pa.types.is_large_string(values.type)


def _strings(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One contiguous utf8 array (string views and large strings are cast)."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    if not is_text(values):
        values = pc.cast(values, pa.large_string() if pa.types.is_large_string(values.type)
                         else pa.string())
    return values


def _mask(values: pa.Array) -> np.ndarray:
    """Boolean numpy mask from an arrow boolean array (null counts as False)."""
    return np.asarray(pc.fill_null(values, False).to_numpy(zero_copy_only=False), dtype=bool)


def plain_edges(values: pa.Array | pa.ChunkedArray) -> bool:
    """True when no value of a text column is empty or starts or ends with whitespace.

    Reads only the first and last byte of each value from the arrow buffers (no string copies),
    so a clean column costs a few milliseconds per million values. ``False`` means "maybe":
    edges that are control characters (whitespace among them) or bytes of non-ASCII characters
    (maybe Unicode spaces) are left to the exact trimming kernels.

    Examples
    --------
    >>> import pyarrow as pa
    >>> plain_edges(pa.array(["d1", None, "d2"])), plain_edges(pa.array(["d1", "d2 "]))
    (True, False)
    >>> plain_edges(pa.array(["d1", ""])), plain_edges(pa.array(["d1", "\u00a0d2"]))
    (False, False)
    """
    chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    for chunk in chunks:
        if len(chunk) == 0:
            continue
        if pa.types.is_string(chunk.type):
            width: type[np.integer] = np.int32
        elif pa.types.is_large_string(chunk.type):
            width = np.int64
        else:
            return False
        _, off_buf, data_buf = chunk.buffers()
        offsets = np.frombuffer(off_buf, dtype=width)[chunk.offset:chunk.offset + len(chunk) + 1]
        starts, ends = offsets[:-1], offsets[1:]
        if chunk.null_count == 0:
            if int((ends - starts).min()) <= 0:
                return False  # an empty string
        else:
            filled = ends > starts
            if len(filled) - int(np.count_nonzero(filled)) != chunk.null_count:
                return False  # an empty string (or a null holding bytes)
            starts, ends = starts[filled], ends[filled]
        if data_buf is None or not len(starts):
            continue
        data = np.frombuffer(data_buf, dtype=np.uint8)
        first, last = data[starts], data[ends - 1]
        if min(first.min(), last.min()) <= 32 or max(first.max(), last.max()) >= 128:
            return False
    return True


PLACEHOLDER = "missing-value placeholder"
"""Problem text for cells such as ``n/a`` or ``-`` that stand for a missing value."""


def _clean_missing(text: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """Trim whitespace and turn the usual missing-value tokens into nulls.

    Returns the cleaned text and the mask of non-empty placeholders (``n/a``, ``-`` ...), which
    are reported rather than dropped silently.
    """
    if not plain_edges(text):  # a few ms to know that trimming would change nothing
        text = pc.utf8_trim_whitespace(text)
    # only values no longer than the longest token can be one (lower-casing maps code point to
    # code point): look those up, not every amount or date of a million-row column
    short = np.flatnonzero(_mask(pc.less_equal(pc.utf8_length(text), _LONGEST_TOKEN)))
    missing = np.zeros(len(text), dtype=bool)
    if short.size:
        candidates = text.take(pa.array(short))
        missing[short] = _mask(pc.is_in(pc.utf8_lower(candidates), value_set=pa.array(NULL_TOKENS)))
    if not missing.any():
        return text, missing
    placeholder = missing & _mask(pc.not_equal(text, ""))
    return pc.if_else(pa.array(missing), pa.scalar(None, text.type), text), placeholder


def _distinct(arr: pa.Array) -> tuple[pa.Array, pa.Array] | None:
    """(distinct values, codes) when a column repeats values enough to parse them once each
    (always for a dictionary-encoded column: its dictionary and indices)."""
    if pa.types.is_dictionary(arr.type):
        return arr.dictionary, arr.indices
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
