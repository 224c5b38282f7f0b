"""The ``traffic`` loader: analytics aggregate exports (sessions per source / medium, no user ids).

GA4's traffic- and user-acquisition reports and Universal Analytics' source / medium report are
recognised by their documented headers (:mod:`roi_kit.io.traffic_alias_sets`); the channel group
is the export's own or GA4's default grouping of source / medium (:mod:`roi_kit.io.traffic_rules`).

Examples
--------
>>> import pandas as pd
>>> src = pd.DataFrame({"Session source / medium": ["google / organic", "l.instagram.com / referral"],
...                     "Sessions": [120, 30], "Engaged sessions": [80, 12], "Key events": [6, 2]})
>>> traffic, rep = load_traffic(src)
>>> rep.alias_set, traffic["channel"].tolist(), traffic["sessions"].tolist()
('GA4 traffic acquisition', ['Organic Search', 'Organic Social'], [120.0, 30.0])
"""

from __future__ import annotations

from typing import Any, Unpack

from roi_kit.io.loaders import LoadOptions, load
from roi_kit.io.report import Loaded

__all__ = ["load_traffic"]


def load_traffic(source: Any, **options: Unpack[LoadOptions]) -> Loaded:
    """Load an analytics aggregate export as the ``traffic`` table (one row per source).

    Canonical columns: ``source, medium`` or ``channel`` (at least one), ``sessions`` (or, in a
    user-acquisition report, ``new_users`` / ``users``), and ``date, campaign,
    engaged_sessions, users, new_users, key_events, revenue``. GA4's ``Session source /
    medium`` is split into source and medium (``(direct) / (none)`` stays as GA4 writes it and
    groups as Direct; ``(not set)`` groups as Unassigned). ``key_events`` reads GA4's ``Key
    events``, older exports' ``Conversions`` and Universal Analytics' ``Goal Completions``;
    ``revenue`` reads ``Total revenue`` / ``Revenue``. Rates (``Engagement rate``) and averages in
    the export are kept as extra columns, never summed: :func:`roi_kit.rates` recomputes them
    from the counts. A row without any source or channel (a totals row) is dropped and listed.
    Options as in :func:`roi_kit.io.load`.

    Examples
    --------
    >>> import pandas as pd
    >>> src = pd.DataFrame({"Source / Medium": ["(direct) / (none)", "facebook / cpc"],
    ...                     "Sessions": ["1,200", "300"], "Goal Completions": [12, 9],
    ...                     "Revenue": ["$1,000.00", "$450.00"]})
    >>> traffic, rep = load_traffic(src)
    >>> rep.alias_set, traffic["channel"].tolist(), traffic["revenue"].tolist()
    ('Universal Analytics acquisition', ['Direct', 'Paid Social'], [1000.0, 450.0])
    """
    return load(source, "traffic", **options)
