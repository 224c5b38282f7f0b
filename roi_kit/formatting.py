"""Numbers in words: money, percentages, and ratios that may be undefined.

roi_kit never prints ``inf`` or ``nan`` as if it were a number. A ratio with a zero or missing
denominator becomes :data:`None` plus a reason in words, via :func:`ratio`.

Examples
--------
>>> fmt_money(1234.5, currency="EUR")
'EUR 1,234.50'
>>> fmt_pct(0.1234)
'12.3%'
>>> ratio(10, 0, what="CPC", denominator_name="clicks")
Ratio(value=None, reason='CPC is undefined: clicks is zero.')
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["NO_INTERVAL", "Ratio", "fmt_money", "fmt_number", "fmt_pct", "no_interval", "ratio", "safe_divide"]

NO_INTERVAL = "No interval:"
"""How every summary starts the sentence that says why a number it prints carries no interval."""

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "DKK": "kr ", "SEK": "kr ", "PLN": "zł ", "VND": "₫"}


@dataclass(frozen=True)
class Ratio:
    """A ratio that is either a finite number or undefined with a reason in words."""

    value: float | None
    reason: str | None = None

    @property
    def defined(self) -> bool:
        """True when the ratio is a finite number."""
        return self.value is not None

    def text(self, fmt: str = "{:,.2f}") -> str:
        """The value formatted, or the reason when undefined."""
        return fmt.format(self.value) if self.value is not None else str(self.reason)


def _missing(x: float | None) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def ratio(
    numerator: float | None,
    denominator: float | None,
    *,
    what: str = "the ratio",
    denominator_name: str = "the denominator",
) -> Ratio:
    """Divide, or explain in words why the result is undefined.

    Parameters
    ----------
    numerator, denominator
        The two numbers; ``None``/NaN count as missing.
    what
        Name of the result, used in the reason (``"ROI"``, ``"CPC"``).
    denominator_name
        Name of the denominator, used in the reason (``"total cost"``, ``"clicks"``).

    Examples
    --------
    >>> ratio(3, 4, what="CTR").value
    0.75
    >>> ratio(1, None, what="ROAS", denominator_name="ad spend").reason
    'ROAS is undefined: ad spend is missing.'
    """
    den_name = denominator_name
    if _missing(numerator):
        return Ratio(None, f"{what} is undefined: the numerator is missing.")
    if _missing(denominator):
        return Ratio(None, f"{what} is undefined: {den_name} is missing.")
    if denominator == 0:
        return Ratio(None, f"{what} is undefined: {den_name} is zero.")
    value = float(numerator) / float(denominator)  # type: ignore[arg-type]
    if not math.isfinite(value):
        return Ratio(None, f"{what} is undefined: the division overflowed.")
    return Ratio(value, None)


def safe_divide(
    numerator: pd.Series, denominator: pd.Series, *, what: str, denominator_name: str
) -> tuple[pd.Series, pd.Series]:
    """Element-wise division returning (values with NaN where undefined, reason per row).

    Examples
    --------
    >>> v, why = safe_divide(pd.Series([1.0, 2.0]), pd.Series([2.0, 0.0]), what="CPC",
    ...                      denominator_name="clicks")
    >>> v.tolist()[0], why.tolist()
    (0.5, ['', 'CPC is undefined: clicks is zero.'])
    """
    num = pd.to_numeric(numerator, errors="coerce").astype("float64")
    den = pd.to_numeric(denominator, errors="coerce").astype("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        values = num / den
    reason = pd.Series("", index=num.index, dtype="object")
    reason[den.isna()] = f"{what} is undefined: {denominator_name} is missing."
    reason[den == 0] = f"{what} is undefined: {denominator_name} is zero."
    reason[num.isna() & (reason == "")] = f"{what} is undefined: the numerator is missing."
    values[reason != ""] = np.nan
    return values, reason


def fmt_money(value: float | None, *, currency: str = "USD", decimals: int = 2) -> str:
    """Format money with a thousands separator; ``None``/NaN become ``'n/a'``.

    Examples
    --------
    >>> fmt_money(-5, currency="USD", decimals=0)
    '-USD 5'
    """
    if _missing(value):
        return "n/a"
    sign = "-" if value < 0 else ""  # type: ignore[operator]
    return f"{sign}{currency} {abs(value):,.{decimals}f}"  # type: ignore[arg-type]


def fmt_pct(value: float | None, *, decimals: int = 1, ratio_input: bool = True) -> str:
    """Format a share (0.25) or a percentage (25.0 with ``ratio_input=False``) as ``'25.0%'``.

    Examples
    --------
    >>> fmt_pct(25.0, ratio_input=False)
    '25.0%'
    """
    if _missing(value):
        return "n/a"
    pct = value * 100 if ratio_input else value  # type: ignore[operator]
    return f"{pct:,.{decimals}f}%"


def fmt_number(value: float | None, *, decimals: int = 0) -> str:
    """Format a number with thousands separators; ``None``/NaN become ``'n/a'``.

    Examples
    --------
    >>> fmt_number(1234567)
    '1,234,567'
    """
    if _missing(value):
        return "n/a"
    return f"{value:,.{decimals}f}"


def no_interval(what: str, why: str) -> str:
    """The sentence a summary prints when a number has no confidence interval, and why.

    Every result that prints a number a manager acts on prints its interval or this sentence
    (tests/test_uncertainty_audit.py checks each one; docs/uncertainty.md lists the reasons).

    Examples
    --------
    >>> no_interval("the ledger total", "it is a sum of recorded costs, not an estimate")
    'No interval: the ledger total — it is a sum of recorded costs, not an estimate.'
    """
    return f"{NO_INTERVAL} {what} — {why}."
