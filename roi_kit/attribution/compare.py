"""``rk.compare_models``: every attribution model side by side on the same journeys.

Examples
--------
>>> import pandas as pd
>>> import roi_kit as rk
>>> paths = pd.DataFrame({"path": ["Paid Social > Email", "Email"], "conversions": [3, 1],
...                       "nulls": [7, 9]})
>>> cmp = rk.compare_models(paths, models=("first", "last", "linear"))
>>> cmp.wide()
model        First touch  Last touch  Linear
channel
Email               0.25         1.0   0.625
Paid Social         0.75         0.0   0.375
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from roi_kit.attribution._milestone_input import milestone_input
from roi_kit.attribution.api import DEFAULT_MODELS, MODEL_LABELS, as_paths, attribute
from roi_kit.attribution.channels import ChannelRule
from roi_kit.attribution.milestones import MILESTONE_WEIGHTS
from roi_kit.attribution.paths import Level
from roi_kit.attribution.result import AttributionResult
from roi_kit.formatting import fmt_pct
from roi_kit.results import ResultMixin

__all__ = ["ModelComparison", "compare_models"]


@dataclass(frozen=True, eq=False)
class ModelComparison(ResultMixin):
    """Results of several models on the same paths.

    Attributes
    ----------
    results
        Model key -> :class:`~roi_kit.attribution.result.AttributionResult`, in the order run.

    Examples
    --------
    >>> import pandas as pd, roi_kit as rk
    >>> cmp = rk.compare_models(pd.DataFrame({"path": ["a > b"], "conversions": [1]}),
    ...                         models=("first", "last"))
    >>> list(cmp.results)
    ['first', 'last']
    """

    results: dict[str, AttributionResult]

    def to_frame(self) -> pd.DataFrame:
        """Long table: ``model`` (in words), ``model_key``, ``channel`` (+ ``campaign``),
        ``conversions``, ``value``, ``share``, ``value_share``, then ``share_ci_low`` and
        ``share_ci_high`` (missing for a model without bootstrap replicates)."""
        frames = []
        for key, res in self.results.items():
            t = res.to_frame()
            keep = [c for c in ("channel", "campaign", "conversions", "value", "share", "value_share",
                                "share_ci_low", "share_ci_high") if c in t.columns]
            t = t[keep].copy()
            t.insert(0, "model_key", key)
            t.insert(0, "model", res.label)
            frames.append(t)
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def wide(self, *, column: str = "share") -> pd.DataFrame:
        """Channels as rows, models as columns, ``column`` (share, conversions, value) as cells."""
        long = self.to_frame()
        long["model"] = long["model_key"].map(MODEL_LABELS)
        index = ["channel", "campaign"] if "campaign" in long.columns else "channel"
        wide = long.pivot_table(index=index, columns="model", values=column, aggfunc="sum",
                                sort=True)
        order = [MODEL_LABELS[k] for k in self.results]
        return wide[[c for c in order if c in wide.columns]]

    def summary(self) -> str:
        """Which channels the models agree and disagree on, in words."""
        if not self.results:
            return "No model was run."
        first = next(iter(self.results.values()))
        lines = [f"{len(self.results)} attribution models on the same "
                 f"{first.n_journeys:,.0f} journeys ({first.total_conversions:,.0f} conversions)."]
        if first.total_conversions <= 0:
            lines.append("There are no conversions, so the models have nothing to share out.")
            return "\n".join(lines)
        wide = self.wide()
        has_ci = "share_ci_low" in self.to_frame().columns
        low, high = (self.wide(column=c) for c in ("share_ci_low", "share_ci_high")) if has_ci else (None, None)

        def ci(name: Any, model: str) -> str:
            if low is None or high is None or pd.isna(low.loc[name, model]):
                return ""
            return f", {fmt_pct(low.loc[name, model])} to {fmt_pct(high.loc[name, model])}"

        spread = (wide.max(axis=1) - wide.min(axis=1)).sort_values(ascending=False)
        for name in list(spread.index)[:3]:
            row = wide.loc[name]
            label = name if isinstance(name, str) else " | ".join(str(x) for x in name)
            lines.append(f"{label}: from {fmt_pct(row.min())} ({row.idxmin()}{ci(name, row.idxmin())}) "
                         f"to {fmt_pct(row.max())} ({row.idxmax()}{ci(name, row.idxmax())}) of "
                         "conversions.")
        if has_ci:
            lines.append("Shares in brackets carry each model's 95% bootstrap interval (journeys "
                         "resampled); the spread between models is model choice, not sampling noise.")
        lines.append("Rule-based models credit by position only; Markov and Shapley also use the "
                     "journeys that did not convert.")
        return "\n".join(lines)

    def chart(self) -> Any:
        """Grouped bars: share of conversions per channel, one bar per model."""
        from roi_kit.charts.attribution import comparison_chart

        return comparison_chart(self)


def compare_models(
    paths_or_touchpoints: Any,
    *,
    models: Sequence[str] | None = None,
    order: int = 1,
    level: Level = "channel",
    lookback_days: float | None = None,
    user: str = "user_id",
    timestamp: str = "timestamp",
    converted: str = "converted",
    value: str = "conversion_value",
    channel: str | None = None,
    rules: Sequence[ChannelRule] | None = None,
    milestones: Any = None,
    **options: Any,
) -> ModelComparison:
    """Run several attribution models on the same journeys (paths are built once).

    Parameters
    ----------
    paths_or_touchpoints
        As for :func:`~roi_kit.attribution.api.attribute`.
    models
        Model keys. ``None``: every model the data supports — the eight classic ones, J-shaped
        and inverse J, and the CRM milestone models (U-, W-shaped, full path) whose milestones
        at least one converting journey has.
    order, level, lookback_days, user, timestamp, converted, value, channel, rules, milestones
        As for :func:`~roi_kit.attribution.api.attribute` (milestones are joined once).
    **options
        Further model options passed on (``half_life_days``, ``position_weights``,
        ``coalition`` ...).

    Examples
    --------
    >>> import pandas as pd, roi_kit as rk
    >>> cmp = rk.compare_models(pd.DataFrame({"path": ["a > b", "b"], "conversions": [2, 1],
    ...                                       "nulls": [2, 5]}))
    >>> # P(conv) = 0.3; without a: 0.6 x 0.3 = 0.18 -> RE(a) = 0.4, RE(b) = 1 -> a gets 0.4 / 1.4
    >>> round(float(cmp.wide().loc["a", "Markov"]), 3)
    0.286
    """
    paths = as_paths(paths_or_touchpoints, level=level, lookback_days=lookback_days, user=user,
                     timestamp=timestamp, converted=converted, value=value, channel=channel,
                     rules=rules)
    touches = milestone_input(paths_or_touchpoints, paths, milestones)
    if models is None:
        has = {r for r, n in touches.missing.items()
               if touches.has_milestones and n < paths.total_conversions}
        models = [m for m in DEFAULT_MODELS
                  if m not in MILESTONE_WEIGHTS or set(MILESTONE_WEIGHTS[m].needs) <= has]
    results = {}
    for m in models:
        res = attribute(paths, model=m, order=order, milestones=touches, **options)
        results[res.model] = res
    return ModelComparison(results=results)
