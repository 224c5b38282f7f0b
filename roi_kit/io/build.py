"""Turn a raw table and its column mapping into the canonical frame and its :class:`LoadReport`.

The steps, in order: fill constant columns, check required columns (``MissingColumnError`` with
a ``columns={...}`` hint), decide the file's conventions from evidence (decimal separator, date
order), parse every column by its kind, apply the table's rules (:mod:`roi_kit.io.checks`),
then build the frame and the report. Hashing for the duplicate check and the label maps runs on
a second thread while the columns parse. The two decisions made before parsing live in their
own modules: which required column is missing and what to pass instead
(:mod:`roi_kit.io.missing`), and the file's conventions (:mod:`roi_kit.io.conventions`).

Examples
--------
>>> from roi_kit.io.aliases import resolve_columns
>>> from roi_kit.io.read import read_source
>>> raw = read_source(b"metric,target,period_start,period_end\\nleads,5,2025-01-01,2025-02-01\\n",
...                   name="goals.csv")
>>> loaded = build(raw, "goals", resolve_columns(raw.table.column_names, "goals"))
>>> loaded.report.rows_kept, loaded.frame["target"].tolist()
(1, [5.0])
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from typing import Any, Literal

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from roi_kit.errors import ConfigError, EmptyDataError
from roi_kit.io.aliases import ColumnMapping
from roi_kit.io.cells import _mask, is_text
from roi_kit.io.checks import (
    BLANK_ALLOWED,
    BLANK_EFFECT,
    MAPPED,
    blank_allowed,
    duplicates,
    future_dates,
    log_values,
    table_rules,
)
from roi_kit.io.conventions import DecimalSep, conventions
from roi_kit.io.missing import missing_error
from roi_kit.io.parse import (
    Parsed,
    parse_bools,
    parse_dates,
    parse_numbers,
    plain_edges,
)
from roi_kit.io.raw import RawTable
from roi_kit.io.report import IssueLog, Loaded, LoadReport
from roi_kit.io.synthetic import ad_ids, stable_ids
from roi_kit.schema import TABLES

__all__ = ["DecimalSep", "Engine", "build"]

Engine = Literal["pandas", "polars"]


def build(raw: RawTable, table: str, mapping: ColumnMapping, *, engine: Engine = "pandas",
          decimal: DecimalSep | None = None, dayfirst: bool | None = None,
          fill: Mapping[str, Any] | None = None, status_map: Mapping[str, str] | None = None,
          now: datetime | str | None = None) -> Loaded:
    spec = TABLES[table]
    n = raw.table.num_rows
    cols: dict[str, pa.Array | pa.ChunkedArray] = {}
    for src, col in mapping.mapping.items():
        cols[col] = raw.table[src]
    for src, (a, b) in mapping.split.items():
        parts = pc.extract_regex(pc.cast(raw.table[src].combine_chunks(), pa.string()),
                                 r"^(?P<a>.*?)\s*/\s*(?P<b>.*)$")
        cols[a], cols[b] = pc.struct_field(parts, "a"), pc.struct_field(parts, "b")
    notes = list(raw.notes)
    constants = {**mapping.constants, **{k: v for k, v in (fill or {}).items()}}
    for col, value in constants.items():
        if col not in spec.columns:
            raise ConfigError(f"fill={{{col!r}: ...}}: {col!r} is not a column of the {table} table.",
                              hint=f"use one of: {', '.join(spec.columns)}.")
        if col not in cols:
            cols[col] = pa.array(np.full(n, value, dtype=object).tolist())
            notes.append(f"{col} set to {value!r} for every row"
                         + (f" ({mapping.alias_set} export)" if col in mapping.constants else ""))
    if (table == "posts" and "post_id" not in cols and n  # e.g. insights by weekday and hour
            and not missing_error(raw, table, mapping, ["post_id"]).suggested):  # type: ignore[attr-defined]
        cols["post_id"] = stable_ids(raw.table, "post")
        notes.append("post_id: the file has no post id, so each row got a stable id made from "
                     "its cells (post-<hash>; the same row gets the same id on every load)")
    if table == "ad_performance" and "ad_id" not in cols and n and "campaign" in cols:
        cols["ad_id"], note = ad_ids(cols, platform="platform" in constants)  # else a breakdown
        notes.append(note)
    missing = [c for c in spec.required if c not in cols]
    if missing:
        raise missing_error(raw, table, mapping, missing)
    for groups in spec.one_of:
        if not any(all(c in cols for c in g) for g in groups):
            wanted = " or ".join("+".join(g) for g in groups)
            raise missing_error(raw, table, mapping, list(groups[0]), groups=wanted)
    if n == 0 and not raw.malformed:
        raise EmptyDataError(f"{raw.source} has a header but no data rows.",
                             hint="check the export filters, or that the right sheet was chosen.")

    with ThreadPoolExecutor(max_workers=1) as pool:
        # Hash the raw ids and the labels to map on a second thread while the columns are parsed
        # (polars and pyarrow release the GIL): on two cores this hides most of their cost.
        # Whatever the worker has not started when parsing ends is done on this thread.
        early = {c: pool.submit(_n_unique, cols[c]) for c in spec.ids
                 if c in cols and is_text(cols[c]) and cols[c].null_count == 0}
        distinct = {c: pool.submit(pc.unique, cols[c]) for c in MAPPED
                    if c in cols and is_text(cols[c])}
        return _checked(raw, table, mapping, cols, notes, early, distinct, engine=engine,
                        decimal=decimal, dayfirst=dayfirst, status_map=status_map, now=now)


def _n_unique(values: pa.ChunkedArray | pa.Array) -> int:
    """Number of distinct values, or fewer when two 64-bit hashes collide.

    Only ``== len(values)`` is trusted (distinct hashes prove distinct values); anything less
    sends the column to the exact check in :func:`roi_kit.io.checks.duplicates`. Counting
    polars' hashes of the strings is about half the work of counting the strings themselves.
    """
    return int(pl.Series(values).hash().n_unique())


def _checked(raw: RawTable, table: str, mapping: ColumnMapping, cols: dict[str, Any],
             notes: list[str], early: dict[str, Future[int]],
             distinct: dict[str, Future[Any]], *, engine: Engine,
             decimal: DecimalSep | None, dayfirst: bool | None,
             status_map: Mapping[str, str] | None, now: datetime | str | None) -> Loaded:
    spec = TABLES[table]
    n = raw.table.num_rows
    log = IssueLog(raw.rows)
    drop = np.zeros(n, dtype=bool)
    log.add_rows([r for r, _, _ in raw.malformed], "(row)", [t for _, t, _ in raw.malformed],
                 [p for _, _, p in raw.malformed], "dropped")
    dec_used, dayfirst_by_col, ready = conventions(raw, cols, spec, decimal, dayfirst, raw.delimiter)
    out: dict[str, pa.Array] = {}
    deferred: dict[str, tuple[Any, Parsed]] = {}
    for col in [c for c in spec.columns if c in cols]:
        kind = spec.kind(col)
        original = cols[col]
        parsed = _parse(ready.get(col, original), kind, dec_used, dayfirst_by_col.get(col))
        notes.extend(f"{col}: {note}" for note in parsed.notes)
        out[col] = parsed.values
        if col in BLANK_ALLOWED.get(table, {}):
            deferred[col] = (original, parsed)  # needed or not per row: decided after the rules
            continue
        needed = (_mask(pc.is_null(parsed.values)) if col in spec.required
                  else np.zeros(n, dtype=bool))
        log_values(col, original, parsed, needed, log, drop)
    # Labels the worker has not started yet are done here (the worker is busy hashing ids).
    labels = {c: (pc.unique(cols[c]) if fut.cancel() else fut.result()).to_pylist()
              for c, fut in distinct.items()}
    table_rules(table, out, cols, log, drop, notes, status_map, labels)
    for col, (original, parsed) in deferred.items():
        if not parsed.values.null_count:  # nothing blank: only values read another way to log
            log_values(col, original, parsed, np.zeros(n, dtype=bool), log, drop)
            continue
        blank = _mask(pc.is_null(parsed.values))
        optional = blank_allowed(table, col, out)
        log_values(col, original, parsed, blank & ~optional & ~drop, log, drop)
        kept = blank & optional & ~drop
        log.add(kept, col, original, f"{col} missing", "flagged")
        if kept.any():
            effect = BLANK_EFFECT.get(col, f"left out only of analyses that need {col}")
            notes.append(f"{col}: {int(kept.sum()):,} rows have no {col} ({BLANK_ALLOWED[table][col]}); "
                         f"kept, and {effect}")
    unique = {c for c, fut in early.items()
              if fut.result() == n and _same(out[c], cols[c])}  # trimming changed nothing
    duplicates(tuple(c for c in spec.ids if c not in unique), out, log, drop)
    future_dates(table, out, log, drop, now)

    keep = ~drop
    final_cols = {c: out[c] for c in spec.columns if c in out}
    for extra in mapping.extra:
        name = extra if extra not in final_cols else f"{extra} (unmapped)"
        final_cols[name] = raw.table[extra]
    result = pa.table(final_cols)
    if drop.any():
        result = result.filter(pa.array(keep))
    issues = log.frame()
    rows_dropped = int(drop.sum()) + len(raw.malformed)
    report = LoadReport(
        source=raw.source, table=table, format=raw.format,
        rows_read=n + len(raw.malformed), rows_kept=int(keep.sum()), rows_dropped=rows_dropped,
        issues=issues, encoding=raw.encoding, delimiter=raw.delimiter,
        decimal=dec_used if any(spec.kind(c) in ("number", "integer") and is_text(cols[c])
                                for c in cols) else None,
        thousands=None if dec_used is None else ("." if dec_used == "," else ","),
        alias_set=mapping.alias_set,
        mapping={**mapping.mapping, **{k: " + ".join(v) for k, v in mapping.split.items()}},
        mapping_origin={**mapping.origin, **dict.fromkeys(mapping.split, "alias set")},
        warnings=tuple(notes), extra_columns=mapping.extra)
    if report.rows_kept == 0:
        top = issues[issues["action"] == "dropped"].head(3)
        why = "; ".join(f"row {r.row} {r.column}: {r.problem}" for r in top.itertuples())
        err = EmptyDataError(f"{raw.source}: every row was dropped ({why}).",
                             hint="fix the column named above, or map another column with columns={...}.")
        err.report = report  # type: ignore[attr-defined]
        raise err
    return Loaded(_to_engine(result, engine), report)


def _same(parsed: pa.Array | pa.ChunkedArray, raw: pa.Array | pa.ChunkedArray) -> bool:
    if parsed is raw:
        return True
    if isinstance(raw, pa.ChunkedArray) and not isinstance(parsed, pa.ChunkedArray):
        raw = raw.combine_chunks()
    return bool(parsed.type == raw.type and parsed.equals(raw))


def _parse(values: Any, kind: str, decimal: DecimalSep | None, dayfirst: bool | None) -> Parsed:
    if kind in ("number", "integer"):
        return parse_numbers(values, decimal=decimal, integer=kind == "integer")
    if kind == "datetime":
        return parse_dates(values, dayfirst=dayfirst)
    if kind == "bool":
        return parse_bools(values)
    arr = values  # chunked arrays stay chunked: no copy of the text
    if not is_text(arr):
        if pa.types.is_floating(arr.type) and kind == "id":
            whole = pc.equal(pc.floor(arr), arr)
            if pc.all(pc.fill_null(whole, True)).as_py():
                arr = pc.cast(arr, pa.int64())
        arr = pc.cast(arr, pa.string())
    if kind == "id" and not plain_edges(arr):  # else nothing to trim, no blank ids: no copy
        ascii_only = pc.all(pc.fill_null(pc.string_is_ascii(arr), True)).as_py()
        trimmed = pc.ascii_trim_whitespace(arr) if ascii_only else pc.utf8_trim_whitespace(arr)
        if pc.sum(pc.binary_length(trimmed)).as_py() != pc.sum(pc.binary_length(arr)).as_py():
            arr = trimmed  # else keep the original buffers: no copy, and _same() stays cheap
        if pc.min(pc.binary_length(arr)).as_py() == 0:  # blank ids are missing ids
            arr = pc.if_else(pc.equal(arr, ""), pa.scalar(None, arr.type), arr)
    return Parsed(arr)


def _to_engine(table: pa.Table, engine: Engine) -> Any:
    if engine == "polars":
        import polars as pl

        return pl.from_arrow(table)
    frame = table.to_pandas()
    for name, col in zip(table.column_names, table.columns):
        if pa.types.is_boolean(col.type) and col.null_count:
            frame[name] = frame[name].astype("boolean")
    return frame
