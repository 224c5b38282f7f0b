"""CPU seconds of each test, measured, so `make unit` can leave out the slow ones.

``make test-times`` runs the quick tier's candidates in one process with this plugin
(``-p tests.cpu_times``), which records the CPU time (``time.process_time``, not wall time, so a busy
machine does not inflate it) of every test and writes the ones above :data:`RECORD_FROM` seconds to
``tests/cpu_times.json``. ``tests/conftest.py`` marks every test recorded above
:data:`QUICK_LIMIT` as ``heavy``: it still runs in ``make test``, not in ``make unit``.

A test's time includes the set-up of the module-, class- or session-scoped fixtures it uses, even when
an earlier test set them up: without that, a 5-second ``report`` fixture was charged to the first test
of its module only, that test left the quick tier, and the next test paid the 5 seconds in it. Each
shared fixture is charged its own set-up (without the shared fixtures it depends on, which are charged
on their own), so a fixture used by many tests is not counted twice for one test.

To re-measure some modules only, keeping the other entries of the file::

    ROI_KIT_QUICK_TESTS=1 ROI_KIT_MEASURING_TIMES=1 ROI_KIT_MERGE_TIMES=1 .venv/bin/python -m pytest \
        -p no:xdist -p tests.cpu_times -q -m "<the unit markers>" tests/test_a.py tests/test_b.py
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

TIMES_FILE = Path(os.environ.get("ROI_KIT_TIMES_FILE") or Path(__file__).with_name("cpu_times.json"))
"""Where the times are kept (``ROI_KIT_TIMES_FILE`` points elsewhere, e.g. in the plugin's own test)."""
QUICK_LIMIT = 0.1
"""A test that takes more CPU seconds than this is left out of `make unit`."""
RECORD_FROM = 0.1
"""Tests faster than this are not written to the file (it stays short)."""

_times: dict[str, float] = {}
_shared: dict[int, float] = {}
"""CPU seconds of the latest set-up of each shared fixture (by ``id`` of its definition)."""
_nested: list[float] = []
"""For each fixture being set up, the CPU seconds spent setting up the fixtures it depends on."""
_shared_total = [0.0]
"""CPU seconds spent so far setting up shared fixtures (to take them out of a test's own time)."""


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


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef: Any, request: Any) -> Any:
    started = time.process_time()
    _nested.append(0.0)
    try:
        return (yield)
    finally:
        spent = time.process_time() - started
        own = spent - _nested.pop()
        if _nested:
            _nested[-1] += spent
        if fixturedef.scope != "function":
            _shared[id(fixturedef)] = own
            _shared_total[0] += own


def shared_fixture_seconds(item: Any) -> float:
    """CPU seconds of the latest set-up of every shared fixture ``item`` uses."""
    used = item._fixtureinfo.name2fixturedefs
    return sum(_shared.get(id(defs[-1]), 0.0) for name in item.fixturenames
               if (defs := used.get(name)))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: Any, nextitem: Any) -> Any:
    started, shared_before = time.process_time(), _shared_total[0]
    try:
        return (yield)
    finally:
        own = time.process_time() - started - (_shared_total[0] - shared_before)
        _times[item.nodeid] = own + shared_fixture_seconds(item)


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return  # measured in one process only
    merge = os.environ.get("ROI_KIT_MERGE_TIMES", "") not in ("", "0")
    kept = {k: v for k, v in recorded().items() if k not in _times} if merge else {}
    keep = kept | {k: round(v, 3) for k, v in _times.items() if v >= RECORD_FROM}
    keep = dict(sorted(keep.items()))
    TIMES_FILE.write_text(json.dumps(keep, indent=0, sort_keys=True) + "\n")
    slow = slow_in_quick_tier(keep)
    print(f"\ncpu_times: {len(_times)} tests measured, {sum(_times.values()):.1f} CPU s (shared fixtures "
          f"counted in every test that uses them); "
          f"{len(slow)} above {QUICK_LIMIT} s ({sum(keep[k] for k in slow):.1f} CPU s) leave make unit; "
          f"written to {TIMES_FILE}")
