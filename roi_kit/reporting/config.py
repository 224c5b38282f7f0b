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

import dataclasses
import datetime as dt
import difflib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from roi_kit.errors import ConfigError
from roi_kit.goal_rules import DEFAULT_AT_MOST
from roi_kit.reporting.roi_config import ROI_SCHEMA, RoiConfig, roi_config

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

TABLE_KEYS = (
    "customers", "social_audience", "deals", "touchpoints", "posts", "costs", "funnel_events", "goals",
    "service_interactions",
)
_MODELS = ("first", "last", "last_non_direct", "linear", "time_decay", "position", "markov", "shapley",
           "u_shaped", "w_shaped", "full_path", "j_shaped", "inverse_j")
_BASES = ("trailing_median", "previous_period", "last_year")
PERIODS = ("last_month", "last_quarter", "last_year", "month_to_date", "quarter_to_date",
           "year_to_date")
"""Values of ``[report] period`` (relative to the day the report runs)."""
SAMPLES = ("saas", "dtc")
"""Shipped samples that hold every table (``[data] sample``)."""


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


_INT = (int, "a whole number")
_SCHEMA: dict[str, dict[str, tuple[type | tuple[type, ...], str]]] = {
    "report": {
        "title": (str, 'a text, e.g. title = "Social media ROI"'),
        "currency": (str, 'a currency code, e.g. currency = "EUR"'),
        "period_start": ((str, dt.date), 'a date, e.g. period_start = "2025-01-01"'),
        "period_end": ((str, dt.date), 'a date, e.g. period_end = "2025-03-31"'),
        "period": (str, f"one of {', '.join(PERIODS)}"),
        "compare_previous": (bool, "true or false"),
    },
    "data": {
        "dir": (str, 'a folder, e.g. dir = "data/samples/saas"'),
        "sample": (str, f'a shipped sample name: {" or ".join(SAMPLES)}'),
        **{key: (str, f'a file path, e.g. {key} = "{key}.csv"') for key in TABLE_KEYS},
    },
    "followers": {
        "platforms": (list, 'a list of platforms, e.g. platforms = ["linkedin"]'),
        "min_engagements": (int, "a whole number >= 0, e.g. min_engagements = 1"),
        "engaged_within_days": (int, "a whole number of days, e.g. engaged_within_days = 180"),
        "landmark_days": (int, "a whole number of days, e.g. landmark_days = 90"),
        "horizon_days": (int, "a whole number of days, e.g. horizon_days = 365"),
        "covariates": (list, 'a list of customer columns, e.g. covariates = ["company_size"]'),
    },
    "attribution": {
        "model": (str, f"one of {', '.join(_MODELS)}"),
        "order": (int, "1, 2, 3 or 4"),
        "lookback_days": (int, "a whole number of days, e.g. lookback_days = 30"),
        "social_channels": (list, 'a list of channel groups, e.g. ["Organic Social", "Paid Social"]'),
    },
    "funnel": {
        "stages": ((str, list), 'a preset name or a list of events, e.g. stages = "saas" or '
                                'stages = ["visit", "lead", "won"]'),
        "window_days": (int, "a whole number of days, e.g. window_days = 30"),
        "ordering": (str, '"strict" or "loose"'),
    },
    "goals": {
        "levels": (list, 'a list of metrics measured by their latest value, e.g. levels = ["followers"]'),
        "at_most": (list, 'a list of metrics whose target is a ceiling, e.g. at_most = ["cost"]'),
    },
    "scorecard": {
        "basis": (str, f"one of {', '.join(_BASES)}"),
        "trailing": (int, "a whole number of periods >= 1, e.g. trailing = 4"),
        "benchmarks": (str, 'a CSV file: metric, platform, industry, low, median, high, e.g. '
                            'benchmarks = "benchmarks.csv"'),
        "industry": (str, 'the benchmark rows to use, e.g. industry = "software"'),
    },
    "roi": ROI_SCHEMA,
    "indirect": {
        "cost_per_case": (dict, "a table of costs per case, e.g. cost_per_case = "
                                "{ phone = 6.5, email = 3.2, social = 1.5 }"),
        "cpc": (dict, "a table of costs per click, e.g. cpc = { linkedin = 5.5, x = 0.6 }"),
    },
}
_POSITIVE = {("followers", "landmark_days"), ("followers", "horizon_days"),
             ("followers", "engaged_within_days"), ("attribution", "lookback_days"),
             ("funnel", "window_days"), ("scorecard", "trailing")}


def _fail(source: str, key: str, message: str, hint: str) -> ConfigError:
    return ConfigError(f"{source}: {key} {message}", hint=hint)


def _check_value(section: str, key: str, value: Any, source: str) -> None:
    expected, example = _SCHEMA[section][key]
    if (isinstance(value, bool) and expected is int) or not isinstance(value, expected):
        raise _fail(source, f"{section}.{key}", f"has the wrong type ({type(value).__name__}: {value!r}).",
                    f"it must be {example}.")
    if isinstance(value, dict) and not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v < float("inf")
            for v in value.values()):
        raise _fail(source, f"{section}.{key}", f"must give a number >= 0 for every key; got {value!r}.",
                    f"it must be {example}.")
    if isinstance(value, list) and not all(isinstance(v, str) for v in value):
        raise _fail(source, f"{section}.{key}", f"must list texts only; got {value!r}.",
                    f"it must be {example}.")
    if isinstance(value, int) and not isinstance(value, bool):
        low = 1 if (section, key) in _POSITIVE else 0
        if value < low:
            raise _fail(source, f"{section}.{key}", f"is {value}; it must be at least {low}.",
                        f"it must be {example}.")


