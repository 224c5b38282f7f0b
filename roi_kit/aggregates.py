"""Sums per group in the caller's engine and Wilson intervals: the arithmetic under the rates.

The difference of two proportions uses Newcombe's hybrid score interval (Newcombe 1998,
method 10): the two Wilson intervals combined by squaring and adding each side's distance.

Examples
--------
>>> lo, hi = wilson_interval(5, 10)
>>> round(float(lo), 3), round(float(hi), 3)
(0.237, 0.763)
>>> [round(float(v), 4) for v in newcombe_interval(56, 70, 48, 80)]
[0.2, 0.0524, 0.3339]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd
from scipy import stats

from roi_kit.engine import as_frame, require_columns, to_pandas
from roi_kit.errors import ConfigError

__all__ = [
    "MISSING_KEY",
    "clustered_interval",
    "group_sums",
    "newcombe_interval",
    "wilson_expr",
    "wilson_interval",
]

MISSING_KEY = "(missing)"
"""Key shown for a missing group value."""


def _z(conf_level: float) -> float:
    """Two-sided normal quantile of ``conf_level``; a ConfigError outside (0, 1)."""
    if not 0 < conf_level < 1:
        raise ConfigError(f"conf_level={conf_level!r} must lie strictly between 0 and 1.",
                          hint="pass e.g. conf_level=0.95 for a 95% interval.")
    return float(stats.norm.ppf(0.5 + conf_level / 2))


def _wilson_bounds(p: Any, n: Any, z: float) -> tuple[Any, Any]:
    """The Wilson score bounds of share ``p`` out of ``n`` trials: numpy arrays or narwhals expressions.

    The textbook ``(p + z²/2n ∓ h) / (1 + z²/n)`` with ``h = z √(p(1−p)/n + z²/4n²)`` written as
    ``p² / (p + z²/2n + h)`` and ``1 − q² / (q + z²/2n + h)`` (``q = 1 − p``; the same numbers,
    multiplied through by the conjugate): no subtraction of near-equal terms, so the bounds are
    exactly 0 at ``p = 0`` and 1 at ``p = 1`` and keep their digits when ``p`` is tiny and ``n`` huge.
    Only arithmetic and ``** 0.5``, so one formula serves numpy and every engine.
    """
    q = 1 - p
    shift = z * z / (n * 2)
    half = (p * q / n + z * z / (n * n * 4)) ** 0.5 * z
    return p * p / (p + shift + half), 1 - q * q / (q + shift + half)


def wilson_interval(successes: np.ndarray | float, trials: np.ndarray | float, *,
                    conf_level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion, vectorised: roi_kit's one binomial interval.

    Equal to ``statsmodels.stats.proportion.proportion_confint(method="wilson")`` and scipy's
    ``binomtest(k, n).proportion_ci(method="wilson")`` (no continuity correction). An entry with
    no interval — no trials, or successes outside ``[0, trials]`` — is NaN, the marker every
    caller turns into words (``undefined``, ``no interval: ...``); none reaches a summary as
    ``nan``.

    Examples
    --------
    >>> lo, hi = wilson_interval(8, 10)
    >>> round(float(lo), 4), round(float(hi), 4)
    (0.4902, 0.9433)
    >>> float(wilson_interval(0, 4)[0]), float(wilson_interval(4, 4)[1])
    (0.0, 1.0)
    """
    x = np.asarray(successes, dtype="float64")
    n = np.asarray(trials, dtype="float64")
    z = _z(conf_level)
    bad = ~(n > 0) | ~(x >= 0) | ~(x <= n)
    with np.errstate(divide="ignore", invalid="ignore"):
        lo, hi = _wilson_bounds(np.clip(x / n, 0.0, 1.0), n, z)
    return np.where(bad, np.nan, lo), np.where(bad, np.nan, hi)


