# Two entry points for a fresh Debian/Ubuntu machine with Python 3.11:
#   make run   — install, build the database from data/, launch the dashboard
#   make test  — install (with test extras) and run the whole test suite
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
export CHISO_DB ?= $(CURDIR)/var/chiso.duckdb

.PHONY: run test install install-test db lint bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e .

install-test: $(BIN)/python
	$(BIN)/pip install -q -e ".[test]"

db: install
	$(BIN)/chiso build

run: db
	$(BIN)/streamlit run app.py

test: install-test
	$(BIN)/chiso build
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/chiso bench --scale small

clean:
	rm -rf var artifacts
