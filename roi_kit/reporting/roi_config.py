"""The report's ``[roi]`` section: which revenue the ROI section uses, and its inputs.

``revenue_source`` is one source or a list of them; every ROI number in the report names the
source it comes from:

* ``"attribution"`` (default) — revenue credited to the social channel groups by the configured
  attribution model (``[attribution]``);
* ``"mmm"`` — revenue a marketing-mix model (:func:`roi_kit.fit_mmm`) gives the social channels in
  the weeks of the period; needs ``media_weekly`` (one row per week) and ``mmm_channels``;
* ``"lift_test"`` — incremental revenue of a finished lift test (:func:`roi_kit.lift_test`); needs
  ``lift_test`` (the test's table) and its window ``lift_start``/``lift_end``.

The first source listed is the one ROI goals are measured with. Each ROI divides by the period's
social cost from the cost ledger, except a lift test with ``lift_cost`` (the tested campaign's
cost).

Examples
--------
>>> roi_config({"revenue_source": "attribution"}, base=Path("."), source="r.toml",
...            check_files=False).sources
('attribution',)
>>> roi_config({"revenue_source": "mmm"}, base=Path("."), source="r.toml", check_files=False)
Traceback (most recent call last):
...
roi_kit.errors.ConfigError: r.toml: roi.media_weekly is missing (revenue_source lists "mmm").
Hint: add media_weekly = "media_weekly.csv" (one row per week: week, revenue, spend per channel) and mmm_channels = ["paid_social", ...] under [roi].
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from roi_kit.errors import ConfigError
from roi_kit.periods import as_day

__all__ = ["ROI_SCHEMA", "SOURCES", "RevenueSource", "RoiConfig", "roi_config"]

RevenueSource = Literal["attribution", "mmm", "lift_test"]
SOURCES: tuple[RevenueSource, ...] = ("attribution", "mmm", "lift_test")
"""Values of ``[roi] revenue_source``."""

ROI_SCHEMA: dict[str, tuple[type | tuple[type, ...], str]] = {
    "revenue_source": ((str, list), 'one of "attribution", "mmm", "lift_test" or a list, e.g. '
                                    'revenue_source = ["attribution", "mmm"]'),
    "media_weekly": (str, 'a weekly file, e.g. media_weekly = "media_weekly.csv"'),
    "mmm_outcome": (str, 'the outcome column, e.g. mmm_outcome = "revenue"'),
    "mmm_channels": (list, 'a list of weekly spend columns, e.g. mmm_channels = ["paid_social", "search"]'),
    "mmm_organic": (list, 'a list of weekly activity columns, e.g. mmm_organic = ["organic_social"]'),
    "mmm_controls": (list, 'a list of control columns, e.g. mmm_controls = ["promotion"]'),
    "mmm_social": (list, 'the modelled channels that count as social, e.g. mmm_social = '
                         '["paid_social", "organic_social"]'),
    "lift_test": (str, 'the lift test table, e.g. lift_test = "holdout.csv" (group, users, '
                       'conversions, revenue)'),
    "lift_start": ((str, dt.date), 'the first day of the test, e.g. lift_start = "2025-11-03"'),
    "lift_end": ((str, dt.date), 'the last day of the test, e.g. lift_end = "2025-11-30"'),
    "lift_cost": ((int, float), "the tested campaign's cost, e.g. lift_cost = 12000"),
}
_MMM_KEYS = ("media_weekly", "mmm_outcome", "mmm_channels", "mmm_organic", "mmm_controls", "mmm_social")
_LIFT_KEYS = ("lift_test", "lift_start", "lift_end", "lift_cost")


@dataclass(frozen=True)
class RoiConfig:
    """Validated ``[roi]`` settings (see the module docstring)."""

    sources: tuple[RevenueSource, ...] = ("attribution",)
    media_weekly: Path | None = None
    mmm_outcome: str = "revenue"
    mmm_channels: tuple[str, ...] = ()
    mmm_organic: tuple[str, ...] = ()
    mmm_controls: tuple[str, ...] = ()
    mmm_social: tuple[str, ...] = ()
    lift_test: Path | None = None
    lift_start: dt.date | None = None
    lift_end: dt.date | None = None
    lift_cost: float | None = None

    @property
    def primary(self) -> RevenueSource:
        """The first source listed: ROI goals are measured with it."""
        return self.sources[0]


def _fail(source: str, key: str, message: str, hint: str) -> ConfigError:
    return ConfigError(f"{source}: roi.{key} {message}", hint=hint)


def _path(raw: dict[str, Any], key: str, base: Path, source: str, check: bool) -> Path:
    path = Path(raw[key])
    path = path if path.is_absolute() else base / path
    if check and not path.is_file():
        raise _fail(source, key, f"points to {path}, which does not exist.",
                    "fix the path (relative paths start at the config file's folder).")
    return path


def _day(raw: dict[str, Any], key: str, source: str) -> dt.date:
    value = raw[key]
    try:
        return as_day(value)
    except ValueError:
        raise _fail(source, key, f"is not a date: {value!r}.", 'write it as "YYYY-MM-DD".') from None


def _sources(raw: dict[str, Any], source: str) -> tuple[RevenueSource, ...]:
    given = raw.get("revenue_source", "attribution")
    names = [given] if isinstance(given, str) else list(given)
    if not names or len(set(names)) != len(names):
        raise _fail(source, "revenue_source", f"is {given!r}; list each source once.",
                    'e.g. revenue_source = ["attribution", "mmm"].')
    out: list[RevenueSource] = []
    for name in names:
        if name not in SOURCES:
            raise _fail(source, "revenue_source", f"names {name!r}, which is not a source.",
                        f"use {', '.join(repr(s) for s in SOURCES)}.")
        out.append(name)
    return tuple(out)


def roi_config(raw: dict[str, Any], *, base: Path, source: str, check_files: bool) -> RoiConfig:
    """Validate the ``[roi]`` table (types are checked before, by the config's schema)."""
    sources = _sources(raw, source)
    for keys, name in ((_MMM_KEYS, "mmm"), (_LIFT_KEYS, "lift_test")):
        extra = [k for k in keys if k in raw]
        if extra and name not in sources:
            raise _fail(source, extra[0], f'is set but revenue_source does not list "{name}".',
                        f'add "{name}" to revenue_source, or remove the {name} keys.')
    cfg: dict[str, Any] = {"sources": sources}
    if "mmm" in sources:
        for key in ("media_weekly", "mmm_channels"):
            if key not in raw:
                raise _fail(source, key, 'is missing (revenue_source lists "mmm").',
                            'add media_weekly = "media_weekly.csv" (one row per week: week, '
                            'revenue, spend per channel) and mmm_channels = ["paid_social", ...] '
                            "under [roi].")
        modelled = [*raw["mmm_channels"], *raw.get("mmm_organic", [])]
        default = [c for c in modelled if c in raw.get("mmm_organic", []) or "social" in c.lower()]
        social = raw.get("mmm_social", default)
        unknown = [c for c in social if c not in modelled]
        if unknown or not social:
            raise _fail(source, "mmm_social", f"is {social!r}: it must name modelled channels "
                        f"(mmm_channels or mmm_organic: {', '.join(modelled)}).",
                        'e.g. mmm_social = ["paid_social", "organic_social"].')
        cfg |= {"media_weekly": _path(raw, "media_weekly", base, source, check_files),
                "mmm_outcome": raw.get("mmm_outcome", "revenue"),
                "mmm_channels": tuple(raw["mmm_channels"]),
                "mmm_organic": tuple(raw.get("mmm_organic", ())),
                "mmm_controls": tuple(raw.get("mmm_controls", ())), "mmm_social": tuple(social)}
    if "lift_test" in sources:
        for key in ("lift_test", "lift_start", "lift_end"):
            if key not in raw:
                raise _fail(source, key, 'is missing (revenue_source lists "lift_test").',
                            'add lift_test = "holdout.csv" (group, users, conversions, revenue), '
                            'lift_start = "YYYY-MM-DD" and lift_end = "YYYY-MM-DD" under [roi].')
        start, end = _day(raw, "lift_start", source), _day(raw, "lift_end", source)
        if end < start:
            raise _fail(source, "lift_end", f"({end}) is before lift_start ({start}).",
                        "swap the two dates.")
        cost = raw.get("lift_cost")
        if cost is not None and not cost > 0:
            raise _fail(source, "lift_cost", f"is {cost!r}; a cost must be above zero.",
                        "give the tested campaign's cost, or leave lift_cost out to use the "
                        "period's social cost.")
        cfg |= {"lift_test": _path(raw, "lift_test", base, source, check_files),
                "lift_start": start, "lift_end": end,
                "lift_cost": None if cost is None else float(cost)}
    return RoiConfig(**cfg)
