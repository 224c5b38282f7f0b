"""Other names of the aggregated-path interchange columns (``path, conversions, value, nulls``).

The best-known attribution package, ChannelAttribution, writes ``path, total_conversions,
total_conversion_value, total_null``; :func:`roi_kit.read_paths` reads those (and a few other
common spellings) when its options are left at their defaults, and says so in a note.

Examples
--------
>>> _interchange_names({"path": "path", "conversions": "conversions", "value": "value",
...                     "nulls": "nulls"}, ["path", "total_conversions", "total_null"])
{'path': 'path', 'conversions': 'total_conversions', 'value': 'value', 'nulls': 'total_null'}
"""

from __future__ import annotations

__all__ = ["PATH_COLUMN_ALIASES", "is_paths_table"]


#: other names of the interchange columns (ChannelAttribution's ``total_*`` first)
PATH_COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "path": ("paths", "channel_path", "path_channels"),
    "conversions": ("total_conversions", "total_conversion", "conversion_count"),
    "value": ("total_conversion_value", "conversion_value", "total_value", "revenue"),
    "nulls": ("total_null", "total_nulls", "null", "non_conversions"),
}


def _interchange_names(names: dict[str, str], cols: list[str]) -> dict[str, str]:
    """Column names to read: as given, or (for an option left at its default and absent from
    the data) the first of its :data:`PATH_COLUMN_ALIASES` present, compared case-insensitively."""
    lower = {c.lower(): c for c in cols}
    out = dict(names)
    for key, given in names.items():
        if given != key or given in cols:
            continue
        found = next((lower[a] for a in (key, *PATH_COLUMN_ALIASES[key]) if a in lower), None)
        if found is not None:
            out[key] = found
    return out


def is_paths_table(cols: list[str]) -> bool:
    """Does a frame with these columns hold aggregated paths (a path column by any known name)?"""
    lower = {c.lower() for c in cols}
    return any(n in lower for n in ("path", *PATH_COLUMN_ALIASES["path"]))
