"""Rule-based attribution: first, last, last non-direct, linear, time decay, position-based.

Every model gives each touch of a journey a weight; the weights of a journey sum to 1, and the
journey's conversions and value are shared out by them. Credits therefore always add up to the
total conversions and the total value. Conventions roi_kit follows:

* **linear** counts every touch, repeats included (``a > a > b`` gives ``a`` 2/3), as
  ChannelAttribution's linear model does; for one share per distinct channel use Shapley with
  ``coalition="conversions"``;
* **last non-direct** gives the credit to the last touch that is not Direct; a journey of Direct
  touches only keeps its credit on Direct (GA4's rule);
* **position-based** (U-shaped) gives ``first`` to the first touch, ``last`` to the last and
  shares ``middle`` evenly among the touches in between (default 40/20/40); a two-touch journey
  splits ``first : last`` (50/50 by default), a one-touch journey gives it everything;
* **time decay** weighs a touch by ``2 ** (-age / half_life)``, age = time before the path's
  last touch (the conversion). From a touchpoint log age is measured in days
  (``half_life_days``, default 7 as in GA4); from aggregated paths there are no timestamps, so
  age is counted in touches (``half_life_touches``, default 1).

Examples
--------
>>> import pandas as pd
>>> from roi_kit.attribution.paths import read_paths
>>> p = read_paths(pd.DataFrame({"path": ["a > b > c"], "conversions": [1], "value": [10.0]}))
>>> conv, val = position_based(p)
>>> conv.round(2).tolist(), val.round(1).tolist()
([0.4, 0.2, 0.4], [4.0, 2.0, 4.0])
"""

from __future__ import annotations

import math
from typing import Literal

import narwhals as nw
import numpy as np

from roi_kit.attribution.encoding import age_seconds
from roi_kit.attribution.paths import Paths
from roi_kit.engine import to_pandas
from roi_kit.errors import ConfigError

__all__ = ["RULE_MODELS", "RuleModel", "first_touch", "last_non_direct", "last_touch", "linear", "position_based",
           "rule_weights", "time_decay", "time_decay_touchpoints"]

Credits = tuple[np.ndarray, np.ndarray]
RuleModel = Literal["first", "last", "last_non_direct", "linear", "position", "time_decay"]
RULE_MODELS: tuple[str, ...] = ("first", "last", "last_non_direct", "linear", "position", "time_decay")


def _credit(paths: Paths, weights: np.ndarray) -> Credits:
    """Share each path's conversions and value over its touches by ``weights`` (per touch)."""
    pid = paths.path_index
    n = len(paths.elements)
    conv = np.bincount(paths.codes, weights=weights * paths.conversions[pid], minlength=n)
    val = np.bincount(paths.codes, weights=weights * paths.value[pid], minlength=n)
    return conv, val


def rule_weights(paths: Paths, model: RuleModel, *,
                 position_weights: tuple[float, float, float] = (0.4, 0.2, 0.4),
                 half_life_touches: float = 1.0) -> np.ndarray:
    """Each touch's share of its journey under a rule model (the shares of a path sum to 1).

    Credits are linear in the paths' conversions through these weights, which is what lets the
    bootstrap compute every replicate as one matrix product.

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.attribution.paths import read_paths
    >>> p = read_paths(pd.DataFrame({"path": ["a > b > c", "b"], "conversions": [1, 1]}))
    >>> rule_weights(p, "position").tolist()
    [0.4, 0.2, 0.4, 1.0]
    """
    pos = paths.positions
    n = np.repeat(paths.lengths, paths.lengths)
    if model == "first":
        return (pos == 0).astype(float)
    if model == "last":
        return (pos == n - 1).astype(float)
    if model == "linear":
        return 1.0 / n
    if model == "last_non_direct":
        direct = np.isin(paths.codes, paths.direct_codes)
        marked = np.where(direct, -1, pos)
        last_nd = np.full(paths.n_paths, -1, dtype=np.int64)
        np.maximum.at(last_nd, paths.path_index, marked)
        target = np.where(last_nd < 0, paths.lengths - 1, last_nd)
        return (pos == np.repeat(target, paths.lengths)).astype(float)
    if model == "position":
        first, middle, last = (float(w) for w in position_weights)
        if min(first, middle, last) < 0 or not math.isclose(first + middle + last, 1.0, abs_tol=1e-9):
            raise ConfigError(
                f"position weights {position_weights!r} must be non-negative and sum to 1.",
                hint="use e.g. weights=(0.4, 0.2, 0.4) for first, middle, last.",
            )
        ends = first + last
        w = np.where(pos == 0, first, np.where(pos == n - 1, last, middle / np.maximum(n - 2, 1)))
        w = np.where(n == 2, np.where(pos == 0, first, last) / (ends if ends > 0 else 1.0), w)
        if ends == 0:  # all weight on the middle: two-touch journeys split evenly
            w = np.where(n == 2, 0.5, w)
        return np.where(n == 1, 1.0, w)
    if model == "time_decay":
        if not half_life_touches > 0:
            raise ConfigError(f"half_life_touches={half_life_touches!r} must be positive.",
                              hint="use e.g. half_life_touches=1.")
        raw = np.exp2(-(n - 1 - pos) / half_life_touches)
        total = np.bincount(paths.path_index, weights=raw, minlength=paths.n_paths)
        return raw / total[paths.path_index]
    raise ConfigError(f"model={model!r} is not a rule model.",
                      hint=f"use one of {', '.join(RULE_MODELS)}.")


