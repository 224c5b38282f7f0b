"""Funnel: strict vs loose on hand-made journeys, windows, medians, splits, aggregates, presets,
a per-user reference implementation, engines and invariants."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roi_kit.errors import ConfigError, MissingColumnError
from roi_kit.funnel import funnel
from roi_kit.funnel_presets import FUNNEL_PRESETS, FunnelStage, resolve_stages
from tests.budget import examples

STAGES = ["visit", "lead", "won"]


def _events() -> pd.DataFrame:
    rows = [
        # u1: visit → lead (+1 day) → won (+3 days): converts everywhere
        ("u1", "2024-01-01 00:00", "visit", "linkedin", False),
        ("u1", "2024-01-02 00:00", "lead", "linkedin", False),
        ("u1", "2024-01-04 00:00", "won", "linkedin", False),
        # u2: won before lead: strict stops at lead, loose counts won
        ("u2", "2024-01-01 00:00", "visit", "x", True),
        ("u2", "2024-01-03 00:00", "won", "x", True),
        ("u2", "2024-01-05 00:00", "lead", "x", True),
        # u3: lead 40 days after the visit: only without a 30-day window
        ("u3", "2024-01-01 00:00", "visit", "linkedin", True),
        ("u3", "2024-02-10 00:00", "lead", "linkedin", True),
        # u4: lead before the visit, never after: reaches only the entry stage
        ("u4", "2024-01-02 00:00", "lead", "x", False),
        ("u4", "2024-01-03 00:00", "visit", "x", False),
        # u5: no visit at all: never enters
        ("u5", "2024-01-03 00:00", "lead", "x", False),
        # u6: two visits; entry is the first; platform from the entry event
        ("u6", "2024-01-01 12:00", "visit", "linkedin", False),
        ("u6", "2024-01-06 12:00", "visit", "x", True),
        ("u6", "2024-01-07 12:00", "lead", "x", True),
        ("u6", "2024-01-07 12:00", "other", "x", True),
    ]
    return pd.DataFrame(rows, columns=["user_id", "timestamp", "event", "platform", "paid"]).assign(
        timestamp=lambda d: pd.to_datetime(d["timestamp"]))


def _users(result) -> list[int]:
    return result.to_frame()["users"].tolist()


def test_strict_hand_worked_every_engine(to_engine) -> None:
    # entered: u1 u2 u3 u4 u6; lead after entry: u1 u2 u3 u6; won after lead: u1
    assert _users(funnel(to_engine(_events()), stages=STAGES)) == [5, 4, 1]


def test_strict_loose_and_window_counts() -> None:
    ev = _events()
    # strict, no window: lead after entry: u1, u2, u3, u6 = 4; won after lead: u1 = 1
    assert _users(funnel(ev, stages=STAGES)) == [5, 4, 1]
    # loose: lead any time after entry: u1 u2 u3 u6 = 4; won any time after entry (and lead): u1 u2
    assert _users(funnel(ev, stages=STAGES, ordering="loose")) == [5, 4, 2]
    # 30-day window drops u3's lead (40 days)
    assert _users(funnel(ev, stages=STAGES, window_days=30)) == [5, 3, 1]
    # 2-day window: u1 won at +3 days is out, u6 lead at +6 days is out
    assert _users(funnel(ev, stages=STAGES, window_days=2, ordering="loose")) == [5, 1, 0]


def test_rates_drop_off_and_medians_hand_worked() -> None:
    t = funnel(_events(), stages=STAGES).to_frame()
    assert t["step_conversion"].tolist() == pytest.approx([1.0, 4 / 5, 1 / 4])
    assert t["overall_conversion"].tolist() == pytest.approx([1.0, 4 / 5, 1 / 5])
    assert t["drop_off"].tolist() == [0, 1, 3]
    assert t["drop_off_rate"].tolist() == pytest.approx([0.0, 0.2, 0.75])
    # hours visit → lead: u1 24, u2 96, u3 960, u6 144 → median (96 + 144) / 2 = 120
    assert t["median_hours_from_previous"].tolist()[1] == pytest.approx(120.0)
    # lead → won: u1 48 h; entry → won: u1 72 h
    assert t["median_hours_from_previous"].tolist()[2] == pytest.approx(48.0)
    assert t["median_hours_from_entry"].tolist()[2] == pytest.approx(72.0)
    assert t["kind"].tolist() == ["micro", "micro", "macro"]


def test_identical_on_every_engine(to_engine) -> None:
    for kwargs in ({}, {"ordering": "loose", "window_days": 30}, {"by": ["platform", "paid"]}):
        expected = funnel(_events(), stages=STAGES, **kwargs).to_frame()
        got = funnel(to_engine(_events()), stages=STAGES, **kwargs).to_frame()
        pd.testing.assert_frame_equal(got, expected)


def test_split_uses_entry_event_and_labels_paid() -> None:
    t = funnel(_events(), stages=STAGES, by="paid").to_frame()
    assert sorted(set(t["paid"])) == ["organic", "paid"]
    entered = t[t["step"] == 1].set_index("paid")["users"].to_dict()
    # entry events: u1 organic, u2 paid, u3 paid, u4 organic, u6 organic (first visit)
    assert entered == {"organic": 3, "paid": 2}
    by_platform = funnel(_events(), stages=STAGES, by="platform")
    assert by_platform.conversion("lead", platform="linkedin") == pytest.approx(3 / 3)
    assert by_platform.conversion(platform="x") == pytest.approx(0.0)


def test_wilson_interval_on_step_conversion() -> None:
    from scipy import stats

    t = funnel(_events(), stages=STAGES).to_frame()
    ref = stats.binomtest(4, 5).proportion_ci(method="wilson")
    assert (t.loc[1, "step_ci_low"], t.loc[1, "step_ci_high"]) == pytest.approx((ref.low, ref.high))
    assert np.isnan(t.loc[0, "step_ci_low"])
    ref = stats.binomtest(1, 5).proportion_ci(method="wilson")  # 'won': 1 of the 5 entrants
    assert (t.loc[2, "overall_ci_low"], t.loc[2, "overall_ci_high"]) == pytest.approx((ref.low, ref.high))
    assert np.isnan(t.loc[0, "overall_ci_low"])


def _reference(ev: pd.DataFrame, stages: list[str], window: float | None,
               ordering: str) -> list[int]:
    """Per-user loop, written independently of the engine code."""
    counts = [0] * len(stages)
    for _, g in ev.groupby("user_id"):
        times = {s: sorted(g.loc[g["event"] == s, "timestamp"]) for s in stages}
        if not times[stages[0]]:
            continue
        entry = times[stages[0]][0]
        end = entry + pd.Timedelta(days=window) if window is not None else pd.Timestamp.max
        counts[0] += 1
        t = entry
        for k, s in enumerate(stages[1:], start=1):
            low = t if ordering == "strict" else entry
            ok = [x for x in times[s] if low <= x <= end]
            if not ok:
                break
            t = ok[0]
            counts[k] += 1
    return counts


def _random_events(seed: int, n: int = 3000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "user_id": rng.integers(0, 400, n).astype(str),
        "timestamp": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 60 * 24, n), unit="h"),
        "event": rng.choice(["visit", "lead", "mql", "won", "noise"], n, p=[0.4, 0.25, 0.15, 0.1, 0.1]),
    })


@pytest.mark.parametrize("ordering", ["strict", "loose"])
@pytest.mark.parametrize("window", [None, 7.0])
def test_matches_per_user_reference(ordering: str, window: float | None) -> None:
    seed = 20240601
    ev = _random_events(seed)
    stages = ["visit", "lead", "mql", "won"]
    got = _users(funnel(ev, stages=stages, window_days=window, ordering=ordering))  # type: ignore[arg-type]
    assert got == _reference(ev, stages, window, ordering), f"seed={seed}"


def test_aggregates_input_and_notes(to_engine) -> None:
    agg = pd.DataFrame({"platform": ["x", "x", "x", "li", "li", "li", "li"],
                        "stage": ["visit", "lead", "won", "visit", "Lead", "won", "impression"],
                        "count": [100, 20, 25, 50, 10, 5, 9999]})
    f = funnel(to_engine(agg), stages=STAGES, by="platform")
    t = f.to_frame()
    assert t["users"].tolist() == [50, 10, 5, 100, 20, 25]
    assert t["step_conversion"].tolist()[-1] == pytest.approx(1.25)
    assert "more users than at 'lead'" in t["reason"].tolist()[-1]
    assert any("impression" in n for n in f.notes)
    assert t["median_hours_from_previous"].isna().all()


def test_zero_users_reason_and_summary_words() -> None:
    agg = pd.DataFrame({"stage": ["visit", "lead", "won"], "count": [10, 0, 0]})
    t = funnel(agg, stages=STAGES).to_frame()
    assert np.isnan(t.loc[2, "step_conversion"])
    assert t.loc[2, "reason"] == "step conversion is undefined: no users reached 'lead'."
    text = funnel(_events(), stages=STAGES, window_days=30).summary()
    assert "30-day window from the first 'visit'" in text
    # 1 of 5: Wilson 95% interval 3.6% to 62.4% (scipy's binomtest gives the same, below)
    assert "5 users at 'visit'; 1 users (20.0%, 95% Wilson interval 3.6% to 62.4%) reached 'won'" in text
    assert "nan" not in text.lower()


def test_presets_cover_the_business_models() -> None:
    assert set(FUNNEL_PRESETS) == {"dtc", "saas", "car_dealership", "brick_and_mortar",
                                   "awareness_to_purchase"}
    assert FUNNEL_PRESETS["saas"].stage_names[1:] == ("lead", "mql", "sql", "demo", "trial", "won")
    assert FUNNEL_PRESETS["dtc"].stage_names == ("session", "product_view", "add_to_cart",
                                                 "checkout", "order")
    assert [s.phase for s in FUNNEL_PRESETS["awareness_to_purchase"].stages] == [
        "awareness", "interest", "evaluation", "purchase"]
    assert any(s.offline for s in FUNNEL_PRESETS["brick_and_mortar"].stages)
    for preset in FUNNEL_PRESETS.values():
        assert preset.stages[-1].kind == "macro"


def test_preset_aliases_count_for_their_stage() -> None:
    ev = pd.DataFrame({"user_id": ["a", "a", "a"], "event": ["page_view", "view_item", "purchase"],
                       "timestamp": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03"])})
    # add_to_cart and checkout are not in the log: the preset skips them (issue 18)
    dtc = funnel(ev, stages="dtc")
    assert _users(dtc) == [1, 1, 1]
    assert dtc.to_frame()["stage"].tolist() == ["session", "product_view", "order"]
    generic = funnel(ev.assign(event=["impression", "like", "order"]), stages="awareness_to_purchase")
    assert _users(generic) == [1, 1, 1]
    assert "evaluation" in generic.summary() and "skipped" in generic.summary()


def test_stage_specs_and_errors() -> None:
    assert [s.events for s in resolve_stages({"a": ["x"], "b": ["y", "z"]})] == [("x",), ("y", "z")]
    with pytest.raises(ConfigError, match="not a preset"):
        funnel(_events(), stages="shop")
    with pytest.raises(ConfigError, match="at least two stages"):
        funnel(_events(), stages=["visit"])
    with pytest.raises(ConfigError, match="belongs to two stages"):
        resolve_stages([FunnelStage("a", events=("x",)), FunnelStage("b", events=("x",))])
    with pytest.raises(ConfigError, match="ordering='any'"):
        funnel(_events(), stages=STAGES, ordering="any")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="window_days"):
        funnel(_events(), stages=STAGES, window_days=0)
    with pytest.raises(MissingColumnError, match="user_id, timestamp and event"):
        funnel(pd.DataFrame({"a": [1]}), stages=STAGES)
    with pytest.raises(MissingColumnError, match="channel"):
        funnel(_events(), stages=STAGES, by="channel")


def test_caller_frame_not_mutated_and_chart() -> None:
    ev = _events()
    before = ev.copy()
    f = funnel(ev, stages=STAGES, by="paid")
    pd.testing.assert_frame_equal(ev, before)
    spec = f.chart().to_dict()
    assert spec["layer"][0]["mark"]["type"] == "bar"
    assert "yOffset" in spec["layer"][0]["encoding"]


@settings(max_examples=examples(40), deadline=None)
@given(st.integers(0, 2**31 - 1), st.sampled_from(["strict", "loose"]),
       st.sampled_from([None, 1.0, 10.0]))
def test_step_counts_never_increase(seed: int, ordering: str, window: float | None) -> None:
    ev = pl.from_pandas(_random_events(seed, n=300))  # polars: fast enough for many examples
    users = _users(funnel(ev, stages=["visit", "lead", "mql", "won"], ordering=ordering,  # type: ignore[arg-type]
                          window_days=window))
    assert all(a >= b for a, b in itertools.pairwise(users)), f"seed={seed}"
    strict = _users(funnel(ev, stages=["visit", "lead", "mql", "won"], window_days=window))
    loose = _users(funnel(ev, stages=["visit", "lead", "mql", "won"], window_days=window,
                          ordering="loose"))
    assert all(s <= lo for s, lo in zip(strict, loose))


def test_sample_data_funnel_by_paid() -> None:
    import roi_kit as rk

    seed = 5
    data = rk.datasets.generate(seed=seed, n_customers=600, business="saas")
    f = funnel(data.funnel_events, stages="saas", by="paid", window_days=180)
    t = f.to_frame()
    assert set(t["paid"]) <= {"paid", "organic"}, f"seed={seed}"
    for _, group in t.groupby("paid"):
        users = group["users"].tolist()
        assert users[0] > 0 and all(a >= b for a, b in itertools.pairwise(users))
    dtc = rk.datasets.generate(seed=seed, n_customers=300, business="dtc")
    assert funnel(dtc.funnel_events, stages="dtc").to_frame()["users"].iloc[0] > 0


def test_awareness_funnel_counts_impressions_from_posts_and_says_so() -> None:
    events = pd.DataFrame({"user_id": ["a", "a", "a", "b", "c"],
                           "event": ["visit", "demo", "won", "visit", "visit"],
                           "timestamp": pd.to_datetime(["2025-01-02", "2025-01-04", "2025-01-09",
                                                        "2025-01-03", "2025-01-05"])})
    posts = pd.DataFrame({"post_id": ["p1", "p2", "p3"], "impressions": [600, 400, 99],
                          "published_at": pd.to_datetime(["2025-01-02", "2025-01-09",
                                                          "2024-12-01"])})
    f = funnel(events, stages="awareness_to_purchase", posts=posts)
    t = f.to_frame()
    assert t["users"].tolist() == [1000, 3, 1, 1]   # p3 is outside 2 to 9 January
    assert t["unit"].tolist() == ["impressions", "users", "users", "users"]
    text = f.summary()
    assert "1,000 impressions at 'awareness'; 1 users (1.00 per 1,000 impressions; No interval:" in text
    # 2 of 3 lost: 1 − Wilson(1 of 3) = 20.8% to 93.9%
    assert ("Largest drop-off: 'interest' → 'evaluation', 66.7% lost (2 users; 95% Wilson interval "
            "20.8% to 93.9% lost)") in text
    assert "not a conversion probability" in text
    # without posts the awareness stage is empty, and the summary says where it comes from
    assert "pass posts=" in funnel(events, stages="awareness_to_purchase").summary()


def test_aggregates_name_their_unit() -> None:
    agg = pd.DataFrame({"stage": ["session", "order"], "count": [200, 10],
                        "unit": ["sessions", "sessions"]})
    f = funnel(agg, stages=["session", "order"])
    # Wilson 95% for 10 of 200: 2.74% to 8.96%
    assert ("200 sessions at 'session'; 10 sessions (5.0%, 95% Wilson interval 2.7% to 9.0%) "
            "reached 'order'") in f.summary()
    bare = funnel(agg.drop(columns="unit"), stages=["session", "order"]).summary()
    assert "200 counted at 'session'" in bare and "no unit column" in bare


@pytest.mark.parametrize("name", ["saas", "dtc"])
def test_awareness_to_purchase_is_not_empty_on_the_samples(name: str) -> None:
    import roi_kit as rk

    s = rk.datasets.load_sample(name)  # type: ignore[arg-type]
    t = funnel(s.funnel_events, stages="awareness_to_purchase", posts=s.posts).to_frame()
    assert (t["users"] > 0).all()
    # the purchases are the won new deals
    d = s.deals
    assert t["users"].iloc[-1] == ((d["kind"] == "new") & (d["status"] == "won")).sum()
