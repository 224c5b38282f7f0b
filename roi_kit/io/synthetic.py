"""Stable ids for records whose export has none (post exports without a post id).

Some post exports (a page's "post insights" by weekday and hour, hand-kept content calendars)
carry no id. The posts table needs one to tell posts apart, so each row gets
``post-<12 hex digits>``: the start of the SHA-256 of the row's cells as read (joined with a
separator that cannot occur in a cell), with ``-2``, ``-3`` ... on repeats of an identical row.
The same file gives the same ids on every load; the report says the ids were made.

Examples
--------
>>> import pyarrow as pa
>>> t = pa.table({"Post Hour": [9, 14, 9], "Likes": [3, 4, 3]})
>>> stable_ids(t, "post").to_pylist()
['post-f396d7b633c9', 'post-dcbe86edca0c', 'post-f396d7b633c9-2']
"""

from __future__ import annotations

import hashlib

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["stable_ids"]

_SEP = "\x1f"  # ASCII unit separator: not a character of any exported cell


def stable_ids(table: pa.Table, prefix: str) -> pa.Array:
    """One id per row of ``table`` from its cells (see the module docstring)."""
    cells = [pc.fill_null(pc.cast(col, pa.string()), "") for col in table.columns]
    names = [f"{n}={{}}" for n in table.column_names]
    joined = (pc.binary_join_element_wise(*cells, _SEP) if len(cells) > 1
              else cells[0] if cells else pa.array([""] * table.num_rows))
    seen: dict[str, int] = {}
    out = []
    salt = _SEP.join(names)
    for text in joined.to_pylist():  # post exports are small: a hash per row is cheap
        digest = hashlib.sha256((salt + _SEP + text).encode("utf-8")).hexdigest()[:12]
        seen[digest] = seen.get(digest, 0) + 1
        n = seen[digest]
        out.append(f"{prefix}-{digest}" if n == 1 else f"{prefix}-{digest}-{n}")
    return pa.array(out, type=pa.string())
