"""Shared behaviour of result objects: notebook rendering and safe HTML.

Every analysis result is a frozen dataclass with ``summary()`` (plain words), ``to_frame()``
(a tidy pandas table) and ``chart()`` (an Altair chart). Inheriting :class:`ResultMixin` gives it
an escaped ``_repr_html_`` and a text ``__str__`` built from those three.

Examples
--------
>>> from dataclasses import dataclass
>>> import pandas as pd
>>> @dataclass(frozen=True)
... class Demo(ResultMixin):
...     def summary(self) -> str:
...         return "Two <b>rows</b>."
...     def to_frame(self) -> pd.DataFrame:
...         return pd.DataFrame({"a": [1, 2]})
>>> "&lt;b&gt;" in Demo()._repr_html_()
True
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

__all__ = ["ResultMixin", "escape", "frame_to_html"]


def escape(text: Any) -> str:
    """HTML-escape any value (user text such as captions and names must go through this).

    Examples
    --------
    >>> escape("<script>alert(1)</script>")
    '&lt;script&gt;alert(1)&lt;/script&gt;'
    """
    return html.escape(str(text), quote=True)


def frame_to_html(frame: pd.DataFrame, *, max_rows: int = 20) -> str:
    """A small, escaped HTML table of a frame (first ``max_rows`` rows)."""
    shown = frame.head(max_rows)
    out = shown.to_html(index=False, escape=True, na_rep="—", float_format=lambda v: f"{v:,.4g}",
                        classes="roi-kit-table", border=0)
    if len(frame) > max_rows:
        out += f"<p><em>{len(frame) - max_rows:,} more rows; use .to_frame() to see all.</em></p>"
    return str(out)


class ResultMixin:
    """Gives a result dataclass ``_repr_html_`` and ``__str__`` from ``summary``/``to_frame``."""

    def summary(self) -> str:  # pragma: no cover - every result overrides it
        raise NotImplementedError

    def to_frame(self) -> pd.DataFrame:  # pragma: no cover - every result overrides it
        raise NotImplementedError

    def _repr_html_(self) -> str:
        paragraphs = "".join(f"<p>{escape(p)}</p>" for p in self.summary().split("\n") if p.strip())
        title = escape(type(self).__name__)
        return (
            f"<div class='roi-kit-result'><h4>{title}</h4>{paragraphs}"
            f"{frame_to_html(self.to_frame())}</div>"
        )

    def __str__(self) -> str:
        return self.summary()
