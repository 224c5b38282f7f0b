"""`make test` keeps the tests that share an expensive session fixture (a JVM, a Voila server and
Chromium, a notebook kernel, a PostgreSQL server) on one xdist worker, so each starts once.

The grouping is silent when it breaks: pytest-xdist 3.8 with pytest 9.2 dropped the groups and spread
the Spark tests over both workers, each starting its own JVM (pytest-dev/pytest-xdist#1386). This
runs tests/conftest.py's own marking in a child pytest on two workers and reads where each test ran.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# a child pytest with two workers (~3 CPU s): in `make test`, not in the quick tier
pytestmark = pytest.mark.heavy

ROOT = Path(__file__).resolve().parents[1]

CONFTEST = '''
from tests.conftest import pytest_collection_modifyitems, pytest_configure  # noqa: F401
'''

SUITE = '''
import os
import pytest


def record(name):
    with open(os.environ["WHERE_FILE"], "a") as handle:
        handle.write(f"{name} {os.environ['PYTEST_XDIST_WORKER']}\\n")


@pytest.mark.spark
@pytest.mark.parametrize("i", range(6))
def test_spark_SUITE(i):
    record(f"spark-SUITE-{i}")


@pytest.mark.notebook
@pytest.mark.parametrize("i", range(6))
def test_notebook_SUITE(i):
    record(f"notebook-SUITE-{i}")


@pytest.mark.parametrize("i", range(12))
def test_free_SUITE(i):
    record(f"free-SUITE-{i}")
'''


def test_shared_fixture_groups_run_on_one_worker_each(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(CONFTEST, encoding="utf-8")
    for n in ("a", "b"):
        (tmp_path / f"test_{n}.py").write_text(SUITE.replace("SUITE", n), encoding="utf-8")
    where = tmp_path / "where.txt"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_XDIST")}
    env |= {"WHERE_FILE": str(where), "PYTHONPATH": str(ROOT)}
    markers = ["-o", "markers=spark\nnotebook\nbrowser\nwarehouse\nheavy\nintegration"]
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-p", "no:cacheprovider",
         "-q", "-o", "addopts=", *markers, "."],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    ran = dict(line.split() for line in where.read_text().splitlines())
    assert len(ran) == 2 * (6 + 6 + 12)
    for group in ("spark", "notebook"):
        workers = {worker for name, worker in ran.items() if name.startswith(group)}
        assert len(workers) == 1, f"the {group} tests ran on {sorted(workers)}, not on one worker"
    # the ungrouped tests are still spread over both workers
    assert {worker for name, worker in ran.items() if name.startswith("free")} == {"gw0", "gw1"}
