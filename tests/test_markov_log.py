"""Markov straight from a polars touch log equals Markov through the path table.

``rk.attribute(log, model="markov", n_boot=0)`` on a polars log counts transitions from the
sorted touches (:mod:`roi_kit.attribution._markov_log`) and never builds the path table; these
tests run the same logs through ``build_paths`` and the path-table solve and require the same
removal effects, credits, totals and transition matrix (1e-12; value sums may differ in the
last bits because they are added in another order).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roi_kit.attribution import _chain, _markov_log, attribute, build_paths
from roi_kit.attribution._markov_log import markov_credits, markov_from_log
from roi_kit.attribution.result import AttributionResult
from roi_kit.errors import ConfigError, EmptyDataError
from tests.budget import examples

T0 = datetime(2024, 1, 1)
COLUMNS = ["user_id", "timestamp", "channel", "converted", "conversion_value"]


def log_of(rows: list[tuple[Any, ...]]) -> pl.DataFrame:
    """(user, day offset, channel, converted, value) rows as a polars log."""
    return pl.DataFrame(
        [(u, None if d is None else T0 + timedelta(days=d), c, bool(y), v) for u, d, c, y, v in rows],
        schema={"user_id": pl.Int64, "timestamp": pl.Datetime("us"), "channel": pl.String,
                "converted": pl.Boolean, "conversion_value": pl.Float64}, orient="row")


def both_routes(log: pl.DataFrame, order: int, **kw: Any) -> tuple[AttributionResult, AttributionResult]:
    """(log route, path-table route) on the same log and options."""
    direct = markov_from_log(log, order=order, **kw)
    assert direct is not None
    paths = build_paths(log, **kw)
    res = attribute(paths, model="markov", order=order, n_boot=0)
    return direct, res


def assert_same(direct: AttributionResult, res: AttributionResult) -> None:
    a, b = direct.to_frame(), res.to_frame()
    assert list(a.columns) == list(b.columns)
    assert a["channel"].tolist() == b["channel"].tolist()
    for col in ("conversions", "removal_effect", "value_removal_effect", "share"):
        np.testing.assert_allclose(a[col].to_numpy(float), b[col].to_numpy(float), rtol=0, atol=1e-12,
                                   err_msg=col)
    for col in ("value", "value_share"):
        np.testing.assert_allclose(a[col].to_numpy(float), b[col].to_numpy(float), rtol=1e-12,
                                   atol=1e-12, err_msg=col)
    assert direct.total_conversions == res.total_conversions
    assert direct.total_value == pytest.approx(res.total_value, rel=1e-12)
    assert direct.n_journeys == res.n_journeys
    assert direct.label == res.label and direct.level == res.level
    assert direct.notes == res.notes
    assert direct.n_paths is None and isinstance(res.n_paths, int)
    if res.transitions is None:
        assert direct.transitions is None
    else:
        assert direct.transitions is not None
        pd.testing.assert_frame_equal(direct.transitions, res.transitions, rtol=0, atol=1e-12)


# (user, day, channel, converted, value)
HAND: dict[str, list[tuple[Any, ...]]] = {
    "one_touch_journeys": [(1, 0, "Email", 1, 10.0), (2, 0, "Direct", 0, 0.0), (3, 1, "Email", 0, 0.0),
                           (4, 2, "Paid Social", 1, 30.0)],
    "repeated_channels": [(1, 0, "Email", 0, 0.0), (1, 1, "Email", 0, 0.0), (1, 2, "Email", 0, 0.0),
                          (1, 3, "Paid Social", 1, 50.0), (2, 0, "Paid Social", 0, 0.0),
                          (2, 1, "Paid Social", 0, 0.0), (3, 0, "Email", 0, 0.0),
                          (3, 1, "Paid Social", 0, 0.0), (3, 2, "Email", 1, 20.0)],
    # equal timestamps: the converting touch goes last, then channel name, then value
    "timestamp_ties": [(1, 0, "Paid Social", 1, 40.0), (1, 0, "Email", 0, 0.0), (1, 0, "Direct", 0, 0.0),
                       (2, 5, "Email", 0, 0.0), (2, 5, "Direct", 0, 0.0), (2, 6, "Email", 1, 15.0),
                       (3, 1, "Direct", 1, 5.0), (3, 1, "Email", 1, 7.0), (4, 1, "Email", 0, 0.0)],
    "no_conversion_journeys": [(1, 0, "Email", 0, 0.0), (1, 1, "Direct", 0, 0.0), (2, 0, "Direct", 0, 0.0),
                               (3, 0, "Paid Social", 0, 0.0), (3, 4, "Email", 1, 25.0),
                               (4, 0, "Paid Social", 0, 0.0), (4, 3, "Direct", 0, 0.0)],
    "several_conversions_per_user": [(1, 0, "Email", 1, 10.0), (1, 1, "Paid Social", 0, 0.0),
                                     (1, 2, "Email", 1, 12.0), (1, 3, "Email", 1, 14.0),
                                     (1, 4, "Direct", 0, 0.0), (2, 0, "Paid Social", 0, 0.0),
                                     (2, 9, "Paid Social", 1, 99.0), (2, 10, "Email", 0, 0.0)],
    "rows_without_user_or_time": [(1, 0, "Email", 0, 0.0), (1, 1, "Direct", 1, 8.0),
                                  (None, 1, "Email", 1, 5.0), (2, None, "Direct", 0, 0.0),
                                  (2, 2, "Paid Social", 0, 0.0)],
}


@pytest.mark.parametrize("order", [1, 2, 3])
@pytest.mark.parametrize("case", sorted(HAND))
def test_log_route_equals_path_route_on_hand_made_logs(case: str, order: int) -> None:
    assert_same(*both_routes(log_of(HAND[case]), order, channel="channel"))


@pytest.mark.parametrize("order", [1, 2, 3])
def test_log_route_equals_path_route_with_lookback(order: int) -> None:
    # user 1 converts on day 20 after touches on days 0, 10, 15: a 7-day lookback keeps 15 and 20
    rows = [(1, 0, "Direct", 0, 0.0), (1, 10, "Email", 0, 0.0), (1, 15, "Paid Social", 0, 0.0),
            (1, 20, "Email", 1, 60.0), (2, 0, "Email", 0, 0.0), (2, 30, "Direct", 0, 0.0),
            *HAND["several_conversions_per_user"][:4]]
    log = log_of([(u + 10 * (i >= 6), *rest) for i, (u, *rest) in enumerate(rows)])
    direct, res = both_routes(log, order, channel="channel", lookback_days=7)
    assert_same(direct, res)
    assert any("7 days" in n for n in direct.notes)


def test_log_route_hand_counted_removal_effects() -> None:
    # journeys a > b (converts, 10), b, a; order 1: P = 2/3*1/2*1/2 + 1/3*1/2 = 1/3;
    # without a: 1/6 (RE 1/2); without b: 0 (RE 1) -> credits 1/3 : 2/3
    log = log_of([(1, 0, "a", 0, 0.0), (1, 1, "b", 1, 10.0), (2, 0, "b", 0, 0.0), (3, 0, "a", 0, 0.0)])
    res = attribute(log, model="markov", channel="channel", n_boot=0)
    t = res.to_frame().set_index("channel")
    assert t.loc["a", "removal_effect"] == pytest.approx(0.5, abs=1e-15)
    assert t.loc["b", "removal_effect"] == pytest.approx(1.0, abs=1e-15)
    assert t.loc["a", "conversions"] == pytest.approx(1 / 3, abs=1e-15)
    assert res.n_paths is None and res.n_journeys == 3.0
    assert "3 journeys." in res.summary()
    assert res.transitions is not None and res.transitions.loc["(start)", "a"] == pytest.approx(2 / 3)


def test_log_route_at_campaign_level_and_from_utm_tags() -> None:
    log = pl.DataFrame({
        "user_id": [1, 1, 2, 2, 3], "timestamp": [1, 2, 1, 3, 1],
        "source": ["fb", "newsletter", "Facebook ", "google", "fb"],
        "medium": ["paid_social", "email", "social", "organic", "cpc"],
        "campaign": ["spring", None, "spring", None, "autumn"],
        "converted": [0, 1, 0, 1, 0], "conversion_value": [0.0, 120.0, 0.0, 80.0, 0.0]})
    for level in ("channel", "campaign"):
        direct, res = both_routes(log, 2, level=level)
        assert_same(direct, res)
        assert direct.report is not None
        assert res.report is not None  # the same report (its row order is not fixed)
        key = list(res.report.columns)
        pd.testing.assert_frame_equal(direct.report.sort_values(key).reset_index(drop=True),
                                      res.report.sort_values(key).reset_index(drop=True))
    assert "campaign" in direct.to_frame()


def test_log_route_without_conversions_credits_nothing() -> None:
    direct, res = both_routes(log_of(HAND["no_conversion_journeys"][:3]), 2, channel="channel")
    assert_same(direct, res)
    assert direct.to_frame()["conversions"].tolist() == [0.0, 0.0]


def test_attribute_takes_the_log_route_only_for_markov_without_bootstrap_on_polars() -> None:
    log = log_of(HAND["repeated_channels"])
    assert attribute(log, model="markov", channel="channel", n_boot=0).n_paths is None
    assert attribute(log, model="markov", channel="channel", n_boot=20).n_paths == 3
    assert attribute(log.to_pandas(), model="markov", channel="channel", n_boot=0).n_paths == 3
    assert attribute(log.lazy(), model="markov", channel="channel", n_boot=0).n_paths is None
    assert attribute(log, model="linear", channel="channel", n_boot=0).n_paths == 3
    paths = build_paths(log, channel="channel")
    assert markov_from_log(paths, order=1) is None
    assert markov_from_log(paths.to_frame(), order=1) is None
    assert markov_from_log(pl.from_pandas(paths.to_frame()), order=1) is None


def test_log_route_falls_back_to_paths_when_ids_overflow(monkeypatch: pytest.MonkeyPatch) -> None:
    log = log_of(HAND["timestamp_ties"])
    want = attribute(log, model="markov", order=2, channel="channel", n_boot=0)
    monkeypatch.setattr(_markov_log, "_ID_LIMIT", 4**3)  # 3 channels: base 4, order 2 needs 4**3
    got = attribute(log, model="markov", order=2, channel="channel", n_boot=0)
    assert got.n_paths == 4 and want.n_paths is None  # D>E>P, D>E>E, D, E
    pd.testing.assert_frame_equal(got.to_frame(), want.to_frame(), rtol=0, atol=1e-12)


@pytest.mark.parametrize("order", [1, 3])
def test_sparse_id_space_counts_like_the_dense_one(order: int, monkeypatch: pytest.MonkeyPatch) -> None:
    log = log_of(HAND["several_conversions_per_user"] + HAND["repeated_channels"][:4])
    dense = markov_from_log(log, order=order, channel="channel")
    monkeypatch.setattr(_chain, "_DENSE_IDS", 1)  # np.unique instead of a dense bincount
    sparse = markov_from_log(log, order=order, channel="channel")
    assert dense is not None and sparse is not None
    pd.testing.assert_frame_equal(sparse.to_frame(), dense.to_frame(), rtol=0, atol=1e-12)
    paths = build_paths(log, channel="channel")
    fit = markov_credits(paths, order).fit
    np.testing.assert_allclose(fit.removal_effects, sparse.to_frame().set_index("channel")
                               .loc[list(paths.elements), "removal_effect"].to_numpy(), atol=1e-12)


def test_log_route_errors_like_build_paths() -> None:
    with pytest.raises(ConfigError, match="order=5"):
        markov_from_log(log_of(HAND["timestamp_ties"]), order=5, channel="channel")
    empty = log_of([])
    for run in (lambda: markov_from_log(empty, order=1, channel="channel"),
                lambda: build_paths(empty, channel="channel")):
        with pytest.raises(EmptyDataError, match="no rows with a user and a timestamp"):
            run()


@st.composite
def logs(draw: st.DrawFn) -> list[tuple[Any, ...]]:
    n = draw(st.integers(1, 25))
    rows = []
    for _ in range(n):
        conv = draw(st.booleans())
        rows.append((draw(st.integers(1, 5)), draw(st.integers(0, 12)), draw(st.sampled_from("abcd")),
                     conv, draw(st.floats(0.5, 500.0)) if conv else 0.0))
    return rows


@settings(max_examples=examples(40), deadline=None)
@given(rows=logs(), order=st.integers(1, 3), lookback=st.sampled_from([None, 0.0, 2.0, 5.5]))
def test_log_route_equals_path_route_on_generated_logs(rows: list[tuple[Any, ...]], order: int,
                                                       lookback: float | None) -> None:
    assert_same(*both_routes(log_of(rows), order, channel="channel", lookback_days=lookback))
