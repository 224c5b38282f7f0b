"""build_paths on hand-made edge cases against a slow reference written plainly here.

The reference follows the documented conventions touch by touch in Python: a user's touches are
ordered by (timestamp, converted, channel, value); a converting touch closes its path; touches
after the last conversion form a non-converting path; the lookback keeps touches at most
``lookback_days`` (whole seconds) before the path's last touch. Every engine route must give the
same table: pandas (ordered windows), polars eager and lazy (one sort and scans), DuckDB.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pytest

from roi_kit.attribution.paths import build_paths
from roi_kit.errors import EmptyDataError

COLUMNS = ["user_id", "timestamp", "channel", "converted", "conversion_value"]
T0 = datetime(2024, 1, 1)


def reference(rows: list[tuple[Any, ...]], lookback_days: float | None = None) -> pd.DataFrame:
    """path, conversions, value, nulls from (user, time, channel, converted, value) rows."""
    users: dict[Any, list[tuple[Any, ...]]] = defaultdict(list)
    for user, t, ch, conv, val in rows:
        if user is None or t is None:
            continue
        users[user].append((t, int(bool(conv)), ch, float(val or 0.0) if conv else 0.0))
    table: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])

    def close(journey: list[tuple[Any, ...]]) -> None:
        end = journey[-1][0]
        if lookback_days is not None:
            journey = [j for j in journey
                       if int((end - j[0]).total_seconds()) <= lookback_days * 86400]
        cell = table[" > ".join(j[2] for j in journey)]
        if journey[-1][1]:
            cell[0] += 1
            cell[1] += journey[-1][3]
        else:
            cell[2] += 1

    for touches in users.values():
        journey: list[tuple[Any, ...]] = []
        for touch in sorted(touches):
            journey.append(touch)
            if touch[1]:
                close(journey)
                journey = []
        if journey:
            close(journey)
    out = pd.DataFrame([(k, *v) for k, v in table.items()],
                       columns=["path", "conversions", "value", "nulls"])
    return out.sort_values("path", kind="stable").reset_index(drop=True)


def frame(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    tp = pd.DataFrame(rows, columns=COLUMNS)
    tp["timestamp"] = pd.to_datetime(tp["timestamp"])
    tp["converted"] = tp["converted"].astype(bool)
    tp["conversion_value"] = tp["conversion_value"].astype(float)
    return tp


def _duckdb(tp: pd.DataFrame) -> Any:
    return duckdb.from_arrow(pl.from_pandas(tp).to_arrow())


ENGINES: dict[str, Callable[[pd.DataFrame], Any]] = {
    "pandas": lambda tp: tp,
    "polars": pl.from_pandas,
    "polars-lazy": lambda tp: pl.from_pandas(tp).lazy(),
    "duckdb": _duckdb,
}


def at(days: float = 0, seconds: int = 0) -> datetime:
    return T0 + timedelta(days=days, seconds=seconds)


CASES: dict[str, list[tuple[Any, ...]]] = {
    # equal timestamps: channels alphabetically, whatever the row order
    "ties": [(1, at(1), "Video", False, 0), (1, at(1), "Email", False, 0),
             (1, at(1), "Direct", False, 0), (2, at(3), "Email", False, 0),
             (2, at(3), "Direct", True, 50)],
    # the conversion shares its instant with later-sorting touches: it still comes last
    "conversion_at_touch_time": [(1, at(2), "Video", True, 10), (1, at(2), "Affiliates", False, 0),
                                 (1, at(2), "Zeta", False, 0), (1, at(3), "Email", False, 0)],
    # two conversions at one instant on one channel: the smaller value first
    "two_conversions_one_instant": [(1, at(1), "Email", False, 0), (1, at(2), "Direct", True, 90),
                                    (1, at(2), "Direct", True, 30), (1, at(4), "Video", False, 0)],
    # lookback 30 days: a touch exactly 30 days before the conversion stays, a second older goes
    "lookback_boundary": [(1, at(0), "Email", False, 0), (1, at(30), "Direct", True, 5),
                          (2, at(0, -1), "Email", False, 0), (2, at(30), "Direct", True, 5),
                          (3, at(0), "Video", False, 0), (3, at(31), "Email", False, 0)],
    # users who never convert keep their whole journey as a null path
    "no_conversion": [(1, at(1), "Email", False, 0), (1, at(2), "Video", False, 0),
                      (2, at(5), "Email", False, 0), (3, at(1), "Email", True, 7)],
    # rows without user or timestamp are left out; their channel still names an element
    "missing_user_or_time": [(None, at(1), "Email", False, 0), (1, None, "Video", True, 1),
                             (1, at(1), "Direct", True, 3)],
    # 45 touches: three 18-touch blocks of the exact encoding
    "long_path": [(1, at(i), ["Email", "Direct", "Video"][i % 3], i == 44, 100 if i == 44 else 0)
                  for i in range(45)],
}


@pytest.mark.parametrize("engine", list(ENGINES))
@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("lookback", [None, 30])
def test_edge_cases_match_the_reference(case: str, engine: str, lookback: int | None) -> None:
    rows = CASES[case]
    want = reference(rows, lookback)
    shuffled = frame(rows).sample(frac=1.0, random_state=7).reset_index(drop=True)
    got = build_paths(ENGINES[engine](shuffled), channel="channel", lookback_days=lookback).to_frame()
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-12)


def test_reference_reads_the_edge_cases_as_documented() -> None:
    assert reference(CASES["ties"])["path"].tolist() == ["Direct > Email > Video", "Email > Direct"]
    two = reference(CASES["two_conversions_one_instant"])
    assert two.set_index("path")["value"].to_dict() == {"Direct": 90.0, "Email > Direct": 30.0,
                                                        "Video": 0.0}
    assert reference(CASES["lookback_boundary"], 30)["path"].tolist() == [
        "Direct", "Email", "Email > Direct"]


@pytest.mark.parametrize("engine", list(ENGINES))
def test_empty_log_says_so_in_every_engine(engine: str) -> None:
    empty = frame([]).astype({"user_id": "int64", "channel": "object"})
    with pytest.raises(EmptyDataError, match="no rows with a user and a timestamp"):
        build_paths(ENGINES[engine](empty), channel="channel")


@pytest.mark.parametrize("engine", list(ENGINES))
def test_no_usable_row_gives_an_empty_table(engine: str) -> None:
    rows = [(None, at(1), "Email", True, 4.0)]
    p = build_paths(ENGINES[engine](frame(rows)), channel="channel")
    assert p.elements == ("Email",)
    assert p.n_paths == 0 and p.n_journeys == 0.0


def random_log(seed: int, users: int = 40) -> list[tuple[Any, ...]]:
    """Few distinct days and channels, so ties and same-instant conversions are common."""
    rng = np.random.default_rng(seed)
    rows = []
    for u in range(users):
        for _ in range(int(rng.integers(1, 9))):
            conv = bool(rng.random() < 0.25)
            rows.append((u, at(int(rng.integers(0, 50))), str(rng.choice(["A", "B", "C", "D"])),
                         conv, float(rng.integers(1, 4)) * 10 if conv else 0.0))
    return rows


@pytest.mark.parametrize("seed", range(6))
def test_random_logs_match_the_reference_in_every_engine(seed: int) -> None:
    rows = random_log(seed)
    for lookback in (None, 10):
        want = reference(rows, lookback)
        for engine, to_engine in ENGINES.items():
            got = build_paths(to_engine(frame(rows)), channel="channel",
                              lookback_days=lookback).to_frame()
            pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-12, obj=engine)


@pytest.mark.parametrize("engine", list(ENGINES))
def test_same_instant_conversions_do_not_depend_on_row_order(engine: str) -> None:
    rows = CASES["two_conversions_one_instant"]
    want = reference(rows)
    for order in (rows, rows[::-1]):
        got = build_paths(ENGINES[engine](frame(order)), channel="channel").to_frame()
        pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-12)


# the lookback measured from each journey's own last touch, at times that are not midnight
LOOKBACK_CASES: dict[str, list[tuple[Any, ...]]] = {
    # 30 days to the second before a 13:37:12 conversion stays; one second more goes
    "non_midnight_boundary": [(1, at(0, 49032), "Email", False, 0), (1, at(30, 49032), "Direct", True, 5),
                              (2, at(0, 49031), "Email", False, 0), (2, at(30, 49032), "Direct", True, 5)],
    # whole seconds: 30 days and 0.6 s before the conversion still counts as 30 days
    "fraction_of_a_second": [(1, at(0) - timedelta(milliseconds=600), "Email", False, 0),
                             (1, at(30), "Direct", True, 5),
                             (2, at(0) - timedelta(seconds=1, milliseconds=1), "Email", False, 0),
                             (2, at(30), "Direct", True, 5)],
    # four journeys of one user: each window ends at its own last touch (the Email on day 25 is
    # 36 days before the second conversion and goes; so does the Email 31 days before the last
    # touch of the final, non-converting journey)
    "several_conversions": [(1, at(0), "Email", False, 0), (1, at(20), "Video", True, 10),
                            (1, at(25), "Email", False, 0), (1, at(60), "Direct", False, 0),
                            (1, at(61), "Direct", True, 20), (1, at(61, 5), "Video", True, 30),
                            (1, at(100), "Email", False, 0), (1, at(131), "Video", False, 0)],
    # ties at the window's edge: both touches 30 days before stay, in channel order; the
    # conversion comes after the Direct touch at its own instant
    "ties_at_the_edge": [(1, at(0), "Video", False, 0), (1, at(0), "Email", False, 0),
                         (1, at(0, -1), "Direct", False, 0), (1, at(30), "Email", True, 7),
                         (1, at(30), "Direct", False, 0)],
    # rows without user or time next to the window's edge
    "nulls_at_the_edge": [(1, None, "Video", False, 0), (None, at(0), "Email", True, 3),
                          (1, at(0), "Email", False, 0), (1, at(30), "Direct", True, 4)],
}


@pytest.mark.parametrize("engine", list(ENGINES))
@pytest.mark.parametrize("case", list(LOOKBACK_CASES))
def test_lookback_edges_match_the_reference(case: str, engine: str) -> None:
    rows = LOOKBACK_CASES[case]
    shuffled = frame(rows).sample(frac=1.0, random_state=3).reset_index(drop=True)
    got = build_paths(ENGINES[engine](shuffled), channel="channel", lookback_days=30).to_frame()
    pd.testing.assert_frame_equal(got, reference(rows, 30), check_exact=False, rtol=1e-12)


def test_lookback_edges_read_as_documented() -> None:
    paths = {k: reference(v, 30)["path"].tolist() for k, v in LOOKBACK_CASES.items()}
    assert paths["non_midnight_boundary"] == ["Direct", "Email > Direct"]
    assert paths["fraction_of_a_second"] == ["Direct", "Email > Direct"]
    assert paths["several_conversions"] == ["Direct > Direct", "Email > Video", "Video"]
    assert paths["ties_at_the_edge"] == ["Email > Video > Direct > Email"]
    assert paths["nulls_at_the_edge"] == ["Email > Direct"]


@pytest.mark.parametrize("engine", ["pandas", "polars", "polars-lazy", "duckdb"])
def test_tz_aware_times_keep_the_lookback_in_absolute_time(engine: str) -> None:
    # Berlin moves its clocks back on 27 October 2024: 30 days of absolute time before a 12:00
    # conversion on 10 November (11:00 UTC) start at 13:00 on 11 October (11:00 UTC); 12:00 that
    # day is 30 days on the wall clock but an hour more in absolute time, so it goes
    berlin = "Europe/Berlin"
    conversion = pd.Timestamp("2024-11-10 12:00:00", tz=berlin)
    rows = [(1, pd.Timestamp("2024-10-11 13:00:00", tz=berlin), "Email", False, 0),
            (1, conversion, "Direct", True, 5),
            (2, pd.Timestamp("2024-10-11 12:59:59", tz=berlin), "Email", False, 0),
            (2, conversion, "Direct", True, 5),
            (3, pd.Timestamp("2024-10-11 12:00:00", tz=berlin), "Video", False, 0),
            (3, conversion, "Direct", True, 5)]
    want = reference(rows, 30)
    assert want["path"].tolist() == ["Direct", "Email > Direct"]
    assert want["conversions"].tolist() == [2.0, 1.0]
    got = build_paths(ENGINES[engine](frame(rows)), channel="channel", lookback_days=30).to_frame()
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-12)


@pytest.mark.parametrize("lookback", [None, 10])
def test_polars_route_returns_the_engine_route_paths_in_the_same_order(lookback: int | None) -> None:
    # the polars route re-orders its distinct paths by their block keys; the arrays (not only the
    # sorted interchange table) must equal the ordered-window route's, long paths included
    rows = random_log(8, users=120) + CASES["long_path"]
    tp = frame(rows)
    want = build_paths(tp, channel="channel", lookback_days=lookback)
    for to_engine in (pl.from_pandas, lambda t: pl.from_pandas(t).lazy()):
        got = build_paths(to_engine(tp), channel="channel", lookback_days=lookback)
        assert got.elements == want.elements
        for name in ("codes", "offsets", "conversions", "value", "nulls"):
            np.testing.assert_array_equal(getattr(got, name), getattr(want, name), err_msg=name)
