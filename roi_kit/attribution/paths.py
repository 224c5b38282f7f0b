"""Journeys: touchpoints -> ordered paths per user, aggregated to distinct paths in the engine.

Conventions (how roi_kit builds paths):

* touches of a user are ordered by timestamp; ties put the converting touch last, then sort by
  channel name, then by conversion value, so results do not depend on row order;
* the touch that carries ``converted = true`` is the last touch of its path and *closes* it: the
  next touch of the same user starts a new path;
* touches after a user's last conversion form a non-converting path (kept: Markov needs them);
* ``lookback_days`` drops touches older than that many days before the path's last touch (the
  conversion, for converting paths);
* the conversion value of a path is the value on its converting touch.

The heavy part (ordering, windows, group-bys) runs in the caller's engine through narwhals; on
polars it is one sort and linear scans instead (:mod:`~roi_kit.attribution._paths_polars`).
Each path is encoded exactly as integers (channel codes in base ``C + 1``, in blocks that fit in
64 bits), so only the table of *distinct* paths with their conversions, value and nulls comes
back to numpy. The aggregated interchange format used by other tools (``path`` as
``"a > b > c"``, ``conversions``, ``value``, ``nulls``) is read with :func:`read_paths`.

Examples
--------
>>> import pandas as pd
>>> tp = pd.DataFrame({
...     "user_id": ["u1", "u1", "u1", "u2"],
...     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-05", "2024-01-03"]),
...     "channel": ["Email", "Paid Social", "Direct", "Email"],
...     "converted": [False, True, False, True],
...     "conversion_value": [0.0, 100.0, 0.0, 40.0]})
>>> build_paths(tp, channel="channel").to_frame()
                  path  conversions  value  nulls
0               Direct          0.0    0.0    1.0
1                Email          1.0   40.0    0.0
2  Email > Paid Social          1.0  100.0    0.0
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import narwhals as nw
import numpy as np
import polars as pl

from roi_kit.attribution import encoding as _enc
from roi_kit.attribution._paths_polars import is_polars, polars_paths
from roi_kit.attribution._paths_table import CAMPAIGN_SEP, Paths, _from_flat
from roi_kit.attribution._touch_log import no_rows_error, prepare_log
from roi_kit.attribution.channels import ChannelRule
from roi_kit.attribution.encoding import age_seconds, aggregate, decode
from roi_kit.attribution.interchange import _interchange_names
from roi_kit.engine import as_frame, column_names, recode, require_columns, to_pandas
from roi_kit.errors import EmptyDataError, InputError

__all__ = ["CAMPAIGN_SEP", "Level", "Paths", "build_paths", "read_paths"]

Level = Literal["channel", "campaign"]
_ORDER = ["_t", "_conv", "_code", "_val"]


def read_paths(
    data: Any,
    *,
    path: str = "path",
    conversions: str = "conversions",
    value: str = "value",
    nulls: str = "nulls",
    sep: str = " > ",
) -> Paths:
    """Read aggregated paths in the interchange format ``path, conversions, value, nulls``.

    ``path`` holds channel names separated by ``sep`` (``"a > b > c"``; whitespace around the
    names is ignored). ``value`` and ``nulls`` are optional (missing = 0). Campaign-level paths
    use ``"channel | campaign"`` elements. Options left at their defaults also find the common
    other names of these columns (:data:`~roi_kit.attribution.interchange.PATH_COLUMN_ALIASES`), such as ChannelAttribution's
    ``total_conversions``, ``total_conversion_value``, ``total_null``; a note says so.

    Examples
    --------
    >>> import pandas as pd
    >>> p = read_paths(pd.DataFrame({"path": ["Email > Paid Social", "Email"],
    ...                              "conversions": [3, 1], "value": [300.0, 50.0],
    ...                              "nulls": [5, 20]}))
    >>> p.elements, p.lengths.tolist(), p.total_value
    (('Email', 'Paid Social'), [2, 1], 350.0)
    """
    frame = as_frame(data, name="paths")
    cols = column_names(frame)
    given = {"path": path, "conversions": conversions, "value": value, "nulls": nulls}
    renamed = _interchange_names(given, cols)
    path, conversions, value, nulls = (renamed[k] for k in ("path", "conversions", "value", "nulls"))
    require_columns(frame, [path, conversions], name="paths", hint=(
        "name your columns: rk.read_paths(frame, path='<paths column>', conversions='<count "
        "column>', value=..., nulls=...), then rk.attribute(<those paths>)."))
    if isinstance(frame, nw.LazyFrame):
        native = frame.collect(backend="polars").to_native()
    else:
        native = frame.to_polars()
    notes: list[str] = []
    moved = {k: v for k, v in renamed.items() if v != given[k]}
    if moved:
        notes.append("Columns read by their interchange names: "
                     + ", ".join(f"'{v}' as {k}" for k, v in moved.items()) + ".")
    has_nulls = nulls in cols
    if not has_nulls:
        notes.append(f"No '{nulls}' column: there are no non-converting journeys, so Markov "
                     "removal effects describe converting journeys only.")
    num = {
        "_conv": pl.col(conversions).cast(pl.Float64).fill_null(0.0),
        "_val": pl.col(value).cast(pl.Float64).fill_null(0.0) if value in cols else pl.lit(0.0),
        "_null": pl.col(nulls).cast(pl.Float64).fill_null(0.0) if has_nulls else pl.lit(0.0),
    }
    df = native.select(pl.col(path).cast(pl.String).alias("_path"), **num)
    bad = df.filter((pl.col("_conv") < 0) | (pl.col("_null") < 0))
    if bad.height:
        raise InputError(
            f"paths has {bad.height} rows with negative {conversions} or {nulls}.",
            hint="counts of journeys cannot be negative; fix or drop those rows.",
        )
    # split on the separator exactly as given; if a path is missing or a name carries stray
    # whitespace or a bare ">" ("a>b" next to "a > b"), split again the tolerant way
    fast = _enc.split_paths(df["_path"], sep)
    names, codes, lengths = fast if fast is not None else _enc.split_tolerant(df["_path"], sep)
    conv = df["_conv"].to_numpy()
    val = df["_val"].to_numpy()
    nul = df["_null"].to_numpy()
    empty = lengths == 0
    if empty.any():
        lost = conv[empty].sum() + nul[empty].sum()
        notes.append(f"{int(empty.sum())} paths without any channel ({lost:,.0f} journeys) were left out.")
        keep = ~empty
        lengths, conv, val, nul = lengths[keep], conv[keep], val[keep], nul[keep]
    labels = list(names)
    if not labels:
        raise EmptyDataError("paths has no channel in any path.",
                             hint=f"the '{path}' column should hold names like 'Email > Paid Social'.")
    level = "campaign" if all(CAMPAIGN_SEP.strip() in lab for lab in labels) else "channel"
    return _from_flat(labels, codes, lengths, conv, val, nul, level=level, has_nulls=has_nulls,
                      notes=notes)


def build_paths(
    touchpoints: Any,
    *,
    user: str = "user_id",
    timestamp: str = "timestamp",
    converted: str = "converted",
    value: str = "conversion_value",
    channel: str | None = None,
    level: Level = "channel",
    lookback_days: float | None = None,
    rules: Sequence[ChannelRule] | None = None,
    url: str | None = "url",
    report: bool = True,
) -> Paths:
    """Turn a touchpoint log into distinct paths (computed in the caller's engine).

    Parameters
    ----------
    touchpoints
        One row per touch: ``user``, ``timestamp``, ``converted`` (flag), optional
        ``conversion_value``, and either a ``channel`` column or ``source``/``medium`` and/or a
        landing ``url`` with UTM tags (then channels come from the GA4-style ``rules``).
    user, timestamp, converted, value
        Column names.
    channel
        Name of a column that already holds channel names (used as given); ``None`` derives
        the channel from source/medium/URL.
    level
        ``"channel"`` or ``"campaign"`` (elements ``"channel | campaign"``).
    lookback_days
        Drop touches older than this many days before the path's last touch.
    rules
        Channel grouping rules (default GA4-style).
    url
        URL column with UTM tags (``None`` to ignore).
    report
        Also build the tagging-mistakes report (one extra group-by).

    Examples
    --------
    >>> import pandas as pd
    >>> tp = pd.DataFrame({"user_id": [1, 1, 2],
    ...                    "timestamp": pd.to_datetime(["2024-03-01", "2024-03-09", "2024-03-02"]),
    ...                    "source": ["fb", "google", "Facebook "], "medium": ["cpc", "organic", "cpc"],
    ...                    "converted": [0, 1, 0]})
    >>> p = build_paths(tp, lookback_days=7)
    >>> p.to_frame()[["path", "conversions", "nulls"]]
              path  conversions  nulls
    0  Organic Search          1.0    0.0
    1     Paid Social          0.0    1.0
    """
    log = prepare_log(touchpoints, user=user, timestamp=timestamp, converted=converted, value=value,
                      channel=channel, level=level, lookback_days=lookback_days, rules=rules, url=url,
                      report=report)
    frame, label, conv, val, notes, rep = log.frame, log.label, log.conv, log.val, list(log.notes), log.report
    fast = None
    if is_polars(frame):
        # one sort and linear scans instead of ordered windows (same conventions, same table)
        fast = polars_paths(frame, user=user, timestamp=timestamp, label=label, conv=conv, val=val,
                            lookback_days=lookback_days)
        labels = fast[0]
        frame = frame.lazy()  # the touch table below stays a lazy query, run only if a model asks
    else:
        # element names come from the raw rows (cheap: no window functions); an element whose
        # touches all fall outside the lookback window simply gets no credit
        seen = frame.select(label.alias("_el")).filter(~nw.col("_el").is_null()).unique()
        labels = sorted(str(x) for x in to_pandas(seen)["_el"].tolist())
    if not labels:
        raise no_rows_error()
    touches = _touch_table(frame, user=user, timestamp=timestamp, label=label, conv=conv, val=val,
                           labels=labels, lookback_days=lookback_days)
    if fast is not None:
        _, codes, lengths, conv_a, val_a, journeys = fast
        return _from_flat(labels, codes, lengths, conv_a, val_a, journeys - conv_a, level=level,
                          has_nulls=True, notes=notes, touches=touches, report=rep)
    paths = aggregate(touches, n_codes=len(labels))
    lengths = paths["_len"].to_numpy(np.int64)
    codes = decode(paths, lengths, n_codes=len(labels)) - 1
    conv_a = paths["_c"].to_numpy(np.float64)
    nul_a = paths["_n"].to_numpy(np.float64) - conv_a
    return _from_flat(labels, codes, lengths, conv_a, paths["_v"].to_numpy(np.float64), nul_a,
                      level=level, has_nulls=True, notes=notes, touches=touches, report=rep)


def _touch_table(
    frame: Any, *, user: str, timestamp: str, label: nw.Expr, conv: nw.Expr, val: nw.Expr,
    labels: list[str], lookback_days: float | None,
) -> Any:
    """The prepared touches (``_u, _t, _code, _conv, _val, _pid, _pos``) as engine expressions:
    journeys split at conversions by ordered windows, the lookback applied."""
    mapping = {lab: i + 1 for i, lab in enumerate(labels)}  # codes follow name order
    base = frame.select(
        nw.col(user).alias("_u"), nw.col(timestamp).alias("_t"),
        recode(frame, label, mapping, default=0, return_dtype=nw.Int64).alias("_code"),
        conv.alias("_conv"), (val * conv).alias("_val"), nw.lit(1, nw.Int64).alias("_one"),
    ).filter(~nw.col("_u").is_null() & ~nw.col("_t").is_null())
    # both ordered windows share one ordering of each user's touches
    base = base.with_columns(
        nw.col("_conv").cum_sum().over("_u", order_by=_ORDER).alias("_incl"),
        nw.col("_one").cum_sum().over("_u", order_by=_ORDER).alias("_k"),
    ).with_columns((nw.col("_incl") - nw.col("_conv")).alias("_pid"))
    if lookback_days is not None:
        # a column first: Ibis cannot compile a window function inside a PostgreSQL WHERE
        base = (base.with_columns(age_seconds(base, ["_u", "_pid"]).alias("_age"))
                .filter(nw.col("_age") <= lookback_days * 86400.0).drop("_age"))
    # kept touches of a path are a suffix of it, so positions stay consecutive
    return base.with_columns((nw.col("_k") - nw.col("_k").min().over("_u", "_pid")).alias("_pos"))
