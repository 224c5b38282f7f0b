#!/usr/bin/env bash
# Create the benchmark-only environment for lifelines (it pins pandas < 3, so it must never enter
# the main .venv). Usage: bash benchmarks/setup_bench_lifelines.sh  (idempotent)
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv-bench-lifelines
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet "lifelines>=0.29" numpy
"$VENV/bin/python" -c "import lifelines, pandas; print('lifelines', lifelines.__version__, 'pandas', pandas.__version__)"
