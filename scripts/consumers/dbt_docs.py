"""Generate the dbt docs site (lineage, every model and column described) for a built warehouse.

dbt reads the column types for the catalog from a COPY of the published DuckDB file, so the
published file is never opened for writing or locked, and a rebuild may replace it meanwhile.
The site is written to target/ (index.html, manifest.json, catalog.json) and, unless --no-static,
also as the single self-contained file target/static_index.html, which opens without a server.
--serve then serves target/ on localhost (or set DOCS_SERVE=1: `make docs DOCS_SERVE=1`).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from scripts.build.dbt_runner import dbt_arguments
from scripts.build.pipeline import ensure_warehouse
from scripts.cli import command_parser
from scripts.paths import PROJECT_NAME, REPO_ROOT, TARGET_DIR, landing_dir_for

DOCUMENTED_RESOURCES = ("model", "seed", "snapshot")


class DocsFailed(RuntimeError):
    """dbt could not generate the docs."""


@dataclass(frozen=True)
class Undocumented:
    """A model, seed or source, or one of its columns, that has no description."""

    node: str
    column: str | None = None

    def __str__(self) -> str:
        return self.node if self.column is None else f"{self.node}.{self.column}"


def generate(warehouse: Path, static: bool) -> Path:
    """Run `dbt docs generate` against a private copy of warehouse; return the target folder."""
    from dbt.cli.main import dbtRunner

    with tempfile.TemporaryDirectory(prefix="docs-", dir=warehouse.parent) as scratch:
        # A copy, not the published file: dbt opens its database read-write and would lock
        # it against BI readers and against the next build's publish.
        snapshot = Path(scratch) / warehouse.name
        shutil.copyfile(warehouse, snapshot)
        os.environ["NHS_DUCKDB_PATH"] = str(snapshot)
        os.environ["NHS_LANDING_DIR"] = str(landing_dir_for(warehouse))
        arguments = ["docs", "generate", *dbt_arguments(REPO_ROOT, TARGET_DIR)]
        if static:
            arguments.append("--static")
        result = dbtRunner().invoke(arguments)
    if not result.success:
        raise DocsFailed(f"dbt docs generate failed: {result.exception or 'see above'}")
    return TARGET_DIR


def undocumented(target_dir: Path) -> list[Undocumented]:
    """Project models, seeds and sources, and their built columns, that lack a description.

    Columns come from the catalog (what the warehouse really holds), so a column added to a
    model's SQL but not to its YAML is caught too.
    """
    manifest = json.loads((target_dir / "manifest.json").read_text(encoding="utf-8"))
    catalog = json.loads((target_dir / "catalog.json").read_text(encoding="utf-8"))
    nodes = {
        unique_id: node
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] in DOCUMENTED_RESOURCES and node["package_name"] == PROJECT_NAME
    }
    nodes.update(
        (unique_id, source)
        for unique_id, source in manifest["sources"].items()
        if source["package_name"] == PROJECT_NAME
    )
    built = {**catalog.get("nodes", {}), **catalog.get("sources", {})}
    missing = []
    for unique_id, node in sorted(nodes.items()):
        name = unique_id.split(".", 2)[-1]
        if not node.get("description", "").strip():
            missing.append(Undocumented(name))
        described = {
            column_name.lower()
            for column_name, column in node.get("columns", {}).items()
            if column.get("description", "").strip()
        }
        for column_name in built.get(unique_id, {}).get("columns", {}):
            if column_name.lower() not in described:
                missing.append(Undocumented(name, column_name))
    return missing


def serve(directory: Path, port: int) -> None:
    """Serve directory on localhost until interrupted."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(directory))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        print(f"Serving the dbt docs at http://127.0.0.1:{port}/ (Ctrl-C to stop)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()


def main(argv: list[str] | None = None) -> int:
    parser = command_parser(
        "scripts.consumers.dbt_docs",
        __doc__,
        warehouse_help="published DuckDB file to describe; built from the sample if missing "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--static",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also write the whole site as one file, target/static_index.html, that opens "
        "without a server (default: on)",
    )
    parser.add_argument(
        "--serve",
        action="store_true",
        default=os.environ.get("DOCS_SERVE", "") not in ("", "0"),
        help="serve target/ on localhost after generating (default: on when DOCS_SERVE=1)",
    )
    parser.add_argument("--port", type=int, default=8080, help="port for --serve")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="fail when a model, seed, source or column has no description",
    )
    args = parser.parse_args(argv)
    warehouse = args.warehouse.resolve()
    try:
        if not ensure_warehouse(warehouse):
            raise DocsFailed(f"could not build {warehouse}")
        target_dir = generate(warehouse, args.static)
    except DocsFailed as failure:
        print(f"DOCS FAILED: {failure}", file=sys.stderr)
        return 1
    missing = undocumented(target_dir)
    if missing:
        print(
            f"{len(missing)} undocumented: " + ", ".join(str(item) for item in missing),
            file=sys.stderr,
        )
    else:
        print("Every model, seed, source and column is described.", file=sys.stderr)
    print(f"dbt docs written to {target_dir / 'index.html'} (serve it with --serve)")
    if args.static:
        print(f"Single-file docs site (opens from the file): {target_dir / 'static_index.html'}")
    if args.strict and missing:
        return 1
    if args.serve:
        serve(target_dir, args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
