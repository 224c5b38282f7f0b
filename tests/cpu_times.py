"""CPU seconds of each test, measured, so `make unit` can leave out the slow ones.

``make test-times`` runs the quick tier's candidates in one process with this plugin
(``-p tests.cpu_times``), which records the CPU time (``time.process_time``, not wall time, so a busy
machine does not inflate it) of every test and writes the ones above :data:`RECORD_FROM` seconds to
``tests/cpu_times.json``. ``tests/conftest.py`` marks every test recorded above
:data:`QUICK_LIMIT` as ``heavy``: it still runs in ``make test``, not in ``make unit``.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

TIMES_FILE = Path(__file__).with_name("cpu_times.json")
QUICK_LIMIT = 0.25
"""A test that takes more CPU seconds than this is left out of `make unit`."""
RECORD_FROM = 0.1
"""Tests faster than this are not written to the file (it stays short)."""

_started: dict[str, float] = {}
_times: dict[str, float] = {}


def slow_in_quick_tier(times: dict[str, float]) -> frozenset[str]:
    """Node ids whose recorded CPU time is above :data:`QUICK_LIMIT`.

    >>> sorted(slow_in_quick_tier({"a.py::t1": 0.3, "a.py::t2": 0.1}))
    ['a.py::t1']
    """
    return frozenset(k for k, v in times.items() if v > QUICK_LIMIT)


def recorded() -> dict[str, float]:
    """The CPU times in ``tests/cpu_times.json`` (empty if the file is missing)."""
    if not TIMES_FILE.exists():
        return {}
    return {str(k): float(v) for k, v in json.loads(TIMES_FILE.read_text()).items()}


def pytest_runtest_logstart(nodeid: str, location: Any) -> None:
    _started[nodeid] = time.process_time()


def pytest_runtest_logfinish(nodeid: str, location: Any) -> None:
    _times[nodeid] = time.process_time() - _started.pop(nodeid)


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return  # measured in one process only
    keep = {k: round(v, 3) for k, v in sorted(_times.items()) if v >= RECORD_FROM}
    TIMES_FILE.write_text(json.dumps(keep, indent=0, sort_keys=True) + "\n")
    slow = slow_in_quick_tier(keep)
    print(f"\ncpu_times: {len(_times)} tests measured, {sum(_times.values()):.1f} CPU s; "
          f"{len(slow)} above {QUICK_LIMIT} s ({sum(keep[k] for k in slow):.1f} CPU s) leave make unit; "
          f"written to {TIMES_FILE}")
