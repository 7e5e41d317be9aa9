"""Render the self-contained HTML report from the marts of a built warehouse.

The charts are Vega-Lite specifications (written with Altair) drawn in the page by Vega-Embed,
whose JavaScript is inlined with the charts' data: the page opens from the file, with no server
and no network. Each chart has tooltips with exact values, a legend that picks out series, a
region selector where it is drawn by area, and a one-line reading computed from the data. A
banner says when any source was synthetic (marts.data_provenance). The warehouse is opened
read-only, so the report can be rendered while BI tools read the file or a rebuild runs; when
no warehouse exists yet it is built first from the embedded SYNTHETIC sample.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import duckdb

from scripts.build.pipeline import ensure_warehouse
from scripts.cli import command_parser
from scripts.report import appointment_charts as appointments
from scripts.report import html as report_html
from scripts.report import mix_charts as mixes
from scripts.report import queries
from scripts.report.lineage import Graph, GraphOutOfDate, Lineage
from scripts.report.model import Report, Section, SourceFile
from scripts.warehouse_sql import CompiledSqlMissing

REPORT_NAME = "report.html"


def default_output(warehouse: Path) -> Path:
    """The report sits next to the warehouse it describes."""
    return warehouse.parent / REPORT_NAME


def area_section(analyses: queries.Analyses) -> Section:
    """National utilisation, then each area measure by region and by ICB where the build has
    its values, and a note for each it has not."""
    section = Section("Capacity and utilisation", [appointments.utilisation_chart(analyses)])
    for area in appointments.AREA_MEASURES:
        charts = [
            chart
            for chart in (
                appointments.region_chart(analyses, area),
                appointments.icb_chart(analyses, area),
            )
            if chart is not None
        ]
        section.charts += charts
        if not charts:
            section.notes.append(area.absent)
    return section


def load(warehouse: Path) -> Report:
    """Read everything the report shows from the warehouse, through one read-only connection."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        analyses = queries.Analyses(connection, warehouse)
        sources = [SourceFile(**row) for row in analyses.rows(queries.SOURCES)]
        report = Report(
            warehouse=warehouse,
            built_at=dt.datetime.fromtimestamp(warehouse.stat().st_mtime),
            sources=sources,
        )
        report.sections = [
            area_section(analyses),
            Section(
                "Missed appointments (DNA)",
                [
                    appointments.dna_by_mode_chart(analyses),
                    appointments.dna_by_lead_time_chart(analyses),
                ],
            ),
            Section("How long appointments take", [mixes.duration_chart(analyses)]),
            Section(
                "What appointments are for, and where",
                [
                    mixes.mix_chart(analyses, mix, grouping)
                    for mix in (mixes.CATEGORY_MIX, mixes.SETTING_MIX)
                    for grouping in (mixes.BY_MONTH, mixes.BY_SEASON)
                ],
            ),
            Section("Who sees patients", [appointments.hcp_chart(analyses)]),
            Section("What people tweet about", [mixes.hashtag_chart(analyses)]),
        ]
    graph = Graph(warehouse)
    # The graph knows every source the project can read; this build read those in provenance.
    read = {source.source_name for source in sources}
    for section in report.sections:
        for chart in section.charts:
            lineage = graph.analysis(queries.analysis_path(chart.analysis))
            chart.lineage = Lineage(
                lineage.reads, [name for name in lineage.raw_sources if name in read]
            )
    return report


def write_report(warehouse: Path, output: Path) -> Path:
    html = report_html.render(load(warehouse))
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
    try:
        output = write_report(warehouse, (args.output or default_output(warehouse)).resolve())
    except (CompiledSqlMissing, GraphOutOfDate) as error:
        print(f"REPORT FAILED: {error}", file=sys.stderr)
        return 1
    print(f"Report written to {output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
