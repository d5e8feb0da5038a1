# Two commands for a fresh machine: `make run` (the portal with demo data) and `make test` (the whole suite).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
export AMI_DATA_DIR ?= $(CURDIR)/var

.PHONY: install run test test-fast lint bench contract clean

$(BIN)/ami: pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test]"
	touch $(BIN)/ami

install: $(BIN)/ami

run: install
	$(BIN)/ami serve --demo

test: install
	$(BIN)/ruff check .
	$(BIN)/python tools/contract-smoke --ami $(CURDIR)/$(BIN)/ami
	$(BIN)/pytest -q -p no:cacheprovider

test-fast: install
	$(BIN)/pytest -q -m "not postgres and not browser" tests/unit

lint: install
	$(BIN)/ruff check .

bench: install
	$(BIN)/python -m tests.bench.run

contract: install
	$(BIN)/python tools/contract-smoke --ami $(CURDIR)/$(BIN)/ami

clean:
	rm -rf $(VENV) var var-keys build *.egg-info
