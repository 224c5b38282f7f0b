"""Input checks and reduction to sufficient statistics for lift tests.

Holdout data is reduced inside the caller's engine to per-group users, conversions and revenue
sums; geo data to one value per (market, week). Every problem raises an error that names the
column, group, market or week and ends with a ``Hint:``.

Examples
--------
>>> import pandas as pd
>>> c = holdout_counts(pd.DataFrame({"group": ["test", "control"], "users": [100, 100],
...                                  "conversions": [12, 8]}))
>>> c.x_test, c.n_test, c.x_control, c.aggregated
(12.0, 100.0, 8.0, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from roi_kit.engine import as_frame, column_names, require_columns, to_pandas
from roi_kit.errors import ConfigError, EmptyDataError, InputError

__all__ = ["MIN_PRE_WEEKS", "GeoPanel", "HoldoutCounts", "geo_panel", "holdout_counts"]

MIN_PRE_WEEKS = 8
"""Fewest pre-period weeks a geo test accepts (the weights need weeks to be fitted on)."""


@dataclass(frozen=True)
class HoldoutCounts:
    """Users, converting users and revenue sums of the test and control groups."""

    n_test: float
    x_test: float
    n_control: float
    x_control: float
    revenue_test: float | None
    revenue_control: float | None
    revenue_sq_test: float | None
    revenue_sq_control: float | None
    aggregated: bool


def holdout_counts(data: Any, *, group: str = "group", conversions: str = "conversions",
                   revenue: str | None = "revenue", users: str = "users",
                   test_group: str = "test", control_group: str = "control") -> HoldoutCounts:
    """Reduce per-user rows (0/1 conversions) or per-group rows (``users`` column) to counts."""
    frame = as_frame(data, name="data")
    cols = column_names(frame)
    require_columns(frame, [group, conversions], name="the lift-test data")
    aggregated = users in cols
    has_revenue = revenue is not None and revenue in cols
    conv = nw.col(conversions)
    aggs = [conv.sum().alias("x"), conv.min().alias("xmin"), conv.max().alias("xmax"),
            (nw.col(users).sum() if aggregated else conv.count()).alias("n")]
    if aggregated:
        aggs.append(nw.col(users).min().alias("nmin"))
    if has_revenue:
        frame = frame.with_columns((nw.col(str(revenue)) * nw.col(str(revenue))).alias("__r2"))
        aggs += [nw.col(str(revenue)).sum().alias("r"), nw.col("__r2").sum().alias("r2")]
    counts = to_pandas(frame.group_by(group).agg(*aggs))
    counts[group] = counts[group].astype(str)
    found = counts[group].tolist()
    for label in (test_group, control_group):
        if label not in found:
            raise InputError(
                f"column {group!r} has no rows for the group {label!r}. Groups found: "
                f"{', '.join(map(repr, found)) or '(none)'}.",
                hint=f"pass test_group= and control_group= with the labels your data uses "
                f"(e.g. test_group={found[0]!r})." if found else "the data is empty.")
    rows = counts.set_index(group)
    for label in (test_group, control_group):
        row = rows.loc[label]
        if row["xmin"] < 0:
            raise InputError(
                f"column {conversions!r} has negative conversions ({row['xmin']:g}) in the "
                f"{label!r} group.", hint="conversions count people or events and cannot be "
                "negative; fix or drop those rows.")
        if not aggregated and row["xmax"] > 1:
            raise InputError(
                f"column {conversions!r} has a user with {row['xmax']:g} conversions in the "
                f"{label!r} group, but a conversion lift test counts converting users (0 or 1).",
                hint=f"use 1 for users who converted, or pass one row per group with a {users!r} "
                "column and the number of converting users.")
        if aggregated and (row["nmin"] <= 0 or row["x"] > row["n"]):
            raise InputError(
                f"group {label!r} has {row['x']:g} converting users out of {row['n']:g} users "
                f"(columns {conversions!r} and {users!r}).",
                hint="users must be positive and at least the number of converting users.")
        if row["n"] <= 0:
            raise EmptyDataError(f"group {label!r} has no users.",
                                 hint="a lift test needs users in both groups.")
    test, control = rows.loc[test_group], rows.loc[control_group]
    rev: dict[str, float | None] = {k: None for k in ("rt", "rc", "r2t", "r2c")}
    if has_revenue:
        rev = {"rt": float(test["r"]), "rc": float(control["r"])}
        if aggregated:  # each converting user valued at the pooled revenue per conversion
            total_x = float(test["x"] + control["x"])
            v = (float(test["r"]) + float(control["r"])) / total_x if total_x else 0.0
            rev |= {"r2t": v * v * float(test["x"]), "r2c": v * v * float(control["x"]),
                    "rt": v * float(test["x"]), "rc": v * float(control["x"])}
        else:
            rev |= {"r2t": float(test["r2"]), "r2c": float(control["r2"])}
    return HoldoutCounts(float(test["n"]), float(test["x"]), float(control["n"]),
                         float(control["x"]), rev["rt"], rev["rc"], rev["r2t"], rev["r2c"],
                         aggregated)


@dataclass(frozen=True, eq=False)
class GeoPanel:
    """A complete market × week panel split into treated and control markets."""

    weeks: pd.Index
    markets: tuple[str, ...]
    values: np.ndarray  # weeks × markets
    treated: np.ndarray  # positions of treated markets
    controls: np.ndarray  # positions of control markets
    pre: np.ndarray  # bool per week: before the test started


def _coerce_start(test_start: Any, weeks: pd.Series, week: str) -> Any:
    if pd.api.types.is_datetime64_any_dtype(weeks):
        ts = pd.Timestamp(test_start)
        tz = getattr(weeks.dt, "tz", None)
        if tz is not None and ts.tzinfo is None:
            ts = ts.tz_localize(tz)
        return ts
    if pd.api.types.is_numeric_dtype(weeks):
        try:
            return float(test_start)
        except (TypeError, ValueError):
            raise ConfigError(f"test_start={test_start!r} is not a week number like those in "
                              f"column {week!r}.", hint="pass the first week of the test.") from None
    return test_start


def geo_panel(data: Any, *, market: str, week: str, outcome: str, treated: Any,
              test_start: Any, min_pre_weeks: int = MIN_PRE_WEEKS) -> GeoPanel:
    """Check and pivot a long market × week table; one aggregated value per cell."""
    frame = as_frame(data, name="the geo-test panel")
    require_columns(frame, [market, week, outcome], name="the geo-test panel")
    cells = to_pandas(frame.with_columns(nw.col(outcome).is_null().cast(nw.Int64).alias("__null"))
                      .group_by(market, week).agg(
        nw.col(outcome).sum().alias("value"), nw.col(outcome).count().alias("rows"),
        nw.col("__null").sum().alias("nulls")))
    if cells.empty:
        raise EmptyDataError("the geo-test panel has no rows.", hint="pass a market × week table.")
    cells[market] = cells[market].astype(str)
    bad = cells[(cells["rows"] + cells["nulls"]) > 1]
    if len(bad):
        r = bad.iloc[0]
        raise InputError(f"market {r[market]!r} has {int(r['rows'] + r['nulls'])} rows for week "
                         f"{r[week]}; a geo panel needs one row per market and week.",
                         hint="sum the rows of each market and week first (or check for duplicates).")
    missing = cells[cells["nulls"] > 0]
    if len(missing):
        r = missing.iloc[0]
        raise InputError(f"column {outcome!r} is empty for market {r[market]!r} in week {r[week]}.",
                         hint="fill the value (0 if there were truly no sales) or drop the market.")
    neg = cells[cells["value"] < 0]
    if len(neg):
        r = neg.iloc[0]
        raise InputError(f"column {outcome!r} is negative ({r['value']:g}) for market "
                         f"{r[market]!r} in week {r[week]}.",
                         hint="sales and conversions cannot be negative; correct the row.")
    wide = cells.pivot(index=week, columns=market, values="value").sort_index()
    gaps = wide.isna().stack()
    if gaps.any():
        wk, mk = gaps[gaps].index[0]
        raise InputError(f"market {mk!r} has no row for week {wk} (the panel has gaps).",
                         hint="every market needs a value in every week; add the week with 0 or "
                         "drop the market.")
    markets = tuple(wide.columns.astype(str))
    treated_list = [str(t) for t in ([treated] if isinstance(treated, str) else list(treated))]
    unknown = [t for t in treated_list if t not in markets]
    if unknown or not treated_list:
        raise InputError(f"treated market {unknown[0] if unknown else '(none)'!r} is not in column "
                         f"{market!r}. Markets found: {', '.join(markets[:12])}"
                         f"{' …' if len(markets) > 12 else ''}.",
                         hint="pass treated= with market names exactly as they appear in the panel.")
    start = _coerce_start(test_start, wide.index.to_series(), week)
    try:
        pre = np.asarray(wide.index < start)
    except TypeError:
        raise ConfigError(f"test_start={test_start!r} cannot be compared with the weeks in column "
                          f"{week!r} (e.g. {wide.index[0]!r}).",
                          hint="pass test_start in the same form as the week column.") from None
    n_pre, n_post = int(pre.sum()), int((~pre).sum())
    if n_pre < min_pre_weeks:
        raise InputError(f"only {n_pre} weeks in column {week!r} fall before test_start={test_start} "
                         f"(first week {wide.index[0]}); a geo test needs at least {min_pre_weeks}.",
                         hint="use a panel that starts earlier — a year before the test is best.")
    if n_post == 0:
        raise InputError(f"no week in column {week!r} is on or after test_start={test_start} "
                         f"(last week {wide.index[-1]}).", hint="check test_start or add the test weeks.")
    pos = {m: i for i, m in enumerate(markets)}
    t_idx = np.array(sorted(pos[t] for t in set(treated_list)))
    c_idx = np.setdiff1d(np.arange(len(markets)), t_idx)
    if len(c_idx) < 2:
        raise InputError(f"only {len(c_idx)} control market(s) left after removing the treated ones.",
                         hint="a synthetic control needs several untreated markets — keep more as controls.")
    values = wide.to_numpy(dtype=float)
    flat = np.flatnonzero(values[pre].mean(axis=0) <= 0)
    if len(flat):
        raise InputError(f"market {markets[flat[0]]!r} has no {outcome!r} before the test.",
                         hint="drop markets without pre-period activity.")
    return GeoPanel(wide.index, markets, values, t_idx, c_idx, pre)
