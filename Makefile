# Quick start: `make run` and `make test`. Needs only Python 3.11+, pip and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test bench chaos clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/kg build

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/run.py --docs 100
	$(BIN)/python bench/run.py --docs 1000 --json build/bench-1000.json
	$(BIN)/python bench/parse_throughput.py
	$(BIN)/python bench/build_stages.py --docs 1000
	$(BIN)/python bench/queries.py
	$(BIN)/python bench/audit_reuse.py --docs 1000
	$(BIN)/python bench/serve.py
	$(BIN)/python bench/push.py
	$(BIN)/python bench/remote_queries.py --docs 1000

# Hardening: >100,000 fuzzed inputs, kg build killed at 20 points, kg push under faults, hostile queries (~5 min)
chaos: $(STAMP)
	$(BIN)/python chaos/run.py

clean:
	rm -rf $(VENV)
	find build -mindepth 1 ! -name README.md -exec rm -rf {} +
