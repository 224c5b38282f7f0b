"""Every attribution model: hand-worked examples and invariants (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import roi_kit as rk
from roi_kit.attribution.api import MODEL_LABELS
from roi_kit.errors import ConfigError
from tests.budget import examples


def _credits(paths: pd.DataFrame, model: str, **kw: object) -> dict[str, tuple[float, float]]:
    t = rk.attribute(paths, model=model, **kw).to_frame()
    return {c: (round(v, 6), round(w, 6)) for c, v, w in zip(t.channel, t.conversions, t.value)}


# Three journeys (the same data for every hand-worked example below)
#   A > B > C   converts once, value 100
#   B > A       converts once, value 50
#   C           does not convert (2 journeys)
PATHS = pd.DataFrame({"path": ["A > B > C", "B > A", "C"], "conversions": [1, 1, 0],
                      "value": [100.0, 50.0, 0.0], "nulls": [0, 0, 2]})


def test_first_touch_hand_worked() -> None:
    # A gets journey 1 (1, 100), B gets journey 2 (1, 50)
    assert _credits(PATHS, "first") == {"A": (1, 100), "B": (1, 50), "C": (0, 0)}


def test_last_touch_hand_worked() -> None:
    # C closes journey 1 (1, 100), A closes journey 2 (1, 50)
    assert _credits(PATHS, "last") == {"C": (1, 100), "A": (1, 50), "B": (0, 0)}


def test_last_non_direct_skips_direct_hand_worked() -> None:
    paths = pd.DataFrame({"path": ["Email > Direct", "Direct > Direct", "Direct > Email > Direct"],
                          "conversions": [1, 1, 1], "value": [10.0, 20.0, 30.0]})
    # 1: Email (10); 2: only Direct -> stays Direct (20); 3: Email (30)
    assert _credits(paths, "last_non_direct") == {"Email": (2, 40), "Direct": (1, 20)}


def test_linear_hand_worked_counts_repeats() -> None:
    # journey 1: A, B, C get 1/3 each (value 33.33); journey 2: B, A get 1/2 each (25)
    got = _credits(PATHS, "linear")
    assert got["A"] == pytest.approx((1 / 3 + 1 / 2, 100 / 3 + 25), abs=1e-6)
    assert got["C"] == pytest.approx((1 / 3, 100 / 3), abs=1e-6)
    # repeats count: A > A > B gives A 2/3
    rep = pd.DataFrame({"path": ["A > A > B"], "conversions": [3]})
    assert _credits(rep, "linear") == {"A": (2, 0), "B": (1, 0)}


def test_position_based_hand_worked() -> None:
    # journey 1 (3 touches): A .4, B .2, C .4; journey 2 (2 touches): B .5, A .5
    got = _credits(PATHS, "position")
    assert got["A"] == pytest.approx((0.9, 40 + 25), abs=1e-9)
    assert got["B"] == pytest.approx((0.7, 20 + 25), abs=1e-9)
    assert got["C"] == pytest.approx((0.4, 40), abs=1e-9)
    # custom 30/40/30 on 4 touches: 0.3, 0.2, 0.2, 0.3
    four = pd.DataFrame({"path": ["A > B > C > D"], "conversions": [10]})
    got4 = _credits(four, "position", position_weights=(0.3, 0.4, 0.3))
    assert [got4[c][0] for c in "ABCD"] == pytest.approx([3, 2, 2, 3])


def test_position_weights_must_sum_to_one() -> None:
    with pytest.raises(ConfigError, match="sum to 1"):
        rk.attribute(PATHS, model="position", position_weights=(0.5, 0.5, 0.5))


def test_time_decay_by_touches_hand_worked() -> None:
    # half-life 1 touch: journey 1 weights C 1, B 1/2, A 1/4 -> 4/7, 2/7, 1/7
    # journey 2: A 1, B 1/2 -> 2/3, 1/3
    got = _credits(PATHS, "time_decay")
    assert got["A"] == pytest.approx((1 / 7 + 2 / 3, 100 / 7 + 100 / 3), abs=1e-6)
    assert got["C"] == pytest.approx((4 / 7, 400 / 7), abs=1e-6)


def test_time_decay_by_days_hand_worked() -> None:
    tp = pd.DataFrame({
        "user_id": ["u"] * 3,
        "timestamp": pd.to_datetime(["2024-01-01", "2024-01-08", "2024-01-15"]),
        "channel": ["A", "B", "C"], "converted": [False, False, True],
        "conversion_value": [0.0, 0.0, 70.0]})
    # half-life 7 days: ages 14, 7, 0 days -> weights 1/4, 1/2, 1 -> 1/7, 2/7, 4/7 of 70
    got = _credits(tp, "time_decay", channel="channel")
    assert got == {"C": pytest.approx((4 / 7, 40)), "B": pytest.approx((2 / 7, 20)),
                   "A": pytest.approx((1 / 7, 10))}
    # half-life 14 days: weights 1/2, 1/sqrt(2), 1
    w = np.array([0.5, 2 ** -0.5, 1.0])
    got14 = _credits(tp, "time_decay", channel="channel", half_life_days=14)
    assert got14["A"][0] == pytest.approx(w[0] / w.sum(), abs=1e-6)


def test_markov_hand_worked() -> None:
    # transitions (4 journeys): start->A 1, start->B 1, start->C 2; A->B 1, B->C 1, B->A 1,
    # C->conv 1, C->null 2, A->conv 1.
    # P(A) = 1/2*P(B)+1/2 ; P(B) = 1/2*P(C)+1/2*P(A) ; P(C) = 1/3
    # -> P(B) = 1/6 + 1/4 + 1/4 P(B) -> P(B) = 5/9, P(A) = 7/9
    # P = (7/9 + 5/9 + 2/3) / 4 = 1/2
    # without A: P(B) = 1/6, P = (0 + 1/6 + 2/3)/4 = 5/24  -> RE(A) = 7/12
    # without B: P(A) = 1/2, P = (1/2 + 0 + 2/3)/4 = 7/24  -> RE(B) = 5/12
    # without C: P(B) = 1/2 P(A), P(A) = 1/4 P(A) + 1/2 -> P(A) = 2/3, P(B) = 1/3, P = 1/4 -> RE(C) = 1/2
    res = rk.attribute(PATHS, model="markov").to_frame().set_index("channel")
    assert res["removal_effect"].to_dict() == pytest.approx({"A": 7 / 12, "B": 5 / 12, "C": 0.5})
    total = 7 / 12 + 5 / 12 + 0.5
    assert res.loc["A", "conversions"] == pytest.approx(2 * (7 / 12) / total)


def test_markov_value_removal_effects_hand_worked() -> None:
    # start->a (4) and start->b (4); a converts 2 of 4 (values 10, 30), b converts 1 of 4 (value 60)
    # E[value] = 1/2*(2/4*20) + 1/2*(1/4*60) = 5 + 7.5 = 12.5 ; without a: 7.5 -> RE_v(a) = 0.4
    # without b: 5 -> RE_v(b) = 0.6 -> value credit a = 100 * 0.4 = 40, b = 60
    paths = pd.DataFrame({"path": ["a", "a", "b"], "conversions": [1, 1, 1],
                          "value": [10.0, 30.0, 60.0], "nulls": [2, 0, 3]})
    res = rk.attribute(paths, model="markov").to_frame().set_index("channel")
    assert res["value"].to_dict() == pytest.approx({"a": 40.0, "b": 60.0})
    # conversions: P = 1/2*1/2 + 1/2*1/4 = 3/8; RE(a) = 2/3, RE(b) = 1/3 -> 2 and 1 conversions
    assert res["conversions"].to_dict() == pytest.approx({"a": 2.0, "b": 1.0})


def test_shapley_conversions_is_even_split_over_distinct_channels() -> None:
    # journey 1: A, B, C -> 1/3 each (value 33.3); journey 2: B, A -> 1/2 each (25)
    got = _credits(pd.DataFrame({"path": ["A > B > A > C", "B > A"], "conversions": [1, 1],
                                 "value": [100.0, 50.0]}), "shapley")
    assert got["A"] == pytest.approx((1 / 3 + 1 / 2, 100 / 3 + 25), abs=1e-6)
    assert got["C"] == pytest.approx((1 / 3, 100 / 3), abs=1e-6)


def test_model_names_and_aliases() -> None:
    assert rk.attribute(PATHS, model="position_based").model == "position"
    assert rk.attribute(PATHS, model="Inverse-J shaped").model == "inverse_j"
    # U-shaped is the CRM milestone model (first touch + lead creation), not 40/20/40 by position
    with pytest.raises(ConfigError, match="lead creation touch"):
        rk.attribute(PATHS, model="U-shaped")
    assert rk.attribute(PATHS, model="last_click").model == "last"
    with pytest.raises(ConfigError, match="not an attribution model"):
        rk.attribute(PATHS, model="magic")


def test_no_conversions_gives_zero_credit_and_says_why() -> None:
    none = pd.DataFrame({"path": ["A > B", "B"], "conversions": [0, 0], "nulls": [3, 1]})
    for model in MODEL_LABELS:
        res = rk.attribute(none.assign(lead_touch=1, deal_touch=1, won_touch=1), model=model,
                           milestone_weights=rk.MilestoneWeights(first=0.5, between=0.5))
        assert res.to_frame()["conversions"].abs().sum() == 0
        assert "no conversions" in res.summary()
        assert "nan" not in res.summary().lower()


# ---------------------------------------------------------------------------- invariants
# The invariants are about the point credits. Only test_credits_sum_to_totals draws the bootstrap
# intervals (the default n_boot=200, on every generated table and model); the other properties
# pass n_boot=0, which changes no credit and skips 200 refits per call (a Markov or Shapley-rate
# call on a 5-row table: ~85-160 ms with them, ~15-20 ms without; issue 13).
NAMES = ["c0", "c1", "c2", "c3", "c4"]


@st.composite
def path_tables(draw: st.DrawFn, names: tuple[str, ...] = tuple(NAMES)) -> pd.DataFrame:
    n = draw(st.integers(1, 8))
    rows = []
    for _ in range(n):
        path = draw(st.lists(st.sampled_from(names), min_size=1, max_size=6))
        conv = draw(st.integers(0, 5))
        nulls = draw(st.integers(0, 5))
        value = draw(st.floats(0, 1000, allow_nan=False)) if conv else 0.0
        # CRM milestones as 1-based touch numbers (read by the milestone models only)
        touch = st.integers(1, len(path))
        rows.append((" > ".join(path), conv, value, nulls, draw(touch), draw(touch), draw(touch)))
    return pd.DataFrame(rows, columns=["path", "conversions", "value", "nulls", "lead_touch",
                                       "deal_touch", "won_touch"])


MODEL_OPTIONS: list[tuple[str, dict[str, object]]] = [
    ("first", {}), ("last", {}), ("last_non_direct", {}), ("linear", {}), ("time_decay", {}),
    ("position", {}), ("markov", {"order": 1}), ("markov", {"order": 2}),
    ("markov", {"order": 3}), ("shapley", {}), ("shapley", {"coalition": "rate"}),
    ("u_shaped", {}), ("w_shaped", {}), ("full_path", {}), ("j_shaped", {}), ("inverse_j", {}),
    ("custom", {"milestone_weights": rk.MilestoneWeights(first=0.1, lead=0.2, deal=0.05, won=0.25,
                                                         last=0.3, between=0.1)}),
]


@pytest.mark.parametrize(("model", "opts"), MODEL_OPTIONS)
@settings(max_examples=examples(40), deadline=None)
@given(table=path_tables())
def test_credits_sum_to_totals(model: str, opts: dict[str, object], table: pd.DataFrame) -> None:
    # with the default bootstrap (n_boot=200): its intervals are computed on every generated table
    t = rk.attribute(table, model=model, **opts).to_frame()
    total_c, total_v = float(table.conversions.sum()), float(table.value.sum())
    assert t["conversions"].sum() == pytest.approx(total_c, rel=1e-9, abs=1e-9)
    assert t["value"].sum() == pytest.approx(total_v, rel=1e-9, abs=1e-6)


@pytest.mark.parametrize(("model", "opts"), MODEL_OPTIONS)
@settings(max_examples=examples(30), deadline=None)
@given(table=path_tables())
def test_channel_never_in_any_journey_gets_zero(model: str, opts: dict[str, object],
                                                 table: pd.DataFrame) -> None:
    # a path row with zero journeys: the channel is named but never seen in a journey
    ghost = pd.DataFrame({"path": ["c0 > zz"], "conversions": [0], "value": [0.0], "nulls": [0]})
    res = rk.attribute(pd.concat([table, ghost], ignore_index=True), model=model, n_boot=0, **opts)
    assert res.credit("zz") == 0.0
    assert res.to_frame().set_index("channel").loc["zz", "value"] == 0.0
    assert res.credit("never-heard-of") == 0.0


@pytest.mark.parametrize(("model", "opts"), MODEL_OPTIONS)
@settings(max_examples=examples(25), deadline=None)
@given(reps=st.lists(st.tuples(st.integers(1, 5), st.integers(1, 4), st.integers(0, 3)),
                     min_size=1, max_size=5))
def test_single_channel_gets_everything(model: str, opts: dict[str, object],
                                        reps: list[tuple[int, int, int]]) -> None:
    table = pd.DataFrame({"path": [" > ".join(["solo"] * k) for k, _, _ in reps],
                          "conversions": [c for _, c, _ in reps],
                          "value": [10.0 * c for _, c, _ in reps],
                          "nulls": [n for _, _, n in reps], "lead_touch": 1, "deal_touch": 1,
                          "won_touch": 1})
    t = rk.attribute(table, model=model, n_boot=0, **opts).to_frame()
    assert t["share"].tolist() == pytest.approx([1.0])
    assert t["value"].sum() == pytest.approx(table.value.sum())


@pytest.mark.parametrize(("model", "opts"), MODEL_OPTIONS)
@settings(max_examples=examples(25), deadline=None)
@given(table=path_tables(), perm=st.permutations(NAMES))
def test_permuting_channel_names_permutes_credits(model: str, opts: dict[str, object],
                                                  table: pd.DataFrame, perm: list[str]) -> None:
    rename = dict(zip(NAMES, perm))
    renamed = table.assign(path=table.path.map(lambda p: " > ".join(rename[x] for x in p.split(" > "))))
    a = rk.attribute(table, model=model, n_boot=0, **opts).to_frame().set_index("channel")
    b = rk.attribute(renamed, model=model, n_boot=0, **opts).to_frame().set_index("channel")
    for name in a.index:
        assert b.loc[rename[name], "conversions"] == pytest.approx(a.loc[name, "conversions"], abs=1e-9)
        assert b.loc[rename[name], "value"] == pytest.approx(a.loc[name, "value"], abs=1e-6)


def test_campaign_credits_sum_to_channel_credits_for_rule_models() -> None:
    tp = pd.DataFrame({
        "user_id": ["a", "a", "b", "b", "c"],
        "timestamp": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-01", "2024-01-03", "2024-01-02"]),
        "channel": ["Email", "Paid Social", "Paid Social", "Paid Social", "Email"],
        "campaign": ["news", "spring", "spring", "brand", None],
        "converted": [False, True, False, True, True], "conversion_value": [0, 10.0, 0, 20.0, 5.0]})
    for model in ("first", "last", "linear", "position"):
        by_ch = rk.attribute(tp, model=model, channel="channel").to_frame().set_index("channel")
        by_cp = rk.attribute(tp, model=model, channel="channel", level="campaign").to_frame()
        summed = by_cp.groupby("channel")[["conversions", "value"]].sum()
        pd.testing.assert_frame_equal(summed.sort_index(), by_ch[["conversions", "value"]].sort_index())
