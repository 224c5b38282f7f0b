"""One population behind every follower route: labels, retention curves, the four comparisons,
the apps' fast path, value of social and the report give the same numbers on the same data.

The hand-made frame covers the edge cases of the rule in roi_kit/followers/_population.py
(missing observed_until, churn on the landmark instant and later that day, a follow exactly at
and after the landmark, times that are not midnight, a customer acquired after the data end);
hypothesis then checks the same parity on generated frames.
"""

from __future__ import annotations

import datetime as dt
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import roi_kit as rk
from roi_kit.errors import ConfigError, InputError
from roi_kit.reporting.config import FollowersConfig, ReportConfig
from roi_kit.reporting.followers import follower_value
from tests.budget import examples

T = pd.Timestamp
L = 30  # landmark day of the hand-made frame


def _customers() -> pd.DataFrame:
    return pd.DataFrame({
        "customer_id": list("abcdefgh"),
        "acquired_at": [T("2024-01-01"), T("2024-01-01"), T("2024-01-01 10:00"), T("2024-01-01"),
                        T("2024-01-01 08:00"), T("2024-01-01"), T("2025-01-15"), T("2024-01-01 23:30")],
        "churned_at": [pd.NaT, T("2024-01-31"),            # b: churns on the landmark instant
                       T("2024-01-31 16:00"),              # c: 6 hours after its landmark
                       pd.NaT, T("2024-06-01 12:00"), pd.NaT, pd.NaT, T("2024-03-01")],
        "observed_until": [T("2024-12-31"), T("2024-12-31"), T("2024-12-31"),
                           pd.NaT,                         # d: missing -> the latest date
                           T("2024-12-31"), T("2024-07-15 18:00"),
                           T("2024-12-31"),                # g: acquired after its data end
                           T("2024-12-31")],
        "mrr": [100.0] * 8,
    })


def _audience() -> pd.DataFrame:
    return pd.DataFrame({
        "customer_id": list("adefh"),
        "followed_at": [T("2024-01-02"), T("2024-01-20"),
                        T("2024-02-10"),                   # e: after its landmark
                        T("2024-01-31"),                   # f: exactly on its landmark instant
                        T("2024-01-05")],
    })


# Members at day 30 (b churned on the landmark instant, g was acquired after the data end):
# customer: (group, whole days from the landmark, churned)
EXPECTED = {
    "a": ("followers", 335, False),      # censored 2024-12-31
    "c": ("non-followers", 1, True),     # churn 0.25 days after the landmark -> day 1
    "d": ("followers", 350, False),      # no observed_until -> latest date 2025-01-15 (g's acquisition)
    "e": ("non-followers", 123, True),   # churn 122 days 4 hours after -> day 123
    "f": ("followers", 166, False),      # censored 166.75 days after -> day 166
    "h": ("followers", 30, True),        # churn 29 days 30 minutes after -> day 30
}


def test_population_rule_hand_worked() -> None:
    pop = rk.prepare_population(_customers(), audience=_audience())
    lm = pop.landmark(L)
    got = {pop.ids[i]: (int(d), bool(e)) for i, d, e in zip(lm.index, lm.days, lm.event, strict=True)}
    assert got == {k: v[1:] for k, v in EXPECTED.items()}
    labels = pop.labels(rk.FollowerDefinition(landmark_days=L))
    assert dict(zip(labels["customer_id"], labels["group"], strict=True)) == {k: v[0] for k, v in EXPECTED.items()}
    assert pop.notes(L)[1] == ("Censoring: 1 customers have no observed_until, so they count as observed "
                               "until the latest date in the data (2025-01-15).")
    # as_of replaces the latest date for d only
    d = rk.prepare_population(_customers(), as_of="2024-12-31").landmark(L)
    assert int(d.days[list(d.index).index(3)]) == 335


def _routes(customers: Any, audience: Any, deals: Any = None, **kw: Any) -> dict[str, Any]:
    """Every public route on the same data and definition."""
    seg = rk.define_followers(customers, audience, **kw)
    horizons = (30, 90, 180)
    pop = rk.prepare_population(customers, deals, audience=audience)
    return {
        "labels": seg.labels(customers),
        "curves": rk.retention_curves(customers, by=seg, horizons_days=horizons),
        "compare": rk.compare_segments(customers, deals, by=seg, covariates=(), horizons_days=horizons,
                                       n_boot=50),
        "fast": pop.compare(seg, horizons_days=horizons, n_boot=50),
        "pop_curves": pop.retention(seg, horizons_days=horizons),
    }


