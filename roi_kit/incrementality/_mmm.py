"""``rk.fit_mmm``: a Bayesian marketing-mix model that prices paid channels and organic social.

The weekly outcome (revenue) is explained by a baseline (level, trend, yearly seasonality,
controls) plus, per channel, geometric adstock (carry-over) and exponential saturation
(diminishing returns); see :mod:`roi_kit.incrementality._mmm_engine` for the model, priors and
sampler. Per channel, ROAS is its modelled revenue over the weeks divided by its cost (paid: its
spend) and ROI % is the product's one rule, ``(revenue − cost) × 100 / cost``
(:func:`roi_kit.roi.roi_pct`); organic social is priced with its cost (``organic_cost=``: a
number, a cost ledger, or one number per organic channel) or, without one, reported per unit of
activity (per post, per impression) with ROAS and ROI said to be undefined.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np

from roi_kit.errors import ConfigError
from roi_kit.incrementality._mmm_checks import media_data
from roi_kit.incrementality._mmm_engine import base_design, sample_mmm, saturated
from roi_kit.incrementality._mmm_lift import lift_effects, lift_terms
from roi_kit.incrementality._mmm_result import Kind, MmmResult
from roi_kit.roi_inputs import resolve_cost

__all__ = ["fit_mmm", "split_rhat"]

Engine = Literal["numpy", "pymc"]


def fit_mmm(
    weekly: Any,
    *,
    channels: Sequence[str],
    organic: Sequence[str] = (),
    controls: Sequence[str] = (),
    outcome: str = "revenue",
    week: str = "week",
    organic_cost: Any = None,
    seasonality: int = 2,
    level: float = 0.9,
    draws: int = 1000,
    chains: int = 16,
    tune: int = 2000,
    steps: int = 3000,
    seed: int = 0,
    currency: str = "USD",
    engine: Engine = "numpy",
    lift_tests: Any = None,
) -> MmmResult:
    """Fit a marketing-mix model to weekly outcome, spend and organic activity.

    Parameters
    ----------
    weekly
        The ``media_weekly`` table: one row per consecutive week, any supported frame.
    channels
        Columns of weekly paid spend, one per channel.
    organic
        Columns of weekly organic activity (posts, impressions), e.g. ``["organic_social"]``.
    controls
        Columns of other drivers of the outcome (price index, promotion flags, holidays).
    outcome, week
        The outcome column (revenue or conversions) and the week column (dates 7 days apart).
    organic_cost
        Cost of the organic channels over the same weeks: a number (one organic channel), a
        cost ledger (frame or ``CostLedger``; its total is used), or ``{channel: number}``.
        Without it organic ROAS and ROI are undefined (said in ``note``) and the channel is
        priced per unit of activity.
    seasonality
        Yearly Fourier pairs (used when there are at least 52 weeks).
    level
        Interval level (0.9 gives the 5 % and 95 % posterior quantiles).
    draws, chains, tune, steps
        Posterior draws kept; parallel chains; tuning steps and sampling steps per chain.
    seed
        Random seed (the same seed gives the same draws).
    engine
        ``"numpy"`` (built in) or ``"pymc"`` (PyMC-Marketing, ``pip install roi_kit[mmm]``).
    lift_tests
        Lift tests to calibrate with: a list of :class:`LiftMeasurement` (build one from a
        ``rk.lift_test`` result with ``LiftMeasurement.from_lift_test``) or a table with columns
        ``channel, start, end, incremental, se``. Each adds a Gaussian likelihood term comparing
        the model's lift of that channel over the test weeks (spend as it was vs. switched off
        in those weeks) with the measured one (see :mod:`roi_kit.incrementality._mmm_lift`).

    Returns
    -------
    MmmResult
        ``.roi()`` (ROAS and ROI % per channel), ``.response_curves()``,
        ``.optimize_budget(total=...)``, ``.channel(name)``.

    Examples
    --------
    >>> import roi_kit as rk
    >>> m = rk.datasets.generate_media_weekly(seed=0, weeks=60)
    >>> r = rk.fit_mmm(m.frame, channels=["search", "display"], draws=100, chains=4, tune=300,
    ...                steps=300)
    >>> list(r.roi().columns)  # doctest: +NORMALIZE_WHITESPACE
    ['channel', 'roi', 'ci_low', 'ci_high', 'roas', 'roas_low', 'roas_high', 'note']
    """
    if engine == "pymc":
        if importlib.util.find_spec("pymc_marketing") is None:
            raise ConfigError("engine='pymc' needs PyMC-Marketing, which is not installed.",
                              hint="pip install 'roi_kit[mmm]' (about 340 MB; first import takes "
                                   "about a minute), or use the built-in engine='numpy'.")
        raise ConfigError("engine='pymc' is installed but roi_kit does not hand fits to it yet.",
                          hint="use engine='numpy' (the built-in sampler, measured in "
                               "docs/incrementality.md).")
    if engine != "numpy":
        raise ConfigError(f"engine={engine!r} is not known. Engines: 'numpy', 'pymc'.",
                          hint="use engine='numpy'.")
    if not 0 < level < 1:
        raise ConfigError(f"level={level!r} must be between 0 and 1.", hint="use level=0.9.")
    data = media_data(weekly, channels=channels, organic=organic, controls=controls,
                      outcome=outcome, week=week)
    terms, tests = lift_terms(lift_tests, data)
    n = len(data.y)
    base = base_design(n, seasonality=seasonality if n >= 52 else 0, controls=data.controls)
    d = sample_mmm(data.y, base, data.x, draws=draws, chains=chains, tune=tune, steps=steps,
                   seed=seed, lift=terms)
    sat_sum = np.zeros_like(d.beta)
    for start in range(0, len(d.beta), 200):  # chunks keep the (draws, weeks, k) array small
        part = slice(start, start + 200)
        sat_sum[part] = saturated(data.x, d.theta[part], d.lam[part], d.xbar).sum(axis=1)
    contributions = d.beta * sat_sum
    kinds: tuple[Kind, ...] = tuple("organic" if c in data.organic else "paid" for c in data.names)
    totals = data.x.sum(axis=0)
    costs = _costs(data.names, kinds, totals, organic_cost, currency)
    return_draws = contributions / np.where(np.isnan(costs), totals, costs)
    resid = data.y - d.fitted
    r2 = 1.0 - float(resid @ resid) / float(((data.y - data.y.mean()) ** 2).sum())
    notes = _sparse(data.names, data.x, data.weeks) + _notes(data.names, return_draws, n)
    lift_draws = None
    if terms is not None:
        lift_draws = d.beta[:, terms.channel] * lift_effects(data.x, terms, d.theta, d.lam, d.xbar)
    return MmmResult(channels=data.names, kinds=kinds, weeks=data.weeks, outcome=data.y,
                     totals=totals, peak=data.x.max(axis=0), costs=costs, draws=d,
                     contributions=contributions, rhat=split_rhat(return_draws, d.chain), r2=r2, level=level, currency=currency,
                     notes=notes, lift_tests=tests, lift_draws=lift_draws, spend=data.x)


def _costs(names: tuple[str, ...], kinds: tuple[Kind, ...], totals: np.ndarray,
           organic_cost: Any, currency: str) -> np.ndarray:
    """Cost per channel over the weeks: spend (paid), ``organic_cost`` (organic) or NaN."""
    organic = [c for c, k in zip(names, kinds) if k == "organic"]
    costs: dict[str, float] = {}
    if organic_cost is not None:
        if isinstance(organic_cost, Mapping):
            unknown = set(organic_cost) - set(organic)
            if unknown:
                raise ConfigError(f"organic_cost names {', '.join(sorted(unknown))}, which is not "
                                  f"an organic channel. Organic channels: {', '.join(organic)}.",
                                  hint="key organic_cost by the columns passed as organic=.")
            costs = {c: float(v) for c, v in organic_cost.items()}
        elif len(organic) == 1:
            total, _ = resolve_cost(organic_cost, currency=currency)
            costs = {} if total is None else {organic[0]: total}
        else:
            raise ConfigError(f"organic_cost is one amount but there are {len(organic)} organic "
                              "channels.", hint="pass organic_cost={channel: amount, ...}.")
        for c, v in costs.items():
            if not v > 0:
                raise ConfigError(f"organic_cost of {c!r} is {v!r}; a cost must be above zero.",
                                  hint="pass the channel's total cost over the fitted weeks.")
    return np.array([total if kind == "paid" else costs.get(c, np.nan)
                     for c, kind, total in zip(names, kinds, totals)], float)


def split_rhat(values: np.ndarray, chain: np.ndarray) -> np.ndarray:
    """Split-chain R-hat (Gelman et al. 2013) of each column of ``values``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> float(np.round(split_rhat(rng.normal(size=(400, 1)), np.repeat(np.arange(4), 100))[0], 1))
    1.0
    """
    halves = []
    for c in np.unique(chain):
        v = values[chain == c]
        h = len(v) // 2
        halves += [v[:h], v[h:2 * h]]
    arr = np.stack(halves)  # (2 * chains, n, k)
    n = arr.shape[1]
    within = arr.var(axis=1, ddof=1).mean(axis=0)
    between = n * arr.mean(axis=1).var(axis=0, ddof=1)
    pooled = (n - 1) / n * within + between / n
    return np.asarray(np.sqrt(pooled / np.where(within > 0, within, np.inf)), float)


def _sparse(names: tuple[str, ...], x: np.ndarray, weeks: Any) -> tuple[str, ...]:
    """A note per channel active in fewer than 8 weeks: its return rests on those few weeks."""
    out = []
    for name, col in zip(names, x.T):
        active = np.flatnonzero(col > 0)
        if len(active) < 8:
            out.append(f"Warning: {name} was active in only {len(active)} of {len(col)} weeks "
                       f"(first {weeks[active[0]]:%Y-%m-%d}, last {weeks[active[-1]]:%Y-%m-%d}); "
                       "its return rests on those weeks and leans on the prior.")
    return tuple(out)


def _notes(names: tuple[str, ...], return_draws: np.ndarray, weeks: int) -> tuple[str, ...]:
    notes = []
    corr = np.corrcoef(return_draws.T) if len(names) > 1 else np.ones((1, 1))
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            if corr[i, j] < -0.5:
                notes.append(f"The data cannot fully tell {names[i]} and {names[j]} apart (their "
                             f"return draws are correlated {corr[i, j]:.2f}): credit the model gives "
                             "one may belong to the other. A lift test on either would separate "
                             "them.")
    mid = np.median(return_draws, axis=0)
    lo, hi = np.quantile(return_draws, [0.05, 0.95], axis=0)
    for name, m, a, b in zip(names, mid, lo, hi):
        if m > 0 and (b - a) > 2 * m:
            notes.append(f"{name}: the interval is wider than twice the estimate — {weeks} weeks "
                         "do not pin this channel down; treat its return as a range, not a number.")
    return tuple(notes)
