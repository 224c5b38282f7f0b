"""Who counts as a follower: a definition you control, applied honestly in time.

:func:`define_followers` matches the social audience to the customers (id, normalised email,
handle — see :mod:`roi_kit.followers._matching`), keeps the audience rows that satisfy the definition
(platforms, engagement count, recent engagement, follow date) and returns :class:`Segments`.

**Landmark definition (default).** "Ever followed vs never followed" is biased: a customer who
stays longer has more time to follow, so followers look loyal partly *because* they survived
(immortal-time bias). The landmark definition fixes a day ``L`` after acquisition (default 90),
keeps only the customers still active on that day and observed at least until then, and calls
follower whoever followed on or before day ``L``. Outcomes are then counted from day ``L`` on.
``kind="ever"`` gives the biased comparison for contrast (all customers, time from acquisition).

The engagement filters (``min_engagements``, ``engaged_within_days``) use the audience export as
it is (totals and last engagement as of the export date), not as they were at the landmark; say so
when you use them for a landmark analysis.

Examples
--------
>>> import pandas as pd
>>> from roi_kit import define_followers
>>> customers = pd.DataFrame({
...     "customer_id": ["a", "b", "c", "d"],
...     "acquired_at": pd.to_datetime(["2024-01-01"] * 4),
...     "churned_at": pd.to_datetime([None, None, "2024-02-01", None]),
...     "observed_until": pd.to_datetime(["2024-12-31"] * 4)})
>>> audience = pd.DataFrame({"customer_id": ["a", "b", "c"], "platform": ["linkedin", "x", "x"],
...     "followed_at": pd.to_datetime(["2024-01-20", "2024-06-01", "2024-01-10"])})
>>> seg = define_followers(customers, audience)
>>> seg.labels(customers).sort_values("customer_id")["group"].tolist()   # c churned before day 90
['followers', 'non-followers', 'non-followers']
>>> define_followers(customers, audience, kind="ever").labels(customers)["group"].tolist()
['followers', 'followers', 'followers', 'non-followers']
>>> seg.labels(customers, landmark_days=10)["group"].tolist()   # a: day 19 is too late; c: day 9
['non-followers', 'non-followers', 'followers', 'non-followers']
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from roi_kit.errors import ConfigError

if TYPE_CHECKING:
    pass

__all__ = ["DefinitionKind", "FollowerDefinition"]

DefinitionKind = Literal["landmark", "ever"]
FOLLOWERS, NON_FOLLOWERS = "followers", "non-followers"


def _timestamp(value: Any, name: str) -> pd.Timestamp | None:
    if value is None:
        return None
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{name}={value!r} is not a date.",
                          hint=f"pass {name} as 'YYYY-MM-DD' or a datetime.") from exc
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
    return ts


@dataclass(frozen=True)
class FollowerDefinition:
    """What makes a customer a follower.

    Parameters
    ----------
    platforms
        Platforms that count (lower case, e.g. ``("linkedin",)``); None = any platform.
    min_engagements
        Engagements needed (summed over the platforms that count); 0 = following is enough.
    engaged_within_days
        Require an engagement within this many days before ``as_of``.
    followed_before
        Only follows on or before this date count.
    landmark_days
        Day after acquisition at which follower status is fixed (``kind="landmark"``).
    kind
        ``"landmark"`` (default, honest in time) or ``"ever"`` (biased by immortal time; for
        contrast).
    as_of
        Reference date for ``engaged_within_days``; None = the latest ``observed_until`` of the
        customers (or the latest engagement when that column is absent).

    Examples
    --------
    >>> FollowerDefinition(platforms=("LinkedIn",), min_engagements=3).describe()
    'followed on linkedin with at least 3 engagements, on or before day 90 after acquisition (landmark)'
    >>> FollowerDefinition(kind="ever").describe()
    'followed on any platform at any time (ever followed; biased by immortal time)'
    """

    platforms: tuple[str, ...] | None = None
    min_engagements: int = 0
    engaged_within_days: int | None = None
    followed_before: pd.Timestamp | None = None
    landmark_days: int = 90
    kind: DefinitionKind = "landmark"
    as_of: pd.Timestamp | None = None

    def __post_init__(self) -> None:
        if self.platforms is not None:
            plats = (self.platforms,) if isinstance(self.platforms, str) else self.platforms
            if not plats:
                raise ConfigError("platforms=() selects no platform at all.",
                                  hint="pass None for any platform, or e.g. platforms=('linkedin',).")
            object.__setattr__(self, "platforms", tuple(sorted({str(p).strip().lower() for p in plats})))
        if self.kind not in ("landmark", "ever"):
            raise ConfigError(f"kind={self.kind!r} is not a follower definition kind.",
                              hint="use kind='landmark' (default) or kind='ever'.")
        for name in ("min_engagements", "landmark_days"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 0:
                raise ConfigError(f"{name}={value!r} must be a whole number >= 0.",
                                  hint=f"e.g. {name}=90." if name == "landmark_days" else f"e.g. {name}=1.")
        if self.engaged_within_days is not None and self.engaged_within_days < 0:
            raise ConfigError(f"engaged_within_days={self.engaged_within_days!r} must be >= 0.",
                              hint="e.g. engaged_within_days=30, or None for no recency rule.")
        object.__setattr__(self, "followed_before", _timestamp(self.followed_before, "followed_before"))
        object.__setattr__(self, "as_of", _timestamp(self.as_of, "as_of"))

    def replace(self, **changes: Any) -> FollowerDefinition:
        """A copy with some options changed (what a widget does on every click)."""
        return dataclasses.replace(self, **changes)

    def describe(self) -> str:
        """The definition in words."""
        parts = ["followed on " + ("any platform" if self.platforms is None
                                   else " or ".join(self.platforms))]
        if self.min_engagements:
            parts.append(f"with at least {self.min_engagements} engagements")
        if self.engaged_within_days is not None:
            parts.append(f"engaged in the last {self.engaged_within_days} days")
        if self.followed_before is not None:
            parts.append(f"followed by {self.followed_before.date()}")
        if self.kind == "landmark":
            parts.append(f"on or before day {self.landmark_days} after acquisition (landmark)")
        else:
            parts.append("at any time (ever followed; biased by immortal time)")
        return " ".join(parts[:2]) + "".join(", " + p for p in parts[2:])


