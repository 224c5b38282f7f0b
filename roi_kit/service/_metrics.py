"""``service_metrics``: response, resolution and service-cost savings of social customer care.

Method
------
* **Response rate** and **resolution rate**: cases answered (resolved) by the data end over all
  cases, with a Wilson score interval.
* **First-response time** and **resolution time**: Kaplan–Meier medians in hours with
  Brookmeyer–Crowley-style intervals (:meth:`roi_kit.survival.SurvivalTable.median`), computed from
  (minutes, events, removed) counts. Cases still unanswered (unresolved) at the data end are
  censored there, so slow cases are not dropped and the median is not flattered; a median the
  curve never reaches is said in words ("fewer than half were answered"), never printed as a
  number.
* **Service-cost savings**: see :mod:`roi_kit.service._savings`.

The case conventions (data end, what counts as answered and resolved) are in
:mod:`roi_kit.service._prepare`.

Examples
--------
>>> import pandas as pd
>>> t = pd.to_datetime
>>> cases = pd.DataFrame({
...     "interaction_id": ["a", "b", "c", "d"], "platform": ["x"] * 4,
...     "opened_at": t(["2024-01-01 09:00"] * 4),
...     "first_response_at": t(["2024-01-01 10:00", "2024-01-01 11:00", "2024-01-01 12:00", None]),
...     "resolved_at": t(["2024-01-01 12:00", None, "2024-01-01 13:00", None]),
...     "replaced_channel": ["phone", "phone", "email", None],
... })
>>> m = service_metrics(cases, cost_per_case={"phone": 6.0, "email": 4.0, "social": 1.0})
>>> m.value("response_rate"), m.value("first_response_hours"), m.value("resolution_rate")
(0.75, 2.0, 0.5)
>>> m.savings.total
8.0
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from roi_kit.aggregates import wilson_interval
from roi_kit.errors import ConfigError
from roi_kit.service._prepare import ALL, Prepared, prepare
from roi_kit.service._result import Curve, ServiceMetrics
from roi_kit.service._savings import savings
from roi_kit.survival import SurvivalTable, kaplan_meier_from_counts

__all__ = ["service_metrics"]

_COUNTS = ["duration", "events", "removed"]


def _curve(counts: pd.DataFrame, group: str, conf_level: float) -> SurvivalTable | None:
    rows = counts if group == ALL else counts[counts["group"] == group]
    rows = rows.groupby("duration", as_index=False)[["events", "removed"]].sum()
    if rows.empty or int(rows["removed"].sum()) == 0:
        return None
    return kaplan_meier_from_counts(rows, conf_level=conf_level)


def _median_row(group: str, metric: str, km: SurvivalTable | None, n: int, what: str,
                conf: str) -> tuple[Any, ...]:
    nan = float("nan")
    if km is None:
        return (group, metric, nan, nan, nan, f"no {what} time could be measured")
    med, lo, hi = (None if v is None else v / 60.0 for v in km.median())
    if med is None:
        return (group, metric, nan, nan, nan,
                f"median {what} time not reached: fewer than half of the {n:,} cases had it by "
                "the data end")
    note = "" if hi is not None else f"the upper {conf} limit lies beyond the data end"
    return (group, metric, med, lo if lo is not None else nan, hi if hi is not None else nan, note)


def _rate_row(group: str, metric: str, k: int, n: int, conf_level: float) -> tuple[Any, ...]:
    lo, hi = wilson_interval(k, n, conf_level=conf_level)
    return (group, metric, k / n, float(lo), float(hi), "")


def _table(p: Prepared, labels: list[str], conf_level: float) -> tuple[pd.DataFrame, dict[Curve, SurvivalTable]]:
    rows: list[tuple[Any, ...]] = []
    curves: dict[Curve, SurvivalTable] = {}
    conf = f"{conf_level:.0%}"
    totals = p.groups[["cases", "answered", "resolved"]].sum()
    for group in labels:
        g = totals if group == ALL else p.groups.set_index("group").loc[group]
        n = int(g["cases"])
        first = _curve(p.response, group, conf_level)
        res = _curve(p.resolution, group, conf_level)
        for key, km in (("first_response", first), ("resolution", res)):
            if km is not None:
                curves[(key, group)] = km  # type: ignore[index]
        rows += [
            (group, "cases", float(n), float("nan"), float("nan"), ""),
            _rate_row(group, "response_rate", int(g["answered"]), n, conf_level),
            _median_row(group, "first_response_hours", first, n, "first-response", conf),
            _rate_row(group, "resolution_rate", int(g["resolved"]), n, conf_level),
            _median_row(group, "resolution_hours", res, n, "resolution", conf),
        ]
    frame = pd.DataFrame(rows, columns=["group", "metric", "value", "ci_low", "ci_high", "note"])
    return frame, curves


def _notes(p: Prepared) -> list[str]:
    g = p.groups
    notes = []
    for col, what in (("bad_response", "a first response"), ("bad_resolution", "a resolution")):
        k = int(g[col].sum())
        if k:
            notes.append(f"{k:,} case(s) have {what} dated before the case was opened; they are left "
                         "out of that time (check the export's time zones).")
    k = int(g["resolved_no_time"].sum())
    if k:
        notes.append(f"{k:,} resolved case(s) have no resolution time; they count in the resolution "
                     "rate only.")
    return notes


def service_metrics(
    interactions: Any,
    *,
    by: str | None = None,
    ledger: Any = None,
    cost_per_case: Mapping[str, float] | None = None,
    as_of: Any = None,
    conf_level: float = 0.95,
    currency: str = "USD",
) -> ServiceMetrics:
    """Response rate, first-response and resolution times, resolution rate and savings of social care.

    Parameters
    ----------
    interactions
        The ``service_interactions`` table in any engine (see ``rk.load_service_interactions``):
        ``interaction_id, platform, opened_at`` and optionally ``first_response_at`` (or
        ``first_response_minutes``), ``resolved_at`` (or ``resolution_minutes``), ``resolved``,
        ``replaced_channel``.
    by
        Column to break the metrics down by (e.g. ``"platform"``); the whole table is the group
        ``"all"``.
    ledger
        Cost ledger (frame or :class:`~roi_kit.costs.CostLedger`) whose care lines give the cost per
        case on social (see ``docs/service.md``).
    cost_per_case
        Cost per case on each replaced channel, e.g. ``{"phone": 6.5, "email": 3.0}``; the key
        ``"social"`` sets the cost per case on social directly (it then wins over the ledger).
    as_of
        Data end (default: the latest time in the table); later answers have not happened yet.
    conf_level
        Confidence level of every interval.
    currency
        Currency code used in the summary.

    Returns
    -------
    ServiceMetrics

    Examples
    --------
    >>> import pandas as pd
    >>> cases = pd.DataFrame({"interaction_id": ["a", "b"], "platform": ["x", "facebook"],
    ...                       "opened_at": pd.to_datetime(["2024-01-01 09:00", "2024-01-01 09:00"]),
    ...                       "first_response_at": pd.to_datetime(["2024-01-01 09:30", None]),
    ...                       "resolved_at": pd.to_datetime(["2024-01-01 11:00", None])})
    >>> m = service_metrics(cases, by="platform")
    >>> m.value("response_rate", group="x"), m.value("response_rate", group="facebook")
    (1.0, 0.0)
    >>> print(m.summary().splitlines()[0])
    Social customer care: 2 cases opened 2024-01-01 to 2024-01-01 (data end 2024-01-01 11:00).
    """
    if not 0.0 < conf_level < 1.0:
        raise ConfigError(f"conf_level={conf_level!r} must lie strictly between 0 and 1.",
                          hint="use e.g. conf_level=0.95.")
    p = prepare(interactions, by=by, as_of=as_of)
    labels = [ALL] if by is None else [*p.groups["group"].tolist(), ALL]
    table, curves = _table(p, labels, conf_level)
    saved = savings(p.handled, cases=int(p.groups["cases"].sum()), cost_per_case=cost_per_case,
                    ledger=ledger, has_replaced_channel=p.has_replaced_channel, currency=currency)
    return ServiceMetrics(
        table=table, curves=curves, savings=saved, by=by, as_of=p.as_of, opened_from=p.opened_from,
        opened_to=p.opened_to, notes=(*_notes(p), *saved.notes), conf_level=conf_level,
        currency=currency,
    )
