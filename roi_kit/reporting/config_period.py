"""Which dates a report covers: fixed dates, or a period named relative to the day it runs.

``_period`` reads ``[report]``: either ``period_start`` and ``period_end`` (dates, the end not
before the start) or ``period`` = one of :data:`~roi_kit.reporting.config_schema.PERIODS`,
which :func:`relative_period` turns into its first and last day ("to date" periods end yesterday,
since today's data is incomplete). ``_date`` reads one date from TOML or the command line.

Examples
--------
>>> [d.isoformat() for d in _period({"period": "year_to_date"}, "report.toml", dt.date(2025, 1, 1))]
['2024-12-31', '2024-12-31']
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from roi_kit.errors import ConfigError
from roi_kit.periods import as_day
from roi_kit.reporting.config_schema import PERIODS, _fail

__all__ = ["relative_period"]



def _date(raw: Any, key: str, source: str) -> dt.date:
    try:
        return as_day(raw)
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
