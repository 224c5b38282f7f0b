"""Everything a follower comparison needs that does *not* depend on the follower definition.

:func:`prepare_comparison` does the heavy, engine-side work once — the joins of deals and the
audience to the customers, the date differences, the filters — and keeps the result as numpy
arrays: per customer (acquisition, follow-up, churn, MRR, covariate patterns), per matched
audience row (customer, platform, follow date, engagements), per won upsell (days after
acquisition, amount) and per new deal (created, days to close or censoring, amount). Changing the
follower definition then only re-labels customers with a few vectorised passes over those
arrays, which is what lets a widget recompute every comparison instantly.

Durations are kept on an hourly grid (ceil to the next hour, expressed in days), so
Kaplan–Meier works from per-hour counts; S(t) at whole-day horizons is exact on that grid.

Examples
--------
>>> import pandas as pd
>>> customers = pd.DataFrame({"customer_id": ["a", "b"],
...     "acquired_at": pd.to_datetime(["2024-01-01", "2024-02-01"]),
...     "observed_until": pd.to_datetime(["2024-12-31"] * 2), "size": ["s", "l"]})
>>> deals = pd.DataFrame({"deal_id": [1, 2], "customer_id": ["a", "b"], "kind": ["new", "new"],
...     "created_at": pd.to_datetime(["2023-12-01", "2024-01-10"]), "status": ["won", "won"],
...     "closed_at": pd.to_datetime(["2024-01-01", "2024-02-01"]), "amount": [100.0, 200.0]})
>>> data = prepare_comparison(customers, deals, covariates=["size"])
>>> data.n_customers, data.new_deals.close_days.tolist()
(2, [31.0, 22.0])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from roi_kit.engine import as_frame, column_names, require_columns, to_pandas
from roi_kit.errors import InputError
from roi_kit.followers._definition import FollowerDefinition
from roi_kit.followers._matching import MatchedAudience, MatchReport, match_audience
from roi_kit.followers._propensity import Design, build_design

__all__ = ["ComparisonData", "prepare_comparison"]

_NS_PER_DAY = 86_400e9
HOURS = 24.0


def _days(series: pd.Series) -> np.ndarray:
    """Datetime column → float days since the epoch (NaN for missing)."""
    values = pd.to_datetime(series).dt.tz_localize(None) if getattr(series.dt, "tz", None) else pd.to_datetime(series)
    ns = values.to_numpy(dtype="datetime64[ns]").astype(np.int64).astype(float)
    ns[values.isna().to_numpy()] = np.nan
    return ns / _NS_PER_DAY


def _arrow(values: pd.Index | pd.Series) -> pa.Array | pa.ChunkedArray | None:
    """The Arrow array behind a pyarrow-backed pandas column (None for numpy-backed ones)."""
    dtype = values.dtype
    if isinstance(dtype, pd.ArrowDtype) or (isinstance(dtype, pd.StringDtype)
                                            and dtype.storage == "pyarrow"):
        return pa.array(values.array)
    return None


def positions(ids: pd.Index, values: pd.Series) -> np.ndarray:
    """Position of each value in the (unique) customer ids, -1 where it is not a customer.

    Same as ``ids.get_indexer(values)``; for pyarrow-backed text ids (pandas' default string
    type) Arrow's hash lookup does it without converting a million ids to Python strings.

    Examples
    --------
    >>> positions(pd.Index(["a", "b", "c"]), pd.Series(["c", "x", "a"])).tolist()
    [2, -1, 0]
    """
    id_arr, val_arr = _arrow(ids), _arrow(values)
    if id_arr is not None and val_arr is not None and id_arr.type == val_arr.type:
        if isinstance(id_arr, pa.ChunkedArray):
            id_arr = id_arr.combine_chunks()
        found = pc.index_in(val_arr, value_set=id_arr)
        return np.asarray(found.fill_null(-1).to_numpy(), dtype=np.int64)
    return np.asarray(ids.get_indexer(values), dtype=np.int64)


def hours_ceil(days: np.ndarray) -> np.ndarray:
    """Durations in days → whole hours, rounded up (an event at 10.2 h counts at hour 11)."""
    return np.ceil(np.round(np.maximum(days, 0.0) * HOURS, 6)).astype(np.int64)


@dataclass(frozen=True, eq=False)
class AudienceArrays:
    """Matched audience rows: customer index, platform code, follow/last-engaged day, engagements."""

    customer: np.ndarray
    platform: np.ndarray
    platforms: tuple[str, ...]
    followed: np.ndarray
    engagements: np.ndarray
    last_engaged: np.ndarray
    report: MatchReport | None


@dataclass(frozen=True, eq=False)
class NewDeals:
    """New deals of known customers: created day, days to close (or to censoring), won, amount.

    Won deals come first, ascending by amount (``n_won`` of them), then the others."""

    customer: np.ndarray
    created: np.ndarray
    close_days: np.ndarray
    close_hours: np.ndarray
    closed: np.ndarray
    won: np.ndarray
    amount: np.ndarray
    unknown_customer: int
    n_won: int = 0


@dataclass(frozen=True, eq=False)
class Upsells:
    """Won upsell deals of known customers: day of closing after acquisition and amount."""

    customer: np.ndarray
    offset: np.ndarray
    amount: np.ndarray


@dataclass(eq=False)
class ComparisonData:
    """Definition-independent arrays for follower comparisons (see :func:`prepare_comparison`)."""

    customer_id: np.ndarray
    acquired: np.ndarray
    obs_len: np.ndarray
    life: np.ndarray
    mrr: np.ndarray | None
    design: Design
    covariates: tuple[str, ...]
    audience: AudienceArrays | None
    upsells: Upsells | None
    new_deals: NewDeals | None
    group_column: np.ndarray | None = None
    upsell_kinds: tuple[str, ...] = ("upsell",)
    as_of: float = float("nan")
    _landmarks: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    _cache: dict[str, Any] = field(default_factory=dict)

    def cache(self, key: str, build: Callable[[], Any]) -> Any:
        """Compute ``build()`` once and keep it (definition-independent derived arrays)."""
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    @property
    def n_customers(self) -> int:
        """Number of customers."""
        return int(self.customer_id.shape[0])

    def _audience_sorted(self) -> AudienceArrays:
        """The matched rows ordered by customer, then follow day (undated last); unmatched rows
        dropped. Definition-independent, so sorted once: a customer's first qualifying follow is
        then the first of its kept rows, found without a scatter-min."""
        a = self.audience
        if a is None:
            raise InputError("this comparison was prepared without a social audience.",
                             hint="pass audience=... to rk.compare_segments / prepare_comparison.")

        def build() -> AudienceArrays:
            day = np.where(np.isnan(a.followed), np.inf, a.followed)
            rows = np.flatnonzero(a.customer >= 0)
            order = rows[np.lexsort((day[rows], a.customer[rows]))]
            return AudienceArrays(a.customer[order], a.platform[order], a.platforms, day[order],
                                  a.engagements[order], a.last_engaged[order], a.report)

        return self.cache("audience_sorted", build)  # type: ignore[no-any-return]

    def follows(self, definition: FollowerDefinition) -> tuple[np.ndarray, np.ndarray]:
        """Customers with a qualifying audience row under ``definition`` (ascending indices,
        each once) and the day of their first dated qualifying follow (``inf`` if undated)."""
        a = self._audience_sorted()
        keep: np.ndarray | None = None

        def both(mask: np.ndarray) -> np.ndarray:
            return mask if keep is None else keep & mask

        if definition.platforms is not None:
            wanted = np.isin(np.asarray(a.platforms, dtype=object), list(definition.platforms))
            keep = wanted[a.platform] if wanted.size else np.zeros(a.customer.size, dtype=bool)
        if definition.followed_before is not None:
            keep = both(a.followed <= definition.followed_before.value / _NS_PER_DAY)
        if definition.engaged_within_days is not None:
            ref = (definition.as_of.value / _NS_PER_DAY if definition.as_of is not None else self.as_of)
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

    def first_follow(self, definition: FollowerDefinition) -> tuple[np.ndarray, np.ndarray]:
        """Per customer: day (since the epoch) of the first dated qualifying follow under
        ``definition`` (``inf`` if none), and whether any qualifying audience row exists."""
        cust, day = self.follows(definition)
        first = np.full(self.n_customers, np.inf)
        first[cust] = day
        any_row = np.zeros(self.n_customers, dtype=bool)
        any_row[cust] = True
        return first, any_row

    def landmark(self, landmark_days: int, horizon_days: int) -> dict[str, Any]:
        """Population and outcomes for one landmark (cached): who is active at day L, hours from
        L to churn or censoring, upsell counts and revenue within ``(L, L + horizon]``, and the
        covariate pattern of every member (``pattern2`` = pattern·2 + 1, the non-follower cell)."""
        key = (int(landmark_days), int(horizon_days))
        if key in self._landmarks:
            return self._landmarks[key]
        big_l, h = float(landmark_days), float(horizon_days)
        life = np.where(np.isnan(self.life), np.inf, self.life)
        pop = (self.obs_len >= big_l) & (life > big_l)
        idx = np.flatnonzero(pop)
        end = np.minimum(life[idx], self.obs_len[idx])
        event = life[idx] <= self.obs_len[idx]
        hours = hours_ceil(end - big_l)
        full = self.obs_len[idx] >= big_l + h
        pos = np.full(self.n_customers, -1, dtype=np.int64)
        pos[idx] = np.arange(idx.size)
        count = revenue = None
        if self.upsells is not None:
            u = self.upsells
            inside = (u.offset > big_l) & (u.offset <= big_l + h) & (pos[u.customer] >= 0)
            where = pos[u.customer[inside]]
            count = np.bincount(where, minlength=idx.size)
            revenue = np.bincount(where, weights=u.amount[inside], minlength=idx.size)
        design = self.design.subset(idx)
        full_idx = np.flatnonzero(full)
        out = {"index": idx, "acquired": self.acquired[idx], "hours": hours, "coded": hours * 4 + event, "event": event, "full": full,
               "upsell_count": None if count is None else count[full],
               "upsell_revenue": None if revenue is None else revenue[full],
               "design": design, "pos": pos, "pattern2": design.pattern * 2 + 1,
               "size": ((int(hours.max()) + 1) if hours.size else 1) * 4,
               "full_index": full_idx, "full_pattern2": design.pattern[full_idx] * 2 + 1}
        self._landmarks[key] = out
        return out

    def landmark_status(self, definition: FollowerDefinition, landmark_days: int,
                        horizon_days: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Follower flag of every member of the landmark population (followed on or before
        day L), from the qualifying follows alone; also returns those follows (customers, days)."""
        lm = self.landmark(landmark_days, horizon_days)
        cust, day = self.follows(definition)
        where = lm["pos"][cust]
        inside = where >= 0
        early = (day[inside] - self.acquired[cust[inside]]) <= landmark_days
        t = np.zeros(lm["index"].size, dtype=bool)
        t[where[inside][early]] = True
        return t, cust, day

    def deal_status(self, cust: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Per new deal: had its customer followed (first qualifying follow) by the day the deal
        was created? Looked up in customer order, then put back in the deals' order."""
        nd = self.new_deals
        assert nd is not None

        def build() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            by_customer = np.argsort(nd.customer, kind="stable")
            back = np.empty_like(by_customer)
            back[by_customer] = np.arange(by_customer.size)
            return nd.customer[by_customer], nd.created[by_customer], back

        customer, created, back = self.cache("deals_by_customer", build)
        first = np.full(self.n_customers, np.inf)
        first[cust] = day
        return (first[customer] <= created)[back]  # type: ignore[no-any-return]


def _collect_customers(cust: Any, covariates: Sequence[str], group: str | None) -> pd.DataFrame:
    cols = column_names(cust)
    want = ["customer_id", "acquired_at", *(c for c in ("churned_at", "observed_until", "mrr") if c in cols)]
    want += [c for c in covariates if c not in want]
    if group is not None and group not in want:
        want.append(group)
    return to_pandas(cust.select([nw.col(c) for c in want]))


def _deal_frames(deals: Any, kinds_new: Sequence[str], kinds_upsell: Sequence[str],
                 ) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """New deals and won upsells, filtered and narrowed in the engine, as pandas.

    Deals are *not* joined to the customers here: the caller already has every customer's
    position (:func:`positions`) and days, so a lookup by position replaces two engine joins
    on the text ``customer_id`` (the most expensive step on large pandas inputs)."""
    d = as_frame(deals, name="deals")
    require_columns(d, ["customer_id", "created_at", "amount", "status"], name="deals")
    dcols = column_names(d)
    has_kind = "kind" in dcols
    closed = nw.col("closed_at") if "closed_at" in dcols else nw.lit(None, nw.Datetime("us"))
    base = d.select(nw.col("customer_id"), nw.col("created_at"), closed.alias("closed_at"),
                    nw.col("amount").cast(nw.Float64),
                    nw.col("status").cast(nw.String).str.to_lowercase().alias("status"),
                    (nw.col("kind").cast(nw.String).str.to_lowercase() if has_kind
                     else nw.lit("new")).alias("kind"))
    new_pd = to_pandas(base.filter(nw.col("kind").is_in(list(kinds_new))).drop("kind"))
    ups_pd = None
    if has_kind:
        ups = base.filter(nw.col("kind").is_in(list(kinds_upsell)) & (nw.col("status") == "won"))
        event_at = nw.coalesce(nw.col("closed_at"), nw.col("created_at"))
        ups_pd = to_pandas(ups.select(nw.col("customer_id"), event_at.alias("event_at"),
                                      nw.col("amount")))
    return new_pd, ups_pd


def prepare_comparison(
    customers: Any,
    deals: Any | None = None,
    *,
    audience: Any | MatchedAudience | None = None,
    covariates: Sequence[str] = (),
    new_kinds: Sequence[str] = ("new",),
    upsell_kinds: Sequence[str] = ("upsell",),
    group: str | None = None,
) -> ComparisonData:
    """Do the definition-independent work of a follower comparison once.

    Parameters
    ----------
    customers
        Customer table (``customer_id, acquired_at``; ``churned_at``, ``observed_until``, ``mrr``
        and the covariates when available), any engine.
    deals
        Deal table (``customer_id, created_at, amount, status``; ``closed_at`` and ``kind``), same
        engine; None skips the deal comparisons.
    audience
        Social audience (or an already matched one) for follower definitions.
    covariates
        Customer columns for the propensity model.
    new_kinds, upsell_kinds
        Deal kinds counted as new business and as upsell.
    group
        A ready-made customer column with the groups (``by="column"`` comparisons).

    Examples
    --------
    >>> import roi_kit as rk
    >>> s = rk.datasets.generate(seed=1, n_customers=300)
    >>> data = rk.prepare_comparison(s.customers, s.deals, audience=s.social_audience,
    ...                              covariates=["company_size"])
    >>> linkedin = rk.FollowerDefinition(platforms=("linkedin",))
    >>> rk.compare_prepared(data, linkedin, n_boot=200).to_frame()["comparison"].unique().tolist()
    ['retention', 'upsell', 'deal size', 'time to close']
    """
    cust = as_frame(customers, name="customers")
    require_columns(cust, ["customer_id", "acquired_at", *covariates,
                           *([group] if group else [])], name="customers")
    pdf = _collect_customers(cust, covariates, group)
    if pdf["customer_id"].duplicated().any():
        dup = pdf.loc[pdf["customer_id"].duplicated(), "customer_id"].iloc[0]
        raise InputError(f"customers has duplicate customer_id values (e.g. {dup!r}).",
                         hint="keep one row per customer (drop or merge the duplicates).")
    acq = _days(pdf["acquired_at"])
    churn = _days(pdf["churned_at"]) if "churned_at" in pdf else np.full(len(pdf), np.nan)
    if "observed_until" in pdf:
        obs = _days(pdf["observed_until"])
        end_fallback = None
    else:
        last = np.nanmax(np.concatenate([acq, churn]))
        obs = np.full(len(pdf), last)
        end_fallback = pd.Timestamp(last * _NS_PER_DAY).to_pydatetime()
    ids = pd.Index(pdf["customer_id"])
    mrr = pdf["mrr"].to_numpy(dtype=float, na_value=np.nan) if "mrr" in pdf else None
    aud_arrays = None
    if audience is not None:
        matched = audience if isinstance(audience, MatchedAudience) else match_audience(cust, audience)
        a = to_pandas(matched.frame)
        plat = a["platform"].astype(str).str.lower() if "platform" in a else pd.Series("any", index=a.index)
        codes, names = pd.factorize(plat, sort=True)
        n_rows = len(a)
        aud_arrays = AudienceArrays(
            customer=positions(ids, a["customer_id"]),
            platform=codes.astype(np.int64), platforms=tuple(str(x) for x in names),
            followed=_days(a["followed_at"]) if "followed_at" in a else np.full(n_rows, np.nan),
            engagements=a["engagements"].to_numpy(dtype=float, na_value=0.0) if "engagements" in a else np.zeros(n_rows),
            last_engaged=_days(a["last_engaged_at"]) if "last_engaged_at" in a else np.full(n_rows, np.nan),
            report=matched.report)
    new_arrays = ups_arrays = None
    if deals is not None:
        new_pd, ups_pd = _deal_frames(deals, new_kinds, upsell_kinds)
        # deals of unknown customers are dropped (what an inner join on customer_id did), but by
        # position: the lookup is needed anyway, and it is much cheaper than engine joins
        pos = positions(ids, new_pd["customer_id"])
        known = np.flatnonzero(pos >= 0)
        unknown = len(new_pd) - known.size
        new_pd, pos = new_pd.iloc[known], pos[known]
        deal_obs = (obs if end_fallback is None
                    else np.full(len(pdf), _days(pd.Series([pd.Timestamp(end_fallback)]))[0]))
        created = _days(new_pd["created_at"])
        closed_at = _days(new_pd["closed_at"])
        is_closed = ~np.isnan(closed_at)
        end = np.where(is_closed, closed_at, deal_obs[pos])
        close_days = end - created
        ok = np.isfinite(close_days) & (close_days >= 0)
        hours = hours_ceil(np.where(ok, close_days, 0.0))
        amount = new_pd["amount"].to_numpy(dtype=float, na_value=np.nan)
        won = (new_pd["status"] == "won").to_numpy() & ok & np.isfinite(amount)
        # won deals first, ascending by amount (deal size then works on a sorted prefix), then the rest
        won_idx = np.flatnonzero(won)
        keep = np.concatenate([won_idx[np.argsort(amount[won_idx], kind="stable")],
                               np.flatnonzero(ok & ~won)])
        new_arrays = NewDeals(
            customer=pos[keep].astype(np.int64),
            created=created[keep], close_days=hours[keep] / HOURS, close_hours=hours[keep],
            closed=is_closed[keep], won=won[keep], amount=amount[keep],
            unknown_customer=unknown + int((~ok).sum()), n_won=int(won_idx.size))
        if ups_pd is not None:
            upos = positions(ids, ups_pd["customer_id"])
            uknown = np.flatnonzero(upos >= 0)
            upos = upos[uknown]
            ups_arrays = Upsells(customer=upos.astype(np.int64),
                                 offset=_days(ups_pd["event_at"].iloc[uknown]) - acq[upos],
                                 amount=ups_pd["amount"].iloc[uknown].to_numpy(dtype=float, na_value=0.0))
    group_values = None
    if group is not None:
        g = pdf[group]
        group_values = (g.to_numpy(dtype=bool) if pd.api.types.is_bool_dtype(g)
                        else (g.astype(str).str.lower() == "followers").to_numpy()
                        if not pd.api.types.is_numeric_dtype(g) else g.to_numpy(dtype=float) == 1)
    return ComparisonData(
        customer_id=ids.to_numpy(), acquired=acq, obs_len=obs - acq, life=churn - acq, mrr=mrr,
        design=build_design(pdf, covariates), covariates=tuple(covariates), audience=aud_arrays,
        upsells=ups_arrays, new_deals=new_arrays, group_column=group_values,
        upsell_kinds=tuple(upsell_kinds), as_of=float(np.nanmax(obs)) if len(obs) else float("nan"),
    )
