"""Shapley-value attribution from the coalitions (sets of channels) seen in the journeys.

A journey's *coalition* is the set of distinct channels it touched. Two coalition values are
offered:

``coalition="conversions"`` (default; Zhao, Mahboobi & Bagheri 2018)
    ``v(S)`` = conversions (value) of the journeys whose channels all lie in ``S``. This game is
    a sum of unanimity games, so its Shapley value has a closed form: each journey's
    conversions are split evenly over its *distinct* channels. Exact for any number of channels.

``coalition="rate"``
    ``v(S)`` = conversion rate (value per journey) of the journeys whose channels all lie in
    ``S`` (0 where there are none). Uses non-converting journeys: a channel whose journeys
    convert worse than those without it gets less, possibly negative, credit. Shapley values
    sum to the overall rate; credits are ``n_journeys x phi``, so they add up to the totals.
    Computed exactly over all ``2**n`` coalitions up to ``exact_max`` channels (default 15), and
    by Monte-Carlo permutation sampling beyond, with a standard error per channel.

Examples
--------
>>> import pandas as pd
>>> from roi_kit.attribution.paths import read_paths
>>> p = read_paths(pd.DataFrame({"path": ["a > b > a", "a"], "conversions": [2, 1]}))
>>> shapley(p).conversions.tolist()   # a > b > a: 1 each; a: 1 -> a 2, b 1
[2.0, 1.0]
"""

from __future__ import annotations

from dataclasses import dataclass
from math import factorial
from typing import Literal

import numpy as np

from roi_kit.attribution.paths import Paths
from roi_kit.errors import ConfigError

__all__ = ["Coalition", "ShapleyFit", "coalition_table", "shapley", "shapley_exact"]

Coalition = Literal["conversions", "rate"]


@dataclass(frozen=True, eq=False)
class ShapleyFit:
    """Shapley credits, and their Monte-Carlo standard errors when sampled (else ``None``)."""

    conversions: np.ndarray
    value: np.ndarray
    method: str
    std_error: np.ndarray | None = None
    value_std_error: np.ndarray | None = None
    n_permutations: int = 0


def _distinct_sets(paths: Paths) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per (path, element) first occurrence: path index, element code, distinct count per path."""
    pid = paths.path_index
    key = pid * len(paths.elements) + paths.codes
    uniq = np.unique(key)
    upid = uniq // len(paths.elements)
    ucode = uniq % len(paths.elements)
    k = np.bincount(upid, minlength=paths.n_paths)
    return upid, ucode, k


def coalition_table(paths: Paths) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Distinct coalitions as bit masks (up to 62 channels) with journeys, conversions, value.

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.attribution.paths import read_paths
    >>> p = read_paths(pd.DataFrame({"path": ["a > b", "b > a", "b"], "conversions": [1, 1, 0],
    ...                              "nulls": [0, 1, 4]}))
    >>> [x.tolist() for x in coalition_table(p)]
    [[2, 3], [4.0, 3.0], [0.0, 2.0], [0.0, 0.0]]
    """
    if len(paths.elements) > 62:
        raise ConfigError("bit-mask coalitions hold at most 62 channels.",
                          hint="use coalition='conversions' or group campaigns into channels.")
    upid, ucode, _ = _distinct_sets(paths)
    mask = np.zeros(paths.n_paths, dtype=np.int64)
    np.bitwise_or.at(mask, upid, np.left_shift(np.int64(1), ucode.astype(np.int64)))
    masks, inv = np.unique(mask, return_inverse=True)
    jour = np.bincount(inv, weights=paths.journeys, minlength=len(masks))
    conv = np.bincount(inv, weights=paths.conversions, minlength=len(masks))
    val = np.bincount(inv, weights=paths.value, minlength=len(masks))
    return masks, jour, conv, val


def _even_split(paths: Paths) -> ShapleyFit:
    upid, ucode, k = _distinct_sets(paths)
    n = len(paths.elements)
    share = 1.0 / k[upid]
    conv = np.bincount(ucode, weights=share * paths.conversions[upid], minlength=n)
    val = np.bincount(ucode, weights=share * paths.value[upid], minlength=n)
    return ShapleyFit(conv, val, "exact (closed form: even split over distinct channels)")


