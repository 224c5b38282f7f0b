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
from functools import cached_property

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


_ID_LIMIT = 2**62
"""(order+1)-gram ids below this fit in int64; beyond, transitions pair state indices instead."""
_DENSE_IDS = 1 << 22
"""Transition-id spaces up to this size are counted with one dense bincount (no sort)."""
_DENSE_SOLVE = 32
"""Chains with up to this many states are solved dense; larger ones with SuperLU (single-threaded:
OpenBLAS threads on a busy machine made a 111-state dense solve swing from 0.2 ms to 100 ms)."""


@dataclass(frozen=True, eq=False)
class _Chain:
    """The absorbing chain of one order: state ids, transition counts and the rewards.

    ``states[0]`` is ``(start)`` (id 0); every other state id holds the last ``order`` codes
    (1-based) as base-``base`` digits, the most recent lowest. ``counts`` are transient-to-
    transient journey counts (dense up to ``_DENSE_SOLVE`` states, CSR beyond).
    """

    order: int
    base: int
    states: np.ndarray
    counts: np.ndarray | sp.csr_matrix
    conv_out: np.ndarray
    null_out: np.ndarray
    val_out: np.ndarray

    @cached_property
    def out_total(self) -> np.ndarray:
        """Journeys leaving each state (to a state, a conversion or a null)."""
        moved = np.asarray(self.counts.sum(axis=1)).ravel()
        return moved + self.conv_out + self.null_out

    @cached_property
    def inv(self) -> np.ndarray:
        tot = self.out_total
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(tot > 0, 1.0 / tot, 0.0)

    @cached_property
    def q(self) -> np.ndarray | sp.csr_matrix:
        """Transition probabilities among transient states."""
        if isinstance(self.counts, np.ndarray):
            return self.counts * self.inv[:, None]
        return (sp.diags(self.inv) @ self.counts).tocsr()

    @property
    def r(self) -> np.ndarray:
        """Probability of converting next, per state."""
        return self.conv_out * self.inv

    @property
    def rv(self) -> np.ndarray:
        """Expected value of the next step's conversion, per state."""
        return self.val_out * self.inv


def _shifted(c: np.ndarray, starts: np.ndarray, j: int) -> np.ndarray:
    """``c`` moved ``j`` touches later within each path (0 where a touch has no j-th predecessor)."""
    out = np.empty_like(c)
    out[:j] = 0
    out[j:] = c[:-j]
    for i in range(j):
        # position i < j of a path; a path shorter than i+1 lands on the next path's position
        # i - len < j, which has no j-th predecessor either, so the zero is right there too
        at = starts + i
        out[at[at < len(c)]] = 0
    return out


