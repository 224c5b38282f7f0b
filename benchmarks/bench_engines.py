"""Time per analysis on the same data in every engine: pandas, polars, DuckDB, PySpark (local) and
PostgreSQL (a throw-away server, tables read with rk.warehouse_table, i.e. Ibis). One run each.

Tables (generated here, seeded): touchpoints and funnel events of ``--rows`` rows each, and ad
rows for rates. Each engine reads the same Parquet files (Spark, DuckDB, polars) or the same rows
copied into PostgreSQL; the load is timed apart from the analyses. Results are checked against
pandas before a time is printed.

Usage: .venv/bin/python benchmarks/bench_engines.py [--rows 1000000] [--engines pandas,polars,...]
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import roi_kit as rk  # noqa: E402
from tests.postgres_server import load_table, running_postgres  # noqa: E402

CHANNELS = ["Email", "Paid Social", "Organic Social", "Direct", "Search", "Referral"]


def tables(rows: int, seed: int = 0) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    users = rows // 8
    ts = (pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 86_400 * 365, rows), unit="s")
          ).astype("datetime64[us]")
    converted = rng.random(rows) < 0.05
    touchpoints = pd.DataFrame({
        "user_id": pd.Series([f"u{i:07d}" for i in rng.integers(0, users, rows)], dtype="str"),
        "timestamp": ts, "channel": pd.Series(rng.choice(CHANNELS, rows), dtype="str"),
        "converted": converted, "conversion_value": np.where(converted, 100.0, 0.0)})
    event_users = rng.integers(0, users, rows)
    events = pd.DataFrame({
        "user_id": pd.Series([f"u{i:07d}" for i in event_users], dtype="str"), "timestamp": ts,
        "event": pd.Series(rng.choice(["visit", "lead", "won"], rows, p=[0.6, 0.3, 0.1]), dtype="str"),
        "paid": event_users % 3 == 0})
    impressions = rng.integers(500, 5_000, rows)
    ads = pd.DataFrame({"platform": pd.Series(rng.choice(["linkedin", "instagram", "x"], rows), dtype="str"),
                        "spend": rng.integers(100, 5_000, rows) / 10.0, "impressions": impressions,
                        "clicks": rng.integers(0, 50, rows), "likes": rng.integers(0, 80, rows),
                        "reach": (impressions * 0.8).astype("int64")})
    return {"touchpoints": touchpoints, "funnel_events": events, "ads": ads}


ANALYSES: dict[str, Callable[[dict[str, Any]], pd.DataFrame]] = {
    "attribute last": lambda t: rk.attribute(t["touchpoints"], model="last", channel="channel").to_frame(),
    "attribute markov 1": lambda t: rk.attribute(t["touchpoints"], model="markov", channel="channel").to_frame(),
    "attribute markov 2": lambda t: rk.attribute(t["touchpoints"], model="markov", order=2, channel="channel").to_frame(),
    "funnel": lambda t: rk.funnel(t["funnel_events"], stages=["visit", "lead", "won"], by="paid",
                                  window_days=30).to_frame(),
    "rates": lambda t: rk.rates(t["ads"], by="platform").to_frame(),
}


def native_tables(engine: str, frames: dict[str, pd.DataFrame], parquet: dict[str, str],
                  ctx: dict[str, Any]) -> dict[str, Any]:
    if engine == "pandas":
        return frames
    if engine == "polars":
        import polars as pl

        return {k: pl.scan_parquet(p) for k, p in parquet.items()}
    if engine == "duckdb":
        import duckdb

        con = duckdb.connect()
        return {k: con.read_parquet(p) for k, p in parquet.items()}
    if engine == "spark":
        from pyspark.sql import SparkSession

        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        spark = (SparkSession.builder.master("local[2]").appName("roi_kit-bench")
                 .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
                 .config("spark.ui.showConsoleProgress", "false")
                 .config("spark.sql.session.timeZone", "UTC").config("spark.driver.memory", "3g")
                 .getOrCreate())
        spark.sparkContext.setLogLevel("ERROR")
        ctx["spark"] = spark
        return {k: spark.read.parquet(p) for k, p in parquet.items()}
    if engine == "postgres":
        server = ctx["postgres"]
        t0 = time.perf_counter()
        for k, f in frames.items():
            load_table(server, k, f)
        print(f"  postgres: COPY of the three tables {time.perf_counter() - t0:.1f} s", flush=True)
        con = server.ibis()
        return {k: rk.warehouse_table(con, k) for k in frames}
    raise ValueError(engine)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--engines", default="pandas,polars,duckdb,spark,postgres")
    ap.add_argument("--quick", action="store_true", help="100,000 rows")
    ap.add_argument("--skip", default="", help="engine:analysis pairs to leave out, e.g. "
                    "'postgres:funnel' (a dash in the table)")
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # `timeout` still stops the server
    rows = 100_000 if args.quick else args.rows
    frames = tables(rows)
    print(f"bench_engines: {rows:,} touchpoints, {rows:,} funnel events, {rows:,} ad rows; one run each")
    reference: dict[str, pd.DataFrame] = {}
    with tempfile.TemporaryDirectory() as tmp, running_postgres() as server:
        parquet = {}
        for k, f in frames.items():
            parquet[k] = os.path.join(tmp, f"{k}.parquet")
            f.to_parquet(parquet[k])
        ctx: dict[str, Any] = {"postgres": server}
        header = f"{'analysis':<20}" + "".join(f"{e:>10}" for e in args.engines.split(","))
        results: dict[str, dict[str, str]] = {a: {} for a in ANALYSES}
        for engine in args.engines.split(","):
            native = native_tables(engine, frames, parquet, ctx)
            for name, run in ANALYSES.items():
                if f"{engine}:{name}" in args.skip.split(","):
                    continue
                t0 = time.perf_counter()
                try:
                    got = run(native)
                except Exception as exc:  # report and go on: a table of figures is the output
                    results[name][engine] = "error"
                    print(f"  {engine} {name}: {type(exc).__name__}: {str(exc)[:120]}", flush=True)
                    continue
                seconds = time.perf_counter() - t0
                if engine == "pandas":
                    reference[name] = got
                else:
                    pd.testing.assert_frame_equal(got, reference[name], check_dtype=False, rtol=1e-9)
                results[name][engine] = f"{seconds:.2f} s"
                print(f"  {engine:<9}{name:<20}{seconds:8.2f} s", flush=True)
        if "spark" in ctx:
            ctx["spark"].stop()
    print(header)
    for name, row in results.items():
        print(f"{name:<20}" + "".join(f"{row.get(e, '-'):>10}" for e in args.engines.split(",")))


if __name__ == "__main__":
    main()
