"""Numbers for people: the period comparison table and readable copies of tables for the HTML page.

Exports (Excel, CSV, JSON) keep the numbers; the HTML page shows the same tables with thousands
separators, percentages and "—" for values that do not exist.

Examples
--------
>>> import pandas as pd
>>> table = comparison_table([("cost", "Social media cost", "money", 1200.0, 1000.0)])
>>> table[["current", "previous", "change", "change_pct"]].values.tolist()
[[1200.0, 1000.0, 200.0, 0.2]]
>>> change_words(1200.0, 1000.0, "money")
'+20.0% vs the previous period'
>>> display_frame(pd.DataFrame({"amount": [45587.2], "share": [0.25], "conversions": [9.6]})).values.tolist()
[['45,587', '25.0%', '9.60']]
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from roi_kit.formatting import fmt_money, fmt_number, fmt_pct

__all__ = ["COMPARISON_COLUMNS", "change_words", "comparison_table", "display_comparison",
           "display_frame", "fmt_value"]

COMPARISON_COLUMNS = ["metric", "label", "unit", "current", "previous", "change", "change_pct"]
"""Columns of the period comparison: ``unit`` is money, pct (ROI in %), ratio or count."""

_PCT_ENDINGS = ("share", "_rate", "progress", "_conversion")


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def comparison_table(rows: Sequence[tuple[str, str, str, float | None, float | None]]) -> pd.DataFrame:
    """``metric, label, unit, current, previous, change, change_pct`` from (metric, label, unit,
    current, previous) rows; ``change_pct`` is missing when the previous value is 0 or missing."""
    frame = pd.DataFrame(list(rows), columns=COMPARISON_COLUMNS[:5])
    for col in ("current", "previous"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    frame["change"] = frame["current"] - frame["previous"]
    base = frame["previous"].abs().where(frame["previous"] != 0)
    frame["change_pct"] = frame["change"] / base
    return frame


def fmt_value(value: float | None, unit: str, *, currency: str = "USD") -> str:
    """One value in words for its unit (``—`` when missing).

    Examples
    --------
    >>> fmt_value(12.345, "pct"), fmt_value(1.5, "ratio"), fmt_value(None, "money")
    ('12.3%', '1.50', '—')
    """
    if _missing(value):
        return "—"
    assert value is not None
    if unit == "money":
        return fmt_money(value, currency=currency, decimals=0)
    if unit == "pct":
        return fmt_pct(value, ratio_input=False)
    if unit == "ratio":
        return f"{value:,.2f}"
    return fmt_number(value, decimals=0 if float(value).is_integer() else 1)


def change_words(current: float | None, previous: float | None, unit: str) -> str:
    """The change from the previous period in words ('' when there is nothing to compare).

    Examples
    --------
    >>> change_words(40.0, 25.0, "pct"), change_words(5.0, 0.0, "count")
    ('+15.0 percentage points vs the previous period', 'previous period: 0')
    """
    if _missing(current) or _missing(previous):
        return ""
    assert current is not None and previous is not None
    if unit == "pct":
        return f"{current - previous:+,.1f} percentage points vs the previous period"
    if previous == 0:
        return "previous period: 0"
    return f"{(current - previous) / abs(previous):+.1%} vs the previous period"


def display_comparison(table: pd.DataFrame, *, currency: str, with_previous: bool) -> pd.DataFrame:
    """The comparison table as text for the page: Metric, This period[, Previous, Change]."""
    out = pd.DataFrame({"Metric": table["label"]})
    out["This period"] = [fmt_value(v, u, currency=currency) for v, u in zip(table["current"], table["unit"])]
    if with_previous:
        out["Previous period"] = [fmt_value(v, u, currency=currency)
                                  for v, u in zip(table["previous"], table["unit"])]
        out["Change"] = [change_words(c, p, u).replace(" vs the previous period", "") or "—"
                         for c, p, u in zip(table["current"], table["previous"], table["unit"])]
    return out


def _fmt_number_cell(value: object, pct: bool) -> object:
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | float | np.number):
        return value
    v = float(value)
    if math.isnan(v):
        return "—"
    if pct:
        return fmt_pct(v)
    if isinstance(value, int | np.integer) or v.is_integer():
        return f"{v:,.0f}"
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:,.2f}"


def display_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with numbers as readable text (shares as %, dates as days, missing as "—")."""
    out = pd.DataFrame(index=frame.index)
    for col in frame.columns:
        series = frame[col]
        if pd.api.types.is_datetime64_any_dtype(series.dtype):
            out[col] = series.dt.strftime("%Y-%m-%d").fillna("—")
        elif pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
            pct = str(col).endswith(_PCT_ENDINGS)
            out[col] = [_fmt_number_cell(v, pct) for v in series.tolist()]
        else:
            out[col] = series.astype(object).where(series.notna(), "—")
    return out.reset_index(drop=True)
