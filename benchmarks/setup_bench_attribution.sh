#!/usr/bin/env bash
# Create .venv-bench-attribution with the attribution peers used by benchmarks/bench_attribution.py.
# The peers live in their own environment (they pin their own pandas/numpy); roi_kit itself runs
# from the project's .venv and talks to the peers through a subprocess.
#   bash benchmarks/setup_bench_attribution.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
VENV=.venv-bench-attribution
if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet ChannelAttribution marketing-attribution-models matplotlib psutil pyarrow
"$VENV/bin/python" -c "import ChannelAttribution, mam; print('peers ready')"  # mam: marketing-attribution-models
