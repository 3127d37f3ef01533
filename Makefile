# One-command workflows. `make serve` installs and starts lmi; `make test` runs every check.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: install serve test quick lint typecheck unit bench clean

$(BIN)/.installed: pyproject.toml
	@echo "lmi: creating $(VENV) and installing lmi with its dependencies (about 2 minutes) ..."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --progress-bar on -e '.[dev]' -e clients/python
	@echo "lmi: installed; the command is $(BIN)/lmi"
	touch $@

install: $(BIN)/.installed

serve: install          ## install, build a first release if needed, and serve on :8000
	$(BIN)/lmi serve

lint: install
	$(BIN)/ruff check src tests bench clients
	$(BIN)/ruff format --check src tests bench clients
	$(BIN)/lint-imports         # layer and no-cycle contracts (pyproject [tool.importlinter])

typecheck: install
	$(BIN)/mypy

# both passes spread the tests over every core (pytest-xdist; an idle worker steals queued
# tests); the PostgreSQL pass runs the tests whose store LMI_TEST_STORE chooses (the rest ran
# unchanged in the SQLite pass)
unit: install
	$(BIN)/pytest -n auto --dist worksteal
	LMI_TEST_STORE=postgresql $(BIN)/pytest -q -p no:cacheprovider -n auto --dist worksteal

test: lint typecheck unit   ## what CI runs (.ci/run)

# LMI_SOURCE_DIR names no folder, so tests that use the official files when present (the
# schema fuzzer) take their fixture data instead of building the real release
quick: install          ## the inner loop: SQLite only, no official files, no browser, nothing slow
	LMI_SOURCE_DIR=/nonexistent/official-files $(BIN)/pytest -q -x -n auto --dist worksteal \
	    -m "not realdata and not browser and not slow and not postgres"

bench: install          ## throughput and latency against a raw-ASGI baseline
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
