# The two commands of the README:
#   make demo   set up a virtual environment, then assess the bundled demo cities and write the portfolio report
#   make test   set up the same environment with the test tools, then run lint, type checks and the whole test suite
#   make run    start the web platform on http://127.0.0.1:8000 (demo loaded on first start)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
EXTRAS ?= dev,china,access,access-dev,web,carbon,pdf,participation

.PHONY: demo run test lint typecheck pytest install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[$(EXTRAS)]"
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/ecocite demo

run: install
	$(BIN)/ecocite-web serve

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: install
	$(BIN)/mypy src/ecocite

# The web tests run a second time against PostgreSQL (127.0.0.1:5432, started by .ci/run).
WEB_TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ecocite_test

pytest: install
	$(BIN)/pytest -n auto
	DATABASE_URL=$(WEB_TEST_DATABASE_URL) $(BIN)/pytest -n auto tests/web

test: lint typecheck pytest

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
