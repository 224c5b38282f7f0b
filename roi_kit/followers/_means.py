"""Weighted means per group and their difference with sandwich standard errors — from rows
(:func:`group_means`) or, much faster, from per-cell sums when weights are constant within a
covariate-pattern × group cell (:func:`cell_sums`).

Examples
--------
>>> import numpy as np
>>> (m1, se1, n1), (m0, se0, n0) = group_means(np.array([1.0, 3.0, 2.0]), np.array([True, True, False]))
>>> m1, m0, n1, n0
(2.0, 2.0, 2, 1)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import special

from roi_kit.followers._effects import Effect, Method, Unit

__all__ = ["CellSums", "cell_sums", "difference_effect", "group_means", "hajek"]


def hajek(y: np.ndarray, w: np.ndarray | None = None) -> tuple[float | None, float | None]:
    """Weighted (Hajek) mean and its sandwich standard error Σw²(y−m)²/(Σw)² × n/(n−1).

    Without weights this is the mean and the usual standard error.

    Examples
    --------
    >>> m, se = hajek(np.array([1.0, 2.0, 3.0]))
    >>> m, round(se, 6)
    (2.0, 0.57735)
    """
    n = y.size
    if n == 0:
        return None, None
    w = np.ones(n) if w is None else w
    total = float(w.sum())
    if total <= 0:
        return None, None
    m = float(w @ y) / total
    if n < 2:
        return m, None
    var = float((w * w) @ ((y - m) ** 2)) / total**2 * n / (n - 1)
    return m, math.sqrt(var)


def group_means(y: np.ndarray, treated: np.ndarray, weights: np.ndarray | None = None,
                ) -> list[tuple[float | None, float | None, int]]:
    """Hajek mean, sandwich standard error and size of followers and non-followers, from five
    weighted sums per group (one pass each, no copies of the data).

    Examples
    --------
    >>> [(m, round(se, 4), n) for m, se, n in group_means(np.array([1.0, 3.0, 2.0, 6.0]),
    ...                                                   np.array([True, True, False, False]))]
    [(2.0, 1.0, 2), (4.0, 2.0, 2)]
    """
    # sums as single-threaded dot products (einsum, not BLAS: no thread hand-offs on busy
    # machines), one pass each; group 0 by subtraction
    tf = treated.astype(float)

    def split(x: np.ndarray) -> np.ndarray:
        s1 = float(np.einsum("i,i->", tf, x))
        return np.array([s1, float(x.sum()) - s1])

    n1 = int(treated.sum())
    n = np.array([n1, treated.size - n1])
    if weights is None:
        y2 = y * y
        sw, swy, sw2, sw2y, sw2y2 = n.astype(float), split(y), n.astype(float), split(y), split(y2)
    else:
        wy = weights * y
        w2 = weights * weights
        w2y = w2 * y
        sw, swy, sw2, sw2y, sw2y2 = split(weights), split(wy), split(w2), split(w2y), split(w2y * y)
    return _from_sums(n, sw, swy, sw2, sw2y, sw2y2)


@dataclass(frozen=True, eq=False)
class CellSums:
    """Per-cell sums of one outcome, shape (n_patterns, 2), column 0 = followers: subjects
    ``n``, Σy and Σy². Weights that are constant within a cell (propensity weights depend only
    on the covariate pattern and the group) then give every weighted sum from these small tables,
    so naive and adjusted means need one pass over the subjects, not one per sum."""

    n: np.ndarray
    y: np.ndarray
    y2: np.ndarray

    def means(self, cell_weights: np.ndarray | None = None,
              ) -> list[tuple[float | None, float | None, int]]:
        """Hajek mean, sandwich standard error and size of followers and non-followers, as
        :func:`group_means` (``cell_weights`` has the shape of ``n``; None = unweighted)."""
        counts = self.n.sum(axis=0)
        if cell_weights is None:
            sums = (counts.astype(float), self.y.sum(axis=0), counts.astype(float),
                    self.y.sum(axis=0), self.y2.sum(axis=0))
        else:  # empty cells get no weight (their weight may be infinite without trimming)
            w = np.where(self.n > 0, cell_weights, 0.0)
            w2 = w * w
            sums = ((w * self.n).sum(axis=0), (w * self.y).sum(axis=0), (w2 * self.n).sum(axis=0),
                    (w2 * self.y).sum(axis=0), (w2 * self.y2).sum(axis=0))
        return _from_sums(counts, *sums)


def cell_sums(cell: np.ndarray, n_cells: int, y: np.ndarray, y2: np.ndarray | None = None,
              counts: np.ndarray | None = None) -> CellSums:
    """:class:`CellSums` of ``y`` over ``cell`` = pattern·2 + (non-follower), by ``np.bincount``
    (``y2`` and ``counts`` may be passed when cached or already known).

    Examples
    --------
    >>> y = np.array([1.0, 3.0, 2.0, 6.0]); cell = np.array([0, 0, 1, 1])
    >>> [(m, round(se, 4), n) for m, se, n in cell_sums(cell, 2, y).means()]
    [(2.0, 1.0, 2), (4.0, 2.0, 2)]
    """
    shape = (-1, 2)
    n = (np.bincount(cell, minlength=n_cells) if counts is None else counts).reshape(shape)
    sy = np.bincount(cell, weights=y, minlength=n_cells).reshape(shape)
    sy2 = np.bincount(cell, weights=y * y if y2 is None else y2, minlength=n_cells).reshape(shape)
    return CellSums(n, sy, sy2)


def _from_sums(n: np.ndarray, sw: np.ndarray, swy: np.ndarray, sw2: np.ndarray, sw2y: np.ndarray,
               sw2y2: np.ndarray) -> list[tuple[float | None, float | None, int]]:
    out: list[tuple[float | None, float | None, int]] = []
    for k in (0, 1):
        if n[k] == 0 or sw[k] <= 0:
            out.append((None, None, int(n[k])))
            continue
        m = float(swy[k] / sw[k])
        if n[k] < 2:
            out.append((m, None, int(n[k])))
            continue
        ss = max(float(sw2y2[k] - 2 * m * sw2y[k] + m * m * sw2[k]), 0.0)
        out.append((m, math.sqrt(ss / sw[k] ** 2 * n[k] / (n[k] - 1)), int(n[k])))
    return out


def difference_effect(
    comparison: str, measure: str, method: Method, y: np.ndarray | None, treated: np.ndarray | None,
    weights: np.ndarray | None, *, unit: Unit, z: float, currency: str = "USD", note: str = "",
    means: list[tuple[float | None, float | None, int]] | None = None,
) -> Effect:
    """Effect for a difference of (weighted) means with a normal-approximation interval
    (``means`` may pass the :func:`group_means` of ``y``, e.g. from :class:`CellSums`)."""
    if means is None:
        assert y is not None and treated is not None
        means = group_means(y, treated, weights)
    (m1, s1, n1), (m0, s0, n0) = means
    if m1 is None or m0 is None:
        return Effect(comparison, measure, method, m1, m0, None, n_followers=n1, n_non_followers=n0,
                      unit=unit, currency=currency,
                      note="one of the groups is empty, so there is nothing to compare.")
    diff = m1 - m0
    lo = hi = p = None
    if s1 is not None and s0 is not None:
        se = math.hypot(s1, s0)
        lo, hi = diff - z * se, diff + z * se
        p = float(2 * special.ndtr(-abs(diff) / se)) if se > 0 else None
    return Effect(comparison, measure, method, m1, m0, diff, lo, hi, p, n1, n0, unit, note, currency)
