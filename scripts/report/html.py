"""Render the report's data as one self-contained HTML page (inline CSS and SVG, no scripts)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import jinja2

from scripts.report.data import Report
from scripts.report.svg import value_attr

TEMPLATES = Path(__file__).resolve().parent / "templates"
TITLE = "GP appointments in England: capacity, missed appointments and demand"


def render(report: Report, rendered_at: dt.datetime | None = None) -> str:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    template = environment.get_template("report.html.j2")
    return template.render(
        title=TITLE,
        report=report,
        rendered_at=rendered_at or dt.datetime.now(),
        value_attr=value_attr,
    )
