# The two commands of the README: `make run` and `make test`. Both install what is missing first.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HAYSTACK_TELEMETRY_ENABLED := False
export DO_NOT_TRACK := 1
export UNSTRUCTURED_DISABLE_NOTICE := 1
export TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS :=

.PHONY: install run ingest serve test lint typecheck check bench clean

install:
	@bash scripts/setup.sh

ingest: install
	$(BIN)/ventanilla ingest --all

serve: install
	$(BIN)/ventanilla serve

run: install ingest serve

# lint and types first (seconds), then the suite
test: install lint typecheck
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check platform tests bench
	$(BIN)/ruff format --check platform tests bench

typecheck: install
	$(BIN)/mypy

check: test

bench: install
	bash bench/run.sh

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
