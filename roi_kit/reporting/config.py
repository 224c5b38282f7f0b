"""Report configuration (``report.toml``): parsing and validation with precise errors.

A report config names the data, the period, the follower definition, the attribution model,
the goals and the currency. Every key is checked: an unknown key, a missing file or a wrong type
raises :class:`~roi_kit.errors.ConfigError` naming the key and the fix.

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
"""

from __future__ import annotations

import datetime as dt
import difflib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from roi_kit.errors import ConfigError

__all__ = [
    "TABLE_KEYS",
    "AttributionConfig",
    "FollowersConfig",
    "ReportConfig",
    "load_config",
    "parse_config",
]

TABLE_KEYS = (
    "customers", "social_audience", "deals", "touchpoints", "posts", "costs", "funnel_events", "goals",
)
_MODELS = ("first", "last", "last_non_direct", "linear", "time_decay", "position", "markov", "shapley")


@dataclass(frozen=True)
class FollowersConfig:
    """Follower definition for the report (see ``rk.define_followers``)."""

    platforms: tuple[str, ...] | None = None
    min_engagements: int = 1
    engaged_within_days: int | None = None
    landmark_days: int = 90
    horizon_days: int = 365
    covariates: tuple[str, ...] = ()


@dataclass(frozen=True)
class AttributionConfig:
    """Attribution settings for the report."""

    model: str = "markov"
    order: int = 1
    lookback_days: int = 30
    social_channels: tuple[str, ...] = ("Organic Social", "Paid Social")


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
    source: str = "report.toml"

    @property
    def previous_period(self) -> tuple[dt.date, dt.date]:
        """The period of equal length just before this one."""
        length = self.period_end - self.period_start
        end = self.period_start - dt.timedelta(days=1)
        return end - length, end


_SCHEMA: dict[str, dict[str, tuple[type | tuple[type, ...], str]]] = {
    "report": {
        "title": (str, 'a text, e.g. title = "Social media ROI"'),
        "currency": (str, 'a currency code, e.g. currency = "EUR"'),
        "period_start": ((str, dt.date), 'a date, e.g. period_start = "2025-01-01"'),
        "period_end": ((str, dt.date), 'a date, e.g. period_end = "2025-03-31"'),
        "compare_previous": (bool, "true or false"),
    },
    "data": {
        "dir": (str, 'a folder, e.g. dir = "data/samples/saas"'),
        "sample": (str, 'a shipped sample name, e.g. sample = "saas"'),
        **{key: (str, f'a file path, e.g. {key} = "{key}.csv"') for key in TABLE_KEYS},
    },
    "followers": {
        "platforms": (list, 'a list of platforms, e.g. platforms = ["linkedin"]'),
        "min_engagements": (int, "a whole number, e.g. min_engagements = 1"),
        "engaged_within_days": (int, "a whole number of days"),
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
}


def _fail(source: str, key: str, message: str, hint: str) -> ConfigError:
    return ConfigError(f"{source}: {key} {message}", hint=hint)


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
            expected, example = _SCHEMA[section][key]
            if (isinstance(value, bool) and expected is int) or not isinstance(value, expected):
                raise _fail(source, f"{section}.{key}", f"has the wrong type ({type(value).__name__}: {value!r}).",
                            f"it must be {example}.")


def _date(raw: Any, key: str, source: str) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        raise _fail(source, key, f"is not a date: {raw!r}.", 'write it as "YYYY-MM-DD".') from None


def parse_config(text: str, *, base_dir: str | Path = ".", source: str = "report.toml",
                 check_files: bool = True) -> ReportConfig:
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

    Examples
    --------
    >>> parse_config('[report]\\ntitel = "x"', check_files=False)
    Traceback (most recent call last):
    ...
    roi_kit.errors.ConfigError: report.toml: report.titel is not a known key.
    Hint: did you mean 'title'?
    """
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source} is not valid TOML: {exc}.",
                          hint="check quotes and brackets on that line.") from None
    _check_keys(raw, source)
    report = raw.get("report", {})
    data = raw.get("data", {})
    for key in ("period_start", "period_end"):
        if key not in report:
            raise _fail(source, f"report.{key}", "is missing.", f'add {key} = "YYYY-MM-DD" under [report].')
    start = _date(report["period_start"], "report.period_start", source)
    end = _date(report["period_end"], "report.period_end", source)
    if end < start:
        raise _fail(source, "report.period_end", f"({end}) is before period_start ({start}).",
                    "swap the two dates.")
    base = Path(base_dir)
    folder = base / data["dir"] if "dir" in data else None
    files: dict[str, Path] = {}
    for table in TABLE_KEYS:
        if table in data:
            files[table] = (folder or base) / data[table] if not Path(data[table]).is_absolute() else Path(data[table])
        elif folder is not None and (folder / f"{table}.csv").exists():
            files[table] = folder / f"{table}.csv"
    sample = data.get("sample")
    if check_files:
        if folder is not None and not folder.is_dir():
            raise _fail(source, "data.dir", f"points to {folder}, which is not a folder.",
                        "fix the path (relative paths start at the config file's folder).")
        for table, path in files.items():
            if not path.exists():
                raise _fail(source, f"data.{table}", f"points to {path}, which does not exist.",
                            "fix the path (relative paths start at the config file's folder).")
        if not files and sample is None:
            raise _fail(source, "[data]", "names no data.",
                        'add dir = "folder with customers.csv, deals.csv, ..." or sample = "saas".')
    fol = raw.get("followers", {})
    att = raw.get("attribution", {})
    if att.get("model", "markov") not in _MODELS:
        raise _fail(source, "attribution.model", f"is {att['model']!r}.", f"use one of {', '.join(_MODELS)}.")
    if not 1 <= att.get("order", 1) <= 4:
        raise _fail(source, "attribution.order", f"is {att['order']}.", "use 1, 2, 3 or 4.")
    return ReportConfig(
        title=report.get("title", "Social media ROI report"),
        currency=report.get("currency", "USD"),
        period_start=start,
        period_end=end,
        files=files,
        sample=sample,
        compare_previous=report.get("compare_previous", True),
        followers=FollowersConfig(
            platforms=tuple(fol["platforms"]) if "platforms" in fol else None,
            min_engagements=fol.get("min_engagements", 1),
            engaged_within_days=fol.get("engaged_within_days"),
            landmark_days=fol.get("landmark_days", 90),
            horizon_days=fol.get("horizon_days", 365),
            covariates=tuple(fol.get("covariates", ())),
        ),
        attribution=AttributionConfig(
            model=att.get("model", "markov"),
            order=att.get("order", 1),
            lookback_days=att.get("lookback_days", 30),
            social_channels=tuple(att.get("social_channels", ("Organic Social", "Paid Social"))),
        ),
        source=source,
    )


def load_config(path: str | Path) -> ReportConfig:
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
    return parse_config(p.read_text(encoding="utf-8"), base_dir=p.parent, source=str(path))
