"""Small building blocks shared by every panel: messages, progress, download links, page style.

All text that reaches HTML goes through :func:`roi_kit.results.escape`. Downloads are ``data:``
links built in Python (no server path, no file system access from the page), so they work in
JupyterLab, in Voila and offline.

Examples
--------
>>> box = StatusBox()
>>> box.error("deals.csv <bad>")
>>> "deals.csv &lt;bad&gt;" in box.value and box.kind
'error'
>>> download_link(b"a,b\\n", "t.csv", label="CSV").startswith("<a download=")
True
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Literal

import ipywidgets as W

from roi_kit.errors import RoiKitError
from roi_kit.results import escape
from roi_kit.widgets.plain import plain_words

__all__ = ["PAGE_STYLE", "Progress", "StatusBox", "download_link", "error_text", "health_banner",
           "style_widget"]

MessageKind = Literal["info", "success", "warning", "error", ""]

PAGE_STYLE = """
<style>
.roi-kit-app{max-width:1100px}
.roi-kit-title h2{margin:4px 0 2px;font-size:22px}
.roi-kit-title p{margin:0 0 8px;color:#555}
.roi-kit-msg{padding:8px 12px;border-radius:6px;margin:4px 0;line-height:1.4}
.roi-kit-msg.error{background:#fdecea;border:1px solid #e4a19b;color:#7a1d16}
.roi-kit-msg.warning{background:#fff6e0;border:1px solid #e8c777;color:#6b4b00}
.roi-kit-msg.info{background:#eef4fb;border:1px solid #b5cde8;color:#1d3f66}
.roi-kit-msg.success{background:#edf7ef;border:1px solid #a9d3b2;color:#1d5a2c}
.roi-kit-tiles{display:flex;flex-wrap:wrap;gap:10px;margin:6px 0}
.roi-kit-tile{border:1px solid #dde3ea;border-radius:8px;padding:8px 14px;min-width:140px;background:#fafbfc}
.roi-kit-tile .label{font-size:12px;color:#555}
.roi-kit-tile .value{font-size:22px;font-weight:600;color:#1f5aa6}
.roi-kit-tile .note{font-size:12px;color:#555;margin-top:2px}
.roi-kit-summary p{margin:4px 0;line-height:1.45}
.roi-kit-downloads a{display:inline-block;margin:4px 8px 4px 0;padding:5px 12px;border-radius:5px;
  border:1px solid #1f5aa6;color:#1f5aa6;text-decoration:none;font-size:13px}
.roi-kit-downloads a:hover{background:#1f5aa6;color:#fff}
table.roi-kit-table{border-collapse:collapse;font-size:13px}
table.roi-kit-table th,table.roi-kit-table td{padding:3px 9px;border-bottom:1px solid #e6e6e6;text-align:right;
  white-space:nowrap}
.roi-kit-table-box{overflow-x:auto;max-width:100%}
table.roi-kit-table th{background:#f2f4f7}
.roi-kit-section-title{font-weight:600;font-size:15px;margin:10px 0 2px}
</style>
"""
"""CSS for the panels; :func:`style_widget` puts it on the page once per panel."""


def style_widget() -> W.HTML:
    """An invisible widget carrying :data:`PAGE_STYLE` (add it to a panel's children)."""
    return W.HTML(PAGE_STYLE)


def error_text(error: BaseException) -> str:
    """A user-facing sentence for an exception (roi_kit errors already say what to do).

    Examples
    --------
    >>> from roi_kit.errors import InputError
    >>> error_text(InputError("Bad file.", hint="use UTF-8"))
    'Bad file.\\nHint: use UTF-8'
    >>> error_text(ZeroDivisionError("division by zero"))
    'Something went wrong (ZeroDivisionError: division by zero). The rest of the app still works; try other settings or reload the page.'
    """
    if isinstance(error, RoiKitError):
        return str(error)
    return (
        f"Something went wrong ({type(error).__name__}: {error}). The rest of the app still "
        "works; try other settings or reload the page."
    )


class StatusBox(W.HTML):
    """A message line (info / success / warning / error) that is empty when there is nothing to say."""

    def __init__(self) -> None:
        super().__init__(value="")
        self.kind: MessageKind = ""
        self.text = ""
        self.add_class("roi-kit-status")

    def show(self, text: str, kind: MessageKind = "info") -> None:
        """Show ``text`` (escaped; each line a paragraph) styled as ``kind``."""
        text = plain_words(text)  # the page's words: dropdowns, not Python arguments
        self.kind, self.text = kind, text
        lines = "<br>".join(escape(line) for line in text.split("\n") if line.strip())
        self.value = f"<div class='roi-kit-msg {kind}' role='status'>{lines}</div>" if text else ""

    def error(self, text: str) -> None:
        """Show an error message."""
        self.show(text, "error")

    def clear(self) -> None:
        """Remove the message."""
        self.show("", "")


class Progress(W.HBox):
    """A progress bar with a label, visible only while work is running.

    Examples
    --------
    >>> p = Progress()
    >>> with p.task("Computing", steps=2) as step:
    ...     step("first half")
    ...     step("second half")
    >>> p.layout.display, p.bar.value, p.last_seconds >= 0
    ('none', 2, True)
    """

    def __init__(self) -> None:
        self.bar = W.IntProgress(value=0, min=0, max=1, layout=W.Layout(width="220px"))
        self.label = W.HTML("")
        super().__init__([self.bar, self.label], layout=W.Layout(display="none"))
        self.add_class("roi-kit-progress")
        self.last_seconds = 0.0

    @contextmanager
    def task(self, title: str, *, steps: int = 1) -> Iterator[Callable[..., None]]:
        """Show progress for a piece of work of ``steps`` steps; hides itself when done."""
        self.bar.max = max(int(steps), 1)
        self.bar.value = 0
        self.label.value = f"<span>{escape(title)}…</span>"
        self.layout.display = "flex"
        started = time.perf_counter()

        def step(what: str = "") -> None:
            self.bar.value = min(self.bar.value + 1, self.bar.max)
            text = f"{title}: {what}" if what else title
            self.label.value = f"<span>{escape(text)}…</span>"

        try:
            yield step
        finally:
            self.last_seconds = time.perf_counter() - started
            self.layout.display = "none"


_MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html",
    "json": "application/json",
}


def download_link(data: bytes, filename: str, *, label: str) -> str:
    """An ``<a download>`` link carrying ``data`` as a base64 ``data:`` URL.

    Parameters
    ----------
    data
        File contents.
    filename
        Suggested file name (escaped; its extension picks the MIME type).
    label
        Link text (escaped).

    Examples
    --------
    >>> html = download_link(b"x", "r.csv", label="Download")
    >>> 'href="data:text/csv;base64,eA=="' in html
    True
    """
    ext = filename.rsplit(".", 1)[-1].lower()
    mime = _MIME.get(ext, "application/octet-stream")
    payload = base64.b64encode(data).decode("ascii")
    return (
        f'<a download="{escape(filename)}" href="data:{mime};base64,{payload}" '
        f'class="roi-kit-download" title="{escape(filename)}">{escape(label)}</a>'
    )


def health_banner(health: Any) -> str:
    """A :class:`~roi_kit.reconcile.DataHealth` as a coloured banner: headline + every finding
    that is a warning or a problem (escaped).

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.reconcile import data_health
    >>> posts = pd.DataFrame({"post_id": ["p1"], "published_at": pd.to_datetime(["2025-01-01"])})
    >>> "the sources agree" in health_banner(data_health(posts=posts))
    True
    """
    from roi_kit.results import escape

    colour = {"ok": "#e8f5e9", "warning": "#fff8e1", "problem": "#ffebee"}[health.worst]
    issues = health.to_frame().query("status in ['warning', 'problem']")
    items = "".join(f"<li>{escape(m)}</li>" for m in issues["message"])
    return (f'<div role="status" style="background:{colour};padding:8px 12px;border-radius:6px">'
            f"<b>{escape(health.headline())}</b>" + (f"<ul>{items}</ul>" if items else "") + "</div>")
