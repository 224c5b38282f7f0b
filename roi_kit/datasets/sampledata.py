"""The container returned by :func:`~roi_kit.datasets.generate` and
:func:`~roi_kit.datasets.load_sample`.

Examples
--------
>>> import pandas as pd
>>> from roi_kit.datasets.truth import Truth
>>> empty = {name: pd.DataFrame() for name in TABLE_NAMES}
>>> s = SampleData(**empty, truth=Truth.example(), business="saas", seed=0)
>>> list(s.tables())[:3]
['customers', 'social_audience', 'deals']
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from roi_kit.datasets.truth import Truth

__all__ = ["TABLE_NAMES", "SampleData"]

TABLE_NAMES: tuple[str, ...] = (
    "customers", "social_audience", "deals", "touchpoints", "posts", "costs", "funnel_events",
    "goals", "service_interactions",
)


@dataclass(frozen=True)
class SampleData:
    """One pandas DataFrame per canonical table, plus the planted :class:`Truth`.

    Attributes
    ----------
    customers, social_audience, deals, touchpoints, posts, costs, funnel_events, goals, service_interactions
        The canonical tables (column names from :data:`roi_kit.schema.TABLES`; see
        ``docs/sample_data.md`` for every column).
    truth
        The known answers (:class:`~roi_kit.datasets.Truth`).
    business
        ``"saas"`` or ``"dtc"`` (``"messy"`` for the European export sample).
    seed
        The seed the data was generated from.
    """

    customers: pd.DataFrame = field(repr=False, compare=False)
    social_audience: pd.DataFrame = field(repr=False, compare=False)
    deals: pd.DataFrame = field(repr=False, compare=False)
    touchpoints: pd.DataFrame = field(repr=False, compare=False)
    posts: pd.DataFrame = field(repr=False, compare=False)
    costs: pd.DataFrame = field(repr=False, compare=False)
    funnel_events: pd.DataFrame = field(repr=False, compare=False)
    goals: pd.DataFrame = field(repr=False, compare=False)
    service_interactions: pd.DataFrame = field(repr=False, compare=False)
    truth: Truth = field(repr=False)
    business: str = "saas"
    seed: int = 0

    def tables(self) -> dict[str, pd.DataFrame]:
        """The nine canonical tables by name (the frames themselves, not copies)."""
        return {name: getattr(self, name) for name in TABLE_NAMES}

    def __repr__(self) -> str:
        sizes = ", ".join(f"{k}={len(v):,}" for k, v in self.tables().items())
        return f"SampleData(business={self.business!r}, seed={self.seed}, {sizes})"