def _build_chain(paths: Paths, order: int) -> _Chain:
    """Count transitions of the order-``order`` chain without materialising per-path lists.

    Every touch ``t`` is one transition, from the state before it (``0`` = start) to the state
    it enters. With codes ``c`` (1-based) and base ``B = C + 1``, the transition is the
    ``(order+1)``-gram ``sum_j c[t-j] * B**j`` (missing predecessors are 0): the state entered is
    its value modulo ``B**order`` and the state left is its value divided by ``B``. One
    weighted ``np.bincount`` over these ids counts all transitions; the last touch of each path
    carries the path's conversions, nulls and value to ``(conversion)`` / ``(null)``.
    """
    base = len(paths.elements) + 1
    if base ** order >= 2**62:
        raise ConfigError(
            f"order={order} with {base - 1} channels has too many possible states.",
            hint="use a lower order or fewer channels (group campaigns into channels).",
        )
    starts = paths.offsets[:-1]
    last = paths.offsets[1:] - 1
    w = paths.journeys
    weights = np.repeat(w, paths.lengths)
    codes = paths.codes
    space = base ** (order + 1)
    if space < _ID_LIMIT:
        # (c[t-1] + 1) * B + c[t] + 1 in three passes over the touches; a path's first touch
        # comes from the start: c[t] + 1
        trans = np.empty_like(codes)
        trans[0] = 0
        np.multiply(codes[:-1], base, out=trans[1:])
        trans += codes
        trans += base + 1
        trans[starts] = codes[starts] + 1
        if order > 1:
            c = codes + 1
            for j in range(2, order + 1):
                trans += _shifted(c, starts, j) * base**j
        if space <= _DENSE_IDS:
            n = np.bincount(trans, weights=weights, minlength=space)
            seen = n > 0 if bool((w > 0).all()) else np.bincount(trans, minlength=space) > 0
            ids = np.flatnonzero(seen)
            cnt = n[ids]
        else:
            ids, inverse = np.unique(trans, return_inverse=True)
            cnt = np.bincount(inverse.ravel(), weights=weights, minlength=len(ids))
        top = base**order
        dst_id = ids % top
        states = np.unique(np.r_[0, dst_id])
        src = np.searchsorted(states, ids // base)
        dst = np.searchsorted(states, dst_id)
        end_id = trans[last] % top
        if top <= _DENSE_IDS:
            lookup = np.zeros(top, dtype=np.int64)
            lookup[states] = np.arange(len(states))
            end = lookup[end_id]
        else:
            end = np.searchsorted(states, end_id)
    else:  # ids of (order+1)-grams would overflow int64: pair the state indices instead
        c = codes + 1
        sid = c.copy()
        for j in range(1, order):
            sid += _shifted(c, starts, j) * base**j
        distinct, inverse = np.unique(sid, return_inverse=True)
        states = np.r_[0, distinct]
        cur = inverse.ravel().astype(np.int64) + 1
        prev = _shifted(cur, starts, 1)
        pairs, pinv = np.unique(prev * len(states) + cur, return_inverse=True)
        cnt = np.bincount(pinv.ravel(), weights=weights, minlength=len(pairs))
        src, dst = pairs // len(states), pairs % len(states)
        end = cur[last]
    n_states = len(states)
    counts: np.ndarray | sp.csr_matrix
    if n_states <= _DENSE_SOLVE:
        counts = np.zeros((n_states, n_states))
        counts[src, dst] = cnt  # each (state left, state entered) pair is one transition id
    else:
        counts = sp.csr_matrix((cnt, (src, dst)), shape=(n_states, n_states))
    conv_out = np.bincount(end, weights=paths.conversions, minlength=n_states)
    null_out = np.bincount(end, weights=paths.nulls, minlength=n_states)
    val_out = np.bincount(end, weights=paths.value, minlength=n_states)
    return _Chain(order, base, states, counts, conv_out, null_out, val_out)


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
    """Transition probabilities among transient states (0 = start), the two rewards, the
    journeys out of each state and which elements each non-start state contains."""
    ch = _build_chain(paths, order)
    contains = _contains(ch.states[1:], ch.base, order, len(paths.elements))
    return sp.csr_matrix(ch.q), ch.r, ch.rv, ch.out_total, contains


def _absorb(q: np.ndarray | sp.csr_matrix, rhs: np.ndarray, kept: np.ndarray) -> np.ndarray:
    """Solve (I - Q_KK) x = rhs_K and return x at the start state (index 0 of kept)."""
    idx = np.flatnonzero(kept)
    if isinstance(q, np.ndarray):
        # small chains: the same linear system, dense (LAPACK; microseconds for ~100 states)
        a = -q[np.ix_(idx, idx)]
        a[np.diag_indices_from(a)] += 1.0
        return np.linalg.solve(a, rhs[idx])[0]
    sub = q[idx][:, idx]
    a = (sp.identity(len(idx), format="csc") - sub.tocsc()).tocsc()
    x = np.asarray(spla.spsolve(a, rhs[idx])).reshape(len(idx), -1)  # SuperLU, single-threaded
    return x[0]


def _fit(paths: Paths, chain: _Chain) -> MarkovFit:
    """Removal effects and credits from a built chain."""
    order = chain.order
    n = len(paths.elements)
    q = chain.q
    visited = chain.out_total > 0
    n_states = len(chain.states)
    rhs = np.column_stack([chain.r, chain.rv])
    base = _absorb(q, rhs, np.ones(n_states, dtype=bool))
    p_conv, e_val = float(base[0]), float(base[1])
    re = np.zeros(n)
    re_v = np.zeros(n)
    contains_csc = _contains(chain.states[1:], chain.base, order, n).tocsc()
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
    return _markov_with_transitions(paths, order=order)[0]


def _markov_with_transitions(paths: Paths, *, order: int = 1) -> tuple[MarkovFit, pd.DataFrame | None]:
    """:func:`markov` and, at order 1, :func:`transition_matrix` from one pass over the touches.

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.attribution.paths import read_paths
    >>> fit, m = _markov_with_transitions(read_paths(pd.DataFrame({"path": ["a > b"],
    ...                                                           "conversions": [1]})))
    >>> fit.removal_effects.tolist(), m.loc["a", "b"]
    ([1.0, 1.0], np.float64(1.0))
    """
    if order not in (1, 2, 3, 4):
        raise ConfigError(f"order={order!r} is not supported.", hint="use an order from 1 to 4.")
    n = len(paths.elements)
    chain = _build_chain(paths, order) if paths.n_paths else None
    transitions = None
    if order == 1:
        transitions = (_transition_frame(paths, chain) if chain is not None else
                       pd.DataFrame(columns=[*paths.elements, "(conversion)", "(null)"]))
    if chain is None or paths.total_conversions <= 0:
        zeros = np.zeros(n)
        return MarkovFit(order, 0, 0.0, 0.0, zeros, zeros.copy(), zeros.copy(), zeros.copy()), transitions
    return _fit(paths, chain), transitions


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
    if paths.n_paths == 0:
        return pd.DataFrame(columns=[*paths.elements, "(conversion)", "(null)"])
    return _transition_frame(paths, _build_chain(paths, 1))


def _transition_frame(paths: Paths, chain: _Chain) -> pd.DataFrame:
    """The first-order chain as the ``(start)`` + channels x channels + ends table."""
    n = len(paths.elements)
    q = chain.q if isinstance(chain.q, np.ndarray) else chain.q.toarray()
    r = chain.r
    out_total = chain.out_total
    dense = np.zeros((n + 1, n + 2))
    # map chain states (0 = start, then element code + 1) to matrix rows/columns
    row_of = chain.states  # state index -> element code + 1 (0 = start)
    dense[np.ix_(row_of, row_of[1:] - 1)] = q[:, 1:]
    dense[row_of, n] = r
    moved = 1.0 - q.sum(axis=1) - r
    dense[row_of, n + 1] = np.where(out_total > 0, moved, 0.0)
    dense[:, n + 1] = np.clip(dense[:, n + 1], 0.0, 1.0)
    return pd.DataFrame(dense, index=["(start)", *paths.elements],
                        columns=[*paths.elements, "(conversion)", "(null)"])
