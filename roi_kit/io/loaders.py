"""Loaders: any source in, the canonical table and a :class:`LoadReport` out; no row lost silently.

``load(source, table)`` reads (see :mod:`roi_kit.io.read`), maps columns (see
:mod:`roi_kit.io.aliases`), parses every column by its kind in :data:`roi_kit.schema.TABLES`
(see :mod:`roi_kit.io.parse`), applies the table's rules (see :mod:`roi_kit.io.rules`) and checks
rows. What happens to bad values:

* unreadable or missing **required** value → row **dropped**;
* unreadable **optional** value → set to missing, **coerced**;
* duplicate id → later rows **dropped** (the first is kept);
* deal with a negative amount → **dropped**; negative cost → **flagged**;
* a date after ``now`` → **flagged** (goal periods and expected close dates of open deals excepted).

Examples
--------
>>> import io
>>> csv = io.BytesIO(b"Deal ID;Customer;Created;Amount;Stage\\n"
...                  b"D1;C1;31/01/2024;1.234,50;Closed Won\\nD2;C2;01/02/2024;-5;Open\\n")
>>> csv.name = "deals.csv"
>>> deals, report = load_deals(csv)
>>> deals[["deal_id", "amount", "status"]].to_dict("records")
[{'deal_id': 'D1', 'amount': 1234.5, 'status': 'won'}]
>>> report.issues[["row", "column", "problem", "action"]].to_dict("records")
[{'row': 3, 'column': 'amount', 'problem': 'negative amount', 'action': 'dropped'}]
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from typing import Any, Literal, TypedDict, Unpack

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from roi_kit.errors import ConfigError, EmptyDataError, MissingColumnError
from roi_kit.io.aliases import ColumnMapping, resolve_columns, suggestion
from roi_kit.io.parse import (
    AmbiguousDateError,
    Parsed,
    PreparedNumbers,
    date_evidence,
    parse_bools,
    parse_dates,
    parse_numbers,
    prepare_numbers,
)
from roi_kit.io.read import RawTable, read_source, source_name
from roi_kit.io.report import IssueLog, Loaded, LoadReport
from roi_kit.io.rules import cost_category, deal_kind, deal_status, map_values, platform_name
from roi_kit.schema import TABLES

__all__ = ["LoadOptions", "load", "load_audience", "load_costs", "load_customers", "load_deals",
           "load_funnel_events", "load_goals", "load_posts", "load_touchpoints"]

Engine = Literal["pandas", "polars"]
DecimalSep = Literal[".", ","]

#: text columns whose labels are mapped onto canonical values (see roi_kit.io.rules)
MAPPED = ("status", "kind", "category", "platform")

#: date columns checked for values in the future, per table
FUTURE_CHECKED: dict[str, tuple[str, ...]] = {
    "customers": ("acquired_at", "churned_at"), "social_audience": ("followed_at", "last_engaged_at"),
    "deals": ("created_at", "closed_at"), "touchpoints": ("timestamp",), "posts": ("published_at",),
    "costs": ("date",), "funnel_events": ("timestamp",), "goals": (),
}


class LoadOptions(TypedDict, total=False):
    """Keyword options shared by every ``load_<table>`` (see :func:`load`)."""

    columns: Mapping[str, str] | None
    engine: Engine
    sheet: str | int | None
    encoding: str | None
    delimiter: str | None
    decimal: DecimalSep | None
    dayfirst: bool | None
    fill: Mapping[str, Any] | None
    status_map: Mapping[str, str] | None
    now: datetime | str | None
    name: str | None


def load(source: Any, table: str, *, columns: Mapping[str, str] | None = None,
         engine: Engine = "pandas", sheet: str | int | None = None, encoding: str | None = None,
         delimiter: str | None = None, decimal: DecimalSep | None = None,
         dayfirst: bool | None = None, fill: Mapping[str, Any] | None = None,
         status_map: Mapping[str, str] | None = None, now: datetime | str | None = None,
         name: str | None = None) -> Loaded:
    """Load ``source`` as the canonical ``table`` and report everything that was changed.

    Parameters
    ----------
    source
        Path (CSV, TSV, TXT, XLSX, Parquet), bytes, file-like object (``.name`` is used in
        messages), ipywidgets upload entry, or a pandas / polars / pyarrow frame.
    table
        Canonical table name: customers, social_audience, deals, touchpoints, posts, costs,
        funnel_events, goals.
    columns
        ``{"their name": "canonical name"}``, applied before the automatic aliases.
    engine
        ``"pandas"`` (default) or ``"polars"`` for the returned frame (cheaper for big data).
    sheet
        Excel sheet name or index (default: the first).
    encoding, delimiter, decimal
        Override detection (``decimal=","`` for ``1.234,56``).
    dayfirst
        Order of numeric dates when the data cannot tell (``True`` = 31/12/2024).
    fill
        Constant values for absent columns, e.g. ``{"platform": "linkedin"}``.
    status_map
        Extra deal status labels, e.g. ``{"Signed": "won"}``.
    now
        Reference time for "date in the future" flags (default: the current UTC time).
    name
        Name used in the report and messages (default: the file name).

    Examples
    --------
    >>> import pandas as pd
    >>> goals = pd.DataFrame({"metric": ["leads"], "target": ["1,200"],
    ...                       "period_start": ["2025-01-01"], "period_end": ["2025-03-31"]})
    >>> frame, report = load(goals, "goals")
    >>> frame["target"].tolist(), report.rows_kept
    ([1200.0], 1)
    """
    if table not in TABLES:
        raise ConfigError(f"table={table!r} is not a canonical table.",
                          hint=f"use one of: {', '.join(TABLES)}.")
    if engine not in ("pandas", "polars"):
        raise ConfigError(f"engine={engine!r} is not supported.", hint="use 'pandas' or 'polars'.")
    label = source_name(source, name)
    seen: dict[str, ColumnMapping] = {}
    spec = TABLES[table]

    def types_for(headers: list[str], delim: str) -> dict[str, pa.DataType]:
        m = resolve_columns(headers, table, columns=columns)
        seen["m"] = m
        out: dict[str, pa.DataType] = {}
        for src, col in m.mapping.items():
            kind = spec.kind(col)
            if kind in ("id", "text", "bool"):
                out[src] = pa.string()
            elif kind in ("number", "integer") and decimal != "," and not (
                    decimal is None and delim == ";"):  # ';' files usually write 1.234,56
                out[src] = pa.float64()
            elif kind in ("number", "integer"):
                out[src] = pa.string()
        for src in m.split:
            out[src] = pa.string()
        return out

    raw = read_source(source, name=label, types_for=types_for, sheet=sheet, encoding=encoding,
                      delimiter=delimiter)
    mapping = resolve_columns(raw.table.column_names, table, columns=columns)
    return _build(raw, table, mapping, engine=engine, decimal=decimal, dayfirst=dayfirst,
                  fill=fill, status_map=status_map, now=now)


def _missing_error(raw: RawTable, table: str, mapping: ColumnMapping, missing: list[str],
                   groups: str | None = None) -> MissingColumnError:
    found = raw.table.column_names
    free = [h for h in found if h not in mapping.mapping]
    hints = {}
    for col in missing:
        near = suggestion(col, table, [h for h in free if h not in hints])
        if near is not None:
            hints[near] = col
    need = groups or ", ".join(repr(c) for c in missing)
    noun = "column" if len(missing) == 1 and not groups else "columns"
    msg = (f"{raw.source} is missing the required {noun} {need} for the {table} table. "
           f"Columns found: {', '.join(found) or '(none)'}.")
    hint = (f"pass columns={hints!r} if those are the right columns."
            if hints else f"pass columns={{'<your column>': {missing[0]!r}}} to name the column.")
    return MissingColumnError(msg, hint=hint)


def _build(raw: RawTable, table: str, mapping: ColumnMapping, *, engine: Engine,
           decimal: DecimalSep | None, dayfirst: bool | None, fill: Mapping[str, Any] | None,
           status_map: Mapping[str, str] | None, now: datetime | str | None) -> Loaded:
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
    missing = [c for c in spec.required if c not in cols]
    if missing:
        raise _missing_error(raw, table, mapping, missing)
    for groups in spec.one_of:
        if not any(all(c in cols for c in g) for g in groups):
            wanted = " or ".join("+".join(g) for g in groups)
            raise _missing_error(raw, table, mapping, list(groups[0]), groups=wanted)
    if n == 0 and not raw.malformed:
        raise EmptyDataError(f"{raw.source} has a header but no data rows.",
                             hint="check the export filters, or that the right sheet was chosen.")

    with ThreadPoolExecutor(max_workers=1) as pool:
        # Hash the raw ids and the labels to map on a second thread while the columns are parsed
        # (polars and pyarrow release the GIL): on two cores this hides most of their cost.
        early = {c: pool.submit(_n_unique, cols[c]) for c in spec.ids
                 if c in cols and _is_text(cols[c]) and cols[c].null_count == 0}
        distinct = {c: pool.submit(pc.unique, cols[c]) for c in MAPPED
                    if c in cols and _is_text(cols[c])}
        return _checked(raw, table, mapping, cols, notes, early, distinct, engine=engine,
                        decimal=decimal, dayfirst=dayfirst, status_map=status_map, now=now)


def _n_unique(values: pa.ChunkedArray | pa.Array) -> int:
    return int(pl.Series(values).n_unique())


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
    dec_used, dayfirst_by_col, ready = _conventions(raw, cols, spec, decimal, dayfirst, raw.delimiter)
    out: dict[str, pa.Array] = {}
    for col in [c for c in spec.columns if c in cols]:
        kind = spec.kind(col)
        original = cols[col]
        parsed = _parse(ready.get(col, original), kind, dec_used, dayfirst_by_col.get(col))
        notes.extend(f"{col}: {note}" for note in parsed.notes)
        required = col in spec.required
        values = parsed.values
        for problem, mask in parsed.problems.items():
            log.add(mask, col, original, problem, "dropped" if required else "coerced")
            if required:
                drop |= mask
        if required:
            bad = np.zeros(n, dtype=bool)
            for mask in parsed.problems.values():
                bad |= mask
            empty = np.asarray(pc.is_null(values).to_numpy(zero_copy_only=False), dtype=bool) & ~bad
            log.add(empty, col, original, "missing value", "dropped")
            drop |= empty
        out[col] = values
    labels = {c: fut.result().to_pylist() for c, fut in distinct.items()}
    _table_rules(table, out, cols, log, drop, notes, status_map, labels)
    unique = {c for c, fut in early.items()
              if fut.result() == n and _same(out[c], cols[c])}  # trimming changed nothing
    _duplicates(tuple(c for c in spec.ids if c not in unique), out, log, drop)
    _future(table, out, log, drop, now)

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
        decimal=dec_used if any(spec.kind(c) in ("number", "integer") and _is_text(cols[c])
                                for c in cols) else None,
        thousands=None if dec_used is None else ("." if dec_used == "," else ","),
        alias_set=mapping.alias_set,
        mapping={**mapping.mapping, **{k: " + ".join(v) for k, v in mapping.split.items()}},
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


def _is_text(values: pa.Array | pa.ChunkedArray) -> bool:
    return pa.types.is_string(values.type) or pa.types.is_large_string(values.type)


def _conventions(raw: RawTable, cols: dict[str, Any], spec: Any, decimal: DecimalSep | None,
                 dayfirst: bool | None, delimiter: str | None
                 ) -> tuple[DecimalSep | None, dict[str, bool | None], dict[str, PreparedNumbers]]:
    """Decide the decimal separator for the file and the date order per column, from evidence.

    Also returns the text number columns already cleaned for the evidence, to parse them once.
    """
    dec: DecimalSep | None = decimal
    ready: dict[str, PreparedNumbers] = {}
    if dec is None:
        comma = dot = 0
        text_numbers = False
        for col, values in cols.items():
            if spec.kind(col) in ("number", "integer") and _is_text(values):
                text_numbers = True
                prepared = prepare_numbers(values)
                if prepared is not None:
                    ready[col] = prepared  # parsed later without cleaning the text again
                    c, d = prepared.evidence()
                    comma, dot = comma + c, dot + d
        if text_numbers:
            dec = "," if comma > dot or (comma == dot == 0 and delimiter == ";") else "."
    by_col: dict[str, bool | None] = {}
    evidence = {c: date_evidence(v) for c, v in cols.items()
                if spec.kind(c) == "datetime" and _is_text(v)}
    decided = {c: e.decides for c, e in evidence.items() if e.decides is not None}
    file_order = set(decided.values())
    for col, ev in evidence.items():
        if dayfirst is not None or ev.numeric == 0:
            by_col[col] = dayfirst
            continue
        if len(ev.day_rows) and len(ev.month_rows):
            rows = raw.rows
            v = cols[col]
            d, m = int(ev.day_rows[0]), int(ev.month_rows[0])
            raise AmbiguousDateError(
                f"{raw.source}, column {col!r}: dates contradict each other — row {rows[d]} "
                f"({v[d]}) can only be day-first and row {rows[m]} ({v[m]}) can only be month-first.",
                hint="pass dayfirst=True or dayfirst=False; the rows that do not fit are then "
                "reported and handled like other unreadable values.")
        if ev.decides is not None:
            by_col[col] = ev.decides
        elif len(file_order) == 1:
            by_col[col] = next(iter(file_order))
        elif ev.dotted:
            by_col[col] = True
        else:
            example = next(x for x in cols[col].to_pylist() if x and x.strip())
            raise AmbiguousDateError(
                f"{raw.source}, column {col!r}: dates such as {example!r} read as day-first or "
                "month-first, and no value in the file decides (no day above 12).",
                hint="pass dayfirst=True (31/12/2024 style) or dayfirst=False (12/31/2024 style).")
    return dec, by_col, ready


def _parse(values: Any, kind: str, decimal: DecimalSep | None, dayfirst: bool | None) -> Parsed:
    if kind in ("number", "integer"):
        return parse_numbers(values, decimal=decimal, integer=kind == "integer")
    if kind == "datetime":
        return parse_dates(values, dayfirst=dayfirst)
    if kind == "bool":
        return parse_bools(values)
    arr = values  # chunked arrays stay chunked: no copy of the text
    if not _is_text(arr):
        if pa.types.is_floating(arr.type) and kind == "id":
            whole = pc.equal(pc.floor(arr), arr)
            if pc.all(pc.fill_null(whole, True)).as_py():
                arr = pc.cast(arr, pa.int64())
        arr = pc.cast(arr, pa.string())
    if kind == "id":
        ascii_only = pc.all(pc.fill_null(pc.string_is_ascii(arr), True)).as_py()
        trimmed = pc.ascii_trim_whitespace(arr) if ascii_only else pc.utf8_trim_whitespace(arr)
        if pc.sum(pc.binary_length(trimmed)).as_py() != pc.sum(pc.binary_length(arr)).as_py():
            arr = trimmed  # else keep the original buffers: no copy, and _same() stays cheap
        if pc.min(pc.binary_length(arr)).as_py() == 0:  # blank ids are missing ids
            arr = pc.if_else(pc.equal(arr, ""), pa.scalar(None, arr.type), arr)
    return Parsed(arr)


def _table_rules(table: str, out: dict[str, pa.Array], raw: dict[str, Any], log: IssueLog,
                 drop: np.ndarray, notes: list[str], status_map: Mapping[str, str] | None,
                 labels: dict[str, list[Any]]) -> None:
    if table == "deals":
        status, unknown = map_values(out["status"], lambda v: deal_status(v, status_map),
                                     labels.get("status"))
        log.add(unknown & ~drop, "status", raw["status"],
                "unknown deal status (expected won, lost, open or a CRM stage name)", "dropped")
        drop |= unknown
        out["status"] = status
        lowest = pc.min(out["amount"]).as_py()
        neg = (_mask(pc.less(out["amount"], 0.0)) if lowest is not None and lowest < 0
               else np.zeros(len(drop), dtype=bool)) & ~drop
        log.add(neg, "amount", raw["amount"], "negative amount", "dropped")
        drop |= neg
        if "kind" in out:
            kinds, unknown_kind = map_values(out["kind"], deal_kind, labels.get("kind"))
            if unknown_kind.any():
                left = pc.filter(out["kind"], pa.array(unknown_kind))
                shown = ", ".join(repr(v) for v in pc.unique(left).to_pylist()[:5])
                notes.append(f"kind: values not recognised, kept as they are: {shown}")
                kinds = pc.if_else(pa.array(unknown_kind), out["kind"], kinds)
            out["kind"] = kinds
        if "closed_at" in out:
            early = _earlier(out["closed_at"], out["created_at"], drop)
            log.add(early, "closed_at", raw["closed_at"], "closed before it was created", "flagged")
    elif table == "costs":
        cats, unknown = map_values(out["category"], cost_category, labels.get("category"))
        log.add(unknown, "category", raw["category"], "unknown category (set to other)", "coerced")
        out["category"] = pc.if_else(pa.array(unknown), pa.scalar("other"), cats)
        if "amount" in out:
            neg = _mask(pc.less(out["amount"], 0.0)) & ~drop
            log.add(neg, "amount", raw["amount"], "negative amount (refund or credit?)", "flagged")
        has_amount = _mask(pc.is_valid(out["amount"])) if "amount" in out else np.zeros(len(drop), bool)
        has_rate = (_mask(pc.is_valid(out["hours"])) & _mask(pc.is_valid(out["rate"]))
                    if "hours" in out and "rate" in out else np.zeros(len(drop), bool))
        none = ~has_amount & ~has_rate & ~drop
        log.add(none, "amount", raw.get("amount", ""), "no amount, and no hours and rate", "dropped")
        drop |= none
    elif table == "customers" and "churned_at" in out:
        early = _earlier(out["churned_at"], out["acquired_at"], drop)
        log.add(early, "churned_at", raw["churned_at"], "churned before acquired", "flagged")
    elif table == "goals":
        early = _earlier(out["period_end"], out["period_start"], drop)
        log.add(early, "period_end", raw["period_end"], "period ends before it starts", "dropped")
        drop |= early
    if "platform" in out:
        out["platform"], _ = map_values(out["platform"], platform_name, labels.get("platform"))


def _earlier(later: Any, earlier: Any, drop: np.ndarray) -> np.ndarray:
    """Rows (not dropped) where ``later`` is before ``earlier``; cheap when there are none."""
    less = pc.less(later, earlier)
    if not pc.any(less).as_py():
        return np.zeros(len(drop), dtype=bool)
    return _mask(less) & ~drop


def _mask(values: Any) -> np.ndarray:
    return np.asarray(pc.fill_null(values, False).to_numpy(zero_copy_only=False), dtype=bool)


def _duplicates(ids: tuple[str, ...], out: dict[str, pa.Array], log: IssueLog,
                drop: np.ndarray) -> None:
    for col in ids:
        values = out[col]
        kept = values if not drop.any() else pc.filter(values, pa.array(~drop))
        series = pl.Series(kept)
        if series.n_unique() == len(kept):  # polars: the fastest hash on this machine
            continue
        pos = np.flatnonzero(~drop)
        codes = series.rank("dense").to_numpy().astype(np.int64) - 1
        _, first_idx = np.unique(codes, return_index=True)
        first = first_idx[codes]
        dup = first != np.arange(len(codes))
        mask = np.zeros(len(drop), dtype=bool)
        mask[pos[dup]] = True
        first_rows = np.zeros(len(drop), dtype=np.int64)
        first_rows[pos] = log.rows[pos[first]]
        problems = np.char.add(np.char.add(f"duplicate {col} (first seen on row ",
                                           first_rows.astype(str)), ")")
        log.add(mask, col, values, problems.astype(object), "dropped")
        drop |= mask


def _future(table: str, out: dict[str, pa.Array], log: IssueLog, drop: np.ndarray,
            now: datetime | str | None) -> None:
    ref = pd.Timestamp.now(tz="UTC").tz_localize(None) if now is None else pd.Timestamp(now)
    if ref.tzinfo is not None:
        ref = ref.tz_convert("UTC").tz_localize(None)
    scalar = pa.scalar(ref.to_datetime64().astype("datetime64[us]"), type=pa.timestamp("us"))
    for col in FUTURE_CHECKED.get(table, ()):
        if col not in out:
            continue
        latest = pc.max(out[col]).as_py()
        if latest is None or pd.Timestamp(latest) <= ref:
            continue
        mask = _mask(pc.greater(out[col], scalar)) & ~drop
        if table == "deals" and col == "closed_at":
            mask &= _mask(pc.is_in(out["status"], value_set=pa.array(["won", "lost"])))
        log.add(mask, col, out[col], "date in the future", "flagged")


def _to_engine(table: pa.Table, engine: Engine) -> Any:
    if engine == "polars":
        import polars as pl

        return pl.from_arrow(table)
    frame = table.to_pandas()
    for name, col in zip(table.column_names, table.columns):
        if pa.types.is_boolean(col.type) and col.null_count:
            frame[name] = frame[name].astype("boolean")
    return frame


def load_customers(source: Any, **options: Unpack[LoadOptions]) -> Loaded:
    """Load the customers table (customer_id, acquired_at, churned_at, mrr, covariates ...).

    Options as in :func:`load`.

    Examples
    --------
    >>> import pandas as pd
    >>> df, rep = load_customers(pd.DataFrame({"Customer ID": [1, 2], "Signup date": ["2024-01-03", "2024-02-05"]}))
    >>> df["customer_id"].tolist(), rep.mapping
    (['1', '2'], {'Customer ID': 'customer_id', 'Signup date': 'acquired_at'})
    """
    return load(source, "customers", **options)


def load_deals(source: Any, **options: Unpack[LoadOptions]) -> Loaded:
    """Load the deals table (deal_id, customer_id, created_at, amount, status won/lost/open ...).

    Options as in :func:`load`; ``status_map={"Signed": "won"}`` adds stage labels.

    Examples
    --------
    >>> import pandas as pd
    >>> src = pd.DataFrame({"Opportunity ID": ["o1"], "Account ID": ["a1"], "Created Date": ["2024-03-01"],
    ...                     "Amount": ["$1,200.00"], "Stage": ["Closed Won"], "Opportunity Name": ["x"]})
    >>> df, rep = load_deals(src)
    >>> rep.alias_set, df["amount"].tolist(), df["status"].tolist()
    ('Salesforce opportunities', [1200.0], ['won'])
    """
    return load(source, "deals", **options)


def load_touchpoints(source: Any, **options: Unpack[LoadOptions]) -> Loaded:
    """Load marketing touchpoints (user_id, timestamp, source+medium or url, campaign ...).

    GA4's combined ``Session source / medium`` column is split into source and medium.

    Examples
    --------
    >>> import pandas as pd
    >>> src = pd.DataFrame({"User pseudo ID": ["u1"], "Date": [20240105],
    ...                     "Session source / medium": ["google / cpc"]})
    >>> df, rep = load_touchpoints(src)
    >>> rep.alias_set, df[["source", "medium"]].iloc[0].tolist(), str(df["timestamp"].iloc[0])
    ('GA4 export', ['google', 'cpc'], '2024-01-05 00:00:00')
    """
    return load(source, "touchpoints", **options)


def load_posts(source: Any, **options: Unpack[LoadOptions]) -> Loaded:
    """Load social posts (post_id, platform, published_at, reach, impressions, likes ...).

    Meta, LinkedIn and X exports are recognised; their platform is filled in.

    Examples
    --------
    >>> import pandas as pd
    >>> src = pd.DataFrame({"Tweet id": ["1"], "Tweet text": ["hi"], "time": ["2024-01-02 10:00 +0000"],
    ...                     "impressions": [100], "retweets": [2], "replies": [1]})
    >>> df, rep = load_posts(src)
    >>> rep.alias_set, df["platform"].iloc[0], int(df["shares"].iloc[0])
    ('X/Twitter post analytics', 'x', 2)
    """
    return load(source, "posts", **options)


def load_costs(source: Any, **options: Unpack[LoadOptions]) -> Loaded:
    """Load the social media cost ledger (date, category, amount or hours × rate ...).

    Examples
    --------
    >>> import pandas as pd
    >>> src = pd.DataFrame({"date": ["2024-01-31"], "category": ["Ad spend"], "amount": ["€500,00"]})
    >>> df, rep = load_costs(src)
    >>> df["category"].tolist(), df["amount"].tolist()
    (['ads'], [500.0])
    """
    return load(source, "costs", **options)


def load_audience(source: Any, **options: Unpack[LoadOptions]) -> Loaded:
    """Load the social audience (customer_id / email / handle, platform, followed_at ...).

    Examples
    --------
    >>> import pandas as pd
    >>> df, rep = load_audience(pd.DataFrame({"Email": ["a@x.com"], "Network": ["LinkedIn"]}))
    >>> df[["email", "platform"]].iloc[0].tolist()
    ['a@x.com', 'linkedin']
    """
    return load(source, "social_audience", **options)


def load_funnel_events(source: Any, **options: Unpack[LoadOptions]) -> Loaded:
    """Load funnel events (user_id, timestamp, event, channel, paid, value).

    Examples
    --------
    >>> import pandas as pd
    >>> src = pd.DataFrame({"user_id": ["u1"], "timestamp": ["2024-01-05"], "event": ["lead"], "paid": ["yes"]})
    >>> bool(load_funnel_events(src).frame["paid"].iloc[0])
    True
    """
    return load(source, "funnel_events", **options)


def load_goals(source: Any, **options: Unpack[LoadOptions]) -> Loaded:
    """Load SMART goals (metric, target, period_start, period_end, owner, stage, baseline).

    Examples
    --------
    >>> import pandas as pd
    >>> src = pd.DataFrame({"KPI": ["leads"], "Target": ["12%"], "Start": ["2025-01-01"], "End": ["2025-12-31"]})
    >>> load_goals(src).frame["target"].tolist()
    [0.12]
    """
    return load(source, "goals", **options)
