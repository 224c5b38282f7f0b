"""Downloads and reports that are safe to open: CSV, Excel and self-contained HTML.

Three promises hold for everything written here:

* **Spreadsheet formulas are neutralised.** A text cell (or column name) that starts with ``=``,
  ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with a single quote, so Excel,
  LibreOffice and Google Sheets show it as text instead of running it ("CSV injection").
  Numbers stay numbers: ``-5`` as a number is untouched, the text ``"-5"`` becomes ``"'-5"``.
* **User text is escaped** in HTML (post captions, campaign names, titles).
* **HTML reports are self-contained**: charts are static SVG rendered in Python by vl-convert, the
  style sheet is inline, and the page makes no network request at all, so it opens offline, in an
  e-mail attachment or on an intranet (the page is built in :mod:`roi_kit.html_report`; its
  names are importable from here as before).

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"campaign": ["=HYPERLINK(1)", "spring"], "spend": [-5.0, 10.0]})
>>> to_csv_bytes(frame).decode("utf-8-sig").splitlines()
['campaign,spend', "'=HYPERLINK(1),-5.0", 'spring,10.0']
>>> to_excel_bytes({"costs": frame})[:2]
b'PK'
>>> page = static_html_report("Q1 <report>", [ReportSection("Costs", text="Spend & return.",
...                                                         table=frame)])
>>> "Q1 &lt;report&gt;" in page and "<script" not in page
True
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence

import pandas as pd

from roi_kit.errors import InputError
from roi_kit.html_report import REPORT_CSS, ReportSection, sections_html, static_html_report

__all__ = [
    "FORMULA_PREFIXES",
    "REPORT_CSS",
    "ReportSection",
    "neutralise_formulas",
    "sections_html",
    "static_html_report",
    "to_csv_bytes",
    "to_excel_bytes",
]

FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet treat a cell as a formula (OWASP CSV injection)."""

_FORMULA_RE = re.compile(r"^[=+\-@\t\r]")
_ILLEGAL_XLSX_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_BAD_CHARS_RE = re.compile(r"[\[\]:*?/\\]")


def _neutralise_text(value: str) -> str:
    return "'" + value if _FORMULA_RE.match(value) else value


def _neutralise_series(series: pd.Series) -> pd.Series:
    if isinstance(series.dtype, pd.CategoricalDtype):
        cats = series.cat.categories
        if cats.dtype == object or pd.api.types.is_string_dtype(cats.dtype):
            renamed = [_neutralise_text(c) if isinstance(c, str) else c for c in cats]
            if len(set(renamed)) == len(renamed):
                return series.cat.rename_categories(renamed)
        return _neutralise_series(series.astype(object))
    if not (series.dtype == object or pd.api.types.is_string_dtype(series.dtype)):
        return series
    # .str on an object column gives NaN for non-strings: only real text is touched.
    starts = series.str.match(_FORMULA_RE.pattern)
    mask = starts.fillna(False).astype(bool)
    if not mask.any():
        return series
    out = series.copy()
    out[mask] = "'" + series[mask].astype(str)
    return out


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names cannot run as spreadsheet formulas.

    Parameters
    ----------
    frame
        Any pandas frame; it is not modified.

    Returns
    -------
    pandas.DataFrame
        Same shape and dtypes; text starting with one of :data:`FORMULA_PREFIXES` gets a
        leading ``'``. A non-default index is turned into ordinary columns first.

    Examples
    --------
    >>> import pandas as pd
    >>> neutralise_formulas(pd.DataFrame({"@who": ["+1 555", "ok"]})).to_dict("list")
    {"'@who": ["'+1 555", 'ok']}
    """
    if not isinstance(frame, pd.DataFrame):
        raise InputError(
            f"Exports take a pandas DataFrame; got {type(frame).__name__}.",
            hint="convert first, e.g. result.to_frame() or roi_kit.engine.to_pandas(frame)",
        )
    out = frame
    if not isinstance(frame.index, pd.RangeIndex) or frame.index.name is not None:
        out = frame.reset_index()
    out = out.copy(deep=False)
    for column in out.columns:
        out[column] = _neutralise_series(out[column])
    out.columns = [_neutralise_text(str(c)) for c in out.columns]
    return out


def to_csv_bytes(frame: pd.DataFrame, *, encoding: str = "utf-8-sig") -> bytes:
    """The frame as CSV bytes, formulas neutralised, ready for a download button.

    Parameters
    ----------
    frame
        The table to export (not modified).
    encoding
        ``"utf-8-sig"`` (default) writes a byte-order mark so that Excel reads accents correctly.

    Examples
    --------
    >>> import pandas as pd
    >>> to_csv_bytes(pd.DataFrame({"a": ["-1+1"]}), encoding="utf-8")
    b"a\\r\\n'-1+1\\r\\n"
    """
    # RFC 4180 line ends: CRLF, so that a field holding a lone "\r" or "\n" gets quoted.
    text = neutralise_formulas(frame).to_csv(index=False, lineterminator="\r\n")
    return text.encode(encoding)


def _sheet_names(names: Sequence[str]) -> list[str]:
    out: list[str] = []
    for raw in names:
        base = _SHEET_BAD_CHARS_RE.sub("_", str(raw)).strip("'") or "Sheet"
        base = base[:31]
        name, n = base, 2
        while name.lower() in (o.lower() for o in out):
            suffix = f" ({n})"
            name = base[: 31 - len(suffix)] + suffix
            n += 1
        out.append(name)
    return out


def _excel_ready(frame: pd.DataFrame) -> pd.DataFrame:
    out = neutralise_formulas(frame)
    for column in out.columns:
        series = out[column]
        if isinstance(series.dtype, pd.DatetimeTZDtype):
            out[column] = series.dt.tz_convert("UTC").dt.tz_localize(None)
        elif series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            has_bad = series.str.contains(_ILLEGAL_XLSX_RE.pattern, regex=True).fillna(False)
            if has_bad.astype(bool).any():
                out[column] = series.str.replace(_ILLEGAL_XLSX_RE.pattern, "", regex=True)
    return out


def to_excel_bytes(frames: Mapping[str, pd.DataFrame]) -> bytes:
    """An ``.xlsx`` workbook with one sheet per frame, formulas neutralised.

    Parameters
    ----------
    frames
        Sheet name → table. Names are made valid for Excel (at most 31 characters, no
        ``[]:*?/\\``, unique); time-zone-aware timestamps are written as naive UTC.

    Examples
    --------
    >>> import io, pandas as pd
    >>> data = to_excel_bytes({"a/b": pd.DataFrame({"x": ["=1+1"]})})
    >>> pd.read_excel(io.BytesIO(data), sheet_name=None)["a_b"]["x"].tolist()
    ["'=1+1"]
    """
    if not frames:
        raise InputError(
            "to_excel_bytes needs at least one table; got none.",
            hint="pass a dict such as {'results': result.to_frame()}",
        )
    buffer = io.BytesIO()
    names = _sheet_names(list(frames))
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in zip(names, frames.values()):
            _excel_ready(frame).to_excel(writer, sheet_name=name, index=False)
    return buffer.getvalue()
