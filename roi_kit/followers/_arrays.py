"""The matched audience and the deals as numpy arrays, positioned on the population's customers.

The engine narrows and filters (deal kinds, won upsells); what comes back is a few columns per
audience row and per deal, looked up by customer *position* (:func:`positions`) instead of joined
on the text ``customer_id``. Follower definitions then re-label customers with vectorised passes
over these arrays.

Examples
--------
>>> import pandas as pd
>>> positions(pd.Index(["a", "b", "c"]), pd.Series(["c", "x", "a"])).tolist()
[2, -1, 0]
>>> hours_ceil(np.array([0.01, 1.0, 2.5])).tolist()
[1, 24, 60]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from roi_kit.engine import to_pandas
from roi_kit.followers._deal_rows import DealRows, deal_rows, to_days
from roi_kit.followers._match_arrays import arrow_text
from roi_kit.followers._match_report import MatchedAudience, MatchReport
from roi_kit.followers._matching import match_with_positions

__all__ = ["AudienceArrays", "IdLookup", "NewDeals", "Upsells", "audience_arrays", "audience_ids", "deal_arrays",
           "deals_on_customers", "find_ids", "has_duplicates", "hours_ceil", "id_type", "positions"]
HOURS = 24.0


def _arrow(values: pd.Index | pd.Series | pa.Array) -> pa.Array | pa.ChunkedArray | None:
    """The Arrow array behind a pyarrow-backed pandas column (None for numpy-backed ones)."""
    if isinstance(values, pa.Array | pa.ChunkedArray):
        return values
    dtype = values.dtype
    if isinstance(dtype, pd.ArrowDtype) or (isinstance(dtype, pd.StringDtype)
                                            and dtype.storage == "pyarrow"):
        return pa.array(values.array)
    return None


def id_type(ids: pd.Index) -> pa.DataType | None:
    """Arrow type of pyarrow-backed ids (None for numpy-backed ones)."""
    arr = _arrow(ids)
    return None if arr is None else arr.type


def positions(ids: pd.Index, values: pd.Series | pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Position of each value in the (unique) customer ids, -1 where it is not a customer.

    Same as ``ids.get_indexer(values)``; for pyarrow-backed text ids (pandas' default string
    type) Arrow's hash lookup does it without converting a million ids to Python strings.
    ``values`` may be an Arrow array of the ids' Arrow type.
    """
    id_arr, val_arr = _arrow(ids), _arrow(values)
    if id_arr is not None and val_arr is not None and id_arr.type == val_arr.type:
        if isinstance(id_arr, pa.ChunkedArray):
            id_arr = id_arr.combine_chunks()
        found = pc.index_in(val_arr, value_set=id_arr)
        return np.asarray(found.fill_null(-1).to_numpy(), dtype=np.int64)
    return np.asarray(ids.get_indexer(values), dtype=np.int64)


def has_duplicates(ids: pd.Index) -> bool:
    """Whether an id occurs twice (missing ids count as one value), as ``ids.has_duplicates``;
    for pyarrow-backed ids Arrow's ``unique`` does it without a pandas hash table.

    Examples
    --------
    >>> has_duplicates(pd.Index(["a", "b", "a"])), has_duplicates(pd.Index([None, "a", None]))
    (True, True)
    """
    arr = _arrow(ids)
    if arr is not None:
        return len(pc.unique(arr)) < len(arr)
    return bool(ids.has_duplicates)


@dataclass(frozen=True, eq=False)
class IdLookup:
    """What :func:`find_ids` found: whether an id repeats, and (when none does) the position of
    every value of each array looked up (-1: not a customer; None for an array not given)."""

    duplicated: bool
    found: tuple[np.ndarray | None, ...]


def _same_text(arr: pa.Array | pa.ChunkedArray, to: pa.DataType) -> pa.Array | pa.ChunkedArray | None:
    """``arr`` as Arrow data of the ids' type ``to`` (text widened to it), else None; chunks are
    kept (the lookup reads them in place)."""
    if arr.type != to:
        if not (pa.types.is_large_string(to) and pa.types.is_string(arr.type)):
            return None
        arr = arr.cast(to)
    return arr


