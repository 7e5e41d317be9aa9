"""Step 1, raw files -> landing: check every raw file against its spec (raw_specs), convert the
workbook, and land one clean CSV per source for dbt, or refuse with file, line and column named
(load is the entry point; landing_swap publishes the landing folder only when all is well)."""
