"""What a loader did: :class:`LoadReport` (format, mapping, row counts, issues) and :class:`Loaded`.

``issues`` is a pandas frame with one line per problem found:

``row``      spreadsheet row of the record (header = row 1, first data row = row 2; for frames and
             Parquet files, position + 2)
``column``   canonical column (``(row)`` when the whole line was unreadable)
``value``    the original text of the cell, as read
``problem``  what is wrong, in words
``action``   ``dropped`` (row removed), ``coerced`` (value set to missing or replaced) or
             ``flagged`` (kept as it is, worth a look)

Invariant: ``rows_read == rows_kept + rows_dropped`` and every dropped row appears in ``issues``
with action ``dropped``.

Examples
--------
>>> import pandas as pd
>>> issues = pd.DataFrame({"row": [3], "column": ["amount"], "value": ["-5"],
...                        "problem": ["negative amount"], "action": ["dropped"]})
>>> r = LoadReport(source="deals.csv", table="deals", format="csv", rows_read=2, rows_kept=1,
...                rows_dropped=1, issues=issues)
>>> print(r.summary().splitlines()[1])
Rows: 2 read, 1 kept, 1 dropped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from roi_kit.results import ResultMixin, escape, frame_to_html

__all__ = ["ISSUE_COLUMNS", "IssueLog", "LoadReport", "Loaded"]

ISSUE_COLUMNS = ("row", "column", "value", "problem", "action")


def _empty_issues() -> pd.DataFrame:
    return pd.DataFrame({"row": pd.Series([], dtype="int64"),
                         **{c: pd.Series([], dtype="str") for c in ISSUE_COLUMNS[1:]}})


@dataclass(frozen=True, eq=False)
class LoadReport(ResultMixin):
    """Everything a loader found and did, for the reader to check.

    Attributes
    ----------
    source, table, format
        File (or frame) name, canonical table, detected format (csv, tsv, excel, parquet,
        pandas frame, polars frame, arrow table).
    encoding, delimiter, decimal, thousands
        Detected text conventions (``None`` where they do not apply).
    alias_set
        Export family whose headers were recognised (e.g. ``"HubSpot deals"``), or ``None``.
    mapping
        ``{source column: canonical column}`` actually used.
    mapping_origin
        ``{source column: origin}``: ``"columns="`` (named by the caller), ``"canonical name"``,
        ``"alias set"`` (the export family in ``alias_set``) or ``"common aliases"``.
    rows_read, rows_kept, rows_dropped
        Data rows seen, returned, removed (``rows_read == rows_kept + rows_dropped``).
    issues
        One line per problem: row, column, value, problem, action (see module docstring).
    warnings
        Column-level notes: conventions chosen, conversions made, values kept as they are.
    extra_columns
        Source columns that are not part of the canonical table (kept unchanged).

    Examples
    --------
    >>> import pandas as pd
    >>> import roi_kit as rk
    >>> _, report = rk.load_customers(pd.DataFrame({"customer_id": ["c1", "c1"],
    ...                                             "acquired_at": ["2024-01-05", "2024-02-01"]}))
    >>> report.rows_read, report.rows_kept, report.rows_dropped
    (2, 1, 1)
    >>> report.issues[["row", "problem", "action"]].values.tolist()
    [[3, 'duplicate customer_id (first seen on row 2)', 'dropped']]
    """

    source: str
    table: str
    format: str
    rows_read: int
    rows_kept: int
    rows_dropped: int
    issues: pd.DataFrame = field(default_factory=_empty_issues)
    encoding: str | None = None
    delimiter: str | None = None
    decimal: str | None = None
    thousands: str | None = None
    alias_set: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    mapping_origin: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    extra_columns: tuple[str, ...] = ()

    def action_counts(self) -> dict[str, int]:
        """Number of distinct rows per action (dropped / coerced / flagged)."""
        if self.issues.empty:
            return {}
        return {str(k): int(v) for k, v in self.issues.groupby("action")["row"].nunique().items()}

    def _format_line(self) -> str:
        bits = [self.format]
        if self.encoding:
            bits.append(self.encoding)
        if self.delimiter:
            bits.append("delimiter " + ("tab" if self.delimiter == "\t" else repr(self.delimiter)))
        if self.decimal:
            bits.append(f"decimal {self.decimal!r}")
        if self.thousands:
            bits.append(f"thousands {self.thousands!r}")
        return ", ".join(bits)

    def summary(self) -> str:
        """Plain-words account of the load (what was read, mapped, dropped and why)."""
        lines = [f"Loaded {self.table} from {self.source} ({self._format_line()}).",
                 f"Rows: {self.rows_read:,} read, {self.rows_kept:,} kept, "
                 f"{self.rows_dropped:,} dropped."]
        lines.extend(self._mapping_lines())
        counts = self.action_counts()
        if counts:
            lines.append("Rows with issues: " + ", ".join(f"{n:,} {a}" for a, n in sorted(counts.items()))
                         + " (see .issues).")
            top = (self.issues.groupby(["column", "problem", "action"]).size()
                   .sort_values(ascending=False).head(5))
            for (col, prob, act), n in top.items():
                lines.append(f"  {col}: {prob} — {n:,} × {act}")
        else:
            lines.append("No issues found.")
        lines.extend(f"Note: {w}" for w in self.warnings)
        if self.extra_columns:
            lines.append("Kept unchanged (not part of the table): " + ", ".join(self.extra_columns) + ".")
        return "\n".join(lines)

    def _family(self) -> str:
        name = str(self.alias_set)
        return name if name.lower().endswith("export") else f"{name} export"

    def _mapping_lines(self) -> list[str]:
        """Who mapped which column: the user's ``columns=``, the export family, common aliases."""
        renamed = {k: v for k, v in self.mapping.items() if k != v}
        groups: dict[str, dict[str, str]] = {}
        for k, v in renamed.items():
            how = self.mapping_origin.get(k, "alias set" if self.alias_set else "common aliases")
            if how == "canonical name":  # another spelling of the name (Deal ID → deal_id)
                how = "common aliases"
            groups.setdefault(how, {})[k] = v
        lines = []
        for how, title in (("columns=", "Columns you named (columns=)"),
                           ("alias set", f"Columns recognised as {self._family()}"),
                           ("common aliases", "Columns recognised as common aliases")):
            pairs = ", ".join(f"{k!r} → {v}" for k, v in groups.get(how, {}).items())
            if pairs:
                lines.append(f"{title}: {pairs}.")
        if self.alias_set and "alias set" not in groups:
            lines.append(f"Columns recognised as {self._family()}: names already canonical.")
        return lines

    def to_frame(self) -> pd.DataFrame:
        """The issues table (a copy): row, column, value, problem, action."""
        return self.issues.copy()

    def mapping_frame(self) -> pd.DataFrame:
        """The column mapping as a frame: ``source``, ``canonical``, ``origin``."""
        return pd.DataFrame({"source": list(self.mapping), "canonical": list(self.mapping.values()),
                             "origin": [self.mapping_origin.get(k, "") for k in self.mapping]})

    def _repr_html_(self) -> str:
        lines = self.summary().split("\n")
        body = "".join(f"<p>{escape(line)}</p>" for line in lines if not line.startswith("  "))
        parts = [f"<div class='roi-kit-result roi-kit-load-report'><h4>LoadReport: "
                 f"{escape(self.table)} ← {escape(self.source)}</h4>", body]
        if self.mapping:
            parts.append("<details><summary>Column mapping</summary>"
                         + frame_to_html(self.mapping_frame(), max_rows=60) + "</details>")
        if not self.issues.empty:
            parts.append("<details open><summary>Issues</summary>"
                         + frame_to_html(self.issues, max_rows=20) + "</details>")
        parts.append("</div>")
        return "".join(parts)

    def __repr__(self) -> str:
        return (f"LoadReport(source={self.source!r}, table={self.table!r}, rows_read={self.rows_read}, "
                f"rows_kept={self.rows_kept}, rows_dropped={self.rows_dropped}, "
                f"issues={len(self.issues)})")


