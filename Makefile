# The two commands a newcomer needs: `make demo` and `make test`. Everything else is set up by them.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
STAMP := $(VENV)/.installed
PORT ?= 8866
LAB_PORT ?= 8888
DEMO_DB ?= demo/goalbook.db
# Test files run on two workers, a whole file (and a whole notebook) on one worker, so each file's
# shared server and each notebook's cells stay together. `make test XDIST=` runs in one process.
XDIST ?= -n 2 --dist loadfile

.PHONY: demo test unit lint bench venv system-deps postgres clean

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(UV): $(BIN)/python
	$(BIN)/python -m pip install -q uv

# Bytecode compiled at install: where PYTHONDONTWRITEBYTECODE is set, every kernel and command would
# otherwise compile plotly, pandas and the rest from source each time it starts.
$(STAMP): pyproject.toml | $(UV)
	$(UV) pip install -q --compile-bytecode --python $(BIN)/python -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

# Debian packages the browser and PostgreSQL tests need; skipped when already there.
system-deps:
	@bash .ci/system-deps.sh

postgres: system-deps
	@bash .ci/postgres.sh

test: venv system-deps postgres
	$(BIN)/ruff check goalbook tests benchmarks
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m compileall -q goalbook
	$(BIN)/python -m pytest --nbval-lax --nbval-current-env --nbval-cell-timeout=120 -p no:cacheprovider $(XDIST) $(PYTEST_ARGS) tests notebooks templates

unit: venv
	$(BIN)/python -m pytest tests -m "not browser and not postgres" $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check goalbook tests benchmarks
	$(BIN)/lint-imports --no-cache

bench: venv
	$(BIN)/python -m benchmarks

demo: venv
	$(BIN)/goalbook demo --db $(DEMO_DB) --port $(PORT) --lab-port $(LAB_PORT)

clean:
	rm -rf $(VENV) demo .pytest_cache
