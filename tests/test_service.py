"""Social customer care: hand-worked response/resolution metrics, censoring, savings, engines and
a planted-truth simulation (tests/service_sim.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import roi_kit as rk
from roi_kit.errors import ConfigError, InputError, MissingColumnError

T = pd.to_datetime


def five_cases() -> pd.DataFrame:
    """Answers after 10, 20, 30 and 40 minutes; case e (opened 09:15) is still unanswered at the
    data end 09:40, so it is censored at 25 minutes.

    Kaplan–Meier by hand: t=10: 5 at risk → 4/5 = 0.8; t=20: 4 at risk → 0.6; t=25: censored;
    t=30: 2 at risk → 0.3 ≤ 1/2, so the median is 30 minutes. Dropping the unanswered case would
    give the median of (10, 20, 30, 40) = 20 minutes instead.
    """
    return pd.DataFrame({
        "interaction_id": list("abcde"), "platform": ["x", "x", "facebook", "facebook", "x"],
        "opened_at": T(["2024-01-01 09:00"] * 4 + ["2024-01-01 09:15"]),
        "first_response_at": T(["2024-01-01 09:10", "2024-01-01 09:20", "2024-01-01 09:30",
                                "2024-01-01 09:40", None]),
        "resolved_at": T(["2024-01-01 09:30", None, "2024-01-01 09:40", None, None]),
        "replaced_channel": ["phone", "phone", "email", "email", None],
    })


def test_first_response_median_censors_unanswered_cases() -> None:
    m = rk.service_metrics(five_cases())
    assert m.as_of == pd.Timestamp("2024-01-01 09:40")
    assert m.value("first_response_hours") == pytest.approx(0.5)
    km = m.curves[("first_response", "all")]
    assert km.time.tolist() == [10, 20, 25, 30, 40]
    assert km.survival.tolist() == pytest.approx([0.8, 0.6, 0.6, 0.3, 0.0])


def test_share_answered_within_hours_from_the_curve() -> None:
    m = rk.service_metrics(five_cases())
    # 1 − S(20 min) = 0.4 within a third of an hour; 1 − S(40) = 1.0 within 40 minutes
    assert m.share_within(20 / 60)[0] == pytest.approx(0.4)  # type: ignore[index]
    assert m.share_within(40 / 60)[0] == pytest.approx(1.0)  # type: ignore[index]
    assert m.share_within(2) == (1.0, 1.0, 1.0)  # everyone answered: defined after the last time
    # resolution: S(40 min) = 1/2 with cases still open, so 2 hours lies beyond the data end
    assert m.share_within(2, curve="resolution") is None
    assert m.share_within(0.25, curve="resolution") == (0.0, 0.0, 0.0)
    lo, hi = m.curves[("first_response", "all")].ci_low[1], m.curves[("first_response", "all")].ci_high[1]
    assert m.share_within(20 / 60)[1:] == pytest.approx((1 - hi, 1 - lo))  # type: ignore[index]


def test_rates_carry_wilson_intervals() -> None:
    t = rk.service_metrics(five_cases()).to_frame().set_index("metric")
    ref = stats.binomtest(4, 5).proportion_ci(method="wilson")
    assert t.loc["response_rate", "value"] == 0.8
    assert (t.loc["response_rate", "ci_low"], t.loc["response_rate", "ci_high"]) == pytest.approx(
        (ref.low, ref.high))
    ref = stats.binomtest(2, 5).proportion_ci(method="wilson")
    assert t.loc["resolution_rate", "value"] == 0.4
    assert t.loc["resolution_rate", "ci_low"] == pytest.approx(ref.low)


def test_median_not_reached_is_said_in_words() -> None:
    m = rk.service_metrics(five_cases(), as_of="2024-01-01 09:35")
    # by 09:35 only a is resolved (30 min); the others are censored: S(30) = 3/4, never 1/2
    assert m.value("resolution_hours") is None
    row = m.to_frame().set_index("metric").loc["resolution_hours"]
    assert np.isnan(row["value"]) and "fewer than half of the 5 cases" in row["note"]
    text = m.summary()
    assert "median resolution time not reached" in text
    assert "nan" not in text.lower() and "inf" not in text


def test_by_platform_gives_each_group_and_the_whole() -> None:
    m = rk.service_metrics(five_cases(), by="platform")
    assert m.value("response_rate", group="facebook") == 1.0
    assert m.value("response_rate", group="x") == pytest.approx(2 / 3)
    assert m.value("response_rate") == 0.8
    # facebook: answers at 30 and 40 min, 2 at risk → S(30) = 0.5 → median 30 minutes
    assert m.value("first_response_hours", group="facebook") == pytest.approx(0.5)
    assert "platform = facebook" in m.summary()
    with pytest.raises(ConfigError, match="Groups: facebook, x, all"):
        m.value("cases", group="linkedin")


def test_same_numbers_in_every_engine(to_engine: Callable[[pd.DataFrame], Any]) -> None:
    m = rk.service_metrics(to_engine(five_cases()), by="platform",
                           cost_per_case={"phone": 6.0, "email": 4.0, "social": 1.0})
    ref = rk.service_metrics(five_cases(), by="platform",
                             cost_per_case={"phone": 6.0, "email": 4.0, "social": 1.0})
    pd.testing.assert_frame_equal(m.to_frame(), ref.to_frame())


def test_time_zones_are_compared_in_utc() -> None:
    naive = five_cases()
    aware = naive.copy()
    for col in ("opened_at", "first_response_at", "resolved_at"):
        aware[col] = aware[col].dt.tz_localize("UTC").dt.tz_convert("Europe/Berlin")
    pd.testing.assert_frame_equal(rk.service_metrics(aware).to_frame(),
                                  rk.service_metrics(naive).to_frame())


def test_exported_minutes_stand_in_for_timestamps() -> None:
    cases = pd.DataFrame({"interaction_id": ["a", "b", "c"], "platform": ["x"] * 3,
                          "opened_at": T(["2024-01-01 09:00"] * 3),
                          "first_response_minutes": [15.0, 45.0, None],
                          "resolution_minutes": [60.0, None, None]})
    m = rk.service_metrics(cases, as_of="2024-01-01 12:00")
    assert m.value("response_rate") == pytest.approx(2 / 3)
    assert m.value("first_response_hours") == pytest.approx(0.75)  # S(15)=2/3, S(45)=1/3
    assert m.value("resolution_rate") == pytest.approx(1 / 3)


def test_resolved_flag_overrides_the_timestamp() -> None:
    cases = five_cases().assign(resolved=pd.array([False, True, True, None, None], dtype="boolean"))
    m = rk.service_metrics(cases)
    # a: flagged unresolved despite its time; b: resolved without a time; c: resolved at 40 min
    assert m.value("resolution_rate") == 0.4
    assert "1 resolved case(s) have no resolution time" in m.summary()
    assert m.curves[("resolution", "all")].events.sum() == 1


def test_as_of_cuts_later_answers_and_cases() -> None:
    m = rk.service_metrics(five_cases(), as_of="2024-01-01 09:25")
    # e (opened 09:15) is in; answers at 09:10 and 09:20 happened, the others not yet
    assert m.value("cases") == 5
    assert m.value("response_rate") == 0.4
    m = rk.service_metrics(five_cases(), as_of="2024-01-01 09:05")
    assert m.value("cases") == 4


def test_answer_before_opening_is_left_out_and_noted() -> None:
    cases = five_cases()
    cases.loc[0, "first_response_at"] = T("2024-01-01 08:00")
    m = rk.service_metrics(cases)
    assert "1 case(s) have a first response dated before the case was opened" in m.summary()
    assert m.curves[("first_response", "all")].at_risk[0] == 4


def test_missing_columns_and_bad_options_raise() -> None:
    with pytest.raises(MissingColumnError, match="opened_at"):
        rk.service_metrics(pd.DataFrame({"interaction_id": ["a"], "platform": ["x"]}))
    with pytest.raises(MissingColumnError, match="'region'"):
        rk.service_metrics(five_cases(), by="region")
    with pytest.raises(ConfigError, match=r"conf_level=1\.5"):
        rk.service_metrics(five_cases(), conf_level=1.5)
    with pytest.raises(InputError, match="not a date/datetime"):
        rk.service_metrics(five_cases().assign(opened_at="2024-01-01"))
    with pytest.raises(InputError, match=r"cost_per_case\['phone'\]=-1"):
        rk.service_metrics(five_cases(), cost_per_case={"phone": -1})


# --- savings ------------------------------------------------------------------------------------


def test_savings_by_hand_with_typed_costs() -> None:
    m = rk.service_metrics(five_cases(), cost_per_case={"Phone": 6.0, "email": 4.0, "social": 1.5})
    # resolved: a (phone) and c (email) → 1 × (6 − 1.5) + 1 × (4 − 1.5) = 7.0
    assert m.savings.total == 7.0
    assert m.savings_frame()[["replaced_channel", "handled", "savings"]].values.tolist() == [
        ["email", 1, 2.5], ["phone", 1, 4.5]]
    assert "Service-cost savings: USD 7.00" in m.summary()
    assert m.revenue_estimate()[:3] == (7.0, None, None)


def test_social_cost_per_case_from_the_ledger_care_lines() -> None:
    ledger = pd.DataFrame({
        "date": T(["2024-01-01"] * 4), "category": ["service", "staff", "staff", "ads"],
        "amount": [2.0, 8.0, 100.0, 50.0], "campaign": [None, "Customer care", "launch", None]})
    m = rk.service_metrics(five_cases(), ledger=ledger, cost_per_case={"phone": 6.0, "email": 4.0})
    # care cost = 2 (service) + 8 (staff on customer care) = 10 over 5 cases → 2.0 per case
    assert m.savings.social_cost_per_case == 2.0
    assert m.savings.total == (6.0 - 2.0) + (4.0 - 2.0)
    assert "cost ledger care lines (2024-01)" in m.savings.social_cost_source


@pytest.mark.parametrize(("cases", "kwargs", "words"), [
    (five_cases().drop(columns="replaced_channel"), {"cost_per_case": {"phone": 1, "social": 0}},
     "no replaced_channel column"),
    (five_cases(), {"cost_per_case": {"phone": 6.0}}, "cost per case on social is unknown"),
    (five_cases(), {"cost_per_case": {"social": 1.0}}, "no cost per case for the replaced channels"),
    (five_cases(), {"ledger": pd.DataFrame({"date": T(["2024-01-01"]), "category": ["ads"],
                                            "amount": [5.0]}), "cost_per_case": {"phone": 6.0}},
     "the ledger has no service lines"),
])
def test_undefined_savings_are_explained(cases: pd.DataFrame, kwargs: dict[str, Any], words: str) -> None:
    m = rk.service_metrics(cases, **kwargs)
    assert m.savings.total is None
    assert words in m.summary()
    assert np.isnan(m.to_frame().set_index("metric").loc["service_cost_savings", "value"])
    with pytest.raises(InputError, match="Service-cost savings are undefined"):
        rk.roi(revenue=m, cost=10)


def test_partly_priced_channels_and_negative_savings_are_said() -> None:
    m = rk.service_metrics(five_cases(), cost_per_case={"phone": 1.0, "social": 3.0})
    assert m.savings.total == -2.0
    text = m.summary()
    assert "Negative savings" in text and "leave out cases that replaced email" in text


def test_savings_feed_roi() -> None:
    m = rk.service_metrics(five_cases(), cost_per_case={"phone": 6.0, "email": 4.0, "social": 1.0})
    r = rk.roi(revenue=m, cost=4.0)
    assert r.roi_pct == 100.0
    assert r.revenue_source.startswith("service-cost savings: 2 cases handled on social")


def test_chart_has_one_panel_per_curve() -> None:
    spec = rk.service_metrics(five_cases(), by="platform").chart().to_dict()
    assert spec["facet"]["column"]["field"] == "curve"
    rows = next(iter(spec["datasets"].values()))
    assert {r["curve"] for r in rows} == {"Waiting for a first response", "Waiting for a resolution"}
    assert "<h4>ServiceMetrics</h4>" in rk.service_metrics(five_cases())._repr_html_()


# --- planted truth -----------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [3, 11])
def test_simulated_truth_lies_inside_the_intervals(seed: int) -> None:
    from tests.service_sim import simulate, truth

    print(f"seed={seed}")
    cases, end = simulate(seed)
    t = rk.service_metrics(cases, as_of=end).to_frame().set_index("metric")
    for metric, value in truth().items():
        lo, hi = t.loc[metric, "ci_low"], t.loc[metric, "ci_high"]
        assert lo <= value <= hi, (metric, lo, value, hi)
        assert hi - lo < 0.15 * value, metric  # 3,000 cases: tight enough to be a real check
