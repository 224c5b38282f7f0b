"""Exact integer encoding of journeys inside the caller's engine, and engine-neutral helpers.

A path of channel codes ``c_0, c_1, ...`` (1-based, 0 = empty) is the number
``sum c_i * B**i`` with ``B = C + 1``, split into blocks of ``s`` positions so that each block fits
in a signed 64-bit integer (``B**s - 1 <= 2**63 - 1``). Journeys are grouped by their block keys
and length in the engine; :func:`decode` turns the keys back into codes, exactly.

Examples
--------
>>> block_size(11)   # 10 channels: 18 touches per 64-bit block
18
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd
import polars as pl

from roi_kit.engine import is_sql, recode, to_pandas
from roi_kit.epoch import parts_seconds

__all__ = ["age_seconds", "aggregate", "block_size", "decode", "decode_keys", "flag", "split_paths", "split_tolerant"]


def flag(frame: Any, name: str) -> nw.Expr:
    """A 0/1 Int64 expression from a boolean, numeric or text flag column."""
    dtype = frame.collect_schema()[name] if isinstance(frame, nw.LazyFrame) else frame.schema[name]
    col = nw.col(name)
    if dtype == nw.String:
        truth = col.str.to_lowercase().str.strip_chars().is_in(["true", "1", "yes", "y", "t"])
    elif dtype.is_numeric():
        truth = col.fill_null(0) > 0
    else:
        truth = col
    truth = truth.fill_null(False)
    if is_sql(frame):  # SQL has no boolean -> bigint cast
        return nw.when(truth).then(nw.lit(1, nw.Int64)).otherwise(nw.lit(0, nw.Int64))
    return truth.cast(nw.Int64)


def age_seconds(frame: Any, partition: Sequence[str]) -> nw.Expr:
    """Seconds from each touch to the last touch of its journey (``_t`` over ``partition``).

    Spark has no duration arithmetic in narwhals; there a timestamp cast to double is already
    seconds since the epoch.
    """
    impl = frame.implementation
    if is_sql(frame):  # SQL: no durations, no timestamp -> double cast
        return parts_seconds(nw.col("_t").max().over(*partition)) - parts_seconds(nw.col("_t"))
    if impl.is_spark_like():
        last = nw.col("_t").cast(nw.Float64).max().over(*partition)
        return last - nw.col("_t").cast(nw.Float64)
    return (nw.col("_t").max().over(*partition) - nw.col("_t")).dt.total_seconds()


def block_size(base: int) -> int:
    """Largest s with base**s - 1 <= 2**63 - 1 (a block of s codes fits in a signed int64)."""
    s = 1
    while base ** (s + 1) - 1 <= 2**63 - 1:
        s += 1
    return s


def aggregate(base: Any, *, n_codes: int, n_blocks: int = 2) -> pd.DataFrame:
    """Group touches by journey, then journeys by their exact integer encoding."""
    b = n_codes + 1
    s = block_size(b)
    pw = recode(base, nw.col("_pos") % s, {i: b**i for i in range(s)}, default=0,
                return_dtype=nw.Int64)
    touches = base.with_columns(
        (nw.col("_code") * pw).alias("_term"), (nw.col("_pos") // s).alias("_blk")
    )
    keys = [f"_key{j}" for j in range(n_blocks)]
    touches = touches.with_columns(
        *[nw.when(nw.col("_blk") == j).then(nw.col("_term")).otherwise(nw.lit(0, nw.Int64)).alias(k)
          for j, k in enumerate(keys)]
    )
    journeys = touches.group_by("_u", "_pid").agg(
        *[nw.col(k).sum() for k in keys], nw.col("_one").sum().alias("_len"),
        nw.col("_conv").max(), nw.col("_val").sum(),
    )
    journeys = journeys.with_columns(*[nw.col(k).cast(nw.Int64) for k in keys],
                                     nw.col("_len").cast(nw.Int64))
    out = journeys.group_by(*keys, "_len").agg(
        nw.col("_conv").sum().alias("_c"), nw.col("_val").sum().alias("_v"),
        nw.len().alias("_n"),
    )
    table = to_pandas(out)
    longest = int(table["_len"].max()) if len(table) else 0
    if longest > n_blocks * s:
        return aggregate(base, n_codes=n_codes, n_blocks=-(-longest // s))
    table.attrs["block"] = s
    table.attrs["n_blocks"] = n_blocks
    return table.sort_values([*keys, "_len"], kind="stable").reset_index(drop=True)


def decode(table: pd.DataFrame, lengths: np.ndarray, *, n_codes: int) -> np.ndarray:
    """Codes (1-based) of every touch from the block keys, exactly, in int64 arithmetic."""
    keys = np.column_stack([table[f"_key{j}"].to_numpy(np.int64)
                            for j in range(int(table.attrs["n_blocks"]))])
    return decode_keys(keys, lengths, n_codes=n_codes, block=int(table.attrs["block"]))


def decode_keys(keys: np.ndarray, lengths: np.ndarray, *, n_codes: int, block: int) -> np.ndarray:
    """Codes (1-based) of every touch from a (paths x blocks) array of block keys.

    Examples
    --------
    >>> decode_keys(np.array([[2 + 1 * 3], [1]]), np.array([2, 1]), n_codes=2, block=3).tolist()
    [2, 1, 1]
    """
    s = block
    b = n_codes + 1
    pid = np.repeat(np.arange(len(lengths)), lengths)
    starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
    pos = np.arange(len(pid)) - starts
    powers = np.array([b**i for i in range(s)], dtype=np.int64)
    return (keys[pid, pos // s] // powers[pos % s]) % b


_SAMPLE_ROWS = 4096
"""Rows whose names seed the label set before the whole column is cast (see split_paths)."""


def _clean(names: Sequence[str | None], core: str) -> bool:
    return all(n and n == n.strip() and core not in n for n in names)


def split_paths(paths: pl.Series, sep: str) -> tuple[list[str], np.ndarray, np.ndarray] | None:
    """Sorted names, 0-based codes and path lengths of ``"a > b > c"`` strings, or None.

    One vectorised pass in polars: ``str.split`` then a cast of every name to an ``Enum`` of the
    sorted names, whose physical codes are the element codes (no per-path Python lists, no
    ``unique`` over the 3M names of a 1M-journey table: the names come from a spread sample of
    rows, and a name outside the sample makes the strict cast fail, then the names are collected
    from every row). Returns None when a path is missing or any name is empty, carries stray
    whitespace or the separator's core (``"a>b"`` next to ``"a > b"``): the caller then splits
    the tolerant way.

    Examples
    --------
    >>> labels, codes, lengths = split_paths(pl.Series(["b > a", "a"]), " > ")
    >>> labels, codes.tolist(), lengths.tolist()
    (['a', 'b'], [1, 0, 0], [2, 1])
    >>> split_paths(pl.Series(["a>b", "a > b"]), " > ") is None
    True
    """
    if paths.null_count() or not len(paths):
        return None
    core = sep.strip() or sep
    step = max(1, len(paths) // _SAMPLE_ROWS)
    names = paths.gather_every(step).str.split(sep).explode().unique().to_list()
    if not _clean(names, core):
        return None
    labels = sorted(names)
    parts = _parts(len(paths))
    if parts > 1:
        # polars releases the GIL while it splits, so slices run side by side (wall time; the
        # CPU time is the same)
        step = -(-len(paths) // parts)
        chunks = [paths.slice(i * step, step) for i in range(parts)]
        with ThreadPoolExecutor(parts) as pool:
            done = list(pool.map(lambda ch: _encode(ch, sep, labels), chunks))
        if all(d is not None for d in done):
            return (labels, np.concatenate([d[0] for d in done if d is not None]),
                    np.concatenate([d[1] for d in done if d is not None]))
    lists = paths.str.split(sep)
    flat = lists.explode()
    try:
        codes = flat.cast(pl.Enum(labels))
    except pl.exceptions.InvalidOperationError:  # a name the sample did not see
        names = flat.unique().to_list()
        if not _clean(names, core):
            return None
        labels = sorted(names)
        codes = flat.cast(pl.Enum(labels))
    lengths = lists.list.len().to_numpy().astype(np.int64)
    return labels, codes.to_physical().to_numpy().astype(np.int64), lengths


_PARALLEL_ROWS = 100_000
"""Path tables with at least this many rows per slice are split on several threads."""


def _parts(rows: int) -> int:
    return max(1, min(pl.thread_pool_size(), 4, rows // _PARALLEL_ROWS))


def _encode(chunk: pl.Series, sep: str, labels: list[str]) -> tuple[np.ndarray, np.ndarray] | None:
    """Codes and lengths of one slice, or None when it holds a name outside ``labels``."""
    lists = chunk.str.split(sep)
    try:
        codes = lists.explode().cast(pl.Enum(labels))
    except pl.exceptions.InvalidOperationError:
        return None
    return (codes.to_physical().to_numpy().astype(np.int64),
            lists.list.len().to_numpy().astype(np.int64))


def split_tolerant(paths: pl.Series, sep: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Sorted names, codes and lengths, splitting on the separator's core and stripping names.

    ``"a>b"``, ``" a >  b "`` and ``"a > b"`` all read as ``a, b``; empty names are dropped
    and missing paths count as empty (length 0).

    Examples
    --------
    >>> labels, codes, lengths = split_tolerant(pl.Series(["a>b", " a >  > b ", None]), " > ")
    >>> labels, codes.tolist(), lengths.tolist()
    (['a', 'b'], [0, 1, 0, 1], [2, 2, 0])
    """
    core = sep.strip() or sep
    flat = (
        paths.fill_null("").str.split(core).alias("_el").to_frame()
        .with_row_index("_pid")
        .explode("_el")
        .with_columns(pl.col("_el").str.strip_chars())
        .filter(pl.col("_el").is_not_null() & (pl.col("_el") != ""))
    )
    lengths = np.bincount(flat["_pid"].to_numpy().astype(np.int64), minlength=len(paths))
    labels = sorted(str(n) for n in flat["_el"].unique().to_list() if n is not None)
    codes = flat["_el"].cast(pl.Enum(labels)).to_physical().to_numpy().astype(np.int64)
    return labels, codes, lengths
