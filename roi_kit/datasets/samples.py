"""Read the committed samples in ``data/samples/<name>/`` back into a :class:`SampleData`.

Columns are typed from the canonical contracts in :data:`roi_kit.schema.TABLES` (ids and text
as strings, datetimes as naive-UTC ``datetime64[ns]``, numbers as floats, integer counts as
``int64`` — nullable ``Int64`` where a value is missing — and flags as bools), so a committed
sample equals a freshly generated one.

The messy European export (``"messy"``) holds only ``deals`` and ``customers``; they are parsed
leniently (decimal commas, ``€``, day-first dates). Cells that cannot be parsed become missing —
no row is dropped — and the other six tables are empty frames with the canonical columns. Use
``roi_kit.io`` loaders on ``data/samples/messy/*.csv`` to get a full ``LoadReport``.

Examples
--------
>>> s = load_sample("saas")
>>> s.truth.churn_hazard_ratio
0.65
>>> sample_dir("dtc").name
'dtc'
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from roi_kit.datasets.sampledata import TABLE_NAMES, SampleData
from roi_kit.datasets.truth import Truth
from roi_kit.errors import ConfigError, InputError
from roi_kit.schema import TABLES

__all__ = ["SAMPLE_NAMES", "load_sample", "sample_dir", "samples_root", "typed_frame"]

SAMPLE_NAMES: tuple[str, ...] = ("saas", "dtc", "messy")


def samples_root() -> Path:
    """``data/samples`` of the checkout (or ``$ROI_KIT_SAMPLES`` when set)."""
    env = os.environ.get("ROI_KIT_SAMPLES")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "data" / "samples"


def sample_dir(name: str) -> Path:
    """Directory of one sample."""
    return samples_root() / name


def typed_frame(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """A copy of ``frame`` with every column cast to the kind the canonical contract names."""
    spec = TABLES[table]
    out: dict[str, Any] = {}
    for col in frame.columns:
        kind = spec.kind(col)
        s = frame[col]
        if kind == "datetime":
            if s.dtype != "datetime64[ns]":
                s = pd.to_datetime(s, format="ISO8601").astype("datetime64[ns]")
            out[col] = s
        elif kind == "number":
            out[col] = pd.to_numeric(s).astype("float64")
        elif kind == "integer":
            v = pd.to_numeric(s)
            out[col] = v.astype("Int64") if v.isna().any() else v.astype("int64")
        elif kind == "bool":
            out[col] = s if s.dtype == bool else s.map(
                {True: True, False: False, "True": True, "False": False, "true": True,
                 "false": False}).astype(bool)
        elif s.dtype != "str":
            out[col] = s.astype("str")
        else:
            out[col] = s
    return pd.DataFrame(out, index=frame.index)


def _read_table(path: Path, table: str) -> pd.DataFrame:
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    return typed_frame(raw, table)


def _empty(table: str) -> pd.DataFrame:
    cols = TABLES[table].columns
    return typed_frame(pd.DataFrame({c: pd.Series([], dtype=object) for c in cols}), table)


_EURO_AMOUNT = r"[€\s\u00a0]"


def _euro_number(s: pd.Series) -> pd.Series:
    text = s.astype("str").str.replace(_EURO_AMOUNT, "", regex=True)
    text = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="coerce").astype("float64")


def _day_first(s: pd.Series) -> pd.Series:
    text = s.astype("str").str.replace("/", ".", regex=False)
    return pd.to_datetime(text, format="%d.%m.%Y", errors="coerce").astype("datetime64[ns]")


def _read_messy(folder: Path) -> dict[str, pd.DataFrame]:
    tables = {t: _empty(t) for t in TABLE_NAMES}
    for table, money in (("deals", ("amount",)), ("customers", ("mrr",))):
        raw = pd.read_csv(folder / f"{table}.csv", sep=";", encoding="cp1252", dtype=str,
                          keep_default_na=False, na_values=[""])
        spec = TABLES[table]
        cols: dict[str, pd.Series] = {}
        for col in raw.columns:
            if col in money:
                cols[col] = _euro_number(raw[col])
            elif spec.kind(col) == "datetime":
                cols[col] = _day_first(raw[col])
            else:
                cols[col] = raw[col]
        tables[table] = pd.DataFrame(cols)
    return tables


def load_sample(name: Literal["saas", "dtc", "messy"] = "saas") -> SampleData:
    """Read a committed sample (CSV tables and ``truth.json``) from ``data/samples/<name>/``.

    Parameters
    ----------
    name
        ``"saas"`` (B2B software), ``"dtc"`` (consumer shop) or ``"messy"`` (a European CRM export
        of saas deals and customers: semicolons, decimal commas, cp1252, day-first dates and a few
        deliberately bad rows documented in ``data/samples/messy/README.md``).

    Returns
    -------
    SampleData
        The tables and the :class:`Truth` the sample was generated with.

    Examples
    --------
    >>> s = load_sample("dtc")
    >>> s.business, s.truth.landmark_days
    ('dtc', 90)
    """
    if name not in SAMPLE_NAMES:
        raise ConfigError(f"name={name!r} is not a committed sample. Valid: "
                          + ", ".join(repr(n) for n in SAMPLE_NAMES) + ".",
                          hint="pass load_sample('saas'), load_sample('dtc') or load_sample('messy').")
    folder = sample_dir(name)
    truth_path = folder / "truth.json"
    if not truth_path.exists():
        raise InputError(f"the sample {name!r} is missing: {truth_path} does not exist.",
                         hint="run `make samples` (or `python -m roi_kit.datasets.build --out "
                              "data/samples`), or use rk.datasets.generate(...) instead.")
    meta = json.loads(truth_path.read_text(encoding="utf-8"))
    truth = Truth.from_dict(meta)
    if name == "messy":
        tables = _read_messy(folder)
    else:
        tables = {t: _read_table(folder / f"{t}.csv", t) for t in TABLE_NAMES}
    return SampleData(**tables, truth=truth, business=str(meta.get("business", name)),
                      seed=int(meta.get("seed", 0)))
