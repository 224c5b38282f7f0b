"""Write a :class:`~roi_kit.reporting.build.Report` as HTML, Excel, CSV or JSON.

=======  ==========================================================================================
format   what is written
=======  ==========================================================================================
html     one self-contained page: the summary, every section with its static SVG chart, inline
         CSS, no scripts and no requests (opens offline and as an e-mail attachment)
xlsx     one workbook: a ``summary`` sheet (the sentences), then one sheet per table
csv      a folder: ``summary.txt`` (the sentences) and one ``<table>.csv`` per table (UTF-8 with BOM)
json     one document: ``title, period, previous_period, generated_at, summary`` (list of
         sentences) and ``tables`` (name → list of records; dates ISO 8601, missing values null)
=======  ==========================================================================================

Excel and CSV go through :mod:`roi_kit.export`, so text that starts with ``= + - @`` (a campaign
named ``=HYPERLINK(...)``) is written as text, never as a formula. Files are written to a temporary
name first and then renamed, so a scheduler never picks up a half-written report.

Examples
--------
>>> infer_format("out/report.xlsx", None), infer_format("out/report", None)
('xlsx', 'html')
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pandas as pd

from roi_kit.errors import ConfigError
from roi_kit.export import to_csv_bytes, to_excel_bytes

if TYPE_CHECKING:
    from roi_kit.reporting.build import Report

__all__ = ["FORMATS", "Format", "infer_format", "report_json", "write_report"]

Format = Literal["html", "xlsx", "csv", "json"]
FORMATS: tuple[str, ...] = ("html", "xlsx", "csv", "json")
_SUFFIXES = {".html": "html", ".htm": "html", ".xlsx": "xlsx", ".json": "json", "": "html"}


def infer_format(out: str | Path, fmt: str | None) -> str:
    """The format to write: ``fmt`` when given, else from the suffix of ``out`` (none = html)."""
    if fmt is not None:
        if fmt not in FORMATS:
            raise ConfigError(f"--format {fmt} is not a report format.", hint=f"use one of {', '.join(FORMATS)}.")
        return fmt
    suffix = Path(out).suffix.lower()
    if suffix not in _SUFFIXES:
        raise ConfigError(f"--out {out}: cannot tell the format from {suffix!r}.",
                          hint="end the name with .html, .xlsx or .json, or pass --format "
                               "(csv writes a folder).")
    return _SUFFIXES[suffix]


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        # mkstemp makes the file 0600; a report is for sharing: the usual 0666 minus the umask
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    text = frame.to_json(orient="records", date_format="iso", date_unit="s", force_ascii=False)
    return list(json.loads(text))


def report_json(report: Report) -> str:
    """The report as a JSON document (see the module docstring for its layout)."""
    doc = {
        "title": report.title,
        "currency": report.currency,
        "period": [d.isoformat() for d in report.period],
        "previous_period": None if report.previous is None else [d.isoformat() for d in report.previous],
        "generated_at": report.generated_at.isoformat(),
        "summary": list(report.lines),
        "tables": {name: _records(frame) for name, frame in report.tables.items()},
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def write_report(report: Report, *, out: str | Path, fmt: Format | str | None = None) -> list[Path]:
    """Write ``report`` to ``out`` and return the paths written.

    Parameters
    ----------
    report
        From :func:`~roi_kit.reporting.build.build_report`.
    out
        File to write (html, xlsx, json) or folder (csv; created when missing).
    fmt
        ``"html"``, ``"xlsx"``, ``"csv"`` or ``"json"``; ``None`` = from the suffix of ``out``.

    Returns
    -------
    list of pathlib.Path
        The files written (one, or one per table plus ``summary.txt`` for csv).
    """
    out = Path(out)
    kind = infer_format(out, fmt)
    if kind != "csv" and out.is_dir():
        raise ConfigError(f"--out {out} is a folder; {kind} is written to a file.",
                          hint=f"pass a file name such as {out / ('report.' + kind)}.")
    if kind == "html":
        _atomic_write(out, report.to_html().encode("utf-8"))
        return [out]
    if kind == "json":
        _atomic_write(out, report_json(report).encode("utf-8"))
        return [out]
    if kind == "xlsx":
        summary = pd.DataFrame({"summary": list(report.lines)})
        _atomic_write(out, to_excel_bytes({"summary": summary, **report.tables}))
        return [out]
    if out.exists() and not out.is_dir():
        raise ConfigError(f"--out {out} is a file; csv writes a folder of CSV files.",
                          hint="pass a folder name, e.g. --out report_csv/.")
    written = [out / "summary.txt"]
    _atomic_write(written[0], ("\n".join(report.lines) + "\n").encode("utf-8"))
    for name, frame in report.tables.items():
        path = out / f"{name}.csv"
        _atomic_write(path, to_csv_bytes(frame))
        written.append(path)
    return written
