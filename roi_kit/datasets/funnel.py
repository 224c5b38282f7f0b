"""Funnel events: one row per user and reached step, with step-wise drop-off.

saas steps: visit, lead, mql, sql, demo, trial, won; dtc steps: session, product_view,
add_to_cart, checkout, order. A user enters at the first step through a channel (drawn from the
journey start probabilities), continues to step ``k + 1`` with probability ``p_k`` (the first
step's probability depends on the channel) and waits an exponential time between steps. Users who
reach the last step are customers: the last event happens at ``acquired_at`` and carries the new
deal's amount as ``value``; their earlier events lie before it.

Examples
--------
>>> import numpy as np, polars as pl
>>> from roi_kit.datasets.presets import PRESETS
>>> from roi_kit.datasets.journeys import transition_matrix
>>> ev = simulate_funnel(np.random.default_rng(0), PRESETS["dtc"], transition_matrix("dtc"),
...                      customer_ids=pl.Series(["C1", "C2"]), customer_at=np.array([100.0, 200.0]),
...                      customer_value=np.array([80.0, 20.0]))
>>> counts = ev["event"].value_counts()
>>> bool(counts["session"] >= counts["product_view"] >= counts["order"] == 2)
True
>>> ev.loc[ev["event"] == "order", "value"].sum()
np.float64(100.0)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl

from roi_kit.datasets.presets import Preset
from roi_kit.datasets.strings import id_strings, take_str
from roi_kit.datasets.truth import CHANNELS

__all__ = ["simulate_funnel"]

_FIRST_STEP_MULT = {"Email": 1.25, "Direct": 1.2, "Organic Search": 1.1, "Paid Search": 1.1,
                    "Referral": 1.1, "Organic Social": 0.9, "Paid Social": 0.8, "Display": 0.6,
                    "Video": 0.7, "Affiliates": 1.0}
_PAID = ("Paid Social", "Paid Search", "Display", "Video")
_SOCIAL = ("Organic Social", "Paid Social")


def _depths(rng: np.random.Generator, p: Preset, start: np.ndarray, n_complete: int
            ) -> tuple[np.ndarray, np.ndarray]:
    """Entry channel and depth of users drawn until exactly ``n_complete`` reach the last step."""
    k = len(p.funnel_events)
    step_p = np.asarray(p.funnel_step_p, dtype=float)
    mult = np.array([_FIRST_STEP_MULT[c] for c in CHANNELS])
    chans, depths, done = [], [], 0
    while True:
        n = max(int(1.3 * max(n_complete - done, 1) / np.prod(step_p)), 64)
        chan = rng.choice(len(CHANNELS), size=n, p=start)
        probs = np.broadcast_to(step_p, (n, k - 1)).copy()
        probs[:, 0] = np.clip(probs[:, 0] * mult[chan], 0.0, 0.95)
        depth = 1 + np.cumprod(rng.random((n, k - 1)) < probs, axis=1).sum(axis=1)
        complete = np.flatnonzero(depth == k)
        need = n_complete - done
        if len(complete) >= need:     # stop at the n-th completion (every one is a customer)
            cut = int(complete[need - 1]) + 1 if need > 0 else 0
            chans.append(chan[:cut])
            depths.append(depth[:cut])
            return np.concatenate(chans), np.concatenate(depths)
        chans.append(chan)
        depths.append(depth)
        done += len(complete)


def simulate_funnel(
    rng: np.random.Generator,
    p: Preset,
    matrix: pd.DataFrame,
    *,
    customer_ids: pl.Series,
    customer_at: np.ndarray,
    customer_value: np.ndarray,
    customer_channel: np.ndarray | None = None,
    customer_first_touch: np.ndarray | None = None,
    window_days: float | None = None,
) -> pd.DataFrame:
    """Funnel event rows (``t`` in days from the window start; the caller converts to dates).

    Every customer reaches the last step at ``acquired_at`` with the new deal's amount (so the
    funnel's purchases are exactly the won new deals); users are drawn until that many complete,
    the others drop off on the way and are anonymous (``v…``). A customer enters through their
    acquisition channel, at their journey's first touch when they have one. The window is
    censored at its end: people who will buy after it (as many as bought in its last weeks) are in
    the funnel up to their last step before the end, and the others enter when buyers do.
    """
    k = len(p.funnel_events)
    n_cust = len(customer_at)
    window = float(np.nanmax(customer_at)) if window_days is None else float(window_days)
    tail = 2.0 * float(np.sum(p.funnel_gap_days))
    future_at = 2.0 * window + 0.05 - customer_at[customer_at > window - tail]  # mirrored past it
    start = matrix.iloc[0][list(CHANNELS)].to_numpy(float)
    chan, depth = _depths(rng, p, start / start.sum(), n_cust + len(future_at))
    n_users = len(chan)
    complete = np.flatnonzero(depth == k)
    owner = np.full(n_users, -1)
    chosen = rng.permutation(n_cust)
    owner[complete[:n_cust]] = chosen
    if customer_channel is not None:
        chan[complete[:n_cust]] = np.asarray(customer_channel)[chosen]

    gaps = rng.exponential(np.asarray(p.funnel_gap_days, dtype=float)[None, :], (n_users, k - 1))
    rel = np.concatenate([np.zeros((n_users, 1)), np.cumsum(gaps, axis=1)], axis=1)
    span = rel[np.arange(n_users), depth - 1]
    has = owner >= 0
    end_at = np.where(has, customer_at[np.maximum(owner, 0)], np.nan)
    end_at[complete[n_cust:]] = future_at[rng.permutation(len(future_at))]
    known = np.isfinite(end_at)
    if customer_first_touch is not None:
        first = np.asarray(customer_first_touch, dtype=float)[np.maximum(owner, 0)]
        fit = has & np.isfinite(first) & (first < end_at)
        scale = np.where(fit, (end_at - first) / np.maximum(span, 1e-9), 1.0)
        rel = rel * scale[:, None]
        span = span * scale
    # the others enter when buyers do (the funnel grows with the business), then drop off
    ends = np.concatenate([customer_at, future_at])
    entry = ends[rng.integers(0, len(ends), n_users)] - rng.random(n_users) * tail
    begin = np.where(known, end_at - span, entry)

    user = np.repeat(np.arange(n_users), depth)
    step = np.arange(len(user)) - np.repeat(np.cumsum(depth) - depth, depth)
    t = begin[user] + rel[user, step]
    seen = t <= window                          # censored at the end of the window
    user, step, t = user[seen], step[seen], t[seen]
    value = np.full(len(user), np.nan)
    last = step == k - 1
    value[last] = customer_value[owner[user[last]]]
    social = np.isin(np.asarray(CHANNELS, dtype=object)[chan], _SOCIAL)
    plat_p = np.asarray(p.platform_p, dtype=float)
    plat = rng.choice(len(plat_p), n_users, p=plat_p / plat_p.sum())
    plat_code = np.where(social, plat, len(plat_p))
    paid = np.isin(np.asarray(CHANNELS, dtype=object)[chan], _PAID)

    order = np.argsort(t, kind="stable")
    uo = user[order]
    ids = pl.concat([customer_ids.cast(pl.String), id_strings("v", np.arange(1, n_users + 1), 7)])
    user_code = np.where(has, np.maximum(owner, 0), n_cust + np.arange(n_users))[uo]
    return pd.DataFrame({
        "user_id": take_str(ids, user_code), "t": t[order],
        "event": take_str(list(p.funnel_events), step[order]),
        "channel": take_str(list(CHANNELS), chan[uo]),
        "platform": take_str([*p.platforms, None], plat_code[uo]),
        "paid": paid[uo], "value": value[order],
    })
