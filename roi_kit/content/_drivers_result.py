"""The result of :func:`roi_kit.engagement_drivers`: regression terms and their reading in words.

:class:`Drivers` holds one row per term (estimate, HC1 standard error, t interval and p-value on
the model scale, and the effect as a relative change on the log scale or a change in the metric
on the rate scale), the intercept and reference levels; ``summary()`` names the terms whose
interval excludes zero, largest first, and says that each is an association, not proof of cause.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from roi_kit.content._metric_specs import METRICS
from roi_kit.formatting import fmt_pct
from roi_kit.results import ResultMixin

if TYPE_CHECKING:
    import altair as alt

__all__ = ["Drivers"]


@dataclass(frozen=True)
class Drivers(ResultMixin):
    """Regression coefficients with HC1 intervals and a reading in words.

    Attributes
    ----------
    coefficients
        See :meth:`to_frame`.
    intercept
        Model intercept (outcome of a post with every reference level and zero length/hashtags).
    reference
        The reference level of each categorical feature.
    metric, scale, n, r2, conf_level
        The model: outcome, scale, posts used, R², interval level.
    notes
        Dropped features/rows and caveats.

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.content import engagement_drivers
    >>> posts = pd.DataFrame({"post_id": list("abcdef"), "platform": ["x"] * 6,
    ...     "published_at": pd.to_datetime(["2024-01-01"] * 6), "paid": [1, 0] * 3,
    ...     "likes": [20, 10, 22, 9, 18, 11], "impressions": [1000] * 6})
    >>> engagement_drivers(posts, features=("paid",), scale="rate").n
    6
    """

    coefficients: pd.DataFrame
    intercept: float
    reference: dict[str, str]
    metric: str
    scale: str
    n: int
    r2: float
    conf_level: float
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_frame(self) -> pd.DataFrame:
        """One row per term: ``term, feature, level, estimate, std_err, ci_low, ci_high, p_value``
        (on the model scale, HC1 standard errors, t intervals) and ``effect, effect_ci_low,
        effect_ci_high`` — relative change ``exp(b) − 1`` on the log scale, or the change in the
        metric itself on the rate scale."""
        return self.coefficients.copy()

    def summary(self) -> str:
        """Plain-words reading of the clear drivers (interval excludes zero)."""
        spec = METRICS[self.metric]
        level = f"{self.conf_level:.0%}"
        lines = [f"Regression of {spec.label} ({'log scale' if self.scale == 'log' else 'as is'}) on "
                 f"{len(self.coefficients)} terms from {self.n:,} posts; R² = {self.r2:.2f}. "
                 "Each effect holds the other features fixed; it is an association, not proof of cause."]
        c = self.coefficients
        clear = c[(c["ci_low"] > 0) | (c["ci_high"] < 0)].copy()
        clear = clear.reindex(clear["estimate"].abs().sort_values(ascending=False).index).head(6)
        for r in clear.itertuples():
            ref = self.reference.get(r.feature)
            versus = f" than {ref}" if ref else ""
            if self.scale == "log":
                word = "higher" if r.effect > 0 else "lower"
                lines.append(f"{r.term}: {fmt_pct(abs(r.effect), decimals=0)} {word} {spec.label}"
                             f"{versus} ({level} interval {fmt_pct(r.effect_ci_low, decimals=0)} to "
                             f"{fmt_pct(r.effect_ci_high, decimals=0)}).")
            else:
                word = "higher" if r.effect > 0 else "lower"
                lines.append(f"{r.term}: {abs(r.effect):.4g} {word}{versus} ({level} interval "
                             f"{r.effect_ci_low:.4g} to {r.effect_ci_high:.4g}).")
        unclear = len(c) - len(c[(c["ci_low"] > 0) | (c["ci_high"] < 0)])
        if unclear:
            lines.append(f"{unclear} other term(s) are not clearly different from zero.")
        if clear.empty:
            lines.append("No feature has an effect clearly different from zero at this sample size.")
        lines.extend(self.notes)
        return "\n".join(lines)

    def chart(self) -> alt.TopLevelMixin:
        """Coefficient plot: effect per term with its confidence interval."""
        from roi_kit.charts.content import drivers_chart

        return drivers_chart(self)
