"""Stable ids for records whose export has none (post exports without a post id, ad exports
without an ad id).

Some post exports (a page's "post insights" by weekday and hour, hand-kept content calendars)
carry no id. The posts table needs one to tell posts apart, so each row gets
``post-<12 hex digits>``: the start of the SHA-256 of the row's cells as read (joined with a
separator that cannot occur in a cell), with ``-2``, ``-3`` ... on repeats of an identical row.
The same file gives the same ids on every load; the report says the ids were made.

An ad export repeats each ad on several rows (one per date or per age / gender ...), so an ad's
id (:func:`ad_ids`) is made from the columns that name the ad — platform, campaign, ad set, ad
name — and the rows of one ad share it.

Examples
--------
>>> import pyarrow as pa
>>> t = pa.table({"Post Hour": [9, 14, 9], "Likes": [3, 4, 3]})
>>> stable_ids(t, "post").to_pylist()
['post-f396d7b633c9', 'post-dcbe86edca0c', 'post-f396d7b633c9-2']
"""

from __future__ import annotations

import hashlib
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["AD_KEYS", "ad_ids", "stable_ids"]

AD_KEYS = ("platform", "campaign", "ad_set", "ad_name")
"""The columns that name an ad, from the broadest (see :func:`ad_ids`)."""

_SEP = "\x1f"  # ASCII unit separator: not a character of any exported cell


def stable_ids(table: pa.Table, prefix: str, *, number_repeats: bool = True) -> pa.Array:
    """One id per row of ``table`` from its cells (see the module docstring).

    ``number_repeats=False`` gives identical rows the same id (the rows of one ad).
    """
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
        out.append(f"{prefix}-{digest}" if n == 1 or not number_repeats
                   else f"{prefix}-{digest}-{n}")
    return pa.array(out, type=pa.string())


def ad_ids(cols: dict[str, Any], *, platform: bool = True) -> tuple[pa.Array, str]:
    """An id per ad from the columns of :data:`AD_KEYS` present, and the note that says so.

    ``platform=False`` leaves the platform out: when it is a column of the file it is usually a
    breakdown (Meta's ``Platform``: one ad delivered on Facebook and on Instagram), and the rows
    of one ad must keep one id.

    Examples
    --------
    >>> ids, note = ad_ids({"platform": pa.array(["meta"] * 3), "campaign": pa.array(["c"] * 3),
    ...                     "ad_name": pa.array(["A", "B", "A"])})
    >>> ids.to_pylist()[0] == ids.to_pylist()[2] != ids.to_pylist()[1]
    True
    """
    keys = [k for k in AD_KEYS if k in cols and (platform or k != "platform")]
    ids = stable_ids(pa.table({k: cols[k] for k in keys}), "ad", number_repeats=False)
    words = ", ".join(k.replace("_", " ") for k in keys)
    note = (f"ad_id: the file has no ad id, so each ad got a stable id made from its {words} "
            "(ad-<hash>); the rows of one ad (dates, breakdowns) share it")
    if "ad_name" not in cols:
        note += ("; without an ad name an id stands for every ad of its "
                 + ("ad set" if "ad_set" in cols else "campaign"))
    return ids, note
