"""The one small exception hierarchy of roi_kit.

Every message names what was wrong (file, column, row, argument), echoes the bad value, says what
would be valid and ends with a ``Hint:`` line that tells the user how to fix it.

Examples
--------
>>> from roi_kit.errors import MissingColumnError, RoiKitError
>>> err = MissingColumnError(
...     "deals.csv is missing the required column 'amount'. Columns found: id, value.",
...     hint="pass columns={'value': 'amount'}",
... )
>>> isinstance(err, RoiKitError)
True
>>> print(err)
deals.csv is missing the required column 'amount'. Columns found: id, value.
Hint: pass columns={'value': 'amount'}
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "EmptyDataError",
    "InputError",
    "MissingColumnError",
    "RoiKitError",
    "UnsupportedFormatError",
    "UnsupportedFrameError",
]


class RoiKitError(Exception):
    """Base class of every error roi_kit raises on purpose.

    Parameters
    ----------
    message
        What went wrong, naming the file / column / row / argument and the bad value.
    hint
        How to fix it; printed on its own line after ``Hint:``.
    """

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(message if hint is None else f"{message}\nHint: {hint}")


class InputError(RoiKitError, ValueError):
    """The data given cannot be used as it is (bad value, wrong type, unreadable file)."""


class MissingColumnError(InputError, KeyError):
    """A required column is absent; the message lists the columns that were found."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return Exception.__str__(self)


class EmptyDataError(InputError):
    """A table, segment or selection has no rows where some are needed."""


class UnsupportedFormatError(InputError):
    """A file type or encoding roi_kit cannot read."""


class UnsupportedFrameError(RoiKitError, TypeError):
    """An object that is not a frame of a supported engine (pandas, polars, pyarrow, DuckDB, Spark)."""


class ConfigError(RoiKitError, ValueError):
    """A bad option or configuration value (unknown key, wrong type, out of range)."""
