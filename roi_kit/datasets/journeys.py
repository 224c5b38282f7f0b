"""Touchpoint journeys drawn from a known first-order Markov chain over GA4 channel groups.

Every journey starts in ``(start)``, moves from channel to channel with the probabilities of
:func:`transition_matrix` and ends in ``(conversion)`` or ``(null)``. Each visit is one touchpoint
row tagged with a ``source`` / ``medium`` (most with a landing ``url`` with ``utm_*`` tags) that
GA4's default channel grouping maps back to the channel, with real-world tagging mistakes
(``'Facebook '``, ``'fb'``, ``'m.facebook.com'``, ``'LinkedIn'``, ``'E-mail'``). Every converting
journey is a customer's: journeys are drawn until at most one per customer converts, the last
touch is at ``acquired_at`` and carries the won new deal's amount as ``conversion_value``.

Examples
--------
>>> m = transition_matrix("saas")
>>> bool(np.allclose(m.sum(axis=1), 1.0)), list(m.columns[-2:])
(True, ['(conversion)', '(null)'])
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import numpy as np
import pandas as pd
import polars as pl

from roi_kit.datasets.strings import id_strings, take_str
from roi_kit.datasets.truth import CHANNELS, CONVERSION, NULL, START

__all__ = [
    "JourneySim", "expected_touches", "sample_rows", "simulate_journeys", "transition_matrix",
]

# start share, P(conversion), P(null), stickiness (self-loop weight) per channel
_CHANNEL_PARAMS: dict[str, dict[str, tuple[float, float, float, float]]] = {
    "saas": {
        "Organic Social": (0.13, 0.06, 0.38, 0.10), "Paid Social": (0.11, 0.045, 0.45, 0.05),
        "Email": (0.07, 0.13, 0.30, 0.15), "Organic Search": (0.22, 0.08, 0.40, 0.08),
        "Paid Search": (0.14, 0.09, 0.42, 0.05), "Referral": (0.07, 0.08, 0.40, 0.05),
        "Direct": (0.11, 0.15, 0.33, 0.10), "Display": (0.07, 0.02, 0.55, 0.02),
        "Video": (0.04, 0.03, 0.50, 0.05), "Affiliates": (0.04, 0.07, 0.45, 0.02),
    },
    "dtc": {
        "Organic Social": (0.18, 0.05, 0.42, 0.10), "Paid Social": (0.20, 0.06, 0.45, 0.06),
        "Email": (0.09, 0.14, 0.30, 0.12), "Organic Search": (0.15, 0.07, 0.42, 0.06),
        "Paid Search": (0.12, 0.09, 0.40, 0.05), "Referral": (0.04, 0.06, 0.45, 0.03),
        "Direct": (0.09, 0.16, 0.35, 0.08), "Display": (0.05, 0.02, 0.55, 0.02),
        "Video": (0.04, 0.03, 0.50, 0.05), "Affiliates": (0.04, 0.08, 0.45, 0.02),
    },
}
# channels that tend to come later in a journey get extra inflow
_LATE_PULL = {"Direct": 0.10, "Email": 0.08, "Organic Search": 0.06, "Paid Search": 0.04}

# (source, medium, tagged with utm, weight) per channel; a few deliberate tagging mistakes
_VARIANTS: dict[str, tuple[tuple[str, str, bool, float], ...]] = {
    "Organic Social": (("linkedin", "social", True, 0.3), ("facebook", "social", True, 0.2),
                       ("instagram", "social", True, 0.15), ("t.co", "social", True, 0.08),
                       ("lnkd.in", "social", True, 0.07), ("m.facebook.com", "social", True, 0.06),
                       ("Facebook ", "social", True, 0.04), ("fb", "social", True, 0.04),
                       ("LinkedIn", "Social", True, 0.03), ("tiktok", "social", True, 0.03)),
    "Paid Social": (("facebook", "paid_social", True, 0.35), ("linkedin", "cpc", True, 0.25),
                    ("instagram", "paid_social", True, 0.18), ("tiktok", "paid_social", True, 0.1),
                    ("fb", "cpc", True, 0.06), ("Facebook ", "paidsocial", True, 0.06)),
    "Email": (("newsletter", "email", True, 0.55), ("hubspot", "email", True, 0.3),
              ("Newsletter", "E-mail", True, 0.1), ("mailchimp", "e-mail", True, 0.05)),
    "Organic Search": (("google", "organic", False, 0.8), ("bing", "organic", False, 0.12),
                       ("duckduckgo", "organic", False, 0.08)),
    "Paid Search": (("google", "cpc", True, 0.85), ("bing", "cpc", True, 0.15)),
    "Referral": (("g2.com", "referral", False, 0.4), ("capterra.com", "referral", False, 0.3),
                 ("partner-blog.example", "referral", False, 0.3)),
    "Direct": (("(direct)", "(none)", False, 1.0),),
    "Display": (("google", "display", True, 0.6), ("criteo", "cpm", True, 0.4)),
    "Video": (("youtube", "video", True, 0.7), ("youtube", "cpv", True, 0.2),
              ("vimeo", "video", True, 0.1)),
    "Affiliates": (("awin", "affiliate", True, 0.6), ("partnerize", "affiliate", True, 0.4)),
}
_CAMPAIGNS = ("spring_launch", "always_on", "webinar_q2", "black_friday", "case_study_series",
              "retargeting", "brand")
_CONTENTS = ("video_a", "carousel_b", "banner_c", "text_d", "founder_post")
_PAGES = ("/", "/pricing", "/blog/roi-of-social", "/demo", "/product", "/sale", "/about")
_TERMS = ("social media roi", "marketing analytics", "crm software", "gift ideas", "brand name")
_CPC = {"Paid Social": 1.6, "Paid Search": 3.0, "Display": 0.5, "Video": 0.35}


def transition_matrix(business: str) -> pd.DataFrame:
    """The planted first-order transition matrix of ``business`` (rows sum to 1)."""
    params = _CHANNEL_PARAMS[business]
    ch = list(CHANNELS)
    start = np.array([params[c][0] for c in ch])
    start = start / start.sum()
    rows = [np.concatenate([start, [0.0, 0.0]])]
    for i, c in enumerate(ch):
        _, conv, null, stick = params[c]
        w = start.copy() + np.array([_LATE_PULL.get(x, 0.0) for x in ch])
        w[i] += stick
        w = w / w.sum() * (1.0 - conv - null)
        rows.append(np.concatenate([w, [conv, null]]))
    return pd.DataFrame(np.vstack(rows), index=[START, *ch], columns=[*ch, CONVERSION, NULL])


def expected_touches(matrix: pd.DataFrame) -> float:
    """Expected number of touchpoints (channel visits) per journey."""
    q = matrix.iloc[1:, : len(CHANNELS)].to_numpy()
    start = matrix.iloc[0, : len(CHANNELS)].to_numpy()
    visits = np.linalg.solve((np.eye(len(q)) - q).T, start)
    return float(visits.sum())


@dataclass(frozen=True)
class JourneySim:
    """Touchpoint rows (and their channel codes); per customer, first-touch channel and time."""

    frame: pd.DataFrame
    first_channel: np.ndarray   # per customer: index into CHANNELS, -1 without a journey
    channel: np.ndarray         # per row of ``frame``: index into CHANNELS
    first_touch: np.ndarray     # per customer: days of the journey's first touch, nan without


def sample_rows(rng: np.random.Generator, prob: np.ndarray, row: np.ndarray) -> np.ndarray:
    """One categorical draw per element: column index drawn from ``prob[row[i]]``.

    A single ``searchsorted`` over the row-offset cumulative probabilities (row ``s`` lives in
    ``[s, s + 1]``), so the cost is ``O(n log size)`` whatever the number of rows.
    """
    k = prob.shape[1]
    cum = np.cumsum(prob, axis=1)
    cum = cum / cum[:, -1:]
    flat = (cum + np.arange(prob.shape[0])[:, None]).ravel()
    u = rng.random(len(row))
    pos = np.searchsorted(flat, row + u, side="right") - row * k
    return np.minimum(pos, k - 1)


def _walk(rng: np.random.Generator, p: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray,
                                                                    np.ndarray, np.ndarray]:
    """Run ``m`` journeys; (journey, step, channel) per touch in journey order, outcome per journey.

    ``p`` has rows (start) + channels and columns channels + (conversion) + (null).
    """
    k = p.shape[1] - 2
    state = sample_rows(rng, p, np.zeros(m, dtype=np.int64))
    alive = np.arange(m)
    outcome = np.full(m, -1, dtype=np.int8)
    js, chans = [], []
    while len(alive):
        js.append(alive)
        chans.append(state.astype(np.int16))
        nxt = sample_rows(rng, p, 1 + state)
        done = nxt >= k
        outcome[alive[done]] = nxt[done] - k   # 0 = conversion, 1 = null
        alive, state = alive[~done], nxt[~done]
    j_step = np.concatenate(js)                # step-major order
    c_step = np.concatenate(chans)
    length = np.bincount(j_step, minlength=m)
    first = np.concatenate([[0], np.cumsum(length)[:-1]])
    step = np.concatenate([np.full(len(a), i, dtype=np.int32) for i, a in enumerate(js)])
    pos = first[j_step] + step                 # scatter into journey-major order, O(n)
    j = np.empty_like(j_step)
    c = np.empty_like(c_step)
    s = np.empty_like(step)
    j[pos], c[pos], s[pos] = j_step, c_step, step
    return j, s, c, outcome


@dataclass(frozen=True)
class _Tags:
    """String columns of the touchpoints as (categories, codes)."""

    columns: dict[str, tuple[list[str | None], np.ndarray]]


def _tags(rng: np.random.Generator, chan: np.ndarray, domain: str) -> _Tags:
    """source / medium / campaign / content / term / url per touch, as codes into categories."""
    n = len(chan)
    flat: list[tuple[str, str, bool, str]] = []
    width = max(len(v) for v in _VARIANTS.values())
    prob = np.zeros((len(CHANNELS), width))
    offset = np.zeros(len(CHANNELS), dtype=np.int64)
    for ci, c in enumerate(CHANNELS):
        vs = _VARIANTS[c]
        prob[ci, : len(vs)] = [v[3] for v in vs]
        offset[ci] = len(flat)
        flat.extend((v[0], v[1], v[2], c) for v in vs)
    var_of = offset[chan] + sample_rows(rng, prob, chan.astype(np.int64))
    nc, nt, npg = len(_CAMPAIGNS), len(_CONTENTS), len(_PAGES)
    camp, cont, page = rng.integers(0, nc, n), rng.integers(0, nt, n), rng.integers(0, npg, n)
    term = rng.integers(0, len(_TERMS), n)
    camps: list[str | None] = []
    conts: list[str | None] = []
    urls: list[str | None] = []
    for source, medium, tagged, channel in flat:
        untagged_campaign = {"Direct": "(direct)", "Referral": "(referral)"}.get(channel, "(organic)")
        for cp in range(nc):
            camps.append(_CAMPAIGNS[cp] if tagged else untagged_campaign)
            for ct in range(nt):
                conts.append(_CONTENTS[ct] if tagged else None)
                for pg in range(npg):
                    base = f"https://www.{domain}{_PAGES[pg]}"
                    if tagged:
                        base += (f"?utm_source={quote(source)}&utm_medium={quote(medium)}"
                                 f"&utm_campaign={_CAMPAIGNS[cp]}&utm_content={_CONTENTS[ct]}")
                    urls.append(base)
    camp_code = var_of * nc + camp
    cont_code, url_code = camp_code * nt + cont, (camp_code * nt + cont) * npg + page
    channel_of = np.array([CHANNELS.index(f[3]) for f in flat])[var_of]
    term_code = np.where(channel_of == CHANNELS.index("Paid Search"), term,
                         np.where(channel_of == CHANNELS.index("Organic Search"), len(_TERMS),
                                  len(_TERMS) + 1))
    return _Tags({
        "source": ([f[0] for f in flat], var_of),
        "medium": ([f[1] for f in flat], var_of),
        "campaign": (camps, camp_code),
        "content": (conts, cont_code),
        "term": ([*_TERMS, "(not provided)", None], term_code),
        "url": (urls, url_code),
    })


def simulate_journeys(
    rng: np.random.Generator,
    matrix: pd.DataFrame,
    *,
    n_touches: int,
    customer_conv_at: np.ndarray,
    customer_value: np.ndarray,
    customer_ids: pl.Series,
    window_days: float,
    gap_days: float,
    domain: str,
    cpc_scale: float,
) -> JourneySim:
    """About ``n_touches`` touchpoints; converting journeys are given to random customers.

    The frame has ``t`` (days from the window start) instead of ``timestamp``; rows are grouped
    by journey (time increasing within a journey) and journeys ordered by their first touch.
    """
    m = max(round(n_touches / expected_touches(matrix)), 1)
    p = matrix.to_numpy(float)
    j, step, chan, outcome = _walk(rng, p, m)
    n_cust = len(customer_conv_at)
    conv_all = np.flatnonzero(outcome == 0)
    if len(conv_all) > n_cust:
        # every converting journey must be a customer's won deal: stop at the n-th conversion
        # (a stopping rule on i.i.d. journeys, so the chain stays an unbiased sample)
        m = int(conv_all[n_cust - 1]) + 1
        keep = j < m
        j, step, chan, outcome = j[keep], step[keep], chan[keep], outcome[:m]
    conv_j = np.flatnonzero(outcome == 0)
    owner = np.full(m, -1)
    take = min(len(conv_j), n_cust)
    chosen = rng.permutation(n_cust)[:take]
    owner[conv_j[:take]] = chosen

    length = np.bincount(j, minlength=m)
    gaps = rng.exponential(gap_days, len(j))
    gaps[step == 0] = 0.0
    # time since the journey's first touch
    csum = np.cumsum(gaps)
    first_idx = np.concatenate([[0], np.cumsum(length)[:-1]])
    rel = csum - np.repeat(csum[first_idx], length)
    total = rel[np.cumsum(length) - 1]
    has_owner = owner >= 0
    safe_owner = np.maximum(owner, 0)
    end_at = customer_conv_at[safe_owner] if n_cust else np.zeros(m)
    free_start = rng.random(m) * np.maximum(window_days - total, 0.0)
    start_at = np.where(has_owner, end_at - total, free_start)
    t = np.repeat(start_at, length) + rel

    is_last = np.zeros(len(j), dtype=bool)
    is_last[np.cumsum(length) - 1] = True
    converted = is_last & (outcome[j] == 0)
    value = customer_value[safe_owner] if n_cust else np.zeros(m)   # converters all have owners
    conv_value = np.where(converted, value[j], np.nan)

    tags = _tags(rng, chan, domain)
    cost = np.zeros(len(j))
    for c, cpc in _CPC.items():
        rows = chan == CHANNELS.index(c)
        cost[rows] = np.round(cpc * cpc_scale * rng.lognormal(0.0, 0.35, int(rows.sum())), 2)
    aff = converted & (chan == CHANNELS.index("Affiliates"))
    cost[aff] = np.round(0.08 * conv_value[aff], 2)

    # rows grouped by journey (time increasing within), journeys in order of their first touch
    jorder = np.argsort(start_at, kind="stable")
    rank = np.empty(m, dtype=np.int64); rank[jorder] = np.arange(m)  # noqa: E702
    new_first = np.concatenate([[0], np.cumsum(length[jorder])[:-1]])
    order = np.empty(len(j), dtype=np.int64)
    order[new_first[rank[j]] + step] = np.arange(len(j))
    jo = j[order]
    user_code = np.where(has_owner, safe_owner, n_cust + np.arange(m))[jo]
    users = pl.concat([customer_ids.cast(pl.String), id_strings("u", np.arange(1, m + 1), 7)])
    cols: dict[str, object] = {"user_id": take_str(users, user_code), "t": t[order]}
    for name, (cats, codes) in tags.columns.items():
        cols[name] = take_str(cats, codes[order])
    cols.update({"cost": cost[order], "converted": converted[order], "conversion_value": conv_value[order]})
    first_channel, first_touch = np.full(n_cust, -1), np.full(n_cust, np.nan)
    firsts = first_idx[conv_j[:take]]
    first_channel[chosen], first_touch[chosen] = chan[firsts], t[firsts]
    return JourneySim(frame=pd.DataFrame(cols), first_channel=first_channel,
                      channel=chan[order], first_touch=first_touch)
