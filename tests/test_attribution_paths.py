"""Building journeys from touchpoints (in every engine) and reading the interchange format."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.attribution.encoding import block_size
from roi_kit.attribution.paths import build_paths, read_paths
from roi_kit.engine import to_pandas
from roi_kit.errors import EmptyDataError, InputError, MissingColumnError


def _tp(rows: list[tuple[str, str, str, bool, float]]) -> pd.DataFrame:
    return pd.DataFrame({
        "user_id": [r[0] for r in rows],
        "timestamp": pd.to_datetime([r[1] for r in rows]),
        "channel": [r[2] for r in rows],
        "converted": [r[3] for r in rows],
        "conversion_value": [r[4] for r in rows],
    })


# u1: Email, Paid Social -> converts (100); then Direct (no conversion yet)
# u2: Email -> converts (40); Paid Social -> converts (60)  (a conversion closes a path)
# u3: Organic Search 40 days before its conversion on Email (20)
LOG = _tp([
    ("u1", "2024-01-01", "Email", False, 0.0),
    ("u1", "2024-01-02", "Paid Social", True, 100.0),
    ("u1", "2024-01-05", "Direct", False, 0.0),
    ("u2", "2024-01-03", "Email", True, 40.0),
    ("u2", "2024-01-04", "Paid Social", True, 60.0),
    ("u3", "2024-01-01", "Organic Search", False, 0.0),
    ("u3", "2024-02-10", "Email", True, 20.0),
])


def test_conversion_closes_path_and_non_converting_paths_are_kept() -> None:
    frame = build_paths(LOG.sample(frac=1.0, random_state=3), channel="channel").to_frame()
    expected = pd.DataFrame({
        "path": ["Direct", "Email", "Email > Paid Social", "Organic Search > Email", "Paid Social"],
        "conversions": [0.0, 1.0, 1.0, 1.0, 1.0],
        "value": [0.0, 40.0, 100.0, 20.0, 60.0],
        "nulls": [1.0, 0.0, 0.0, 0.0, 0.0],
    })
    pd.testing.assert_frame_equal(frame, expected)


def test_lookback_drops_touches_older_than_window() -> None:
    frame = build_paths(LOG, channel="channel", lookback_days=30).to_frame()
    # u3's Organic Search is 40 days before the conversion: only Email remains -> 2 x "Email"
    email = frame[frame["path"] == "Email"]
    assert email[["conversions", "value"]].to_numpy().tolist() == [[2.0, 60.0]]
    assert "Organic Search > Email" not in set(frame["path"])


def test_same_timestamp_puts_the_conversion_last() -> None:
    tp = _tp([("u", "2024-01-01", "Email", True, 5.0), ("u", "2024-01-01", "Direct", False, 0.0)])
    assert build_paths(tp, channel="channel").to_frame()["path"].tolist() == ["Direct > Email"]


def test_build_paths_same_in_every_engine(to_engine: Callable[[pd.DataFrame], Any]) -> None:
    rng = np.random.default_rng(11)
    n = 1500
    tp = pd.DataFrame({
        "user_id": rng.integers(0, 150, n).astype(str),
        "timestamp": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 10**7, n), unit="s"),
        "source": rng.choice(["fb", "google", "newsletter", "(direct)"], n),
        "medium": rng.choice(["cpc", "organic", "email", "(none)"], n),
        "converted": rng.random(n) < 0.1,
    })
    tp["conversion_value"] = np.where(tp["converted"], 10.0, np.nan)
    reference = build_paths(tp, lookback_days=20).to_frame()
    got = build_paths(to_engine(tp), lookback_days=20).to_frame()
    pd.testing.assert_frame_equal(got, reference)
    assert reference["conversions"].sum() == pytest.approx(tp["converted"].sum())


def test_long_paths_are_encoded_exactly_beyond_one_block() -> None:
    # 12 channels -> base 13 -> 17 codes per 64-bit block; a 60-touch journey needs 4 blocks
    names = [f"c{i:02d}" for i in range(12)]
    rng = np.random.default_rng(5)
    seq = rng.choice(names, 60)
    tp = pd.DataFrame({"user_id": "u", "timestamp": pd.date_range("2024-01-01", periods=60, freq="h"),
                       "channel": seq, "converted": [False] * 59 + [True]})
    assert block_size(13) == 17
    frame = build_paths(tp, channel="channel").to_frame()
    assert frame["path"].tolist() == [" > ".join(seq)]


def test_campaign_level_elements_carry_channel_and_campaign() -> None:
    tp = LOG.assign(campaign=["a", None, None, "b", "b", None, "a"])
    p = build_paths(tp, channel="channel", level="campaign")
    assert "Email | a" in p.elements and "Paid Social | (not set)" in p.elements
    res = rk.attribute(p, model="last")
    t = res.to_frame()
    assert list(t.columns[:3]) == ["channel", "campaign", "conversions"]
    assert t.loc[(t.channel == "Paid Social") & (t.campaign == "b"), "value"].item() == 60.0


def test_read_paths_interchange_format_with_spacing_variants() -> None:
    p = read_paths(pd.DataFrame({"path": ["a>b", " a >  b ", "b > > c", ""],
                                 "conversions": [1, 2, 0, 5], "value": [1.0, 2.0, 0.0, 9.0],
                                 "nulls": [0, 1, 3, 1]}))
    assert p.elements == ("a", "b", "c")
    assert p.lengths.tolist() == [2, 2, 2]
    assert p.total_conversions == 3.0 and p.total_value == 3.0
    assert any("without any channel" in n for n in p.notes)


def test_read_paths_from_polars_lazy_and_duckdb(to_engine: Callable[[pd.DataFrame], Any]) -> None:
    df = pd.DataFrame({"path": ["x > y", "y"], "conversions": [3, 1], "value": [30.0, 5.0],
                       "nulls": [1, 4]})
    res = rk.attribute(to_engine(df), model="linear").to_frame().set_index("channel")
    assert res.loc["x", "conversions"] == pytest.approx(1.5)
    assert res.loc["y", "value"] == pytest.approx(20.0)


def test_errors_name_the_problem_and_the_fix() -> None:
    with pytest.raises(MissingColumnError, match="no channel information"):
        build_paths(LOG.drop(columns="channel"))
    with pytest.raises(MissingColumnError, match="'converted'"):
        build_paths(LOG.drop(columns="converted"), channel="channel")
    with pytest.raises(InputError, match="negative"):
        read_paths(pd.DataFrame({"path": ["a"], "conversions": [-1]}))
    with pytest.raises(EmptyDataError, match="no channel"):
        read_paths(pd.DataFrame({"path": [""], "conversions": [1]}))
    with pytest.raises(InputError, match="lookback_days"):
        build_paths(LOG, channel="channel", lookback_days=-1)


def test_caller_frame_is_not_mutated() -> None:
    before = LOG.copy()
    rk.attribute(LOG, model="time_decay", channel="channel")
    pd.testing.assert_frame_equal(LOG, before)


@pytest.mark.spark
def test_attribute_runs_on_spark(spark: Any) -> None:
    sdf = spark.createDataFrame(LOG.assign(timestamp=LOG["timestamp"].astype("datetime64[us]")))
    # lookback exercises the Spark-specific age arithmetic (no duration type in narwhals there)
    got = rk.attribute(sdf, model="markov", channel="channel", lookback_days=30).to_frame()
    expected = rk.attribute(LOG, model="markov", channel="channel", lookback_days=30).to_frame()
    pd.testing.assert_frame_equal(got, expected)
    # UTM regexes ((?i) flags, anchors) read the same in Spark's Java regex engine
    tags = pd.DataFrame({"k": [0, 1], "url": ["https://a.example/?UTM_Source=FB&utm_medium=CPC",
                                              "https://a.example/?utm_source=lnkd.in&utm_medium=social"]})
    grouped = to_pandas(rk.channel_group(spark.createDataFrame(tags))).sort_values("k")
    assert grouped["channel"].tolist() == ["Paid Social", "Organic Social"]


def test_read_paths_sliced_on_threads_matches_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    import roi_kit.attribution.encoding as enc

    rng = np.random.default_rng(5)
    names = ["Email", "Organic Search", "Organic Social", "Paid Social | spring_sale_2024", "x"]
    rows = [" > ".join(rng.choice(names[:4], int(rng.integers(1, 7)))) for _ in range(3000)]
    rows[-1] = "x > Email"  # a name only the last slice holds (outside the first rows' sample)
    df = pd.DataFrame({"path": rows, "conversions": rng.integers(0, 3, len(rows)),
                       "nulls": rng.integers(0, 3, len(rows))})
    one = read_paths(df)
    monkeypatch.setattr(enc, "_PARALLEL_ROWS", 500)
    monkeypatch.setattr(enc, "_SAMPLE_ROWS", 10)
    sliced = read_paths(df)
    assert sliced.elements == one.elements and "x" in sliced.elements
    assert np.array_equal(sliced.codes, one.codes) and np.array_equal(sliced.offsets, one.offsets)
    # hand check: the last path is x then Email
    e = sliced.elements
    assert [e[c] for c in sliced.codes[sliced.offsets[-2]:]] == ["x", "Email"]


def test_a_pandas_log_polars_cannot_read_stays_on_pandas() -> None:
    """User ids mixing numbers and text (an object column Arrow refuses) still give paths, the same
    as the same log with the ids as text."""
    log = pd.DataFrame({"user_id": [1, 1, "b", "b"],
                        "timestamp": pd.to_datetime(["2024-03-01", "2024-03-02", "2024-03-01", "2024-03-03"]),
                        "source": ["fb", "google", "fb", "fb"], "medium": ["cpc", "organic", "cpc", "cpc"],
                        "converted": [0, 1, 0, 0]})
    mixed = build_paths(log).to_frame()
    as_text = build_paths(log.assign(user_id=log["user_id"].astype(str))).to_frame()
    pd.testing.assert_frame_equal(mixed, as_text)
    assert mixed["conversions"].sum() == 1
