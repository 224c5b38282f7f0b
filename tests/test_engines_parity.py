"""Parity matrix: every analysis that accepts a frame gives pandas' result on every engine.

Engines: polars (eager and lazy), DuckDB, PySpark (local mode, in the shared JVM) and PostgreSQL
(a real server started for the session, tables read through rk.warehouse_table, i.e. Ibis).
Analyses: attribution (every rule model, Markov order 1 and 2, from touchpoints), the funnel,
rates, the follower population (labels, retention curves, compare_segments) and content
(post metrics, best time to post, top posts). Tolerance: floats equal to pandas within a
relative 1e-9 (engines sum in different orders); counts, labels and orderings exactly.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest

import roi_kit as rk
from tests.conftest import convert
from tests.content_sim import simulate
from tests.postgres_server import Postgres, load_table, pg_bin, running_postgres
from tests.test_population import L, _audience, _customers

RTOL = 1e-9
HORIZONS = (30, 90, 180)


def _touchpoints(n: int = 400, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    converted = rng.random(n) < 0.15
    return pd.DataFrame({
        "user_id": [f"u{i:03d}" for i in rng.integers(0, 90, n)],
        "timestamp": (pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 86_400 * 90, n), unit="s")
                      ).astype("datetime64[us]"),
        "channel": rng.choice(["Email", "Paid Social", "Organic Social", "Direct", "Search"], n),
        "converted": converted,
        "conversion_value": np.where(converted, rng.integers(1, 50, n) * 10.0, 0.0),
    }).drop_duplicates(["user_id", "timestamp"]).reset_index(drop=True)


def _events(n: int = 400, seed: int = 4) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    users = rng.integers(0, 120, n)
    return pd.DataFrame({
        "user_id": [f"u{i:03d}" for i in users],
        "timestamp": (pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 86_400 * 60, n), unit="s")
                      ).astype("datetime64[us]"),
        "event": rng.choice(["visit", "lead", "won"], n, p=[0.5, 0.3, 0.2]),
        "paid": users % 3 == 0,  # one value per user, so each user's entry group is unambiguous
    })


def _ads(n: int = 60, seed: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    impressions = rng.integers(500, 5_000, n)
    return pd.DataFrame({"platform": rng.choice(["linkedin", "instagram", "x"], n),
                         "spend": rng.integers(100, 5_000, n) / 10.0, "impressions": impressions,
                         "clicks": rng.integers(0, 50, n), "likes": rng.integers(0, 80, n),
                         "reach": (impressions * 0.8).astype("int64")})


def _posts() -> pd.DataFrame:
    posts = simulate(1, 60).drop(columns=["text"])
    return posts.assign(published_at=posts["published_at"].astype("datetime64[us]"))


def _as_us(frame: pd.DataFrame) -> pd.DataFrame:
    """Spark and PostgreSQL keep microseconds: give every engine the same timestamps."""
    return frame.astype({c: "datetime64[us]" for c in frame.columns
                         if pd.api.types.is_datetime64_any_dtype(frame[c])})


TABLES: dict[str, Callable[[], pd.DataFrame]] = {
    "touchpoints": _touchpoints, "funnel_events": _events, "ads": _ads, "posts": _posts,
    "customers": lambda: _as_us(_customers()), "social_audience": lambda: _as_us(_audience()),
}


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    """One PostgreSQL server for the session with every table loaded."""
    if pg_bin() is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed: `make test` runs scripts/ensure_postgres.sh.")
        pytest.skip("PostgreSQL is not installed: run `bash scripts/ensure_postgres.sh`.")
    pytest.importorskip("ibis")
    with running_postgres() as server:
        for name, make in TABLES.items():
            load_table(server, name, make())
        yield server


@pytest.fixture(scope="session")
def postgres_tables(postgres: Postgres) -> Iterator[Any]:
    """An Ibis connection to the session's server."""
    con = postgres.ibis()
    yield con
    con.disconnect()


ENGINES = ["polars", "polars-lazy", "duckdb",
           pytest.param("spark", marks=pytest.mark.spark),
           pytest.param("postgres", marks=pytest.mark.warehouse)]


@pytest.fixture(params=ENGINES)
def tables(request: pytest.FixtureRequest) -> Callable[..., list[Any]]:
    """``tables("a", "b")``: the named tables as native frames of the engine under test."""
    engine = str(request.param)

    def get(*names: str) -> list[Any]:
        frames = [TABLES[n]() for n in names]
        if engine == "spark":
            spark = request.getfixturevalue("spark")
            return [spark.createDataFrame(f) for f in frames]
        if engine == "postgres":
            con = request.getfixturevalue("postgres_tables")
            return [rk.warehouse_table(con, n) for n in names]
        if engine == "duckdb":  # relations joined together must share one connection
            import duckdb

            con = duckdb.connect()
            for n, f in zip(names, frames):
                con.register(f"t_{n}", f)
            return [con.sql(f"select * from t_{n}") for n in names]
        return [convert(f, engine) for f in frames]

    return get


def _same(got: pd.DataFrame, expected: pd.DataFrame, *, dtypes: bool = False) -> None:
    """Equal within RTOL; ``dtypes=True`` also asks for pandas' column types (Spark keeps them)."""
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected.reset_index(drop=True),
                                  check_dtype=dtypes, check_exact=False, rtol=RTOL)


