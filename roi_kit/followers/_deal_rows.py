"""The deals :func:`~roi_kit.followers._arrays.deal_arrays` needs, as arrays in table order.

Two routes give the same :class:`DealRows`. Any engine: narwhals filters and narrows the deals
(new kinds; won upsells) and the two small frames come back as pandas. A pandas frame whose text
columns are Arrow-backed (pandas' default string type) and whose dates are ``datetime64`` skips
the frame round trip: kind and status are lower-cased and tested with the Arrow kernels pandas
calls for the same expressions, dates become days with numpy, and only the customer ids of the
rows wanted (new deals and won upsells, once each) are gathered for the one id lookup — no
filtered copies of the 3.5M-row frame.

Examples
--------
>>> import pandas as pd
>>> d = pd.DataFrame({"customer_id": ["a", "b", "a"], "kind": ["New", "upsell", "upsell"],
...     "status": ["won", "WON", "lost"], "amount": [10.0, 5.0, 1.0],
...     "created_at": pd.to_datetime(["1970-01-02", "1970-01-03", "1970-01-04"])})
>>> rows = deal_rows(d, ("new",), ("upsell",))
>>> list(rows.ids), rows.new.tolist(), rows.upsell.tolist(), rows.upsell_day.tolist()
(['a', 'b'], [0], [1], [2.0])
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

from roi_kit.engine import as_frame, column_names, require_columns, to_pandas

__all__ = ["DealRows", "deal_rows", "to_days"]

NS_PER_DAY = 86_400e9
_NAT = np.iinfo(np.int64).min


def to_days(series: pd.Series) -> np.ndarray:
    """Datetime column → float days since the epoch (NaN for missing; aware times in UTC).

    >>> to_days(pd.Series(pd.to_datetime(["1970-01-02T12:00", None]))).tolist()
    [1.5, nan]
    """
    values = series.array
    if not isinstance(values, pd.arrays.DatetimeArray):
        values = pd.to_datetime(series).array
    if values.unit != "ns":
        values = values.as_unit("ns")
    ticks = values.asi8  # UTC instants for aware times
    ns = ticks.astype(float)
    ns[ticks == _NAT] = np.nan
    ns /= NS_PER_DAY
    return ns


@dataclass(frozen=True, eq=False)
class DealRows:
    """New deals and won upsells in table order; their customer ids still to be looked up.

    ``ids`` holds the customer id of every row needed, once; ``new`` and ``upsell`` index it.
    Per new deal: creation and close day (NaN: none), won / not open (lower-cased status), amount
    (NaN: none). Per won upsell: the day it closed (created if no close date) and its amount
    (0 if none). ``upsell`` is None without a ``kind`` column (every deal is then new)."""

    ids: pd.Series | pa.Array | pa.ChunkedArray
    new: np.ndarray
    created: np.ndarray
    closed_at: np.ndarray
    won: np.ndarray
    not_open: np.ndarray
    amount: np.ndarray
    upsell: np.ndarray | None
    upsell_day: np.ndarray | None
    upsell_amount: np.ndarray | None


def _frames(deals: Any, kinds_new: Sequence[str], kinds_upsell: Sequence[str],
            ) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """New deals and won upsells, filtered and narrowed in the engine, as pandas."""
    d = as_frame(deals, name="deals")
    dcols = column_names(d)
    has_kind = "kind" in dcols
    closed = nw.col("closed_at") if "closed_at" in dcols else nw.lit(None, nw.Datetime("us"))
    base = d.select(nw.col("customer_id"), nw.col("created_at"), closed.alias("closed_at"),
                    nw.col("amount").cast(nw.Float64),
                    nw.col("status").cast(nw.String).str.to_lowercase().alias("status"),
                    (nw.col("kind").cast(nw.String).str.to_lowercase() if has_kind
                     else nw.lit("new")).alias("kind"))
    new_pd = to_pandas(base.filter(nw.col("kind").is_in(list(kinds_new))).drop("kind"))
    ups_pd = None
    if has_kind:
        ups = base.filter(nw.col("kind").is_in(list(kinds_upsell)) & (nw.col("status") == "won"))
        event_at = nw.coalesce(nw.col("closed_at"), nw.col("created_at"))
        ups_pd = to_pandas(ups.select(nw.col("customer_id"), event_at.alias("event_at"),
                                      nw.col("amount")))
    return new_pd, ups_pd


def _engine_rows(deals: Any, kinds_new: Sequence[str], kinds_upsell: Sequence[str]) -> DealRows:
    new_pd, ups_pd = _frames(deals, kinds_new, kinds_upsell)
    n_new = len(new_pd)
    ids = new_pd["customer_id"] if ups_pd is None else pd.concat(
        [new_pd["customer_id"], ups_pd["customer_id"]], ignore_index=True)
    return DealRows(
        ids=ids, new=np.arange(n_new), created=to_days(new_pd["created_at"]),
        closed_at=to_days(new_pd["closed_at"]), won=(new_pd["status"] == "won").to_numpy(),
        not_open=(new_pd["status"] != "open").to_numpy(),
        amount=new_pd["amount"].to_numpy(dtype=float, na_value=np.nan),
        upsell=None if ups_pd is None else n_new + np.arange(len(ups_pd)),
        upsell_day=None if ups_pd is None else to_days(ups_pd["event_at"]),
        upsell_amount=None if ups_pd is None else ups_pd["amount"].to_numpy(dtype=float, na_value=0.0))


def _arrow_text(values: pd.Series) -> pa.Array | pa.ChunkedArray | None:
    """The Arrow data of a column of pandas' default string type (``str``: Arrow-backed, NaN
    for missing — the type whose comparisons the engine route reads), else None. Chunks are
    kept as they are: combining 3.5M strings copies them into fresh memory for nothing, since
    the kernels below read chunked arrays."""
    dtype = values.dtype
    if not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow" and dtype.na_value is np.nan):
        return None
    return pa.array(values.array)


def _indices(encoded: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, pa.Array]:
    """Codes (-1: missing; the encoder's integer type, int32, as they come) and dictionary of a
    ``dictionary_encode`` result. The chunks of a chunked result share one dictionary (the
    encoder's final one); checked, else unified."""
    if isinstance(encoded, pa.ChunkedArray):
        if encoded.num_chunks == 0:
            encoded = encoded.combine_chunks()
        else:
            first = encoded.chunk(0).dictionary
            if not all(c.dictionary.equals(first) for c in encoded.chunks[1:]):
                encoded = encoded.unify_dictionaries()
            codes = pa.chunked_array([c.indices for c in encoded.chunks]).fill_null(-1)
            return np.asarray(codes.to_numpy()), encoded.chunk(0).dictionary
    return np.asarray(encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)), encoded.dictionary


class _Lowered:
    """A text column dictionary-encoded once, so each ``x.lower() in (...)`` test runs on its
    few distinct values (the kernels of the engine route) and is read back per row by code."""

    def __init__(self, values: pa.Array | pa.ChunkedArray) -> None:
        self.codes, dictionary = _indices(pc.dictionary_encode(values))
        self.lower = pc.utf8_lower(dictionary)

    def isin(self, wanted: Sequence[str]) -> np.ndarray:
        """Per row: lower-cased value among ``wanted`` (missing: False)."""
        found = pc.is_in(self.lower, value_set=pa.array(list(wanted), type=self.lower.type))
        table = np.append(np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool), False)
        return table[self.codes]  # type: ignore[no-any-return]


