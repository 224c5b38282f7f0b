"""Seeded experiments with a planted truth, for tests, docs and planning without history.

Geo model (weekly revenue of market ``j`` in week ``t``)::

    base_jt = size_j × (1 + trend·t/52 + a_j·season_t + b_j·f_t) × (1 + ε_jt)
    revenue_jt = base_jt × (1 + lift)    in treated markets during the test, else base_jt

``size_j`` is log-normal (markets of very different size), ``season_t`` a yearly sine,
``f_t`` a shared random walk (the economy), ``a_j, b_j`` market loadings around 1 (markets follow
the common factors to different degrees, which the synthetic control must match) and
``ε_jt ~ Normal(0, noise)`` market noise. The planted incremental revenue is exactly
``lift × Σ base_jt`` over treated markets and test weeks.

Examples
--------
>>> g = simulate_geo_test(seed=1, n_markets=10, n_treated=2, pre_weeks=20, test_weeks=4)
>>> g.panel.shape, len(g.treated), g.true_incremental > 0
((240, 3), 2, True)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from roi_kit.errors import ConfigError

__all__ = ["GeoExperiment", "simulate_geo_test", "simulate_holdout"]


@dataclass(frozen=True, eq=False)
class GeoExperiment:
    """A simulated geo test: the panel and what was planted in it.

    Attributes
    ----------
    panel
        ``market, week, revenue`` (weeks are Mondays).
    treated
        The treated markets.
    test_start
        The first test week.
    cost
        What the planted campaign cost.
    true_incremental
        The planted incremental revenue (treated markets, test weeks).
    true_lift
        The planted lift (0.10 = +10 %).

    Examples
    --------
    >>> g = simulate_geo_test(seed=0, n_markets=8, n_treated=1, pre_weeks=10, test_weeks=2)
    >>> round(g.true_incremental / g.cost, 2) == round(g.true_roas, 2)
    True
    """

    panel: pd.DataFrame
    treated: tuple[str, ...]
    test_start: pd.Timestamp
    cost: float
    true_incremental: float
    true_lift: float

    @property
    def true_roas(self) -> float:
        """Planted incremental ROAS (incremental revenue / cost)."""
        return self.true_incremental / self.cost


def simulate_geo_test(
    seed: int = 0,
    *,
    n_markets: int = 30,
    n_treated: int = 5,
    pre_weeks: int = 52,
    test_weeks: int = 8,
    lift: float = 0.10,
    noise: float = 0.05,
    roas: float = 2.0,
) -> GeoExperiment:
    """Simulate a market × week panel with a planted lift in the treated markets.

    Parameters
    ----------
    seed
        Random seed (the same seed gives the same panel).
    n_markets, n_treated
        Markets in total and how many of them are treated (chosen at random).
    pre_weeks, test_weeks
        Weeks before the test and weeks of test.
    lift
        Planted relative lift in the treated markets during the test (0 for none).
    noise
        Standard deviation of a market's weekly noise, as a share of its level.
    roas
        Planted incremental ROAS: the cost is set to incremental revenue / ``roas``.

    Returns
    -------
    GeoExperiment

    Examples
    --------
    >>> g = simulate_geo_test(seed=3, n_markets=12, n_treated=3, pre_weeks=26, test_weeks=4)
    >>> sorted(g.panel.columns), g.panel["market"].nunique(), str(g.test_start.date())
    (['market', 'revenue', 'week'], 12, '2024-07-01')
    """
    if not 0 < n_treated < n_markets - 1:
        raise ConfigError(f"n_treated={n_treated} must leave at least two control markets out of "
                          f"n_markets={n_markets}.", hint="treat fewer markets or add markets.")
    rng = np.random.default_rng(seed)
    weeks_n = pre_weeks + test_weeks
    t = np.arange(weeks_n)
    size = np.exp(rng.normal(np.log(20_000), 0.8, n_markets))
    season = 0.15 * np.sin(2 * np.pi * (t + rng.uniform(0, 52)) / 52)
    shock = np.cumsum(rng.normal(0, 0.01, weeks_n))
    load_a = rng.normal(1.0, 0.4, n_markets)
    load_b = rng.normal(1.0, 0.4, n_markets)
    level = 1 + 0.05 * t[:, None] / 52 + season[:, None] * load_a + shock[:, None] * load_b
    base = size * np.maximum(level, 0.2) * (1 + rng.normal(0, noise, (weeks_n, n_markets)))
    base = np.maximum(base, 0.0)
    names = [f"market_{j + 1:02d}" for j in range(n_markets)]
    treated_idx = np.sort(rng.choice(n_markets, size=n_treated, replace=False))
    effect = np.zeros_like(base)
    effect[pre_weeks:, treated_idx] = lift * base[pre_weeks:, treated_idx]
    revenue = base + effect
    weeks = pd.date_range("2024-01-01", periods=weeks_n, freq="7D")  # Mondays
    panel = pd.DataFrame({"market": np.tile(names, weeks_n), "week": np.repeat(weeks, n_markets),
                          "revenue": revenue.ravel().round(2)})
    true_inc = float(effect.sum())
    cost = true_inc / roas if true_inc > 0 else float(size[treated_idx].sum() * test_weeks * 0.05)
    return GeoExperiment(panel, tuple(names[i] for i in treated_idx), weeks[pre_weeks],
                         cost, true_inc, lift)


def simulate_holdout(
    seed: int = 0,
    *,
    users: int = 20_000,
    holdout_share: float = 0.1,
    base_rate: float = 0.03,
    lift: float = 0.2,
    value_per_conversion: float = 80.0,
) -> pd.DataFrame:
    """Simulate a user-level holdout: one row per user with ``group, conversions, revenue``.

    Converting users spend a log-normal amount with mean ``value_per_conversion``.

    Examples
    --------
    >>> d = simulate_holdout(seed=0, users=1000, holdout_share=0.2)
    >>> d["group"].value_counts().to_dict()
    {'test': 800, 'control': 200}
    """
    rng = np.random.default_rng(seed)
    n_control = round(users * holdout_share)
    group = np.array(["test"] * (users - n_control) + ["control"] * n_control)
    rate = np.where(group == "test", base_rate * (1 + lift), base_rate)
    converted = (rng.random(users) < rate).astype(int)
    sigma = 0.8
    spend = rng.lognormal(np.log(value_per_conversion) - sigma**2 / 2, sigma, users)
    return pd.DataFrame({"group": group, "conversions": converted,
                         "revenue": np.round(converted * spend, 2)})
