"""CRM milestones for the milestone models: from the deals and leads tables, onto the journeys.

:func:`crm_milestones` reads, per customer, when the contact / lead was created (earliest
``created_at`` of the leads table), when their first deal was created (earliest deal
``created_at``) and when a deal was first won (earliest ``closed_at`` of a won deal). Touchpoint
``user_id`` is matched to ``customer_id`` (the sample data and CRM exports share it).

On the journeys (computed in the touchpoints' engine), a milestone belongs to the journey that
was running when it happened — the user's journey that started at or before it, the next one
not yet started — and its touch is that journey's **last touch at or before the milestone**
(HubSpot: "the last interaction before the contact was created / the deal was created / the deal
moved to closed won"). A milestone before the journey's first kept touch (e.g. outside the
lookback window), after a later journey started, or missing from the tables gives that journey
no such touch; the model's notes count those journeys.

Examples
--------
>>> import pandas as pd
>>> deals = pd.DataFrame({"customer_id": ["c1", "c1", "c2"], "status": ["won", "lost", "open"],
...                       "created_at": pd.to_datetime(["2024-02-01", "2024-01-15", "2024-03-01"]),
...                       "closed_at": pd.to_datetime(["2024-03-01", "2024-02-01", None])})
>>> leads = pd.DataFrame({"customer_id": ["c1"], "created_at": pd.to_datetime(["2024-01-10"])})
>>> crm_milestones(deals, leads=leads)
  user_id    lead_at    deal_at     won_at
0      c1 2024-01-10 2024-01-15 2024-03-01
1      c2        NaT 2024-03-01        NaT
"""

from __future__ import annotations

from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd
import polars as pl

from roi_kit.attribution.milestones import ROLES, MilestoneTouches, paths_touches
from roi_kit.attribution.paths import Paths
from roi_kit.engine import as_frame, column_names, require_columns, to_pandas
from roi_kit.errors import InputError

__all__ = ["MILESTONE_COLUMNS", "crm_milestones", "milestone_touches", "path_milestones"]

MILESTONE_COLUMNS: dict[str, str] = {"lead": "lead_at", "deal": "deal_at", "won": "won_at"}
"""Columns of the milestones table (``user_id`` plus one timestamp per milestone)."""

PATH_COLUMNS: dict[str, str] = {"lead": "lead_touch", "deal": "deal_touch", "won": "won_touch"}
"""Columns of an aggregated path table holding each milestone's 1-based touch number."""


def _earliest(frame: Any, key: str, at: str, name: str) -> pd.DataFrame:
    f = as_frame(frame, name=name)
    require_columns(f, [key, at], name=name)
    out = f.select(nw.col(key).cast(nw.String).alias("user_id"), nw.col(at).alias("_at")) \
        .filter(~nw.col("user_id").is_null() & ~nw.col("_at").is_null()) \
        .group_by("user_id").agg(nw.col("_at").min())
    return to_pandas(out).set_index("user_id")["_at"]


def crm_milestones(
    deals: Any,
    *,
    leads: Any | None = None,
    customer: str = "customer_id",
    status: str = "status",
    won: str = "won",
    deal_created: str = "created_at",
    deal_closed: str = "closed_at",
    lead_id: str = "customer_id",
    lead_created: str = "created_at",
) -> pd.DataFrame:
    """One row per customer: ``user_id, lead_at, deal_at, won_at`` from the CRM tables.

    Parameters
    ----------
    deals
        The deals table (``customer_id, status, created_at, closed_at``); any engine.
    leads
        Contacts or leads with their creation time (``customer_id, created_at``), e.g. a CRM
        contacts export, or ``funnel_events`` rows of the lead event with
        ``lead_id="user_id", lead_created="timestamp"``. ``None``: no lead-creation times
        (``lead_at`` stays empty, and U-/W-shaped and full-path models say so).
    customer, status, won, deal_created, deal_closed
        Deals columns and the status value that means won.
    lead_id, lead_created
        Leads columns.

    Returns
    -------
    pandas.DataFrame
        ``user_id`` (text), ``lead_at`` (earliest lead / contact creation), ``deal_at``
        (earliest deal created), ``won_at`` (earliest close of a won deal); empty cells where
        the tables have no such event.

    Examples
    --------
    >>> import pandas as pd
    >>> deals = pd.DataFrame({"customer_id": ["c1"], "status": ["won"],
    ...                       "created_at": pd.to_datetime(["2024-02-01"]),
    ...                       "closed_at": pd.to_datetime(["2024-02-20"])})
    >>> crm_milestones(deals).iloc[0].tolist()[1:]
    [NaT, Timestamp('2024-02-01 00:00:00'), Timestamp('2024-02-20 00:00:00')]
    """
    d = as_frame(deals, name="deals")
    require_columns(d, [customer, status, deal_created, deal_closed], name="deals")
    deal_at = _earliest(d, customer, deal_created, "deals")
    is_won = nw.col(status).cast(nw.String).str.to_lowercase() == won.lower()
    won_at = _earliest(d.filter(is_won), customer, deal_closed, "deals")
    parts = {"deal_at": deal_at, "won_at": won_at}
    lead_at = _earliest(leads, lead_id, lead_created, "leads") if leads is not None else None
    out = pd.concat({"lead_at": lead_at, **parts} if lead_at is not None else parts, axis=1)
    if lead_at is None:
        out.insert(0, "lead_at", pd.Series(pd.NaT, index=out.index, dtype=deal_at.dtype))
    out.index.name = "user_id"
    return out.sort_index().reset_index()[["user_id", "lead_at", "deal_at", "won_at"]]