def _on_spark(frame: Any) -> bool:
    return type(frame).__module__.startswith("pyspark")


_REFERENCES: dict[tuple[Any, ...], Any] = {}


def _reference(key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
    """pandas' result of one case, computed once in a process for every engine it is compared with
    (each engine used to rerun the same pandas call: issue 13). Read only."""
    if key not in _REFERENCES:
        _REFERENCES[key] = compute()
    return _REFERENCES[key]


@pytest.mark.parametrize(("model", "order"), [("first", 1), ("last", 1), ("last_non_direct", 1),
                                              ("linear", 1), ("position", 1), ("time_decay", 1),
                                              ("markov", 1), ("markov", 2)])
def test_attribution(tables: Callable[..., list[Any]], model: str, order: int) -> None:
    (tp,) = tables("touchpoints")
    kw: dict[str, Any] = {"model": model, "order": order, "channel": "channel"}
    _same(rk.attribute(tp, **kw).to_frame(),
          _reference(("attribute", model, order), lambda: rk.attribute(_touchpoints(), **kw).to_frame()))


def test_attribution_with_lookback(tables: Callable[..., list[Any]]) -> None:
    (tp,) = tables("touchpoints")
    kw: dict[str, Any] = {"model": "time_decay", "channel": "channel", "lookback_days": 20}
    _same(rk.attribute(tp, **kw).to_frame(),
          _reference(("attribute lookback",), lambda: rk.attribute(_touchpoints(), **kw).to_frame()))


@pytest.mark.parametrize("ordering", ["strict", "loose"])
def test_funnel(tables: Callable[..., list[Any]], ordering: str) -> None:
    (events,) = tables("funnel_events")
    kw: dict[str, Any] = {"stages": ["visit", "lead", "won"], "ordering": ordering,
                          "window_days": 30, "by": "paid"}
    # on Spark the column types too (this replaced test_metrics_spark's own funnel case, issue 13)
    _same(rk.funnel(events, **kw).to_frame(),
          _reference(("funnel", ordering), lambda: rk.funnel(_events(), **kw).to_frame()),
          dtypes=_on_spark(events))


def test_rates(tables: Callable[..., list[Any]]) -> None:
    (ads,) = tables("ads")
    _same(rk.rates(ads, by="platform").to_frame(),
          _reference(("rates",), lambda: rk.rates(_ads(), by="platform").to_frame()))


def test_follower_population(tables: Callable[..., list[Any]]) -> None:
    cust, aud = tables("customers", "social_audience")
    kw: dict[str, Any] = {"covariates": (), "horizons_days": HORIZONS, "n_boot": 50}

    def on_pandas() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        ref_c, ref_a = TABLES["customers"](), TABLES["social_audience"]()
        ref = rk.define_followers(ref_c, ref_a, landmark_days=L)
        return (ref.labels(ref_c).sort_values("customer_id"),
                rk.retention_curves(ref_c, by=ref, horizons_days=HORIZONS).to_frame(),
                rk.compare_segments(ref_c, by=ref, **kw).to_frame())

    expected, curves, compared = _reference(("population",), on_pandas)
    seg = rk.define_followers(cust, aud, landmark_days=L)
    labels = seg.labels(cust).sort_values("customer_id")
    assert labels["customer_id"].tolist() == expected["customer_id"].tolist()
    assert labels["group"].tolist() == expected["group"].tolist()
    # on Spark the column types too (this replaced test_population's own Spark case, issue 13)
    _same(rk.retention_curves(cust, by=seg, horizons_days=HORIZONS).to_frame(), curves,
          dtypes=_on_spark(cust))
    _same(rk.compare_segments(cust, by=seg, **kw).to_frame(), compared, dtypes=_on_spark(cust))


def test_content(tables: Callable[..., list[Any]]) -> None:
    (posts,) = tables("posts")

    def on_pandas() -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
        ref = _posts()
        return (rk.post_metrics(ref).to_frame().sort_values("post_id"),
                rk.best_time_to_post(ref, tz="America/New_York").cells,
                rk.top_posts(ref, n=3).top["post_id"].tolist())

    metrics, cells, top = _reference(("content",), on_pandas)
    _same(rk.post_metrics(posts).to_frame().sort_values("post_id"), metrics)
    _same(rk.best_time_to_post(posts, tz="America/New_York").cells, cells)
    assert rk.top_posts(posts, n=3).top["post_id"].tolist() == top


@pytest.mark.warehouse
def test_warehouse_table_from_a_url_and_its_errors(postgres: Postgres, postgres_tables: Any) -> None:
    ads = rk.warehouse_table(postgres.url, "public.ads")
    _same(rk.rates(ads, by="platform").to_frame(), rk.rates(_ads(), by="platform").to_frame())
    with pytest.raises(rk.InputError, match=r"'public.adz' was not found.*Tables found: .*ads"):
        rk.warehouse_table(postgres_tables, "public.adz")
    with pytest.raises(rk.InputError, match="not a URL or an Ibis connection"):
        rk.warehouse_table(42, "ads")


def test_warehouse_table_without_the_extra_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(__import__("sys").modules, "ibis", None)  # as if not installed
    with pytest.raises(rk.ConfigError, match="needs Ibis") as info:
        rk.warehouse_table("postgresql://u@/db", "ads")
    assert 'pip install "roi_kit[warehouse]"' in str(info.value)