def find_ids(ids: pd.Index, *values: pd.Series | pa.Array | pa.ChunkedArray | None) -> IdLookup:
    """:func:`has_duplicates` and :func:`positions` of each of ``values`` with one hash of the ids.

    For pyarrow-backed ids, the ids and every array of their type are looked up together in the
    ids (one Arrow ``index_in``, so the hash set of a million ids is built once): an id found at
    an earlier position than its own occurs twice (missing ids count as one value, as in
    ``ids.has_duplicates``). Other ids and arrays take :func:`has_duplicates` / :func:`positions`.
    Positions are only computed when no id repeats.

    Examples
    --------
    >>> ids = pd.Index(["a", "b", "c"], dtype="str")
    >>> look = find_ids(ids, pd.Series(["c", "x"], dtype="str"), None, pd.Series(["b"], dtype="str"))
    >>> look.duplicated, [None if f is None else f.tolist() for f in look.found]
    (False, [[2, -1], None, [1]])
    >>> find_ids(pd.Index(["a", None, None], dtype="str")).duplicated
    True
    """
    arr = _arrow(ids)
    if arr is None:
        if ids.has_duplicates:
            return IdLookup(True, ())
        return IdLookup(False, tuple(None if v is None else positions(ids, v) for v in values))
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    joint = [None if v is None else (a if (a := _arrow(v)) is None else _same_text(a, arr.type)) for v in values]
    # one chunked array over the ids and every array looked up: no copy of their text
    chunks = [arr, *[c for a in joint if a is not None
                     for c in (a.chunks if isinstance(a, pa.ChunkedArray) else [a])]]
    found = pc.index_in(pa.chunked_array(chunks, type=arr.type), value_set=arr)
    where = np.empty(len(found), dtype=np.int64)  # each chunk's positions written in place
    start = 0
    for part in found.chunks:
        where[start:start + len(part)] = part.fill_null(-1).to_numpy(zero_copy_only=False)
        start += len(part)
    n = len(arr)
    if not np.array_equal(where[:n], np.arange(n)):
        return IdLookup(True, ())
    out: list[np.ndarray | None] = []
    start = n
    for v, a in zip(values, joint, strict=True):
        if a is not None:
            out.append(where[start:start + len(a)])
            start += len(a)
        else:
            out.append(None if v is None else positions(ids, v))
    return IdLookup(False, tuple(out))


def hours_ceil(days: np.ndarray) -> np.ndarray:
    """Durations in days → whole hours, rounded up (an event at 10.2 h counts at hour 11)."""
    return np.ceil(np.round(np.maximum(days, 0.0) * HOURS, 6)).astype(np.int64)


@dataclass(frozen=True, eq=False)
class AudienceArrays:
    """Matched audience rows: customer index, platform code, follow/last-engaged day, engagements."""

    customer: np.ndarray
    platform: np.ndarray
    platforms: tuple[str, ...]
    followed: np.ndarray
    engagements: np.ndarray
    last_engaged: np.ndarray
    report: MatchReport | None


@dataclass(frozen=True, eq=False)
class NewDeals:
    """New deals of known customers: created day, days to close (or to censoring), won, amount.

    Won deals come first, ascending by amount (``n_won`` of them), then the others."""

    customer: np.ndarray
    created: np.ndarray
    close_days: np.ndarray
    close_hours: np.ndarray
    closed: np.ndarray
    won: np.ndarray
    amount: np.ndarray
    unknown_customer: int
    n_won: int = 0


@dataclass(frozen=True, eq=False)
class Upsells:
    """Won upsell deals of known customers: day of closing after acquisition and amount."""

    customer: np.ndarray
    offset: np.ndarray
    amount: np.ndarray


def audience_ids(audience: Any, ids: pd.Index) -> pa.Array | pa.ChunkedArray | None:
    """The audience's ``customer_id`` as Arrow text of the ids' type when it may be matched on
    arrays (pandas frames, pandas' Arrow-backed text): :func:`find_ids` then looks it up with the
    deals' ids, and the match reads those positions instead of hashing the ids again. Else None."""
    native = nw.to_native(audience) if isinstance(audience, nw.DataFrame) else audience
    to = id_type(ids)
    if to is None or not isinstance(native, pd.DataFrame) or "customer_id" not in native.columns:
        return None
    arr = arrow_text(native["customer_id"])
    return None if arr is None else _same_text(arr, to)


