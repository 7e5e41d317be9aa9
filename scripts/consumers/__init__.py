"""Consumers of the published warehouse, through the dbt graph: the answers to the NHS questions
(compiled analyses, on DuckDB: answers; on the Spark build: spark_answers), the semantic layer's
metrics queried with MetricFlow (metrics), and the dbt docs site (dbt_docs)."""
