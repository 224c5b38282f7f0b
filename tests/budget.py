"""How many examples a property test draws.

``make test`` (and CI) runs every property test at its full budget. ``make unit`` is the quick
feedback tier: it sets ``ROI_KIT_QUICK_TESTS=1`` and each property test then draws a fifth of its
examples (at least 5), so the same properties are checked on fewer generated inputs.
"""

from __future__ import annotations

import os

QUICK = os.environ.get("ROI_KIT_QUICK_TESTS", "") not in ("", "0")


def examples(full: int) -> int:
    """``full`` examples, or a fifth of them (at least 5) in the quick tier.

    >>> examples(50) in (10, 50)
    True
    """
    return max(5, full // 5) if QUICK else full
