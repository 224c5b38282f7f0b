"""The CPU-time plugin that picks the quick tier (tests/cpu_times.py) charges shared fixtures to every
test that uses them, so a test behind an expensive module fixture cannot slip into `make unit`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# a fresh pytest process burning ~1.5 CPU seconds (not seen by the CPU-time rule, which measures this
# process only): in `make test`, not in the quick tier
pytestmark = pytest.mark.heavy

ROOT = Path(__file__).resolve().parents[1]

SUITE = '''
import time

import pytest


def burn(seconds):
    start = time.process_time()
    while time.process_time() - start < seconds:
        pass


@pytest.fixture(scope="module")
def base():
    burn(0.3)
    return 1


@pytest.fixture(scope="module")
def expensive(base):
    burn(0.6)
    return 2


def test_first_user(expensive):
    assert expensive == 2


def test_second_user(expensive):
    assert expensive == 2


def test_base_only(base):
    assert base == 1


def test_own_work():
    burn(0.4)


def test_no_fixture():
    assert True
'''


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> dict[str, float]:
    """Run a five-test suite with the plugin in a fresh process and read the times it wrote."""
    folder = tmp_path_factory.mktemp("cpu_times")
    (folder / "test_suite.py").write_text(SUITE, encoding="utf-8")
    times = folder / "times.json"
    # under `make test` this runs in an xdist worker, whose PYTEST_XDIST_* variables would tell the
    # plugin in the child that it is a worker too (workers leave the writing to the controller)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_XDIST")}
    env |= {"ROI_KIT_TIMES_FILE": str(times), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider", "-p", "tests.cpu_times",
         "-q", "-o", "addopts=", "test_suite.py"],
        cwd=folder, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return {k.split("::")[-1]: v for k, v in json.loads(times.read_text()).items()}


def test_every_user_of_a_shared_fixture_is_charged_its_set_up(measured: dict[str, float]) -> None:
    # expensive (0.6 s) and the base it depends on (0.3 s): 0.9 s, for the second user too
    assert measured["test_first_user"] == pytest.approx(0.9, abs=0.08)
    assert measured["test_second_user"] == pytest.approx(0.9, abs=0.08)


def test_a_fixture_is_charged_its_own_set_up_not_that_of_the_fixtures_it_needs(
        measured: dict[str, float]) -> None:
    assert measured["test_base_only"] == pytest.approx(0.3, abs=0.08)


def test_a_test_without_shared_fixtures_is_charged_its_own_time(measured: dict[str, float]) -> None:
    assert measured["test_own_work"] == pytest.approx(0.4, abs=0.08)
    assert "test_no_fixture" not in measured  # below RECORD_FROM, not written