def audience_arrays(customers: Any, audience: Any, ids: pd.Index, *,
                    id_positions: np.ndarray | None = None) -> AudienceArrays:
    """Match (unless already matched) and bring the audience rows back as arrays.

    ``customers`` must be the table ``ids`` were read from, in the same row order: a match on
    arrays hands back customer row positions, which are then used as they are. ``ids`` are
    unique (:func:`~roi_kit.followers._prepare.prepare_population` checks it first).
    ``id_positions``: each audience row's ``customer_id`` position in ``ids`` (-1: none), when
    already looked up (:func:`find_ids` of :func:`audience_ids`)."""
    where: np.ndarray | None = None
    if isinstance(audience, MatchedAudience):
        matched = audience
    else:
        matched, where = match_with_positions(customers, audience, ids_unique=True, id_positions=id_positions)
    a = to_pandas(matched.frame)
    plat = a["platform"].astype(str).str.lower() if "platform" in a else pd.Series("any", index=a.index)
    codes, names = pd.factorize(plat, sort=True)
    n_rows = len(a)
    return AudienceArrays(
        customer=positions(ids, a["customer_id"]) if where is None else where,
        platform=codes.astype(np.int64), platforms=tuple(str(x) for x in names),
        followed=to_days(a["followed_at"]) if "followed_at" in a else np.full(n_rows, np.nan),
        engagements=(a["engagements"].to_numpy(dtype=float, na_value=0.0) if "engagements" in a
                     else np.zeros(n_rows)),
        last_engaged=to_days(a["last_engaged_at"]) if "last_engaged_at" in a else np.full(n_rows, np.nan),
        report=matched.report)


def deal_arrays(deals: Any, ids: pd.Index, acquired: np.ndarray, end: np.ndarray, *,
                new_kinds: Sequence[str], upsell_kinds: Sequence[str]) -> tuple[NewDeals, Upsells | None]:
    """New deals (censored at their customer's end of observation) and won upsells as arrays.

    Deals of ids that are not customers are dropped and counted (prospects)."""
    rows = deal_rows(deals, new_kinds, upsell_kinds, id_type=id_type(ids))
    # new deals and upsells in one lookup: one hash set of the ids
    return deals_on_customers(rows, positions(ids, rows.ids), acquired, end)


def deals_on_customers(rows: DealRows, pos_all: np.ndarray, acquired: np.ndarray,
                       end: np.ndarray) -> tuple[NewDeals, Upsells | None]:
    """:func:`deal_arrays` from the deal rows and their customers' positions (``pos_all``, -1:
    not a customer), e.g. from :func:`find_ids`."""
    pos = pos_all[rows.new]
    known = np.flatnonzero(pos >= 0)
    unknown = pos.size - known.size
    pos = pos[known]
    created, closed_at = rows.created[known], rows.closed_at[known]
    # an open deal's close date is the expected one (HubSpot, Salesforce, Zoho): censored
    is_closed = ~np.isnan(closed_at) & rows.not_open[known]
    close_days = np.where(is_closed, closed_at, end[pos]) - created
    ok = np.isfinite(close_days) & (close_days >= 0)
    hours = hours_ceil(np.where(ok, close_days, 0.0))
    amount = rows.amount[known]
    won = rows.won[known] & ok & np.isfinite(amount)
    # won deals first, ascending by amount (deal size then works on a sorted prefix), then the rest
    won_idx = np.flatnonzero(won)
    keep = np.concatenate([won_idx[np.argsort(amount[won_idx], kind="stable")], np.flatnonzero(ok & ~won)])
    new = NewDeals(customer=pos[keep].astype(np.int64), created=created[keep],
                   close_days=hours[keep] / HOURS, close_hours=hours[keep], closed=is_closed[keep],
                   won=won[keep], amount=amount[keep], unknown_customer=unknown + int((~ok).sum()),
                   n_won=int(won_idx.size))
    ups = None
    if rows.upsell is not None and rows.upsell_day is not None and rows.upsell_amount is not None:
        upos = pos_all[rows.upsell]
        uknown = np.flatnonzero(upos >= 0)
        upos = upos[uknown]
        ups = Upsells(customer=upos.astype(np.int64), offset=rows.upsell_day[uknown] - acquired[upos],
                      amount=rows.upsell_amount[uknown])
    return new, ups
