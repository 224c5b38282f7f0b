"""Engine neutrality: accept any frame narwhals supports, compute in it, return pandas.

Analysis functions call :func:`as_frame` on their inputs, express filters, joins and group-bys
with narwhals (so the work runs inside pandas, polars, DuckDB or Spark), and call
:func:`to_pandas` only on the small aggregated result.

Examples
--------
>>> import pandas as pd
>>> import narwhals as nw
>>> f = as_frame(pd.DataFrame({"g": ["a", "a", "b"], "x": [1, 2, 3]}), name="demo")
>>> to_pandas(f.group_by("g").agg(nw.col("x").sum()).sort("g"))
   g  x
0  a  3
1  b  3
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import narwhals as nw
import pandas as pd

from roi_kit.errors import MissingColumnError, UnsupportedFrameError

__all__ = ["as_frame", "column_names", "engine_name", "is_sql", "recode", "require_columns",
           "to_pandas"]

Frame = nw.DataFrame[Any] | nw.LazyFrame[Any]


def as_frame(data: Any, *, name: str = "data") -> Frame:
    """Wrap a native frame (pandas, polars eager/lazy, pyarrow, DuckDB, Spark) in narwhals.

    Already-wrapped narwhals frames are returned as they are. The caller's data is never copied
    or mutated.

    Parameters
    ----------
    data
        The native frame.
    name
        What to call the argument in error messages.

    Examples
    --------
    >>> import polars as pl
    >>> as_frame(pl.DataFrame({"a": [1]})).columns
    ['a']
    """
    if isinstance(data, nw.DataFrame | nw.LazyFrame):
        return data
    try:
        return nw.from_native(data)  # type: ignore[no-any-return]
    except TypeError as exc:
        raise UnsupportedFrameError(
            f"{name} is a {type(data).__module__}.{type(data).__name__}, not a data frame.",
            hint="pass a pandas, polars, pyarrow, DuckDB or PySpark frame, "
            "or load a file first with its loader, e.g. rk.load_deals(path).",
        ) from exc


def engine_name(data: Any) -> str:
    """The engine behind a frame: ``pandas``, ``polars``, ``pyarrow``, ``duckdb``, ``pyspark`` ...

    Examples
    --------
    >>> import pandas as pd
    >>> engine_name(pd.DataFrame({"a": [1]}))
    'pandas'
    """
    frame = as_frame(data)
    return str(frame.implementation).split(".")[-1].lower()


def column_names(frame: Frame) -> list[str]:
    """Column names of a narwhals frame, eager or lazy, without collecting data.

    Examples
    --------
    >>> import pandas as pd
    >>> column_names(as_frame(pd.DataFrame({"a": [1], "b": [2]})))
    ['a', 'b']
    """
    if isinstance(frame, nw.LazyFrame):
        return list(frame.collect_schema().names())
    return list(frame.columns)


#: the loader of each canonical table, named in hints (every one exists: tests check it)
LOADERS: dict[str, str] = {
    "customers": "rk.load_customers", "deals": "rk.load_deals",
    "touchpoints": "rk.load_touchpoints", "posts": "rk.load_posts", "costs": "rk.load_costs",
    "social_audience": "rk.load_audience", "audience": "rk.load_audience",
    "funnel_events": "rk.load_funnel_events", "goals": "rk.load_goals",
    "service_interactions": "rk.load_service_interactions",
    "ad_performance": "rk.load_ad_performance", "ads": "rk.load_ad_performance",
    "traffic": "rk.load_traffic",
}


def require_columns(frame: Frame, columns: Iterable[str], *, name: str = "data",
                    hint: str | None = None) -> None:
    """Raise :class:`MissingColumnError` naming every missing column and the columns found.

    ``hint`` replaces the default hint (which names the table's loader when ``name`` is a
    canonical table, else renaming the column in the frame).

    Examples
    --------
    >>> import pandas as pd
    >>> require_columns(as_frame(pd.DataFrame({"a": [1]})), ["a", "b"], name="deals")
    Traceback (most recent call last):
    ...
    roi_kit.errors.MissingColumnError: deals is missing the column 'b'. Columns found: a.
    Hint: load the file with rk.load_deals(path, columns={'your_name': 'b'}), or rename the column in the frame.
    """
    found = column_names(frame)
    missing = [c for c in columns if c not in found]
    if missing:
        listed = ", ".join(repr(c) for c in missing)
        noun = "column" if len(missing) == 1 else "columns"
        example = f"columns={{'your_name': {missing[0]!r}}}"
        default = (f"load the file with {LOADERS[name]}(path, {example}), or rename the column "
                   "in the frame." if name in LOADERS else
                   f"rename the column in the frame (frame.rename({example})) or pick another one.")
        raise MissingColumnError(
            f"{name} is missing the {noun} {listed}. Columns found: {', '.join(found) or '(none)'}.",
            hint=hint or default,
        )


def to_pandas(frame: Frame | Any) -> pd.DataFrame:
    """Collect a (small, aggregated) narwhals or native frame into pandas.

    Examples
    --------
    >>> import polars as pl
    >>> to_pandas(pl.LazyFrame({"a": [1, 2]}))["a"].tolist()
    [1, 2]
    """
    frame = as_frame(frame)
    if isinstance(frame, nw.LazyFrame):
        frame = frame.collect()
    out = frame.to_pandas()
    return out.reset_index(drop=True)


def is_sql(frame: Frame) -> bool:
    """Whether the frame is a table in a SQL warehouse (an Ibis table, see rk.warehouse_table).

    SQL has no duration type in narwhals, no ``min()`` of a boolean and no boolean-to-bigint
    cast, so the few expressions that need them take a portable form there.

    Examples
    --------
    >>> import pandas as pd
    >>> is_sql(as_frame(pd.DataFrame({"a": [1]})))
    False
    """
    return frame.implementation is nw.Implementation.IBIS


def recode(frame: Frame, expr: nw.Expr, mapping: dict[Any, Any], *, default: Any,
           return_dtype: Any) -> nw.Expr:
    """``expr.replace_strict(mapping, default=..., return_dtype=...)`` that also runs in SQL.

    Ibis compiles ``replace_strict`` for PostgreSQL into SQL the server rejects (a JSONB
    subquery without an alias), so on a SQL warehouse (:func:`is_sql`) the lookup is a nested
    ``CASE WHEN``; every other engine keeps its native lookup. ``frame`` is the frame the
    expression will run in.

    Examples
    --------
    >>> import pandas as pd
    >>> f = as_frame(pd.DataFrame({"c": ["b", "a", "z"]}))
    >>> f.select(recode(f, nw.col("c"), {"a": 1, "b": 2}, default=0,
    ...                 return_dtype=nw.Int64)).to_native()["c"].tolist()
    [2, 1, 0]
    """
    if not is_sql(frame):
        return expr.replace_strict(mapping, default=default, return_dtype=return_dtype)
    out: nw.Expr = default if isinstance(default, nw.Expr) else nw.lit(default, return_dtype)
    for key, value in reversed(mapping.items()):  # nested CASE: the first key is tested first
        out = nw.when(expr == key).then(nw.lit(value, return_dtype)).otherwise(out)
    return out.cast(return_dtype)