def _assert_parity(r: dict[str, Any]) -> None:
    labels, curves, cmp, fast = r["labels"], r["curves"], r["compare"], r["fast"]
    counts = labels["group"].value_counts()
    n_f, n_n = int(counts.get("followers", 0)), int(counts.get("non-followers", 0))
    assert (cmp.n_followers, cmp.n_non_followers) == (n_f, n_n)
    assert (fast.n_followers, fast.n_non_followers) == (n_f, n_n)
    sizes = curves.horizons.groupby("group")["customers"].first()
    assert {g: int(v) for g, v in sizes.items()} == {g: n for g, n in
                                                     (("followers", n_f), ("non-followers", n_n)) if n}
    assert curves.landmark_days == cmp.landmark_days == fast.landmark_days
    pd.testing.assert_frame_equal(cmp.to_frame(), fast.to_frame())
    pd.testing.assert_frame_equal(curves.to_frame(), r["pop_curves"].to_frame())
    hz = curves.horizons.set_index(["group", "horizon_days"])["retention"]
    for h in (30, 90, 180):
        e = cmp.retention.effect("retention", "naive", horizon_days=h)
        for group, value in (("followers", e.followers), ("non-followers", e.non_followers)):
            if value is not None and (group, h) in hz.index:
                assert value == pytest.approx(hz[(group, h)], abs=1e-12)


def test_every_route_agrees_on_the_hand_made_frame() -> None:
    r = _routes(_customers(), _audience(), landmark_days=L)
    _assert_parity(r)
    assert r["compare"].n_followers == 4 and r["compare"].n_non_followers == 2
    hz = r["curves"].horizons.set_index(["group", "horizon_days"])["retention"]
    # followers: h churns on day 30 (1 of 4); non-followers: c on day 1, e on day 123
    assert hz[("followers", 30)] == 0.75 and hz[("followers", 180)] == 0.75
    assert hz[("non-followers", 30)] == 0.5 and hz[("non-followers", 90)] == 0.5
    assert hz[("non-followers", 180)] == 0.0
    assert any("from the follower definition" in n for n in r["curves"].notes)
    assert any("from the follower definition" in n for n in r["compare"].notes)
    value = rk.value_of_social(r["compare"], method="naive")
    assert value.to_frame().equals(rk.value_of_social(r["fast"], method="naive").to_frame())


def test_engines_give_the_same_population(engine: str, to_engine_many: Any) -> None:
    cust, aud = to_engine_many(_customers(), _audience())
    got = _routes(cust, aud, landmark_days=L)
    ref = _routes(_customers(), _audience(), landmark_days=L)
    _assert_parity(got)
    pd.testing.assert_frame_equal(got["labels"].sort_values("customer_id").reset_index(drop=True),
                                  ref["labels"].sort_values("customer_id").reset_index(drop=True),
                                  check_dtype=False)
    pd.testing.assert_frame_equal(got["curves"].to_frame(), ref["curves"].to_frame())
    pd.testing.assert_frame_equal(got["compare"].to_frame(), ref["compare"].to_frame())


def test_report_uses_the_same_population() -> None:
    tables = {"customers": _customers(), "social_audience": _audience()}
    config = ReportConfig(title="t", currency="USD", period_start=dt.date(2024, 12, 1),
                          period_end=dt.date(2024, 12, 31), files={},
                          followers=FollowersConfig(min_engagements=0, landmark_days=L,
                                                    horizon_days=180, covariates=()))
    fv = follower_value(tables, config)
    assert not isinstance(fv, str)
    from roi_kit.reporting.data import as_of

    known = as_of(tables, config.period_end)["customers"]
    seg = rk.define_followers(known, _audience(), landmark_days=L, min_engagements=0)
    cmp = rk.compare_segments(known, by=seg, covariates=(), horizon_days=180)
    pd.testing.assert_frame_equal(fv.comparison.to_frame(), cmp.to_frame())
    assert len(fv.labels) == cmp.n_followers + cmp.n_non_followers


# --- the issue's reproductions ---------------------------------------------------------------------


def _issue_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    customers = pd.DataFrame({"customer_id": list("abcdef"),
        "acquired_at": pd.to_datetime(["2024-01-01"] * 3 + ["2024-06-01"] * 3),
        "churned_at": pd.to_datetime([None, "2024-12-01", None, None, None, None])})
    audience = pd.DataFrame({"customer_id": ["a", "d", "e"],
        "followed_at": pd.to_datetime(["2024-01-15", "2024-06-10", "2024-06-10"])})
    return customers, audience


