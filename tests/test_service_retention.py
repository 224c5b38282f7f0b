"""Do served complainers stay? Hand-worked Kaplan–Meier with a landmark, and a planted effect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.errors import ConfigError, EmptyDataError, MissingColumnError

T = pd.to_datetime


def tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """First cases on 2024-01-01, landmark 7 days → 2024-01-08, data end 2024-12-31 (358 days on).

    served:     c1 (resolved 01-02, churned 01-18 → day 10), c2 (resolved 01-05, stays → 358)
    not served: c3 (resolved 01-20, after the landmark; churned 01-28 → day 20),
                c5 (churned 02-07 → day 30), c6 (stays → 358)
    left out:   c4 (churned 01-03, before the landmark)
    """
    customers = pd.DataFrame({
        "customer_id": ["c1", "c2", "c3", "c4", "c5", "c6"],
        "acquired_at": T(["2023-01-01"] * 6),
        "churned_at": T(["2024-01-18", None, "2024-01-28", "2024-01-03", "2024-02-07", None]),
    })
    cases = pd.DataFrame({
        "interaction_id": [f"i{k}" for k in range(9)], "platform": ["x"] * 9,
        "customer_id": ["c1", "c2", "c3", "c4", "c5", "c6", "c1", None, "c9"],
        "opened_at": T(["2024-01-01"] * 6 + ["2024-03-01", "2024-01-01", "2024-01-01"]),
        "resolved_at": T(["2024-01-02", "2024-01-05", "2024-01-20", None, None, None, None, None,
                          "2024-01-02"]),
    })
    return customers, cases


def test_landmark_retention_by_hand() -> None:
    r = rk.service_retention(*tables(), horizons_days=(90,), as_of="2024-12-31")
    assert r.counts == {"served": 1 + 1, "not served": 3}
    assert r.curves["served"].time.tolist() == [10, 358]
    assert r.curves["not served"].survival.tolist() == pytest.approx([2 / 3, 1 / 3, 1 / 3])
    f = r.to_frame().set_index("group")
    assert f.loc["served", "value"] == 0.5
    assert f.loc["not served", "value"] == pytest.approx(1 / 3)
    # Greenwood: served se = 0.5·√(1/2), not served se = (1/3)·√(1/6 + 1/2)
    half = 1.959964 * np.sqrt(0.125 + (1 / 9) * (2 / 3))
    assert f.loc["difference", "value"] == pytest.approx(1 / 6)
    assert f.loc["difference", "ci_low"] == pytest.approx(1 / 6 - half, abs=1e-6)
    assert f.loc["difference", "ci_high"] == 1.0  # 1/6 + 0.87 clipped: shares differ by at most 1


def test_notes_count_what_was_left_out() -> None:
    text = rk.service_retention(*tables(), as_of="2024-12-31").summary()
    assert "1 case(s) have no customer_id" in text
    assert "1 complaining customer id(s) are not in customers" in text
    assert "1 customer(s) churned or left the data within 7 days" in text
    assert "Association, not proof of cause" in text
    assert "nan" not in text.lower()


def test_answered_criterion_and_no_comparison_in_words() -> None:
    customers, cases = tables()
    cases = cases.assign(first_response_at=cases["opened_at"])
    r = rk.service_retention(customers, cases, served="answered", as_of="2024-12-31")
    assert r.counts["not served"] == 0 and r.logrank is None
    f = r.to_frame()
    assert f.loc[f["group"] == "not served", "note"].iloc[0] == "no customers in this group"
    assert ("difference undefined — needs retention of both groups (not served: no customers in "
            "this group)") in r.summary()


def test_beyond_follow_up_is_said() -> None:
    r = rk.service_retention(*tables(), horizons_days=(400,), as_of="2024-12-31")
    f = r.to_frame().set_index("group")
    assert np.isnan(f.loc["served", "value"]) and "beyond the follow-up" in f.loc["served", "note"]
    assert f.loc["difference", "note"] == ("needs retention of both groups (served: beyond the "
                                           "follow-up (358 days); not served: beyond the follow-up "
                                           "(358 days))")


def test_every_engine_gives_the_same(to_engine: Callable[[pd.DataFrame], Any]) -> None:
    customers, cases = tables()
    ref = rk.service_retention(customers, cases, as_of="2024-12-31").to_frame()
    got = rk.service_retention(to_engine(customers), to_engine(cases), as_of="2024-12-31").to_frame()
    pd.testing.assert_frame_equal(got, ref)


def test_bad_input_raises() -> None:
    customers, cases = tables()
    with pytest.raises(ConfigError, match="served='fast'"):
        rk.service_retention(customers, cases, served="fast")  # type: ignore[arg-type]
    with pytest.raises(MissingColumnError, match="customer_id"):
        rk.service_retention(customers, cases.drop(columns="customer_id"))
    with pytest.raises(EmptyDataError, match="still a customer at the landmark"):
        rk.service_retention(customers, cases, landmark_days=1000, as_of="2024-12-31")


def test_planted_effect_is_recovered() -> None:
    from tests.service_sim import HAZARD_PER_DAY, simulate_customers

    seed = 5
    print(f"seed={seed}")
    customers, cases, end = simulate_customers(seed)
    r = rk.service_retention(customers, cases, horizons_days=(180,), as_of=end)
    f = r.to_frame().set_index("group")
    truth = {g: float(np.exp(-h * 180)) for g, h in HAZARD_PER_DAY.items()}
    for g, s in truth.items():
        assert f.loc[g, "ci_low"] <= s <= f.loc[g, "ci_high"], (g, s)
    diff = truth["served"] - truth["not served"]
    assert f.loc["difference", "ci_low"] <= diff <= f.loc["difference", "ci_high"]
    assert f.loc["difference", "ci_low"] > 0.3  # the planted effect (≈ 0.36) is clearly seen
    assert r.logrank is not None and r.logrank.p_value < 1e-6
