"""Markov-chain attribution: removal effects computed exactly from transition counts.

The journeys define an absorbing Markov chain: ``(start)`` -> states -> ``(conversion)`` or
``(null)``. At order ``k`` a state is the tuple of the last ``k`` channels seen (shorter at the
start of a journey). Transition probabilities are the observed transition counts divided by the
counts out of each state (every journey weighs by its number of journeys; repeats of a channel
are self-transitions and are kept).

The probability ``x`` of reaching ``(conversion)`` from every state solves the linear system
``(I - Q) x = r`` (``Q`` = transient-to-transient probabilities, ``r`` = probability of
converting next). Removing a channel sends every transition into a state containing it to
``(null)``: the same system restricted to the remaining states. The **removal effect** of a
channel is ``1 - P(conversion without it) / P(conversion)``. Solved with
``scipy.sparse.linalg.spsolve`` — exact, no simulation (ChannelAttribution simulates; its shares
carry Monte-Carlo noise of up to about a percentage point).

Value is handled the same way with reward ``r_v(s)`` = (value of conversions that came from
``s``) / (transitions out of ``s``): the expected value of a journey, with and without each
channel, gives value removal effects.

Credits follow ChannelAttribution's global convention: the total conversions (value) are shared
out in proportion to the removal effects, ``credit_c = total * RE_c / sum(RE)``. (DP6's
marketing-attribution-models distributes credit journey by journey instead, so its per-channel
totals differ on the same data.)

Examples
--------
>>> import pandas as pd
>>> from roi_kit.attribution.paths import read_paths
>>> p = read_paths(pd.DataFrame({"path": ["a > b", "a"], "conversions": [1, 0], "nulls": [0, 1]}))
>>> m = markov(p)
>>> m.conversion_probability, m.removal_effects.tolist()
(0.5, [1.0, 1.0])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from roi_kit.attribution.paths import Paths
from roi_kit.errors import ConfigError

__all__ = ["MarkovFit", "markov", "transition_matrix"]


@dataclass(frozen=True, eq=False)
class MarkovFit:
    """Exact removal effects and credits of a Markov chain of order ``order``."""

    order: int
    n_states: int
    conversion_probability: float
    expected_value: float
    removal_effects: np.ndarray
    value_removal_effects: np.ndarray
    conversions: np.ndarray
    value: np.ndarray


def _states(paths: Paths, order: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Integer id of the order-``k`` state at every touch, the distinct ids, and the base."""
    base = len(paths.elements) + 1
    if base ** order >= 2**62:
        raise ConfigError(
            f"order={order} with {base - 1} channels has too many possible states.",
            hint="use a lower order or fewer channels (group campaigns into channels).",
        )
    codes = paths.codes + 1
    if order == 1:
        sid = codes
    else:
        sid = codes.copy()
        pos = paths.positions
    for j in range(1, order):
        prev = np.zeros_like(codes)
        prev[j:] = codes[:-j]
        sid = sid + np.where(pos >= j, prev, 0) * base**j
    space = base**order
    if space <= 1 << 24:  # dense lookup: O(touches), no sort
        present = np.bincount(sid, minlength=space) > 0
        lookup = np.cumsum(present) - 1
        return np.flatnonzero(present), lookup[sid], base
    distinct, inverse = np.unique(sid, return_inverse=True)
    return distinct, inverse.astype(np.int64), base


def _contains(distinct: np.ndarray, base: int, order: int, n_elements: int) -> sp.csr_matrix:
    """Boolean (states x elements) matrix: which elements each state contains."""
    rows, cols = [], []
    rest = distinct.copy()
    for _ in range(order):
        digit = rest % base
        rest = rest // base
        has = digit > 0
        rows.append(np.nonzero(has)[0])
        cols.append(digit[has] - 1)
    r = np.concatenate(rows)
    c = np.concatenate(cols)
    return sp.csr_matrix((np.ones(len(r)), (r, c)), shape=(len(distinct), n_elements))


def _chain(paths: Paths, order: int) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray, np.ndarray, sp.csr_matrix]:
    """Transition probabilities among transient states (0 = start) and the two rewards."""
    distinct, state, base = _states(paths, order)
    n_states = len(distinct) + 1
    first = paths.offsets[:-1]
    last = paths.offsets[1:] - 1
    w = np.repeat(paths.journeys, paths.lengths)
    src = np.empty_like(state)
    src[1:] = state[:-1]
    src += 1
    src[first] = 0
    dst = state + 1
    if n_states * n_states <= 1 << 22:  # small chains: one weighted bincount, no sort
        src *= n_states
        src += dst
        flat = np.bincount(src, weights=w, minlength=n_states * n_states)
        counts = sp.csr_matrix(flat.reshape(n_states, n_states))
    else:
        counts = sp.csr_matrix((w, (src, dst)), shape=(n_states, n_states))
    end_state = state[last] + 1
    conv_out = np.bincount(end_state, weights=paths.conversions, minlength=n_states)
    null_out = np.bincount(end_state, weights=paths.nulls, minlength=n_states)
    val_out = np.bincount(end_state, weights=paths.value, minlength=n_states)
    out_total = np.asarray(counts.sum(axis=1)).ravel() + conv_out + null_out
    with np.errstate(divide="ignore", invalid="ignore"):
        inv = np.where(out_total > 0, 1.0 / out_total, 0.0)
    q = sp.diags(inv) @ counts
    contains = _contains(distinct, base, order, len(paths.elements))
    return q.tocsr(), conv_out * inv, val_out * inv, out_total, contains


