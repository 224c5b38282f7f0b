"""Excel workbooks (.xlsx / .xlsm via openpyxl): find the header row, keep Excel's row numbers.

A title row with a single filled cell above the header (LinkedIn exports) is skipped and noted;
empty rows are skipped; cells keep their types (dates stay dates, numbers stay numbers) unless a
column mixes kinds, in which case it is read as text and parsed like a CSV column.

Examples
--------
>>> import io
>>> import pandas as pd
>>> buf = io.BytesIO()
>>> pd.DataFrame({"metric": ["leads"], "target": [5]}).to_excel(buf, index=False)
>>> rows, table, notes = read_excel(buf.getvalue(), "goals.xlsx", None, ".xlsx")
>>> rows.tolist(), table.column_names
([2], ['metric', 'target'])
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from roi_kit.errors import EmptyDataError, InputError
from roi_kit.io.raw import dedupe

__all__ = ["read_excel"]


def read_excel(data: Any, label: str, sheet: str | int | None, ext: str
               ) -> tuple[np.ndarray, pa.Table, list[str]]:
    """(spreadsheet row of each record, raw columns, notes) of one sheet of an .xlsx workbook."""
    try:
        grid = pd.read_excel(io.BytesIO(bytes(data)), sheet_name=0 if sheet is None else sheet,
                             header=None, dtype=object, engine="openpyxl")
    except ValueError as exc:
        raise InputError(f"{label}: {exc}.", hint="pass sheet='<name>' with an existing sheet.") from exc
    notes = [] if ext in {".xlsx", ".xlsm", ""} else [f"{label} is an Excel workbook despite its name"]
    filled = grid.notna().sum(axis=1).to_numpy()
    if len(filled) == 0 or filled.max() == 0:
        raise EmptyDataError(f"{label} has no data in its first sheet.", hint="pass sheet='<name>'.")
    head = int(np.argmax(filled >= max(2, min(filled.max(), 2))))
    if head:
        notes.append(f"skipped {head} line(s) above the header (row {head + 1})")
    headers = dedupe(["" if pd.isna(v) else str(v) for v in grid.iloc[head]])
    body = grid.iloc[head + 1:]
    keep = body.notna().any(axis=1).to_numpy()
    if (~keep).any():
        notes.append(f"skipped {int((~keep).sum())} empty row(s)")
    body = body[keep]
    rows = np.flatnonzero(keep) + head + 2
    arrays = [_excel_column(body.iloc[:, i]) for i in range(body.shape[1])]
    return rows, pa.table(dict(zip(headers, arrays))), notes


def _excel_column(col: pd.Series) -> pa.Array:
    values = col.tolist()
    present = [v for v in values if not (v is None or (isinstance(v, float) and np.isnan(v)))]
    kinds = {type(v) for v in present}
    if present and all(issubclass(k, pd.Timestamp | np.datetime64) or k.__name__ == "datetime"
                       for k in kinds):
        return pa.array(pd.to_datetime(col, errors="coerce").astype("datetime64[us]"))
    if present and all(issubclass(k, int | float) and k is not bool for k in kinds):
        return pa.array(pd.to_numeric(col, errors="coerce").astype(float), from_pandas=True)
    out = [None if v is None or (isinstance(v, float) and np.isnan(v))
           else (v.isoformat(sep=" ") if hasattr(v, "isoformat") else str(v)) for v in values]
    return pa.array(out, type=pa.string())
