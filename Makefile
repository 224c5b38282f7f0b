# roi_kit — two commands on a fresh machine:  make app   |   make test
# `make help` lists every target.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
SAMPLES_STAMP := data/samples/.complete
PORT   ?= 8866

.DEFAULT_GOAL := help
.PHONY: help setup samples chromium lint typecheck unit test test-all app bench clean

help:  ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

setup: $(STAMP)  ## create .venv and install roi_kit with its test tools

samples: $(STAMP)  ## make sure the sample data in data/samples exists (regenerates if missing)
	$(PY) -m roi_kit.datasets.build --out data/samples --if-missing

chromium: $(STAMP)  ## make sure a Chromium for the browser tests is present
	@bash scripts/ensure_chromium.sh $(PY)

lint: $(STAMP)  ## ruff
	$(VENV)/bin/ruff check roi_kit tests benchmarks scripts

typecheck: $(STAMP)  ## mypy on the package
	$(VENV)/bin/mypy

unit: $(STAMP) samples  ## unit tests and doctests only (no notebooks, browser or spark)
	$(PY) -m pytest -m "not slow and not browser and not spark and not notebook"

test: setup samples chromium lint typecheck  ## everything CI runs: lint, types, unit, doctests, spark, notebooks, browser
	$(PY) -m pytest

test-all: setup samples chromium  ## the suite including the slow cases
	$(PY) -m pytest -m ""

app: setup samples  ## start the Voila apps on the sample data at http://127.0.0.1:8866
	@echo "roi_kit apps: http://127.0.0.1:$(PORT)/  (Ctrl-C to stop)"
	$(VENV)/bin/voila notebooks/ --port=$(PORT) --no-browser

bench: setup  ## run the benchmarks (installs peers in .venv-bench)
	bash benchmarks/run_all.sh

clean:  ## remove the virtual environments and caches
	rm -rf $(VENV) .venv-bench .pytest_cache .mypy_cache .ruff_cache
