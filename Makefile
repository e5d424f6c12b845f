# Entry points for a fresh Debian/Ubuntu machine with Python 3.11:
#   make run [PORT=8501]              — install, build the database from data/, serve the dashboard
#   make test                         — install (with test extras) and run the whole test suite
#   make bench                        — the benchmark at small scale (python -m benchmarks)
#   make serve [REPLICAS=2 PORT=8080] — REPLICAS app processes behind nginx (deploy/, needs Debian nginx)
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
REPLICAS ?= 2
export CHISO_DB ?= $(CURDIR)/var/chiso.duckdb
# setuptools warns about editable installs on every install; nothing to act on
PIP := PYTHONWARNINGS="ignore:Editable installation" $(BIN)/pip install -q --disable-pip-version-check

.PHONY: run serve test install install-test db lint bench export-check clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(PIP) --upgrade pip

install: $(BIN)/python
	$(PIP) -e .

install-test: $(BIN)/python
	$(PIP) -e ".[test]"

db: install
	$(BIN)/chiso build

# headless: the server prints its URL and waits; open it in your browser. PNG/SVG export needs Debian's
# chromium and fonts-noto-core (export-check says so when they are missing; the rest of the app works).
run: db export-check
	@echo "Chỉ số: open http://localhost:$(PORT) in your browser (Ctrl-C stops the server)"
	$(BIN)/streamlit run app.py --server.port $(PORT) --server.headless true

serve: db
	deploy/run_replicas.sh $(REPLICAS) $(PORT)

export-check:
	@command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "Noto Sans" || \
	  echo "note: PNG/SVG export of charts and maps needs Debian's chromium and fonts-noto-core: sudo apt-get install chromium fonts-noto-core"

test: install-test
	$(BIN)/chiso build
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -n 2 --dist loadfile   # two workers, one test file each at a time (module fixtures stay shared)

bench: install-test
	$(BIN)/python -m benchmarks --scale small

clean:
	rm -rf var artifacts
