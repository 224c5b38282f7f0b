"""What the audience matching returns: the matched rows and a :class:`MatchReport` in words.

Examples
--------
>>> import pandas as pd
>>> r = MatchReport(rows=4, matched={"email": 3}, unmatched=1, ambiguous=0,
...                 unmatched_rows=pd.DataFrame(), customers=5, customers_matched=3, keys=("email",))
>>> r.counts(), r.match_rate
({'email': 3, 'unmatched': 1}, 0.75)
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from roi_kit.engine import Frame
from roi_kit.formatting import fmt_pct
from roi_kit.results import ResultMixin

__all__ = ["MatchReport", "MatchedAudience"]


@dataclass(frozen=True)
class MatchReport(ResultMixin):
    """How the social audience matched the customers.

    Attributes
    ----------
    rows
        Audience rows read.
    matched
        Rows matched per key, in order of preference (``customer_id``, ``email``, ``handle``).
    unmatched
        Rows that matched nobody (prospects, typos, ambiguous emails or handles).
    ambiguous
        Of the unmatched rows, those whose email or handle belongs to several customers.
    unmatched_rows
        The unmatched rows themselves (the first ``max_listed`` of them), as given.
    customers
        Number of customers; ``customers_matched`` of them have at least one audience row.
    keys
        The keys that were used.

    Examples
    --------
    >>> import pandas as pd
    >>> import roi_kit as rk
    >>> customers = pd.DataFrame({"customer_id": ["c1", "c2"], "email": ["Ann@x.com", "bo@y.com"]})
    >>> audience = pd.DataFrame({"email": [" ann@X.com", "zed@z.com"], "platform": ["x", "x"]})
    >>> report = rk.match_audience(customers, audience).report
    >>> report.to_frame()[["method", "rows"]].values.tolist()
    [['email', 1], ['unmatched', 1]]
    """

    rows: int
    matched: dict[str, int]
    unmatched: int
    ambiguous: int
    unmatched_rows: pd.DataFrame
    customers: int
    customers_matched: int
    keys: tuple[str, ...]

    @property
    def match_rate(self) -> float | None:
        """Share of audience rows that matched a customer (None when there are no rows)."""
        return None if self.rows == 0 else (self.rows - self.unmatched) / self.rows

    def counts(self) -> dict[str, int]:
        """Rows per match method plus ``unmatched``."""
        return {**{k: self.matched.get(k, 0) for k in self.keys}, "unmatched": self.unmatched}

    def summary(self) -> str:
        """The match rate in words, with what happened to the rows that did not match."""
        if self.rows == 0:
            return "The social audience table is empty: nobody can be matched to a customer."
        by = ", ".join(f"{self.matched.get(k, 0):,} by {k}" for k in self.keys)
        lines = [
            f"{self.rows - self.unmatched:,} of {self.rows:,} audience rows "
            f"({fmt_pct(self.match_rate)}) matched a customer: {by}.",
            f"{self.customers_matched:,} of {self.customers:,} customers have at least one "
            "matched audience row.",
        ]
        if self.unmatched:
            extra = (f" ({self.ambiguous:,} because the email or handle belongs to several "
                     "customers)") if self.ambiguous else ""
            listed = len(self.unmatched_rows)
            lines.append(
                f"{self.unmatched:,} rows matched nobody{extra}; they are kept out of the follower "
                f"definition and listed in .unmatched_rows"
                + (f" (first {listed:,})." if listed < self.unmatched else ".")
            )
        return "\n".join(lines)

    def to_frame(self) -> pd.DataFrame:
        """One row per method: ``method, rows, share`` (share of all audience rows)."""
        counts = self.counts()
        total = max(self.rows, 1)
        return pd.DataFrame({
            "method": list(counts),
            "rows": list(counts.values()),
            "share": [v / total for v in counts.values()],
        })


@dataclass(frozen=True)
class MatchedAudience:
    """Audience rows with the matched ``customer_id`` (in the caller's engine) and the report.

    ``frame`` keeps every matched row with columns ``customer_id`` (the customer's id, same type
    as in the customer table), ``match_method`` and whichever of ``platform``, ``followed_at``,
    ``engagements``, ``last_engaged_at`` the audience had.
    """

    frame: Frame
    report: MatchReport
    columns: tuple[str, ...]
