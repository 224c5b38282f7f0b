"""Exact Markov removal effects: against brute-force simulation, an independent solver and the
chain planted in the sample data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.attribution.markov import _chain, markov, transition_matrix
from roi_kit.attribution.paths import read_paths
from roi_kit.errors import ConfigError

SEED = 20240601


def _random_paths(seed: int, n_paths: int = 60, channels: str = "abcde") -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(n_paths):
        k = int(rng.integers(1, 6))
        path = " > ".join(rng.choice(list(channels), k))
        rows.append((path, int(rng.integers(0, 6)), float(rng.gamma(2.0, 50.0)), int(rng.integers(0, 12))))
    df = pd.DataFrame(rows, columns=["path", "conversions", "value", "nulls"])
    df.loc[df.conversions == 0, "value"] = 0.0
    return df


def _simulate(q: np.ndarray, r: np.ndarray, kept: np.ndarray, n: int, rng: np.random.Generator) -> float:
    """Monte-Carlo P(conversion) of the absorbing chain, walkers start in state 0.

    Row i of the chain moves to transient j with q[i, j], converts with r[i], otherwise is lost;
    states not ``kept`` are lost on entry (the removal)."""
    m = q.shape[0]
    probs = np.hstack([q * kept[None, :], r[:, None]])
    probs = np.hstack([probs, np.clip(1.0 - probs.sum(axis=1, keepdims=True), 0.0, 1.0)])
    cum = np.cumsum(probs, axis=1)
    state = np.zeros(n, dtype=np.int64)
    converted = 0
    while len(state):
        u = rng.random(len(state))
        nxt = (u[:, None] > cum[state]).sum(axis=1)
        converted += int((nxt == m).sum())
        state = nxt[nxt < m]
    return converted / n


@pytest.mark.parametrize("order", [1, 2])
def test_removal_effects_match_brute_force_simulation(order: int) -> None:
    print(f"seed={SEED}")
    rng = np.random.default_rng(SEED)
    paths = read_paths(_random_paths(SEED))
    fit = markov(paths, order=order)
    q, r, _, _, contains = _chain(paths, order)
    qd = q.toarray()
    n = 200_000
    kept = np.ones(qd.shape[0])
    p_sim = _simulate(qd, r, kept, n, rng)
    se = np.sqrt(p_sim * (1 - p_sim) / n)
    assert abs(p_sim - fit.conversion_probability) < 4 * se
    cc = contains.toarray()
    for c in range(len(paths.elements)):
        kept_c = np.r_[1.0, (cc[:, c] == 0).astype(float)]
        p_c = _simulate(qd, r, kept_c, n, rng)
        re_sim = 1 - p_c / p_sim
        # delta method: se of the ratio, both estimates independent
        se_re = np.sqrt((np.sqrt(p_c * (1 - p_c) / n) / p_sim) ** 2 + (p_c * se / p_sim**2) ** 2)
        assert abs(re_sim - fit.removal_effects[c]) < 4 * se_re, (paths.elements[c], re_sim)


def test_order_one_matches_independent_dense_solver() -> None:
    from roi_kit.datasets.truth import removal_effects

    paths = read_paths(_random_paths(7))
    fit = markov(paths, order=1)
    p, eff = removal_effects(transition_matrix(paths))
    assert fit.conversion_probability == pytest.approx(p, rel=1e-12)
    assert [eff[c] for c in paths.elements] == pytest.approx(fit.removal_effects.tolist(), abs=1e-12)


def test_transition_matrix_rows_sum_to_one_and_counts_are_right() -> None:
    # journeys (conversions + nulls): "a > a > b" 2, "a > b" 1, "a" 1, "b" 2 -> 6 journeys
    # start->a 2+1+1 = 4, start->b 2                       -> 4/6, 2/6
    # a->a 2, a->b 2+1 = 3, a->null 1 (journey "a")         -> 2/6, 3/6, 1/6
    # b ends: conversions 1+0+1 = 2, nulls 1+1+1 = 3        -> 2/5, 3/5
    paths = read_paths(pd.DataFrame({"path": ["a > a > b", "a > b", "a", "b"],
                                     "conversions": [1, 0, 0, 1], "nulls": [1, 1, 1, 1]}))
    m = transition_matrix(paths)
    assert np.allclose(m.sum(axis=1), 1.0)
    assert m.loc["(start)", ["a", "b"]].tolist() == pytest.approx([4 / 6, 2 / 6])
    assert m.loc["a", ["a", "b", "(conversion)", "(null)"]].tolist() == pytest.approx(
        [2 / 6, 3 / 6, 0.0, 1 / 6])
    assert m.loc["b", ["a", "b", "(conversion)", "(null)"]].tolist() == pytest.approx(
        [0.0, 0.0, 2 / 5, 3 / 5])


def test_higher_orders_differ_from_order_one_when_history_matters() -> None:
    # after a > b journeys convert; after c > b they never do: order 2 sees it, order 1 cannot
    paths = read_paths(pd.DataFrame({"path": ["a > b", "c > b"], "conversions": [10, 0],
                                     "nulls": [0, 10]}))
    one = markov(paths, order=1)
    two = markov(paths, order=2)
    assert one.removal_effects[2] > 0.4          # c looks helpful to a memoryless chain
    assert two.removal_effects[2] == pytest.approx(0.0, abs=1e-12)
    assert two.removal_effects[0] == pytest.approx(1.0)
    assert rk.attribute(paths, model="markov", order=4).credit("a") == pytest.approx(5.0)


def test_order_out_of_range_is_refused() -> None:
    with pytest.raises(ConfigError, match="order from 1 to 4"):
        rk.attribute(pd.DataFrame({"path": ["a"], "conversions": [1]}), model="markov", order=5)


def test_markov_result_carries_transition_matrix_and_notes() -> None:
    res = rk.attribute(pd.DataFrame({"path": ["a > b"], "conversions": [1]}))
    assert res.transitions is not None and list(res.transitions.index) == ["(start)", "a", "b"]
    assert any("converting journeys only" in n for n in res.notes)


def test_generated_journeys_recover_the_planted_chain() -> None:
    """The estimated first-order matrix and removal effects approach the generator's truth."""
    data = rk.datasets.generate(seed=3, n_customers=6000)
    truth = data.truth
    res = rk.attribute(data.touchpoints, model="markov")
    est = res.transitions
    assert est is not None
    planted = truth.channel_transition.reindex(index=est.index, columns=est.columns)
    assert np.nanmax(np.abs(est.to_numpy() - planted.to_numpy())) < 0.03
    re = res.to_frame().set_index("channel")["removal_effect"]
    for channel, effect in truth.channel_removal_effects.items():
        assert re[channel] == pytest.approx(effect, abs=0.02), channel