def test_repro_1_labels_and_comparison_pick_the_same_population() -> None:
    customers, audience = _issue_frames()
    seg = rk.define_followers(customers, audience)
    cmp = rk.compare_segments(customers, by=seg, covariates=())
    # no observed_until: everyone is observed until 2024-12-01, past every landmark
    assert len(seg.labels(customers)) == cmp.n_followers + cmp.n_non_followers == 6
    assert cmp.n_followers == 3


def test_repro_2_two_valued_column_needs_followers() -> None:
    customers, _ = _issue_frames()
    customers = customers.assign(grp=["yes"] * 3 + ["no"] * 3)
    with pytest.raises(InputError, match=r"'no', 'yes'.*\nHint: name the follower group, e\.g\. by='grp', followers="):
        rk.compare_segments(customers, by="grp", covariates=())
    assert rk.compare_segments(customers, by="grp", followers="yes", covariates=()).n_followers == 3
    assert rk.compare_segments(customers, by="grp", followers="no", covariates=()).n_followers == 3


@pytest.fixture(scope="module")
def sample() -> Any:
    with warnings.catch_warnings():  # the generator's own deprecation noise is not under test
        warnings.simplefilter("ignore")
        return rk.datasets.generate(seed=1, n_customers=2000)


def test_repro_3_retention_curves_and_compare_agree(sample: Any) -> None:
    seg = rk.define_followers(sample.customers, sample.social_audience)
    curves = rk.retention_curves(sample.customers, by=seg)
    cmp = rk.compare_segments(sample.customers, sample.deals, by=seg, covariates=(), n_boot=50)
    hz = curves.horizons.set_index(["group", "horizon_days"])["retention"]
    e = cmp.retention.effect("retention", "naive", horizon_days=365)
    assert (e.followers, e.non_followers) == (hz[("followers", 365)], hz[("non-followers", 365)])


def test_repro_4_landmark_comes_from_the_definition(sample: Any) -> None:
    seg = rk.define_followers(sample.customers, sample.social_audience, landmark_days=30)
    curves = rk.retention_curves(sample.customers, by=seg)
    cmp = rk.compare_segments(sample.customers, by=seg, covariates=(), n_boot=50)
    assert curves.landmark_days == cmp.landmark_days == 30
    assert "Landmark: day 30 after acquisition (from the follower definition)." in curves.notes
    over = rk.retention_curves(sample.customers, by=seg, landmark_days=60)
    assert over.landmark_days == 60
    assert any("set by landmark_days=60; the definition says day 30" in n for n in over.notes)


def test_repro_5_missing_effect_lists_what_exists() -> None:
    customers, audience = _issue_frames()
    cmp = rk.compare_segments(customers, by=rk.define_followers(customers, audience), covariates=())
    with pytest.raises(ConfigError, match=r"available: 'retention', horizon_days=90 \(naive\)") as info:
        cmp.retention.effect("retention at 365 days")
    assert "Hint:" in str(info.value)
    with pytest.raises(ConfigError, match="several horizons"):
        cmp.retention.effect("retention", "naive")


# --- by= never guesses -----------------------------------------------------------------------------


@pytest.mark.parametrize(("values", "followers", "match"), [
    (["a", "b", "c", "a", "b", "c"], None, r"'a', 'b', 'c'"),
    (["a", "b", "c", "a", "b", "c"], "a", "exactly two values"),
    (["x", "y", "x", "y", "x", "y"], "z", r"followers='z'.*'x', 'y'"),
    ([1, 2, 1, 2, 1, 2], None, "1, 2"),
    (["x", None, "x", "y", "x", "y"], "x", "1 empty values"),
])
def test_by_column_errors_list_values_and_fix(values: list[Any], followers: Any, match: str) -> None:
    customers, _ = _issue_frames()
    with pytest.raises(InputError, match=match) as info:
        rk.compare_segments(customers.assign(grp=values), by="grp", followers=followers, covariates=())
    assert "\nHint: " in str(info.value)


@pytest.mark.parametrize("values", [[True, True, True, False, False, False], [1, 1, 1, 0, 0, 0],
                                    [1.0, 1.0, 1.0, 0.0, 0.0, 0.0]])
