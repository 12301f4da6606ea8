# Two entry points (see README.md): `make demo` runs the main job on the sample data,
# `make test` runs the whole test suite. Both set everything up first.
# The first interpreter that really runs and is 3.10-3.12 (durable_rules does not import on 3.13).
PYTHON ?= $(shell for p in python3 python3.12 python3.11 python3.10; do $$p -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] < (3, 13))' >/dev/null 2>&1 && echo $$p && break; done)
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= out

.PHONY: setup demo serve sample-xlsx test bench lint clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.10-3.12 is required (durable_rules does not import on 3.13)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	touch $@

# The district appraisal of the sample (Tuần Giáo, illustrative figures): league table, area against
# its plans and score sheets on screen; the XLSX and HTML dossier (plus CSV and JSON) in $(OUT)/.
# Exit status 1 only means "some commune does not qualify": that is a result, not a failure.
demo: setup
	$(BIN)/commune-health appraise communes/dien-bien/tuan-giao --out $(OUT) || [ $$? -eq 1 ]

# The web application on http://127.0.0.1:8000/ (the register in $(DB)); Ctrl-C stops it.
# Add a user first to sign in: $(BIN)/commune-health users add NAME --role approver --db $(DB)
DB ?= register.sqlite3
serve: setup
	$(BIN)/commune-health serve --db $(DB)

# Regenerate the spreadsheet version of the sample district from its YAML fact files.
sample-xlsx: setup
	$(BIN)/commune-health template --format xlsx --fill communes/dien-bien/tuan-giao \
		--out communes/dien-bien/tuan-giao.xlsx \
		--illustrative-note "SỐ LIỆU MINH HỌA — không phải số liệu thật của các xã (illustrative figures, not real data). Tạo từ communes/dien-bien/tuan-giao/*.yaml bằng: make sample-xlsx"

# The suite drives real programs (Chromium, PostgreSQL, LibreOffice, poppler): .ci/system-packages
# installs those that are missing (as root, or with sudo) before the tests run; none is ever skipped.
test: setup
	.ci/system-packages
	$(BIN)/python -m pytest -q

# National-scale benchmark (10,600 synthetic communes): the product beside plain Python, zen-engine
# and naive durable_rules, then the whole batch from fact files to JSON. Takes about ten minutes.
bench: setup
	$(BIN)/python benchmarks/bench.py

lint: setup
	$(BIN)/ruff check engine cli.py tests
	$(BIN)/ruff format --check engine cli.py tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache
