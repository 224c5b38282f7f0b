"""Retention comparison: landmark population, curves, horizons, medians, RMST, cohorts, engines."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.errors import ConfigError, EmptyDataError, InputError, MissingColumnError
from roi_kit.followers import retention_curves
from roi_kit.followers._retention_result import CURVE_COLUMNS
from roi_kit.survival import kaplan_meier, logrank_test

END = pd.Timestamp("2025-12-31")


def simulate(seed: int, n: int = 3_000, *, hazard_ratio: float = 0.6, rate: float = 1 / 400,
             landmark: int = 90) -> tuple[pd.DataFrame, dict[int, float]]:
    """Customers whose follower status is random (no confounding) and whose churn hazard after
    the landmark is ``rate`` for non-followers and ``rate * hazard_ratio`` for followers.

    Returns the table and the true landmark retention difference at 90/180/365 days.
    """
    rng = np.random.default_rng(seed)
    acquired = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 600, n), unit="D")
    follower = rng.random(n) < 0.4
    before = rng.exponential(1 / rate, n)
    after = rng.exponential(1 / (rate * np.where(follower, hazard_ratio, 1.0)), n)
    life = np.where(before <= landmark, before, landmark + after)
    churned = acquired + pd.to_timedelta(np.ceil(life), unit="D")
    churned = pd.Series(churned).where(churned <= END)
    frame = pd.DataFrame({
        "customer_id": np.arange(n), "acquired_at": acquired, "churned_at": churned,
        "observed_until": END, "segment": np.where(follower, "followers", "non-followers"),
        "size": rng.choice(["small", "large"], n),
    })
    truth = {h: float(np.exp(-rate * hazard_ratio * h) - np.exp(-rate * h)) for h in (90, 180, 365)}
    return frame, truth


def reference_durations(frame: pd.DataFrame, landmark: int) -> pd.DataFrame:
    """The landmark population and durations, written out plainly in pandas."""
    start = frame["acquired_at"] + pd.Timedelta(days=landmark)
    churn, obs = frame["churned_at"], frame["observed_until"]
    keep = (churn.isna() | (churn > start)) & (obs >= start)
    event = churn.notna() & (churn <= obs)
    stop = churn.where(event, obs)
    days = (stop - start).dt.total_seconds() / 86_400
    dur = np.where(event, np.ceil(days), np.floor(days))
    return pd.DataFrame({"group": frame["segment"], "duration": dur, "event": event})[keep]


TINY = pd.DataFrame({
    "customer_id": ["a", "b", "c", "d", "e", "f", "g"],
    "acquired_at": pd.to_datetime(["2024-01-01"] * 6 + ["2024-12-01"]),
    "churned_at": pd.to_datetime(["2024-02-01",            # churned before day 90: excluded
                                  "2024-04-10T08:00:00",   # 100.33 days -> day 11 after landmark
                                  None, "2024-07-19", None,
                                  "2025-01-15",            # after observed_until: censored
                                  None], format="ISO8601"),
    "observed_until": pd.to_datetime(["2024-12-31"] * 7),  # g: observed 30 days only: excluded
    "segment": ["followers", "followers", "followers", "non-followers", "non-followers",
                "non-followers", "followers"],
})


# --- hand-worked ---------------------------------------------------------------------------------


def test_landmark_population_and_whole_day_durations_tiny() -> None:
    res = retention_curves(TINY, by="segment", horizons_days=(30, 180))
    assert res.groups == ("followers", "non-followers") and res.reference == "non-followers"
    cur = res.to_frame()
    assert tuple(cur.columns) == CURVE_COLUMNS
    fol = cur[cur["group"] == "followers"]
    # b churns 100.33 days after acquisition -> counted on day 11; c censored on day 275
    assert fol["time_days"].tolist() == [0, 11, 275]
    assert fol["at_risk"].tolist() == [2, 2, 1] and fol["events"].tolist() == [0, 1, 0]
    assert fol["survival"].tolist() == [1.0, 0.5, 0.5]
    non = cur[cur["group"] == "non-followers"]
    # d churns day 200 - 90 = 110; e and f censored at day 275 (f churned after observed_until)
    assert non["time_days"].tolist() == [0, 110, 275]
    assert non["survival"].tolist() == pytest.approx([1.0, 2 / 3, 2 / 3])
    hz = res.horizons.set_index(["group", "horizon_days"])["retention"]
    assert hz[("followers", 30)] == 0.5 and hz[("non-followers", 180)] == pytest.approx(2 / 3)
    assert res.differences.set_index("horizon_days").loc[180, "difference"] == pytest.approx(0.5 - 2 / 3)
    assert res.notes[0] == "5 of 7 customers were active and observed at day 90 after acquisition."


def test_landmark_zero_counts_from_acquisition() -> None:
    res = retention_curves(TINY, by="segment", landmark_days=0, horizons_days=(30,))
    fol = res.to_frame().query("group == 'followers'")
    # a churns day 31, b at 100.33 -> day 101, g censored day 30, c censored day 365
    assert fol["time_days"].tolist() == [0, 30, 31, 101, 365]
    assert fol["survival"].tolist() == pytest.approx([1, 1, 2 / 3, 1 / 3, 1 / 3])
    assert res.notes[0] == "7 of 7 customers were active and observed at acquisition."
    assert "after acquisition" in res.summary()


def test_cohort_table_tiny() -> None:
    res = retention_curves(TINY, by="segment", landmark_days=0)
    long = res.cohorts(months=3)
    assert list(long.columns) == ["group", "cohort", "customers", "month", "retention"]
    fol = long[(long["group"] == "followers") & (long["cohort"] == "2024-01")]
    # a (day 31 > 30.44: retained at month 1, gone by month 2), b (day 101: gone by month 4), c
    assert fol["customers"].unique().tolist() == [3]
    assert fol["retention"].tolist() == pytest.approx([1, 1, 2 / 3, 2 / 3])
    dec = long[long["cohort"] == "2024-12"]
    assert dec["retention"].isna().tolist() == [False, True, True, True]  # observed 30 days only
    wide = res.cohorts(months=3, layout="wide")
    assert wide.shape == (3, 7) and list(wide.columns[-4:]) == [0, 1, 2, 3]
    with pytest.raises(ConfigError, match="layout"):
        res.cohorts(layout="triangle")  # type: ignore[arg-type]


# --- against independent references --------------------------------------------------------------


def test_curves_match_kaplan_meier_on_reference_durations(to_engine: Callable[[pd.DataFrame], Any]) -> None:
    frame, _ = simulate(1, 2_000)
    res = retention_curves(to_engine(frame), by="segment")
    ref = reference_durations(frame, 90)
    cur = res.to_frame()
    for g in ("followers", "non-followers"):
        sub = ref[ref["group"] == g]
        km = kaplan_meier(sub["duration"].to_numpy(), sub["event"].to_numpy())
        mine = cur[(cur["group"] == g) & (cur["time_days"] > 0)]
        np.testing.assert_array_equal(mine["time_days"].to_numpy(), km.time)
        np.testing.assert_allclose(mine["survival"], km.survival, rtol=0, atol=1e-12)
        np.testing.assert_allclose(mine["ci_low"], km.ci_low, rtol=0, atol=1e-12)
        np.testing.assert_array_equal(mine["at_risk"], km.at_risk)
    lr = logrank_test(ref["duration"].to_numpy(), ref["event"].to_numpy(), ref["group"].to_numpy())
    assert res.logrank is not None
    assert res.logrank.statistic == pytest.approx(lr.statistic, rel=1e-12)
    assert res.logrank.df == 1


def test_label_source_object_equals_column(to_engine: Callable[[pd.DataFrame], Any]) -> None:
    frame, _ = simulate(2, 1_500)

    class Labels:
        def labels(self, customers: Any, *, landmark_days: int) -> pd.DataFrame:
            assert landmark_days == 90
            return frame[["customer_id", "segment"]].rename(columns={"segment": "group"})

    by_obj = retention_curves(to_engine(frame.drop(columns="segment")), by=Labels())
    by_col = retention_curves(frame, by="segment")
    pd.testing.assert_frame_equal(by_obj.to_frame(), by_col.to_frame())
    pd.testing.assert_frame_equal(by_obj.differences, by_col.differences)


def test_unit_weights_equal_unweighted_and_frames_work(to_engine: Callable[[pd.DataFrame], Any]) -> None:
    frame, _ = simulate(3, 1_200)
    frame = frame.assign(w=1.0)
    plain = retention_curves(frame, by="segment")
    weighted = retention_curves(to_engine(frame), by="segment", weights="w")
    assert weighted.weighted and "weighted" in weighted.summary()
    a, b = plain.to_frame(), weighted.to_frame()
    np.testing.assert_allclose(b["survival"], a["survival"], atol=1e-12)
    np.testing.assert_allclose(b["ci_high"], a["ci_high"], atol=1e-12)
    np.testing.assert_allclose(b["at_risk"], a["at_risk"])
    w = pd.DataFrame({"customer_id": frame["customer_id"], "weight": 2.0})
    by_frame = retention_curves(frame, by="segment", weights=w)
    np.testing.assert_allclose(by_frame.differences["ci_low"], plain.differences["ci_low"], atol=1e-12)


def test_weights_change_the_curves_when_unequal() -> None:
    frame, _ = simulate(4, 1_500)
    w = np.where(frame["size"] == "large", 3.0, 0.5)
    res = retention_curves(frame.assign(w=w), by="segment", weights="w")
    plain = retention_curves(frame, by="segment")
    assert not np.allclose(res.horizons["retention"], plain.horizons["retention"])


@pytest.mark.parametrize("seed", range(20))
def test_difference_interval_covers_truth_without_confounding(seed: int, request: pytest.FixtureRequest) -> None:
    """Run as 20 seeds; the module-level check below asserts the coverage over all of them."""
    frame, truth = simulate(100 + seed, 3_000)
    res = retention_curves(frame, by="segment", horizons_days=(90, 180, 365))
    d = res.differences.set_index("horizon_days")
    covered = {h: bool(d.loc[h, "ci_low"] <= truth[h] <= d.loc[h, "ci_high"]) for h in truth}
    _COVERAGE[seed] = covered


_COVERAGE: dict[int, dict[int, bool]] = {}


def test_coverage_over_seeds_is_near_nominal() -> None:
    if len(_COVERAGE) < 20:  # run the seeds here when the parametrised test was deselected
        for seed in range(20):
            test_difference_interval_covers_truth_without_confounding(seed, None)  # type: ignore[arg-type]
    rates = {h: np.mean([c[h] for c in _COVERAGE.values()]) for h in (90, 180, 365)}
    print("coverage of 95% CIs over 20 seeds:", rates)
    assert all(r >= 0.8 for r in rates.values()), rates


def test_generator_landmark_difference_covers_truth() -> None:
    generate = getattr(rk.datasets, "generate", None)
    if generate is None:
        pytest.skip("rk.datasets.generate has not landed yet; the simulator tests above stand in")
    data = generate(seed=3, n_customers=20_000, confounding=0.0)
    big_l = data.truth.landmark_days
    cust, aud = data.customers, data.social_audience
    # followers by customer_id only, written out by hand ...
    first = aud.dropna(subset=["customer_id"]).groupby("customer_id")["followed_at"].min()
    followed = cust["customer_id"].map(first)
    landmark = cust["acquired_at"] + pd.Timedelta(days=big_l)
    group = np.where(followed.notna() & (followed <= landmark), "followers", "non-followers")
    results = [retention_curves(cust.assign(group=group), by="group", landmark_days=big_l)]
    # ... and through the segments helper (id + email + handle matching), as users will call it
    if hasattr(rk, "define_followers"):
        results.append(retention_curves(cust, by=rk.define_followers(cust, aud), landmark_days=big_l))
    for res in results:
        d = res.differences.set_index("horizon_days")
        for h, true in data.truth.retention_diff.items():
            assert d.loc[int(h), "ci_low"] <= true <= d.loc[int(h), "ci_high"], (h, true, d.loc[int(h)])
        rm = res.rmst_differences.iloc[0]
        assert rm["ci_low"] <= data.truth.rmst_diff_365 <= rm["ci_high"]


# --- censoring, options, words -------------------------------------------------------------------


def test_missing_observed_until_uses_latest_date_or_as_of() -> None:
    frame = TINY.drop(columns="observed_until")
    res = retention_curves(frame, by="segment")
    assert any("latest date in the data (2025-01-15)" in n for n in res.notes)
    res2 = retention_curves(frame, by="segment", as_of="2024-12-31")
    pd.testing.assert_frame_equal(res2.to_frame(), retention_curves(TINY, by="segment").to_frame())
    assert any("as_of=2024-12-31" in n for n in res2.notes)
    partly = TINY.assign(observed_until=TINY["observed_until"].where(TINY["customer_id"] != "c"))
    assert any("1 customers have no observed_until" in n
               for n in retention_curves(partly, by="segment", as_of="2024-12-31").notes)


def test_summary_reads_in_plain_words_without_nan() -> None:
    frame, _ = simulate(5, 4_000)
    res = retention_curves(frame, by="segment", horizons_days=(90, 365, 2_000))
    text = res.summary()
    assert "Followers: " in text and "still customers 365 days after day 90 (95% CI " in text
    assert "percentage points" in text and "Log-rank test: χ² = " in text
    assert "Retention 2000 days after day 90 cannot be estimated" in text
    assert "cannot be compared" in text  # RMST at tau = 2000 beyond follow-up
    assert "nan" not in text.lower() and "inf" not in text.lower().replace("information", "")
    assert "association" in text
    assert "<table" in res._repr_html_()


def test_rmst_difference_and_medians_are_consistent() -> None:
    frame, _ = simulate(6, 4_000, rate=1 / 150)
    res = retention_curves(frame, by="segment", horizons_days=(90, 365))
    rm = res.rmst.set_index("group")
    diff = res.rmst_differences.iloc[0]
    assert diff["difference"] == pytest.approx(rm.loc["followers", "rmst_days"] - rm.loc["non-followers", "rmst_days"])
    assert diff["ci_low"] < diff["difference"] < diff["ci_high"] and diff["difference"] > 0
    med = res.medians.set_index("group")
    assert med.loc["non-followers", "ci_low"] <= med.loc["non-followers", "median_days"] <= med.loc["non-followers", "ci_high"]
    assert "Median lifetime after day 90: followers" in res.summary()


def test_three_groups_and_explicit_reference() -> None:
    frame, _ = simulate(7, 1_500)
    res = retention_curves(frame.assign(plan=np.array(["a", "b", "c"])[np.arange(1_500) % 3]),
                           by="plan", reference="b")
    assert res.groups == ("a", "c", "b") and res.logrank is not None and res.logrank.df == 2
    assert res.differences["reference"].unique().tolist() == ["b"]


def test_single_group_has_no_test() -> None:
    res = retention_curves(TINY.assign(one="all"), by="one")
    assert res.logrank is None and res.differences.empty
    assert "Only one group" in res.summary()


def test_chart_has_steps_bands_and_segment_colours() -> None:
    frame, _ = simulate(8, 800)
    spec = retention_curves(frame, by="segment").chart().to_dict()
    marks = [layer["mark"] for layer in spec["layer"]]
    assert [m["type"] for m in marks] == ["area", "line"]
    assert all(m["interpolate"] == "step-after" for m in marks)
    scale = spec["layer"][0]["encoding"]["color"]["scale"]
    assert scale["domain"] == ["followers", "non-followers"]
    assert scale["range"] == [rk.charts.SEGMENT_COLORS["followers"], rk.charts.SEGMENT_COLORS["non-followers"]]


def test_caller_data_is_not_mutated() -> None:
    before = TINY.copy()
    retention_curves(TINY, by="segment")
    pd.testing.assert_frame_equal(TINY, before)


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"by": "plan"}, MissingColumnError, "'plan'"),
    ({"by": "segment", "landmark_days": -1}, ConfigError, "landmark_days"),
    ({"by": "segment", "horizons_days": ()}, ConfigError, "horizons_days"),
    ({"by": "segment", "conf_level": 95}, ConfigError, "conf_level"),
    ({"by": "segment", "reference": "fans"}, ConfigError, "fans"),
    ({"by": "segment", "landmark_days": 900}, EmptyDataError, "no customer was active"),
    ({"by": "segment", "weights": 3}, ConfigError, "weights"),
])
def test_bad_options_raise_with_hint(kwargs: dict[str, Any], error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match) as info:
        retention_curves(TINY, **kwargs)
    assert "Hint:" in str(info.value)


def test_text_dates_are_rejected_with_hint() -> None:
    with pytest.raises(InputError, match="acquired_at"):
        retention_curves(TINY.assign(acquired_at=TINY["acquired_at"].astype(str)), by="segment")


@pytest.mark.spark
def test_spark_gives_the_same_result(spark: Any) -> None:
    frame, _ = simulate(9, 400)
    sdf = spark.createDataFrame(frame)
    res = retention_curves(sdf, by="segment")
    ref = retention_curves(frame, by="segment")
    pd.testing.assert_frame_equal(res.to_frame(), ref.to_frame())

    class Labels:
        def labels(self, customers: Any, *, landmark_days: int) -> pd.DataFrame:
            return frame[["customer_id", "segment"]].rename(columns={"segment": "group"})

    pd.testing.assert_frame_equal(retention_curves(sdf.drop("segment"), by=Labels()).to_frame(), ref.to_frame())
    from pyspark.sql import functions as F

    ntz = sdf.select("customer_id", "segment", *[F.col(c).cast("timestamp_ntz").alias(c)
                                                  for c in ("acquired_at", "churned_at", "observed_until")])
    pd.testing.assert_frame_equal(retention_curves(ntz, by="segment").to_frame(), ref.to_frame())