def test_bool_and_01_columns_are_follower_flags_in_every_route(values: list[Any]) -> None:
    customers, _ = _issue_frames()
    customers = customers.assign(fan=values)
    cmp = rk.compare_segments(customers, by="fan", covariates=())
    curves = rk.retention_curves(customers, by="fan")
    assert cmp.n_followers == 3 and curves.groups == ("followers", "non-followers")


def test_definition_with_followers_is_a_config_error() -> None:
    customers, audience = _issue_frames()
    with pytest.raises(ConfigError, match="followers= only applies"):
        rk.compare_segments(customers, by=rk.define_followers(customers, audience), followers="yes",
                            covariates=())


def test_caller_frames_are_not_mutated() -> None:
    customers, audience = _customers(), _audience()
    before_c, before_a = customers.copy(), audience.copy()
    _routes(customers, audience, landmark_days=L)
    pd.testing.assert_frame_equal(customers, before_c)
    pd.testing.assert_frame_equal(audience, before_a)


# --- generated frames ------------------------------------------------------------------------------


@st.composite
def frames(draw: Any) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    n = draw(st.integers(2, 25))
    start = T("2024-01-01")
    hours = st.integers(0, 24 * 400)
    acq = [start + pd.Timedelta(hours=draw(hours)) for _ in range(n)]
    churn = [a + pd.Timedelta(hours=draw(st.integers(0, 24 * 200))) if draw(st.booleans()) else pd.NaT
             for a in acq]
    obs_choice = draw(st.sampled_from(["all", "some", "none"]))
    obs = [start + pd.Timedelta(hours=draw(st.integers(24 * 100, 24 * 500)))
           if obs_choice == "all" or (obs_choice == "some" and draw(st.booleans())) else pd.NaT
           for _ in range(n)]
    customers = pd.DataFrame({"customer_id": [f"c{i}" for i in range(n)], "acquired_at": acq,
                              "churned_at": pd.to_datetime(churn)})
    if obs_choice != "none":
        customers["observed_until"] = pd.to_datetime(obs)
    who = draw(st.lists(st.integers(0, n - 1), max_size=n))
    audience = pd.DataFrame({
        "customer_id": [f"c{i}" for i in who],
        "followed_at": [acq[i] + pd.Timedelta(hours=draw(st.integers(-24 * 10, 24 * 60))) for i in who]})
    if audience.empty:
        audience = pd.DataFrame({"customer_id": ["nobody"], "followed_at": [start]})
    return customers, audience, draw(st.sampled_from([0, 1, 7, 30]))


@given(frames())
@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_route_agrees_on_generated_frames(case: tuple[pd.DataFrame, pd.DataFrame, int]) -> None:
    customers, audience, landmark = case
    seg = rk.define_followers(customers, audience, landmark_days=landmark)
    assume(len(seg.labels(customers)) > 0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        r = _routes(customers, audience, landmark_days=landmark)
    _assert_parity(r)
    lm = rk.prepare_population(customers).landmark(landmark)
    # the population never holds a customer churned by the landmark or observed less than that
    start = customers["acquired_at"] + pd.Timedelta(days=landmark)
    members = customers.iloc[lm.index]
    assert ((members["churned_at"].isna()) | (members["churned_at"] > start.iloc[lm.index])).all()
    assert (np.asarray(lm.days) >= 0).all()


def test_population_arrays_are_identical_in_every_engine(engine: str, to_engine_many: Any) -> None:
    cust, aud = to_engine_many(_customers(), _audience())
    got = rk.prepare_population(cust, audience=aud)
    ref = rk.prepare_population(_customers(), audience=_audience())
    order = np.argsort(np.asarray(got.ids, dtype=str))
    ref_order = np.argsort(np.asarray(ref.ids, dtype=str))
    for name in ("acquired", "end", "churned"):
        np.testing.assert_array_equal(getattr(got, name)[order], getattr(ref, name)[ref_order])
    a, b = got.landmark(L), ref.landmark(L)
    assert sorted(zip(got.ids[a.index], a.days, a.event)) == sorted(zip(ref.ids[b.index], b.days, b.event))


def test_aware_timestamps_are_the_same_instants_in_utc() -> None:
    aware = _customers()
    for col in ("acquired_at", "churned_at", "observed_until"):
        aware[col] = aware[col].dt.tz_localize("UTC").dt.tz_convert("Europe/Berlin")
    a = rk.prepare_population(aware).landmark(L)
    b = rk.prepare_population(_customers()).landmark(L)
    np.testing.assert_array_equal(a.index, b.index)
    np.testing.assert_array_equal(a.days, b.days)
