"""The absorbing chain of Markov attribution, built by counting transitions (of distinct paths,
or of a touch log's journeys: :func:`chain_from_ids` counts both).

A chain of order ``k`` has a state per tuple of the last ``k`` channels; every touch is one
transition, counted with one ``np.bincount`` over integer ids (see :func:`_build_chain`). The
:class:`_Layout` (which transition each touch is, which state each path ends in) does not depend
on the counts, so the bootstrap builds it once and re-counts each replicate as a sparse product.

Examples
--------
>>> import pandas as pd
>>> from roi_kit.attribution.paths import read_paths
>>> p = read_paths(pd.DataFrame({"path": ["a > b", "b"], "conversions": [1, 0], "nulls": [1, 2]}))
>>> ch = _build_chain(p, 1)
>>> ch.states.tolist(), ch.conv_out.tolist(), ch.null_out.tolist()
([0, 1, 2], [0.0, 0.0, 1.0], [0.0, 0.0, 3.0])
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import scipy.sparse as sp

from roi_kit.attribution.paths import Paths
from roi_kit.errors import ConfigError

__all__: list[str] = []

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


def _transition_ids(paths: Paths, order: int, base: int) -> np.ndarray:
    """Each touch's ``(order+1)``-gram id ``sum_j c[t-j] * B**j`` (codes 1-based, 0 = none)."""
    codes = paths.codes
    starts = paths.offsets[:-1]
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
    return trans


def _check_space(paths: Paths, order: int) -> int:
    base = len(paths.elements) + 1
    if base ** order >= 2**62:
        raise ConfigError(
            f"order={order} with {base - 1} channels has too many possible states.",
            hint="use a lower order or fewer channels (group campaigns into channels).",
        )
    return base


@dataclass(frozen=True, eq=False)
class _Layout:
    """Where each touch goes in the chain: transition ``tid`` per touch (pairs ``src -> dst`` of
    state indices) and the state each path ends in. Counts are linear in the journeys per path,
    so one layout serves any re-weighting of the paths (the bootstrap)."""

    order: int
    base: int
    states: np.ndarray
    src: np.ndarray
    dst: np.ndarray
    tid: np.ndarray
    end: np.ndarray
    pid: np.ndarray

    @cached_property
    def design(self) -> sp.csr_matrix:
        """(transitions x paths) counts of each transition in each path."""
        return sp.csr_matrix((np.ones(len(self.tid)), (self.tid, self.pid)),
                             shape=(len(self.src), len(self.end)))

    @cached_property
    def ends(self) -> sp.csr_matrix:
        """(states x paths) one-hot: the state each path ends in."""
        return sp.csr_matrix((np.ones(len(self.end)), (self.end, np.arange(len(self.end)))),
                             shape=(len(self.states), len(self.end)))

    def chain(self, journeys: np.ndarray, conversions: np.ndarray, nulls: np.ndarray,
              value: np.ndarray, *, counts: np.ndarray | None = None) -> _Chain:
        """The chain of these per-path journeys, conversions, nulls and value (``counts``:
        transition counts already computed as ``design @ journeys``)."""
        cnt = self.design @ journeys if counts is None else counts
        return _assemble(self, cnt, conversions, nulls, value)


