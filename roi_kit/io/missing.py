"""Say which required column a file lacks, and which of its columns could be it.

A :class:`~roi_kit.errors.MissingColumnError` names the file, the missing column(s) and the
columns found, and its hint is a ready ``columns={...}`` mapping built from the unmapped columns
whose content fits (``err.suggested`` carries the same mapping, so apps can pre-fill their
dropdowns). Aggregated files (counts instead of user rows) and one-platform files without a
platform column get a hint of their own.

Examples
--------
>>> from roi_kit.io.aliases import resolve_columns
>>> from roi_kit.io.read import read_source
>>> raw = read_source(b"metric,tgt,period_start,period_end\\nleads,5,2025-01-01,2025-02-01\\n",
...                   name="goals.csv")
>>> err = missing_error(raw, "goals", resolve_columns(raw.table.column_names, "goals"), ["target"])
>>> print(err)
goals.csv is missing the required column 'target' for the goals table. Columns found: metric, tgt, period_start, period_end.
Hint: pass columns={'tgt': 'target'} if those are the right columns.
>>> err.suggested
{'tgt': 'target'}
"""

from __future__ import annotations

from roi_kit.errors import MissingColumnError
from roi_kit.io.aggregate_hint import AGGREGATE_HINT, aggregate_sentence
from roi_kit.io.aliases import ColumnMapping, suggestion
from roi_kit.io.fit import fits
from roi_kit.io.raw import RawTable
from roi_kit.schema import TABLES

__all__ = ["missing_error"]


def missing_error(raw: RawTable, table: str, mapping: ColumnMapping, missing: list[str],
                   groups: str | None = None) -> MissingColumnError:
    found = raw.table.column_names
    free = [h for h in found if h not in mapping.mapping]
    hints = {}
    kinds = TABLES[table].columns
    for col in missing:  # only columns whose content could be that column
        near = suggestion(col, table, [h for h in free if h not in hints
                                       and fits(raw.table[h], kinds.get(col, "text"),
                                                unique=col in TABLES[table].ids, hint=True)])
        if near is not None:
            hints[near] = col
    need = groups or ", ".join(repr(c) for c in missing)
    noun = "column" if len(missing) == 1 and not groups else "columns"
    msg = (f"{raw.source} is missing the required {noun} {need} for the {table} table. "
           f"Columns found: {', '.join(found) or '(none)'}.")
    hint = (f"pass columns={hints!r} if those are the right columns."
            if hints else f"pass columns={{'<your column>': {missing[0]!r}}} to name the column.")
    aggregate = aggregate_sentence(raw.table, table) if "user_id" in missing else None
    if aggregate is not None:  # no mapping can make counts into user rows
        msg += f" {aggregate[0].upper()}{aggregate[1:]}."
        hint, hints = AGGREGATE_HINT[0].upper() + AGGREGATE_HINT[1:], {}
    if "platform" in missing:  # a file of one platform often does not say which
        hint += " A file of one platform needs no column: pass fill={'platform': 'facebook'} (its name)."
    err = MissingColumnError(msg, hint=hint)
    err.suggested = dict(hints)  # type: ignore[attr-defined]  # apps pre-fill their dropdowns
    return err
