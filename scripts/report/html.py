"""Render the report as one self-contained HTML page: inline CSS, the charts' Vega-Lite specs as
inline JSON, and the Vega, Vega-Lite and Vega-Embed JavaScript inline (vl-convert-python ships
them bundled), so the page opens from its file with nothing fetched from a network."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import altair as alt
import jinja2
import vl_convert

from scripts.report.model import Report
from scripts.report.queries import analysis_path
from scripts.report.specs import Spec

TEMPLATES = Path(__file__).resolve().parent / "templates"
TITLE = "GP appointments in England: capacity, missed appointments and demand"


def vega_lite_version() -> str:
    """The Vega-Lite minor version Altair writes specs for ('6.4' from 'v6.4.1'), which the
    bundled JavaScript must compile."""
    version = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    bundled = vl_convert.get_vegalite_versions()
    if version not in bundled:
        raise RuntimeError(
            f"altair writes Vega-Lite {version} but vl-convert-python bundles only "
            f"{', '.join(bundled)}: pin versions of the two that agree in requirements.in."
        )
    return version


def javascript() -> str:
    """Vega, Vega-Lite and Vega-Embed as one script that defines window.vegaEmbed."""
    return vl_convert.javascript_bundle(vl_version=vega_lite_version())


def inline_json(spec: Spec) -> str:
    """A spec as JSON safe inside a <script> element: no '</' can close it early."""
    # allow_nan=False: NaN is not JSON, and one would stop the page drawing the chart.
    return json.dumps(spec, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")


# The page's synthetic amber (#c98a00), darkened to read as text on white.
SYNTHETIC_COLOUR = "#8a5d00"


def labelled_spec(spec: Spec, synthetic_sources: str) -> Spec:
    """The spec, titled SYNTHETIC DATA when its data is synthetic: a chart saved as SVG or PNG
    from the page's export menu leaves the page's own label behind, so it carries one inside."""
    if not synthetic_sources:
        return spec
    label = {
        "text": "SYNTHETIC DATA",
        "subtitle": f"generated ({synthetic_sources}), not NHS figures",
        "anchor": "start",
        "orient": "bottom",
        "color": SYNTHETIC_COLOUR,
        "subtitleColor": SYNTHETIC_COLOUR,
    }
    return {**spec, "title": label}


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
        inline_json=inline_json,
        labelled_spec=labelled_spec,
        analysis_path=analysis_path,
        vega_javascript=javascript(),
        vega_lite_version=vega_lite_version(),
    )