def first_touch(paths: Paths) -> Credits:
    """All credit to the first touch.

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.attribution.paths import read_paths
    >>> first_touch(read_paths(pd.DataFrame({"path": ["a > b"], "conversions": [2]})))[0].tolist()
    [2.0, 0.0]
    """
    return _credit(paths, rule_weights(paths, "first"))


def last_touch(paths: Paths) -> Credits:
    """All credit to the last touch.

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.attribution.paths import read_paths
    >>> last_touch(read_paths(pd.DataFrame({"path": ["a > b"], "conversions": [2]})))[0].tolist()
    [0.0, 2.0]
    """
    return _credit(paths, rule_weights(paths, "last"))


def last_non_direct(paths: Paths) -> Credits:
    """All credit to the last touch that is not Direct (Direct-only journeys stay on Direct).

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.attribution.paths import read_paths
    >>> p = read_paths(pd.DataFrame({"path": ["Email > Direct", "Direct"], "conversions": [1, 1]}))
    >>> dict(zip(p.elements, last_non_direct(p)[0].tolist()))
    {'Direct': 1.0, 'Email': 1.0}
    """
    return _credit(paths, rule_weights(paths, "last_non_direct"))


def linear(paths: Paths) -> Credits:
    """Equal credit to every touch, repeats of a channel included.

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.attribution.paths import read_paths
    >>> # a > a > b converts once: a gets 2 of 3 touches, b gets 1 of 3
    >>> linear(read_paths(pd.DataFrame({"path": ["a > a > b"], "conversions": [1]})))[0].round(3).tolist()
    [0.667, 0.333]
    """
    return _credit(paths, rule_weights(paths, "linear"))


def position_based(paths: Paths, *, weights: tuple[float, float, float] = (0.4, 0.2, 0.4)) -> Credits:
    """U-shaped credit: ``first``, ``middle`` (shared by the touches between), ``last``.

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.attribution.paths import read_paths
    >>> p = read_paths(pd.DataFrame({"path": ["a > b > c > d"], "conversions": [1]}))
    >>> position_based(p, weights=(0.3, 0.4, 0.3))[0].round(2).tolist()
    [0.3, 0.2, 0.2, 0.3]
    """
    return _credit(paths, rule_weights(paths, "position", position_weights=weights))


def time_decay(paths: Paths, *, half_life_touches: float = 1.0) -> Credits:
    """Weights halve every ``half_life_touches`` touches before the last one (aggregated paths).

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.attribution.paths import read_paths
    >>> # weights 1/4, 1/2, 1 -> shares 1/7, 2/7, 4/7
    >>> p = read_paths(pd.DataFrame({"path": ["a > b > c"], "conversions": [7]}))
    >>> time_decay(p)[0].round(6).tolist()
    [1.0, 2.0, 4.0]
    """
    return _credit(paths, rule_weights(paths, "time_decay", half_life_touches=half_life_touches))


def time_decay_touchpoints(paths: Paths, *, half_life_days: float = 7.0) -> Credits:
    """Time decay on real timestamps, computed per journey in the touchpoints' engine.

    Needs :class:`Paths` built by :func:`~roi_kit.attribution.paths.build_paths` (which keeps
    the prepared touch table).

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.attribution.paths import build_paths
    >>> tp = pd.DataFrame({"user_id": [1, 1], "channel": ["a", "b"], "converted": [0, 1],
    ...                    "timestamp": pd.to_datetime(["2024-01-01", "2024-01-08"])})
    >>> # a is one half-life (7 days) before the conversion: weights 1/2 and 1 -> 1/3, 2/3
    >>> time_decay_touchpoints(build_paths(tp, channel="channel"))[0].round(4).tolist()
    [0.3333, 0.6667]
    """
    if paths.touches is None:
        raise ConfigError(
            "time decay in days needs timestamps, and these paths came without them.",
            hint="pass the touchpoint log instead of aggregated paths, or use "
            "half_life_touches= to decay by position.",
        )
    if not half_life_days > 0:
        raise ConfigError(f"half_life_days={half_life_days!r} must be positive.",
                          hint="use e.g. half_life_days=7 (GA4's default).")
    journey = ["_u", "_pid"]
    age_days = age_seconds(paths.touches, journey) / 86400.0
    t = paths.touches.with_columns((age_days * (-math.log(2.0) / half_life_days)).exp().alias("_w"))
    t = t.with_columns(
        (nw.col("_w") / nw.col("_w").sum().over(*journey)).alias("_share"),
        nw.col("_conv").max().over(*journey).alias("_pc"),
        nw.col("_val").sum().over(*journey).alias("_pv"),
    )
    t = t.with_columns((nw.col("_share") * nw.col("_pc")).alias("_cc"),
                       (nw.col("_share") * nw.col("_pv")).alias("_cv"))
    agg = to_pandas(t.group_by("_code").agg(nw.col("_cc").sum(), nw.col("_cv").sum()))
    n = len(paths.elements)
    idx = agg["_code"].to_numpy(np.int64) - 1
    conv = np.zeros(n)
    val = np.zeros(n)
    ok = (idx >= 0) & (idx < n)
    conv[idx[ok]] = agg["_cc"].to_numpy(np.float64)[ok]
    val[idx[ok]] = agg["_cv"].to_numpy(np.float64)[ok]
    return conv, val
