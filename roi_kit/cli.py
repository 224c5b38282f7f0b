"""The ``roi-kit`` command line: reports a scheduler can run, validation, samples and the apps.

Exit codes
----------
0   success
1   ``validate``: the file loaded but rows were dropped, coerced or flagged (see the report)
2   usage or configuration error (unknown option or key, missing file, wrong type, unwritable --out)
3   the data could not be used (missing column, unreadable file, empty table)
4   internal error (a bug: the traceback is printed; please report it)
130 interrupted

Progress lines go to stderr (``[step/total] text``; ``--quiet`` turns them off); stdout carries
only results (the paths written, the load report), so scripts can read it.

Examples
--------
>>> main(["--version"])
roi-kit 0.1.0
0
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from roi_kit.errors import ConfigError, RoiKitError

__all__ = ["EXIT_CONFIG", "EXIT_DATA", "EXIT_FLAGGED", "EXIT_INTERNAL", "EXIT_OK", "build_parser", "main"]

EXIT_OK, EXIT_FLAGGED, EXIT_CONFIG, EXIT_DATA, EXIT_INTERNAL = 0, 1, 2, 3, 4
_TABLES = ("customers", "social_audience", "deals", "touchpoints", "posts", "costs", "funnel_events", "goals",
           "service_interactions", "ad_performance", "traffic")


def _progress(step: int, total: int, text: str) -> None:
    print(f"[{step}/{total}] {text}", file=sys.stderr, flush=True)


def _cmd_report(args: argparse.Namespace) -> int:
    from roi_kit.reporting.build import STEPS, build_report, write_report
    from roi_kit.reporting.config import load_config
    from roi_kit.reporting.write import infer_format

    config = load_config(args.config)
    if args.period_start or args.period_end:
        config = config.with_period(args.period_start, args.period_end)
    out = Path(args.out)
    fmt = infer_format(out, args.format)  # fail on a bad --out before the long work
    report = build_report(config, progress=None if args.quiet else _progress, charts=fmt == "html")
    if not args.quiet:
        _progress(STEPS, STEPS, f"writing {fmt} to {out}" + (" (drawing the charts)" if fmt == "html" else ""))
    try:
        written = write_report(report, out=out, fmt=fmt)
    except OSError as exc:
        raise ConfigError(f"--out {out} cannot be written: {exc.strerror or exc}.",
                          hint="pass a path in a folder you can write to.") from None
    for path in written:
        print(path)
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    from roi_kit.io import load

    path = Path(args.file)
    if not path.is_file():
        raise ConfigError(f"{args.file} does not exist.", hint="pass the path of a CSV, TSV, Excel or Parquet file.")
    report = load(path, args.table).report
    print(report.summary())
    if len(report.issues):
        print()
        print(report.issues.head(20).to_string(index=False))
        if len(report.issues) > 20:
            print(f"... {len(report.issues) - 20:,} more issues")
    return EXIT_FLAGGED if report.rows_dropped or len(report.issues) else EXIT_OK


def _cmd_sample(args: argparse.Namespace) -> int:
    from roi_kit.datasets.build import main as build_main

    argv = ["--out", str(args.out)]
    if args.seed is not None:
        argv += ["--seed", str(args.seed)]
    return int(build_main(argv) or 0)


def _default_notebooks() -> Path:
    here = Path("notebooks")
    if here.is_dir():
        return here
    return Path(__file__).resolve().parents[1] / "notebooks"


def _cmd_app(args: argparse.Namespace) -> int:
    notebooks = Path(args.notebooks) if args.notebooks else _default_notebooks()
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
        epilog="Exit codes: 0 ok, 1 rows dropped/flagged (validate), 2 usage or configuration error, "
               "3 data error, 4 internal error, 130 interrupted.",
    )
    parser.add_argument("--version", action="version", version=f"roi-kit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    rep = sub.add_parser("report", help="build a self-contained report from a report.toml")
    rep.add_argument("--config", required=True, help="path of the report config (TOML)")
    rep.add_argument("--out", required=True, help="output file (html/xlsx/json) or folder (csv)")
    rep.add_argument("--format", choices=("html", "xlsx", "csv", "json"), default=None,
                     help="output format (default: from the --out suffix, else html)")
    rep.add_argument("--period-start", metavar="YYYY-MM-DD", default=None,
                     help="override the first day of the period in the config")
    rep.add_argument("--period-end", metavar="YYYY-MM-DD", default=None,
                     help="override the last day of the period in the config")
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
    app.add_argument("--notebooks", default=None,
                     help="folder of app notebooks (default: ./notebooks, else the checkout's notebooks/)")
    app.set_defaults(func=_cmd_app)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``roi-kit`` command line and return its exit code (see the module docstring)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors: argparse already printed
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_CONFIG
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
    except Exception:
        traceback.print_exc()
        print("roi-kit: internal error (a bug in roi_kit); please report it with the traceback above.",
              file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
