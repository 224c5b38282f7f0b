"""``by=``: who is in which group at the landmark — never guessed.

Accepted:

* a :class:`~roi_kit.FollowerDefinition` or :class:`~roi_kit.Segments` (follower = followed on
  or before the landmark; ``kind="ever"``: any qualifying audience row, time from acquisition);
* a customer column that is bool, or 0/1;
* a customer column with exactly two values plus ``followers=<value>`` naming the follower group.

Anything else raises :class:`~roi_kit.errors.InputError` listing the values found. Retention
curves (``two_groups=False``) also take a column with any number of groups, labelled as given
(a bool or 0/1 column is a follower flag in every route).

The landmark day is the definition's unless the caller overrides it (90 for a column); the
returned :class:`Grouping` carries a sentence saying which was used.

Examples
--------
>>> import pandas as pd
>>> follower_flags(pd.Series([True, False]), "fan").tolist()
[True, False]
>>> follower_flags(pd.Series(["yes", "no", "no"]), "grp", followers="yes").tolist()
[True, False, False]
>>> follower_flags(pd.Series(["yes", "no"]), "grp")
Traceback (most recent call last):
...
roi_kit.errors.InputError: by='grp' has the values 'no', 'yes'; roi_kit does not guess which of them are the followers.
Hint: name the follower group, e.g. by='grp', followers='no', or pass a bool / 0-1 column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

import numpy as np
import pandas as pd

from roi_kit.errors import ConfigError, InputError
from roi_kit.followers._definition import FOLLOWERS, NON_FOLLOWERS, FollowerDefinition
from roi_kit.followers._segments import Segments

if TYPE_CHECKING:
    from roi_kit.followers._population import Landmark, Population

__all__ = ["By", "Grouping", "LabelSource", "follower_flags", "group", "resolve_landmark", "text_codes"]

GROUPS = (FOLLOWERS, NON_FOLLOWERS)
DEFAULT_LANDMARK = 90


class LabelSource(Protocol):
    """Anything with ``labels(customers, *, landmark_days) -> DataFrame[customer_id, group]``."""

    def labels(self, customers: Any, *, landmark_days: int) -> pd.DataFrame: ...


By: TypeAlias = "FollowerDefinition | Segments | str | pd.Series"


@dataclass(frozen=True, eq=False)
class Grouping:
    """Group of every member of the landmark population.

    ``codes`` index ``names`` (-1: no group); with a follower definition or a two-valued column,
    ``names`` is ``("followers", "non-followers")`` and ``deal_flags`` says, per new deal, whether
    its customer was a follower when the deal was created."""

    landmark: Landmark
    codes: np.ndarray
    names: tuple[str, ...]
    describe: str
    landmark_note: str
    kind: str
    definition: FollowerDefinition | None
    deal_flags: np.ndarray | None
    unlabelled: int = 0

    @property
    def treated(self) -> np.ndarray:
        """Follower flag per member (two-group groupings)."""
        return self.codes == 0


def resolve_landmark(definition: FollowerDefinition | None, override: int | None,
                     unit: str = "days", durations: bool = False) -> tuple[int, str]:
    """The landmark day to use and a sentence saying where it came from (``durations``: data
    without dates, landmark 0 in ``unit`` unless overridden)."""
    if override is not None and (int(override) != override or override < 0):
        raise ConfigError(f"landmark_days={override!r} must be a whole number of days >= 0.",
                          hint="use e.g. landmark_days=90, or leave it out to use the definition's.")
    if definition is not None and definition.kind == "ever":
        return 0, "Time is counted from acquisition (the 'ever followed' definition has no landmark)."
    if durations:
        step = unit[:-1]
        if override is None or override == 0:
            return 0, f"Time is counted in {unit} from the start of each customer's duration."
        return int(override), f"Landmark: {step} {int(override)} of each duration (set by landmark_days={int(override)})."
    if override is not None:
        said = (f"; the definition says day {definition.landmark_days}"
                if definition is not None and definition.landmark_days != override else "")
        return int(override), f"Landmark: day {int(override)} after acquisition (set by landmark_days={int(override)}{said})."
    if definition is not None:
        return definition.landmark_days, (f"Landmark: day {definition.landmark_days} after acquisition "
                                          "(from the follower definition).")
    return DEFAULT_LANDMARK, f"Landmark: day {DEFAULT_LANDMARK} after acquisition (the default)."


def _show(values: Any) -> str:
    shown = [repr(v) for v in values[:10]]
    return ", ".join(shown) + (f" … ({len(values)} values)" if len(values) > 10 else "")


def follower_flags(values: pd.Series, column: str, followers: Any = None) -> np.ndarray:
    """Follower flag per customer from a group column (see the module docstring)."""
    missing = int(values.isna().sum())
    if missing:
        raise InputError(f"customers column {column!r} has {missing:,} empty values, so their group is unknown.",
                         hint="fill them (e.g. with the non-follower value) or drop those customers.")
    distinct = sorted(pd.unique(values).tolist(), key=str)
    if followers is not None:
        if followers not in distinct or len(distinct) != 2:
            raise InputError(
                f"followers={followers!r} with by={column!r}: the column has the values {_show(distinct)}.",
                hint=(f"followers= must be one of {_show(distinct)}" if len(distinct) == 2 else
                      "followers= needs a column with exactly two values; for more groups use "
                      f"rk.retention_curves(customers, by={column!r}, reference=...)") + ".")
        return (values == followers).to_numpy(dtype=bool)
    if pd.api.types.is_bool_dtype(values):
        return values.to_numpy(dtype=bool)
    if pd.api.types.is_numeric_dtype(values) and set(distinct) <= {0, 1}:
        return values.to_numpy(dtype=float) == 1
    example = distinct[0] if distinct else "follower"
    raise InputError(
        f"by={column!r} has the values {_show(distinct)}; roi_kit does not guess which of them are the followers.",
        hint=(f"name the follower group, e.g. by={column!r}, followers={example!r}, or pass a bool / 0-1 column."
              if len(distinct) == 2 else
              f"make a bool column (True = follower), or compare every group with one of them: "
              f"rk.compare_groups(customers, by={column!r}, reference={example!r})."))


def _definition_flags(pop: Population, definition: FollowerDefinition,
                      lm: Landmark) -> tuple[np.ndarray, np.ndarray | None]:
    """Follower flag per member and per new deal under a definition."""
    from roi_kit.followers._population import SECONDS, since

    cust, day = pop.follows(definition)
    nd = pop.new_deals
    if definition.kind == "ever":
        any_row = np.zeros(pop.n_customers, dtype=bool)
        any_row[cust] = True
        return any_row[lm.index], None if nd is None else any_row[nd.customer]
    where = lm.pos.take(cust)
    inside = where >= 0
    early = since(day[inside], pop.acquired[cust[inside]]) <= lm.landmark_days * SECONDS
    t = np.zeros(lm.n, dtype=bool)
    t[where[inside][early]] = True
    return t, None if nd is None else pop.deal_status(cust, day)


def group(pop: Population, by: By, *, landmark_days: int | None = None, followers: Any = None,
          horizon_days: int = 365, two_groups: bool = True) -> Grouping:
    """The :class:`Grouping` of ``pop`` under ``by`` (see the module docstring)."""
    definition = by.definition if isinstance(by, Segments) else by if isinstance(by, FollowerDefinition) else None
    if definition is not None and followers is not None:
        raise ConfigError("followers= only applies to a group column, not to a follower definition.",
                          hint="drop followers=, or pass by='column'.")
    if definition is not None and pop.durations:
        raise ConfigError("a follower definition needs follow dates, but this population was read from durations.",
                          hint="group by a customer column (by='column'), or pass dates instead of duration=.")
    big_l, note = resolve_landmark(definition, landmark_days, pop.time_unit, pop.durations)
    lm = pop.landmark(big_l, horizon_days)
    nd = pop.new_deals
    if definition is not None:
        t, deal_flags = _definition_flags(pop, definition, lm)
        return Grouping(lm, np.logical_not(t).astype(np.int64), GROUPS, definition.describe(), note, definition.kind,
                        definition, deal_flags)
    if isinstance(by, str):
        if by not in pop.columns:
            raise ConfigError(f"by={by!r} was not read with the customers.",
                              hint=f"prepare with columns=({by!r},), or pass a follower definition.")
        values, name = pop.columns[by], by
    elif isinstance(by, pd.Series):
        values, name = by, str(by.name or "group")
    else:
        raise ConfigError(f"by={type(by).__name__} is not a way to form groups.",
                          hint="pass a FollowerDefinition, the result of rk.define_followers, or a column name.")
    flag_like = values.notna().all() and (pd.api.types.is_bool_dtype(values) or (
        pd.api.types.is_numeric_dtype(values) and set(pd.unique(values).tolist()) <= {0, 1}))
    if two_groups or followers is not None or flag_like:
        flags = follower_flags(values, name, followers)
        said = f" (followers: {followers!r})" if followers is not None else ""
        return Grouping(lm, np.where(flags[lm.index], 0, 1), GROUPS, f"the customer column {name!r}{said}",
                        note, "landmark", None, None if nd is None else flags[nd.customer])
    codes, names = _labels(pop, values, lm.index, by if isinstance(by, str) else None)
    return Grouping(lm, codes, names, f"the customer column {name!r}", note, "landmark", None, None,
                    unlabelled=int(np.count_nonzero(codes < 0)))


def _labels(pop: Population, values: pd.Series, index: np.ndarray,
            column: str | None) -> tuple[np.ndarray, tuple[str, ...]]:
    """Code per member (-1: empty) and the sorted text labels present among the members.

    A text column is factorised once per population (cached by column) and the members' codes
    are renumbered to the labels they use; other columns are read as text first."""
    if not isinstance(values.dtype, pd.StringDtype):
        member = values.iloc[index]
        known = member.notna().to_numpy()
        codes, uniques = pd.factorize(member.astype(str).where(known, None), sort=True)
        return codes.astype(np.int64), tuple(str(u) for u in uniques)

    def build() -> tuple[np.ndarray, np.ndarray]:
        return text_codes(values)

    every, uniques = pop.cache(("labels", column), build) if column is not None else build()
    if index.size == every.size and index.size and index[-1] == index.size - 1:
        return every.astype(np.int64, copy=False), tuple(str(u) for u in uniques)  # everyone: each label occurs
    sub = every[index]
    labelled = sub >= 0
    used = np.bincount(sub[labelled] if not labelled.all() else sub, minlength=uniques.size) > 0
    if used.all():  # every label occurs among the members: the codes stand
        return sub.astype(np.int64, copy=False), tuple(str(u) for u in uniques)
    renumber = np.cumsum(used) - 1
    codes = np.where(labelled, renumber[np.maximum(sub, 0)], -1).astype(np.int64)
    return codes, tuple(str(u) for u in uniques[used])


def _bits(mask: Any) -> np.ndarray:
    """0/1 per row (``uint8``; null → 0) of an Arrow boolean (chunked) array, unpacked straight
    from its bitmaps: ``fill_null(...).to_numpy()`` costs ~2.5× as much."""
    parts = []
    for chunk in mask.chunks:
        validity, values = chunk.buffers()[:2]
        count, start = chunk.offset + len(chunk), chunk.offset
        bits = np.unpackbits(np.frombuffer(values, dtype=np.uint8), count=count, bitorder="little")[start:]
        if validity is not None and chunk.null_count:
            bits &= np.unpackbits(np.frombuffer(validity, dtype=np.uint8), count=count, bitorder="little")[start:]
        parts.append(bits)
    return parts[0] if len(parts) == 1 else np.concatenate(parts) if parts else np.zeros(0, np.uint8)


def text_codes(values: pd.Series, *, few: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(values, sort=True)`` (codes, sorted labels as objects; -1: empty) of a text
    column. A large Arrow-backed column whose first rows show at most ``few`` labels is coded
    with one vectorised equality pass per label instead of hashing every row (~4× less CPU for
    a two-segment column), summed as bytes (``-1 + Σ (j+1)·[row == label j]``, at most
    ``few`` ≤ 126); labels missing from those rows are hashed among the rest only.

    >>> codes, labels = text_codes(pd.Series(["b", None, "a", "b"], dtype="str"))
    >>> codes.tolist(), labels.tolist()
    ([1, -1, 0, 1], ['a', 'b'])
    """
    import pyarrow.compute as pc

    arr = getattr(values.array, "_pa_array", None)
    seen = pc.unique(arr.slice(0, 10_000)).drop_null() if arr is not None and len(values) >= 100_000 else None
    if seen is None or len(seen) > min(few, 126):
        codes, uniques = pd.factorize(values, sort=True)
        return codes, np.asarray(uniques, dtype=object)
    found = sorted(seen.to_pylist())
    small = np.full(len(values), -1, dtype=np.int8)
    for j, label in enumerate(found):  # arithmetic, not masked assignment: the mask is unpredictable
        hit = _bits(pc.equal(arr, label)).view(np.int8)
        small += hit if j == 0 else hit * np.int8(j + 1)
    codes = small.astype(np.intp)
    rest = np.flatnonzero((small < 0) & values.notna().to_numpy())
    if not rest.size:
        return codes, np.asarray(found, dtype=object)
    more, extra = pd.factorize(values.iloc[rest])  # labels the first rows did not show
    codes[rest] = more + len(found)
    labels = np.asarray(found + [str(x) for x in extra], dtype=object)
    order = np.argsort(labels, kind="stable")
    rank = np.empty(order.size + 1, dtype=np.intp)
    rank[order], rank[-1] = np.arange(order.size), -1  # code -1 stays -1
    return rank[codes], labels[order]
