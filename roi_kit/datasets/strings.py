"""Fast string columns for large generated tables: categories + integer codes -> pandas ``str``.

Building ten million Python string objects is what makes naive generators slow. Columns are kept
as integer codes into a small list of categories until the very end and materialised by a gather
in polars (string views), handed to pandas as an Arrow-backed ``str`` column.

Examples
--------
>>> import numpy as np
>>> take_str(["a", None, "c"], np.array([2, 0, 1])).tolist()
['c', 'a', nan]
>>> id_strings("C", np.array([1, 42]), 7).to_list()
['C0000001', 'C0000042']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import numpy as np
import pandas as pd
import polars as pl

__all__ = ["concat_str", "id_strings", "pd_str", "take_str"]


def _as_polars(categories: Sequence[str | None] | np.ndarray | pd.Series | pl.Series) -> pl.Series:
    if isinstance(categories, pl.Series):
        return categories.cast(pl.String)
    if isinstance(categories, pd.Series):
        return pl.Series(values=categories.astype("str").to_numpy(dtype=object), dtype=pl.String)
    return pl.Series(values=list(categories), dtype=pl.String)


def take_str(categories: Any, codes: np.ndarray) -> pd.Series:
    """``categories[codes]`` as a pandas ``str`` Series (``None`` categories become missing)."""
    cats = _as_polars(categories)
    idx = pl.Series(np.asarray(codes, dtype=np.int64))
    out = cats.gather(idx) if len(idx) else pl.Series([], dtype=pl.String)
    return cast(pd.Series, pd.Series(pd.array(out.to_arrow(), dtype="str")))


def id_strings(prefix: str, numbers: np.ndarray, width: int) -> pl.Series:
    """``prefix`` + zero-padded ``numbers`` as a polars String Series."""
    digits = pl.Series(np.asarray(numbers, dtype=np.int64)).cast(pl.String).str.zfill(width)
    return pl.select(pl.concat_str([pl.lit(prefix), digits])).to_series()


def concat_str(*parts: pl.Series) -> pl.Series:
    """Concatenate polars String Series (and/or literals wrapped as Series) element-wise."""
    return pl.select(pl.concat_str(list(parts))).to_series()


def pd_str(series: Any) -> pd.Series:
    """A polars String Series (or any sequence) as a pandas ``str`` Series."""
    if isinstance(series, pl.Series):
        return cast(pd.Series, pd.Series(pd.array(series.cast(pl.String).to_arrow(), dtype="str")))
    return cast(pd.Series, pd.Series(series, dtype="str"))
