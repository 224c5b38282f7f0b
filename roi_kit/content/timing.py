"""Best time to post: a weekday × hour map in your time zone, shrunk so thin cells cannot win.

Every post is placed in its local (weekday, hour) cell of ``tz``. For each platform, cell rates
are shrunk towards the platform mean with empirical Bayes (see :mod:`roi_kit.content._shrinkage`):

* ``model="normal"`` (default): normal–normal model on per-post rates; a cell's estimate moves
  towards the platform mean in proportion to ``σ²/n`` against the spread of true cell rates τ².
* ``model="beta-binomial"``: beta prior on engagements / impressions, after dividing the counts
  by the quasi-binomial dispersion of posts (so two posts with 20,000 impressions count as two
  posts, not 20,000 coin flips).

Every cell carries its post count; cells with no posts show the platform mean and are never
picked as best. The best slot is, by default (``pick="lower_bound"``), the cell whose posterior
interval has the highest lower end — a slot must be both good and well measured, the same rule
as the Wilson ranking of top posts. Shrinkage alone is not enough when slots differ a lot: one
lucky post then keeps a large share of its rate. ``pick="mean"`` takes the highest posterior mean.

Examples
--------
>>> import pandas as pd
>>> posts = pd.DataFrame({
...     "post_id": [f"p{i}" for i in range(8)], "platform": ["x"] * 8,
...     "published_at": pd.to_datetime([
...         "2024-01-01 09:00", "2024-01-08 09:10", "2024-01-15 09:20", "2024-01-22 09:05",
...         "2024-01-02 17:00", "2024-01-09 17:30", "2024-01-16 17:30", "2024-01-03 12:00"]),
...     "likes": [50, 110, 80, 90, 20, 50, 40, 95], "impressions": [1000] * 8})
>>> best = best_time_to_post(posts, tz="UTC")
>>> best.cells.query("posts > 0")[["weekday_name", "hour", "posts", "raw_rate", "rate"]].round(4)
   weekday_name  hour  posts  raw_rate    rate
9           Mon     9      4    0.0825  0.0807
41          Tue    17      3    0.0367  0.0423
60          Wed    12      1    0.0950  0.0852

The single Wednesday post keeps only 62 % of its own rate (``weight``); the Monday slot, with
four posts, keeps 86 %.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import narwhals as nw
import numpy as np
import pandas as pd
from scipy import stats

from roi_kit.content._metric_specs import METRICS
from roi_kit.content._posts import prepare_posts, require_metric
from roi_kit.content._shrinkage import Shrunk, beta_binomial, normal_normal
from roi_kit.content._slots import WEEKDAYS, slot_sums, validate_tz
from roi_kit.content._stated_time import stated_time_note
from roi_kit.errors import ConfigError, EmptyDataError
from roi_kit.formatting import fmt_number, fmt_pct
from roi_kit.results import ResultMixin

if TYPE_CHECKING:
    import altair as alt

__all__ = ["BestTime", "Pick", "ShrinkageModel", "best_time_to_post"]

ShrinkageModel = Literal["normal", "beta-binomial"]
Pick = Literal["lower_bound", "mean"]
ALL_PLATFORMS = "all platforms"
STATED_ZONE = "the export's time zone"  # ``tz`` of a map built from stated weekday / hour


@dataclass(frozen=True)
class BestTime(ResultMixin):
    """Weekday × hour cells per platform with shrunk rates and the best slot of each platform.

    Attributes
    ----------
    cells
        Every (platform, weekday, hour) cell; see :meth:`to_frame`.
    best
        One row per platform: the best cell (same columns as ``cells``) plus ``runner_up``.
    priors
        Per platform: ``platform, posts, mean, tau, sigma, phi`` (fitted prior; ``tau`` = spread
        of true cell rates, ``sigma`` = post-to-post sd, ``phi`` = dispersion factor).
    metric, tz, model, conf_level, pick
        What was mapped, in which time zone, with which shrinkage model and best-slot rule.
    notes
        Caveats in words.

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.content import best_time_to_post
    >>> posts = pd.DataFrame({"post_id": ["a", "b"], "platform": ["x", "x"],
    ...     "published_at": pd.to_datetime(["2024-07-01 07:00", "2024-07-01 07:30"]),
    ...     "likes": [5, 7], "impressions": [100, 100]})
    >>> best_time_to_post(posts, tz="UTC").best[["platform", "weekday", "hour"]].values.tolist()
    [['x', 0, 7]]
    """

    cells: pd.DataFrame
    best: pd.DataFrame
    priors: pd.DataFrame
    metric: str
    tz: str
    model: str
    conf_level: float
    pick: str = "lower_bound"
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_frame(self) -> pd.DataFrame:
        """All cells: ``platform, weekday`` (0 = Monday), ``weekday_name, hour`` (local to ``tz``),
        ``posts`` (count), ``raw_rate`` (cell mean, NaN for empty cells), ``rate`` (shrunk
        estimate), ``ci_low, ci_high`` (posterior interval), ``weight`` (share of the cell's own
        data in ``rate``), ``platform_mean``, ``lift`` (rate / platform mean − 1) and
        ``prob_above_mean`` (posterior probability that the cell beats the platform mean)."""
        return self.cells.copy()

    def summary(self) -> str:
        """The best slot per platform in words, with its post count and interval."""
        spec = METRICS[self.metric]
        better = "highest" if spec.higher_is_better else "lowest"
        lines = [f"Best time to post ({self.tz}), by the {better} {spec.label} after shrinking "
                 f"thin weekday-hour slots towards each platform's mean ({self.model} model; "
                 f"slots ranked by the {'cautious end of their interval' if self.pick == 'lower_bound' else 'shrunk estimate'})."]
        fmt = (lambda v: fmt_pct(v, decimals=2)) if spec.is_rate else (
            lambda v: fmt_number(v, decimals=2))
        for row in self.best.itertuples():
            if not np.isfinite(row.rate):
                lines.append(f"{row.platform}: no slot can be ranked ({row.reason}).")
                continue
            line = (f"{row.platform}: {row.weekday_name} {row.hour:02d}:00–{(row.hour + 1) % 24:02d}:00, "
                    f"{fmt(row.rate)} (interval {fmt(row.ci_low)} to {fmt(row.ci_high)}) vs "
                    f"platform mean {fmt(row.platform_mean)}, from {int(row.posts)} "
                    f"post{'s' if int(row.posts) != 1 else ''}")
            if row.prob_above_mean < 0.9:
                line += "; this slot is not clearly better than average — treat it as a hint"
            if isinstance(row.runner_up, str) and row.runner_up:
                line += f". Runner-up: {row.runner_up}"
            lines.append(line + ".")
        lines.extend(self.notes)
        return "\n".join(lines)

    def chart(self) -> alt.TopLevelMixin:
        """Weekday × hour heatmap of shrunk rates with post counts written in each cell."""
        from roi_kit.charts.content import best_time_chart

        return best_time_chart(self)


def best_time_to_post(
    posts: Any,
    *,
    tz: str = "UTC",
    metric: str = "engagement_rate_by_impressions",
    by_platform: bool = True,
    model: ShrinkageModel = "normal",
    conf_level: float = 0.95,
    min_impressions: int = 0,
    pick: Pick = "lower_bound",
) -> BestTime:
    """Weekday × hour map of a metric in ``tz``, with empirical-Bayes shrinkage per platform.

    Parameters
    ----------
    posts
        Canonical posts table (any engine). ``published_at`` is naive UTC or time-zone aware.
        Without ``published_at``, the ``weekday`` and ``hour`` columns of an export that states
        only those are used as they are (the export's time zone; ``tz`` is not applied, and
        ``BestTime.tz`` says so).
    tz
        IANA time zone of the map (your audience's, e.g. ``"Europe/Copenhagen"``).
    metric
        Per-post metric to map (default engagement rate by impressions). The beta-binomial model
        needs a rate of counts (engagement rates or ``ctr``).
    by_platform
        One map and best slot per platform (True) or one for all posts together.
    model
        ``"normal"`` or ``"beta-binomial"`` (see the module notes).
    conf_level
        Level of the posterior intervals.
    min_impressions
        Leave out posts with fewer impressions (when the column exists).
    pick
        ``"lower_bound"`` (default): best = highest lower end of the posterior interval (lowest
        upper end for costs); ``"mean"``: highest posterior mean.

    Examples
    --------
    >>> import pandas as pd
    >>> posts = pd.DataFrame({"post_id": ["a", "b"], "platform": ["x", "x"],
    ...     "published_at": pd.to_datetime(["2024-07-01 07:00", "2024-07-01 07:30"]),
    ...     "likes": [5, 7], "impressions": [100, 100]})
    >>> r = best_time_to_post(posts, tz="Europe/Copenhagen")
    >>> r.cells.query("posts > 0")[["weekday_name", "hour", "posts", "raw_rate"]]
       weekday_name  hour  posts  raw_rate
    9           Mon     9      2      0.06
    """
    zone = validate_tz(tz).key
    if model not in ("normal", "beta-binomial"):
        raise ConfigError(f"model={model!r} is not valid. Valid: 'normal', 'beta-binomial'.",
                          hint="use model='normal' (the default).")
    if not 0 < conf_level < 1:
        raise ConfigError(f"conf_level={conf_level!r} must be between 0 and 1.", hint="use 0.95.")
    if pick not in ("lower_bound", "mean"):
        raise ConfigError(f"pick={pick!r} is not valid. Valid: 'lower_bound', 'mean'.",
                          hint="use pick='lower_bound' (the default).")
    prepared = prepare_posts(posts)
    spec = require_metric(prepared, metric)
    if model == "beta-binomial" and not spec.is_rate:
        raise ConfigError(
            f"model='beta-binomial' needs a rate of counts; {metric!r} is not one.",
            hint="use model='normal', or metric='engagement_rate_by_impressions' / 'ctr'.",
        )
    notes = list(prepared.notes)
    stated = stated_time_note(prepared.frame)  # weekday + hour only: the export's own time zone
    if stated:
        notes.append(stated)
        zone = STATED_ZONE
    frame = prepared.frame.filter(~nw.col(spec.name).is_null())
    if min_impressions > 0 and "impressions" in prepared.columns:
        frame = frame.filter(nw.col("impressions").fill_null(0.0) >= min_impressions)
        notes.append(f"Posts with fewer than {min_impressions:,} impressions were left out.")
    r = nw.col(spec.name)
    extra = [(r * r).alias("_r2")]
    sums = ["_r", "_r2"]
    if spec.is_rate:
        num, den = nw.col(spec.numerator), nw.col(str(spec.denominator))
        extra += [num.alias("_e"), den.alias("_m"), (num * num / den).alias("_q")]
        sums += ["_e", "_m", "_q"]
    frame = frame.with_columns(r.alias("_r"), *extra)
    if not by_platform:
        frame = frame.with_columns(nw.lit(ALL_PLATFORMS).alias("platform"))
    agg = slot_sums(frame, tz="UTC" if stated else zone, keys=("platform",), sums=tuple(sums))
    if agg.empty or agg["posts"].sum() == 0:
        raise EmptyDataError(f"no post has a defined {spec.label}.",
                             hint="check the count columns, or lower min_impressions.")
    agg["platform"] = agg["platform"].astype(str)
    cells, priors, bests = [], [], []
    for platform, group in agg.groupby("platform", sort=True):
        full = _full_grid(group, str(platform))
        fit = (normal_normal(full["posts"], full["_r"], full["_r2"], conf_level=conf_level)
               if model == "normal" else
               beta_binomial(full["posts"], full["_e"], full["_m"], full["_q"], conf_level=conf_level))
        out = _cells(full, fit, higher=spec.higher_is_better)
        cells.append(out)
        priors.append({"platform": platform, "posts": int(full["posts"].sum()), "mean": fit.mu,
                       "tau": fit.tau, "sigma": fit.sigma, "phi": fit.phi})
        bests.append(_best(out, spec.higher_is_better, fit, pick))
        if fit.note:
            notes.append(f"{platform}: {fit.note}")
    table = pd.concat(cells, ignore_index=True)
    return BestTime(table, pd.DataFrame(bests).reset_index(drop=True), pd.DataFrame(priors),
                    spec.name, zone, model, conf_level, pick, tuple(notes))


def _full_grid(group: pd.DataFrame, platform: str) -> pd.DataFrame:
    grid = pd.MultiIndex.from_product([range(7), range(24)], names=["weekday", "hour"])
    full = group.drop(columns="platform").set_index(["weekday", "hour"]).reindex(grid, fill_value=0.0)
    full = full.reset_index()
    full.insert(0, "platform", platform)
    return full


def _cells(full: pd.DataFrame, fit: Shrunk, *, higher: bool) -> pd.DataFrame:
    out = full[["platform", "weekday", "hour", "posts"]].copy()
    out["posts"] = out["posts"].round().astype("int64")
    out.insert(2, "weekday_name", out["weekday"].map(dict(enumerate(WEEKDAYS))))
    out["raw_rate"] = np.where(out["posts"] > 0, fit.raw, np.nan)
    out["rate"] = fit.shrunk
    out["ci_low"], out["ci_high"] = fit.ci_low, fit.ci_high
    out["weight"] = fit.weight
    out["platform_mean"] = fit.mu
    with np.errstate(divide="ignore", invalid="ignore"):
        out["lift"] = fit.shrunk / fit.mu - 1 if fit.mu else np.nan
        z = (fit.shrunk - fit.mu) / fit.sd
    prob = stats.norm.cdf(z if higher else -z)
    out["prob_above_mean"] = np.where(fit.sd > 0, prob, 0.5)
    return out


def _best(cells: pd.DataFrame, higher: bool, fit: Shrunk, pick: Pick) -> dict[str, Any]:
    candidates = cells[cells["posts"] > 0]
    if candidates.empty or not np.isfinite(candidates["rate"]).any():
        row = cells.iloc[0].to_dict() | {"rate": np.nan, "runner_up": "",
                                         "reason": "no posts with a defined value"}
        return row
    key = "rate" if pick == "mean" else ("ci_low" if higher else "ci_high")
    order = candidates.sort_values([key, "posts"], ascending=[not higher, False])
    best = order.iloc[0].to_dict()
    best["reason"] = ""
    best["runner_up"] = ""
    if fit.tau == 0 or (fit.weight[candidates.index] < 1e-9).all():
        best["rate"] = np.nan
        best["reason"] = "slots do not differ beyond post-to-post noise"
    elif len(order) > 1:
        nxt = order.iloc[1]
        best["runner_up"] = f"{nxt['weekday_name']} {int(nxt['hour']):02d}:00 ({int(nxt['posts'])} posts)"
    return best
