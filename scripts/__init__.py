"""The Python around the dbt project, one subpackage per step of the warehouse:

raw files -> `loader` (check, convert, land as CSV) -> landing folder -> `build` (dbt build into a
new DuckDB file, then publish it atomically) -> published warehouse -> `consumers` (answers,
dbt docs) and `report`. `synthetic` writes the SYNTHETIC raw files; `bench` measures builds.
`cli` is the `nhs` command; `paths` and `code_fingerprint` are shared by the steps.
docs/architecture.md draws the flow.
"""
