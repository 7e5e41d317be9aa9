# NHS GP appointments warehouse. `make run` builds it, `make test` runs everything CI runs.
# Only python3 is needed beforehand: the first target creates .venv from the pinned requirements.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

RAW_DIR ?= data/sample
WAREHOUSE ?= warehouse/nhs.duckdb
BUILD_ARGS ?=
REAL_DATA_DIR ?= ../shared/data/nhs

export DBT_PROFILES_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: help setup sample run test lint pytest dbt-sample dbt-real answers bench docs report clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(INSTALLED): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

setup: $(INSTALLED)  ## Create .venv with the pinned dependencies

run: $(INSTALLED)  ## Build the warehouse (RAW_DIR=folder of raw files, WAREHOUSE=path of the DuckDB file, BUILD_ARGS=--force)
	$(PY) -m scripts.build --raw-dir $(RAW_DIR) --warehouse $(WAREHOUSE) $(BUILD_ARGS)

lint: $(INSTALLED)  ## ruff and sqlfluff
	$(VENV)/bin/ruff check scripts tests
	$(VENV)/bin/ruff format --check scripts tests
	$(VENV)/bin/sqlfluff lint models macros tests analyses

dbt-sample: $(INSTALLED)  ## dbt build with every test on the embedded synthetic sample
	$(PY) -m scripts.build --raw-dir data/sample --warehouse warehouse/ci/sample.duckdb

dbt-real: $(INSTALLED)  ## dbt build on the real files in REAL_DATA_DIR plus a full-size synthetic workbook
	$(PY) -m scripts.build_real --real-dir $(REAL_DATA_DIR) --warehouse warehouse/ci/real.duckdb

pytest: $(INSTALLED)  ## The Python test suite
	$(PY) -m pytest

test: lint dbt-sample dbt-real pytest  ## Everything CI runs

answers: $(INSTALLED)  ## Print the answer to each NHS question from the built warehouse
	$(PY) -m scripts.answers --warehouse $(WAREHOUSE)

bench: $(INSTALLED)  ## Benchmark full-size builds against the notebook way; writes docs/benchmarks.md
	$(PY) -m scripts.bench --real-dir $(REAL_DATA_DIR)

docs: $(INSTALLED)  ## Generate the dbt docs site into target/ (serve it with DOCS_SERVE=1)
	$(PY) -m scripts.docs --warehouse $(WAREHOUSE)

report: $(INSTALLED)  ## Render the self-contained HTML report from the built warehouse
	$(PY) -m scripts.report --warehouse $(WAREHOUSE)

sample: $(INSTALLED)  ## Regenerate the embedded SYNTHETIC sample in data/sample (seed 42)
	$(PY) -m scripts.make_sample_data --out data/sample --scale sample --seed 42

clean:  ## Remove built warehouses, landed files and dbt artefacts (keeps .venv)
	rm -rf warehouse target logs
