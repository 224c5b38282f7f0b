"""Social audience: one row per follower and platform, matched to customers in three ways.

* most rows carry the ``customer_id`` (and the platform handle);
* some carry only the e-mail, written with other case or stray whitespace;
* some carry only the handle (sometimes in other case);
* a few rows are prospects (leads whose deal was lost or is still open): they carry the lead id
  (``P…``, as a CRM's social integration records it) and, like customers' rows, an e-mail or a
  handle; they match no customer but do match their lead's deal.

The first platform is followed at the planned follow day; further platforms follow later but never
after day 60 of the customer's life (or the end of the window). Customers who churned before their
planned follow day never follow.

Examples
--------
>>> import numpy as np, polars as pl
>>> rng = np.random.default_rng(0)
>>> a = build_audience(
...     rng, customer_id=pl.Series(["C1", "C2"]), email=pl.Series(["a@x.com", "b@x.com"]),
...     handle=pl.Series(["@a", "@b"]), follow_at=np.array([5.0, np.nan]),
...     active_until=np.array([400.0, 300.0]), platforms=("linkedin", "x"), platform_p=(0.7, 0.3),
...     prospect_id=pl.Series([], dtype=pl.String), prospect_email=pl.Series([], dtype=pl.String),
...     prospect_handle=pl.Series([], dtype=pl.String),
...     prospect_follow_at=np.array([]), window_days=730.0)
>>> set(a["platform"]) <= {"linkedin", "x"}, bool(a["followed_at"].notna().all())
(True, True)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl

from roi_kit.datasets.prospects import prospect_contacts
from roi_kit.datasets.strings import pd_str, take_str

__all__ = ["build_audience", "sample_audience"]


def _weighted_platforms(
    rng: np.random.Generator, n: int, p: np.ndarray, k: np.ndarray
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Sample ``k_i`` distinct platforms per row with probabilities ``p`` (exponential race)."""
    keys = rng.exponential(1.0, (n, len(p))) / p[None, :]
    order = np.argsort(keys, axis=1)
    rank_ok = np.arange(len(p))[None, :] < k[:, None]
    rows = np.repeat(np.arange(n), k)
    plats = order[rank_ok]
    rank = np.broadcast_to(np.arange(len(p)), (n, len(p)))[rank_ok]
    return rows, (plats, rank)


