"""The offline Vega bundle of ``alt.JupyterChart``, cached on disk across kernels.

``alt.JupyterChart.enable_offline()`` asks vl-convert to bundle the Vega JavaScript, which takes
~1.5 s of CPU in every new kernel — that is, every time a Voila app is opened. The bundle only
depends on the Altair and vl-convert versions and on Altair's widget source, so roi_kit keeps it
in ``$ROI_KIT_CACHE_DIR`` (default ``~/.cache/roi_kit``) and loads it in a few milliseconds.
Any problem (read-only home, other Altair internals) falls back to Altair's own
``enable_offline``; the chart still renders offline either way.

Examples
--------
>>> import altair as alt
>>> warm_offline_bundle()
>>> bool(alt.JupyterChart._is_offline)
True
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

__all__ = ["cache_path", "warm_offline_bundle"]


def cache_path() -> Path | None:
    """Where the bundle of the installed Altair / vl-convert versions is kept (``None`` if unknown)."""
    try:
        from importlib.metadata import version

        import altair as alt
        from altair.jupyter.jupyter_chart import load_js_src

        vlc_version = version("vl-convert-python")
    except Exception:
        return None
    source = hashlib.sha256(load_js_src().encode("utf-8")).hexdigest()[:16]
    root = Path(os.environ.get("ROI_KIT_CACHE_DIR") or Path.home() / ".cache" / "roi_kit")
    return root / f"jupyterchart-{alt.__version__}-{vlc_version}-{source}.js"


def warm_offline_bundle() -> None:
    """Make ``alt.JupyterChart`` offline, from the disk cache when it holds this version's bundle."""
    import altair as alt

    chart_cls = alt.JupyterChart
    if getattr(chart_cls, "_is_offline", False):
        return
    path = cache_path()
    try:
        if path is not None and path.is_file():
            chart_cls._esm = path.read_text(encoding="utf-8")
            chart_cls._is_offline = True
            return
    except OSError:
        pass
    chart_cls.enable_offline()
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(str(chart_cls._esm), encoding="utf-8")
        partial.replace(path)  # atomic: a kernel never reads half a bundle
    except OSError:
        pass
