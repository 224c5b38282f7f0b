"""Read frames and Arrow tables already in memory as a raw table of plain columns.

pandas, polars (eager or lazy), pyarrow and narwhals frames skip all file sniffing: their columns
become Arrow arrays as they are (a named index becomes a column), header names go through
:func:`~roi_kit.io.raw.dedupe`, dictionary and string-view columns become plain strings, and a
pandas column Arrow cannot type is read as text. ``row`` is the position + 2, the row the record
would have in a CSV export.

Examples
--------
>>> import pandas as pd
>>> raw = from_frame(pd.DataFrame({"id": ["d1", "d2"], "id ": [1, 2]}), "deals")
>>> raw.format, raw.table.column_names, raw.rows.tolist()
('pandas frame', ['id', 'id (2)'], [2, 3])
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from roi_kit.io.raw import RawTable, dedupe

__all__ = ["from_frame", "plain"]


def from_frame(source: Any, label: str) -> RawTable | None:
    if isinstance(source, pd.DataFrame):
        frame = source
        if any(n is not None for n in frame.index.names):
            frame = frame.reset_index()
        cols = [str(c) for c in frame.columns]
        arrays = [_pandas_column(frame.iloc[:, i]) for i in range(frame.shape[1])]
        table = pa.table(dict(zip(dedupe(cols), arrays))) if cols else pa.table({})
        return RawTable(table, label, "pandas frame", np.arange(len(frame)) + 2)
    module = type(source).__module__.split(".")[0]
    if module == "polars":
        import polars as pl

        if isinstance(source, pl.LazyFrame):
            source = source.collect()
        if isinstance(source, pl.DataFrame):
            return RawTable(plain(source.to_arrow()), label, "polars frame",
                            np.arange(source.height) + 2)
    if isinstance(source, pa.Table):
        return RawTable(plain(source), label, "arrow table", np.arange(source.num_rows) + 2)
    if module == "narwhals":
        return from_frame(source.to_native(), label)
    return None


def _pandas_column(col: pd.Series) -> pa.Array:
    try:
        arr = pa.array(col, from_pandas=True)
        if not pa.types.is_null(arr.type):
            return arr
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        pass
    missing = col.isna().to_numpy()
    return pa.array(col.astype(str).to_numpy(dtype=object), type=pa.string(), mask=missing)


def plain(table: pa.Table) -> pa.Table:
    """Dedupe names, turn string views / dictionaries into plain strings."""
    cols = []
    for col in table.columns:
        t = col.type
        if pa.types.is_dictionary(t):
            col = col.cast(t.value_type)
            t = col.type
        if pa.types.is_string_view(t):
            col = col.cast(pa.large_string())
        cols.append(col)
    return pa.table(cols, names=dedupe([str(n) for n in table.column_names]))