@dataclass(frozen=True, eq=False)
class Loaded:
    """A loaded table: unpacks into ``(frame, report)``; also ``.frame`` and ``.report``.

    Examples
    --------
    >>> import pandas as pd
    >>> rep = LoadReport(source="x", table="goals", format="pandas frame", rows_read=0,
    ...                  rows_kept=0, rows_dropped=0)
    >>> frame, report = Loaded(pd.DataFrame(), rep)
    >>> report.rows_read
    0
    """

    frame: Any
    report: LoadReport

    def __iter__(self) -> Iterator[Any]:
        yield self.frame
        yield self.report

    def _repr_html_(self) -> str:
        head = self.frame.head(10)
        if not isinstance(head, pd.DataFrame):
            head = head.to_pandas()
        table = head.to_html(index=False, escape=True, na_rep="—", border=0,
                             classes="roi-kit-table", float_format=lambda v: f"{v:,.10g}")
        return (self.report._repr_html_()
                + f"<div class='roi-kit-loaded'><h4>First rows of {len(self.frame):,}</h4>"
                + table + "</div>")

    def __repr__(self) -> str:
        shape = getattr(self.frame, "shape", (0, 0))
        return (f"Loaded({self.report.table}: {shape[0]:,} rows × {shape[1]} columns from "
                f"{self.report.source!r}; {self.report.rows_dropped:,} dropped)")


