"""The benchmark: full-size builds against the notebook way, written to docs/benchmarks.md
(benchmark is the entry point)."""
