"""Seeded sample data with known ground truth, and the committed samples in ``data/samples``.

``generate(seed, n_customers, business)`` simulates every canonical table of a fictional company
(a B2B SaaS or a DTC shop) and returns them with the :class:`Truth` that was planted: followers
churn less, upsell more, sign larger deals and close faster, with confounding by company size.
``load_sample(name)`` reads the committed CSVs (``"saas"``, ``"dtc"`` or the messy European
export ``"messy"``); ``example_benchmarks()`` the EXAMPLE benchmark table (public sources cited per row).

Names are imported lazily so that ``python -m roi_kit.datasets.build --if-missing`` stays fast.

Examples
--------
>>> import roi_kit as rk
>>> s = rk.datasets.generate(seed=0, n_customers=200)
>>> round(s.truth.churn_hazard_ratio, 2), len(s.customers)
(0.65, 200)
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from roi_kit.datasets.benchmarks import example_benchmarks
    from roi_kit.datasets.generate import generate
    from roi_kit.datasets.sampledata import SampleData
    from roi_kit.datasets.samples import load_sample
    from roi_kit.datasets.truth import Truth

__all__ = ["SampleData", "Truth", "example_benchmarks", "generate", "load_sample"]

_WHERE = {
    "example_benchmarks": "roi_kit.datasets.benchmarks",
    "generate": "roi_kit.datasets.generate",
    "SampleData": "roi_kit.datasets.sampledata",
    "load_sample": "roi_kit.datasets.samples",
    "Truth": "roi_kit.datasets.truth",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(import_module(_WHERE[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'roi_kit.datasets' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
