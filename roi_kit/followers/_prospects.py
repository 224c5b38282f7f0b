"""Prospects, not only customers: win rate, lead conversion, sales cycle and pipeline velocity.

Who is compared is fixed by :mod:`roi_kit.followers._prospect_data` (every lead's new deals,
status when each deal was created, one end of observation). For each pair (group, reference):

* **win rate** = won / (won + lost) deals; open deals are not decided yet and are left out.
  Interval of the difference: Newcombe's hybrid score interval
  (:func:`~roi_kit.aggregates.newcombe_interval`).
* **lead → customer conversion** = share of leads with a won deal by the end of observation; a
  lead belongs to the group of its first deal. Same interval.
* **sales cycle** = days from creation to close (won or lost), Kaplan–Meier with open deals
  censored: median and mean within ``tau_days`` with their intervals and a log-rank test
  (the customer comparison's :func:`~roi_kit.followers._close_time.compare_close_time`).
* **pipeline velocity per opportunity** = win rate × mean won amount / median cycle (money per
  deal per day); multiplied by a group's number of open deals it is that pipeline's velocity.
  Interval: percentile bootstrap, deals resampled within each group (``seed`` fixed).

Examples
--------
>>> import pandas as pd
>>> t = pd.to_datetime
>>> deals = pd.DataFrame({"customer_id": ["a", "b", "c", "d"], "fan": [True, True, False, False],
...     "status": ["won", "won", "won", "lost"], "amount": [100.0, 300.0, 100.0, 50.0],
...     "created_at": t(["2024-01-01"] * 4), "closed_at": t(["2024-01-11", "2024-01-21", "2024-01-31", "2024-02-10"])})
>>> r = compare_prospects(deals, by="fan", n_boot=200)
>>> r.effect("win_rate", "naive").difference
0.5
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from roi_kit.aggregates import newcombe_interval
from roi_kit.errors import ConfigError
from roi_kit.followers._arrays import hours_ceil
from roi_kit.followers._close_time import CLOSE_TAU_DAYS, CloseTimeComparison, compare_close_time
from roi_kit.followers._effects import Effect, measure_label
from roi_kit.followers._prospect_data import DealGroups, deal_groups, read_deals
from roi_kit.followers._prospects_result import ProspectComparison
from roi_kit.survival import kaplan_meier

__all__ = ["compare_prospects"]


def _rate(comparison: str, key: str, x: np.ndarray, n: np.ndarray, i: int, j: int,
          labels: tuple[str, str], conf_level: float, what: str) -> Effect:
    label = measure_label(key)  # type: ignore[arg-type]
    if n[i] == 0 or n[j] == 0:
        empty = labels[0] if n[i] == 0 else labels[1]
        return Effect(comparison, label, "naive", None, None, None, n_followers=float(n[i]),
                      n_non_followers=float(n[j]), note=f"{empty} have no {what}, so the rate is undefined.",
                      key=key, labels=labels)  # type: ignore[arg-type]
    d, lo, hi = newcombe_interval(x[i], n[i], x[j], n[j], conf_level=conf_level)
    return Effect(comparison, label, "naive", float(x[i] / n[i]), float(x[j] / n[j]), float(d),
                  float(lo), float(hi), n_followers=float(n[i]), n_non_followers=float(n[j]),
                  note="Newcombe hybrid score interval.", key=key, labels=labels)  # type: ignore[arg-type]


def _velocity_parts(won: np.ndarray, decided: np.ndarray, amount: np.ndarray, days: np.ndarray,
                    closed: np.ndarray) -> float | None:
    """Win rate × mean won amount / median days to close (None where a part is undefined)."""
    n_dec = int(decided.sum())
    w = won & np.isfinite(amount)
    if n_dec == 0 or not w.any():
        return None
    median = kaplan_meier(days, closed).median()[0]
    if median is None or median <= 0:
        return None
    return float(won.sum() / n_dec * amount[w].mean() / median)


def _velocity(f: pd.DataFrame, sel: tuple[np.ndarray, np.ndarray], labels: tuple[str, str],
              conf_level: float, n_boot: int, seed: int) -> Effect:
    cols = [f["status"].to_numpy() == "won", f["status"].isin(["won", "lost"]).to_numpy(),
            f["amount"].to_numpy(dtype=float), hours_ceil(f["days"].to_numpy()) / 24.0,
            f["closed"].to_numpy()]
    timed = f["timed"].to_numpy()
    groups = [[c[s & timed] for c in cols] for s in sel]
    est = [_velocity_parts(*g) for g in groups]
    label = measure_label("velocity")
    if est[0] is None or est[1] is None:
        return Effect("pipeline", label, "naive", est[0], est[1], None, unit="money", key="velocity",
                      note="a group has no won deal with an amount, or its median cycle is not reached.",
                      labels=labels)
    rng = np.random.default_rng(seed)
    draws, failed = [], 0
    for _ in range(n_boot):
        v = [_velocity_parts(*[c[idx] for c in g]) for g in groups
             for idx in [rng.integers(0, g[0].size, g[0].size)]]
        if v[0] is None or v[1] is None:
            failed += 1
        else:
            draws.append(v[0] - v[1])
    diff = est[0] - est[1]
    if not draws or failed > 0.05 * n_boot:
        return Effect("pipeline", label, "naive", est[0], est[1], diff, unit="money", key="velocity",
                      note=f"{failed} of {n_boot} bootstrap samples had no median cycle, so no interval.",
                      labels=labels)
    a = (1 - conf_level) / 2
    lo, hi = np.quantile(draws, [a, 1 - a])
    return Effect("pipeline", label, "naive", est[0], est[1], diff, float(lo), float(hi), unit="money",
                  n_followers=float(groups[0][0].size), n_non_followers=float(groups[1][0].size),
                  key="velocity", labels=labels,
                  note=f"win rate × mean won deal / median days to close; percentile bootstrap ({n_boot} samples).")


def compare_prospects(
    deals: Any,
    *,
    by: Any,
    audience: Any = None,
    contacts: Any = None,
    followers: Any = None,
    reference: Any = None,
    kinds: Sequence[str] = ("new",),
    as_of: Any = None,
    tau_days: float = CLOSE_TAU_DAYS,
    conf_level: float = 0.95,
    n_boot: int = 1000,
    seed: int = 0,
    currency: str = "USD",
) -> ProspectComparison:
    """Follower vs non-follower leads (customers and prospects): win rate, lead → customer
    conversion, sales cycle and pipeline velocity, each difference with its interval.

    Parameters
    ----------
    deals
        The deals table (``customer_id`` = lead id, ``status``, ``created_at``; ``closed_at``,
        ``amount``, ``kind``), any engine. Prospects' deals count as much as customers'.
    by
        A :class:`~roi_kit.FollowerDefinition` (with ``audience=``), the result of
        :func:`~roi_kit.define_followers`, a bool/0-1 deals column, a two-valued column plus
        ``followers=``, or any column plus ``reference=``. Never guessed.
    audience
        The social_audience table, matched to the lead ids (and to ``contacts`` when given).
    contacts
        Optional table of leads (``customer_id``, ``email``, ``handle``; e.g. the customers
        table) to match the audience on emails and handles as well as ids. Leads missing from it
        (prospects next to a customers table) are still matched on their id.
    followers, reference
        The follower value of a two-valued column, or the group every other group is compared with.
    kinds
        Deal kinds that are new business.
    as_of
        End of observation (default: the latest created_at / closed_at).
    tau_days
        Horizon of the mean days to close.
    conf_level
        Confidence level of every interval.
    n_boot, seed
        Bootstrap samples and seed of the velocity interval.
    currency
        Currency code for the words (pipeline velocity is money per deal per day).

    Returns
    -------
    ProspectComparison
        ``summary()``, ``to_frame()``, ``chart()``, ``effect(key)``.

    Examples
    --------
    >>> import roi_kit as rk
    >>> s = rk.datasets.generate(seed=1, n_customers=200)
    >>> fan = s.deals.assign(fan=s.deals["source"].eq("Organic Social"))
    >>> r = rk.compare_prospects(fan, by="fan", n_boot=100)
    >>> r.n_deals == int(s.deals["kind"].eq("new").sum())
    True
    """
    if not 0.0 < conf_level < 1.0 or n_boot < 10 or tau_days <= 0:
        raise ConfigError(f"conf_level={conf_level!r}, n_boot={n_boot!r}, tau_days={tau_days!r} out of range.",
                          hint="use 0 < conf_level < 1, n_boot >= 10 and tau_days > 0.")
    data = read_deals(deals, kinds=kinds, column=by if isinstance(by, str) else None, as_of=as_of)
    groups: DealGroups = deal_groups(data, by, audience=audience, contacts=contacts,
                                     followers=followers, reference=reference)
    f, codes, k = data.frame, groups.codes, len(groups.names)
    won = f["status"].to_numpy() == "won"
    decided = f["status"].isin(["won", "lost"]).to_numpy()
    x_win = np.bincount(codes, weights=won, minlength=k)
    n_dec = np.bincount(codes, weights=decided, minlength=k)
    leads = pd.DataFrame({"lead": f["lead"], "created": f["created"], "code": codes, "won": won})
    per = leads.sort_values(["lead", "created"], kind="stable").groupby("lead", sort=False).agg(
        code=("code", "first"), won=("won", "max"))
    lead_codes = per["code"].to_numpy(dtype=np.int64)
    x_conv = np.bincount(lead_codes, weights=per["won"].to_numpy(dtype=float), minlength=k)
    n_leads = np.bincount(lead_codes, minlength=k).astype(float)
    effects: list[Effect] = []
    cycles: dict[tuple[str, str], CloseTimeComparison] = {}
    timed = f["timed"].to_numpy()
    for i, j in groups.pairs:
        labels = (groups.names[i], groups.names[j])
        effects.append(_rate("deals", "win_rate", x_win, n_dec, i, j, labels, conf_level, "won or lost deal"))
        effects.append(_rate("leads", "lead_conversion", x_conv, n_leads, i, j, labels, conf_level, "lead"))
        pair = ((codes == i) | (codes == j)) & timed
        cyc = compare_close_time(hours_ceil(f["days"].to_numpy()[pair]), f["closed"].to_numpy()[pair],
                                 codes[pair] == i, None, conf_level=conf_level, tau=tau_days)
        cycles[labels] = cyc
        effects += [replace(e, comparison="sales cycle", labels=labels) for e in cyc.effects]
        effects.append(_velocity(f, (codes == i, codes == j), labels, conf_level, n_boot, seed))
    counts = pd.DataFrame({"group": groups.names, "leads": n_leads.astype(int),
                           "deals": np.bincount(codes, minlength=k),
                           "won": x_win.astype(int), "lost": (n_dec - x_win).astype(int),
                           "open": np.bincount(codes, weights=~decided, minlength=k).astype(int)})
    return ProspectComparison(tuple(replace(e, currency=currency) for e in effects), counts, cycles, groups.describe,
                              (*data.notes, *groups.notes), data.as_of, conf_level)
