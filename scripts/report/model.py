"""What the report holds: sections of charts, each with its reading, and the sources behind them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from scripts.report.lineage import Lineage
from scripts.report.specs import Spec


@dataclass
class Chart:
    """One figure of the report: its Vega-Lite spec, what it shows in one line, and the
    analysis (scripts/report/queries.py) its data comes from."""

    chart_id: str
    title: str
    reading: str
    spec: Spec
    analysis: str
    # What the analysis reads, from the dbt graph; set when the report is loaded.
    lineage: Lineage = field(default_factory=lambda: Lineage([], []))


@dataclass
class Section:
    title: str
    charts: list[Chart]
    # What the section would show but this build has no data for.
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SourceFile:
    source_name: str
    source_file: str
    sha256: str
    size_bytes: int
    is_synthetic: bool


@dataclass
class Report:
    warehouse: Path
    built_at: dt.datetime
    sources: list[SourceFile]
    sections: list[Section] = field(default_factory=list)

    @property
    def synthetic_sources(self) -> list[str]:
        return sorted({source.source_name for source in self.sources if source.is_synthetic})

    def is_synthetic(self, chart: Chart) -> bool:
        """Whether any raw source behind the chart was synthetic in this build."""
        return any(source in self.synthetic_sources for source in chart.lineage.raw_sources)

    @property
    def all_synthetic(self) -> bool:
        return bool(self.sources) and all(source.is_synthetic for source in self.sources)