def _pandas_rows(deals: pd.DataFrame, kinds_new: Sequence[str], kinds_upsell: Sequence[str],
                 id_type: pa.DataType | None) -> DealRows | None:
    """:func:`_engine_rows` on a pandas frame's arrays; None when its types need the engine route."""
    cols = set(deals.columns)
    if deals.columns.has_duplicates or id_type is None:
        return None
    customer, status = _arrow_text(deals["customer_id"]), _arrow_text(deals["status"])
    kind = _arrow_text(deals["kind"]) if "kind" in cols else None
    amount_type = deals["amount"].dtype
    if (customer is None or status is None or customer.type != id_type or ("kind" in cols and kind is None)
            or not all(isinstance(deals[c].array, pd.arrays.DatetimeArray)
                       for c in ("created_at", "closed_at") if c in cols)
            or not pd.api.types.is_numeric_dtype(amount_type) or pd.api.types.is_bool_dtype(amount_type)):
        return None
    n = len(deals)
    states = _Lowered(status)
    won = states.isin(["won"])
    if kind is not None:
        kinds = _Lowered(kind)
        is_new, is_up = kinds.isin(kinds_new), kinds.isin(kinds_upsell) & won
    else:  # every deal is of kind "new"
        is_new, is_up = np.full(n, "new" in kinds_new), None
    need = is_new if is_up is None else is_new | is_up
    rows = np.flatnonzero(need)
    ids = customer if rows.size == n else pc.filter(customer, pa.array(need))
    created = to_days(deals["created_at"])
    closed = to_days(deals["closed_at"]) if "closed_at" in cols else np.full(n, np.nan)
    amount = deals["amount"].to_numpy(dtype=float, na_value=np.nan)
    new = np.flatnonzero(is_new[rows]) if is_up is not None else rows
    at = rows[new]
    upsell = up_at = None
    if is_up is not None:
        upsell = np.flatnonzero(is_up[rows])
        up_at = rows[upsell]
    return DealRows(
        ids=ids, new=new, created=created[at], closed_at=closed[at], won=won[at],
        not_open=~states.isin(["open"])[at], amount=amount[at], upsell=upsell,
        upsell_day=None if up_at is None else np.where(np.isnan(closed[up_at]), created[up_at], closed[up_at]),
        upsell_amount=None if up_at is None else np.where(np.isnan(amount[up_at]), 0.0, amount[up_at]))


def deal_rows(deals: Any, kinds_new: Sequence[str], kinds_upsell: Sequence[str], *,
              id_type: pa.DataType | None = None) -> DealRows:
    """The deal rows :func:`~roi_kit.followers._arrays.deal_arrays` reads (any engine).

    ``id_type``: the Arrow type of the customer ids when they are Arrow-backed; a pandas frame
    takes the array route only when its ``customer_id`` has that type (one Arrow lookup)."""
    d = as_frame(deals, name="deals")
    require_columns(d, ["customer_id", "created_at", "amount", "status"], name="deals")
    native = nw.to_native(d)
    if isinstance(native, pd.DataFrame):
        rows = _pandas_rows(native, kinds_new, kinds_upsell, id_type)
        if rows is not None:
            return rows
    return _engine_rows(d, kinds_new, kinds_upsell)
