"""Chunked logs (roi_kit.datasets.scale) and the streaming route of attribution and the funnel.

The streaming route (``pl.scan_parquet`` over a multi-file dataset, polars' streaming engine)
must give the same numbers as the in-memory route (an eager DataFrame, in-memory engine):
counts exactly, credits to 1e-9 relative. benchmarks/bench_scale.py checks the same at 10M rows.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pytest

import roi_kit as rk
from roi_kit.attribution import as_paths
from roi_kit.datasets.scale import USERS_PER_CHUNK, funnel_chunk, journey_chunk, write_log
from roi_kit.errors import ConfigError

MODELS = [("first", 1), ("last", 1), ("last_non_direct", 1), ("linear", 1), ("position", 1),
          ("time_decay", 1), ("markov", 1), ("markov", 2), ("markov", 3)]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("scale")
    write_log(root / "touchpoints", "touchpoints", rows=6_000, chunk_rows=2_000, seed=7)
    write_log(root / "funnel_events", "funnel_events", rows=6_000, chunk_rows=2_000, seed=7)
    return root


def _files(root: Path, table: str) -> list[Path]:
    return sorted((root / table).glob("part-*.parquet"))


def test_chunks_are_seeded_per_chunk_and_own_their_users(dataset: Path) -> None:
    files = _files(dataset, "touchpoints")
    assert [f.name for f in files] == ["part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
    parts = [pl.read_parquet(f) for f in files]
    # each chunk is reproducible on its own (no state carried from earlier chunks)
    assert parts[1].equals(journey_chunk(1, rows=2_000, seed=7))
    assert not parts[1].equals(journey_chunk(1, rows=2_000, seed=8))
    for c, part in enumerate(parts):
        ids = part["user_id"]
        assert ids.min() > c * USERS_PER_CHUNK and ids.max() < (c + 1) * USERS_PER_CHUNK
        # one journey per user: converted only on the user's last touch, at most once
        last = part.group_by("user_id").agg(pl.col("converted").sum().alias("n"),
                                            pl.col("converted").last().alias("at_end"))
        assert last["n"].max() <= 1 and bool((last["n"] == last["at_end"].cast(pl.Int64)).all())
        assert 1_500 < part.height < 2_500
    events = pl.read_parquet(_files(dataset, "funnel_events")[2])
    assert events.equals(funnel_chunk(2, rows=2_000, seed=7))
    with pytest.raises(ConfigError, match="out of range"):
        journey_chunk(-1, rows=10)
    with pytest.raises(ConfigError, match="cannot be generated"):
        write_log(dataset / "x", "posts", rows=10)  # type: ignore[arg-type]


def _attribute_all(frame: object) -> dict[str, pd.DataFrame]:
    out = {}
    for model, order in MODELS:
        res = rk.attribute(frame, model=model, order=order, channel="channel", n_boot=0)
        out[f"{model}{order}"] = res.to_frame()[["channel", "conversions", "value"]]
    return out


def test_streaming_attribution_equals_in_memory(dataset: Path) -> None:
    files = _files(dataset, "touchpoints")
    with pl.Config(engine_affinity="streaming"):
        streamed = _attribute_all(pl.scan_parquet(dataset / "touchpoints"))
        paths_stream = as_paths(pl.scan_parquet(files), channel="channel").to_frame()
    eager = pl.read_parquet(files)
    with pl.Config(engine_affinity="in-memory"):
        in_memory = _attribute_all(eager)
        paths_mem = as_paths(eager, channel="channel").to_frame()
    pd.testing.assert_frame_equal(paths_stream[["path", "conversions", "nulls"]],
                                  paths_mem[["path", "conversions", "nulls"]], check_exact=True)
    for name, table in streamed.items():
        other = in_memory[name]
        assert table["channel"].tolist() == other["channel"].tolist(), name
        for col in ("conversions", "value"):
            np.testing.assert_allclose(table[col], other[col], rtol=1e-9, atol=0, err_msg=name)
    # against the raw rows: one journey per user, last touch = the converting row's channel
    assert int(paths_stream[["conversions", "nulls"]].to_numpy().sum()) == eager["user_id"].n_unique()
    conv = eager.filter("converted").group_by("channel").agg(pl.len().alias("n"),
                                                             pl.col("conversion_value").sum())
    last = streamed["last1"].set_index("channel")
    for ch, n, v in conv.iter_rows():
        assert last.loc[ch, "conversions"] == n
        assert last.loc[ch, "value"] == pytest.approx(v, rel=1e-12)
    assert last["conversions"].sum() == eager["converted"].sum()


def test_streaming_funnel_equals_in_memory(dataset: Path) -> None:
    options = {"stages": "saas", "by": "paid", "window_days": 90}
    with pl.Config(engine_affinity="streaming"):
        streamed = rk.funnel(pl.scan_parquet(dataset / "funnel_events"), **options).to_frame()  # type: ignore[arg-type]
    eager = pl.read_parquet(_files(dataset, "funnel_events"))
    with pl.Config(engine_affinity="in-memory"):
        in_memory = rk.funnel(eager, **options).to_frame()  # type: ignore[arg-type]
    assert streamed.columns.tolist() == in_memory.columns.tolist()
    for col in streamed.columns:
        if pd.api.types.is_float_dtype(streamed[col]):
            np.testing.assert_allclose(streamed[col], in_memory[col], rtol=1e-9, atol=0, err_msg=col)
        else:
            assert streamed[col].astype(str).tolist() == in_memory[col].astype(str).tolist(), col
    # every user enters at 'visit'; the entered count per group is the users seen per group
    entered = streamed[streamed["step"] == 1].set_index("paid")["users"]
    per_group = eager.group_by("paid").agg(pl.col("user_id").n_unique()).to_pandas()
    expected = dict(zip(per_group["paid"].map({True: "paid", False: "organic"}), per_group["user_id"]))
    assert {k: int(v) for k, v in entered.items()} == expected
