"""Calibrating the MMM with lift tests: :class:`LiftMeasurement` and its likelihood term.

A lift test of channel ``c`` over the weeks ``a..b`` measured an incremental outcome ``L`` with
standard error ``s``. The model's version of that number is the **window counterfactual**

    lift_c(a, b) = sum_{t=a..b} [ mu_t(actual spend) - mu_t(spend of c set to 0 in weeks a..b) ]
                 = beta_c * e(theta_c, lam_c),

where the spend before week ``a`` is left as it was (so the carry-over *into* the window is in
both arms, as in a real holdout that goes dark for the test weeks), and only the test weeks are
summed (the carry-over of the window's spend into later weeks is not measured by the test, so it
is not in the comparison either). Each test adds the Gaussian term ``L ~ N(beta_c e, s^2)``.

For fixed adstock and saturation parameters this is linear in ``beta_c``, so the engine folds it
into the conjugate update of the linear coefficients as one pseudo-observation with its own
known variance (``P += d d' / s^2``, ``h += d L / s^2``, and the matching terms of the marginal
likelihood) — the linear part stays integrated out exactly.

PyMC-Marketing's ``add_lift_test_measurements`` compares ``saturation(x + delta_x) -
saturation(x)`` on the steady-state response curve (no adstock path) with ``delta_y``, through a
Gamma likelihood by default (``dist=pm.Normal`` is its Gaussian option). roi_kit uses the
Gaussian (it keeps the update conjugate) and the full adstock path of the actual weeks; for a
long window at steady spend ``x`` the lift per test week tends to ``beta (1 - exp(-lam x / mean))``,
PyMC-Marketing's lift at ``delta_x = -x``.

Examples
--------
>>> t = LiftMeasurement("search", "2024-03-04", "2024-04-22", incremental=12_000.0, se=2_000.0)
>>> t.weeks_text
'2024-03-04 to 2024-04-22'
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy.special import ndtri

from roi_kit.errors import ConfigError, InputError

if TYPE_CHECKING:
    from roi_kit.incrementality._mmm_checks import MediaData
    from roi_kit.incrementality._result import LiftResult

__all__ = ["LiftMeasurement", "LiftTerms", "lift_effects", "lift_terms"]

FRAME_COLUMNS = ("channel", "start", "end", "incremental", "se")


@dataclass(frozen=True)
class LiftMeasurement:
    """One lift test to calibrate :func:`~roi_kit.incrementality.fit_mmm` with.

    Attributes
    ----------
    channel
        The MMM channel the test switched off (a column passed as ``channels=`` or ``organic=``).
    start, end
        First and last day of the test; the weeks of the table whose date falls in between are
        the test window.
    incremental
        Measured incremental outcome over the window (revenue or conversions, as the MMM's
        outcome), for the whole population the MMM's outcome covers.
    se
        Its standard error (> 0). From a 90 % interval: ``(high - low) / 3.29``.

    Examples
    --------
    >>> import roi_kit as rk
    >>> t = rk.LiftMeasurement("search", "2024-03-04", "2024-03-31", incremental=9_000.0, se=1_500.0)
    >>> t.channel, t.start.date().isoformat()
    ('search', '2024-03-04')
    """

    channel: str
    start: pd.Timestamp
    end: pd.Timestamp
    incremental: float
    se: float

    def __post_init__(self) -> None:
        start, end = pd.Timestamp(self.start), pd.Timestamp(self.end)
        if start.tz is not None or end.tz is not None:
            start, end = start.tz_localize(None), end.tz_localize(None)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        if end < start:
            raise ConfigError(f"lift test of {self.channel!r} ends ({end:%Y-%m-%d}) before it "
                              f"starts ({start:%Y-%m-%d}).", hint="swap start and end.")
        if not math.isfinite(float(self.incremental)):
            raise ConfigError(f"lift test of {self.channel!r} has incremental="
                              f"{self.incremental!r}; it must be a number.",
                              hint="pass the measured incremental revenue (or conversions).")
        if not (math.isfinite(float(self.se)) and float(self.se) > 0):
            raise ConfigError(f"lift test of {self.channel!r} has se={self.se!r}; a standard "
                              "error must be a positive number.",
                              hint="pass the test's standard error; from a 90% interval it is "
                                   "(high - low) / 3.29, from a 95% interval (high - low) / 3.92.")

    @property
    def weeks_text(self) -> str:
        """The window in words."""
        return f"{self.start:%Y-%m-%d} to {self.end:%Y-%m-%d}"

    @classmethod
    def from_lift_test(cls, result: LiftResult, *, channel: str, start: Any = None,
                       end: Any = None) -> LiftMeasurement:
        """Build it from a :class:`~roi_kit.incrementality.LiftResult` (``rk.lift_test``).

        The estimate is the incremental revenue (or conversions, when the test measured no
        revenue); its standard error is the interval's width over ``2 z``. A geo test's window
        comes from its test weeks; a holdout needs ``start`` and ``end``.

        Examples
        --------
        >>> import pandas as pd
        >>> import roi_kit as rk
        >>> r = rk.lift_test(pd.DataFrame({"group": ["test", "control"], "users": [9000, 1000],
        ...                  "conversions": [450, 35], "revenue": [22500.0, 1750.0]}))
        >>> t = rk.LiftMeasurement.from_lift_test(r, channel="paid_social", start="2024-03-04",
        ...                                       end="2024-03-31")
        >>> t.incremental, round(t.se)
        (6750.0, 2813)
        """
        metric = "incremental_revenue" if result.has_revenue else "incremental_conversions"
        est, lo, hi = result.interval(metric)  # type: ignore[arg-type]
        if not (math.isfinite(lo) and math.isfinite(hi)):
            raise InputError(f"the lift test's {metric} has no finite interval, so it has no "
                             "standard error to weigh the calibration by.",
                             hint="build rk.LiftMeasurement(...) with the se you trust.")
        se = (hi - lo) / (2 * float(ndtri(1 - result.alpha / 2)))
        if start is None or end is None:
            if result.series is None:
                raise ConfigError("a holdout lift test does not say which weeks it ran.",
                                  hint="pass start= and end= (first and last day of the test).")
            test = result.series.loc[result.series["period"] == "test", "week"]
            if not pd.api.types.is_datetime64_any_dtype(test):
                raise ConfigError("this geo test's weeks are not dates, so they cannot be matched "
                                  "to the MMM's weeks.", hint="pass start= and end= as dates.")
            start = test.min() if start is None else start
            end = test.max() + pd.Timedelta(days=6) if end is None else end
        return cls(channel, pd.Timestamp(start), pd.Timestamp(end), float(est), float(se))


@dataclass(frozen=True)
class LiftTerms:
    """Lift tests as index arrays: channel column, first and last week row, value and its se."""

    channel: np.ndarray  # (tests,) int
    first: np.ndarray  # (tests,) int, row of the first week of the window
    last: np.ndarray  # (tests,) int, row of the last week (inclusive)
    value: np.ndarray  # (tests,) measured incremental outcome over the window
    se: np.ndarray  # (tests,) its standard error (> 0)

    def scaled(self, spread: float) -> LiftTerms:
        """The same tests in units of the standardised outcome."""
        return LiftTerms(self.channel, self.first, self.last, self.value / spread, self.se / spread)


def lift_effects(x: np.ndarray, terms: LiftTerms, theta: np.ndarray, lam: np.ndarray,
                 xbar: np.ndarray) -> np.ndarray:
    """Each test's modelled lift per unit of ``beta`` for parameter rows ``theta, lam`` ``(c, k)``.

    Returns ``(c, tests)``: the window counterfactual of the module docstring divided by
    ``beta_c``.

    Examples
    --------
    >>> t = LiftTerms(np.array([0]), np.array([1]), np.array([1]), np.ones(1), np.ones(1))
    >>> e = lift_effects(np.array([[2.0], [1.0]]), t, np.array([[0.5]]), np.array([[1.0]]),
    ...                  np.array([1.0]))
    >>> bool(np.isclose(e[0, 0], np.exp(-0.5 * 1.0) - np.exp(-0.5 * 2.0)))
    True
    """
    out = np.empty((theta.shape[0], len(terms.value)))
    for j, (c, a, b) in enumerate(zip(terms.channel, terms.first, terms.last)):
        th = theta[:, c]
        rate = (lam[:, c] * (1.0 - th) / xbar[c])[:, None]
        carry_in = (th[:, None] ** np.arange(a - 1, -1, -1)) @ x[:a, c]  # adstock at week a - 1
        dark = carry_in[:, None] * th[:, None] ** np.arange(1, b + 2 - a)  # no spend in a..b
        stock = np.empty((len(th), b + 1 - a))
        acc = carry_in
        for i, t in enumerate(range(a, b + 1)):
            acc = x[t, c] + th * acc
            stock[:, i] = acc
        out[:, j] = (np.exp(-rate * dark) - np.exp(-rate * stock)).sum(axis=1)
    return out


def lift_terms(lift_tests: Any, data: MediaData) -> tuple[LiftTerms | None,
                                                          tuple[LiftMeasurement, ...]]:
    """Check lift tests against the weekly table; return them as index arrays (None if none)."""
    tests = _as_measurements(lift_tests)
    if not tests:
        return None, ()
    weeks = data.weeks
    last_day = weeks[-1] + pd.Timedelta(days=6)
    chan, first, last = [], [], []
    for t in tests:
        if t.channel not in data.names:
            raise ConfigError(f"a lift test names channel {t.channel!r}, which is not in the "
                              f"model. Channels: {', '.join(data.names)}.",
                              hint="name the channel column the test switched off, as passed to "
                                   "channels= or organic=.")
        if t.start < weeks[0] or t.end > last_day:
            raise InputError(f"the lift test of {t.channel!r} ran {t.weeks_text}, outside the "
                             f"weekly table ({weeks[0]:%Y-%m-%d} to {last_day:%Y-%m-%d}).",
                             hint="calibrate with tests that ran inside the fitted weeks, or add "
                                  "the test's weeks to the table.")
        rows = np.flatnonzero((weeks >= t.start) & (weeks <= t.end))
        if len(rows) == 0:
            raise InputError(f"the lift test of {t.channel!r} ({t.weeks_text}) contains no week "
                             "start of the table.", hint="give a window of at least one week.")
        c = data.names.index(t.channel)
        if not (data.x[rows, c] > 0).any():
            raise InputError(f"{t.channel!r} has no spend in the lift test's weeks "
                             f"({t.weeks_text}): in the model switching it off there changes "
                             "nothing, so the test cannot calibrate it.",
                             hint="check the window and the channel of the test.")
        chan.append(c)
        first.append(int(rows[0]))
        last.append(int(rows[-1]))
    terms = LiftTerms(np.array(chan), np.array(first), np.array(last),
                      np.array([t.incremental for t in tests]), np.array([t.se for t in tests]))
    return terms, tests


def _as_measurements(lift_tests: Any) -> tuple[LiftMeasurement, ...]:
    if lift_tests is None:
        return ()
    if isinstance(lift_tests, LiftMeasurement):
        return (lift_tests,)
    if isinstance(lift_tests, Sequence) and not isinstance(lift_tests, str):
        out = []
        for item in lift_tests:
            if not isinstance(item, LiftMeasurement):
                raise ConfigError(
                    f"lift_tests holds a {type(item).__name__}; each item must be a "
                    "LiftMeasurement (it says which channel and weeks the test covered).",
                    hint="wrap a rk.lift_test result as rk.LiftMeasurement.from_lift_test(result, "
                         "channel='search', start=..., end=...).")
            out.append(item)
        return tuple(out)
    from roi_kit.engine import as_frame, require_columns, to_pandas

    frame = as_frame(lift_tests, name="lift_tests")
    require_columns(frame, list(FRAME_COLUMNS), name="the lift_tests table")
    df = to_pandas(frame)
    return tuple(LiftMeasurement(str(r.channel), r.start, r.end, float(r.incremental), float(r.se))
                 for r in df[list(FRAME_COLUMNS)].itertuples(index=False))
