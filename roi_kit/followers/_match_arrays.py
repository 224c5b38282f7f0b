"""Audience matching on Arrow arrays: the pandas engine's fast path of :func:`match_audience`.

For pandas frames with Arrow-backed text keys (pandas' default string type), the three key joins
of :mod:`~roi_kit.followers._matching` are replaced by one pass per key: the distinct normalised
values of the audience rows still unmatched form a small hash set, the customers' normalised
values are probed against it and counted per value with ``np.bincount``, and each audience row
reads its value's count and (when exactly one customer has it) that customer's row position. The
rules are the same, and so is every output: same key order, same normalisation kernels (Arrow's,
which pandas calls for these columns), same frames.

A handle's leading ``@`` characters are dropped with Arrow's ``utf8_ltrim`` (what the engine
route's regex ``^@+`` does, without a regex), and only when some handle starts with ``@``; Unicode
lower-casing is done by the ASCII kernel when every value is ASCII (the two agree on ASCII text).

Examples
--------
>>> import pandas as pd
>>> c = pd.DataFrame({"customer_id": ["c1", "c2"], "email": ["Ann@x.com", "bo@y.com"]})
>>> a = pd.DataFrame({"email": [" ANN@x.com", "zz@x", None]})
>>> hit = key_matches(c, a, ("email",))
>>> hit.position.tolist(), hit.method.tolist()
([0, -1, -1], [0, -1, -1])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from roi_kit.engine import as_frame
from roi_kit.followers._match_report import MatchedAudience, MatchReport

__all__ = ["KeyMatches", "arrow_text", "key_matches", "matched_on_arrays", "supports_fast_match"]


def _is_arrow_text(dtype: Any) -> bool:
    """Whether a pandas column of this dtype holds Arrow text (pyarrow-backed strings)."""
    if isinstance(dtype, pd.StringDtype):
        return dtype.storage == "pyarrow"
    if isinstance(dtype, pd.ArrowDtype):
        return pa.types.is_string(dtype.pyarrow_dtype) or pa.types.is_large_string(dtype.pyarrow_dtype)
    return False


def arrow_text(values: pd.Series) -> pa.Array | pa.ChunkedArray | None:
    """The Arrow text behind a pyarrow-backed pandas string column (None otherwise), as
    ``large_string``. Chunks are kept: the kernels here read them in place, and combining a
    million strings only copies them into fresh memory."""
    if not _is_arrow_text(values.dtype):
        return None
    arr = pa.array(values.array)
    return arr.cast(pa.large_string()) if pa.types.is_string(arr.type) else arr


def supports_fast_match(customers: Any, audience: Any, keys: Sequence[str]) -> bool:
    """Both tables are pandas with Arrow text keys, and every customer has an id."""
    if not (isinstance(customers, pd.DataFrame) and isinstance(audience, pd.DataFrame)):
        return False
    frames = [(customers, k) for k in ("customer_id", *keys)] + [(audience, k) for k in keys]
    if not all(_is_arrow_text(frame[k].dtype) for frame, k in frames):
        return False
    return not bool(customers["customer_id"].isna().any())


def _lower(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    if pc.all(pc.string_is_ascii(values)).as_py() is not False:
        return pc.ascii_lower(values)
    return pc.utf8_lower(values)


def _normalise(values: pa.Array | pa.ChunkedArray, key: str) -> pa.Array | pa.ChunkedArray:
    """``normalise_email`` / ``normalise_handle`` / the id as text, on an Arrow array."""
    if key == "customer_id":
        return values
    values = pc.utf8_trim_whitespace(values)
    if key == "handle" and pc.any(pc.starts_with(values, "@")).as_py():
        values = pc.utf8_ltrim(values, characters="@")  # the engine route's regex ``^@+`` → ""
    return _lower(values)


@dataclass(frozen=True, eq=False)
class KeyMatches:
    """Per audience row: matched customer position (-1: none), key index (-1: none), and, for
    the rows that matched nobody, whether one of their keys is shared by several customers."""

    position: np.ndarray
    method: np.ndarray
    ambiguous: np.ndarray


def _codes(values: pa.Array | pa.ChunkedArray, value_set: pa.Array) -> np.ndarray:
    found = pc.index_in(values, value_set=value_set)
    return np.asarray(found.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)


def key_matches(customers: pd.DataFrame, audience: pd.DataFrame, keys: Sequence[str], *,
                id_positions: np.ndarray | None = None) -> KeyMatches:
    """Match every audience row by the first key (in order) that exactly one customer has.

    Per key, only the audience rows still unmatched are looked at: their distinct normalised
    values form a small hash set, the customers' values are looked up in it (a probe, cheaper
    than hashing a million values into a dictionary) and counted per value with ``np.bincount``.
    ``id_positions``: for customer ids known to be unique, each audience row's ``customer_id``
    position among them (-1: none), already looked up; the ``customer_id`` key then reads it
    (one customer has the id, or none does).
    """
    n_aud = len(audience)
    position = np.full(n_aud, -1, dtype=np.int64)
    method = np.full(n_aud, -1, dtype=np.int64)
    ambiguous = np.zeros(n_aud, dtype=bool)
    for j, key in enumerate(keys):
        todo = np.flatnonzero(method < 0)
        if todo.size == 0:
            break
        if key == "customer_id" and id_positions is not None:
            found = id_positions[todo]
            hit = todo[found >= 0]
            method[hit] = j
            position[hit] = found[found >= 0]
            continue
        aud = _normalise(arrow_text(audience[key]).take(pa.array(todo)), key)  # type: ignore[union-attr]
        wanted = pc.unique(aud).drop_null()
        a_codes = _codes(aud, wanted)
        c_codes = _codes(_normalise(arrow_text(customers[key]), key), wanted)  # type: ignore[arg-type]
        rows = np.flatnonzero(c_codes >= 0)
        counts = np.bincount(c_codes[rows], minlength=len(wanted))
        owner = np.full(counts.size, -1, dtype=np.int64)
        owner[c_codes[rows[::-1]]] = rows[::-1]
        n = np.append(counts, 0)[a_codes]  # code -1 (no key, or no customer has it) reads 0
        ambiguous[todo] |= n > 1
        hit = todo[n == 1]
        method[hit] = j
        position[hit] = owner[a_codes[n == 1]]
    return KeyMatches(position=position, method=method, ambiguous=ambiguous)


def matched_on_arrays(customers: pd.DataFrame, audience: pd.DataFrame, keys: Sequence[str],
                      keep: Sequence[str], *, max_listed: int,
                      ids_unique: bool = False,
                      id_positions: np.ndarray | None = None) -> tuple[MatchedAudience, np.ndarray]:
    """The :class:`MatchedAudience` of the engine path, built from :func:`key_matches`, and the
    customer position of every matched row. ``ids_unique``: the caller has checked that no two
    customers share an id, so matched customers are counted by row without reading the ids
    (and ``id_positions``, the audience ids already looked up, may be given to :func:`key_matches`)."""
    hit = key_matches(customers, audience, keys, id_positions=id_positions if ids_unique else None)
    rows = np.flatnonzero(hit.method >= 0)
    pos = hit.position[rows]
    names = np.asarray(keys, dtype=object)
    frame = pd.DataFrame(
        {"customer_id": customers["customer_id"].array.take(pos),
         "match_method": pd.array(names[hit.method[rows]], dtype="str"),
         **{c: audience[c].array.take(rows) for c in keep}},
        index=pd.Index(rows))
    missed = np.flatnonzero(hit.method < 0)
    # rows per method in order of first appearance, as the engine's group-by lists them
    firsts = [(int(np.argmax(hit.method == j)), k) for j, k in enumerate(keys) if (hit.method == j).any()]
    per_key = np.bincount(hit.method[rows], minlength=len(keys))
    seen = np.zeros(len(customers), dtype=bool)
    seen[pos] = True
    n_customers = (int(np.count_nonzero(seen)) if ids_unique
                   else int(pd.Series(customers["customer_id"].array.take(np.flatnonzero(seen))).nunique()))
    report = MatchReport(
        rows=len(audience),
        matched={k: int(per_key[keys.index(k)]) for _, k in sorted(firsts)},
        unmatched=int(missed.size),
        ambiguous=int(hit.ambiguous[missed].sum()),
        unmatched_rows=audience.iloc[missed[:max_listed]].reset_index(drop=True),
        customers=len(customers),
        customers_matched=n_customers,
        keys=tuple(keys),
    )
    matched = MatchedAudience(frame=as_frame(frame), report=report, columns=("customer_id", *keep))
    return matched, pos
