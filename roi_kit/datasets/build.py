"""Write the committed samples: ``python -m roi_kit.datasets.build --out data/samples``.

Writes ``saas/`` and ``dtc/`` (one CSV per canonical table, ``truth.json``, ``README.md``),
``messy/`` (the European export of deals and customers, ``truth.json``, ``README.md``,
``bad_rows.json``) and finally the ``.complete`` marker. With ``--if-missing`` it returns at once
when every file is already there (``make`` calls it on every run), before importing anything heavy.

Examples
--------
>>> missing_files(Path("/nonexistent"))[:1]
['.complete']
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

__all__ = ["COMMAND", "DEFAULTS", "expected_files", "main", "missing_files", "write_samples"]

COMMAND = "python -m roi_kit.datasets.build --out data/samples"
TABLES = ("customers", "social_audience", "deals", "touchpoints", "posts", "costs",
          "funnel_events", "goals", "service_interactions")
DEFAULTS: dict[str, dict[str, float]] = {
    "saas": {"n_customers": 750, "touchpoints_per_customer": 2.0},
    "dtc": {"n_customers": 900, "touchpoints_per_customer": 1.2},
}
"""Sizes of the committed samples (kept to a couple of MB in total)."""


def expected_files() -> list[str]:
    """Every file the build writes, relative to ``--out`` (the marker first)."""
    files = [".complete"]
    for business in ("saas", "dtc"):
        files += [f"{business}/{t}.csv" for t in TABLES]
        files += [f"{business}/truth.json", f"{business}/README.md"]
    files += ["messy/deals.csv", "messy/customers.csv", "messy/truth.json", "messy/README.md",
              "messy/bad_rows.json"]
    return files


def missing_files(out: Path) -> list[str]:
    """Files of :func:`expected_files` that do not exist under ``out``."""
    return [f for f in expected_files() if not (out / f).is_file()]


def write_samples(out: Path, *, seed: int = 0) -> dict[str, int]:
    """Generate and write every sample under ``out``; returns bytes written per folder."""
    import json

    from roi_kit.datasets.describe import sample_readme
    from roi_kit.datasets.generate import generate
    from roi_kit.datasets.messy import build_messy, messy_readme

    marker = out / ".complete"
    if marker.exists():
        marker.unlink()
    sizes: dict[str, int] = {}
    saas = None
    for business, opts in DEFAULTS.items():
        sample = generate(seed=seed, n_customers=int(opts["n_customers"]),
                          business=business,  # type: ignore[arg-type]
                          touchpoints_per_customer=opts["touchpoints_per_customer"])
        if business == "saas":
            saas = sample
        folder = out / business
        folder.mkdir(parents=True, exist_ok=True)
        for name, frame in sample.tables().items():
            frame.to_csv(folder / f"{name}.csv", index=False)
        meta = {"business": business, "seed": seed, **{k: v for k, v in opts.items()},
                **sample.truth.to_dict()}
        (folder / "truth.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        (folder / "README.md").write_text(sample_readme(sample, command=COMMAND),
                                          encoding="utf-8")
        sizes[business] = sum(f.stat().st_size for f in folder.iterdir())
    assert saas is not None
    export = build_messy(saas)
    folder = out / "messy"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "deals.csv").write_bytes(export.deals)
    (folder / "customers.csv").write_bytes(export.customers)
    meta = {"business": "messy", "derived_from": "saas", "seed": seed, **saas.truth.to_dict()}
    (folder / "truth.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    (folder / "bad_rows.json").write_text(json.dumps(export.bad_rows_json(), indent=2,
                                                     ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / "README.md").write_text(messy_readme(export, command=COMMAND), encoding="utf-8")
    sizes["messy"] = sum(f.stat().st_size for f in folder.iterdir())
    marker.write_text("sample data complete; delete this file to force `make samples` to rebuild\n",
                      encoding="utf-8")
    return sizes


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m roi_kit.datasets.build",
                                     description="Write the roi_kit sample data.")
    parser.add_argument("--out", type=Path, default=Path("data/samples"),
                        help="output folder (default: data/samples)")
    parser.add_argument("--if-missing", action="store_true",
                        help="do nothing when every sample file already exists")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    if args.if_missing and not missing_files(args.out):
        print(f"sample data present in {args.out} (nothing to do)")
        return 0
    t = time.perf_counter()
    sizes = write_samples(args.out, seed=args.seed)
    total = sum(sizes.values())
    detail = ", ".join(f"{k} {v / 1e6:.2f} MB" for k, v in sizes.items())
    print(f"wrote sample data to {args.out}: {detail} (total {total / 1e6:.2f} MB) "
          f"in {time.perf_counter() - t:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
