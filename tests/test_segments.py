"""Audience matching and follower definitions: hand-worked cases, engines, and the fast path."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.errors import ConfigError, InputError
from roi_kit.followers import (
    FollowerDefinition,
    define_followers,
    match_audience,
)


def _customers() -> pd.DataFrame:
    return pd.DataFrame({
        "customer_id": ["c1", "c2", "c3", "c4", "c5", "c6"],
        "email": ["Ann@x.com", "bo@y.com", "dup@z.com", "dup@z.com", "e@x.com", "f@x.com"],
        "handle": ["ann", "bo", "cc", "dd", "ee", "ff"],
        "acquired_at": pd.to_datetime(["2024-01-01"] * 4 + ["2024-11-01", "2024-01-01"]),
        # c3 churns on day 60 (before the landmark); c6 churns exactly on day 90
        "churned_at": pd.to_datetime([None, None, "2024-03-01", None, None, "2024-03-31"]),
        "observed_until": pd.to_datetime(["2024-12-31"] * 6),
    })


def _audience() -> pd.DataFrame:
    return pd.DataFrame({
        "customer_id": ["c1", None, None, None, None, "c4", "c4", "zz"],
        "email": [None, " BO@Y.COM ", None, "DUP@z.com", None, None, None, None],
        "handle": [None, None, "@CC", None, "@nobody", None, None, None],
        "platform": ["linkedin", "x", "LinkedIn", "x", "x", "x", "youtube", "x"],
        # c1 day 10; c2 day 90 (counts: on the landmark); c3 day 5; c4 day 120 and day 30
        "followed_at": pd.to_datetime(["2024-01-11", "2024-03-31", "2024-01-06", "2024-01-02",
                                       "2024-01-02", "2024-04-30", "2024-01-31", "2024-01-02"]),
        "engagements": [5, 0, 3, 1, 1, 2, 1, 0],
        "last_engaged_at": pd.to_datetime(["2024-12-20", None, "2024-06-01", "2024-02-01",
                                           "2024-02-01", "2024-12-30", "2024-02-01", None]),
    })


def test_match_counts_each_key_and_lists_unmatched(engine: str, to_engine_many: Any) -> None:
    m = match_audience(*to_engine_many(_customers(), _audience()))
    r = m.report
    assert r.counts() == {"customer_id": 3, "email": 1, "handle": 1, "unmatched": 3}
    assert r.rows == 8 and r.ambiguous == 1
    listed = r.unmatched_rows
    assert sorted(listed["handle"].dropna()) == ["@nobody"]
    assert sorted(listed["customer_id"].dropna()) == ["zz"]
    assert sorted(listed["email"].dropna()) == ["DUP@z.com"]
    assert r.customers == 6 and r.customers_matched == 4
    assert "3 rows matched nobody (1 because the email or handle belongs to several customers)" in r.summary()


def test_match_rejects_tables_without_shared_keys() -> None:
    with pytest.raises(InputError, match="share none of the match keys"):
        match_audience(pd.DataFrame({"customer_id": [1]}), pd.DataFrame({"email": ["a@x"]}))
    with pytest.raises(ConfigError, match="not a list of match keys"):
        match_audience(pd.DataFrame({"customer_id": [1]}), pd.DataFrame({"customer_id": [1]}),
                       on=("phone",))  # type: ignore[arg-type]


def _groups(seg: rk.Segments, customers: Any, **kw: Any) -> dict[str, str]:
    lab = seg.labels(customers, **kw)
    return dict(zip(lab["customer_id"], lab["group"]))


def test_landmark_labels_hand_worked(engine: str, to_engine_many: Any) -> None:
    cust, aud = to_engine_many(_customers(), _audience())
    seg = define_followers(cust, aud)
    # c3 churned before day 90, c5 acquired < 90 days before the end, c6 churned on day 90
    assert _groups(seg, cust) == {"c1": "followers", "c2": "followers", "c4": "followers"}
    # at day 20: c1 (day 10) and c3 (day 5) had followed; c4's day-30 follow is too late;
    # c5 has been observed 60 days, enough for a day-20 landmark
    assert _groups(seg, cust, landmark_days=20) == {
        "c1": "followers", "c2": "non-followers", "c3": "followers", "c4": "non-followers",
        "c5": "non-followers", "c6": "non-followers"}


def test_ever_definition_keeps_everyone_and_ignores_timing() -> None:
    cust = _customers()
    seg = define_followers(cust, _audience(), kind="ever")
    assert _groups(seg, cust) == {"c1": "followers", "c2": "followers", "c3": "followers",
                                  "c4": "followers", "c5": "non-followers", "c6": "non-followers"}


def test_definition_options_filter_rows(engine: str, to_engine_many: Any) -> None:
    cust, aud = to_engine_many(_customers(), _audience())
    linkedin = define_followers(cust, aud, platforms=["LinkedIn"])
    assert _groups(linkedin, cust)["c2"] == "non-followers"
    assert _groups(linkedin, cust)["c1"] == "followers"
    engaged = define_followers(cust, aud, min_engagements=3)  # c4: 2 + 1 = 3 across platforms
    assert _groups(engaged, cust) == {"c1": "followers", "c2": "non-followers", "c4": "followers"}
    recent = define_followers(cust, aud, engaged_within_days=30)  # as of 2024-12-31
    assert _groups(recent, cust) == {"c1": "followers", "c2": "non-followers", "c4": "non-followers"}
    early = define_followers(cust, aud, followed_before="2024-03-01")
    assert _groups(early, cust)["c2"] == "non-followers"
    assert _groups(early, cust)["c4"] == "followers"


def test_with_definition_reuses_the_match() -> None:
    seg = define_followers(_customers(), _audience())
    other = seg.with_definition(platforms=("youtube",))
    assert other.matched is seg.matched
    assert sorted(other.follow_table()["customer_id"]) == ["c4"]
    assert "youtube" in other.summary()


def test_definition_errors_say_how_to_fix() -> None:
    with pytest.raises(ConfigError, match="kind='landmark'"):
        FollowerDefinition(kind="sometimes")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="landmark_days=-1"):
        FollowerDefinition(landmark_days=-1)
    with pytest.raises(ConfigError, match="is not a date"):
        FollowerDefinition(followed_before="not a date")  # type: ignore[arg-type]
    no_dates = _audience().drop(columns=["followed_at"])
    with pytest.raises(InputError, match="kind='ever'"):
        define_followers(_customers(), no_dates)
    assert define_followers(_customers(), no_dates, kind="ever").match.rows == 8


@pytest.fixture(scope="module")
def sample(generated: Callable[..., Any]) -> Any:
    with warnings.catch_warnings():  # the generator's own deprecation noise is not under test
        warnings.simplefilter("ignore")
        # generated once per process: test_datasets.py reads the same data (tests/conftest.py)
        return generated(seed=11, n_customers=1500, business="saas")


@pytest.mark.parametrize("options", [
    {}, {"platforms": ("linkedin",)}, {"min_engagements": 5}, {"engaged_within_days": 120},
    {"followed_before": "2025-01-01"}, {"landmark_days": 30}, {"kind": "ever"},
])
def test_labels_and_comparison_share_one_population(sample: Any, options: dict[str, Any]) -> None:
    defn = FollowerDefinition(**options)
    seg = define_followers(sample.customers, sample.social_audience, definition=defn)
    labels = seg.labels(sample.customers)
    cmp = rk.compare_segments(sample.customers, by=seg, covariates=(), n_boot=50)
    counts = labels["group"].value_counts()
    assert (cmp.n_followers, cmp.n_non_followers) == (counts.get("followers", 0), counts.get("non-followers", 0))
    pop = rk.prepare_population(sample.customers, audience=seg.matched)
    pd.testing.assert_frame_equal(pop.labels(defn), labels)


def test_sample_matching_reports_prospects(sample: Any) -> None:
    seg = define_followers(sample.customers, sample.social_audience)
    r = seg.match
    assert r.matched["customer_id"] > 0 and r.matched["email"] > 0 and r.matched["handle"] > 0
    assert r.unmatched > 0 and len(r.unmatched_rows) == min(r.unmatched, 1000)
    assert r.rows == len(sample.social_audience)
    assert seg.chart().to_dict()["mark"]["type"] == "bar"


@pytest.mark.spark
def test_labels_on_spark(spark: Any) -> None:
    cust, aud = _customers(), _audience()
    seg = define_followers(spark.createDataFrame(cust), spark.createDataFrame(aud))
    assert seg.match.counts() == {"customer_id": 3, "email": 1, "handle": 1, "unmatched": 3}
    assert _groups(seg, spark.createDataFrame(cust)) == {
        "c1": "followers", "c2": "followers", "c4": "followers"}
