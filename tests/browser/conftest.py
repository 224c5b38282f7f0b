"""Browser fixtures: a live Voila server on a free local port and headless Chromium with the
network cut off.

* ``voila_url`` (session): starts ``voila notebooks/`` from the repository root — the same command as
  ``make app``, so ``voila.json`` applies — on a free 127.0.0.1 port and stops it at the end.
* ``browser`` (session): Debian's ``/usr/bin/chromium`` (or ``$ROI_KIT_CHROMIUM``) through
  Playwright's ``executable_path``, headless, no sandbox, no background networking.
* ``page`` (per test): a fresh context that **aborts every request whose host is not local**
  (recorded in ``page.blocked``), collects console errors, and accepts downloads.
* ``open_app(page, name)``: open ``notebooks/<name>.ipynb`` in Voila, wait for the app and its first
  chart, assert that Voila reported no error; ``screenshot(page, name)`` saves to test-artifacts/.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
LOCAL_HOSTS = {"127.0.0.1", "localhost", ""}
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
]
VOILA_ERROR = "There was an error"
APP_TIMEOUT_MS = 90_000  # first kernel start on a busy 2-core machine
TILE_VALUES = ".roi-kit-tile .value, .roi-kit-report .tile .value"  # an app's big numbers


def _chromium() -> str:
    for candidate in (os.environ.get("ROI_KIT_CHROMIUM"), "/usr/bin/chromium",
                      "/usr/bin/chromium-browser", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.skip("no Chromium found: run `make chromium` or set ROI_KIT_CHROMIUM")
    raise AssertionError  # unreachable


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_voila(root: Path, directory: str, port: int, *, extra: tuple[str, ...] = (),
                log_name: str = "voila.log") -> tuple[subprocess.Popen[bytes], str]:
    """Start ``voila <directory>`` with cwd ``root`` and wait until it answers."""
    voila = Path(sys.executable).with_name("voila")
    ARTIFACTS.mkdir(exist_ok=True)
    log = (ARTIFACTS / log_name).open("wb")
    proc = subprocess.Popen(
        [str(voila), directory, f"--port={port}", "--no-browser", "--Voila.ip=127.0.0.1", *extra],
        cwd=root, stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"voila exited early with code {proc.returncode}; see {log.name}")
        try:
            with urllib.request.urlopen(url + "/", timeout=2) as response:
                if response.status == 200:
                    return proc, url
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError(f"voila did not answer on {url} within 60 s; see {log.name}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


@pytest.fixture(scope="session")
def voila_url() -> Iterator[str]:
    proc, url = start_voila(ROOT, "notebooks/", free_port())
    try:
        yield url
    finally:
        stop(proc)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = _chromium()
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, headless=True,
                                      args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 1000},
                                  accept_downloads=True, service_workers="block")
    blocked: list[str] = []
    errors: list[str] = []

    def guard(route: Any) -> None:
        host = urlparse(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    pg = context.new_page()
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.blocked = blocked  # type: ignore[attr-defined]
    pg.console_errors = errors  # type: ignore[attr-defined]
    try:
        yield pg
    finally:
        context.close()


CHART_MARKS = (
    ".roi-kit-chart svg g[class*='mark-'] path, .roi-kit-chart svg g[class*='mark-'] rect, "
    ".roi-kit-chart svg g[class*='mark-'] line, .roi-kit-chart svg g[class*='mark-'] text, "
    ".roi-kit-chart canvas"
)


def chart_mark_count(page: Any, index: int = 0) -> int:
    """Number of drawn Vega marks inside the ``index``-th visible chart container."""
    return int(page.evaluate(
        """([i]) => {
            const boxes = [...document.querySelectorAll('.roi-kit-chart')]
                .filter(b => b.offsetParent !== null);
            const box = boxes[i];
            if (!box) return 0;
            if (box.querySelector('canvas')) return 1;
            return box.querySelectorAll("svg g[class*='mark-'] > *").length;
        }""",
        [index],
    ))


def chart_signature(page: Any, index: int = 0) -> str:
    """A string that changes when the ``index``-th chart redraws with other data."""
    return str(page.evaluate(
        """([i]) => {
            const boxes = [...document.querySelectorAll('.roi-kit-chart')]
                .filter(b => b.offsetParent !== null);
            const svg = boxes[i] && boxes[i].querySelector('svg');
            if (!svg) return '';
            return [...svg.querySelectorAll("g[class*='mark-'] > *")]
                .map(e => (e.getAttribute('d') || '') + (e.getAttribute('transform') || '')
                          + (e.textContent || '')).join('|');
        }""",
        [index],
    ))


def assert_no_voila_error(page: Any) -> None:
    body = page.inner_text("body")
    assert VOILA_ERROR not in body, body[:2000]
    assert "Traceback" not in body


def open_app(page: Any, base_url: str, name: str, *, charts: int = 1) -> None:
    """Open an app, wait for its panel and its first ``charts`` charts to draw marks."""
    page.goto(f"{base_url}/voila/render/{name}.ipynb", timeout=APP_TIMEOUT_MS)
    page.wait_for_selector(".roi-kit-app", timeout=APP_TIMEOUT_MS)
    for i in range(charts):
        page.wait_for_function(
            """([i]) => {
                const boxes = [...document.querySelectorAll('.roi-kit-chart')]
                    .filter(b => b.offsetParent !== null);
                const box = boxes[i];
                return !!box && (box.querySelector('canvas') !== null ||
                    box.querySelectorAll("svg g[class*='mark-'] > *").length > 0);
            }""",
            arg=[i], timeout=APP_TIMEOUT_MS,
        )
    assert_no_voila_error(page)


# How long a change may take to show: a kernel's recompute plus the browser's redraw. A passing test
# never waits it out; at load 15-17 (several sessions on two cores) the budget chart of app 07 took
# over 30 s to redraw after its tile had changed.
CHANGE_TIMEOUT_S = 90.0


def wait_for_change(page: Any, get: Callable[[], Any], before: Any, *,
                    timeout_s: float = CHANGE_TIMEOUT_S) -> Any:
    """Poll ``get()`` until it differs from ``before``; return the new value."""
    deadline = time.monotonic() + timeout_s
    value = get()
    while value == before and time.monotonic() < deadline:
        page.wait_for_timeout(200)
        value = get()
    return value


def screenshot(page: Any, name: str) -> Path:
    """Save the whole app (Voila scrolls inside a container, so grow the viewport first)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    size = page.viewport_size
    height = int(page.evaluate(
        "Math.max(...[...document.querySelectorAll('body, body *')].map(e => e.scrollHeight))"))
    page.set_viewport_size({"width": size["width"], "height": min(max(height, 800), 8000)})
    page.wait_for_timeout(300)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path


