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
from typing import Any

import numpy as np

from roi_kit.attribution import intervals as _iv
from roi_kit.attribution import rules as _rules
from roi_kit.attribution._markov_log import NO_INTERVAL, markov_credits, markov_from_log
from roi_kit.attribution._milestone_input import milestone_input, milestone_weights_for
from roi_kit.attribution._models import DEFAULT_MODELS, MODEL_LABELS, Model, model_key
from roi_kit.attribution.channels import ChannelRule
from roi_kit.attribution.interchange import is_paths_table
from roi_kit.attribution.milestones import (
    MILESTONE_MODELS,
    MilestoneWeights,
    milestone_credits,
    touch_weights,
)
from roi_kit.attribution.paths import Level, Paths, build_paths, read_paths
from roi_kit.attribution.result import AttributionResult, credit_table
from roi_kit.attribution.shapley import Coalition, _distinct_sets, shapley
from roi_kit.engine import as_frame, column_names

__all__ = ["DEFAULT_MODELS", "MODEL_LABELS", "Model", "as_paths", "attribute"]

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
        Markov with ``n_boot=0`` on a polars log counts transitions straight from the touches
        (:mod:`~roi_kit.attribution._markov_log`: same numbers, no distinct-path table).

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
    key = model_key(model)
    if key == "markov" and not n_boot:  # a polars log: transition counts straight from the touches
        direct = markov_from_log(paths_or_touchpoints, order=order, level=level,
                                 lookback_days=lookback_days, user=user, timestamp=timestamp,
                                 converted=converted, value=value, channel=channel, rules=rules)
        if direct is not None:
            return direct
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
        mc = markov_credits(paths, order)
        conv, val, extra, label, transitions = (mc.fit.conversions, mc.fit.value, mc.extra, mc.label,
                                                mc.transitions)
        notes.extend(mc.notes)
        if n_boot and paths.n_paths:  # the chain's layout, built only for the bootstrap
            replicate = _iv.markov_replicate(paths, order)
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
        notes.append(NO_INTERVAL)
    table = credit_table(paths.channels, paths.campaigns, paths.level, conv, val, extra,
                         total_conversions=paths.total_conversions, total_value=paths.total_value)
    return AttributionResult(
        model=key, label=label, level=paths.level, table=table,
        total_conversions=paths.total_conversions, total_value=paths.total_value,
        n_journeys=paths.n_journeys, n_paths=paths.n_paths, notes=tuple(notes),
        transitions=transitions, report=paths.report, replicates=boot,
    )
