"""Durations without dates: tenure + churned flag, with the unit carried into every label."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.errors import ConfigError, InputError

TENURE = pd.DataFrame({
    "customer_id": list("abcdef"),
    "tenure": [3, 12, 7.5, 24, 1, 6],          # months
    "churned": [1, 0, 1, 0, 1, 1],
    "fan": [True, True, True, False, False, False],
})


def test_months_hand_worked() -> None:
    res = rk.retention_curves(TENURE, by="fan", duration="tenure", event="churned", time_unit="months",
                              horizons_days=(6, 12))
    cur = res.to_frame()
    assert "time_months" in cur.columns and "time_days" not in cur.columns
    fol = cur[cur["group"] == "followers"]
    # a churns in month 3, c at 7.5 -> month 8, b censored at 12
    assert fol["time_months"].tolist() == [0, 3, 8, 12]
    assert fol["survival"].tolist() == pytest.approx([1, 2 / 3, 1 / 3, 1 / 3])
    hz = res.horizons.set_index(["group", "horizon_days"])["retention"]
    assert hz[("followers", 6)] == pytest.approx(2 / 3) and hz[("non-followers", 6)] == pytest.approx(1 / 3)
    text = res.summary()
    assert "6 months from the start" in text and " days" not in text
    assert any("counted in months" in n for n in res.notes)


def test_compare_segments_reads_the_same_durations() -> None:
    cmp = rk.compare_segments(TENURE, by="fan", duration="tenure", event="churned", time_unit="months",
                              covariates=(), horizons_days=(6, 12), horizon_days=12)
    e = cmp.retention.effect("retention", "naive", horizon_days=6)
    assert (e.followers, e.non_followers) == pytest.approx((2 / 3, 1 / 3))
    assert e.measure == "retention at 6 months"
    assert "months" in cmp.summary() and "day " not in cmp.summary().split("Caveat")[0]


def test_day_durations_equal_the_same_data_as_dates() -> None:
    start = pd.Timestamp("2024-01-01")
    days = pd.to_timedelta(TENURE["tenure"] * 30, unit="D")
    dated = pd.DataFrame({"customer_id": TENURE["customer_id"], "acquired_at": start,
                          "churned_at": (start + days).where(TENURE["churned"] == 1),
                          "observed_until": start + days, "fan": TENURE["fan"]})
    by_dates = rk.retention_curves(dated, by="fan", landmark_days=0, horizons_days=(90, 180))
    by_days = rk.retention_curves(TENURE.assign(tenure=TENURE["tenure"] * 30), by="fan", duration="tenure",
                                  event="churned", horizons_days=(90, 180))
    pd.testing.assert_frame_equal(by_dates.to_frame(), by_days.to_frame())
    pd.testing.assert_frame_equal(by_dates.differences, by_days.differences)


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"duration": "tenure"}, ConfigError, "both duration= and event="),
    ({"time_unit": "months"}, ConfigError, "applies to durations"),
    ({"duration": "tenure", "event": "churned", "time_unit": "years"}, ConfigError, "time_unit='years'"),
])
def test_duration_options_explain_themselves(kwargs: dict, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match) as info:
        rk.retention_curves(TENURE, by="fan", **kwargs)
    assert "Hint:" in str(info.value)


def test_bad_durations_and_flags_name_the_column() -> None:
    with pytest.raises(InputError, match="'tenure' has 1 values that are not durations"):
        rk.retention_curves(TENURE.assign(tenure=[3, -1, 7.5, 24, 1, 6]), by="fan", duration="tenure",
                            event="churned")
    with pytest.raises(InputError, match="'churned' must hold True/False or 0/1"):
        rk.retention_curves(TENURE.assign(churned=["yes"] * 6), by="fan", duration="tenure", event="churned")
    with pytest.raises(ConfigError, match="need dates"):
        rk.prepare_population(TENURE, duration="tenure", event="churned",
                              audience=pd.DataFrame({"customer_id": ["a"]}))
    assert np.isnan(rk.prepare_population(TENURE, duration="tenure", event="churned").churned[1])


def test_effect_sentences_use_the_time_unit() -> None:
    cmp = rk.compare_segments(TENURE, by="fan", duration="tenure", event="churned", time_unit="months",
                              covariates=(), horizons_days=(12,), horizon_days=12)
    rmst = cmp.retention.effect("rmst", "naive")
    # months retained within 12: followers (3 + 12 + 7.5 -> 8) / 3 on the month grid, non-followers (12 + 1 + 6) / 3
    assert rmst.unit == "months" and rmst.followers == pytest.approx((3 + 12 + 8) / 3)
    assert rmst.non_followers == pytest.approx((12 + 1 + 6) / 3)
    assert "months" in rmst.sentence() and "days" not in rmst.sentence()
