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
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import narwhals as nw
import pandas as pd

from roi_kit.engine import Frame, as_frame, column_names, to_pandas
from roi_kit.errors import ConfigError, InputError
from roi_kit.followers._matching import MatchedAudience, MatchKey, MatchReport, match_audience
from roi_kit.results import ResultMixin

if TYPE_CHECKING:
    import altair as alt

__all__ = ["DefinitionKind", "FollowerDefinition", "Segments", "define_followers"]

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


def _row_filter(defn: FollowerDefinition, columns: Sequence[str], as_of: pd.Timestamp | None) -> list[nw.Expr]:
    cond: list[nw.Expr] = []
    if defn.platforms is not None:
        if "platform" not in columns:
            raise InputError("platforms= was given but the audience has no 'platform' column.",
                             hint="add the platform column, or pass platforms=None.")
        cond.append(nw.col("platform").cast(nw.String).str.to_lowercase().is_in(list(defn.platforms)))
    if defn.followed_before is not None:
        if "followed_at" not in columns:
            raise InputError("followed_before= needs a 'followed_at' column in the audience.",
                             hint="add followed_at, or drop followed_before.")
        cond.append(nw.col("followed_at") <= defn.followed_before.to_pydatetime())
    if defn.engaged_within_days is not None:
        if "last_engaged_at" not in columns or as_of is None:
            raise InputError("engaged_within_days= needs a 'last_engaged_at' column in the audience.",
                             hint="add last_engaged_at, or drop engaged_within_days.")
        since = (as_of - pd.Timedelta(days=defn.engaged_within_days)).to_pydatetime()
        cond.append(nw.col("last_engaged_at") >= since)
    return cond


def follower_table(matched: MatchedAudience, defn: FollowerDefinition, as_of: pd.Timestamp | None) -> Frame:
    """Per customer with a qualifying audience row: ``customer_id, first_followed_at,
    engagements, rows`` (in the caller's engine)."""
    cols = matched.columns
    frame = matched.frame
    conditions = _row_filter(defn, cols, as_of)
    if conditions:
        frame = frame.filter(*conditions)
    eng = nw.col("engagements").cast(nw.Float64).fill_null(0) if "engagements" in cols else nw.lit(0.0)
    when = nw.col("followed_at") if "followed_at" in cols else nw.lit(None, nw.Datetime("us"))
    frame = frame.select(nw.col("customer_id"), when.alias("first_followed_at"), eng.alias("engagements"))
    out = frame.group_by("customer_id").agg(
        nw.col("first_followed_at").min(), nw.col("engagements").sum(), nw.len().alias("rows"))
    if defn.min_engagements:
        out = out.filter(nw.col("engagements") >= defn.min_engagements)
    return out


@dataclass(frozen=True)
class Segments(ResultMixin):
    """Followers and non-followers under a :class:`FollowerDefinition`.

    Attributes
    ----------
    definition
        The definition applied.
    match
        How the audience matched the customers.
    follows
        Per customer with a qualifying audience row: ``customer_id, first_followed_at,
        engagements, rows`` — a frame in the caller's engine (lazy where the engine is lazy).
    as_of
        Reference date used for ``engaged_within_days``.

    Examples
    --------
    >>> import roi_kit as rk
    >>> s = rk.datasets.generate(seed=1, n_customers=300)
    >>> seg = rk.define_followers(s.customers, s.social_audience, platforms=("linkedin",))
    >>> sorted(seg.labels(s.customers)["group"].unique())
    ['followers', 'non-followers']
    """

    definition: FollowerDefinition
    match: MatchReport
    follows: Frame
    as_of: pd.Timestamp | None
    matched: MatchedAudience

    def with_definition(self, **changes: Any) -> Segments:
        """Re-apply a changed definition without matching the audience again.

        Examples
        --------
        >>> import pandas as pd
        >>> c = pd.DataFrame({"customer_id": [1], "acquired_at": pd.to_datetime(["2024-01-01"])})
        >>> a = pd.DataFrame({"customer_id": [1], "platform": ["x"],
        ...                   "followed_at": pd.to_datetime(["2024-01-05"])})
        >>> define_followers(c, a).with_definition(platforms=("linkedin",)).follow_table().shape[0]
        0
        """
        defn = self.definition.replace(**changes)
        as_of = defn.as_of or self.as_of
        return dataclasses.replace(self, definition=defn, follows=follower_table(self.matched, defn, as_of),
                                   as_of=as_of)

    def follow_table(self) -> pd.DataFrame:
        """The per-customer follow table collected to pandas."""
        return to_pandas(self.follows)

    def labels(self, customers: Any, *, landmark_days: int | None = None, as_of: Any = None) -> pd.DataFrame:
        """``customer_id, group`` for the analysis population.

        The population is the one every follower route uses (see
        :mod:`roi_kit.followers._population`): with the landmark definition, customers active and
        observed ``landmark_days`` after acquisition, ``group = "followers"`` for those who
        followed on or before that instant; with ``kind="ever"``, every customer observed at
        acquisition, follower = any qualifying audience row.

        Parameters
        ----------
        customers
            Customer table (``customer_id, acquired_at`` and optionally ``churned_at``,
            ``observed_until``), any engine.
        landmark_days
            Overrides the definition's landmark day.
        as_of
            End of observation for customers without ``observed_until`` (default: the latest
            date in the customer table).
        """
        from roi_kit.followers._population import prepare_population

        pop = prepare_population(customers, audience=self.matched, as_of=as_of)
        return pop.labels(self, landmark_days=landmark_days)

    def to_frame(self) -> pd.DataFrame:
        """The match report table: ``method, rows, share``."""
        return self.match.to_frame()

    def summary(self) -> str:
        """The definition and the match rate in words."""
        n = int(to_pandas(self.follows.select(nw.len().alias("n")))["n"].iloc[0])
        return (f"Follower = {self.definition.describe()}. {n:,} customers have a qualifying "
                f"audience row.\n" + self.match.summary())

    def chart(self) -> alt.TopLevelMixin:
        """Audience rows per match method."""
        from roi_kit.charts.segments import match_chart

        return match_chart(self.match)


