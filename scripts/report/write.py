"""Render the self-contained HTML report from the marts of a built warehouse.

The page has inline SVG charts (drawn here, in Python) and inline CSS, and no scripts: it opens
from the file, with no server and no network. Each chart has a title, axis labels and a one-line
reading computed from the data. A banner says when any source was synthetic
(marts.data_provenance). The warehouse is opened read-only, so the report can be rendered while
BI tools read the file or a rebuild runs; when no warehouse exists yet it is built first from the
embedded SYNTHETIC sample.
"""

from __future__ import annotations

import sys
from pathlib import Path

from scripts.build.pipeline import ensure_warehouse
from scripts.cli import command_parser
from scripts.report import data as report_data
from scripts.report import html as report_html

REPORT_NAME = "report.html"


def default_output(warehouse: Path) -> Path:
    """The report sits next to the warehouse it describes."""
    return warehouse.parent / REPORT_NAME


def write_report(warehouse: Path, output: Path) -> Path:
    html = report_html.render(report_data.load(warehouse))
    output.parent.mkdir(parents=True, exist_ok=True)
    # Written beside and renamed, so a browser never opens a half-written page.
    partial = output.with_name(output.name + ".partial")
    partial.write_text(html, encoding="utf-8")
    partial.replace(output)
    return output


def main(argv: list[str] | None = None) -> int:
    parser = command_parser(
        "scripts.report.write",
        __doc__,
        warehouse_help="DuckDB file to report on (default: %(default)s)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        help=f"HTML file to write (default: {REPORT_NAME} next to the warehouse)",
    )
    args = parser.parse_args(argv)
    warehouse = args.warehouse.resolve()
    if not ensure_warehouse(warehouse):
        print(f"REPORT FAILED: could not build {warehouse}.", file=sys.stderr)
        return 1
    output = write_report(warehouse, (args.output or default_output(warehouse)).resolve())
    print(f"Report written to {output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