def wilson_expr(successes: nw.Expr, trials: nw.Expr, *, lower: bool,
                conf_level: float = 0.95) -> nw.Expr:
    """The lower (or upper) bound of :func:`wilson_interval` as a narwhals expression.

    For ranking in the caller's engine (``rk.top_posts``): null where ``trials`` is 0, and a
    share above 1 (engagements by reach can exceed reach) is clipped to 1 for the bound, where
    :func:`wilson_interval` says it has none.

    Examples
    --------
    >>> import pandas as pd
    >>> f = nw.from_native(pd.DataFrame({"x": [5.0], "n": [10.0]}))
    >>> lo = f.select(wilson_expr(nw.col("x"), nw.col("n"), lower=True)).to_native().iloc[0, 0]
    >>> round(float(lo), 4)
    0.2366
    """
    lo, hi = _wilson_bounds((successes / trials).clip(0.0, 1.0), trials, _z(conf_level))
    return nw.when(trials > 0).then(lo if lower else hi)


def newcombe_interval(x1: np.ndarray | float, n1: np.ndarray | float, x0: np.ndarray | float,
                      n0: np.ndarray | float, *, conf_level: float = 0.95,
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``x1/n1 − x0/n0`` and Newcombe's hybrid score interval (vectorised; NaN where a group is empty).

    Examples
    --------
    >>> d, lo, hi = newcombe_interval(5, 10, 0, 10)
    >>> round(float(d), 2), round(float(lo), 4), round(float(hi), 4)
    (0.5, 0.1174, 0.7634)
    """
    x1, n1, x0, n0 = (np.asarray(a, dtype="float64") for a in (x1, n1, x0, n0))
    l1, u1 = wilson_interval(x1, n1, conf_level=conf_level)
    l0, u0 = wilson_interval(x0, n0, conf_level=conf_level)
    with np.errstate(divide="ignore", invalid="ignore"):
        p1, p0 = x1 / n1, x0 / n0
    diff = p1 - p0
    low = diff - np.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2)
    high = diff + np.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2)
    # a difference of two shares lies in [-1, 1]; rounding can put a bound 1e-16 outside
    return diff, np.clip(low, -1.0, 1.0), np.clip(high, -1.0, 1.0)


def group_sums(data: Any, columns: Sequence[str], *, by: Sequence[str] = (),
               name: str = "data") -> pd.DataFrame:
    """Sum ``columns`` per ``by`` group in the frame's engine; return a small pandas table.

    Key columns that are missing become ``(missing)``; string keys come back as ``str`` dtype;
    a ``rows`` column counts the rows of each group. Rows are sorted by the keys.

    Examples
    --------
    >>> import pandas as pd
    >>> group_sums(pd.DataFrame({"g": ["b", "a", "b"], "x": [1, 2, 3]}), ["x"], by=["g"])
       g    x  rows
    0  a  2.0     1
    1  b  4.0     2
    """
    frame = as_frame(data, name=name)
    keys = list(by)
    require_columns(frame, [*keys, *columns], name=name)
    prepared = frame.select(*[nw.col(k) for k in keys],
                            *[nw.col(c).cast(nw.Float64).alias(c) for c in columns],
                            nw.lit(1).cast(nw.Int64).alias("rows"))
    sums = [nw.col(c).sum() for c in [*columns, "rows"]]
    agg = (prepared.group_by(keys, drop_null_keys=False).agg(*sums) if keys
           else prepared.select(*sums))
    out = to_pandas(agg)
    for c in columns:
        out[c] = out[c].astype("float64").fillna(0.0)
    out["rows"] = out["rows"].fillna(0).astype("int64")
    for k in keys:
        if not (pd.api.types.is_bool_dtype(out[k]) or pd.api.types.is_numeric_dtype(out[k])):
            out[k] = out[k].astype("object").where(out[k].notna(), MISSING_KEY).astype("str")
    if keys:
        out = out.sort_values(keys, kind="stable").reset_index(drop=True)
    return out[[*keys, *columns, "rows"]]


def clustered_interval(successes: np.ndarray, trials: np.ndarray, groups: np.ndarray, *,
                       n_groups: int, conf_level: float = 0.95
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Interval for a proportion pooled over clusters (posts, campaigns) that vary in their rate.

    ``successes`` / ``trials`` are per cluster and ``groups`` (0 .. ``n_groups``-1) says which
    group each cluster belongs to. The rate is the ratio estimator ``R = sum(y) / sum(n)``; its
    variance is the delete-one-cluster jackknife, ``(G - 1) / G * sum((R_(-i) - mean R_(-))^2)``
    over the ``G`` clusters with trials — a cluster-robust variance (with equal cluster sizes it
    equals the sandwich ``G / (G - 1) * sum((y - R n)^2) / sum(n)^2`` of quasi-binomial GLMs and
    GEE), chosen over the sandwich because it covered better when a few large posts dominate
    (docs/metrics.md). The interval
    is Wilson's with the **effective sample size** ``sum(n) / deff`` (``deff`` = that variance over
    the binomial one, floored at 1, so never narrower than Wilson) shrunk by ``(z / t_{G-1})^2``
    for the few-clusters case (Korn & Graubard 1998; Dean & Pagano 2015 found it among the best
    for clustered proportions). With one cluster, or a rate of exactly 0 or 1 (no spread to
    measure), it is Wilson's.

    Returns ``(ci_low, ci_high, clusters, deff)`` per group (NaN bounds where trials are 0).

    Examples
    --------
    >>> # R = 56/400 = 0.14; leave-one-out rates .18, .0867, .1733, .12: var = 3/4 * .005956,
    >>> # (= 4/3 * 536 / 400^2 with equal sizes), binomial var .14 * .86 / 400 -> deff 14.8;
    >>> # n_eff = 400 / 14.8 * (1.96 / t_3 = 3.18)^2 = 10.2 -> Wilson(0.14, 10.2)
    >>> y, n = np.array([2, 30, 4, 20]), np.array([100, 100, 100, 100])
    >>> lo, hi, g, deff = clustered_interval(y, n, np.zeros(4, dtype=int), n_groups=1)
    >>> round(float(lo[0]), 3), round(float(hi[0]), 3), int(g[0]), round(float(deff[0]), 1)
    (0.032, 0.445, 4, 14.8)
    >>> [round(float(v), 3) for v in wilson_interval(56, 400)]  # as if 400 independent trials
    [0.109, 0.177]
    """
    y = np.asarray(successes, dtype="float64")
    n = np.asarray(trials, dtype="float64")
    g = np.asarray(groups, dtype="int64")
    tot_y = np.bincount(g, weights=y, minlength=n_groups)
    tot_n = np.bincount(g, weights=n, minlength=n_groups)
    clusters = np.bincount(g, weights=(n > 0).astype(float), minlength=n_groups)
    has = (n > 0).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(tot_n > 0, tot_y / tot_n, np.nan)
        # delete-one-cluster rates and their spread (clusters without trials take no part)
        loo = np.where(n > 0, (tot_y[g] - y) / (tot_n[g] - n), 0.0)
        loo = np.nan_to_num(loo, nan=0.0, posinf=0.0, neginf=0.0)
        centre = np.bincount(g, weights=loo * has, minlength=n_groups) / clusters
        dev = (loo - np.nan_to_num(centre)[g]) ** 2 * has
        var = (clusters - 1) / clusters * np.bincount(g, weights=dev, minlength=n_groups)
        binom = rate * (1 - rate) / tot_n
        ok = (clusters >= 2) & (binom > 0)
        deff = np.where(ok, np.maximum(var / np.where(ok, binom, 1.0), 1.0), 1.0)
    z = _z(conf_level)
    t = np.where(clusters >= 2, stats.t.ppf(0.5 + conf_level / 2, np.maximum(clusters - 1, 1)), z)
    n_eff = tot_n / deff * np.where(ok, (z / t) ** 2, 1.0)
    lo, hi = wilson_interval(np.nan_to_num(rate) * n_eff, n_eff, conf_level=conf_level)
    return lo, hi, clusters, deff
