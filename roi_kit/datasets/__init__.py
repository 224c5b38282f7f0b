"""Seeded sample data with known ground truth, and the committed samples in ``data/samples``.

``generate(seed, n_customers, business)`` simulates every canonical table of a fictional company
(a B2B SaaS or a DTC shop) and returns them with the :class:`Truth` that was planted: followers
churn less, upsell more, sign larger deals and close faster, with confounding by company size.
``generate_media_weekly(seed, weeks)`` simulates the weekly ``media_weekly`` table (spend per paid
channel, organic posts, controls) with planted adstock, saturation and ROAS per channel, for the
marketing-mix model. ``load_sample(name)`` reads the committed CSVs (``"saas"``, ``"dtc"`` or the
messy European export ``"messy"``); ``example_benchmarks()`` the EXAMPLE benchmark table (public
sources cited per row).

Names are imported lazily so that ``python -m roi_kit.datasets.build --if-missing`` stays fast.

Examples
--------
>>> import roi_kit as rk
>>> s = rk.datasets.generate(seed=0, n_customers=200)
>>> round(s.truth.churn_hazard_ratio, 2), len(s.customers)
(0.65, 200)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from roi_kit._lazy import attach as _attach

if TYPE_CHECKING:
    from roi_kit.datasets.benchmarks import example_benchmarks
    from roi_kit.datasets.generate import generate
    from roi_kit.datasets.media import MediaTruth, MediaWeekly, generate_media_weekly
    from roi_kit.datasets.sampledata import SampleData
    from roi_kit.datasets.samples import load_sample
    from roi_kit.datasets.truth import Truth

# the names above, loaded on first use (roi_kit/_lazy.py; the same mechanism as the package root)
__getattr__, __dir__, __all__ = _attach(__name__, __file__, namespace=globals())
