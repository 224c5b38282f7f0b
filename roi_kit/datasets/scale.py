"""Touchpoint and funnel event logs of any size, generated and written in chunks.

The shipped samples come from :func:`~roi_kit.datasets.generate.generate`, which builds every
table of one company in memory. For scale tests (100M rows on one machine) the same planted
processes are drawn chunk by chunk: :func:`journey_chunk` walks the planted Markov chain of
:func:`~roi_kit.datasets.journeys.transition_matrix` (the same ``_walk``), :func:`funnel_chunk`
draws users through the preset's funnel steps (the same step probabilities, channel
multipliers and gaps as :mod:`roi_kit.datasets.funnel`). Each chunk has its own seed
(``SeedSequence([seed, chunk])``) and its own users (``chunk * 10**9 + i``), so a user's rows are
all in one chunk and chunks can be written one at a time: :func:`write_log` never holds more
than one chunk in memory. Only the columns the analyses read are written (a channel column
instead of source/medium/url; integer user ids).

Examples
--------
>>> tp = journey_chunk(3, rows=2_000, seed=0)
>>> tp.columns
['user_id', 'timestamp', 'channel', 'converted', 'conversion_value']
>>> bool(tp["user_id"].min() > 3 * 10**9), tp.equals(journey_chunk(3, rows=2_000, seed=0))
(True, True)
>>> ev = funnel_chunk(0, rows=1_000, business="dtc")
>>> ev["event"].value_counts(sort=True)["event"][0]
'session'
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np
import polars as pl

from roi_kit.datasets.funnel import _FIRST_STEP_MULT, _PAID
from roi_kit.datasets.journeys import _walk, expected_touches, transition_matrix
from roi_kit.datasets.presets import PRESETS
from roi_kit.datasets.truth import CHANNELS
from roi_kit.errors import ConfigError

__all__ = ["USERS_PER_CHUNK", "funnel_chunk", "journey_chunk", "write_log"]

USERS_PER_CHUNK = 10**9
"""User ids of chunk ``c`` are ``c * USERS_PER_CHUNK + 1, 2, ...``."""
_EPOCH = np.datetime64("2024-01-01T00:00:00", "us")
_US_PER_DAY = 86_400_000_000


def _rng(seed: int, chunk: int, table: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([int(seed), int(chunk), table]))


def _timestamps(days: np.ndarray) -> pl.Series:
    return pl.Series("timestamp", _EPOCH + np.round(days * _US_PER_DAY).astype("timedelta64[us]"))


def _check(chunk: int, rows: int) -> None:
    if chunk < 0 or rows < 1 or rows >= USERS_PER_CHUNK:
        raise ConfigError(f"chunk={chunk}, rows={rows} is out of range.",
                          hint=f"use chunk >= 0 and 1 <= rows < {USERS_PER_CHUNK:,}.")


def journey_chunk(chunk: int, *, rows: int, seed: int = 0,
                  business: Literal["saas", "dtc"] = "saas", window_days: float = 365.0,
                  gap_days: float = 4.0) -> pl.DataFrame:
    """About ``rows`` touchpoints (one journey per user) of chunk ``chunk``.

    Journeys walk the planted chain of ``business``; a converting journey's last touch carries
    ``converted`` and a lognormal ``conversion_value`` (0.0 on the other rows). Rows are grouped
    by journey, journeys ordered by their first touch, within ``window_days`` from 2024-01-01.

    Examples
    --------
    >>> tp = journey_chunk(0, rows=5_000, seed=1)
    >>> 4_000 < tp.height < 6_000, int(tp["converted"].sum()) == tp.filter("converted")["user_id"].n_unique()
    (True, True)
    """
    _check(chunk, rows)
    rng = _rng(seed, chunk, 0)
    matrix = transition_matrix(business)
    m = max(round(rows / expected_touches(matrix)), 1)
    j, step, chan, outcome = _walk(rng, matrix.to_numpy(float), m)
    length = np.bincount(j, minlength=m)
    ends = np.cumsum(length)
    gaps = rng.exponential(gap_days, len(j))
    gaps[step == 0] = 0.0
    csum = np.cumsum(gaps)
    rel = csum - np.repeat(csum[ends - length], length)    # days since the journey's first touch
    start = rng.random(m) * np.maximum(window_days - rel[ends - 1], 0.0)
    converted = np.zeros(len(j), dtype=bool)
    converted[ends - 1] = outcome == 0
    value = np.where(converted, np.round(rng.lognormal(6.0, 0.8, len(j)), 2), 0.0)
    rank = np.argsort(np.argsort(start, kind="stable"), kind="stable")   # journey -> position
    first = np.concatenate([[0], np.cumsum(length[np.argsort(start, kind="stable")])[:-1]])
    order = np.empty(len(j), dtype=np.int64)
    order[first[rank[j]] + step] = np.arange(len(j))
    jo = j[order]
    return pl.DataFrame([
        pl.Series("user_id", chunk * USERS_PER_CHUNK + 1 + jo.astype(np.int64)),
        _timestamps(start[jo] + rel[order]),
        pl.Series("channel", CHANNELS).gather(chan[order].astype(np.int64)),
        pl.Series("converted", converted[order]),
        pl.Series("conversion_value", value[order]),
    ])


def funnel_chunk(chunk: int, *, rows: int, seed: int = 0,
                 business: Literal["saas", "dtc"] = "saas", window_days: float = 365.0
                 ) -> pl.DataFrame:
    """About ``rows`` funnel events (one row per user and reached step) of chunk ``chunk``.

    Users enter through a channel drawn from the journey start probabilities, reach step
    ``k + 1`` with the preset's probability (the first step's scaled by the channel) and wait
    exponential gaps; the last step carries a lognormal ``value``. Rows are in time order.

    Examples
    --------
    >>> ev = funnel_chunk(1, rows=3_000)
    >>> ev.columns, bool(ev["timestamp"].is_sorted())
    (['user_id', 'timestamp', 'event', 'channel', 'paid', 'value'], True)
    """
    _check(chunk, rows)
    rng = _rng(seed, chunk, 1)
    p = PRESETS[business]
    k = len(p.funnel_events)
    step_p = np.asarray(p.funnel_step_p, dtype=float)
    per_user = 1.0 + float(np.cumprod(step_p).sum())
    n = max(round(rows / per_user), 1)
    start_p = transition_matrix(business).iloc[0][list(CHANNELS)].to_numpy(float)
    chan = rng.choice(len(CHANNELS), size=n, p=start_p / start_p.sum())
    probs = np.broadcast_to(step_p, (n, k - 1)).copy()
    mult = np.array([_FIRST_STEP_MULT[c] for c in CHANNELS])
    probs[:, 0] = np.clip(probs[:, 0] * mult[chan], 0.0, 0.95)
    depth = 1 + np.cumprod(rng.random((n, k - 1)) < probs, axis=1).sum(axis=1)
    gaps = rng.exponential(np.asarray(p.funnel_gap_days, dtype=float)[None, :], (n, k - 1))
    rel = np.concatenate([np.zeros((n, 1)), np.cumsum(gaps, axis=1)], axis=1)
    begin = rng.random(n) * window_days
    user = np.repeat(np.arange(n), depth)
    step = np.arange(len(user)) - np.repeat(np.cumsum(depth) - depth, depth)
    t = begin[user] + rel[user, step]
    value = np.where(step == k - 1, np.round(rng.lognormal(6.0, 0.8, len(user)), 2), np.nan)
    order = np.argsort(t, kind="stable")
    uo = user[order]
    paid = np.isin(np.asarray(CHANNELS, dtype=object), _PAID)
    return pl.DataFrame([
        pl.Series("user_id", chunk * USERS_PER_CHUNK + 1 + uo.astype(np.int64)),
        _timestamps(t[order]),
        pl.Series("event", p.funnel_events).gather(step[order].astype(np.int64)),
        pl.Series("channel", CHANNELS).gather(chan[uo].astype(np.int64)),
        pl.Series("paid", paid[chan[uo]]),
        pl.Series("value", value[order], nan_to_null=True),
    ])


def write_log(directory: str | Path, table: Literal["touchpoints", "funnel_events"], *,
              rows: int, chunk_rows: int = 10_000_000, seed: int = 0,
              business: Literal["saas", "dtc"] = "saas") -> list[Path]:
    """Write about ``rows`` rows of ``table`` as a Parquet dataset, one file per chunk.

    Files are ``part-00000.parquet``, ``part-00001.parquet``, ... of about ``chunk_rows`` rows
    each; one chunk is in memory at a time. Read the dataset with
    ``pl.scan_parquet(directory)``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     files = write_log(d, "touchpoints", rows=3_000, chunk_rows=1_000)
    ...     [f.name for f in files], pl.scan_parquet(d).select(pl.len()).collect().item() > 2_000
    (['part-00000.parquet', 'part-00001.parquet', 'part-00002.parquet'], True)
    """
    if table not in ("touchpoints", "funnel_events"):
        raise ConfigError(f"table={table!r} cannot be generated in chunks.",
                          hint="use 'touchpoints' or 'funnel_events'.")
    make = journey_chunk if table == "touchpoints" else funnel_chunk
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    files = []
    n_chunks = max(-(-int(rows) // int(chunk_rows)), 1)
    for c in range(n_chunks):
        size = min(int(chunk_rows), int(rows) - c * int(chunk_rows))
        path = out / f"part-{c:05d}.parquet"
        make(c, rows=size, seed=seed, business=business).write_parquet(path)
        files.append(path)
    return files
