"""The `nhs` command, and the one argument parser every step's command line is built from.

`nhs <command> [options]` runs one step of the warehouse (`nhs --help` lists them); each step
also runs as `python -m <its module>`. A step's help is its module docstring.
"""

from __future__ import annotations

import argparse
import atexit
import importlib
import logging
import os
import sys
from pathlib import Path

from scripts.paths import DEFAULT_WAREHOUSE

# Command name -> (module whose main(argv) runs it, one line for `nhs --help`), in the order of
# the architecture: raw files -> loader -> landing -> dbt -> publish -> consumers.
COMMANDS = {
    "sample": ("scripts.synthetic.generate", "write SYNTHETIC raw files in the published layouts"),
    "load": ("scripts.loader.load", "check the raw files and land them as CSV for dbt"),
    "build": ("scripts.build.pipeline", "load, dbt build and publish the DuckDB warehouse"),
    "build-real": ("scripts.build.real_data", "build from the real NHS files (+ synthetic xlsx)"),
    "spark": ("scripts.build.spark", "load, then dbt build on Apache Spark (Parquet tables)"),
    "summary": ("scripts.build.summary", "list a built warehouse's relations and row counts"),
    "answers": ("scripts.consumers.answers", "print the answer to each NHS question"),
    "spark-answers": ("scripts.consumers.spark_answers", "the same answers, computed by Spark"),
    "report": ("scripts.report.write", "render the self-contained HTML report"),
    "docs": ("scripts.consumers.dbt_docs", "generate the dbt docs site"),
    "metrics": ("scripts.consumers.metrics", "query the semantic layer's metrics with mf"),
    "bench": ("scripts.bench.benchmark", "benchmark full-size builds; write docs/benchmarks.md"),
    "spark-bench": ("scripts.bench.spark", "time Spark beside DuckDB; its docs/benchmarks.md part"),
}

# The name the running step was invoked by, for its usage line ("nhs build" under `nhs`).
_invoked_as: str | None = None


def command_parser(
    module: str,
    doc: str | None,
    *,
    warehouse_help: str | None = None,
    warehouse_default: Path = DEFAULT_WAREHOUSE,
) -> argparse.ArgumentParser:
    """The parser of one step, whose help is its module's docstring: the first paragraph as the
    description, the usage examples (the second paragraph) left to argparse's usage line, and
    the rest, as written, after the options. With warehouse_help, the step takes --warehouse
    (default: warehouse_default, the published warehouse unless given)."""
    paragraphs = (doc or "").split("\n\n", 2)
    parser = argparse.ArgumentParser(
        prog=_invoked_as or f"python -m {module}",
        description=paragraphs[0],
        epilog=paragraphs[2] if len(paragraphs) > 2 else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    if warehouse_help is not None:
        parser.add_argument(
            "--warehouse", type=Path, default=warehouse_default, help=warehouse_help
        )
    return parser


def main(argv: list[str] | None = None) -> int:
    global _invoked_as
    parser = argparse.ArgumentParser(
        prog="nhs",
        description="Build and query the NHS England GP appointments warehouse.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="commands:\n"
        + "\n".join(f"  {name:<13} {line}" for name, (_, line) in COMMANDS.items())
        + "\n\n`nhs COMMAND --help` describes a command's options.",
    )
    parser.add_argument("command", choices=COMMANDS, metavar="COMMAND")
    parser.add_argument("arguments", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    module, _ = COMMANDS[args.command]
    _invoked_as = f"nhs {args.command}"
    return importlib.import_module(module).main(args.arguments)


def exit_now(code: int) -> None:
    """End the process without the interpreter's teardown once dbt has been imported.

    Freeing dbt's parsed project object by object at exit takes most of a second after the
    build is done. The exit handlers still run and the logs and output are flushed first; the
    warehouse is closed and published by then.
    """
    if "dbt" not in sys.modules:
        raise SystemExit(code)
    atexit._run_exitfuncs()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def run() -> None:
    """The `nhs` console command: main(), then exit_now."""
    exit_now(main())


if __name__ == "__main__":
    run()
