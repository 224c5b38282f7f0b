"""Shapley attribution: exact enumeration against brute force, sampling against exact."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.attribution.paths import read_paths
from roi_kit.attribution.shapley import _subset_sums, coalition_table, shapley, shapley_exact


def _brute_force(v: dict[frozenset[int], float], n: int) -> list[float]:
    """Shapley by averaging marginal contributions over all n! orderings."""
    phi = [0.0] * n
    for perm in itertools.permutations(range(n)):
        coalition: frozenset[int] = frozenset()
        for i in perm:
            phi[i] += v[coalition | {i}] - v[coalition]
            coalition = coalition | {i}
    return [p / math.factorial(n) for p in phi]


def _rate_game(df: pd.DataFrame, names: list[str]) -> dict[frozenset[int], float]:
    sets = [frozenset(names.index(x.strip()) for x in p.split(">")) for p in df.path]
    journeys = (df.conversions + df.nulls).to_numpy(float)
    conv = df.conversions.to_numpy(float)
    out = {}
    for k in range(len(names) + 1):
        for combo in itertools.combinations(range(len(names)), k):
            s = frozenset(combo)
            inside = np.array([t <= s for t in sets])
            j = journeys[inside].sum()
            out[s] = conv[inside].sum() / j if j > 0 else 0.0
    return out


DATA = pd.DataFrame({"path": ["a", "b", "a > b", "c > a", "c", "b > c > b", "a > b > c"],
                     "conversions": [3, 1, 6, 2, 0, 1, 5], "value": [30.0, 5, 80, 20, 0, 9, 70],
                     "nulls": [7, 9, 4, 8, 10, 4, 5]})


def test_exact_rate_shapley_equals_brute_force_over_orderings() -> None:
    names = ["a", "b", "c"]
    phi = _brute_force(_rate_game(DATA, names), 3)
    fit = shapley(read_paths(DATA), coalition="rate")
    total = float((DATA.conversions + DATA.nulls).sum())
    assert fit.conversions.tolist() == pytest.approx([p * total for p in phi], abs=1e-9)
    assert fit.conversions.sum() == pytest.approx(DATA.conversions.sum())


def test_conversions_coalition_closed_form_equals_enumeration() -> None:
    paths = read_paths(DATA)
    masks, _, conv, _ = coalition_table(paths)
    v = _subset_sums(masks, conv, 3)
    assert shapley(paths).conversions.tolist() == pytest.approx(shapley_exact(v, 3).tolist())


def test_sampled_shapley_is_within_its_standard_error_of_exact() -> None:
    seed = 12
    print(f"seed={seed}")
    rng = np.random.default_rng(seed)
    names = [f"ch{i:02d}" for i in range(8)]
    rows = []
    for _ in range(80):
        k = int(rng.integers(1, 5))
        rows.append((" > ".join(rng.choice(names, k)), int(rng.integers(0, 8)), int(rng.integers(0, 15))))
    df = pd.DataFrame(rows, columns=["path", "conversions", "nulls"])
    paths = read_paths(df)
    exact = shapley(paths, coalition="rate")
    sampled = shapley(paths, coalition="rate", exact_max=4, n_permutations=3000, seed=seed)
    assert sampled.std_error is not None
    assert "sampled" in sampled.method and "exact" in exact.method
    z = np.abs(sampled.conversions - exact.conversions) / sampled.std_error
    assert z.max() < 4.5
    assert sampled.conversions.sum() == pytest.approx(df.conversions.sum())


def test_sampled_result_reports_standard_errors_in_the_table() -> None:
    t = rk.attribute(DATA, model="shapley", coalition="rate", exact_max=2, n_permutations=200).to_frame()
    assert {"std_error", "value_std_error"} <= set(t.columns)
    assert (t["std_error"] >= 0).all()


def test_rate_shapley_can_be_negative_for_a_channel_that_lowers_conversion() -> None:
    # journeys with b convert less than those without it
    df = pd.DataFrame({"path": ["a", "a > b"], "conversions": [8, 1], "nulls": [2, 9]})
    t = rk.attribute(df, model="shapley", coalition="rate").to_frame().set_index("channel")
    assert t.loc["b", "conversions"] < 0 < t.loc["a", "conversions"]
    assert "Negative credit" in rk.attribute(df, model="shapley", coalition="rate").summary()
