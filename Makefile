# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
# The seed is a 2023 plan: the demo simulates its first half, then serves live. `make run LIVE=1` skips the
# simulation.
UNTIL ?= 2023-06-30
LIVE ?=
PLAN ?= plans/tra-cu-2023.yaml
export DUTYFLOW_TEST_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: run test install lint clean browser

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/dutyflow plan validate $(PLAN)
	$(BIN)/dutyflow demo $(PLAN) --until $(UNTIL) $(if $(LIVE),--live,)
	COLUMNS=$${COLUMNS:-160} $(BIN)/dutyflow duty summary --as-of $(UNTIL)
	$(BIN)/dutyflow serve

test: install lint browser
	$(BIN)/python -m pytest

browser:
	bash scripts/ensure_test_tools.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy .

clean:
	rm -rf $(VENV) dutyflow.db dutyflow.db-wal dutyflow.db-shm .pytest_cache .mypy_cache .ruff_cache
