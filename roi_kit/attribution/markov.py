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

from roi_kit.attribution._chain import (
    _DENSE_SOLVE,
    _build_chain,
    _Chain,
    _contains,
)
from roi_kit.attribution._chain import _chain as _chain  # re-exported: tests read the chain here
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


def _removal_sets(chain: _Chain, n: int) -> np.ndarray:
    """(n x states) booleans: the states that contain each element (start never does)."""
    contains = _contains(chain.states[1:], chain.base, chain.order, n).tocsc()
    out = np.zeros((n, len(chain.states)), dtype=bool)
    for c in range(n):
        out[c, 1:][contains.indices[contains.indptr[c]:contains.indptr[c + 1]]] = True
    return out


def _removal_effects(chain: _Chain, n: int, removal: np.ndarray | None = None
                     ) -> tuple[float, float, np.ndarray, np.ndarray]:
    """P(conversion), expected value and the (value) removal effects of the ``n`` elements.

    ``removal`` is :func:`_removal_sets` of a chain with the same states (computed if omitted).
    """
    q = chain.q
    n_states = len(chain.states)
    rhs = np.column_stack([chain.r, chain.rv])
    # states no journey reaches cannot change anything: their removal effect is exactly 0
    removed = (_removal_sets(chain, n) if removal is None else removal) & (chain.out_total > 0)
    active = np.flatnonzero(removed.any(axis=1))
    if isinstance(q, np.ndarray) and n_states <= _DENSE_SOLVE:
        # small chains: every system at once, removed states kept as rows x = 0 (LAPACK, batched)
        kept = np.vstack([np.ones(n_states, dtype=bool), ~removed[active]]).astype(float)
        a = np.eye(n_states)[None] - q[None] * kept[:, None, :] * kept[:, :, None]
        x0 = np.linalg.solve(a, rhs[None] * kept[:, :, None])[:, 0, :]
    else:
        x0 = np.vstack([_absorb(q, rhs, np.ones(n_states, dtype=bool))]
                       + [_absorb(q, rhs, ~removed[c]) for c in active])
    p_conv, e_val = float(x0[0, 0]), float(x0[0, 1])
    re = np.zeros(n)
    re_v = np.zeros(n)
    re[active] = 1.0 - x0[1:, 0] / p_conv if p_conv > 0 else 0.0
    re_v[active] = 1.0 - x0[1:, 1] / e_val if e_val > 0 else 0.0
    return p_conv, e_val, np.clip(re, 0.0, 1.0), np.clip(re_v, 0.0, 1.0)


def _share_out(total: float, effects: np.ndarray) -> np.ndarray:
    """``total`` shared in proportion to the removal effects (zeros when they are all zero)."""
    s = effects.sum()
    return total * effects / s if s > 0 else np.zeros(len(effects))


def _fit(chain: _Chain, n: int, total_conversions: float, total_value: float) -> MarkovFit:
    """Removal effects of the ``n`` elements and the totals shared out, from a built chain."""
    p_conv, e_val, re, re_v = _removal_effects(chain, n)
    return MarkovFit(chain.order, len(chain.states), p_conv, e_val, re, re_v,
                     _share_out(total_conversions, re), _share_out(total_value, re_v))


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
    check_order(order)
    chain = _build_chain(paths, order) if paths.n_paths else None
    return fit_chain(paths.elements, chain, order=order, total_conversions=paths.total_conversions,
                     total_value=paths.total_value)


def check_order(order: int) -> None:
    """Raise unless ``order`` is a Markov order roi_kit solves (1 to 4)."""
    if order not in (1, 2, 3, 4):
        raise ConfigError(f"order={order!r} is not supported.", hint="use an order from 1 to 4.")


def fit_chain(elements: tuple[str, ...], chain: _Chain | None, *, order: int, total_conversions: float,
              total_value: float) -> tuple[MarkovFit, pd.DataFrame | None]:
    """:class:`MarkovFit` and (order 1) the transition matrix of a counted chain (``None``: no
    journeys) — the solve shared by the path table and the touch-log routes."""
    n = len(elements)
    transitions = None
    if order == 1:
        transitions = (_transition_frame(elements, chain) if chain is not None else
                       pd.DataFrame(columns=[*elements, "(conversion)", "(null)"]))
    if chain is None or total_conversions <= 0:
        zeros = np.zeros(n)
        return MarkovFit(order, 0, 0.0, 0.0, zeros, zeros.copy(), zeros.copy(), zeros.copy()), transitions
    return _fit(chain, n, total_conversions, total_value), transitions


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
    return _transition_frame(paths.elements, _build_chain(paths, 1))


def _transition_frame(elements: tuple[str, ...], chain: _Chain) -> pd.DataFrame:
    """The first-order chain as the ``(start)`` + channels x channels + ends table."""
    n = len(elements)
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
    return pd.DataFrame(dense, index=["(start)", *elements],
                        columns=[*elements, "(conversion)", "(null)"])
