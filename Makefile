# Two entry points (see README.md): `make demo` runs the main job on the sample data,
# `make test` runs the whole test suite. Both set everything up first.
# The first interpreter that really runs and is 3.10-3.12 (durable_rules does not import on 3.13).
PYTHON ?= $(shell for p in python3 python3.12 python3.11 python3.10; do $$p -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] < (3, 13))' >/dev/null 2>&1 && echo $$p && break; done)
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= out

.PHONY: setup demo test lint clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.10-3.12 is required (durable_rules does not import on 3.13)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

# Exit status 1 only means "some commune does not qualify": that is a result, not a failure.
demo: setup
	$(BIN)/commune-health evaluate communes/dien-bien/tuan-giao || [ $$? -eq 1 ]

test: setup
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check engine cli.py tests
	$(BIN)/ruff format --check engine cli.py tests

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache
