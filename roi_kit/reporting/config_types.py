"""The validated report configuration: one frozen dataclass per ``report.toml`` section.

:class:`ReportConfig` holds the title, currency, period and data files, and one settings object
per section (:class:`FollowersConfig`, :class:`AttributionConfig`, :class:`FunnelConfig`,
:class:`GoalsConfig`, :class:`ScorecardConfig`, :class:`~roi_kit.reporting.roi_config.RoiConfig`,
:class:`IndirectConfig`) whose defaults are the defaults of an absent key. Build it with
:func:`~roi_kit.reporting.config.parse_config` or :func:`~roi_kit.reporting.config.load_config`.

Examples
--------
>>> import datetime as dt
>>> cfg = ReportConfig("ROI", "EUR", dt.date(2025, 1, 1), dt.date(2025, 3, 31), files={})
>>> cfg.period_days, cfg.attribution.model, [d.isoformat() for d in cfg.previous_period]
(90, 'markov', ['2024-10-03', '2024-12-31'])
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from roi_kit.errors import ConfigError
from roi_kit.goal_rules import DEFAULT_AT_MOST
from roi_kit.reporting.config_period import _date
from roi_kit.reporting.roi_config import RoiConfig

__all__ = [
    "AttributionConfig",
    "FollowersConfig",
    "FunnelConfig",
    "GoalsConfig",
    "IndirectConfig",
    "ReportConfig",
    "ScorecardConfig",
]



@dataclass(frozen=True)
class FollowersConfig:
    """Follower definition for the report (see ``rk.define_followers``)."""

    platforms: tuple[str, ...] | None = None
    min_engagements: int = 1
    engaged_within_days: int | None = None
    landmark_days: int = 90
    horizon_days: int = 365
    covariates: tuple[str, ...] | None = None


@dataclass(frozen=True)
class AttributionConfig:
    """Attribution settings for the report."""

    model: str = "markov"
    order: int = 1
    lookback_days: int | None = None
    social_channels: tuple[str, ...] = ("Organic Social", "Paid Social")


@dataclass(frozen=True)
class FunnelConfig:
    """Funnel settings: a preset name or the event names in order; ``None`` = detect the preset."""

    stages: str | tuple[str, ...] | None = None
    window_days: int | None = None
    ordering: str = "strict"


@dataclass(frozen=True)
class GoalsConfig:
    """Goal settings: metrics that are levels (latest value) rather than flows (summed), and
    metrics whose target is a ceiling ("at most", e.g. cost) rather than a floor."""

    levels: tuple[str, ...] = ("followers",)
    at_most: tuple[str, ...] = DEFAULT_AT_MOST


@dataclass(frozen=True)
class ScorecardConfig:
    """Scorecard settings: own-history basis, trailing periods and an optional benchmark table."""

    basis: str = "trailing_median"
    trailing: int = 4
    benchmarks: Path | None = None
    industry: str | None = None


@dataclass(frozen=True)
class IndirectConfig:
    """Unit costs of the indirect return (``[indirect]``): cost per care case on the channels
    social replaced (key ``social`` for social itself) and cost per click per platform (default:
    the company's own paid CPC from the posts). Empty = not given."""

    cost_per_case: Mapping[str, float] = field(default_factory=dict)
    cpc: Mapping[str, float] | None = None


@dataclass(frozen=True)
class ReportConfig:
    """A validated report configuration."""

    title: str
    currency: str
    period_start: dt.date
    period_end: dt.date
    files: dict[str, Path]
    sample: str | None = None
    compare_previous: bool = True
    followers: FollowersConfig = field(default_factory=FollowersConfig)
    attribution: AttributionConfig = field(default_factory=AttributionConfig)
    funnel: FunnelConfig = field(default_factory=FunnelConfig)
    goals: GoalsConfig = field(default_factory=GoalsConfig)
    scorecard: ScorecardConfig = field(default_factory=ScorecardConfig)
    roi: RoiConfig = field(default_factory=RoiConfig)
    indirect: IndirectConfig = field(default_factory=IndirectConfig)
    source: str = "report.toml"

    @property
    def previous_period(self) -> tuple[dt.date, dt.date]:
        """The period of equal length (in days) just before this one."""
        length = self.period_end - self.period_start
        end = self.period_start - dt.timedelta(days=1)
        return end - length, end

    @property
    def period_days(self) -> int:
        """Days in the period, both ends included."""
        return (self.period_end - self.period_start).days + 1

    def with_period(self, start: dt.date | str | None = None,
                    end: dt.date | str | None = None) -> ReportConfig:
        """A copy with the period changed (what ``--period-start``/``--period-end`` do).

        Examples
        --------
        >>> from roi_kit.reporting.config import parse_config
        >>> cfg = parse_config('[report]\\nperiod_start = "2025-01-01"\\nperiod_end = "2025-01-31"',
        ...                    check_files=False)
        >>> cfg.with_period(end="2025-02-28").period_days
        59
        """
        new_start = self.period_start if start is None else _date(start, "--period-start", "command line")
        new_end = self.period_end if end is None else _date(end, "--period-end", "command line")
        if new_end < new_start:
            raise ConfigError(f"the period ends ({new_end}) before it starts ({new_start}).",
                              hint="swap the two dates.")
        return dataclasses.replace(self, period_start=new_start, period_end=new_end)
