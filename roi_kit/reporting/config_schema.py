"""Which sections, keys and values ``report.toml`` accepts, and the checks that say which is wrong.

The constants name the allowed values (the tables a config can name, the attribution models, the
scorecard bases, the relative periods, the shipped samples); ``_SCHEMA`` gives every key of every
section its type and an example. ``_check_keys`` rejects an unknown section or key (suggesting
the closest one), a wrong type, a negative number, a list of non-texts or a table without a number
per key, each with a :class:`~roi_kit.errors.ConfigError` that names the key and the fix.

Examples
--------
>>> _check_keys({"followers": {"landmark_days": 0}}, "report.toml")
Traceback (most recent call last):
...
roi_kit.errors.ConfigError: report.toml: followers.landmark_days is 0; it must be at least 1.
Hint: it must be a whole number of days, e.g. landmark_days = 90.
"""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Any

from roi_kit.errors import ConfigError
from roi_kit.reporting.roi_config import ROI_SCHEMA

__all__ = ["PERIODS", "SAMPLES", "TABLE_KEYS"]

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
