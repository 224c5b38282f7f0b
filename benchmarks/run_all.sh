#!/usr/bin/env bash
# Run every benchmark once and print its figures (side-by-side ratios against peers).
# Peers that conflict with the runtime environment (lifelines pins pandas<3, ChannelAttribution)
# live in their own .venv-bench-* environments, created by the benchmark scripts on first use.
# Usage: bash benchmarks/run_all.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
for bench in benchmarks/bench_*.py; do
  echo "=== $bench"
  "$PY" "$bench" "$@" || echo "!!! $bench failed (exit $?)"
done