def _check_keys(raw: dict[str, Any], source: str) -> None:
    for section, values in raw.items():
        if section not in _SCHEMA:
            close = difflib.get_close_matches(section, _SCHEMA, n=1)
            hint = f"did you mean [{close[0]}]?" if close else f"use one of [{'], ['.join(_SCHEMA)}]."
            raise _fail(source, f"[{section}]", "is not a known section.", hint)
        if not isinstance(values, dict):
            raise _fail(source, section, "must be a table ([section]).", f"write [{section}] on its own line.")
        for key, value in values.items():
            if key not in _SCHEMA[section]:
                known = list(_SCHEMA[section])
                close = difflib.get_close_matches(key, known, n=1)
                hint = f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(known)}."
                raise _fail(source, f"{section}.{key}", "is not a known key.", hint)
            _check_value(section, key, value, source)


def _date(raw: Any, key: str, source: str) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        raise _fail(source, key, f"is not a date: {raw!r}.", 'write it as "YYYY-MM-DD".') from None


def relative_period(name: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of a named period relative to ``today`` (see :data:`PERIODS`).

    Examples
    --------
    >>> [d.isoformat() for d in relative_period("last_quarter", dt.date(2025, 5, 14))]
    ['2025-01-01', '2025-03-31']
    >>> [d.isoformat() for d in relative_period("month_to_date", dt.date(2025, 5, 14))]
    ['2025-05-01', '2025-05-13']
    """
    q_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    m_start = today.replace(day=1)
    y_start = dt.date(today.year, 1, 1)
    yesterday = today - dt.timedelta(days=1)
    if name == "last_month":
        end = m_start - dt.timedelta(days=1)
        return end.replace(day=1), end
    if name == "last_quarter":
        end = q_start - dt.timedelta(days=1)
        return dt.date(end.year, end.month - 2, 1), end
    if name == "last_year":
        return dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)
    starts = {"month_to_date": m_start, "quarter_to_date": q_start, "year_to_date": y_start}
    if name in starts:
        # "to date" = up to yesterday (today's data is incomplete); on the 1st, the whole last day
        return min(starts[name], yesterday), yesterday
    raise ConfigError(f"period={name!r} is not a known period.", hint=f"use one of {', '.join(PERIODS)}.")


def _period(report: dict[str, Any], source: str, today: dt.date | None) -> tuple[dt.date, dt.date]:
    if "period" in report:
        if "period_start" in report or "period_end" in report:
            raise _fail(source, "report.period", "is given together with period_start/period_end.",
                        "keep either period = \"last_month\" (relative) or the two dates.")
        if report["period"] not in PERIODS:
            raise _fail(source, "report.period", f"is {report['period']!r}.", f"use one of {', '.join(PERIODS)}.")
        return relative_period(report["period"], today or dt.date.today())
    for key in ("period_start", "period_end"):
        if key not in report:
            raise _fail(source, f"report.{key}", "is missing.",
                        f'add {key} = "YYYY-MM-DD" under [report] (or period = "last_month").')
    start = _date(report["period_start"], "report.period_start", source)
    end = _date(report["period_end"], "report.period_end", source)
    if end < start:
        raise _fail(source, "report.period_end", f"({end}) is before period_start ({start}).",
                    "swap the two dates.")
    return start, end


def _files(data: dict[str, Any], base: Path, source: str, check_files: bool) -> dict[str, Path]:
    folder = base / data["dir"] if "dir" in data else None
    files: dict[str, Path] = {}
    for table in TABLE_KEYS:
        if table in data:
            path = Path(data[table])
            files[table] = path if path.is_absolute() else (folder or base) / path
        elif folder is not None and (folder / f"{table}.csv").exists():
            files[table] = folder / f"{table}.csv"
    sample = data.get("sample")
    if sample is not None and sample not in SAMPLES:
        raise _fail(source, "data.sample", f"is {sample!r}.",
                    f"use {' or '.join(repr(s) for s in SAMPLES)}, or name your files instead.")
    if check_files:
        if folder is not None and not folder.is_dir():
            raise _fail(source, "data.dir", f"points to {folder}, which is not a folder.",
                        "fix the path (relative paths start at the config file's folder).")
        for table, path in files.items():
            if not path.is_file():
                raise _fail(source, f"data.{table}", f"points to {path}, which does not exist.",
                            "fix the path (relative paths start at the config file's folder).")
        if not files and sample is None:
            raise _fail(source, "[data]", "names no data.",
                        'add dir = "folder with customers.csv, deals.csv, ..." or sample = "saas".')
    return files


def _scorecard(raw: dict[str, Any], base: Path, source: str, check_files: bool) -> ScorecardConfig:
    if raw.get("basis", "trailing_median") not in _BASES:
        raise _fail(source, "scorecard.basis", f"is {raw['basis']!r}.", f"use one of {', '.join(_BASES)}.")
    path = Path(raw["benchmarks"]) if "benchmarks" in raw else None
    if path is not None and not path.is_absolute():
        path = base / path
    if check_files and path is not None and not path.is_file():
        raise _fail(source, "scorecard.benchmarks", f"points to {path}, which does not exist.",
                    "fix the path (relative paths start at the config file's folder).")
    return ScorecardConfig(basis=raw.get("basis", "trailing_median"), trailing=raw.get("trailing", 4),
                           benchmarks=path, industry=raw.get("industry"))


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