class Driver:
    """What a browser test does with an app page (returned by the ``ui`` fixture)."""

    def __init__(self, page: Any, base_url: str) -> None:
        self.page = page
        self.base_url = base_url

    def open(self, name: str, *, charts: int = 1) -> None:
        open_app(self.page, self.base_url, name, charts=charts)

    def marks(self, index: int = 0, *, timeout_s: float = 30.0) -> int:
        """Marks drawn in chart ``index``, waiting up to ``timeout_s`` for a redraw."""
        return int(wait_for_change(self.page, lambda: chart_mark_count(self.page, index), 0,
                                   timeout_s=timeout_s))

    def signature(self, index: int = 0) -> str:
        return chart_signature(self.page, index)

    def no_error(self) -> None:
        assert_no_voila_error(self.page)

    def wait_change(self, get: Callable[[], Any], before: Any, *,
                    timeout_s: float = CHANGE_TIMEOUT_S) -> Any:
        return wait_for_change(self.page, get, before, timeout_s=timeout_s)

    def screenshot(self, name: str) -> Path:
        return screenshot(self.page, name)

    def text(self, selector: str) -> str:
        return str(self.page.inner_text(selector))

    def choose_file(self, path: Path) -> None:
        """Pick a file through the upload button, as a user does (the input is not in the DOM)."""
        with self.page.expect_file_chooser() as chooser:
            self.page.locator(".roi-kit-data-source .widget-upload").click()
        chooser.value.set_files(str(path))

    def numbers(self) -> list[str]:
        """The big numbers of every result tile, and the report's tiles."""
        return [t.strip() for t in self.page.locator(TILE_VALUES).all_inner_texts() if t.strip()]

    def malformed_upload_leaves_no_sample_number(self, path: Path, content: bytes, *,
                                                 waiting: str = "Waiting for data") -> None:
        """Switch to "Upload files" and upload ``content`` as ``path`` (a required column is
        missing): no number computed from the sample may stay on the page, and the page says why
        it is empty. Run at the end of each app's test, on the kernel it already started;
        ``waiting`` is the message the page shows before the upload."""
        self.page.wait_for_selector(TILE_VALUES, timeout=APP_TIMEOUT_MS)  # a recompute may be under way
        before = self.numbers()
        assert before, "the sample shows numbers first"
        self.page.locator(".roi-kit-data-source button", has_text="Upload files").click()
        self.page.wait_for_selector(f"text={waiting}", timeout=60_000)
        assert self.numbers() == []  # the sample's numbers go as soon as uploads are chosen
        path.write_bytes(content)
        self.choose_file(path)
        self.page.wait_for_selector(".roi-kit-msg.error", timeout=60_000)
        body = self.page.inner_text("body")
        assert path.name in self.page.locator(".roi-kit-msg.error").first.inner_text()
        assert self.numbers() == []
        left = [n for n in before if len(n) > 2 and n in body]  # e.g. "1,391", "176.1%"
        assert left == [], f"sample numbers still on the page: {left}"
        assert "Waiting for data" in body and "KeyError" not in body
        assert self.page.locator(".roi-kit-chart svg").count() == 0 or all(
            not b.is_visible() for b in self.page.locator(".roi-kit-chart").all())
        self.no_error()


@pytest.fixture
def ui(page: Any, voila_url: str) -> Driver:
    """A :class:`Driver` on a fresh, network-blocked page of the live Voila server."""
    return Driver(page, voila_url)


@pytest.fixture
def voila_with() -> Iterator[Callable[..., tuple[subprocess.Popen[bytes], str]]]:
    """Start extra Voila servers (``voila_with(*options, log_name=...)``) with their own
    options on top of ``voila.json``; every one is stopped at the end of the test."""
    started: list[subprocess.Popen[bytes]] = []

    def start(*extra: str, log_name: str = "voila-extra.log") -> tuple[subprocess.Popen[bytes], str]:
        proc, url = start_voila(ROOT, "notebooks/", free_port(), extra=extra, log_name=log_name)
        started.append(proc)
        return proc, url

    yield start
    for proc in started:
        stop(proc)


@pytest.fixture
def app_opener() -> Callable[..., None]:
    """:func:`open_app` for tests that drive their own pages."""
    return open_app
