"""Checks of the ``traffic`` table (analytics aggregates): totals rows, engaged sessions, channel group.

The channel group comes from the export when it has one (GA4's ``Session default channel
group``); otherwise it is derived from source / medium by the ONE channel-grouping rule of the
project, :func:`roi_kit.attribution.channels.channel_group` (GA4's default channel grouping:
``(direct) / (none)`` is Direct, ``(not set) / (not set)`` is Unassigned, ``l.instagram.com /
referral`` is Organic Social ...). Source and medium are kept as the export writes them.

Examples
--------
>>> import numpy as np, pyarrow as pa
>>> from roi_kit.io.report import IssueLog
>>> out = {"source": pa.array(["(direct)", "l.instagram.com", None]),
...        "medium": pa.array(["(none)", "referral", None]), "sessions": pa.array([5, 3, 8])}
>>> drop, notes = np.zeros(3, dtype=bool), []
>>> traffic_rules(out, dict(out), IssueLog(np.arange(2, 5)), drop, notes)
>>> out["channel"].to_pylist(), drop.tolist()
(['Direct', 'Organic Social', None], [False, False, True])
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from roi_kit.io.cells import _mask
from roi_kit.io.report import IssueLog

__all__ = ["COUNTS", "DIMENSIONS", "traffic_rules"]

#: the columns that say where a row's traffic came from
DIMENSIONS = ("source", "medium", "channel", "campaign")

#: the summed columns of a traffic row
COUNTS = ("sessions", "engaged_sessions", "users", "new_users", "key_events", "revenue")


def traffic_rules(out: dict[str, pa.Array], raw: dict[str, Any], log: IssueLog,
                  drop: np.ndarray, notes: list[str]) -> None:
    """Drop rows without any source (totals rows), flag impossible counts, add ``channel``."""
    dims = [c for c in DIMENSIONS if c in out]
    blank = np.ones(len(drop), dtype=bool)
    for col in dims:
        text = pc.utf8_trim_whitespace(pc.cast(out[col], pa.string()))
        blank &= ~_mask(pc.fill_null(pc.not_equal(text, ""), False))
    blank &= ~drop
    log.add(blank, dims[0], raw[dims[0]],
            "no source / medium or channel group (a totals row?): dropped so its sessions are "
            "not counted twice", "dropped")
    drop |= blank
    if "engaged_sessions" in out and "sessions" in out:
        more = _mask(pc.fill_null(pc.greater(out["engaged_sessions"], out["sessions"]), False)) & ~drop
        log.add(more, "engaged_sessions", raw["engaged_sessions"],
                "more engaged sessions than sessions", "flagged")
    for col in COUNTS:  # unreadable cells are listed as coerced; blank ones are said here
        if col in out and out[col].null_count:
            notes.append(f"{col}: {out[col].null_count:,} of {len(out[col]):,} rows blank or "
                         "unreadable; rates, shares and funnels sum them as 0")
    if "channel" in out:
        notes.append("channel: the export's own channel group, kept as written")
        return
    from roi_kit.attribution.channels import channel_group

    frame = pl.DataFrame({c: pl.Series(out[c]).cast(pl.String) if c in out
                          else pl.Series([None] * len(drop), dtype=pl.String)
                          for c in ("source", "medium", "campaign")})
    grouped = channel_group(frame, url=None)["channel"].to_arrow()
    out["channel"] = pc.if_else(pa.array(drop), pa.scalar(None, pa.string()),
                                pc.cast(grouped, pa.string()))
    kept = pl.DataFrame({"channel": pl.Series(out["channel"]),
                         "source": pl.Series(out["source"]).cast(pl.String)}).filter(~pl.Series(drop))
    unassigned = kept.filter(pl.col("channel") == "Unassigned").height
    notes.append("channel: derived from source / medium by GA4's default channel grouping "
                 "(roi_kit.attribution.channels; '(direct) / (none)' is Direct, social "
                 "referrers such as l.instagram.com are Organic Social)"
                 + (f"; {unassigned:,} rows match no rule ('(not set)' included) and are "
                    "Unassigned, as in GA4" if unassigned else ""))
