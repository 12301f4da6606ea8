# Two entry points (see README.md): `make demo` runs the main job on the sample data,
# `make test` runs the whole test suite. Both set everything up first.
# The first interpreter that really runs and is 3.10-3.12 (durable_rules does not import on 3.13).
PYTHON ?= $(shell for p in python3 python3.12 python3.11 python3.10; do $$p -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] < (3, 13))' >/dev/null 2>&1 && echo $$p && break; done)
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= out

.PHONY: setup demo serve sample-xlsx test test-programs bench lint clean

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

# The programs the suite drives for real (never a skipped test), each as program=Debian package:
#   chromium                   the HTML dossier and the web application, in a real browser
#   initdb, pg_ctl             a throwaway PostgreSQL server under the register's tests (Debian keeps
#                              them in /usr/lib/postgresql/<version>/bin, off the PATH)
#   libreoffice                Word documents and the XLSX dossier converted to PDF (writer, calc)
#   pdftoppm, pdftotext        PDF pages rendered to PNG and their text extracted (poppler)
# and the packages that hold no program: LibreOffice's spreadsheet part and fonts with full
# Vietnamese coverage (Liberation Serif has the metrics of Times New Roman).
# Add a line here (with its reason) when a test needs a new program.
TEST_PROGRAMS := chromium=chromium initdb=postgresql pg_ctl=postgresql \
	libreoffice=libreoffice-writer-nogui pdftoppm=poppler-utils pdftotext=poppler-utils
TEST_PACKAGES := libreoffice-calc-nogui fonts-liberation2 fonts-dejavu-core

# Installs what is missing of the above with apt-get (as root, or with sudo); does nothing when
# everything is there.
test-programs:
	@missing=""; \
	for pair in $(TEST_PROGRAMS); do \
		program=$${pair%%=*}; package=$${pair#*=}; \
		command -v $$program >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/$$program >/dev/null 2>&1 \
			|| missing="$$missing $$package"; \
	done; \
	for package in $(TEST_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" \
			|| missing="$$missing $$package"; \
	done; \
	missing=$$(echo $$missing | tr ' ' '\n' | sort -u | tr '\n' ' '); \
	[ -z "$${missing% }" ] && exit 0; \
	sudo=""; \
	if [ "$$(id -u)" -ne 0 ]; then \
		command -v sudo >/dev/null || { echo "the tests need: $$missing(apt-get install as root)" >&2; exit 2; }; \
		sudo=sudo; \
	fi; \
	command -v apt-get >/dev/null || { echo "the tests need: $$missing(Debian packages; no apt-get here)" >&2; exit 2; }; \
	echo "installing for the tests: $$missing" >&2; \
	$$sudo apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing >/dev/null

# The whole suite, after the programs it drives are installed when missing.
test: setup test-programs
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
