"""The path table: distinct journeys as flat element codes with their conversions, value, nulls.

Built by :func:`~roi_kit.attribution.paths.build_paths` (touchpoints) or
:func:`~roi_kit.attribution.paths.read_paths` (aggregated paths); every model reads it.

Examples
--------
>>> import numpy as np
>>> p = _from_flat(["a", "b"], np.array([0, 1, 1]), np.array([2, 1]), np.array([1, 0]),
...                np.array([9.0, 0.0]), np.array([0, 2]), level="channel", has_nulls=True, notes=[])
>>> p.to_frame()
    path  conversions  value  nulls
0  a > b          1.0    9.0    0.0
1      b          0.0    0.0    2.0
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["CAMPAIGN_SEP", "Paths"]

CAMPAIGN_SEP = " | "
"""Separator between channel and campaign in campaign-level element names."""

_DIRECT = frozenset({"direct", "(direct)"})


@dataclass(frozen=True, eq=False)
class Paths:
    """Distinct journeys with their conversions, value and nulls (sufficient for every model).

    Paths are stored as flat element codes with offsets (``codes[offsets[i]:offsets[i+1]]`` is
    path ``i``). Build one with :func:`build_paths` (touchpoints) or :func:`read_paths`
    (aggregated ``path, conversions, value, nulls``).

    Attributes
    ----------
    elements
        Element names (channels, or ``"channel | campaign"``), sorted; codes index this tuple.
    channels, campaigns
        Channel and campaign of each element (campaign ``None`` at channel level).
    codes, offsets
        Flat element codes and path offsets.
    conversions, value, nulls
        Per distinct path: converting journeys, their total value, non-converting journeys.
    level
        ``"channel"`` or ``"campaign"``.
    has_nulls
        False when the input had no non-converting journeys (Markov then sees converting
        journeys only; a note says so).
    touches
        For touchpoint input, the prepared touch table (narwhals, lazy where the engine is);
        used by the time-decay model, which needs timestamps.
    report
        Tagging mistakes found while normalising UTM tags (see
        :func:`~roi_kit.attribution.utm.tagging_report`).
    notes
        Plain-words notes about what was dropped or assumed.

    Examples
    --------
    >>> from roi_kit.attribution.paths import read_paths
    >>> p = read_paths(pd.DataFrame({"path": ["a > b", "b"], "conversions": [1, 0], "nulls": [0, 2]}))
    >>> p.elements, p.n_journeys, p.total_conversions
    (('a', 'b'), 3.0, 1.0)
    """

    elements: tuple[str, ...]
    channels: tuple[str, ...]
    campaigns: tuple[str | None, ...]
    codes: np.ndarray
    offsets: np.ndarray
    conversions: np.ndarray
    value: np.ndarray
    nulls: np.ndarray
    level: str = "channel"
    has_nulls: bool = True
    touches: Any = None
    report: pd.DataFrame | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def n_paths(self) -> int:
        """Number of distinct paths."""
        return len(self.conversions)

    @cached_property
    def lengths(self) -> np.ndarray:
        """Touches per path."""
        return np.diff(self.offsets)

    @cached_property
    def path_index(self) -> np.ndarray:
        """Path number of every touch in :attr:`codes`."""
        return np.repeat(np.arange(self.n_paths), self.lengths)

    @cached_property
    def positions(self) -> np.ndarray:
        """Position (0 = first touch) of every touch within its path."""
        return np.arange(len(self.codes)) - np.repeat(self.offsets[:-1], self.lengths)

    @cached_property
    def journeys(self) -> np.ndarray:
        """Journeys per distinct path (conversions + nulls)."""
        return self.conversions + self.nulls

    @property
    def n_journeys(self) -> float:
        """Total journeys."""
        return float(self.journeys.sum())

    @property
    def total_conversions(self) -> float:
        """Total converting journeys."""
        return float(self.conversions.sum())

    @property
    def total_value(self) -> float:
        """Total conversion value."""
        return float(self.value.sum())

    @property
    def direct_codes(self) -> np.ndarray:
        """Codes of elements whose channel is Direct."""
        return np.array([i for i, c in enumerate(self.channels) if c.strip().lower() in _DIRECT],
                        dtype=np.int64)

    def to_frame(self, *, sep: str = " > ") -> pd.DataFrame:
        """The interchange table ``path, conversions, value, nulls`` (one row per distinct path).

        Examples
        --------
        >>> from roi_kit.attribution.paths import read_paths
        >>> read_paths(pd.DataFrame({"path": ["x>y"], "conversions": [2]})).to_frame()
            path  conversions  value  nulls
        0  x > y          2.0    0.0    0.0
        """
        names = np.asarray(self.elements, dtype=object)
        parts = np.split(names[self.codes], self.offsets[1:-1]) if self.n_paths else []
        out = pd.DataFrame({
            "path": [sep.join(p) for p in parts],
            "conversions": self.conversions,
            "value": self.value,
            "nulls": self.nulls,
        })
        return out.sort_values("path", kind="stable").reset_index(drop=True)


def split_labels(labels: Sequence[str], level: str) -> tuple[tuple[str, ...], tuple[str | None, ...]]:
    """Channel and campaign of each element name (campaign ``None`` at channel level).

    Examples
    --------
    >>> split_labels(["Email | spring", "Direct"], "campaign")
    (('Email', 'Direct'), ('spring', None))
    """
    channels: list[str] = []
    campaigns: list[str | None] = []
    for lab in labels:
        if level == "campaign" and CAMPAIGN_SEP in lab:
            ch, camp = lab.split(CAMPAIGN_SEP, 1)
            channels.append(ch)
            campaigns.append(camp)
        else:
            channels.append(lab)
            campaigns.append(None)
    return tuple(channels), tuple(campaigns)


def _from_flat(
    labels: Sequence[str], codes: np.ndarray, lengths: np.ndarray, conversions: np.ndarray,
    value: np.ndarray, nulls: np.ndarray, *, level: str, has_nulls: bool, notes: list[str],
    touches: Any = None, report: pd.DataFrame | None = None,
) -> Paths:
    channels, campaigns = split_labels(labels, level)
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return Paths(
        elements=tuple(labels), channels=channels, campaigns=campaigns,
        codes=codes.astype(np.int64, copy=False), offsets=offsets,
        conversions=conversions.astype(np.float64), value=value.astype(np.float64),
        nulls=nulls.astype(np.float64), level=level, has_nulls=has_nulls, touches=touches,
        report=report, notes=tuple(notes),
    )
