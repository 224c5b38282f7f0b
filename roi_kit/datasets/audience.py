"""Social audience: one row per follower and platform, matched to customers in three ways.

* most rows carry the ``customer_id`` (and the platform handle);
* some carry only the e-mail, written with other case or stray whitespace;
* some carry only the handle (sometimes in other case);
* a few rows are prospects (people with lost/open deals or none) who match no customer.

The first platform is followed at the planned follow day; further platforms follow later but never
after day 60 of the customer's life (or the end of the window). Customers who churned before their
planned follow day never follow.

Examples
--------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> a = build_audience(
...     rng, customer_id=np.array(["C1", "C2"], dtype=object),
...     email=np.array(["a@x.com", "b@x.com"], dtype=object),
...     handle=np.array(["@a", "@b"], dtype=object), follow_at=np.array([5.0, np.nan]),
...     active_until=np.array([400.0, 300.0]), platforms=("linkedin", "x"), platform_p=(0.7, 0.3),
...     prospect_email=np.array([], dtype=object), prospect_handle=np.array([], dtype=object),
...     prospect_follow_at=np.array([]), window_days=730.0)
>>> set(a["platform"]) <= {"linkedin", "x"}, bool(a["followed_at"].notna().all())
(True, True)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["build_audience"]


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
    customer_id: np.ndarray,
    email: np.ndarray,
    handle: np.ndarray,
    follow_at: np.ndarray,
    active_until: np.ndarray,
    platforms: tuple[str, ...],
    platform_p: tuple[float, ...],
    prospect_email: np.ndarray,
    prospect_handle: np.ndarray,
    prospect_follow_at: np.ndarray,
    window_days: float,
    last_follow_at: np.ndarray | None = None,
) -> pd.DataFrame:
    """Audience rows (times in days from the window start; converted to dates by the caller).

    ``follow_at`` is the first follow in days (nan = not a follower), ``active_until`` the day the
    customer churned or the window ended, ``last_follow_at`` the latest day a further platform may
    be followed (defaults to ``follow_at + 60``).
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
    cidx = np.where(is_cust, owner, 0)
    pidx = np.where(is_cust, 0, -1 - owner)
    match = rng.choice(3, size=len(rows), p=(0.78, 0.13, 0.09))  # id / email / handle
    cust_email = email[cidx] if len(email) else np.array([], dtype=object)
    cust_handle = handle[cidx] if len(handle) else np.array([], dtype=object)
    if n_p:
        em = np.where(is_cust, cust_email, prospect_email[pidx])
        hd = np.where(is_cust, cust_handle, prospect_handle[pidx])
    else:
        em, hd = cust_email, cust_handle
    em_s = pd.Series(em, dtype=object)
    hd_s = pd.Series(hd, dtype=object)
    # vary the e-mail as exported by the platform: upper case, stray spaces
    style = rng.choice(4, size=len(rows))
    em_var = em_s.where(style != 1, em_s.str.upper())
    em_var = em_var.where(style != 2, " " + em_s + " ")
    em_var = em_var.where(style != 3, em_s.str.title())
    hd_var = hd_s.where(rng.random(len(rows)) < 0.7, hd_s.str.upper())

    cid = pd.Series(np.where(is_cust & (match == 0), customer_id[cidx] if len(customer_id) else "",
                             np.array(None, dtype=object)), dtype=object)
    out = pd.DataFrame({
        "customer_id": cid,
        "email": em_var.where((match == 1) | ~is_cust, None),
        "handle": hd_s.where((match == 0) & is_cust, hd_var.where(match == 2, None)),
        "platform": np.asarray(platforms, dtype=object)[plat],
        "followed_at": followed,
        "engagements": engagements.astype(np.int64),
        "last_engaged_at": last_eng,
    })
    # prospects: carry e-mail or handle, never a customer id
    pros = ~is_cust
    out.loc[pros & (match == 2), "email"] = None
    out.loc[pros & (match != 2), "handle"] = None
    return out.sort_values(["followed_at", "platform"], kind="stable").reset_index(drop=True)
