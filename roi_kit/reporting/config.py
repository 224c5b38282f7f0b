"""Report configuration (``report.toml``): parsing and validation with precise errors.

A report config names the data, the period, the follower definition, the attribution model,
the funnel, the goals and the currency. Every key is checked: an unknown key, a missing file or a
wrong type raises :class:`~roi_kit.errors.ConfigError` naming the key and the fix. Relative paths
start at the config file's folder. The full list of keys is in ``docs/cli.md``.

Examples
--------
>>> cfg = parse_config('''
... [report]
... title = "Acme social ROI"
... period_start = "2025-01-01"
... period_end = "2025-03-31"
... [data]
... dir = "."
... ''', base_dir=".", check_files=False)
>>> cfg.title, cfg.period_start.isoformat(), cfg.attribution.model
('Acme social ROI', '2025-01-01', 'markov')
>>> [d.isoformat() for d in cfg.previous_period]
['2024-10-03', '2024-12-31']
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

from roi_kit.errors import ConfigError
from roi_kit.goal_rules import DEFAULT_AT_MOST
from roi_kit.reporting.config_files import _files, _scorecard
from roi_kit.reporting.config_period import _period, relative_period
from roi_kit.reporting.config_schema import (
    _MODELS,
    PERIODS,
    SAMPLES,
    TABLE_KEYS,
    _check_keys,
    _fail,
)
from roi_kit.reporting.config_types import (
    AttributionConfig,
    FollowersConfig,
    FunnelConfig,
    GoalsConfig,
    IndirectConfig,
    ReportConfig,
    ScorecardConfig,
)
from roi_kit.reporting.roi_config import RoiConfig, roi_config

__all__ = [
    "PERIODS",
    "SAMPLES",
    "TABLE_KEYS",
    "AttributionConfig",
    "FollowersConfig",
    "FunnelConfig",
    "GoalsConfig",
    "IndirectConfig",
    "ReportConfig",
    "RoiConfig",
    "ScorecardConfig",
    "load_config",
    "parse_config",
    "relative_period",
]



def parse_config(text: str, *, base_dir: str | Path = ".", source: str = "report.toml",
                 check_files: bool = True, today: dt.date | None = None) -> ReportConfig:
    """Parse and validate a report config given as TOML text.

    Parameters
    ----------
    text
        The TOML document.
    base_dir
        Folder that relative file paths are resolved against (the config file's folder).
    source
        Name of the config in error messages.
    check_files
        Check that every named data file exists.
    today
        Reference day of a relative ``period`` (default: the current date).

    Examples
    --------
    >>> parse_config('[report]\\ntitel = "x"', check_files=False)
    Traceback (most recent call last):
    ...
    roi_kit.errors.ConfigError: report.toml: report.titel is not a known key.
    Hint: did you mean 'title'?
    >>> cfg = parse_config('[report]\\nperiod = "last_month"', check_files=False,
    ...                    today=dt.date(2025, 3, 10))
    >>> cfg.period_start.isoformat(), cfg.period_end.isoformat()
    ('2025-02-01', '2025-02-28')
    """
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source} is not valid TOML: {exc}.",
                          hint="check quotes and brackets on that line.") from None
    _check_keys(raw, source)
    report = raw.get("report", {})
    start, end = _period(report, source, today)
    fol = raw.get("followers", {})
    att = raw.get("attribution", {})
    fun = raw.get("funnel", {})
    if att.get("model", "markov") not in _MODELS:
        raise _fail(source, "attribution.model", f"is {att['model']!r}.", f"use one of {', '.join(_MODELS)}.")
    if not 1 <= att.get("order", 1) <= 4:
        raise _fail(source, "attribution.order", f"is {att['order']}.", "use 1, 2, 3 or 4.")
    if fun.get("ordering", "strict") not in ("strict", "loose"):
        raise _fail(source, "funnel.ordering", f"is {fun['ordering']!r}.", 'use "strict" or "loose".')
    stages = fun.get("stages")
    if isinstance(stages, list) and len(stages) < 2:
        raise _fail(source, "funnel.stages", f"lists {len(stages)} event(s).",
                    'list at least two events in order, e.g. ["visit", "lead", "won"].')
    files = _files(raw.get("data", {}), Path(base_dir), source, check_files)
    card = _scorecard(raw.get("scorecard", {}), Path(base_dir), source, check_files)
    return ReportConfig(
        title=report.get("title", "Social media ROI report"),
        currency=report.get("currency", "USD"),
        period_start=start,
        period_end=end,
        files=files,
        sample=raw.get("data", {}).get("sample"),
        compare_previous=report.get("compare_previous", True),
        followers=FollowersConfig(
            platforms=tuple(fol["platforms"]) if "platforms" in fol else None,
            min_engagements=fol.get("min_engagements", 1),
            engaged_within_days=fol.get("engaged_within_days"),
            landmark_days=fol.get("landmark_days", 90),
            horizon_days=fol.get("horizon_days", 365),
            covariates=tuple(fol["covariates"]) if "covariates" in fol else None,
        ),
        attribution=AttributionConfig(
            model=att.get("model", "markov"),
            order=att.get("order", 1),
            lookback_days=att.get("lookback_days"),
            social_channels=tuple(att.get("social_channels", ("Organic Social", "Paid Social"))),
        ),
        funnel=FunnelConfig(
            stages=tuple(stages) if isinstance(stages, list) else stages,
            window_days=fun.get("window_days"),
            ordering=fun.get("ordering", "strict"),
        ),
        goals=GoalsConfig(levels=tuple(raw.get("goals", {}).get("levels", ("followers",))),
                          at_most=tuple(raw.get("goals", {}).get("at_most", DEFAULT_AT_MOST))),
        scorecard=card,
        roi=roi_config(raw.get("roi", {}), base=Path(base_dir), source=source,
                       check_files=check_files),
        indirect=IndirectConfig(
            cost_per_case={str(k): float(v) for k, v in raw.get("indirect", {}).get("cost_per_case", {}).items()},
            cpc=({str(k): float(v) for k, v in raw["indirect"]["cpc"].items()}
                 if "cpc" in raw.get("indirect", {}) else None)),
        source=source,
    )


def load_config(path: str | Path, *, today: dt.date | None = None) -> ReportConfig:
    """Read and validate a ``report.toml`` file.

    Examples
    --------
    >>> load_config("no/such/report.toml")
    Traceback (most recent call last):
    ...
    roi_kit.errors.ConfigError: no/such/report.toml does not exist.
    Hint: pass the path of your report config, e.g. roi-kit report --config report.toml.
    """
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"{path} does not exist.",
                          hint="pass the path of your report config, e.g. roi-kit report --config report.toml.")
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text.", hint="save the config as UTF-8.") from None
    return parse_config(text, base_dir=p.parent, source=str(path), today=today)
