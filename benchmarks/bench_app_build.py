"""What a manager waits for when an app opens: CPU seconds to build each app on the saas sample.

Builds every app panel in one process the way ``tests/test_widgets_apps.py`` does
(``App(rk.datasets.load_sample("saas"))``) and times the widget interactions those tests drive
(the report's revenue source and company name, the followers app's platform boxes, the ROI
calculator's breakdown). Before timing, each app is built once on the ``dtc`` sample so imports
and one-off set-ups are not counted; chart renderings kept by :func:`roi_kit.charts.to_svg` are
forgotten before each case, so no case profits from an earlier one.

``--before REV`` also runs the same cases on roi_kit as it was at git revision ``REV`` (its
``roi_kit/`` and ``data/`` exported to a temporary folder): one before and one after process run
at the same time, ``--rounds`` times, so the machine's load weighs on both alike; the table shows
the median CPU s (process time: the load lengthens wall time, not CPU time).

    python benchmarks/bench_app_build.py                      # this checkout only
    python benchmarks/bench_app_build.py --before main        # before/after, side by side
    python benchmarks/bench_app_build.py --before main --only "report,roi:"   # some cases
    python benchmarks/bench_app_build.py --profile report     # cProfile of the matching cases
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _cases(sample: Any) -> dict[str, Callable[[], Any]]:
    from roi_kit.widgets import (
        AttributionApp,
        ContentApp,
        DataOverviewApp,
        FollowersApp,
        FunnelApp,
        IncrementalityApp,
        ManagementReportApp,
        RoiCalculatorApp,
    )

    def report_controls() -> Any:
        app = ManagementReportApp(sample)
        app.revenue_from.value = "followers"
        app.revenue_from.value = "attribution"
        app.company.value = "<script>alert(1)</script> & Co"
        app.company.value = ""
        return app

    def followers_boxes() -> Any:
        app = FollowersApp(sample, n_boot=200)
        boxes = list(app.controls.platform_boxes.values())
        for box in boxes:
            box.value = False
        for box in boxes:
            box.value = True
        return app

    def roi_breakdown() -> Any:
        app = RoiCalculatorApp(sample)
        for by in ("campaign", "period", "platform"):
            app.breakdown.value = by
        return app

    return {
        "RoiCalculatorApp": lambda: RoiCalculatorApp(sample),
        "FollowersApp (n_boot=200)": lambda: FollowersApp(sample, n_boot=200),
        "ManagementReportApp": lambda: ManagementReportApp(sample),
        "AttributionApp": lambda: AttributionApp(sample),
        "ContentApp": lambda: ContentApp(sample),
        "FunnelApp": lambda: FunnelApp(sample),
        "IncrementalityApp": lambda: IncrementalityApp(),
        "DataOverviewApp": lambda: DataOverviewApp(sample),
        "report: build + source x2 + company x2": report_controls,
        "followers: build + untick 4 + retick 4": followers_boxes,
        "roi: build + breakdown x3": roi_breakdown,
    }


def _forget_charts() -> None:
    from roi_kit.charts import render

    getattr(render, "_svg_cache", {}).clear()


def measure(profile: str | None = None, only: str | None = None) -> dict[str, float]:
    """CPU seconds of each case in this process (after a warm-up on the dtc sample); ``only``:
    comma-separated parts of the case names to run."""
    import warnings

    import roi_kit as rk

    warnings.simplefilter("ignore")
    wanted = [w.strip().lower() for w in (only or profile or "").split(",") if w.strip()]
    chosen = lambda name: not wanted or any(w in name.lower() for w in wanted)  # noqa: E731
    for name, make in _cases(rk.datasets.load_sample("dtc")).items():
        if chosen(name):
            make()
    out: dict[str, float] = {}
    for name, make in _cases(rk.datasets.load_sample("saas")).items():
        if not chosen(name):
            continue
        _forget_charts()
        prof = cProfile.Profile() if profile else None
        started = time.process_time()
        if prof:
            prof.enable()
        make()
        if prof:
            prof.disable()
            text = io.StringIO()
            stats = pstats.Stats(prof, stream=text)
            stats.sort_stats("cumulative").print_stats(40)
            stats.sort_stats("tottime").print_stats(20)
            print(f"==== {name}\n{text.getvalue()}", file=sys.stderr)
        out[name] = time.process_time() - started
    return out


def _start(source: Path, only: str | None) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(source)}
    return subprocess.Popen([sys.executable, __file__, "--json", *(["--only", only] if only else [])],
                            env=env, cwd=source, stdout=subprocess.PIPE, text=True)


def _result(child: subprocess.Popen[str]) -> dict[str, float]:
    out, _ = child.communicate()
    if child.returncode:
        raise SystemExit(f"a measuring process failed (exit {child.returncode})")
    return dict(json.loads(out.strip().splitlines()[-1]))


def _export(rev: str, into: Path) -> Path:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "roi_kit", "data"],
                             check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", help="git revision to compare with (e.g. main)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--profile", help="cProfile the cases whose name contains this")
    parser.add_argument("--only", help="run only the cases whose names contain one of these "
                        "comma-separated words (e.g. 'report,roi:')")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.json:
        print(json.dumps(measure(only=args.only)))
        return
    if args.profile:
        measure(args.profile)
        return
    runs: dict[str, list[dict[str, float]]] = {"before": [], "after": []}
    with tempfile.TemporaryDirectory() as tmp:
        old = _export(args.before, Path(tmp)) if args.before else None
        for _ in range(args.rounds):  # before and after at the same time: the same load on both
            children = {"before": _start(old, args.only)} if old is not None else {}
            children["after"] = _start(ROOT, args.only)
            for which, child in children.items():
                runs[which].append(_result(child))
    names = list(runs["after"][0])
    med = {k: {n: statistics.median(r[n] for r in v) for n in names} for k, v in runs.items() if v}
    print(f"{'case (saas sample)':42s} " + " ".join(f"{k + ' CPU s':>13s}" for k in med))
    for name in names:
        print(f"{name:42s} " + " ".join(f"{med[k][name]:13.2f}" for k in med))
    print(f"{'total':42s} " + " ".join(f"{sum(m.values()):13.2f}" for m in med.values()))
    print(f"median of {args.rounds} process(es) each; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