def build_audience(
    rng: np.random.Generator,
    *,
    customer_id: pl.Series,
    email: pl.Series,
    handle: pl.Series,
    follow_at: np.ndarray,
    active_until: np.ndarray,
    platforms: tuple[str, ...],
    platform_p: tuple[float, ...],
    prospect_id: pl.Series,
    prospect_email: pl.Series,
    prospect_handle: pl.Series,
    prospect_follow_at: np.ndarray,
    window_days: float,
    last_follow_at: np.ndarray | None = None,
) -> pd.DataFrame:
    """Audience rows (times in days from the window start; converted to dates by the caller).

    ``follow_at`` is the first follow in days (nan = not a follower), ``active_until`` the day the
    customer churned or the window ended, ``last_follow_at`` the latest day a further platform may
    be followed (defaults to ``follow_at + 60``). ``prospect_id``, ``prospect_email``,
    ``prospect_handle`` and ``prospect_follow_at`` describe the prospects who follow (one entry
    each); every prospect row carries its lead id.
    """
    p = np.asarray(platform_p, dtype=float)
    p = p / p.sum()
    is_f = np.isfinite(follow_at)
    n_p = len(prospect_email)
    who = np.concatenate([np.flatnonzero(is_f), -1 - np.arange(n_p)])
    first = np.concatenate([follow_at[is_f], prospect_follow_at])
    limit_until = np.concatenate([active_until[is_f], np.full(n_p, window_days)])
    if last_follow_at is None:
        last = first + 60.0
    else:
        last = np.concatenate([last_follow_at[is_f], prospect_follow_at + 60.0])
    last = np.minimum(np.maximum(last, first), np.minimum(limit_until, window_days))
    n = len(who)
    k = np.minimum(1 + rng.poisson(0.45, n), len(p))
    rows, (plat, rank) = _weighted_platforms(rng, n, p, k)
    followed = np.where(rank == 0, first[rows],
                        first[rows] + rng.random(len(rows)) * (last[rows] - first[rows]))
    until = np.minimum(limit_until[rows], window_days)
    engagements = rng.negative_binomial(1.2, 0.12, len(rows))
    last_eng = followed + rng.random(len(rows)) * np.maximum(until - followed, 0.0)
    last_eng = np.where(engagements > 0, last_eng, np.nan)

    owner = who[rows]
    is_cust = owner >= 0
    n_c = len(email)
    gidx = np.where(is_cust, owner, n_c - 1 - owner)       # customers, then prospects
    match = rng.choice(3, size=len(rows), p=(0.78, 0.13, 0.09))  # id / email / handle
    style = rng.choice(4, size=len(rows))                   # as-is / UPPER / padded / Title
    upper = rng.random(len(rows)) >= 0.7
    order = np.lexsort((plat, followed))
    g = gidx[order]
    frame = pl.DataFrame({
        "em": pl.concat([email.cast(pl.String), prospect_email.cast(pl.String)]).gather(g),
        "hd": pl.concat([handle.cast(pl.String), prospect_handle.cast(pl.String)]).gather(g),
        "cid": pl.concat([customer_id.cast(pl.String), prospect_id.cast(pl.String)]).gather(g),
        "cust": is_cust[order], "match": match[order], "style": style[order],
        "upper": upper[order],
    })
    em, hd = pl.col("em"), pl.col("hd")
    cust, m = pl.col("cust"), pl.col("match")
    email_var = (pl.when(pl.col("style") == 1).then(em.str.to_uppercase())
                 .when(pl.col("style") == 2).then(pl.concat_str([pl.lit(" "), em, pl.lit(" ")]))
                 .when(pl.col("style") == 3).then(em.str.to_titlecase())
                 .otherwise(em))
    handle_var = pl.when(pl.col("upper")).then(hd.str.to_uppercase()).otherwise(hd)
    strings = frame.select(
        customer_id=pl.when(~cust | (m == 0)).then(pl.col("cid")),
        email=pl.when((m == 1) | (~cust & (m != 2))).then(email_var),
        handle=pl.when(cust & (m == 0)).then(hd).when(m == 2).then(handle_var),
    )
    return pd.DataFrame({
        "customer_id": pd_str(strings["customer_id"]),
        "email": pd_str(strings["email"]),
        "handle": pd_str(strings["handle"]),
        "platform": take_str(list(platforms), plat[order]),
        "followed_at": followed[order],
        "engagements": engagements.astype(np.int64)[order],
        "last_engaged_at": last_eng[order],
    })


def sample_audience(
    rng: np.random.Generator,
    prospect_rng: np.random.Generator,
    *,
    customers: dict[str, pl.Series],
    follow_at: np.ndarray,
    active_until: np.ndarray,
    last_follow_at: np.ndarray,
    platforms: tuple[str, ...],
    platform_p: tuple[float, ...],
    prospect_id: pl.Series,
    prospect_follow_at: np.ndarray,
    n_follow_v1: int,
    window_days: float,
) -> pd.DataFrame:
    """Customers' rows from ``rng``, following prospects' rows from ``prospect_rng``, by follow time.

    The customers' rows are drawn exactly as the first generator drew them, together with
    ``n_follow_v1`` prospects (its prospect rule), whose rows are then dropped: so planting the
    prospect effect left every customer's platforms, engagements and match keys as they were.
    """
    ghost_email, ghost_handle = prospect_contacts(rng, n_follow_v1)
    common = {"platforms": platforms, "platform_p": platform_p, "window_days": window_days}
    ghost = pl.Series(["\x00"] * n_follow_v1, dtype=pl.String)
    cust = build_audience(
        rng, customer_id=customers["customer_id"], email=customers["email"], handle=customers["handle"],
        follow_at=follow_at, active_until=active_until, prospect_id=ghost, prospect_email=ghost_email,
        prospect_handle=ghost_handle, prospect_follow_at=np.zeros(n_follow_v1), last_follow_at=last_follow_at,
        **common)  # type: ignore[arg-type]
    cust = cust[cust["customer_id"].ne("\x00").fillna(True)]
    email, handle = prospect_contacts(prospect_rng, len(prospect_id))
    none = pl.Series([], dtype=pl.String)
    pros = build_audience(
        prospect_rng, customer_id=none, email=none, handle=none, follow_at=np.array([]),
        active_until=np.array([]), prospect_id=prospect_id, prospect_email=email, prospect_handle=handle,
        prospect_follow_at=prospect_follow_at, **common)  # type: ignore[arg-type]
    both = pd.concat([cust, pros], ignore_index=True)
    plat = pd.Categorical(both["platform"], categories=list(platforms)).codes
    return both.iloc[np.lexsort((plat, both["followed_at"].to_numpy()))].reset_index(drop=True)