def define_followers(
    customers: Any,
    audience: Any,
    *,
    platforms: Sequence[str] | None = None,
    min_engagements: int = 0,
    engaged_within_days: int | None = None,
    followed_before: str | dt.datetime | pd.Timestamp | None = None,
    landmark_days: int = 90,
    kind: DefinitionKind = "landmark",
    as_of: str | dt.datetime | pd.Timestamp | None = None,
    match_on: Sequence[MatchKey] = ("customer_id", "email", "handle"),
    definition: FollowerDefinition | None = None,
) -> Segments:
    """Match the social audience to customers and split them into followers and non-followers.

    Parameters
    ----------
    customers
        Customer table (``customer_id, acquired_at``; ``email``/``handle`` for matching).
    audience
        Social audience table, or a :class:`~roi_kit.followers._matching.MatchedAudience` to reuse a match.
    platforms, min_engagements, engaged_within_days, followed_before, landmark_days, kind, as_of
        The options of :class:`FollowerDefinition` (ignored when ``definition`` is given).
    match_on
        Keys to match on, in order of preference.
    definition
        A ready :class:`FollowerDefinition`.

    Returns
    -------
    Segments
        Use ``.labels(customers)`` for the groups, ``.match`` for the match report.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"customer_id": [1, 2], "acquired_at": pd.to_datetime(["2024-01-01"] * 2),
    ...                   "email": ["a@x.com", "b@x.com"]})
    >>> a = pd.DataFrame({"email": [" A@X.com"], "followed_at": pd.to_datetime(["2024-02-01"])})
    >>> seg = define_followers(c, a)
    >>> seg.match.match_rate
    1.0
    """
    defn = definition or FollowerDefinition(
        platforms=tuple(platforms) if platforms is not None else None,
        min_engagements=min_engagements, engaged_within_days=engaged_within_days,
        followed_before=followed_before, landmark_days=landmark_days, kind=kind, as_of=as_of,
    )
    matched = audience if isinstance(audience, MatchedAudience) else match_audience(customers, audience, on=match_on)
    if defn.kind == "landmark" and "followed_at" not in matched.columns:
        raise InputError(
            "The landmark definition needs the follow date, but the audience has no 'followed_at' column.",
            hint="add followed_at (rename with columns={...}), or use kind='ever' and mind its bias.",
        )
    as_of_value = defn.as_of
    if as_of_value is None and defn.engaged_within_days is not None:
        cust = as_frame(customers, name="customers")
        if "observed_until" in column_names(cust):
            got = to_pandas(cust.select(nw.col("observed_until").max()))["observed_until"].iloc[0]
        else:
            got = to_pandas(matched.frame.select(nw.col("last_engaged_at").max()))["last_engaged_at"].iloc[0]
        as_of_value = _timestamp(got, "as_of")
    return Segments(defn, matched.report, follower_table(matched, defn, as_of_value), as_of_value, matched)
