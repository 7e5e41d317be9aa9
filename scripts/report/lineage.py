"""What each chart is drawn from, read from the dbt graph of the build (its manifest.json): the
models its analysis selects from, and the raw sources upstream of them, so a chart drawn from a
synthetic source says so without anyone keeping a list of which mart comes from which file. A
model marked meta.data_lineage: span_only (the calendar) passes on none of its sources."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scripts.paths import dbt_target_dir_for

# A model's meta.data_lineage when it reads the raw data only for a span (the calendar reads
# every source's months for its first and last year): what it passes on is not drawn from them.
SPAN_ONLY = "span_only"


class GraphOutOfDate(LookupError):
    """The build left no dbt graph beside the warehouse, or one without an analysis the report
    draws: the warehouse needs rebuilding."""


@dataclass(frozen=True)
class Lineage:
    """The models an analysis reads (by name) and the raw sources (dbt source tables) behind."""

    reads: list[str]
    raw_sources: list[str]


class Graph:
    """The dbt graph of one warehouse's build."""

    def __init__(self, warehouse: Path) -> None:
        path = dbt_target_dir_for(warehouse) / "manifest.json"
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise GraphOutOfDate(
                f"{path} is missing: {warehouse} has no dbt graph beside it; rebuild it "
                "(make run, or nhs build --force)"
            ) from None
        self.nodes: dict[str, Any] = {**manifest["nodes"], **manifest["sources"]}

    def analysis(self, path: str) -> Lineage:
        """The lineage of the analysis at analyses/<path>.sql."""
        wanted = f"analyses/{path}.sql"
        node = next(
            (
                node
                for node in self.nodes.values()
                if node["resource_type"] == "analysis" and node["original_file_path"] == wanted
            ),
            None,
        )
        if node is None:
            raise GraphOutOfDate(f"the dbt graph has no analysis {wanted}; rebuild the warehouse")
        parents = node["depends_on"]["nodes"]
        return Lineage(
            reads=[self.nodes[parent]["name"] for parent in parents],
            raw_sources=sorted(self.upstream_sources(parents)),
        )

    def upstream_sources(self, unique_ids: list[str]) -> set[str]:
        found: set[str] = set()
        seen: set[str] = set()
        pending = list(unique_ids)
        while pending:
            unique_id = pending.pop()
            if unique_id in seen or unique_id not in self.nodes:
                continue
            seen.add(unique_id)
            node = self.nodes[unique_id]
            if node["resource_type"] == "source":
                found.add(node["name"])
            elif node.get("config", {}).get("meta", {}).get("data_lineage") != SPAN_ONLY:
                pending.extend(node.get("depends_on", {}).get("nodes", []))
        return found