def _subset_sums(masks: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray:
    """F[M] = sum of weights of coalitions T with T subset of M, for all 2**n masks (zeta transform)."""
    f = np.zeros(1 << n)
    np.add.at(f, masks, weights)
    for i in range(n):
        view = f.reshape(-1, 2, 1 << i)
        view[:, 1, :] += view[:, 0, :]
    return f


def shapley_exact(v: np.ndarray, n: int) -> np.ndarray:
    """Exact Shapley values of a game given as ``v[mask]`` over all ``2**n`` coalitions.

    Examples
    --------
    >>> # glove game: v({0,1}) = v({0,2}) = v({0,1,2}) = 1 -> (2/3, 1/6, 1/6)
    >>> v = np.array([0, 0, 0, 1, 0, 1, 0, 1.0])
    >>> shapley_exact(v, 3).round(4).tolist()
    [0.6667, 0.1667, 0.1667]
    """
    masks = np.arange(1 << n, dtype=np.int64)
    size = np.zeros(1 << n, dtype=np.int64)
    for i in range(n):
        size += (masks >> i) & 1
    weight = np.array([factorial(s) * factorial(n - s - 1) / factorial(n) for s in range(n)])
    phi = np.zeros(n)
    for i in range(n):
        without = masks[((masks >> i) & 1) == 0]
        phi[i] = float(np.sum(weight[size[without]] * (v[without | (1 << i)] - v[without])))
    return phi


def _rate_exact(paths: Paths) -> ShapleyFit:
    n = len(paths.elements)
    masks, jour, conv, val = coalition_table(paths)
    j = _subset_sums(masks, jour, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        v_conv = np.where(j > 0, _subset_sums(masks, conv, n) / j, 0.0)
        v_val = np.where(j > 0, _subset_sums(masks, val, n) / j, 0.0)
    total = paths.n_journeys
    return ShapleyFit(shapley_exact(v_conv, n) * total, shapley_exact(v_val, n) * total,
                      f"exact (all {1 << n:,} coalitions)")


def _rate_sampled(paths: Paths, *, n_permutations: int, seed: int) -> ShapleyFit:
    """Permutation sampling: a coalition T joins at the rank of its latest member."""
    n = len(paths.elements)
    _, ucode, k = _distinct_sets(paths)
    starts = np.r_[0, np.cumsum(k)[:-1]]
    has = k > 0
    jour, conv, val = paths.journeys[has], paths.conversions[has], paths.value[has]
    starts = starts[has]
    rng = np.random.default_rng(seed)
    marg_c = np.zeros((n_permutations, n))
    marg_v = np.zeros((n_permutations, n))
    for b in range(n_permutations):
        perm = rng.permutation(n)
        rank = np.empty(n, dtype=np.int64)
        rank[perm] = np.arange(n)
        joins = np.maximum.reduceat(rank[ucode], starts) + 1  # coalition size when T is inside
        jj = np.cumsum(np.bincount(joins, weights=jour, minlength=n + 1))
        cc = np.cumsum(np.bincount(joins, weights=conv, minlength=n + 1))
        vv = np.cumsum(np.bincount(joins, weights=val, minlength=n + 1))
        with np.errstate(divide="ignore", invalid="ignore"):
            rc = np.where(jj > 0, cc / jj, 0.0)
            rv = np.where(jj > 0, vv / jj, 0.0)
        marg_c[b, perm] = np.diff(rc)
        marg_v[b, perm] = np.diff(rv)
    total = paths.n_journeys
    se = marg_c.std(axis=0, ddof=1) / np.sqrt(n_permutations) * total if n_permutations > 1 else None
    se_v = marg_v.std(axis=0, ddof=1) / np.sqrt(n_permutations) * total if n_permutations > 1 else None
    return ShapleyFit(marg_c.mean(axis=0) * total, marg_v.mean(axis=0) * total,
                      f"sampled ({n_permutations:,} random orderings)", se, se_v, n_permutations)


def shapley(
    paths: Paths,
    *,
    coalition: Coalition = "conversions",
    exact_max: int = 15,
    n_permutations: int = 2000,
    seed: int = 0,
) -> ShapleyFit:
    """Shapley credits per element (see the module notes for the two coalition values).

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.attribution.paths import read_paths
    >>> # journeys: a converts 1 of 2, b 0 of 2, a+b 3 of 4 (rates 1/2, 0, 3/4; overall 1/2)
    >>> p = read_paths(pd.DataFrame({"path": ["a", "b", "a > b"], "conversions": [1, 0, 3],
    ...                              "nulls": [1, 2, 1]}))
    >>> # v(a)=1/2, v(b)=0, v(ab)=1/2 -> phi_a = (1/2 + 1/2)/2 = 1/2, phi_b = 0; x 8 journeys
    >>> shapley(p, coalition="rate").conversions.tolist()
    [4.0, 0.0]
    """
    if coalition == "conversions":
        return _even_split(paths)
    if coalition != "rate":
        raise ConfigError(f"coalition={coalition!r} is not a coalition value.",
                          hint="use 'conversions' or 'rate'.")
    if paths.n_paths == 0:
        zeros = np.zeros(len(paths.elements))
        return ShapleyFit(zeros, zeros.copy(), "no journeys")
    if len(paths.elements) <= exact_max:
        return _rate_exact(paths)
    if n_permutations < 2:
        raise ConfigError(f"n_permutations={n_permutations!r} is too small to sample.",
                          hint="use at least 100 (default 2000).")
    return _rate_sampled(paths, n_permutations=n_permutations, seed=seed)
