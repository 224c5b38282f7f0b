"""``rk.attribute``: one entry point for every attribution model and every kind of input.

Examples
--------
>>> import pandas as pd
>>> import roi_kit as rk
>>> paths = pd.DataFrame({"path": ["Paid Social > Email", "Email", "Paid Social"],
...                       "conversions": [4, 1, 0], "value": [400.0, 50.0, 0.0],
...                       "nulls": [6, 9, 10]})
>>> # P(conv) = 1/6; without Paid Social 1/12 (RE 0.5); without Email 0 (RE 1) -> 1 : 0.5
>>> rk.attribute(paths).to_frame()[["channel", "conversions", "share"]].round(3)
       channel  conversions  share
0        Email        3.333  0.667
1  Paid Social        1.667  0.333
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from roi_kit.attribution import intervals as _iv
from roi_kit.attribution import rules as _rules
from roi_kit.attribution._milestone_input import milestone_input, milestone_weights_for
from roi_kit.attribution.channels import ChannelRule
from roi_kit.attribution.interchange import is_paths_table
from roi_kit.attribution.markov import _markov_with_transitions
from roi_kit.attribution.milestones import (
    MILESTONE_MODELS,
    MilestoneWeights,
    milestone_credits,
    touch_weights,
)
from roi_kit.attribution.paths import Level, Paths, build_paths, read_paths
from roi_kit.attribution.result import AttributionResult
from roi_kit.attribution.shapley import Coalition, _distinct_sets, shapley
from roi_kit.engine import as_frame, column_names
from roi_kit.errors import ConfigError
from roi_kit.formatting import no_interval as no_interval_sentence

__all__ = ["DEFAULT_MODELS", "MODEL_LABELS", "Model", "as_paths", "attribute"]

Model = Literal["first", "last", "last_non_direct", "linear", "time_decay", "position", "markov",
                "shapley", "u_shaped", "w_shaped", "full_path", "j_shaped", "inverse_j", "custom"]

MODEL_LABELS: dict[str, str] = {
    "first": "First touch", "last": "Last touch", "last_non_direct": "Last non-direct",
    "linear": "Linear", "time_decay": "Time decay", "position": "Position-based",
    "markov": "Markov", "shapley": "Shapley", "j_shaped": "J-shaped", "inverse_j": "Inverse J",
    "u_shaped": "U-shaped", "w_shaped": "W-shaped", "full_path": "Full path",
    "custom": "Custom positions",
}
"""Model keys and their names in words (the order of ``rk.compare_models``)."""

DEFAULT_MODELS: tuple[str, ...] = tuple(k for k in MODEL_LABELS if k != "custom")
"""What ``rk.compare_models`` runs by default (CRM milestone models only with milestone data)."""

_ALIASES = {"first_touch": "first", "last_touch": "last", "last_click": "last",
            "position_based": "position", "timedecay": "time_decay", "z_shaped": "full_path",
            "lnd": "last_non_direct", "data_driven": "shapley", "inverse_j_shaped": "inverse_j",
            "reverse_j": "inverse_j"}


def _model_key(model: str) -> str:
    key = _ALIASES.get(str(model).lower().replace("-", "_").replace(" ", "_"),
                       str(model).lower().replace("-", "_").replace(" ", "_"))
    if key not in MODEL_LABELS:
        raise ConfigError(f"model={model!r} is not an attribution model.",
                          hint=f"use one of {', '.join(MODEL_LABELS)}.")
    return key


def as_paths(
    data: Any,
    *,
    level: Level = "channel",
    lookback_days: float | None = None,
    user: str = "user_id",
    timestamp: str = "timestamp",
    converted: str = "converted",
    value: str = "conversion_value",
    channel: str | None = None,
    rules: Sequence[ChannelRule] | None = None,
) -> Paths:
    """A :class:`Paths` from paths already built, the interchange table, or a touchpoint log.

    A frame with a ``path`` column is read as the interchange format (``path, conversions,
    value, nulls``); any other frame is a touchpoint log.

    Examples
    --------
    >>> import pandas as pd
    >>> as_paths(pd.DataFrame({"path": ["a > b"], "conversions": [1]})).elements
    ('a', 'b')
    """
    if isinstance(data, Paths):
        return data
    frame = as_frame(data, name="paths_or_touchpoints")
    if is_paths_table(column_names(frame)):
        return read_paths(frame)
    return build_paths(frame, user=user, timestamp=timestamp, converted=converted, value=value,
                       channel=channel, level=level, lookback_days=lookback_days, rules=rules)


def _table(paths: Paths, conv: np.ndarray, val: np.ndarray, extra: dict[str, np.ndarray]) -> pd.DataFrame:
    out = pd.DataFrame({"channel": list(paths.channels)})
    if paths.level == "campaign":
        out["campaign"] = list(paths.campaigns)
    out["conversions"] = conv.astype(float)
    out["value"] = val.astype(float)
    tc, tv = paths.total_conversions, paths.total_value
    out["share"] = conv / tc if tc > 0 else np.nan
    out["value_share"] = val / tv if tv > 0 else np.nan
    for k, v in extra.items():
        out[k] = v
    keys = ["channel", "campaign"] if paths.level == "campaign" else ["channel"]
    out = out.sort_values(["conversions", *keys], ascending=[False, *([True] * len(keys))],
                          kind="stable")
    return out.reset_index(drop=True)


def attribute(
    paths_or_touchpoints: Any,
    *,
    model: Model | str = "markov",
    order: int = 1,
    level: Level = "channel",
    lookback_days: float | None = None,
    half_life_days: float = 7.0,
    half_life_touches: float = 1.0,
    position_weights: tuple[float, float, float] = (0.4, 0.2, 0.4),
    coalition: Coalition = "conversions",
    exact_max: int = 15,
    n_permutations: int = 2000,
    seed: int = 0,
    user: str = "user_id",
    timestamp: str = "timestamp",
    converted: str = "converted",
    value: str = "conversion_value",
    channel: str | None = None,
    rules: Sequence[ChannelRule] | None = None,
    milestones: Any = None,
    milestone_weights: MilestoneWeights | None = None,
    n_boot: int = 200,
    ci_level: float = 0.95,
) -> AttributionResult:
    """Credit conversions and their value to channels (or campaigns) with one model.

    Parameters
    ----------
    paths_or_touchpoints
        A touchpoint log (``user_id, timestamp, converted, conversion_value`` and source/medium,
        a UTM-tagged ``url`` or a ``channel`` column), the interchange table ``path,
        conversions, value, nulls`` (``" > "`` between channels), or :class:`Paths`. Any
        pandas / polars / DuckDB / PySpark frame.
    model
        ``first``, ``last``, ``last_non_direct``, ``linear``, ``time_decay``, ``position``
        (40/20/40 on first and last touch), ``markov`` (exact removal effects), ``shapley``,
        or a CRM milestone model: ``u_shaped``, ``w_shaped``, ``full_path`` (need
        ``milestones``), ``j_shaped``, ``inverse_j`` and ``custom`` (``milestone_weights``).
    order
        Markov order, 1 to 4.
    level
        ``"channel"`` or ``"campaign"`` (credits per channel and campaign).
    lookback_days
        Touchpoint input: ignore touches older than this many days before the conversion.
    half_life_days, half_life_touches
        Time decay half-life in days (touchpoint input) or touches (aggregated paths).
    position_weights
        Position-based shares of the first touch, the middle touches and the last touch.
    coalition, exact_max, n_permutations, seed
        Shapley options: coalition value ``"conversions"`` or ``"rate"``, the channel count up
        to which it is exact, and the sampling beyond.
    user, timestamp, converted, value, channel, rules
        Touchpoint columns and the channel grouping (see :func:`build_paths`).
    milestones
        Touchpoint input: CRM milestones per user (``user_id, lead_at, deal_at, won_at``, e.g.
        from :func:`~roi_kit.attribution.crm.crm_milestones`). Path tables carry them as
        ``lead_touch, deal_touch, won_touch`` columns instead.
    milestone_weights
        ``model="custom"``: the shares of the key touches
        (:class:`~roi_kit.attribution.milestones.MilestoneWeights`).
    n_boot, ci_level
        Bootstrap replicates (journeys resampled, ``seed`` seeds them) behind the
        ``ci_level`` percentile intervals of every credit; ``n_boot=0`` for none. See
        :mod:`roi_kit.attribution.intervals`.

    Returns
    -------
    AttributionResult
        ``.to_frame()`` has ``channel, conversions, value, share`` (+ ``campaign``) and
        their intervals ``conversions_ci_low, conversions_ci_high, value_ci_low, ...``.

    Examples
    --------
    >>> import pandas as pd
    >>> import roi_kit as rk
    >>> tp = pd.DataFrame({
    ...     "user_id": ["u1", "u1", "u2", "u2", "u3"],
    ...     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-03", "2024-01-02",
    ...                                  "2024-01-04", "2024-01-05"]),
    ...     "url": ["https://shop.example/?utm_source=fb&utm_medium=paid_social",
    ...             "https://shop.example/?utm_source=newsletter&utm_medium=email",
    ...             "https://shop.example/?utm_source=Facebook &utm_medium=social",
    ...             "https://shop.example/?utm_source=google&utm_medium=organic",
    ...             "https://shop.example/"],
    ...     "converted": [False, True, False, True, False],
    ...     "conversion_value": [0.0, 120.0, 0.0, 80.0, 0.0]})
    >>> res = rk.attribute(tp, model="position")
    >>> res.to_frame()[["channel", "conversions", "value"]]
              channel  conversions  value
    0           Email          0.5   60.0
    1  Organic Search          0.5   40.0
    2  Organic Social          0.5   40.0
    3     Paid Social          0.5   60.0
    4          Direct          0.0    0.0
    """
    key = _model_key(model)
    paths = as_paths(paths_or_touchpoints, level=level, lookback_days=lookback_days, user=user,
                     timestamp=timestamp, converted=converted, value=value, channel=channel,
                     rules=rules)
    notes = list(paths.notes)
    extra: dict[str, np.ndarray] = {}
    transitions = None
    label = MODEL_LABELS[key]
    replicate: _iv.Replicate | None = None
    no_interval = None
    if key in ("first", "last", "last_non_direct", "linear", "position") or (
            key == "time_decay" and paths.touches is None):
        w = _rules.rule_weights(paths, key, position_weights=position_weights,  # type: ignore[arg-type]
                                half_life_touches=half_life_touches)
        conv, val = _rules._credit(paths, w)
        replicate = _iv.linear_replicate(paths, paths.path_index, paths.codes, w)
        if key == "linear":
            notes.append("Linear counts every touch, repeats of a channel included.")
        elif key == "position":
            pw = position_weights
            label = f"Position-based ({pw[0]:.0%}/{pw[1]:.0%}/{pw[2]:.0%})"
        elif key == "time_decay":
            label = f"Time decay (half-life {half_life_touches:g} touches)"
            notes.append("Aggregated paths carry no timestamps: time decay counts age in touches.")
    elif key in MILESTONE_MODELS:
        touches = milestone_input(paths_or_touchpoints, paths, milestones)
        mw, more = milestone_weights_for(key, touches, milestone_weights, paths.total_conversions)
        conv, val = milestone_credits(touches, mw)
        notes.extend(more)
        label = f"{label} ({mw.label()})"
        if touches.code is paths.codes:  # one row per touch of each distinct path
            replicate = _iv.linear_replicate(paths, paths.path_index, paths.codes, touch_weights(
                mw, pos=touches.pos, n=touches.n, lead=touches.lead, deal=touches.deal,
                won=touches.won))
        else:
            no_interval = ("No interval: CRM milestones joined per user are pooled by touch "
                           "position, which loses the journeys the bootstrap resamples.")
    elif key == "time_decay":
        conv, val = _rules.time_decay_touchpoints(paths, half_life_days=half_life_days)
        label = f"Time decay (half-life {half_life_days:g} days)"
        no_interval = ("No interval: time decay in days weighs each journey's own timestamps in "
                       "the engine; half_life_touches= on the paths gives one with an interval.")
    elif key == "markov":
        # one pass over the touches builds the chain for the fit and (order 1) the matrix
        fit, transitions = _markov_with_transitions(paths, order=order)
        replicate = _iv.markov_replicate(paths, order) if paths.n_paths else None
        conv, val = fit.conversions, fit.value
        extra = {"removal_effect": fit.removal_effects, "value_removal_effect": fit.value_removal_effects}
        label = f"Markov (order {order}, exact removal effects)"
        notes.append("Markov credits share the totals in proportion to the removal effects "
                     "(ChannelAttribution's global convention).")
        if not paths.has_nulls:
            notes.append("No non-converting journeys were given, so removal effects describe "
                         "converting journeys only.")
    else:
        sh = shapley(paths, coalition=coalition, exact_max=exact_max,
                     n_permutations=n_permutations, seed=seed)
        conv, val = sh.conversions, sh.value
        if sh.std_error is not None and sh.value_std_error is not None:
            extra = {"std_error": sh.std_error, "value_std_error": sh.value_std_error}
        label = f"Shapley ({coalition}, {sh.method})"
        if coalition == "conversions":
            upid, ucode, k = _distinct_sets(paths)
            replicate = _iv.linear_replicate(paths, upid, ucode, 1.0 / k[upid])
        else:
            def _refit(p: Paths) -> tuple[np.ndarray, np.ndarray]:
                f = shapley(p, coalition=coalition, exact_max=exact_max,
                            n_permutations=n_permutations, seed=seed)
                return f.conversions, f.value
            replicate = _iv.refit_replicate(paths, _refit)
    boot = None
    if n_boot and replicate is not None and paths.total_conversions > 0:
        boot = _iv.bootstrap_credits(paths, replicate, n_boot=n_boot, seed=seed, level=ci_level)
        for what in ("conversions", "value", "share"):
            extra[f"{what}_ci_low"], extra[f"{what}_ci_high"] = boot.bounds(what)
    elif n_boot and no_interval:
        notes.append(no_interval)
    elif not n_boot:
        notes.append(no_interval_sentence("shares, conversions and value", "run with n_boot=0; pass e.g. "
                                          "n_boot=200 for bootstrap intervals"))
    return AttributionResult(
        model=key, label=label, level=paths.level, table=_table(paths, conv, val, extra),
        total_conversions=paths.total_conversions, total_value=paths.total_value,
        n_journeys=paths.n_journeys, n_paths=paths.n_paths, notes=tuple(notes),
        transitions=transitions, report=paths.report, replicates=boot,
    )