def _absorb(q: sp.csr_matrix, rhs: np.ndarray, kept: np.ndarray) -> np.ndarray:
    """Solve (I - Q_KK) x = rhs_K and return x at the start state (index 0 of kept)."""
    idx = np.nonzero(kept)[0]
    sub = q[idx][:, idx]
    a = (sp.identity(len(idx), format="csc") - sub.tocsc()).tocsc()
    # tiny chains solve faster dense; the same linear system either way (SuperLU otherwise,
    # single-threaded, which also keeps a busy machine's BLAS threads out of the way)
    x = np.linalg.solve(a.toarray(), rhs[idx]) if len(idx) <= 32 else spla.spsolve(a, rhs[idx])
    x = np.asarray(x).reshape(len(idx), -1)
    return x[0]


def markov(paths: Paths, *, order: int = 1) -> MarkovFit:
    """Exact Markov removal effects (order 1-4) and the credits they imply.

    Parameters
    ----------
    paths
        Distinct journeys (:func:`~roi_kit.attribution.paths.build_paths` or
        :func:`~roi_kit.attribution.paths.read_paths`).
    order
        Memory of the chain: a state is the last ``order`` channels.

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.attribution.paths import read_paths
    >>> # start->a (2 journeys), a->conversion 1, a->null 1: P = 0.5; without a: 0 -> RE(a) = 1
    >>> p = read_paths(pd.DataFrame({"path": ["a", "b"], "conversions": [1, 1],
    ...                              "value": [10.0, 30.0], "nulls": [1, 3]}))
    >>> fit = markov(p)
    >>> fit.conversion_probability, fit.removal_effects.tolist(), fit.conversions.tolist()
    (0.3333333333333333, [0.5, 0.5], [1.0, 1.0])
    >>> fit.value.tolist()  # value removal effects 1/4 and 3/4 of 40
    [10.0, 30.0]
    """
    if order not in (1, 2, 3, 4):
        raise ConfigError(f"order={order!r} is not supported.", hint="use an order from 1 to 4.")
    n = len(paths.elements)
    if paths.n_paths == 0 or paths.total_conversions <= 0:
        zeros = np.zeros(n)
        return MarkovFit(order, 0, 0.0, 0.0, zeros, zeros.copy(), zeros.copy(), zeros.copy())
    q, r, rv, out_total, contains = _chain(paths, order)
    visited = out_total > 0
    n_states = q.shape[0]
    rhs = np.column_stack([r, rv])
    all_kept = np.ones(n_states, dtype=bool)
    base = _absorb(q, rhs, all_kept)
    p_conv, e_val = float(base[0]), float(base[1])
    re = np.zeros(n)
    re_v = np.zeros(n)
    contains_csc = contains.tocsc()
    for c in range(n):
        removed = np.zeros(n_states, dtype=bool)
        removed[1:][contains_csc[:, c].indices] = True
        removed &= visited  # states no journey reaches cannot change anything: RE exactly 0
        if not removed.any():
            continue
        x = _absorb(q, rhs, ~removed)
        re[c] = 1.0 - x[0] / p_conv if p_conv > 0 else 0.0
        re_v[c] = 1.0 - x[1] / e_val if e_val > 0 else 0.0
    re = np.clip(re, 0.0, 1.0)
    re_v = np.clip(re_v, 0.0, 1.0)
    conv = paths.total_conversions * re / re.sum() if re.sum() > 0 else np.zeros(n)
    val = paths.total_value * re_v / re_v.sum() if re_v.sum() > 0 else np.zeros(n)
    return MarkovFit(order, n_states, p_conv, e_val, re, re_v, conv, val)


def transition_matrix(paths: Paths) -> pd.DataFrame:
    """First-order transition probabilities, in the layout of ``Truth.channel_transition``.

    Rows ``(start)`` and each channel; columns each channel, ``(conversion)`` and ``(null)``;
    every row with observations sums to 1.

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.attribution.paths import read_paths
    >>> p = read_paths(pd.DataFrame({"path": ["a > b", "b"], "conversions": [1, 0], "nulls": [1, 2]}))
    >>> transition_matrix(p).round(2)
               a    b  (conversion)  (null)
    (start)  0.5  0.5          0.00    0.00
    a        0.0  1.0          0.00    0.00
    b        0.0  0.0          0.25    0.75
    """
    n = len(paths.elements)
    if paths.n_paths == 0:
        return pd.DataFrame(columns=[*paths.elements, "(conversion)", "(null)"])
    q, r, _, out_total, _ = _chain(paths, 1)
    distinct, _, _ = _states(paths, 1)
    dense = np.zeros((n + 1, n + 2))
    # map chain states (0 = start, then distinct codes + 1) to matrix rows/columns
    row_of = np.r_[0, distinct]  # state index -> element code + 1 (0 = start)
    qd = q.toarray()
    for i in range(qd.shape[0]):
        dense[row_of[i], row_of[1:] - 1] = qd[i, 1:]
        dense[row_of[i], n] = r[i]
        total = out_total[i]
        dense[row_of[i], n + 1] = 1.0 - qd[i].sum() - r[i] if total > 0 else 0.0
    dense[:, n + 1] = np.clip(dense[:, n + 1], 0.0, 1.0)
    return pd.DataFrame(dense, index=["(start)", *paths.elements],
                        columns=[*paths.elements, "(conversion)", "(null)"])
