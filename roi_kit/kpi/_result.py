"""The scorecard's rows and result: KPIs (tied to a goal) first, then metrics as context.

Examples
--------
>>> fmt_value("ctr", 0.0123), fmt_value("cpc", 1.5), fmt_value("leads", 1234.0)
('1.23%', '1.50', '1,234')
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from roi_kit.formatting import fmt_number, fmt_pct, no_interval
from roi_kit.goals import STATUSES
from roi_kit.kpi._benchmarks import Position
from roi_kit.rate_definitions import RATE_DEFINITIONS
from roi_kit.results import ResultMixin

if TYPE_CHECKING:
    import altair as alt

__all__ = ["COST_METRICS", "Kind", "ScorecardResult", "ScorecardRow", "fmt_value"]

Kind = Literal["kpi", "metric"]

COST_METRICS: frozenset[str] = frozenset({"cpm", "cpc", "cpa", "cac", "cost_per_lead", "cost", "spend"})
"""Metrics where lower is better (used to say whether a benchmark position is good or bad)."""


def fmt_value(metric: str, value: float | None) -> str:
    """A value in the metric's unit: rates as percentages, costs with two decimals."""
    if value is None or np.isnan(value):
        return "n/a"
    if metric in RATE_DEFINITIONS:
        return fmt_pct(value, decimals=2) if RATE_DEFINITIONS[metric][3] else fmt_number(value, decimals=2)
    if metric == "roi_pct":
        return fmt_pct(value, ratio_input=False)
    return fmt_number(value, decimals=0 if abs(value) >= 100 else 1)


@dataclass(frozen=True)
class ScorecardRow:
    """One line of the scorecard (a KPI or a context metric); ``None`` where undefined.

    ``pace`` is progress to target over the share of the period gone (1.0 = exactly the pace
    that reaches the target on the last day); ``benchmark`` is the chosen own-history value and
    ``change`` the actual against it (0.1 = 10 % higher); ``bench_*`` come from the benchmark
    table. ``words`` says the row in a sentence, including why a number is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.kpi import scorecard
    >>> daily = pd.DataFrame({"date": pd.to_datetime(["2025-04-05"]), "metric": ["leads"],
    ...                       "value": [30.0]})
    >>> goals = pd.DataFrame({"metric": ["leads"], "target": [90.0],
    ...     "period_start": pd.to_datetime(["2025-04-01"]), "period_end": pd.to_datetime(["2025-06-29"])})
    >>> card = scorecard(daily, goals=goals, as_of="2025-04-30")
    >>> row = card.kpis()[0]
    >>> row.kind, row.actual, row.target, row.status, round(row.pace, 2)
    ('kpi', 30.0, 90.0, 'on track', 1.0)
    """

    kind: Kind
    metric: str
    platform: str
    stage: str
    goal: str
    owner: str
    direction: str
    actual: float | None
    target: float | None
    progress: float | None
    pace: float | None
    status: str
    benchmark: float | None
    change: float | None
    previous_period: float | None
    last_year: float | None
    trailing_median: float | None
    bench_low: float | None
    bench_median: float | None
    bench_high: float | None
    bench_position: Position
    bench_source: str
    words: str


COLUMNS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(ScorecardRow))


