"""Column aliases: map the headers of common exports onto the canonical tables.

Headers are compared after :func:`normalise` (lower case, every run of non-alphanumeric
characters becomes one space), so ``Deal Stage``, ``deal_stage`` and ``DEAL-STAGE`` are the same.
For a table, the loader tries in this order: the caller's ``columns={...}``, the canonical name
itself, the best-fitting export :data:`ALIAS_SETS` (detected from its signature headers and
named in the report), then the :data:`COMMON` aliases. The documented table is in
``docs/loading.md``.

Examples
--------
>>> m = resolve_columns(["Record ID", "Deal Name", "Deal Stage", "Amount", "Create Date",
...                      "Associated Company IDs", "Close Date", "Pipeline"], "deals")
>>> m.alias_set
'HubSpot deals'
>>> m.mapping["Deal Stage"], m.mapping["Record ID"]
('status', 'deal_id')
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from roi_kit.errors import ConfigError
from roi_kit.io.alias_sets import ALIAS_SETS, AliasSet
from roi_kit.io.common_aliases import COMMON
from roi_kit.schema import TABLES

__all__ = ["ALIAS_SETS", "COMMON", "GENERIC", "AliasSet", "ColumnMapping", "Fit", "Origin",
           "closest", "detect_alias_set", "normalise", "resolve_columns"]

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise(header: str) -> str:
    """Lower-case a header and collapse punctuation/whitespace runs to single spaces.

    Examples
    --------
    >>> normalise("  Session source / medium ")
    'session source medium'
    """
    return _NON_ALNUM.sub(" ", str(header).lower()).strip()


Origin = Literal["columns=", "canonical name", "alias set", "common aliases"]
Fit = Callable[[str, str], bool]
"""``fit(header, kind)``: does the content of ``header`` read as a canonical ``kind``?"""

#: names that many exports use (the canonical names and the common aliases of every table):
#: they count for half as evidence of an export family
GENERIC: frozenset[str] = frozenset(
    {normalise(c) for spec in TABLES.values() for c in spec.columns}
    | {a for table in COMMON.values() for aliases in table.values() for a in aliases})
MIN_EVIDENCE = 2.0


@dataclass(frozen=True)
class ColumnMapping:
    """How source headers map onto a canonical table.

    ``mapping`` is ``{source header: canonical column}``; ``origin`` says where each mapping
    came from (``columns=``, the canonical name, the alias set, the common aliases);
    ``alias_set`` names the detected export (``None`` when only canonical names / common aliases
    were used); ``constants`` are columns to fill; ``split`` maps a combined header to the two
    columns it becomes; ``extra`` lists headers kept as they are.
    """

    mapping: dict[str, str]
    alias_set: str | None
    constants: dict[str, str]
    split: dict[str, tuple[str, str]]
    extra: tuple[str, ...]
    origin: dict[str, Origin] = field(default_factory=dict)


def _claims(alias_set: AliasSet, by_norm: Mapping[str, str], fit: Fit | None) -> tuple[int, int]:
    """(headers the set would map that fit their column's kind, headers it would map)."""
    kinds = TABLES[alias_set.table].columns
    found = fitting = 0
    for col, aliases in alias_set.columns.items():
        header = next((by_norm[a] for a in aliases if a in by_norm), None)
        if header is not None:
            found += 1
            fitting += fit is None or fit(header, kinds[col])
    return fitting, found


def detect_alias_set(headers: list[str], table: str, *, fit: Fit | None = None) -> AliasSet | None:
    """The export family whose headers are the best evidence, if any is good enough.

    Evidence: each signature header present counts 1, or 1/2 when it is a :data:`GENERIC` name
    (``close date``, ``deal stage``): a family needs a score of at least 2 (two distinctive
    headers, or four generic ones), and (when ``fit`` is given) every header it would map must
    read as its column's kind.

    Examples
    --------
    >>> detect_alias_set(["opportunity_id", "account", "deal_stage", "close_date"], "deals") is None
    True
    >>> detect_alias_set(["Record ID", "Deal Name", "Pipeline"], "deals").name
    'HubSpot deals'
    """
    normed = {normalise(h): h for h in reversed(headers)}
    best: tuple[float, int, AliasSet | None] = (0.0, 0, None)
    for alias_set in ALIAS_SETS:
        if alias_set.table != table:
            continue
        hits = set(normed) & set(alias_set.signature)
        distinct = hits - GENERIC
        score = len(distinct) + 0.5 * (len(hits) - len(distinct))
        if score < MIN_EVIDENCE:
            continue
        fitting, found = _claims(alias_set, normed, fit)
        if fitting < found:
            continue
        if (score, fitting) > best[:2]:
            best = (score, fitting, alias_set)
    return best[2]


def resolve_columns(headers: list[str], table: str, *, columns: Mapping[str, str] | None = None,
                    fit: Fit | None = None) -> ColumnMapping:
    """Map ``headers`` onto the canonical columns of ``table``.

    ``fit(header, kind)`` (the loader passes one that reads the column's values) keeps aliases
    from mapping a column whose content cannot be the canonical one. Raises
    :class:`~roi_kit.errors.ConfigError` when ``columns`` names a header that does not exist or
    a canonical column the table does not have.
    """
    spec = TABLES[table]
    canon = list(spec.columns)
    mapping: dict[str, str] = {}
    origin: dict[str, Origin] = {}
    taken: set[str] = set()
    for src, dst in (columns or {}).items():
        if dst not in spec.columns:
            raise ConfigError(
                f"columns={{{src!r}: {dst!r}}}: {dst!r} is not a column of the {table} table.",
                hint=f"use one of: {', '.join(canon)}.")
        if src not in headers:
            near = closest(src, headers)
            raise ConfigError(
                f"columns={{{src!r}: {dst!r}}}: the source has no column {src!r}. "
                f"Columns found: {', '.join(headers)}.",
                hint=f"did you mean {near!r}?" if near else "use a header exactly as it is in the file.")
        mapping[src] = dst
        origin[src] = "columns="
        taken.add(dst)
    free = [h for h in headers if h not in mapping]
    detected = detect_alias_set(headers, table, fit=fit)
    by_norm: dict[str, str] = {}
    for h in free:
        by_norm.setdefault(normalise(h), h)
    split: dict[str, tuple[str, str]] = {}

    def claim(col: str, aliases: tuple[str, ...], how: Origin, check: bool = True) -> None:
        if col in taken:
            return
        for alias in aliases:
            h = by_norm.get(alias)
            if h is not None and h not in mapping and (
                    not check or fit is None or fit(h, spec.kind(col))):
                mapping[h] = col
                origin[h] = how
                taken.add(col)
                return

    for col in canon:  # a canonical name is taken as it is: its values are checked when parsed
        claim(col, (normalise(col),), "canonical name", check=False)
    families = [s for s in ALIAS_SETS if s.table == table and s is not detected]
    for family in ([detected] if detected is not None else []) + families:
        # the detected family's combined column first; any family's of this table after it
        for combined, (a, b) in family.split.items():
            found = by_norm.get(combined)
            if found is not None and found not in mapping and a not in taken and b not in taken:
                split[found] = (a, b)
                taken.update((a, b))
    if detected is not None:
        for col, aliases in detected.columns.items():
            claim(col, aliases, "alias set")
    for col, aliases in COMMON.get(table, {}).items():
        claim(col, aliases, "common aliases")
    constants = {k: v for k, v in (detected.constants if detected else {}).items() if k not in taken}
    extra = tuple(h for h in headers if h not in mapping and h not in split)
    return ColumnMapping(mapping, detected.name if detected else None, constants, split, extra,
                         origin)


def closest(name: str, candidates: list[str]) -> str | None:
    """The candidate header closest to ``name`` (difflib on normalised text), if any is close.

    Examples
    --------
    >>> closest("amount", ["Deal ID", "Amount (EUR)", "Stage"])
    'Amount (EUR)'
    """
    if not candidates:
        return None
    target = normalise(name)
    scored = [(difflib.SequenceMatcher(None, target, normalise(c)).ratio()
               + (0.3 if target and target in normalise(c) else 0.0), c) for c in candidates]
    score, best = max(scored)
    return best if score >= 0.5 else None


def suggestion(column: str, table: str, candidates: list[str]) -> str | None:
    """Closest unmapped header for a missing canonical column, using its aliases too."""
    names = (column, *COMMON.get(table, {}).get(column, ()))
    best: tuple[float, str | None] = (0.0, None)
    for cand in candidates:
        nc = normalise(cand)
        for name in names:
            n = normalise(name)
            score = difflib.SequenceMatcher(None, n, nc).ratio() + (0.3 if n and n in nc else 0.0)
            if score > best[0]:
                best = (score, cand)
    return best[1] if best[0] >= 0.6 else None