class IssueLog:
    """Collects issues column by column from boolean masks (vectorised)."""

    def __init__(self, rows: np.ndarray) -> None:
        self.rows = rows
        self.parts: list[pd.DataFrame] = []

    def add(self, mask: np.ndarray, column: str, values: Any, problem: str | np.ndarray,
            action: str) -> None:
        """Record ``problem`` for every position where ``mask`` is true.

        ``values`` is the column as read (arrow array or numpy array) or one string for all.
        """
        idx = np.flatnonzero(mask)
        if not len(idx):
            return
        if isinstance(values, str):
            vals = np.full(len(idx), values, dtype=object)
        else:
            vals = _text_at(values, idx)
        probs = problem[idx] if isinstance(problem, np.ndarray) else problem
        self.parts.append(pd.DataFrame({"row": self.rows[idx].astype("int64"), "column": column,
                                        "value": vals, "problem": probs, "action": action}))

    def add_rows(self, rows: list[int], column: str, values: list[str], problems: list[str],
                 action: str) -> None:
        """Record issues for rows that are not positions in the table (malformed lines)."""
        if rows:
            self.parts.append(pd.DataFrame({"row": np.asarray(rows, dtype="int64"), "column": column,
                                            "value": values, "problem": problems, "action": action}))

    def frame(self) -> pd.DataFrame:
        """All issues, sorted by row, as documented columns."""
        if not self.parts:
            return _empty_issues()
        out = pd.concat(self.parts, ignore_index=True)
        out = out.sort_values("row", kind="stable").reset_index(drop=True)
        for c in ISSUE_COLUMNS[1:]:
            out[c] = out[c].astype("str")
        return out


def _text_at(values: Any, idx: np.ndarray) -> np.ndarray:
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(values, pa.ChunkedArray | pa.Array):
        taken = values.take(pa.array(idx))
        if pa.types.is_timestamp(taken.type):
            text = pc.strftime(taken, format="%Y-%m-%d %H:%M:%S")
        else:
            text = pc.cast(taken, pa.string())
        return np.asarray(pc.fill_null(text, "").to_numpy(zero_copy_only=False), dtype=object)
    arr = np.asarray(values)[idx]
    return np.asarray(["" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)
                       for v in arr], dtype=object)
