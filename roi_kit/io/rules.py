"""Table-specific value rules: deal statuses and kinds, platforms, cost categories, and row checks.

Value maps work on the distinct values of a column (a handful), never row by row. Labels are
compared after :func:`roi_kit.io.aliases.normalise`, so ``Closed Won``, ``closedwon`` and
``closed-won`` are the same.

Examples
--------
>>> deal_status("Closed Won"), deal_status("closedlost"), deal_status("Proposal/Price Quote")
('won', 'lost', 'open')
>>> deal_status("Sleeping") is None
True
>>> cost_category("Ad spend"), platform_name("Twitter")
('ads', 'x')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from roi_kit.io.aliases import normalise
from roi_kit.io.stages import check_status_map, stage_status

__all__ = ["cost_category", "deal_kind", "deal_status", "map_values", "platform_name", "weekday_name"]


def _table(groups: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {normalise(label): canon for canon, labels in groups.items() for label in (canon, *labels)}


KIND = _table({
    "new": ("new business", "newbusiness", "new customer", "new logo", "acquisition"),
    "upsell": ("up sell", "upgrade", "expansion", "existing business", "existingbusiness",
               "existing customer upgrade", "add on", "addon"),
    "cross-sell": ("cross sell", "crosssell"),
    "renewal": ("renew", "renewals", "existing customer renewal", "existing customer replacement"),
})
PLATFORM = _table({
    "facebook": ("fb", "facebook page"), "instagram": ("ig", "insta"),
    "linkedin": ("li", "linked in", "linkedin page"), "x": ("twitter", "x twitter", "twitter x", "tw"),
    "youtube": ("yt", "you tube"), "tiktok": ("tik tok",), "pinterest": (), "threads": (),
})
CATEGORY = _table({
    "staff": ("salary", "salaries", "wages", "labour", "labor", "personnel", "staff time"),
    "management": ("manager", "overhead"),
    "tools": ("tool", "software", "saas", "subscription", "subscriptions", "license", "licenses"),
    "ads": ("ad", "advertising", "ad spend", "paid media", "paid social", "boost", "boosts",
            "sponsored", "media"),
    "agency": ("agencies", "freelance", "freelancer", "contractor", "consultant"),
    "service": ("refund", "refunds", "discount", "discounts", "credit", "credits", "goodwill",
                "compensation", "customer service"),
    "training": ("course", "courses", "conference", "conferences", "event", "events", "research",
                 "education"),
    "other": ("misc", "miscellaneous"),
})

WEEKDAY = _table({
    "Mon": ("monday",), "Tue": ("tuesday", "tues"), "Wed": ("wednesday",),
    "Thu": ("thursday", "thur", "thurs"), "Fri": ("friday",), "Sat": ("saturday",),
    "Sun": ("sunday",),
})


def weekday_name(label: str) -> str | None:
    """``Mon`` ... ``Sun`` for an English weekday name or abbreviation; None otherwise.

    Numbers are not read: exports disagree on whether 1 is Monday or Sunday.

    Examples
    --------
    >>> weekday_name("Thursday"), weekday_name("tue"), weekday_name("1")
    ('Thu', 'Tue', None)
    """
    return WEEKDAY.get(normalise(label))


def deal_status(label: str, extra: Mapping[str, str] | None = None) -> str | None:
    """Canonical status (won / lost / open) of a CRM stage label, or None if unknown.

    The default stage maps are in :mod:`roi_kit.io.stages`; ``extra`` (``status_map=``) wins.
    """
    return stage_status(label, check_status_map(extra) if extra else None)


def deal_kind(label: str) -> str | None:
    """Canonical deal kind (new / upsell / cross-sell / renewal), or None if unknown."""
    return KIND.get(normalise(label))


def platform_name(label: str) -> str:
    """Canonical platform name; unknown platforms are lower-cased."""
    key = normalise(label)
    return PLATFORM.get(key, key)


def cost_category(label: str) -> str | None:
    """Canonical cost category, or None if unknown."""
    return CATEGORY.get(normalise(label))


def map_values(values: pa.Array | pa.ChunkedArray, fn: Callable[[str], str | None],
               distinct: list[Any] | None = None) -> tuple[pa.Array, np.ndarray]:
    """Apply ``fn`` to the distinct values of a text column.

    Returns the mapped column (unknown values become null) and the mask of unknown values.
    ``distinct`` may pass the column's distinct values when they are already known.
    """
    arr: Any = values
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)
            or pa.types.is_dictionary(arr.type)):
        arr = pc.cast(arr, pa.string())
    if not pa.types.is_dictionary(arr.type):
        if distinct is None:
            distinct = pc.unique(arr).to_pylist()
        if all(v is None or fn(v) == v for v in distinct):  # already canonical: no copy
            return arr, np.zeros(len(arr), dtype=bool)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if not pa.types.is_dictionary(arr.type):
        arr = pc.dictionary_encode(arr)
    labels = arr.dictionary.to_pylist()
    mapped = [fn(v) if v is not None else None for v in labels]
    unknown_codes = np.asarray([m is None and v is not None for v, m in zip(labels, mapped)], dtype=bool)
    indices = arr.indices
    if unknown_codes.any():
        codes = np.asarray(pc.fill_null(indices, -1).to_numpy(zero_copy_only=False))
        unknown = np.zeros(len(codes), dtype=bool)
        valid = codes >= 0
        unknown[valid] = unknown_codes[codes[valid]]
    else:
        unknown = np.zeros(len(arr), dtype=bool)
    out = pa.array(mapped, type=pa.string()).take(indices)
    return out, unknown
