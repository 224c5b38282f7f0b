"""The shape of one export family's headers (data only; matched in :mod:`roi_kit.io.aliases`).

Examples
--------
>>> AliasSet("My export", "costs", {"amount": ("total spent",)}, ("total spent",)).table
'costs'
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["AliasSet"]


@dataclass(frozen=True)
class AliasSet:
    """Headers of one export family.

    ``columns`` maps a canonical column to its aliases in order of preference (normalised);
    ``signature`` lists headers that identify the export; ``constants`` fills columns the export
    implies (a LinkedIn export is all ``platform="linkedin"``); ``split`` names a combined column
    (``session source / medium``) and the two canonical columns it is split into at ``" / "``.
    """

    name: str
    table: str
    columns: dict[str, tuple[str, ...]]
    signature: tuple[str, ...]
    constants: dict[str, str] = field(default_factory=dict)
    split: dict[str, tuple[str, str]] = field(default_factory=dict)
