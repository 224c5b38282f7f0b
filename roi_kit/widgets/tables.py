"""Tables for people: whole numbers without decimals, shares as percentages, p-values as p-values,
text left-aligned, every header readable, and a box that scrolls sideways instead of cutting.

Only the page copy is formatted; downloads keep the raw numbers.

Examples
--------
>>> import pandas as pd
>>> html = table_html(pd.DataFrame({"followers": [546.0], "upsell_share": [0.882],
...                                 "p_value": [0.0004], "caption": ["<b>hi</b>"]}))
>>> "<td>546</td>" in html and "88.2%" in html and "&lt;0.001" in html
True
>>> "&lt;b&gt;hi&lt;/b&gt;" in html and "upsell share" in html
True
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from roi_kit.results import escape

__all__ = ["MAX_CELL_CHARS", "format_cell", "table_html"]

MAX_CELL_CHARS = 70
"""Text cells longer than this are cut (with …) on the page; downloads keep the full text."""

_FIGURE = r"^(?:[-+]?(?:[A-Z]{3} )?[\d.,]+(?:%| pts| days)?|—|<0\.\d+|None|nan)$"
_SHARE = re.compile(r"(share|rate|retention|proportion|conversion|_pct_of|ctr)\b|^share",
                    re.IGNORECASE)


def _kind(name: str, values: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(values.dtype):
        return "text"
    if not pd.api.types.is_numeric_dtype(values.dtype):
        text = values.astype(str)
        if len(text) and text.str.match(_FIGURE).all():
            return "figure"  # numbers already written for people ("88.2%", "EUR 546")
        long = text.str.len().max() > 30 if len(text) else False
        return "longtext" if long else "text"
    lowered = str(name).lower()
    if lowered in ("p_value", "p", "pvalue"):
        return "p"
    finite = values.dropna()
    finite = finite[np.isfinite(finite.astype(float))]
    if _SHARE.search(lowered) and not lowered.endswith("pct") and finite.between(-1, 1).all():
        return "share"
    if (finite == finite.round()).all():
        return "whole"
    return "number"


def format_cell(value: object, kind: str) -> str:
    """One cell as text for people (``—`` for missing).

    Examples
    --------
    >>> [format_cell(v, k) for v, k in [(1234.0, "whole"), (0.1234, "share"), (0.5, "p"),
    ...                                  (12.3456, "number"), (0.000123, "number")]]
    ['1,234', '12.3%', '0.500', '12.35', '0.000123']
    """
    if value is None or (isinstance(value, float) and value != value):
        return "—"
    if kind in ("text", "longtext", "figure"):
        text = str(value)
        return text if len(text) <= MAX_CELL_CHARS else text[: MAX_CELL_CHARS - 1] + "…"
    number = float(value)  # type: ignore[arg-type]
    if kind == "p":
        return "<0.001" if number < 0.001 else f"{number:.3f}"
    if kind == "share":
        return f"{number:.1%}"
    if kind == "whole":
        return f"{number:,.0f}"
    size = abs(number)
    if size >= 1000:
        return f"{number:,.0f}"
    if size >= 1 or size == 0:
        return f"{number:,.2f}"
    return f"{number:.3g}"


def table_html(frame: pd.DataFrame, *, max_rows: int = 15) -> str:
    """An escaped HTML table in a sideways-scrolling box, with a note when rows are cut."""
    shown = frame.head(max_rows)
    kinds = {c: _kind(str(c), shown[c]) for c in shown.columns}
    head = "".join(
        f"<th style='text-align:{'left' if kinds[c] in ('text', 'longtext') else 'right'}'>"
        f"{escape(str(c).replace('_', ' '))}</th>" for c in shown.columns)
    rows = []
    for record in shown.itertuples(index=False, name=None):
        cells = "".join(
            f"<td style='text-align:left;white-space:normal;min-width:260px'>"
            f"{escape(format_cell(v, kinds[c]))}</td>" if kinds[c] == "longtext"
            else f"<td style='text-align:left'>{escape(format_cell(v, kinds[c]))}</td>"
            if kinds[c] == "text" else f"<td>{escape(format_cell(v, kinds[c]))}</td>"
            for c, v in zip(shown.columns, record, strict=True))
        rows.append(f"<tr>{cells}</tr>")
    out = (f"<div class='roi-kit-table-box' style='overflow-x:auto;max-width:100%'>"
           f"<table class='roi-kit-table'><thead><tr>{head}</tr></thead>"
           f"<tbody>{''.join(rows)}</tbody></table></div>")
    if len(frame) > max_rows:
        out += (f"<p style='font-size:12px;color:#555'>Showing {max_rows} of {len(frame):,} rows; "
                "the downloads hold every row.</p>")
    return out