def path_milestones(data: Any, paths: Paths) -> np.ndarray | None:
    """0-based milestone positions ``(n_paths, 3)`` from ``lead_touch``/``deal_touch``/``won_touch``.

    Aggregated paths carry no timestamps, so milestones come as the 1-based number of the touch
    (in the path) that created the lead, the deal, or closed it; an empty cell means the journeys
    of that row have no such touch. ``None`` when the table has none of these columns.

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.attribution.paths import read_paths
    >>> t = pd.DataFrame({"path": ["a > b > c"], "conversions": [1], "lead_touch": [2]})
    >>> path_milestones(t, read_paths(t)).tolist()
    [[1, -1, -1]]
    """
    frame = as_frame(data, name="paths")
    cols = [c for c in PATH_COLUMNS.values() if c in column_names(frame)]
    if not cols:
        return None
    got = to_pandas(frame.select(*cols))
    if len(got) != paths.n_paths:
        raise InputError(
            f"paths has {len(got) - paths.n_paths} rows without any channel, so their "
            f"{', '.join(cols)} cannot be matched to a path.",
            hint="drop the rows whose path is empty before attributing.")
    out = np.full((paths.n_paths, 3), -1, dtype=np.int64)
    for k, role in enumerate(ROLES):
        col = PATH_COLUMNS[role]
        if col not in got:
            continue
        raw = pd.to_numeric(got[col], errors="coerce").to_numpy(dtype=float)
        ok = ~np.isnan(raw)
        bad = ok & ((raw != np.round(raw)) | (raw < 1) | (raw > paths.lengths))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputError(
                f"paths.{col} is {raw[i]:g} in row {i}, whose path has {paths.lengths[i]} touches.",
                hint=f"{col} is the 1-based number of the touch in the path (1 = first touch); "
                "leave it empty when the journeys have no such milestone.")
        out[ok, k] = raw[ok].astype(np.int64) - 1
    return out


def _as_touch_engine(t: Any, ms: pd.DataFrame) -> tuple[Any, Any]:
    """The touches (collected once, narrow) and the milestones table in the same engine.

    pandas touches stay pandas; everything else is collected to polars: the touch table's plan
    is read twice (journeys, then their touches), and running it once is the cheaper route.
    """
    keep = ["_u", "_t", "_code", "_conv", "_val", "_pid", "_pos"]
    t = t.select(*keep)
    impl = t.implementation
    if impl.is_pandas():
        return t, nw.from_native(ms, eager_only=True)
    # the touch plan (UTM rules, windows) is read twice below: run it once, keep 7 columns
    if isinstance(t, nw.LazyFrame):
        t = t.collect(backend="polars").lazy()
    elif not impl.is_polars():
        t = nw.from_native(t.to_polars()).lazy()
    m = nw.from_native(pl.from_pandas(ms))
    return t, (m.lazy() if isinstance(t, nw.LazyFrame) else m)


def _align_times(ms: pd.DataFrame, t: Any) -> pd.DataFrame:
    """Milestone times in the touch timestamps' time zone (naive = UTC, as in the loaders)."""
    schema = t.collect_schema() if isinstance(t, nw.LazyFrame) else t.schema
    tz = getattr(schema["_t"], "time_zone", None)
    out = ms.copy()
    for col in MILESTONE_COLUMNS.values():
        s = pd.to_datetime(out[col], errors="coerce")
        has_tz = getattr(s.dt, "tz", None) is not None
        if tz and not has_tz:
            s = s.dt.tz_localize("UTC").dt.tz_convert(tz)
        elif tz and has_tz:
            s = s.dt.tz_convert(tz)
        elif has_tz:
            s = s.dt.tz_convert("UTC").dt.tz_localize(None)
        out[col] = s.astype(f"datetime64[ns, {tz}]" if tz else "datetime64[ns]")
    return out


