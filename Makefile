# Two commands do all set-up: `make run` (dashboard on the bundled data) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
DB ?= data/council.db
PORT ?= 8501
# Two pytest workers (pytest-xdist); each test file runs whole on one worker, so a module's
# Streamlit server and browser start once; browser files first (tests/conftest.py).
# `make test PYTEST_ARGS=` runs in one process.
PYTEST_ARGS ?= -n 2 --dist loadfile --no-loadscope-reorder

.PHONY: run test lint format cache bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[test]"
	touch $@ $(STAMP)

cache: $(STAMP)
	COUNCIL_DB=$(DB) $(BIN)/python -m council.snapshot build --if-missing

run: cache
	COUNCIL_DB=$(DB) $(BIN)/streamlit run app.py --server.port $(PORT) --server.headless true

test: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(TEST_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(TEST_STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) data/council.db artifacts
