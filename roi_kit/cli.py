"""The ``roi-kit`` command line: reports a scheduler can run, validation, samples and the apps.

Exit codes
----------
0  success
1  ``validate``: the file loaded but rows were dropped or flagged (see the report)
2  usage or configuration error (unknown key, missing file, wrong type)
3  the data could not be used (missing column, unreadable file, empty table)
130 interrupted

Examples
--------
>>> main(["--version"])  # doctest: +SKIP
roi-kit 0.1.0
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from roi_kit.errors import ConfigError, RoiKitError

__all__ = ["EXIT_CONFIG", "EXIT_DATA", "EXIT_FLAGGED", "EXIT_OK", "main"]

EXIT_OK, EXIT_FLAGGED, EXIT_CONFIG, EXIT_DATA = 0, 1, 2, 3
_TABLES = ("customers", "social_audience", "deals", "touchpoints", "posts", "costs", "funnel_events", "goals")


def _progress(step: int, total: int, text: str) -> None:
    print(f"[{step}/{total}] {text}", file=sys.stderr, flush=True)


def _cmd_report(args: argparse.Namespace) -> int:
    from roi_kit.reporting.build import build_report, write_report
    from roi_kit.reporting.config import load_config

    config = load_config(args.config)
    report = build_report(config, progress=None if args.quiet else _progress)
    written = write_report(report, out=Path(args.out), fmt=args.format)
    for path in written:
        print(path)
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    import roi_kit as rk

    loaded = rk.load(args.file, table=args.table)  # type: ignore[attr-defined]
    report = loaded.report
    print(report)
    return EXIT_FLAGGED if report.rows_dropped or len(report.issues) else EXIT_OK


def _cmd_sample(args: argparse.Namespace) -> int:
    from roi_kit.datasets.build import main as build_main

    argv = ["--out", str(args.out)]
    if args.seed is not None:
        argv += ["--seed", str(args.seed)]
    return int(build_main(argv) or 0)


def _cmd_app(args: argparse.Namespace) -> int:
    notebooks = Path(args.notebooks)
    if not notebooks.is_dir():
        raise ConfigError(f"--notebooks {notebooks} is not a folder.",
                          hint="run roi-kit app from the roi_kit checkout, or pass --notebooks PATH.")
    voila = shutil.which("voila") or str(Path(sys.executable).with_name("voila"))
    cmd = [voila, str(notebooks), f"--port={args.port}", "--no-browser", "--Voila.ip=127.0.0.1"]
    print(f"roi_kit apps: http://127.0.0.1:{args.port}/  (Ctrl-C to stop)", flush=True)
    return subprocess.call(cmd, env=os.environ.copy())


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``roi-kit`` (exposed for documentation and tests)."""
    from roi_kit import __version__

    parser = argparse.ArgumentParser(
        prog="roi-kit",
        description="Social media ROI from the command line: scheduled reports, data checks, samples, apps.",
        epilog="Exit codes: 0 ok, 1 rows dropped/flagged (validate), 2 configuration error, 3 data error.",
    )
    parser.add_argument("--version", action="version", version=f"roi-kit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    rep = sub.add_parser("report", help="build a self-contained report from a report.toml")
    rep.add_argument("--config", required=True, help="path of the report config (TOML)")
    rep.add_argument("--out", required=True, help="output file (html/xlsx/json) or folder (csv)")
    rep.add_argument("--format", choices=("html", "xlsx", "csv", "json"), default=None,
                     help="output format (default: from the --out suffix, else html)")
    rep.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    rep.set_defaults(func=_cmd_report)

    val = sub.add_parser("validate", help="load a file as a canonical table and print its LoadReport")
    val.add_argument("file", help="CSV, TSV, Excel or Parquet file")
    val.add_argument("--table", required=True, choices=_TABLES, help="which canonical table the file holds")
    val.set_defaults(func=_cmd_validate)

    sam = sub.add_parser("sample", help="write the sample data (every canonical table) to a folder")
    sam.add_argument("--out", required=True, help="folder to write into")
    sam.add_argument("--seed", type=int, default=None, help="random seed (default: the shipped samples' seed)")
    sam.set_defaults(func=_cmd_sample)

    app = sub.add_parser("app", help="start the Voila apps on http://127.0.0.1:PORT")
    app.add_argument("--port", type=int, default=8866)
    app.add_argument("--notebooks", default="notebooks", help="folder of app notebooks (default: notebooks)")
    app.set_defaults(func=_cmd_app)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``roi-kit`` command line and return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except ConfigError as exc:
        print(f"roi-kit: configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except RoiKitError as exc:
        print(f"roi-kit: data error: {exc}", file=sys.stderr)
        return EXIT_DATA
    except KeyboardInterrupt:
        print("roi-kit: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
