"""Which files a report reads: the data tables of ``[data]`` and the benchmark table of ``[scorecard]``.

``_files`` resolves each table of :data:`~roi_kit.reporting.config_schema.TABLE_KEYS` (named
explicitly, or found as ``<table>.csv`` in ``dir``; relative paths start at the config file's
folder) and, when asked, checks that they exist; ``sample`` names a shipped sample instead.
``_scorecard`` checks the scorecard basis and resolves the benchmarks file.

Examples
--------
>>> _files({"customers": "/data/customers.csv"}, Path("."), "report.toml", False)
{'customers': PosixPath('/data/customers.csv')}
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from roi_kit.reporting.config_schema import _BASES, SAMPLES, TABLE_KEYS, _fail
from roi_kit.reporting.config_types import ScorecardConfig

__all__: list[str] = []



def _files(data: dict[str, Any], base: Path, source: str, check_files: bool) -> dict[str, Path]:
    folder = base / data["dir"] if "dir" in data else None
    files: dict[str, Path] = {}
    for table in TABLE_KEYS:
        if table in data:
            path = Path(data[table])
            files[table] = path if path.is_absolute() else (folder or base) / path
        elif folder is not None and (folder / f"{table}.csv").exists():
            files[table] = folder / f"{table}.csv"
    sample = data.get("sample")
    if sample is not None and sample not in SAMPLES:
        raise _fail(source, "data.sample", f"is {sample!r}.",
                    f"use {' or '.join(repr(s) for s in SAMPLES)}, or name your files instead.")
    if check_files:
        if folder is not None and not folder.is_dir():
            raise _fail(source, "data.dir", f"points to {folder}, which is not a folder.",
                        "fix the path (relative paths start at the config file's folder).")
        for table, path in files.items():
            if not path.is_file():
                raise _fail(source, f"data.{table}", f"points to {path}, which does not exist.",
                            "fix the path (relative paths start at the config file's folder).")
        if not files and sample is None:
            raise _fail(source, "[data]", "names no data.",
                        'add dir = "folder with customers.csv, deals.csv, ..." or sample = "saas".')
    return files


def _scorecard(raw: dict[str, Any], base: Path, source: str, check_files: bool) -> ScorecardConfig:
    if raw.get("basis", "trailing_median") not in _BASES:
        raise _fail(source, "scorecard.basis", f"is {raw['basis']!r}.", f"use one of {', '.join(_BASES)}.")
    path = Path(raw["benchmarks"]) if "benchmarks" in raw else None
    if path is not None and not path.is_absolute():
        path = base / path
    if check_files and path is not None and not path.is_file():
        raise _fail(source, "scorecard.benchmarks", f"points to {path}, which does not exist.",
                    "fix the path (relative paths start at the config file's folder).")
    return ScorecardConfig(basis=raw.get("basis", "trailing_median"), trailing=raw.get("trailing", 4),
                           benchmarks=path, industry=raw.get("industry"))
