"""Wilson score bounds of a per-post share, in numpy and as an engine expression for ranking.

:func:`wilson_expr` is the bound :func:`roi_kit.top_posts` ranks by (lower bound for the top,
upper bound for the bottom), written as a narwhals expression so ranking runs in the caller's
engine; :func:`wilson_bounds` is the same interval in numpy (share clipped to [0, 1]), checked
against scipy's ``binomtest(...).proportion_ci(method="wilson")`` in the tests.

Examples
--------
>>> import pandas as pd
>>> import narwhals as nw
>>> f = nw.from_native(pd.DataFrame({"x": [5.0], "n": [10.0]}))
>>> lo = f.select(wilson_expr(nw.col("x"), nw.col("n"), lower=True)).to_native().iloc[0, 0]
>>> round(float(lo), 4)
0.2366
"""

from __future__ import annotations

import narwhals as nw
import numpy as np

__all__ = ["wilson_bounds", "wilson_expr"]



def wilson_bounds(successes: np.ndarray, trials: np.ndarray, *,
                  z: float = 1.959963984540054) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a binomial share (share clipped to [0, 1]).

    Examples
    --------
    >>> lo, hi = wilson_bounds(np.array([5.0]), np.array([10.0]))
    >>> round(float(lo[0]), 4), round(float(hi[0]), 4)
    (0.2366, 0.7634)
    """
    m = np.asarray(trials, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.clip(np.asarray(successes, dtype=float) / m, 0.0, 1.0)
        centre = p + z * z / (2 * m)
        half = z * np.sqrt(p * (1 - p) / m + z * z / (4 * m * m))
        den = 1 + z * z / m
    return (centre - half) / den, (centre + half) / den


def wilson_expr(successes: nw.Expr, trials: nw.Expr, *, lower: bool,
                z: float = 1.959963984540054) -> nw.Expr:
    """Wilson lower (or upper) bound as a narwhals expression, so ranking runs in the engine."""
    p = (successes / trials).clip(0.0, 1.0)
    centre = p + z * z / (trials * 2)
    half = (p * (1 - p) / trials + z * z / (trials * trials * 4)).sqrt() * z
    bound = (centre - half) if lower else (centre + half)
    return nw.when(trials > 0).then(bound / (1 + z * z / trials))