def _layout(paths: Paths, order: int) -> _Layout:
    """The chain's layout (states, transitions per touch, end state per path)."""
    base = _check_space(paths, order)
    starts = paths.offsets[:-1]
    last = paths.offsets[1:] - 1
    if base ** (order + 1) < _ID_LIMIT:
        trans = _transition_ids(paths, order, base)
        ids, tid = np.unique(trans, return_inverse=True)
        top = base**order
        dst_id = ids % top
        states = np.unique(np.r_[0, dst_id])
        src = np.searchsorted(states, ids // base)
        dst = np.searchsorted(states, dst_id)
        end = np.searchsorted(states, trans[last] % top)
    else:  # ids of (order+1)-grams would overflow int64: pair the state indices instead
        c = paths.codes + 1
        sid = c.copy()
        for j in range(1, order):
            sid += _shifted(c, starts, j) * base**j
        distinct, inverse = np.unique(sid, return_inverse=True)
        states = np.r_[0, distinct]
        cur = inverse.ravel().astype(np.int64) + 1
        prev = _shifted(cur, starts, 1)
        pairs, tid = np.unique(prev * len(states) + cur, return_inverse=True)
        src, dst = pairs // len(states), pairs % len(states)
        end = cur[last]
    return _Layout(order, base, states, src, dst, tid.ravel(), end, paths.path_index)


def _assemble(lay: _Layout, cnt: np.ndarray, conversions: np.ndarray, nulls: np.ndarray,
              value: np.ndarray) -> _Chain:
    """A :class:`_Chain` from transition counts (one per ``lay.src``/``lay.dst`` pair)."""
    n_states = len(lay.states)
    return _from_counts(lay, cnt, np.bincount(lay.end, weights=conversions, minlength=n_states),
                        np.bincount(lay.end, weights=nulls, minlength=n_states),
                        np.bincount(lay.end, weights=value, minlength=n_states))


def _from_counts(lay: _Layout, cnt: np.ndarray, conv_out: np.ndarray, null_out: np.ndarray,
                 val_out: np.ndarray) -> _Chain:
    """A :class:`_Chain` from transition counts and the conversions, nulls, value per end state."""
    n_states = len(lay.states)
    counts: np.ndarray | sp.csr_matrix
    if n_states <= _DENSE_SOLVE:
        counts = np.zeros((n_states, n_states))
        counts[lay.src, lay.dst] = cnt  # each (state left, state entered) pair is one transition id
    else:
        counts = sp.csr_matrix((cnt, (lay.src, lay.dst)), shape=(n_states, n_states))
    return _Chain(lay.order, lay.base, lay.states, counts, conv_out, null_out, val_out)


def _build_chain(paths: Paths, order: int) -> _Chain:
    """Count transitions of the order-``order`` chain without materialising per-path lists.

    Every touch ``t`` is one transition, from the state before it (``0`` = start) to the state
    it enters. With codes ``c`` (1-based) and base ``B = C + 1``, the transition is the
    ``(order+1)``-gram ``sum_j c[t-j] * B**j`` (missing predecessors are 0): the state entered is
    its value modulo ``B**order`` and the state left is its value divided by ``B``. Each touch
    weighs its path's journeys; the last touch of each path carries the path's conversions,
    nulls and value to ``(conversion)`` / ``(null)`` (:func:`chain_from_ids`, which the touch-log
    route feeds with one weight per touch instead).
    """
    base = _check_space(paths, order)
    if base ** (order + 1) >= _ID_LIMIT:
        return _layout(paths, order).chain(paths.journeys, paths.conversions, paths.nulls,
                                           paths.value)
    trans = _transition_ids(paths, order, base)
    return chain_from_ids(order, base, trans, np.repeat(paths.journeys, paths.lengths),
                          trans[paths.offsets[1:] - 1], paths.conversions, paths.nulls, paths.value)


def chain_from_ids(order: int, base: int, trans: np.ndarray, weights: np.ndarray | None,
                   ends: np.ndarray, conversions: np.ndarray, nulls: np.ndarray,
                   value: np.ndarray) -> _Chain:
    """The chain from transition ids (one per touch, ``weights`` journeys each; ``None`` = 1)
    and, per path or journey, the id of its last transition with its conversions, nulls, value.

    The one place where transitions are counted: distinct paths (:func:`_build_chain`) and the
    sorted touch log (:mod:`~roi_kit.attribution._markov_log`) give the same ids, so the same
    chain. Needs ``base ** (order + 1)`` below ``_ID_LIMIT``.

    Examples
    --------
    >>> # journeys "a > b" (converted) and "b", codes a = 1, b = 2, B = 3: ids 1, a*B + b = 5, 2
    >>> ch = chain_from_ids(1, 3, np.array([1, 5, 2]), None, np.array([5, 2]),
    ...                     np.array([1.0, 0.0]), np.array([0.0, 1.0]), np.array([9.0, 0.0]))
    >>> ch.states.tolist(), ch.counts.tolist(), ch.conv_out.tolist(), ch.null_out.tolist()
    ([0, 1, 2], [[0.0, 1.0, 1.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0]], [0.0, 0.0, 1.0], [0.0, 0.0, 1.0])
    """
    space = base ** (order + 1)
    if space <= _DENSE_IDS:
        n = np.bincount(trans, weights=weights, minlength=space).astype(np.float64, copy=False)
        seen = n > 0 if weights is None or bool((weights > 0).all()) else (
            np.bincount(trans, minlength=space) > 0)
        ids = np.flatnonzero(seen)
        cnt = n[ids]
    else:  # a sparse id space: sort the ids instead of a dense count
        ids, inverse = np.unique(trans, return_inverse=True)
        cnt = np.bincount(inverse.ravel(), weights=weights, minlength=len(ids)).astype(np.float64)
    top = base**order
    dst_id = ids % top
    states = np.unique(np.r_[0, dst_id])
    empty = np.zeros(0, np.int64)
    lay = _Layout(order, base, states, np.searchsorted(states, ids // base),
                  np.searchsorted(states, dst_id), empty, np.searchsorted(states, ends % top), empty)
    return _assemble(lay, cnt, conversions, nulls, value)


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
