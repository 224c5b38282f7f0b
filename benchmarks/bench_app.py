"""Voila app speed: the followers app on 1M customers against a one-widget notebook (the floor).

Measured in headless Chromium against a live ``voila`` (same config as ``make app``), with every
non-local request blocked, one run each:

* **time to first chart** — from ``page.goto`` until the app's first Vega chart has drawn marks
  (the floor: until its one widget is on the page);
* **control round-trip** — from typing a new "min. engagements" value until the headline number
  changes (the floor: until a label echoes the typed value).

The 1M-customer tables are generated once with ``rk.datasets.generate(seed=0, ...)`` and cached as
Parquet in ``benchmarks/.cache/`` so data generation is not timed; the app's own work (reading the
tables, matching, preparation, the comparison, the charts) is.

    python benchmarks/bench_app.py            # 1,000,000 customers
    python benchmarks/bench_app.py --quick    # 20,000 customers
"""

from __future__ import annotations

import argparse
import importlib.util
import tempfile
import time
from pathlib import Path
from typing import Any

import nbformat

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".cache"
TABLES = ("customers", "social_audience", "deals")


def _browser_helpers() -> Any:
    spec = importlib.util.spec_from_file_location("browser_conftest",
                                                  ROOT / "tests" / "browser" / "conftest.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _data(n: int) -> Path:
    folder = CACHE / f"followers_{n}"
    if all((folder / f"{t}.parquet").exists() for t in TABLES):
        return folder
    import roi_kit as rk

    started = time.perf_counter()
    sample = rk.datasets.generate(seed=0, n_customers=n)
    folder.mkdir(parents=True, exist_ok=True)
    for table in TABLES:
        getattr(sample, table).to_parquet(folder / f"{table}.parquet", index=False)
    print(f"generated {n:,} customers in {time.perf_counter() - started:.1f} s -> {folder}")
    return folder


def _notebook(cells: list[str]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    return nb


def _write_notebooks(directory: Path, data: Path) -> None:
    floor = _notebook([
        "import ipywidgets as W\n"
        "box = W.IntText(value=0)\nbox.add_class('rk-floor-input')\n"
        "echo = W.Label('0')\necho.add_class('rk-floor-echo')\n"
        "box.observe(lambda c: setattr(echo, 'value', str(c['new'])), names='value')\n"
        "W.VBox([box, echo], _dom_classes=('roi-kit-app',))",
    ])
    app = _notebook([
        "import pandas as pd\nfrom roi_kit.widgets import FollowersApp\n"
        f"folder = {str(data)!r}\n"
        f"tables = {{t: pd.read_parquet(f'{{folder}}/{{t}}.parquet') for t in {TABLES!r}}}\n"
        "FollowersApp(tables, n_boot=200)",
    ])
    nbformat.write(floor, directory / "floor.ipynb")
    nbformat.write(app, directory / "followers.ipynb")


def _first_tile(page: Any) -> str:
    return str(page.locator(".roi-kit-tile .value").first.inner_text())


def _measure(page: Any, helpers: Any, url: str) -> dict[str, float]:
    out: dict[str, float] = {}
    started = time.perf_counter()
    page.goto(f"{url}/voila/render/floor.ipynb", timeout=600_000)
    page.wait_for_selector(".rk-floor-input input", timeout=600_000)
    out["floor_first"] = time.perf_counter() - started
    started = time.perf_counter()
    page.locator(".rk-floor-input input").fill("7")
    page.locator(".rk-floor-input input").press("Enter")
    page.wait_for_function(
        "() => document.querySelector('.rk-floor-echo').innerText.trim() === '7'",
        timeout=60_000)
    out["floor_round_trip"] = time.perf_counter() - started

    started = time.perf_counter()
    helpers.open_app(page, url, "followers", charts=1)
    out["app_first"] = time.perf_counter() - started
    before = _first_tile(page)
    started = time.perf_counter()
    box = page.locator(".rk-min-engagements input")
    box.fill("3")
    box.press("Enter")
    page.wait_for_function(
        "(b) => { const e = document.querySelector('.roi-kit-tile .value');"
        " return e && e.innerText !== b; }", arg=before, timeout=600_000)
    out["app_round_trip"] = time.perf_counter() - started
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="customers (default 1,000,000)")
    parser.add_argument("--quick", action="store_true", help="20,000 customers")
    args = parser.parse_args(argv)
    n = 20_000 if args.quick else args.n
    helpers = _browser_helpers()
    data = _data(n)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="roi_kit_bench_") as tmp:
        _write_notebooks(Path(tmp), data)
        proc, url = helpers.start_voila(ROOT, tmp, helpers.free_port(),
                                        log_name="bench_app_voila.log")
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=helpers._chromium(), headless=True,
                                             args=helpers.CHROMIUM_ARGS)
                context = browser.new_context(viewport={"width": 1280, "height": 1000})
                context.route("**/*", lambda route: route.continue_()
                              if "127.0.0.1" in route.request.url
                              or route.request.url.startswith(("data:", "blob:"))
                              else route.abort())
                times = _measure(context.new_page(), helpers, url)
                browser.close()
        finally:
            helpers.stop(proc)

    print(f"\nVoila apps, followers vs non-followers on {n:,} customers (one run each)\n")
    print(f"{'measure':<24}{'floor (1 widget)':>18}{'followers app':>16}{'ratio':>9}")
    for label, key in (("time to first chart", "first"), ("control round-trip", "round_trip")):
        floor, app = times[f"floor_{key}"], times[f"app_{key}"]
        print(f"{label:<24}{floor:>16.2f} s{app:>14.2f} s{app / floor:>8.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
