"""The one landmark population behind every follower route.

:func:`prepare_population` reads the customer table once, in the caller's engine (pandas, polars,
DuckDB, Spark): dates become seconds there and the end-of-observation rule is applied there, so
only a few numeric columns per customer come back. Everything after that — who is in the
population at a landmark day, their durations, follower status under any definition, the counts
Kaplan–Meier needs — is vectorised numpy on those arrays, cached per landmark. ``Segments.labels``,
:func:`~roi_kit.retention_curves`, :func:`~roi_kit.compare_segments`, the apps' fast path
(:meth:`Population.compare`) and the report all read this one object, so they cannot disagree.

**The rule** (also in docs/followers.md):

* *End of observation* = ``observed_until``; where it is missing (no column, or an empty value):
  ``as_of`` when given, else the latest date in the customer table (acquired, churned or observed).
* A churn is an *event* when ``churned_at`` ≤ end of observation; otherwise the customer is
  censored at the end of observation.
* *Landmark* day ``L``: the population is every customer observed until at least
  ``acquired_at + L`` and not churned at or before that instant (churn on the landmark instant
  excludes; a customer acquired after the data end is never in it). ``L = 0`` is acquisition.
* *Follower* (landmark definition) = first qualifying follow at or before ``acquired_at + L``
  (instants, so time of day counts); a follow after the landmark makes a non-follower.
  ``kind="ever"``: landmark 0 and "any qualifying audience row".
* *Time grid*: whole days since the landmark — a churn counts on the day it happens (3.2 days
  → day 4: the customer was still a customer on day 3), censoring on the last full day observed
  (3.2 → day 3). Differences are computed in seconds rounded to the millisecond, so day
  boundaries do not depend on floating-point noise.

Examples
--------
>>> import pandas as pd
>>> from roi_kit import prepare_population
>>> customers = pd.DataFrame({"customer_id": ["a", "b", "c"],
...     "acquired_at": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-12-01"]),
...     "churned_at": pd.to_datetime(["2024-04-10T08:00:00", None, None]),
...     "observed_until": pd.to_datetime(["2024-12-31", None, "2024-12-31"])})
>>> pop = prepare_population(customers)
>>> lm = pop.landmark(90)
>>> pop.ids[lm.index].tolist(), lm.days.tolist(), lm.event.tolist()   # c: observed 30 days only
(['a', 'b'], [11, 275], [True, False])
>>> pop.notes(90)[0]
'2 of 3 customers were active and observed at day 90 after acquisition.'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from roi_kit.errors import InputError
from roi_kit.followers._arrays import AudienceArrays, NewDeals, Upsells
from roi_kit.followers._design import Design
from roi_kit.followers._landmark import (
    SECONDS,
    UNIT_DAYS,
    AcquisitionDays,
    Landmark,
    TimeUnit,
    acquisition_days,
    cohort_months,
    relative_times,
    since,
    unit_word,
)

if TYPE_CHECKING:
    from roi_kit.followers._comparisons import SegmentComparison
    from roi_kit.followers._definition import FollowerDefinition
    from roi_kit.followers._groups import By, Grouping
    from roi_kit.followers._retention import RetentionResult

__all__ = ["SECONDS", "Landmark", "Population", "since"]


@dataclass(frozen=True, eq=False)
class Population:
    """Customers (and their audience rows and deals) as arrays, with the one population rule.

    Build it with :func:`prepare_population`. Days are float days since 1970-01-01 (UTC);
    ``end`` is each customer's end of observation under the rule of this module.

    Examples
    --------
    >>> import pandas as pd, roi_kit as rk
    >>> c = pd.DataFrame({"customer_id": [1, 2], "acquired_at": pd.to_datetime(["2024-01-01"] * 2),
    ...                   "churned_at": pd.to_datetime(["2024-05-01", None]), "fan": [True, False]})
    >>> pop = rk.prepare_population(c, columns=["fan"])
    >>> pop.labels("fan")["group"].tolist()
    ['followers', 'non-followers']
    >>> pop.retention("fan", landmark_days=0).landmark_days
    0
    """

    ids: pd.Index
    acquired: np.ndarray
    end: np.ndarray
    churned: np.ndarray
    mrr: np.ndarray | None
    design: Design
    covariates: tuple[str, ...]
    columns: Mapping[str, pd.Series] = field(default_factory=dict)
    audience: AudienceArrays | None = None
    upsells: Upsells | None = None
    new_deals: NewDeals | None = None
    upsell_kinds: tuple[str, ...] = ("upsell",)
    censoring_note: str | None = None
    time_unit: TimeUnit = "days"
    durations: bool = False
    _cache: dict[Any, Any] = field(default_factory=dict, repr=False)

    def cache(self, key: Any, build: Callable[[], Any]) -> Any:
        """Compute ``build()`` once and keep it (definition-independent derived arrays)."""
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    @property
    def n_customers(self) -> int:
        """Number of customers."""
        return int(self.ids.size)

    @property
    def as_of(self) -> float:
        """Latest end of observation (days since the epoch); reference for recency rules."""
        return float(np.nanmax(self.end)) if self.end.size else float("nan")

    @property
    def acquisition_days(self) -> AcquisitionDays | None:
        """Acquisition day of every customer and the month of each day (see
        :func:`~roi_kit.followers._landmark.acquisition_days`; ``None`` with missing dates)."""
        return self.cache("acquisition_days", lambda: acquisition_days(self.acquired))  # type: ignore[no-any-return]

    @property
    def cohort(self) -> np.ndarray:
        """Acquisition month of every customer as ``YYYYMM`` (UTC)."""
        return self.cache("cohort", lambda: cohort_months(self.acquired, self.acquisition_days))  # type: ignore[no-any-return]

    def landmark(self, landmark_days: int, horizon_days: int = 365) -> Landmark:
        """The population at day ``landmark_days`` (cached); see the module docstring for the rule."""
        key = ("landmark", int(landmark_days), int(horizon_days))
        if key in self._cache:
            return self._cache[key]  # type: ignore[no-any-return]
        step = UNIT_DAYS[self.time_unit] * SECONDS  # one step of the grid: a day, week or month
        big, h = float(landmark_days) * step, float(horizon_days) * step
        rel = self.cache("relative", lambda: relative_times(self.acquired, self.end, self.churned, step))
        everyone, idx, days, event, full_index = rel.members(int(landmark_days), int(horizon_days), step)
        pos = idx.copy() if everyone else np.full(self.n_customers, -1, dtype=np.int64)
        if not everyone:
            pos[idx] = np.arange(idx.size)
        count = revenue = None
        if self.upsells is not None:
            u = self.upsells
            off = np.round(u.offset * SECONDS, 3)
            fpos = np.full(self.n_customers, -1, dtype=np.int64)
            fpos[idx[full_index]] = np.arange(full_index.size)
            inside = (off > big) & (off <= big + h) & (fpos[u.customer] >= 0)
            where = fpos[u.customer[inside]]
            count = np.bincount(where, minlength=full_index.size)
            revenue = np.bincount(where, weights=u.amount[inside], minlength=full_index.size)
        out = Landmark(int(landmark_days), int(horizon_days), self.n_customers, idx, days, event,
                       pos, self.design if everyone else self.design.subset(idx), full_index, count, revenue)
        self._cache[key] = out
        return out

    def notes(self, landmark_days: int) -> list[str]:
        """Who is in the population at the landmark, and how censoring was decided."""
        n = self.landmark(landmark_days).n
        when = ("acquisition" if landmark_days == 0
                else f"{unit_word(self.time_unit)} {landmark_days} after acquisition")
        out = [f"{n:,} of {self.n_customers:,} customers were active and observed at {when}."]
        return out + ([self.censoring_note] if self.censoring_note else [])

    def subset(self, keep: np.ndarray) -> Population:
        """The arrays restricted to some customers (mask); each customer keeps its end of observation."""
        idx = np.flatnonzero(keep)
        new = np.full(self.n_customers, -1, dtype=np.int64)
        new[idx] = np.arange(idx.size)
        aud = self.audience
        if aud is not None:
            aud = replace(aud, customer=np.where(aud.customer >= 0, new[np.maximum(aud.customer, 0)], -1))
        ups = self.upsells
        if ups is not None:
            u = new[ups.customer] >= 0
            ups = Upsells(new[ups.customer[u]], ups.offset[u], ups.amount[u])
        nd = self.new_deals
        if nd is not None:
            d = new[nd.customer] >= 0
            nd = replace(nd, customer=new[nd.customer[d]], created=nd.created[d], close_days=nd.close_days[d],
                         close_hours=nd.close_hours[d], closed=nd.closed[d], won=nd.won[d],
                         amount=nd.amount[d], n_won=int(np.count_nonzero(d[:nd.n_won])))
        return Population(
            self.ids[idx], self.acquired[idx], self.end[idx], self.churned[idx],
            None if self.mrr is None else self.mrr[idx], self.design.subset(idx), self.covariates,
            {k: v.iloc[idx].reset_index(drop=True) for k, v in self.columns.items()}, aud, ups, nd,
            self.upsell_kinds, self.censoring_note, self.time_unit, self.durations)

    # --- follower status (definitions) ---------------------------------------------------------
    def _audience_sorted(self) -> AudienceArrays:
        """Matched rows ordered by customer, then follow day (undated last); unmatched dropped."""
        a = self.audience
        if a is None:
            raise InputError("this population was prepared without a social audience.",
                             hint="pass audience=... to rk.compare_segments / rk.prepare_population.")

        def build() -> AudienceArrays:
            day = np.where(np.isnan(a.followed), np.inf, a.followed)
            rows = np.flatnonzero(a.customer >= 0)
            order = rows[np.lexsort((day[rows], a.customer[rows]))]
            return AudienceArrays(a.customer[order], a.platform[order], a.platforms, day[order],
                                  a.engagements[order], a.last_engaged[order], a.report)

        return self.cache("audience_sorted", build)  # type: ignore[no-any-return]

    def follows(self, definition: FollowerDefinition) -> tuple[np.ndarray, np.ndarray]:
        """Customers with a qualifying audience row under ``definition`` (ascending, once each)
        and the day of their first dated qualifying follow (``inf`` if undated)."""
        a = self._audience_sorted()
        keep: np.ndarray | None = None

        def both(mask: np.ndarray) -> np.ndarray:
            return mask if keep is None else keep & mask

        if definition.platforms is not None:
            wanted = np.isin(np.asarray(a.platforms, dtype=object), list(definition.platforms))
            keep = wanted[a.platform] if wanted.size else np.zeros(a.customer.size, dtype=bool)
        if definition.followed_before is not None:
            keep = both(a.followed <= definition.followed_before.value / (SECONDS * 1e9))
        if definition.engaged_within_days is not None:
            ref = (definition.as_of.value / (SECONDS * 1e9) if definition.as_of is not None else self.as_of)
            keep = both(a.last_engaged >= ref - definition.engaged_within_days)
        who, day = (a.customer, a.followed) if keep is None else (a.customer[keep], a.followed[keep])
        if not who.size:
            return who, day
        starts = np.empty(who.size, dtype=bool)
        starts[0] = True
        np.not_equal(who[1:], who[:-1], out=starts[1:])
        start = np.flatnonzero(starts)
        cust, first = who[start], day[start]  # rows are sorted by day within a customer
        if definition.min_engagements:
            eng = a.engagements if keep is None else a.engagements[keep]
            strong = np.add.reduceat(eng, start) >= definition.min_engagements
            cust, first = cust[strong], first[strong]
        return cust, first

    def deal_status(self, cust: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Per new deal: had its customer followed (first qualifying follow) by the deal's creation?"""
        nd = self.new_deals
        assert nd is not None
        first = np.full(self.n_customers, np.inf)
        first[cust] = day
        return first.take(nd.customer) <= nd.created  # type: ignore[no-any-return]  # take: no fancy-index overhead

    # --- the routes ----------------------------------------------------------------------------
    def grouping(self, by: By, *, landmark_days: int | None = None, followers: Any = None,
                 horizon_days: int = 365, two_groups: bool = True) -> Grouping:
        """Who is in which group at the landmark (see :func:`~roi_kit.followers._groups.group`)."""
        from roi_kit.followers._groups import group

        return group(self, by, landmark_days=landmark_days, followers=followers,
                     horizon_days=horizon_days, two_groups=two_groups)

    def labels(self, by: By, *, landmark_days: int | None = None, followers: Any = None) -> pd.DataFrame:
        """``customer_id, group`` of every member of the population at the landmark."""
        g = self.grouping(by, landmark_days=landmark_days, followers=followers, two_groups=False)
        keep = g.codes >= 0
        names = np.asarray(g.names, dtype=object)
        return pd.DataFrame({"customer_id": self.ids[g.landmark.index[keep]],
                             "group": names[g.codes[keep]]})

    def retention(self, by: By, **options: Any) -> RetentionResult:
        """Kaplan–Meier retention by group (options of :func:`~roi_kit.retention_curves`)."""
        from roi_kit.followers._retention import retention_from_population

        return retention_from_population(self, by, **options)

    def compare(self, by: By, **options: Any) -> SegmentComparison:
        """All four comparisons for one definition — the fast path of the followers app.

        Options are those of :func:`~roi_kit.compare_segments` after ``by``. Changing the
        definition re-labels the cached arrays; nothing is read from the engine again.

        Examples
        --------
        >>> import roi_kit as rk
        >>> s = rk.datasets.generate(seed=1, n_customers=300)
        >>> pop = rk.prepare_population(s.customers, s.deals, audience=s.social_audience)
        >>> for days in (60, 90):  # a widget re-segments on every change; no engine work
        ...     result = pop.compare(rk.FollowerDefinition(landmark_days=days), n_boot=100)
        >>> result.landmark_days
        90
        """
        from roi_kit.followers._compare import compare_population

        return compare_population(self, by, **options)


