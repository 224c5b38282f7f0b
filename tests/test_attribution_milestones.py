"""CRM milestone models (U-, W-shaped, full path, J, inverse J, custom): hand-worked examples,
milestones from CRM tables on every engine, clear errors, and the conservation / equivariance
invariants (hypothesis)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import roi_kit as rk
from roi_kit.attribution.milestones import MILESTONE_WEIGHTS, touch_weights
from roi_kit.errors import ConfigError, InputError
from tests.budget import examples


def _credits(paths: Any, model: str, **kw: Any) -> dict[str, tuple[float, float]]:
    t = rk.attribute(paths, model=model, **kw).to_frame()
    return {c: (round(v, 9), round(w, 6)) for c, v, w in zip(t.channel, t.conversions, t.value)}


def _one(path: str, model: str, **touches: int | None) -> list[float]:
    """Shares of the touches A, B, C, ... of one converting journey (each channel appears once)."""
    table = pd.DataFrame({"path": [path], "conversions": [1], "value": [100.0],
                          **{f"{k}_touch": [v] for k, v in touches.items()}})
    got = _credits(table, model)
    return [got[c][0] for c in path.split(" > ")]


# ------------------------------------------------------------------------- hand-worked shares
def test_w_shaped_hand_worked() -> None:
    # 5 touches, lead on touch 2, deal on touch 4: key touches 30 % each, C and E share 10 %
    assert _one("A > B > C > D > E", "w_shaped", lead=2, deal=4) == pytest.approx(
        [0.3, 0.3, 0.05, 0.3, 0.05])


def test_w_shaped_roles_on_the_same_touch_add_up() -> None:
    # lead created on the first touch: A holds first + lead = 60 %, C deal 30 %, B between 10 %
    assert _one("A > B > C", "w_shaped", lead=1, deal=3) == pytest.approx([0.6, 0.1, 0.3])
    # lead and deal on the same touch B: B 60 %, A 30 %, C the only touch between: 10 %
    assert _one("A > B > C", "w_shaped", lead=2, deal=2) == pytest.approx([0.3, 0.6, 0.1])


def test_u_shaped_one_and_two_touches() -> None:
    # two touches, lead on the second: no touch between -> 40 : 40 = 50/50
    assert _one("A > B", "u_shaped", lead=2) == pytest.approx([0.5, 0.5])
    # lead on the first touch: A 80 %, B is between: 20 %
    assert _one("A > B", "u_shaped", lead=1) == pytest.approx([0.8, 0.2])
    assert _one("A", "u_shaped", lead=1) == pytest.approx([1.0])
    # four touches, lead on touch 3: A .4, B .1, C .4, D .1
    assert _one("A > B > C > D", "u_shaped", lead=3) == pytest.approx([0.4, 0.1, 0.4, 0.1])


def test_full_path_hand_worked() -> None:
    # six touches, lead 2, deal 4, won 6: 22.5 % x 4 on B, D, F and A; C and E 5 % each
    assert _one("A > B > C > D > E > F", "full_path", lead=2, deal=4, won=6) == pytest.approx(
        [0.225, 0.225, 0.05, 0.225, 0.05, 0.225])
    # four touches, each a key touch: nothing between -> 0.225 / 0.9 = 25 % each
    assert _one("A > B > C > D", "full_path", lead=2, deal=3, won=4) == pytest.approx([0.25] * 4)


def test_j_shaped_and_inverse_j_need_no_milestones() -> None:
    assert _one("A > B > C > D", "j_shaped") == pytest.approx([0.2, 0.1, 0.1, 0.6])
    assert _one("A > B > C > D", "inverse_j") == pytest.approx([0.6, 0.1, 0.1, 0.2])
    # two touches: 20 : 60 -> 25 % / 75 %; one touch gets everything
    assert _one("A > B", "j_shaped") == pytest.approx([0.25, 0.75])
    assert _one("A", "inverse_j") == pytest.approx([1.0])


def test_custom_weights_hand_worked() -> None:
    table = pd.DataFrame({"path": ["A > B > C"], "conversions": [2], "value": [50.0],
                          "deal_touch": [2]})
    got = _credits(table, "custom", milestone_weights=rk.MilestoneWeights(first=0.5, deal=0.5))
    # C holds no key role and between has no share: C gets nothing
    assert got == {"A": (1.0, 25.0), "B": (1.0, 25.0), "C": (0.0, 0.0)}


def test_journey_without_its_milestone_scales_the_other_shares() -> None:
    table = pd.DataFrame({"path": ["A > B > C", "B > C"], "conversions": [1, 1],
                          "value": [100.0, 60.0], "lead_touch": [2, None]})
    res = rk.attribute(table, model="u_shaped")
    # row 1: A .4, B .4, C .2; row 2 (no lead): B first .4, C between .2 -> 2/3, 1/3
    got = {c: v for c, v in zip(res.to_frame().channel, res.to_frame().value)}
    assert got == pytest.approx({"A": 40.0, "B": 40.0 + 40.0, "C": 20.0 + 20.0})
    assert any("1 of 2 converting journeys have no lead creation touch" in n for n in res.notes)


def test_touch_weights_vectorised_matches_hand_worked() -> None:
    # three journeys at once: W-shaped 4 touches lead 2 deal 3; 1 touch; 2 touches lead=deal=2
    pos = np.array([0, 1, 2, 3, 0, 0, 1])
    n = np.array([4, 4, 4, 4, 1, 2, 2])
    lead = np.array([1, 1, 1, 1, 0, 1, 1])
    deal = np.array([2, 2, 2, 2, -1, 1, 1])
    w = touch_weights(MILESTONE_WEIGHTS["w_shaped"], pos=pos, n=n, lead=lead, deal=deal,
                      won=np.full(7, -1))
    assert w.tolist() == pytest.approx([0.3, 0.3, 0.3, 0.1, 1.0, 0.3 / 0.9, 0.6 / 0.9])


# ------------------------------------------------------------------- milestones from CRM tables
TOUCHES = pd.DataFrame({
    "user_id": ["u1"] * 4 + ["u2"] * 2 + ["u3"] * 4,
    "timestamp": pd.to_datetime(["2024-01-01", "2024-01-05", "2024-01-09", "2024-01-12",
                                 "2024-01-03", "2024-01-04",
                                 "2024-01-01", "2024-01-02", "2024-01-05", "2024-01-06"]),
    "channel": ["A", "B", "C", "D", "E", "F", "A", "B", "C", "D"],
    "converted": [0, 0, 0, 1, 0, 1, 0, 1, 0, 1],
    "conversion_value": [0, 0, 0, 100.0, 0, 40.0, 0, 10.0, 0, 20.0]})
DEALS = pd.DataFrame({
    "customer_id": ["u1", "u2", "u3", "u3"], "status": ["won", "won", "won", "lost"],
    "created_at": pd.to_datetime(["2024-01-10", "2024-01-04", "2024-01-03", "2024-01-06"]),
    "closed_at": pd.to_datetime(["2024-01-12", "2024-01-04", "2024-01-04", "2024-01-07"])})
LEADS = pd.DataFrame({"customer_id": ["u1", "u2"],
                      "created_at": pd.to_datetime(["2024-01-06", "2023-12-31"])})


def test_crm_milestones_earliest_per_customer() -> None:
    ms = rk.crm_milestones(DEALS, leads=LEADS).set_index("user_id")
    assert ms.loc["u3", "deal_at"] == pd.Timestamp("2024-01-03")  # the earlier of two deals
    assert ms.loc["u3", "won_at"] == pd.Timestamp("2024-01-04")  # the lost deal does not count
    assert pd.isna(ms.loc["u3", "lead_at"])


def test_w_shaped_from_crm_tables_hand_worked(to_engine: Callable[[pd.DataFrame], Any]) -> None:
    ms = rk.crm_milestones(DEALS, leads=LEADS)
    res = rk.attribute(to_engine(TOUCHES), model="w_shaped", channel="channel", milestones=ms)
    got = dict(zip(res.to_frame().channel, res.to_frame().value))
    # u1 (100): lead Jan 6 -> B (last touch at or before), deal Jan 10 -> C; A .3 B .3 C .3 D .1
    # u2 (40): lead Dec 31 is before its first touch -> no lead touch; deal Jan 4 -> F
    #          first E .3, deal F .3, nothing between -> 50/50
    # u3 journey 1 (A > B, 10): deal Jan 3 falls in it -> B; no lead; A .3, B .3 -> 50/50
    # u3 journey 2 (C > D, 20): its deal was in journey 1; first C .3, D between .1 -> 3/4, 1/4
    assert got == pytest.approx({"A": 30 + 5, "B": 30 + 5, "C": 30 + 15, "D": 10 + 5,
                                 "E": 20, "F": 20})
    assert res.to_frame()["conversions"].sum() == pytest.approx(4.0)
    assert any("3 of 4 converting journeys have no lead creation" in n for n in res.notes)


def test_compare_models_adds_milestone_models_when_the_data_has_them() -> None:
    ms = rk.crm_milestones(DEALS, leads=LEADS)
    cmp = rk.compare_models(TOUCHES, channel="channel", milestones=ms)
    assert {"u_shaped", "w_shaped", "full_path", "j_shaped", "inverse_j"} <= set(cmp.results)
    # without leads there is no lead creation anywhere: U, W and full path are left out
    no_leads = rk.compare_models(TOUCHES, channel="channel", milestones=rk.crm_milestones(DEALS))
    assert "w_shaped" not in no_leads.results and "j_shaped" in no_leads.results
    assert list(cmp.wide().columns)[-3:] == ["U-shaped", "W-shaped", "Full path"]


# ------------------------------------------------------------------------------ clear errors
def test_w_shaped_without_milestones_names_the_tables_needed() -> None:
    with pytest.raises(ConfigError, match=r"lead creation touch.*no CRM milestones(?s:.*)"
                       r"customer_id and created_at"):
        rk.attribute(TOUCHES, model="w_shaped", channel="channel")


def test_w_shaped_without_any_deal_creation_says_which_column() -> None:
    table = pd.DataFrame({"path": ["A > B"], "conversions": [1], "lead_touch": [2]})
    with pytest.raises(ConfigError, match=r"deal creation touch(?s:.*)deal_touch column"):
        rk.attribute(table, model="w_shaped")


def test_custom_needs_weights_and_weights_must_sum_to_one() -> None:
    with pytest.raises(ConfigError, match="needs milestone_weights"):
        rk.attribute(pd.DataFrame({"path": ["A"], "conversions": [1]}), model="custom")
    with pytest.raises(ConfigError, match=r"sum to 0\.9, not 1"):
        rk.MilestoneWeights(first=0.3, lead=0.3, deal=0.3)
    with pytest.raises(ConfigError, match="between must be a non-negative"):
        rk.MilestoneWeights(first=1.5, between=-0.5)


def test_touch_number_outside_the_path_is_an_input_error() -> None:
    table = pd.DataFrame({"path": ["A > B"], "conversions": [1], "lead_touch": [3]})
    with pytest.raises(InputError, match="lead_touch is 3 in row 0, whose path has 2 touches"):
        rk.attribute(table, model="u_shaped")


# ------------------------------------------------------------------------------- invariants
NAMES = ["c0", "c1", "c2", "c3", "c4"]
MODELS = ["u_shaped", "w_shaped", "full_path", "j_shaped", "inverse_j", "custom"]
CUSTOM = rk.MilestoneWeights(first=0.1, lead=0.2, deal=0.05, won=0.25, last=0.3, between=0.1)


@st.composite
def milestone_tables(draw: st.DrawFn) -> pd.DataFrame:
    rows = []
    for i in range(draw(st.integers(1, 8))):
        path = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=6))
        # the first row converts and has every milestone, so every model has data to use
        conv = draw(st.integers(1 if i == 0 else 0, 5))
        value = draw(st.floats(0, 1000, allow_nan=False)) if conv else 0.0
        touch = st.integers(1, len(path)) if i == 0 else st.one_of(st.none(), st.integers(1, len(path)))
        rows.append((" > ".join(path), conv, value, draw(st.integers(0, 3)), draw(touch),
                     draw(touch), draw(touch)))
    return pd.DataFrame(rows, columns=["path", "conversions", "value", "nulls", "lead_touch",
                                       "deal_touch", "won_touch"])


@pytest.mark.parametrize("model", MODELS)
@settings(max_examples=examples(40), deadline=None)
@given(table=milestone_tables())
def test_milestone_credits_sum_to_totals(model: str, table: pd.DataFrame) -> None:
    t = rk.attribute(table, model=model, milestone_weights=CUSTOM).to_frame()
    assert t["conversions"].sum() == pytest.approx(float(table.conversions.sum()), rel=1e-9)
    assert t["value"].sum() == pytest.approx(float(table.value.sum()), rel=1e-9, abs=1e-6)
    assert (t["conversions"] >= -1e-12).all()


@pytest.mark.parametrize("model", MODELS)
@settings(max_examples=examples(25), deadline=None)
@given(table=milestone_tables(), perm=st.permutations(NAMES))
def test_milestone_permuting_channel_names_permutes_credits(model: str, table: pd.DataFrame,
                                                            perm: list[str]) -> None:
    rename = dict(zip(NAMES, perm))
    renamed = table.assign(path=table.path.map(lambda p: " > ".join(rename[x] for x in p.split(" > "))))
    a = rk.attribute(table, model=model, milestone_weights=CUSTOM).to_frame().set_index("channel")
    b = rk.attribute(renamed, model=model, milestone_weights=CUSTOM).to_frame().set_index("channel")
    for name in a.index:
        assert b.loc[rename[name], "conversions"] == pytest.approx(a.loc[name, "conversions"], abs=1e-9)
        assert b.loc[rename[name], "value"] == pytest.approx(a.loc[name, "value"], abs=1e-6)


@settings(max_examples=examples(30), deadline=None)
@given(table=milestone_tables())
def test_u_shaped_with_lead_on_the_last_touch_is_position_based(table: pd.DataFrame) -> None:
    # an independent reference: lead created on the last touch makes U-shaped the 40/20/40 rule
    lengths = table.path.str.count(" > ") + 1
    t = table.assign(lead_touch=lengths.astype(float))
    u = rk.attribute(t, model="u_shaped").to_frame().set_index("channel")
    p = rk.attribute(t, model="position").to_frame().set_index("channel")
    pd.testing.assert_series_equal(u["value"].sort_index(), p["value"].sort_index(), atol=1e-6)


def test_milestones_match_touches_across_time_zones_and_units() -> None:
    import polars as pl

    ms = rk.crm_milestones(DEALS, leads=LEADS)
    base = rk.attribute(TOUCHES, model="w_shaped", channel="channel", milestones=ms).to_frame()
    # touches in Copenhagen time at microsecond precision, milestones naive (= UTC) or in New York
    tp = pl.from_pandas(TOUCHES).with_columns(
        pl.col("timestamp").cast(pl.Datetime("us")).dt.replace_time_zone("UTC")
        .dt.convert_time_zone("Europe/Copenhagen"))
    ny = ms.assign(**{c: ms[c].dt.tz_localize("UTC").dt.tz_convert("America/New_York")
                      for c in ("lead_at", "deal_at", "won_at")})
    for m in (ms, ny):
        got = rk.attribute(tp.lazy(), model="w_shaped", channel="channel", milestones=m).to_frame()
        pd.testing.assert_frame_equal(got, base)