@pytest.mark.parametrize("order", [1, 2, 3])
def test_chain_counts_match_walking_every_journey(order: int) -> None:
    """Transition counts from the vectorised (order+1)-gram ids equal a plain walk of each path,
    including the fallback that pairs state indices when ids would not fit in 64 bits."""
    import sys

    mk = sys.modules["roi_kit.attribution._chain"]  # where the chain is built
    df = _random_paths(11, n_paths=80, channels="abcd")
    paths = read_paths(df)
    expected: dict[tuple[tuple[str, ...], tuple[str, ...]], float] = {}
    for p, c, n in zip(df["path"], df["conversions"], df["nulls"], strict=True):
        seq = p.split(" > ")
        prev: tuple[str, ...] = ()
        for i in range(len(seq)):
            cur = tuple(seq[max(0, i - order + 1):i + 1])
            expected[(prev, cur)] = expected.get((prev, cur), 0.0) + c + n
            prev = cur
    expected = {k: v for k, v in expected.items() if v > 0}  # journeys-free rows add nothing
    for space_limit in (2**62, 0):  # direct ids, then the state-pair fallback
        mk_limit = mk._ID_LIMIT
        mk._ID_LIMIT = space_limit
        try:
            ch = mk._build_chain(paths, order)
        finally:
            mk._ID_LIMIT = mk_limit

        def name(sid: int, base: int = ch.base) -> tuple[str, ...]:
            out = []
            while sid:
                out.append(paths.elements[sid % base - 1])
                sid //= base
            return tuple(reversed(out))

        counts = ch.counts if isinstance(ch.counts, np.ndarray) else ch.counts.toarray()
        got = {(name(int(ch.states[i])), name(int(ch.states[j]))): counts[i, j]
               for i, j in zip(*np.nonzero(counts), strict=True)}
        assert got == pytest.approx(expected)
