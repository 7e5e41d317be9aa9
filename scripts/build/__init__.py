"""Step 2, landing -> published warehouse: run the loader (scripts.loader.load, in process), dbt
build into a new DuckDB file (dbt_runner), record provenance, and publish the file atomically
(publish) only when every model and test passed; skip all of it when nothing changed
(up_to_date). pipeline is the entry point; spark builds the same project on Apache Spark, and
real_data builds from the real NHS files."""
