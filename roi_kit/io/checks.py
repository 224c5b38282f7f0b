"""Row checks of the canonical tables: value maps, impossible orders, duplicates, future dates.

Every check works on whole columns and records what it finds in the :class:`IssueLog`; rows it
removes are marked in the shared ``drop`` mask (see :mod:`roi_kit.io.loaders` for the policy).

Examples
--------
>>> import numpy as np
>>> import pyarrow as pa
>>> from roi_kit.io.report import IssueLog
>>> log, drop = IssueLog(np.array([2, 3, 4])), np.zeros(3, dtype=bool)
>>> duplicates(("deal_id",), {"deal_id": pa.array(["d1", "d2", "d1"])}, log, drop)
>>> drop.tolist(), log.frame()["problem"].tolist()
([False, False, True], ['duplicate deal_id (first seen on row 2)'])
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from roi_kit.io.report import IssueLog
from roi_kit.io.rules import cost_category, deal_kind, map_values, platform_name, weekday_name
from roi_kit.io.stages import check_status_map, stage_status
from roi_kit.io.traffic_rules import traffic_rules

__all__ = ["BLANK_ALLOWED", "BLANK_EFFECT", "FUTURE_CHECKED", "MAPPED", "blank_allowed", "duplicates",
           "future_dates", "log_values", "table_rules"]

#: required columns whose value may be blank on some rows, and which rows (see
#: :func:`blank_allowed`): a deal's amount is needed only when the deal is won
BLANK_ALLOWED: dict[str, dict[str, str]] = {
    "deals": {"amount": "open or lost deals"},
    "ad_performance": {"clicks": "ads managers leave the cell empty when there were none"},
}

#: what an analysis does with a blank value that :data:`BLANK_ALLOWED` keeps
BLANK_EFFECT: dict[str, str] = {"clicks": "summed as 0"}

#: text columns whose labels are mapped onto canonical values (see roi_kit.io.rules)
MAPPED = ("status", "kind", "category", "platform")

#: date columns checked for values in the future, per table
FUTURE_CHECKED: dict[str, tuple[str, ...]] = {
    "customers": ("acquired_at", "churned_at"), "social_audience": ("followed_at", "last_engaged_at"),
    "deals": ("created_at", "closed_at"), "touchpoints": ("timestamp",), "posts": ("published_at",),
    "costs": ("date",), "funnel_events": ("timestamp",), "goals": (),
    "service_interactions": ("opened_at", "first_response_at", "resolved_at"),
    "ad_performance": ("date",), "traffic": ("date",),
}


def table_rules(table: str, out: dict[str, pa.Array], raw: dict[str, Any], log: IssueLog,
                 drop: np.ndarray, notes: list[str], status_map: Mapping[str, str] | None,
                 labels: dict[str, list[Any]]) -> None:
    if table == "deals":
        extra = check_status_map(status_map)
        status, unknown = map_values(out["status"], lambda v: stage_status(v, extra),
                                     labels.get("status"))
        if unknown.any():
            notes.append(_unknown_stages(out["status"], unknown & ~drop))
        log.add(unknown & ~drop, "status", raw["status"],
                "unknown deal status (expected won, lost, open or a CRM stage name)", "dropped")
        drop |= unknown
        out["status"] = status
        lowest = pc.min(out["amount"]).as_py()
        neg = (_mask(pc.less(out["amount"], 0.0)) if lowest is not None and lowest < 0
               else np.zeros(len(drop), dtype=bool)) & ~drop
        log.add(neg, "amount", raw["amount"], "negative amount", "dropped")
        drop |= neg
        if "kind" in out:
            kinds, unknown_kind = map_values(out["kind"], deal_kind, labels.get("kind"))
            if unknown_kind.any():
                left = pc.filter(out["kind"], pa.array(unknown_kind))
                shown = ", ".join(repr(v) for v in pc.unique(left).to_pylist()[:5])
                notes.append(f"kind: values not recognised, kept as they are: {shown}")
                kinds = pc.if_else(pa.array(unknown_kind), out["kind"], kinds)
            out["kind"] = kinds
        if "closed_at" in out:
            early = _earlier(out["closed_at"], out["created_at"], drop)
            log.add(early, "closed_at", raw["closed_at"], "closed before it was created", "flagged")
    elif table == "costs":
        cats, unknown = map_values(out["category"], cost_category, labels.get("category"))
        log.add(unknown, "category", raw["category"], "unknown category (set to other)", "coerced")
        out["category"] = pc.if_else(pa.array(unknown), pa.scalar("other"), cats)
        if "amount" in out:
            neg = _mask(pc.less(out["amount"], 0.0)) & ~drop
            log.add(neg, "amount", raw["amount"], "negative amount (refund or credit?)", "flagged")
        has_amount = _mask(pc.is_valid(out["amount"])) if "amount" in out else np.zeros(len(drop), bool)
        has_rate = (_mask(pc.is_valid(out["hours"])) & _mask(pc.is_valid(out["rate"]))
                    if "hours" in out and "rate" in out else np.zeros(len(drop), bool))
        none = ~has_amount & ~has_rate & ~drop
        log.add(none, "amount", raw.get("amount", ""), "no amount, and no hours and rate", "dropped")
        drop |= none
    elif table == "customers":
        if "churned_at" in out:
            early = _earlier(out["churned_at"], out["acquired_at"], drop)
            log.add(early, "churned_at", raw["churned_at"], "churned before acquired", "flagged")
        for col in ("mrr", "arr"):  # a negative recurring revenue is a credit or a typo
            if col in out and (pc.min(out[col]).as_py() or 0) < 0:
                neg = _mask(pc.less(out[col], 0.0)) & ~drop
                log.add(neg, col, raw[col], f"negative {col} (credit, refund or typo?)",
                        "flagged")
    elif table == "service_interactions":
        for col, problem in (("first_response_at", "answered before it was opened"),
                             ("resolved_at", "resolved before it was opened")):
            if col in out:
                early = _earlier(out[col], out["opened_at"], drop)
                log.add(early, col, raw[col], problem, "flagged")
    elif table == "posts":
        _engagement_counts(out, notes)
        _post_timing(out, raw, log, drop, notes)
    elif table == "ad_performance":
        for col, than in (("clicks", "impressions"), ("approved_conversions", "conversions")):
            if col in out and than in out:
                more = _earlier(out[than], out[col], drop)  # fewer `than` than `col`
                log.add(more, col, raw[col], f"more {col} than {than}", "flagged")
        for col in ("conversions", "approved_conversions", "conversion_value"):
            if col in out and out[col].null_count:  # an ads manager's blank result is none
                notes.append(f"{col}: {out[col].null_count:,} of {len(out[col]):,} rows blank; "
                             "rates and funnels sum them as 0")
        if (pc.min(out["spend"]).as_py() or 0) < 0:
            neg = _mask(pc.less(out["spend"], 0.0)) & ~drop
            log.add(neg, "spend", raw["spend"], "negative spend (refund or credit?)", "flagged")
    elif table == "traffic":
        traffic_rules(out, raw, log, drop, notes)
    elif table == "goals":
        early = _earlier(out["period_end"], out["period_start"], drop)
        log.add(early, "period_end", raw["period_end"], "period ends before it starts", "dropped")
        drop |= early
    if "platform" in out:
        out["platform"], _ = map_values(out["platform"], platform_name, labels.get("platform"))


#: the counts that make up a post's engagements (see roi_kit.content)
ENGAGEMENT_COUNTS = ("likes", "comments", "shares", "saves")


def _engagement_counts(out: dict[str, pa.Array], notes: list[str]) -> None:
    """Say which engagement counts are absent or blank: analyses count them as 0."""
    absent = [c for c in ENGAGEMENT_COUNTS if c not in out]
    if absent:
        notes.append(f"{', '.join(absent)}: not in the file; engagement totals count "
                     f"{'it' if len(absent) == 1 else 'them'} as 0")
    for col in ENGAGEMENT_COUNTS:
        if col in out and out[col].null_count:
            notes.append(f"{col}: {out[col].null_count:,} of {len(out[col]):,} rows blank; "
                         "engagement totals count them as 0")


def _post_timing(out: dict[str, pa.Array], raw: dict[str, Any], log: IssueLog,
                 drop: np.ndarray, notes: list[str]) -> None:
    """Weekday names to Mon ... Sun and hours checked to 0-23 (unreadable ones coerced); say
    when the timing is only a weekday and an hour."""
    if "weekday" in out:
        days, unknown = map_values(out["weekday"], weekday_name)
        log.add(unknown & ~drop, "weekday", raw["weekday"],
                "not a weekday name (numbers are not read: is 1 Monday or Sunday?)", "coerced")
        out["weekday"] = days
    if "hour" in out:
        bad = _mask(pc.or_(pc.less(out["hour"], 0), pc.greater(out["hour"], 23))) & ~drop
        log.add(bad, "hour", raw["hour"], "hour outside 0-23", "coerced")
        if bad.any():
            out["hour"] = pc.if_else(pa.array(bad), pa.scalar(None, out["hour"].type), out["hour"])
    if "published_at" not in out:
        notes.append("published_at: not in the file; posts are timed only by their weekday and "
                     "hour as the export states them (best-time analysis works; nothing by date)")


def _unknown_stages(labels: Any, unknown: np.ndarray) -> str:
    """Note naming every unknown stage label with its row count, and the option that maps it."""
    counts = pl.Series(pc.filter(labels, pa.array(unknown))).value_counts(sort=True)
    found = ", ".join(f"{v!r} ({n:,} row{'' if n == 1 else 's'})" for v, n in counts.iter_rows())
    first = str(counts.row(0)[0]) if counts.height else "<stage>"
    return (f"status: stages not in any default stage map, rows dropped: {found}; "
            f"name them with status_map={{{first!r}: 'open'}} (or 'won' / 'lost')")


def log_values(col: str, original: Any, parsed: Any, needed: np.ndarray, log: IssueLog,
                drop: np.ndarray) -> None:
    """Log a column's unreadable values (dropped where ``needed``, else coerced) and its blank
    ``needed`` values (dropped)."""
    bad = np.zeros(len(drop), dtype=bool)
    for problem, mask in parsed.problems.items():  # a value read another way is kept
        gone = mask & needed
        log.add(gone, col, original, problem, "dropped")
        log.add(mask & ~gone, col, original, problem, "coerced")
        bad |= mask
    empty = needed & ~bad
    log.add(empty, col, original, "missing value", "dropped")
    drop |= needed


def blank_allowed(table: str, col: str, out: dict[str, pa.Array]) -> np.ndarray:
    """Rows whose ``col`` may be blank (see :data:`BLANK_ALLOWED`); call after :func:`table_rules`.

    Examples
    --------
    >>> out = {"status": pa.array(["won", "open", None, "lost"])}
    >>> blank_allowed("deals", "amount", out).tolist()
    [False, True, False, True]
    """
    if table == "deals" and col == "amount":
        return _mask(pc.is_in(out["status"], value_set=pa.array(["open", "lost"])))
    if table == "ad_performance" and col == "clicks":
        return np.ones(len(out[col]), dtype=bool)
    return np.zeros(len(next(iter(out.values()))), dtype=bool)


def _earlier(later: Any, earlier: Any, drop: np.ndarray) -> np.ndarray:
    """Rows (not dropped) where ``later`` is before ``earlier``; cheap when there are none."""
    less = pc.less(later, earlier)
    if not pc.any(less).as_py():
        return np.zeros(len(drop), dtype=bool)
    return _mask(less) & ~drop


def _mask(values: Any) -> np.ndarray:
    return np.asarray(pc.fill_null(values, False).to_numpy(zero_copy_only=False), dtype=bool)


def duplicates(ids: tuple[str, ...], out: dict[str, pa.Array], log: IssueLog,
                drop: np.ndarray) -> None:
    for col in ids:
        values = out[col]
        kept = values if not drop.any() else pc.filter(values, pa.array(~drop))
        series = pl.Series(kept)
        if series.n_unique() == len(kept):  # polars: the fastest hash on this machine
            continue
        pos = np.flatnonzero(~drop)
        codes = series.rank("dense").to_numpy().astype(np.int64) - 1
        _, first_idx = np.unique(codes, return_index=True)
        first = first_idx[codes]
        dup = first != np.arange(len(codes))
        mask = np.zeros(len(drop), dtype=bool)
        mask[pos[dup]] = True
        first_rows = np.zeros(len(drop), dtype=np.int64)
        first_rows[pos] = log.rows[pos[first]]
        problems = np.char.add(np.char.add(f"duplicate {col} (first seen on row ",
                                           first_rows.astype(str)), ")")
        log.add(mask, col, values, problems.astype(object), "dropped")
        drop |= mask


def future_dates(table: str, out: dict[str, pa.Array], log: IssueLog, drop: np.ndarray,
            now: datetime | str | None) -> None:
    ref = pd.Timestamp.now(tz="UTC").tz_localize(None) if now is None else pd.Timestamp(now)
    if ref.tzinfo is not None:
        ref = ref.tz_convert("UTC").tz_localize(None)
    scalar = pa.scalar(ref.to_datetime64().astype("datetime64[us]"), type=pa.timestamp("us"))
    for col in FUTURE_CHECKED.get(table, ()):
        if col not in out:
            continue
        latest = pc.max(out[col]).as_py()
        if latest is None or pd.Timestamp(latest) <= ref:
            continue
        mask = _mask(pc.greater(out[col], scalar)) & ~drop
        if table == "deals" and col == "closed_at":
            mask &= _mask(pc.is_in(out["status"], value_set=pa.array(["won", "lost"])))
        log.add(mask, col, out[col], "date in the future", "flagged")
