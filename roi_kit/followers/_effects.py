"""One follower-vs-non-follower difference with its interval, and how to say it in words.

Every comparison (retention, upsell, deal size, time to close) reports its numbers as
:class:`Effect` rows — the naive one (raw groups) and the adjusted one (propensity-weighted)
side by side — so tables, charts and the money conversion all read the same shape.

Examples
--------
>>> e = Effect("upsell", "upsell share", "adjusted", 0.30, 0.20, 0.10, 0.05, 0.15, unit="share")
>>> e.sentence()
'upsell share (adjusted): followers 30.0% vs non-followers 20.0%, difference +10.0 pts (95% CI +5.0 to +15.0 pts).'
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import special

from roi_kit.formatting import fmt_money

__all__ = [
    "CAVEAT",
    "MEASURE_LABELS",
    "Effect",
    "MeasureKey",
    "Method",
    "Unit",
    "effects_frame",
    "find_effect",
    "measure_label",
    "z_value",
]

Method = Literal["naive", "adjusted"]
Unit = Literal["share", "days", "weeks", "months", "money", "count"]
_TIME_UNITS = ("days", "weeks", "months")
MeasureKey = Literal["retention", "rmst", "median_lifetime", "upsell_share", "upsell_revenue",
                     "deal_mean", "deal_median", "close_median", "close_rmst",
                     "win_rate", "lead_conversion", "velocity"]

#: Display label of every measure key (``{h}``: the horizon in days).
MEASURE_LABELS: dict[str, str] = {
    "retention": "retention at {h} {u}",
    "rmst": "mean {u} active within {h} {u}",
    "median_lifetime": "median lifetime after the landmark",
    "upsell_share": "upsell share",
    "upsell_revenue": "upsell revenue per customer",
    "deal_mean": "mean won new deal",
    "deal_median": "median won new deal",
    "close_median": "median days to close",
    "close_rmst": "mean days to close within {h} days",  # deals always have dates
    "win_rate": "win rate",
    "lead_conversion": "lead to customer conversion",
    "velocity": "pipeline velocity per opportunity per day",
}
_KEY_BY_LABEL = {label: key for key, label in MEASURE_LABELS.items() if "{h}" not in label}


def measure_label(key: MeasureKey, horizon_days: float | None = None, unit: str = "days") -> str:
    """The words shown for a measure key (``unit``: the population's time unit).

    Examples
    --------
    >>> measure_label("retention", 365), measure_label("rmst", 12, "months")
    ('retention at 365 days', 'mean months active within 12 months')
    """
    return MEASURE_LABELS[key].format(h=f"{horizon_days:g}" if horizon_days is not None else "?", u=unit)

CAVEAT = ("Caveat: the adjusted figures compare followers and non-followers who look alike on the "
          "chosen covariates. That is an association, not proof that following causes the "
          "difference: anything not among the covariates (engagement with the product, a "
          "champion at the account) can still explain it.")

_COLUMNS = ("comparison", "measure", "method", "followers", "non_followers", "difference",
            "ci_low", "ci_high", "p_value", "n_followers", "n_non_followers", "unit", "note")


def closing_lines(logrank: Any | None) -> list[str]:
    """The log-rank sentence (when a test was run) and the caveat that end every survival summary.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> closing_lines(SimpleNamespace(statistic=12.34, p_value=0.00044))[0]
    'Log-rank test on the raw groups: χ² = 12.3, p = 0.00044.'
    >>> closing_lines(None) == [CAVEAT]
    True
    """
    lines = []
    if logrank is not None:
        lines.append(f"Log-rank test on the raw groups: χ² = {logrank.statistic:.1f}, "
                     f"p = {logrank.p_value:.3g}.")
    return [*lines, CAVEAT]


def z_value(conf_level: float = 0.95) -> float:
    """Two-sided normal quantile for a confidence level."""
    return float(special.ndtri(0.5 + conf_level / 2.0))


def _ok(x: float | None) -> bool:
    return x is not None and math.isfinite(x)


@dataclass(frozen=True)
class Effect:
    """One measure for both groups, their difference and its confidence interval.

    ``None`` marks a number that cannot be estimated; ``note`` then says why.
    """

    comparison: str
    measure: str
    method: Method
    followers: float | None
    non_followers: float | None
    difference: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    n_followers: float | None = None
    n_non_followers: float | None = None
    unit: Unit = "share"
    note: str = ""
    currency: str = "USD"
    key: MeasureKey | None = None
    horizon_days: float | None = None
    labels: tuple[str, str] = ("followers", "non-followers")

    def __post_init__(self) -> None:
        if self.key is None and self.measure in _KEY_BY_LABEL:
            object.__setattr__(self, "key", _KEY_BY_LABEL[self.measure])

    @property
    def covers_zero(self) -> bool | None:
        """Whether the interval includes 0 (None when there is no interval)."""
        if not (_ok(self.ci_low) and _ok(self.ci_high)):
            return None
        return bool(self.ci_low <= 0 <= self.ci_high)  # type: ignore[operator]

    def _value(self, x: float | None) -> str:
        if not _ok(x):
            return "n/a"
        if self.unit == "share":
            return f"{x * 100:.1f}%"  # type: ignore[operator]
        if self.unit == "money":
            return fmt_money(x, currency=self.currency, decimals=0)
        return f"{x:,.1f} {self.unit}" if self.unit in _TIME_UNITS else f"{x:,.2f}"

    def _diff(self, x: float | None) -> str:
        if not _ok(x):
            return "n/a"
        sign = "+" if x >= 0 else "-"  # type: ignore[operator]
        if self.unit == "share":
            return f"{sign}{abs(x) * 100:.1f} pts"  # type: ignore[arg-type]
        if self.unit == "money":
            return sign + fmt_money(abs(x), currency=self.currency, decimals=0)  # type: ignore[arg-type]
        return f"{sign}{abs(x):,.1f}" + (f" {self.unit}" if self.unit in _TIME_UNITS else "")  # type: ignore[arg-type]

    def sentence(self) -> str:
        """The effect in one plain sentence (no inf/NaN: missing numbers say why)."""
        head = f"{self.measure} ({self.method}): "
        if not _ok(self.followers) or not _ok(self.non_followers):
            return head + (self.note or "not estimable with these data.")
        text = (f"{self.labels[0]} {self._value(self.followers)} vs {self.labels[1]} "
                f"{self._value(self.non_followers)}")
        if _ok(self.difference):
            text += f", difference {self._diff(self.difference)}"
            if _ok(self.ci_low) and _ok(self.ci_high):
                tail = " pts" if self.unit == "share" else (f" {self.unit}" if self.unit in _TIME_UNITS else "")
                lo = self._diff(self.ci_low).removesuffix(tail)
                text += f" (95% CI {lo} to {self._diff(self.ci_high)})"
        if _ok(self.p_value):
            text += f", p = {self.p_value:.3g}"
        return head + text + "." + (f" {self.note}" if self.note else "")

    def row(self) -> dict[str, object]:
        """A dict with the documented columns of :func:`effects_frame`."""
        data = asdict(self)
        return {k: (np.nan if data[k] is None else data[k]) for k in _COLUMNS}


def find_effect(effects: tuple[Effect, ...] | list[Effect], measure: str, method: Method,
                horizon_days: float | None = None) -> Effect:
    """The effect with key (or display label) ``measure`` and ``method``.

    Raises :class:`~roi_kit.errors.ConfigError` listing the available measure/method pairs.

    Examples
    --------
    >>> e = Effect("upsell", "upsell share", "naive", 0.3, 0.2, 0.1)
    >>> find_effect([e], "upsell_share", "naive").difference
    0.1
    >>> find_effect([e], "upsell_share", "adjusted")
    Traceback (most recent call last):
    ...
    roi_kit.errors.ConfigError: no effect 'upsell_share' (adjusted); available: 'upsell_share' (naive).
    Hint: pick one of those; 'adjusted' figures exist only when covariates were chosen.
    """
    from roi_kit.errors import ConfigError

    hits = [e for e in effects if e.method == method and (
        e.measure == measure or (e.key == measure and (horizon_days is None or e.horizon_days == horizon_days)))]
    if len(hits) == 1:
        return hits[0]

    def name(e: Effect) -> str:
        at = f", horizon_days={e.horizon_days:g}" if e.horizon_days is not None else ""
        return f"{e.key or e.measure!r}{at} ({e.method})"

    if hits:
        raise ConfigError(f"{measure!r} ({method}) exists at several horizons: "
                          + ", ".join(name(e) for e in hits) + ".",
                          hint="pass horizon_days=, e.g. effect('retention', horizon_days=365).")
    at = f" at horizon_days={horizon_days:g}" if horizon_days is not None else ""
    available = ", ".join(dict.fromkeys(name(e) for e in effects)) or "none"
    raise ConfigError(f"no effect {measure!r} ({method}){at}; available: {available}.",
                      hint="pick one of those; 'adjusted' figures exist only when covariates were chosen.")


def effects_frame(effects: list[Effect]) -> pd.DataFrame:
    """Tidy table of effects: ``comparison, measure, method, followers, non_followers,
    difference, ci_low, ci_high, p_value, n_followers, n_non_followers, unit, note``."""
    return pd.DataFrame([e.row() for e in effects], columns=list(_COLUMNS))


class EffectLookup:
    """``effect()`` and ``to_frame()`` for every comparison result that holds ``effects``."""

    effects: tuple[Effect, ...]

    def effect(self, measure: str, method: Method = "adjusted", *,
               horizon_days: float | None = None) -> Effect:
        """The effect with key (e.g. ``"retention"`` with ``horizon_days=365``) or display label
        ``measure``; :class:`~roi_kit.errors.ConfigError` lists the pairs that exist."""
        return find_effect(self.effects, measure, method, horizon_days)

    def to_frame(self) -> pd.DataFrame:
        """Effects table (see :func:`~roi_kit.followers._effects.effects_frame`)."""
        return effects_frame(list(self.effects))
