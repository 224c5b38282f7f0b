"""Followers and non-followers under a definition: :func:`define_followers` matches the social
audience to the customers and returns :class:`Segments` (see :mod:`roi_kit.followers._definition`
for what a definition means and why the landmark is the default).

Examples
--------
>>> import pandas as pd
>>> c = pd.DataFrame({"customer_id": [1, 2], "acquired_at": pd.to_datetime(["2024-01-01"] * 2),
...                   "observed_until": pd.to_datetime(["2024-12-31"] * 2)})
>>> a = pd.DataFrame({"customer_id": [1], "followed_at": pd.to_datetime(["2024-01-05"])})
>>> define_followers(c, a).labels(c)["group"].tolist()
['followers', 'non-followers']
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import narwhals as nw
import pandas as pd

from roi_kit.engine import Frame, as_frame, column_names, to_pandas
from roi_kit.errors import InputError
from roi_kit.followers._definition import DefinitionKind, FollowerDefinition, _timestamp
from roi_kit.followers._matching import MatchedAudience, MatchKey, MatchReport, match_audience
from roi_kit.results import ResultMixin

if TYPE_CHECKING:
    import altair as alt

__all__ = ["Segments", "define_followers", "follower_table"]


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
        from roi_kit.followers._prepare import prepare_population

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