@dataclass(frozen=True)
class ScorecardResult(ResultMixin):
    """KPIs against their targets and benchmarks, metrics as context (see :func:`scorecard`).

    Attributes
    ----------
    rows
        KPIs first (goal order), then metrics (volumes, then rates overall and per platform).
    period_start, period_end, as_of
        The scorecard period and the last day of data counted.
    basis, basis_words
        The own-history benchmark in ``benchmark`` / ``change`` and how it reads.
    with_benchmarks
        Whether a benchmark table was given.

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.kpi import scorecard
    >>> daily = pd.DataFrame({"date": pd.to_datetime(["2025-04-05"]), "metric": ["leads"],
    ...                       "value": [30.0]})
    >>> goals = pd.DataFrame({"metric": ["leads"], "target": [90.0],
    ...     "period_start": pd.to_datetime(["2025-04-01"]), "period_end": pd.to_datetime(["2025-06-29"])})
    >>> card = scorecard(daily, goals=goals, as_of="2025-04-30")
    >>> print(card.summary().splitlines()[0])  # doctest: +NORMALIZE_WHITESPACE
    Scorecard 2025-04-01 to 2025-06-29, as of 2025-04-30: 1 KPI(s) tied to goals — 1 on track.
    History benchmark: the median of the same days in the previous 4 periods.
    """

    rows: tuple[ScorecardRow, ...]
    period_start: pd.Timestamp
    period_end: pd.Timestamp
    as_of: pd.Timestamp
    basis: str
    basis_words: str
    notes: tuple[str, ...] = field(default_factory=tuple)
    with_benchmarks: bool = False

    def kpis(self) -> tuple[ScorecardRow, ...]:
        """The KPI rows."""
        return tuple(r for r in self.rows if r.kind == "kpi")

    def row(self, metric: str, *, platform: str = "all", kind: Kind | None = None) -> ScorecardRow:
        """The first row of ``metric`` on ``platform`` (a :class:`KeyError` lists what exists)."""
        for r in self.rows:
            if r.metric == metric and r.platform == platform and kind in (None, r.kind):
                return r
        have = sorted({f"{r.metric}/{r.platform}" for r in self.rows})
        raise KeyError(f"no scorecard row for {metric!r} on {platform!r}; rows: {', '.join(have)}")

    def to_frame(self) -> pd.DataFrame:
        """One row per KPI / metric; columns are the fields of :class:`ScorecardRow`."""
        frame = pd.DataFrame([dataclasses.asdict(r) for r in self.rows], columns=list(COLUMNS))
        for col in ("actual", "target", "progress", "pace", "benchmark", "change", "previous_period",
                    "last_year", "trailing_median", "bench_low", "bench_median", "bench_high"):
            frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
        return frame

    def summary(self) -> str:
        """The period, KPI counts per status, one sentence per KPI, then metrics out of range."""
        kpis = self.kpis()
        counts = pd.Series([r.status for r in kpis], dtype=object).value_counts()
        parts = ", ".join(f"{int(counts[s])} {s}" for s in STATUSES if s in counts)
        lines = [f"Scorecard {self.period_start:%Y-%m-%d} to {self.period_end:%Y-%m-%d}, as of "
                 f"{self.as_of:%Y-%m-%d}: {len(kpis)} KPI(s) tied to goals"
                 + (f" — {parts}." if parts else ".")
                 + f" History benchmark: {self.basis_words}."]
        lines += [r.words for r in kpis]
        metrics = [r for r in self.rows if r.kind == "metric"]
        outside = [r for r in self.rows if r.bench_position in ("below", "above")]
        off = [r for r in self.rows if r.bench_position in ("below median", "above median")]
        if metrics and self.with_benchmarks:
            lines.append(f"Metrics (context, no target): {len(metrics)}. Against the benchmark "
                         f"table: {len(outside)} row(s) outside their range, {len(off)} away from a "
                         "benchmark median that has no range.")
        elif metrics:
            lines.append(f"Metrics (context, no target): {len(metrics)}, compared with history only "
                         "(no benchmark table given).")
        lines += [r.words for r in outside + off]
        if self.rows:
            lines.append(no_interval("changes against history and benchmarks", "they set this "
                                     "period's counted values beside past periods' counted values "
                                     "and published ranges; read them as context, not as estimates"))
        lines.extend(self.notes)
        return "\n".join(lines)

    def chart(self) -> alt.VConcatChart:
        """KPI pace against target, and metrics against their benchmark ranges."""
        from roi_kit.charts.scorecard import scorecard_chart

        return scorecard_chart(self)
