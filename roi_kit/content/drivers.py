"""What drives engagement: a regression of a post metric on post type, platform, time of day,
weekday, paid, text length and hashtags, with HC1-robust confidence intervals.

On the default log scale the outcome is ``log((x + 0.5) / m)`` for a rate ``x / m`` (the 0.5
keeps posts with zero engagements), so ``exp(b) − 1`` reads as "% higher rate than the reference,
other things equal". Each categorical feature is compared with its most common level unless
``reference`` says otherwise. This is an association across your posts, not an experiment:
if you post videos only on your best days, the video effect absorbs some of that.

Examples
--------
>>> import pandas as pd
>>> posts = pd.DataFrame({
...     "post_id": [f"p{i}" for i in range(8)], "platform": ["x"] * 8,
...     "published_at": pd.to_datetime(["2024-01-01 09:00"] * 8),
...     "type": ["video", "image"] * 4,
...     "likes": [99, 49, 119, 59, 109, 54, 89, 44], "impressions": [1000] * 8})
>>> d = engagement_drivers(posts, features=("type",), reference={"type": "image"})
>>> d.to_frame()[["term", "effect"]].round(1)
          term  effect
0  type: video     1.0

Video posts get about twice the engagement rate of image posts (+100 %).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import narwhals as nw
import numpy as np
import pandas as pd

from roi_kit.content._drivers_result import Drivers
from roi_kit.content._ols import independent_columns, ols_hc1
from roi_kit.content._posts import prepare_posts, require_metric
from roi_kit.content._slots import WEEKDAYS, hour_band, local_time_parts, validate_tz
from roi_kit.engine import to_pandas
from roi_kit.errors import ConfigError, EmptyDataError

if TYPE_CHECKING:
    pass

__all__ = ["DEFAULT_FEATURES", "Drivers", "Scale", "engagement_drivers"]

Scale = Literal["log", "rate"]
DEFAULT_FEATURES: tuple[str, ...] = ("type", "platform", "hour_band", "weekday", "paid",
                                     "text_length", "hashtags")
_NUMERIC = {"text_length": ("text length (per 100 characters)", 100.0),
            "hashtags": ("hashtags (per hashtag)", 1.0)}
_LABELS = {"hour_band": "time of day", "weekday": "weekday", "type": "type", "platform": "platform"}


def engagement_drivers(
    posts: Any,
    *,
    metric: str = "engagement_rate_by_impressions",
    scale: Scale = "log",
    features: Sequence[str] = DEFAULT_FEATURES,
    reference: Mapping[str, str] | None = None,
    tz: str = "UTC",
    conf_level: float = 0.95,
    min_impressions: int = 0,
) -> Drivers:
    """Regress a post metric on post characteristics (OLS, HC1-robust standard errors).

    Parameters
    ----------
    posts
        Canonical posts table (any engine); per-post metrics are computed in its engine and only
        the model columns are collected.
    metric
        Outcome (default engagement rate by impressions).
    scale
        ``"log"`` (effects in %, default) or ``"rate"`` (effects in the metric's own units).
    features
        Any of ``type, platform, hour_band, weekday, paid, text_length, hashtags``; features
        missing from the data or with a single value are dropped and named in the notes.
    reference
        Reference level per categorical feature, e.g. ``{"type": "image"}``.
    tz
        Time zone for ``hour_band`` and ``weekday``.
    conf_level
        Interval level.
    min_impressions
        Leave out posts with fewer impressions (when the column exists).

    Examples
    --------
    >>> import pandas as pd
    >>> posts = pd.DataFrame({"post_id": list("abcdef"), "platform": ["x"] * 6,
    ...     "published_at": pd.to_datetime(["2024-01-01"] * 6), "paid": [1, 0] * 3,
    ...     "likes": [20, 10, 22, 9, 18, 11], "impressions": [1000] * 6})
    >>> engagement_drivers(posts, features=("paid",), scale="rate").to_frame()["estimate"].round(4)
    0    0.0100
    Name: estimate, dtype: float64
    """
    validate_tz(tz)
    if scale not in ("log", "rate"):
        raise ConfigError(f"scale={scale!r} is not valid. Valid: 'log', 'rate'.", hint="use 'log'.")
    unknown = [f for f in features if f not in DEFAULT_FEATURES]
    if unknown:
        raise ConfigError(f"features contains unknown names: {', '.join(map(repr, unknown))}. "
                          f"Valid: {', '.join(DEFAULT_FEATURES)}.", hint="drop or rename them.")
    prepared = prepare_posts(posts, needs_time="rk.engagement_drivers")
    spec = require_metric(prepared, metric)
    notes = list(prepared.notes)
    frame = prepared.frame.filter(~nw.col(spec.name).is_null())
    if min_impressions > 0 and "impressions" in prepared.columns:
        frame = frame.filter(nw.col("impressions").fill_null(0.0) >= min_impressions)
    wanted = [spec.name, "published_at", "is_paid", "text_length", "hashtag_count",
              *[c for c in ("type", "platform") if c in prepared.columns]]
    if spec.is_rate:
        wanted += [spec.numerator, str(spec.denominator)]
    data = to_pandas(frame.select(list(dict.fromkeys(wanted))))
    if data.empty:
        raise EmptyDataError(f"no post has a defined {spec.label}.", hint="check the count columns.")
    y = _outcome(data, spec, scale)
    keep = np.isfinite(y)
    if (~keep).any():
        notes.append(f"{int((~keep).sum())} posts with a value of 0 cannot be logged and were left out.")
    cols, names, refs = _design(data, features, tz, dict(reference or {}), notes)
    x = pd.concat(cols, axis=1) if cols else pd.DataFrame(index=data.index)
    complete = keep & x.notna().all(axis=1).to_numpy()
    if (keep & ~complete).any():
        notes.append(f"{int((keep & ~complete).sum())} posts with missing features were left out.")
    X = np.column_stack([np.ones(int(complete.sum())), x[complete].to_numpy(float)])
    terms = [("(intercept)", "", ""), *names]
    kept = independent_columns(X)
    if len(kept) < X.shape[1]:
        dropped = [terms[j][0] for j in range(X.shape[1]) if j not in kept]
        notes.append("Dropped terms that duplicate others in these data: " + ", ".join(dropped) + ".")
    X, terms = X[:, kept], [terms[j] for j in kept]
    if X.shape[0] <= X.shape[1]:
        raise EmptyDataError(f"{X.shape[0]} usable posts for {X.shape[1]} coefficients.",
                             hint="use fewer features or more posts.")
    fit = ols_hc1(X, y[complete], conf_level=conf_level)
    table = pd.DataFrame({"term": [t[0] for t in terms[1:]], "feature": [t[1] for t in terms[1:]],
                          "level": [t[2] for t in terms[1:]], "estimate": fit.beta[1:],
                          "std_err": fit.se[1:], "ci_low": fit.ci_low[1:], "ci_high": fit.ci_high[1:],
                          "p_value": fit.p_value[1:]})
    tf = np.expm1 if scale == "log" else (lambda v: v)
    table["effect"] = tf(table["estimate"])
    table["effect_ci_low"] = tf(table["ci_low"])
    table["effect_ci_high"] = tf(table["ci_high"])
    return Drivers(table, float(fit.beta[0]), refs, spec.name, scale, fit.n, fit.r2, conf_level,
                   tuple(notes))


def _outcome(data: pd.DataFrame, spec: Any, scale: Scale) -> np.ndarray:
    value = data[spec.name].to_numpy(float)
    if scale == "rate":
        return value
    with np.errstate(divide="ignore", invalid="ignore"):
        if spec.is_rate:
            return np.log((data[spec.numerator].to_numpy(float) + 0.5)
                          / data[str(spec.denominator)].to_numpy(float))
        if spec.paid_only:
            return np.where(value > 0, np.log(value), np.nan)
        return np.log1p(np.where(value >= 0, value, np.nan))


def _design(data: pd.DataFrame, features: Sequence[str], tz: str, reference: dict[str, str],
            notes: list[str]) -> tuple[list[pd.Series], list[tuple[str, str, str]], dict[str, str]]:
    local = local_time_parts(data["published_at"], tz)
    raw: dict[str, pd.Series] = {
        "hour_band": hour_band(local["hour"]).astype(str),
        "weekday": local["weekday"].map(dict(enumerate(WEEKDAYS))),
        "paid": data["is_paid"].astype(float),
        "text_length": data["text_length"].astype(float) / 100.0,
        "hashtags": data["hashtag_count"].astype(float),
    }
    for c in ("type", "platform"):
        if c in data:
            raw[c] = data[c].astype("string").astype(object).where(data[c].notna())
    cols: list[pd.Series] = []
    names: list[tuple[str, str, str]] = []
    refs: dict[str, str] = {}
    for feature in features:
        s = raw.get(feature)
        if s is None or s.isna().all():
            notes.append(f"Feature {feature!r} is not in the data and was left out.")
            continue
        if s.nunique(dropna=True) < 2:
            notes.append(f"Feature {feature!r} has a single value here and was left out.")
            continue
        if feature in _NUMERIC:
            label, _ = _NUMERIC[feature]
            cols.append(s.rename(feature))
            names.append((label, feature, ""))
            continue
        if feature == "paid":
            cols.append(s.rename("paid"))
            names.append(("paid (vs organic)", "paid", "paid"))
            refs["paid"] = "organic posts"
            continue
        counts = s.value_counts()
        ref = reference.get(feature)
        if ref is None:
            ref = str(sorted(counts[counts == counts.max()].index.astype(str))[0])
        elif ref not in set(counts.index.astype(str)):
            raise ConfigError(f"reference[{feature!r}] = {ref!r} is not a level of {feature}. "
                              f"Levels: {', '.join(sorted(counts.index.astype(str)))}.",
                              hint="pick one of the listed levels.")
        refs[feature] = ref
        label = _LABELS.get(feature, feature)
        for level in sorted(counts.index.astype(str)):
            if level == ref:
                continue
            dummy = (s.astype(str) == level).astype(float).where(s.notna())
            cols.append(dummy.rename(f"{feature}={level}"))
            names.append((f"{label}: {level}", feature, level))
    return cols, names, refs
