# roi_kit — two commands on a fresh machine:  make app   |   make test
# `make help` lists every target.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
UV     := $(VENV)/bin/uv
SAMPLES_STAMP := data/samples/.complete
PORT   ?= 8866

.DEFAULT_GOAL := help

# Every command here writes bytecode caches, even where PYTHONDONTWRITEBYTECODE is set (it is on this
# project's machines, and uv installs without .pyc files). Without them every process (each app's
# kernel, each test worker, the Voila server, each CLI run) compiled every module it imported from
# source: `import pandas, altair` and an app cost 10.2-10.6 CPU s in a fresh environment against 1.4 s
# with caches, and pytest re-rewrote the asserts of every test module in every worker (issue 13).
# Caches are written on first import, so only the modules used are compiled (uv's --compile-bytecode
# compiles all 9,431 modules of the lock: 41 CPU s).
unexport PYTHONDONTWRITEBYTECODE
.PHONY: help setup lock samples chromium postgres lint typecheck unit test-times test test-all app bench clean

help:  ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

# Installs come from requirements.lock (every package pinned, resolved from pyproject.toml by uv),
# so two fresh machines get the same versions. uv itself is pinned in the lock too.
$(UV):
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check "uv==$$(sed -n 's/^uv==\([^ ]*\).*/\1/p' requirements.lock)"

$(STAMP): pyproject.toml requirements.lock | $(UV)
	$(UV) pip sync --quiet --python $(PY) requirements.lock
	$(UV) pip install --quiet --python $(PY) --no-deps -e .
	@touch $(STAMP)

setup: $(STAMP)  ## create .venv and install roi_kit with its test tools, pinned by requirements.lock

# rfc3987-syntax (pulled in by jupyter-events through jsonschema[format-nongpl]) compiles ~38 Lark
# grammars whenever jsonschema is imported, and Altair imports jsonschema: every app kernel, Voila
# server and test worker paid ~2 s of CPU for an IRI format check no Jupyter or Vega schema uses
# (`import altair`: 2.6-3.0 s CPU with it, 0.77-0.84 s without). Without it jsonschema skips that check.
LOCK_OMIT := --no-emit-package rfc3987-syntax --no-emit-package lark

lock: $(UV)  ## re-resolve requirements.lock from pyproject.toml (newest versions its ranges allow)
	$(UV) pip compile --quiet --upgrade pyproject.toml --extra test --extra bench --universal \
		--python-version 3.11 -o requirements.lock --custom-compile-command "make lock" $(LOCK_OMIT)

samples: $(STAMP)  ## make sure the sample data in data/samples exists (regenerates if missing)
	$(PY) -m roi_kit.datasets.build --out data/samples --if-missing

chromium: $(STAMP)  ## make sure a Chromium for the browser tests is present
	@bash scripts/ensure_chromium.sh $(PY)

postgres:  ## make sure a PostgreSQL server for the warehouse tests is installed (the tests start their own)
	@bash scripts/ensure_postgres.sh

lint: $(STAMP)  ## ruff
	$(VENV)/bin/ruff check roi_kit tests benchmarks scripts

typecheck: $(STAMP)  ## mypy on the package
	$(VENV)/bin/mypy

# Tests run on every core (pytest-xdist); tests sharing a Voila server, a JVM or a kernel stay on one
# worker (see tests/conftest.py). `make unit` also draws fewer examples per property test.
XDIST  ?= -n auto --maxprocesses=4 --dist loadgroup

# The quick tier leaves out every test recorded above 0.1 CPU seconds in tests/cpu_times.json
# (QUICK_LIMIT in tests/cpu_times.py; it was 0.25 until issue 13 measured where the tier's time went);
# test-times re-measures them in one process (CPU time, so a busy machine does not inflate it).
UNIT_MARKERS := not slow and not browser and not spark and not notebook and not integration and not warehouse

# The tier has no xdist_group tests (their markers are left out above), so it hands tests out with
# --dist load: in batches, where loadgroup (each test its own scope there) sends one test at a time
# and a worker waits for the next
# (issue 13, three pairs of runs, two of them back to back: 67-191 s wall against 83-281 s).
UNIT_XDIST ?= -n auto --maxprocesses=4 --dist load

unit: $(STAMP) samples  ## quick tier (tests under 0.1 CPU s each): unit tests and doctests, no apps/CLI/notebooks/browser/spark/warehouse
	ROI_KIT_QUICK_TESTS=1 $(PY) -m pytest $(UNIT_XDIST) -q \
		-m "$(UNIT_MARKERS) and not heavy"

test-times: $(STAMP) samples  ## re-measure the CPU time of the quick tier's tests into tests/cpu_times.json
	ROI_KIT_QUICK_TESTS=1 ROI_KIT_MEASURING_TIMES=1 $(PY) -m pytest -p no:xdist -p tests.cpu_times -q \
		-m "$(UNIT_MARKERS) and not heavy"

test: setup samples chromium postgres lint typecheck  ## everything CI runs: lint, types, unit, doctests, spark, PostgreSQL, notebooks, browser
	$(PY) -m pytest $(XDIST) --durations=25

test-all: setup samples chromium postgres  ## the suite including the slow cases
	$(PY) -m pytest $(XDIST) -m ""

app: setup samples  ## start the Voila apps on the sample data at http://127.0.0.1:8866
	@echo "roi_kit apps: http://127.0.0.1:$(PORT)/  (Ctrl-C to stop)"
	$(VENV)/bin/voila notebooks/ --port=$(PORT) --no-browser

bench: setup  ## run the benchmarks (installs peers in .venv-bench)
	bash benchmarks/run_all.sh

clean:  ## remove the virtual environments and caches
	rm -rf $(VENV) .venv-bench .pytest_cache .mypy_cache .ruff_cache
