"""Time the content module on each engine, side by side: post metrics, best time, top posts.

    python benchmarks/bench_content.py [--n 200000] [--quick]

Peers: the same analysis on pandas, polars (lazy) and DuckDB inputs, plus a naive pandas
per-post tz conversion + groupby for the heatmap (what an analyst would write by hand).
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from content_sim import simulate

import roi_kit as rk


def _timed(fn):
    tracemalloc.start()
    t0 = time.perf_counter()
    fn()
    dt = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return dt, peak


def _naive_heatmap(posts: pd.DataFrame) -> pd.DataFrame:
    local = posts["published_at"].dt.tz_localize("UTC").dt.tz_convert("America/New_York")
    rate = (posts[["likes", "comments", "shares", "saves"]].sum(axis=1) / posts["impressions"])
    return rate.groupby([posts["platform"], local.dt.day_of_week, local.dt.hour]).agg(["mean", "size"])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200_000, help="posts per platform")
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    n = 5_000 if args.quick else args.n
    posts = simulate(0, n)
    import duckdb
    import polars as pl

    con = duckdb.connect()
    con.register("posts", posts)
    inputs = {"pandas": posts, "polars-lazy": pl.from_pandas(posts).lazy(),
              "duckdb": con.sql("select * from posts")}
    rows = []
    for name, data in inputs.items():
        for what, fn in (("post_metrics", lambda d=data: rk.post_metrics(d)),
                         ("best_time_to_post", lambda d=data: rk.best_time_to_post(d, tz="America/New_York")),
                         ("top_posts", lambda d=data: rk.top_posts(d, n=10))):
            dt, peak = _timed(fn)
            rows.append({"engine": name, "step": what, "seconds": dt, "peak_MB": peak})
    dt, peak = _timed(lambda: _naive_heatmap(posts))
    rows.append({"engine": "pandas (naive, raw rates)", "step": "best_time_to_post", "seconds": dt,
                 "peak_MB": peak})
    out = pd.DataFrame(rows)
    base = out[(out.engine == "pandas")].set_index("step")["seconds"]
    out["vs_pandas"] = out["seconds"] / out["step"].map(base)
    print(f"{len(posts):,} posts")
    print(out.to_string(index=False, float_format=lambda v: f"{v:,.3f}"))


if __name__ == "__main__":
    main()