def milestone_touches(paths: Paths, milestones: Any) -> MilestoneTouches:
    """Join the milestones onto the journeys of a touchpoint log and group the converting touches.

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.attribution.paths import build_paths
    >>> tp = pd.DataFrame({"user_id": ["c1"] * 3, "channel": ["a", "b", "c"],
    ...                    "timestamp": pd.to_datetime(["2024-01-01", "2024-01-05", "2024-01-09"]),
    ...                    "converted": [0, 0, 1]})
    >>> ms = pd.DataFrame({"user_id": ["c1"], "lead_at": pd.to_datetime(["2024-01-06"]),
    ...                    "deal_at": pd.to_datetime([None]), "won_at": pd.to_datetime([None])})
    >>> mt = milestone_touches(build_paths(tp, channel="channel"), ms)
    >>> mt.lead.tolist(), mt.missing["deal"]
    ([1, 1, 1], 1.0)
    """
    if paths.touches is None:
        raise InputError("milestones need the touchpoint log, and these paths came without it.",
                         hint="pass the touchpoints, or lead_touch / deal_touch / won_touch "
                         "columns in the path table.")
    m = as_frame(milestones, name="milestones")
    require_columns(m, ["user_id"], name="milestones")
    have = [c for c in MILESTONE_COLUMNS.values() if c in column_names(m)]
    ms = to_pandas(m.select("user_id", *have))
    for col in MILESTONE_COLUMNS.values():
        if col not in ms:
            ms[col] = pd.NaT
    ms["user_id"] = ms["user_id"].astype(str)
    ms = ms.drop_duplicates("user_id")
    aligned = _align_times(ms, paths.touches).rename(columns={"user_id": "_mu"})
    t, mf = _as_touch_engine(paths.touches, aligned)
    journey = ["_u", "_pid"]
    # per touch: its position if it came at or before each milestone (elementwise, one join)
    tm = t.with_columns(nw.col("_u").cast(nw.String).alias("_us")) \
        .join(mf, left_on="_us", right_on="_mu", how="left") \
        .with_columns(*[nw.when(nw.col("_t") <= nw.col(c)).then(nw.col("_pos")).otherwise(-1)
                        .alias(f"_p{r}") for r, c in MILESTONE_COLUMNS.items()])
    # per journey: one group-by for its start, outcome, length and last touch before each milestone
    j = tm.group_by(*journey).agg(
        nw.col("_t").min().alias("_t0"), nw.col("_conv").max().alias("_pc"),
        nw.col("_val").sum().alias("_pv"), nw.col("_pos").max().alias("_last"),
        *[nw.col(f"_p{r}").max() for r in ROLES],
        *[nw.col(c).max() for c in MILESTONE_COLUMNS.values()])
    # the journey running at a milestone is the user's last journey started at or before it
    j = j.with_columns(*[nw.when(nw.col("_t0") <= nw.col(c)).then(nw.col("_pid")).otherwise(-1)
                         .alias(f"_j{r}") for r, c in MILESTONE_COLUMNS.items()])
    j = j.with_columns(*[nw.col(f"_j{r}").max().over("_u") for r in ROLES])
    j = j.filter(nw.col("_pc") > 0).select(
        *journey, "_pc", "_pv", (nw.col("_last") + 1).alias("_n"),
        *[nw.when(nw.col(f"_j{r}") == nw.col("_pid")).then(nw.col(f"_p{r}")).otherwise(-1)
          .cast(nw.Int64).alias(r) for r in ROLES])
    keys = ["_code", "_pos", "_n", *ROLES]
    cells = to_pandas(t.select(*journey, "_code", "_pos").join(j, on=journey, how="inner")
                      .group_by(*keys).agg(nw.col("_pc").sum(), nw.col("_pv").sum()))
    arr = {k: cells[k].to_numpy(np.int64) for k in keys}
    code = arr["_code"] - 1
    ok = code >= 0
    conv = cells["_pc"].to_numpy(np.float64)[ok]
    pos = arr["_pos"][ok]
    lead, deal, won = (arr[r][ok] for r in ROLES)
    missing: dict[str, float] = {r: float(conv[(pos == 0) & (v < 0)].sum())
                                 for r, v in zip(ROLES, (lead, deal, won))}
    if not len(conv):
        return paths_touches(paths)
    return MilestoneTouches(code=code[ok], pos=pos, n=arr["_n"][ok], lead=lead, deal=deal, won=won,
                            conversions=conv, value=cells["_pv"].to_numpy(np.float64)[ok],
                            n_elements=len(paths.elements), missing=missing)
