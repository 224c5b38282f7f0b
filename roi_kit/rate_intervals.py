"""Intervals of proportion rates: cluster-robust when the rows come in clusters, else Wilson.

:func:`cluster_column` picks the clusters (``post_id``, else ``ad_id``, else ``campaign``; the
``date`` of a traffic table by day; or the caller's ``cluster=``), and :func:`proportion_ci`
gives each group's interval with words saying how it was computed: the delete-one-cluster
jackknife of :func:`~roi_kit.aggregates.clustered_interval`, falling back to
:func:`~roi_kit.aggregates.wilson_interval` for a group of one cluster or without clusters.

Examples
--------
>>> import pandas as pd
>>> sums = pd.DataFrame({"clicks": [30], "impressions": [1000]})
>>> lo, hi, how = proportion_ci(sums, None, "clicks", "impressions", [], None, 0.95)
>>> round(float(lo[0]), 4), round(float(hi[0]), 4), how[0]
(0.0211, 0.0425, 'Wilson (independent trials)')
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from roi_kit.aggregates import clustered_interval, wilson_interval
from roi_kit.engine import column_names
from roi_kit.errors import InputError

__all__ = ["cluster_column", "proportion_ci"]

_CLUSTERS = ("post_id", "ad_id", "campaign")  # cluster="auto": posts, ads (ad_performance), campaigns


def cluster_column(nat: Any, cluster: str | None, keys: list[str]) -> str | None:
    """The cluster column: ``cluster`` itself, or for ``"auto"`` post_id / campaign if present."""
    names = column_names(nat)
    if cluster is None:
        return None
    if cluster == "auto" and {"sessions", "date"} <= set(names) and "date" not in keys:
        return "date"  # a traffic table by day: days vary (weekday, campaigns), sessions do not
    if cluster == "auto":
        return next((c for c in _CLUSTERS if c in names and c not in keys), None)
    if cluster not in names:
        raise InputError(f"cluster={cluster!r} is not a column of frame.",
                         hint=f"use one of {', '.join(names)}, 'auto' or None (Wilson intervals).")
    return cluster


def proportion_ci(sums: pd.DataFrame, per: pd.DataFrame | None, num: str, den: str,
                  keys: list[str], cluster: str | None, conf_level: float
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cluster-robust intervals per group when clusters are known, else Wilson; with words."""
    y, n = sums[num].to_numpy(), sums[den].to_numpy()
    wlo, whi = wilson_interval(y, n, conf_level=conf_level)
    wilson = np.full(len(sums), "Wilson (independent trials)", dtype=object)
    if per is None or cluster is None:
        return wlo, whi, wilson
    if keys:
        idx = sums[keys].reset_index().merge(per[keys], on=keys, how="right")["index"].to_numpy()
    else:
        idx = np.zeros(len(per), dtype=np.int64)
    lo, hi, g, deff = clustered_interval(per[num].to_numpy(), per[den].to_numpy(), idx,
                                         n_groups=len(sums), conf_level=conf_level)
    one = g < 2
    how = np.array([f"cluster-robust over {int(k):,} {cluster} values, design effect {d:.1f}"
                    for k, d in zip(g, deff)], dtype=object)
    how[one] = f"Wilson (one {cluster}: no spread between clusters to measure)"
    return np.where(one, wlo, lo), np.where(one, whi, hi), how
