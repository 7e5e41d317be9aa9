"""Open the HTML report from its file in a real headless Chromium (Selenium + chromedriver,
installed by scripts/report/ensure_chromium.sh), read what its charts draw, work their controls
as a reader would, and compare what they draw with values computed from the warehouse."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import shutil
import struct
import subprocess
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import assert_succeeded, run_script

from scripts.paths import REPO_ROOT

ENSURE_CHROMIUM = REPO_ROOT / "scripts" / "report" / "ensure_chromium.sh"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1000",
)
EXPECTED_CHARTS = {
    "utilisation",
    "regions-per-working-day",
    "icbs-per-working-day",
    "dna-by-mode",
    "dna-by-lead-time",
    "duration",
    "category-by-month",
    "category-by-season",
    "setting-by-month",
    "setting-by-season",
    "hcp-types",
    "hashtags",
}
WAIT_SECONDS = 30
RELATIVE_TOLERANCE = 1e-9

Values = dict[tuple[Any, ...], float]

# The data of every mark a chart's Vega view has drawn (its scenegraph), as plain rows: dates
# as ISO days, with the mark type and the item's opacity. Axes and legends are left out.
DRAWN_JS = """
const view = window.reportViews[arguments[0]];
const drawn = new Map();
const plain = (datum, marktype, opacity) => {
  const row = {_mark: marktype, _opacity: opacity};
  for (const [key, value] of Object.entries(datum)) {
    if (value instanceof Date) row[key] = value.toISOString().slice(0, 10);
    else if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
      row[key] = value;
    }
  }
  return row;
};
const visit = (mark) => {
  for (const item of mark.items || []) {
    if (mark.role === 'mark' && mark.marktype !== 'group' && item.datum) {
      const row = plain(item.datum, mark.marktype, item.opacity ?? 1);
      drawn.set(JSON.stringify(row), row);
    }
    for (const child of item.items || []) visit(child);
  }
};
visit(view.scenegraph().root);
return [...drawn.values()];
"""
# The rows of the named dataset a chart's view was given (its spec's "datasets").
DATASET_JS = """
const rows = window.reportViews[arguments[0]].data(arguments[1]);
return JSON.parse(JSON.stringify(rows, (key, value) =>
  typeof value === 'string' && /^\\d{4}-\\d\\d-\\d\\dT/.test(value) ? value.slice(0, 10) : value));
"""


def render_report(warehouse: Path) -> Path:
    """Render the report of warehouse where it goes by default, next to the warehouse."""
    rendered = assert_succeeded(run_script("scripts.report.write", "--warehouse", warehouse))
    report = warehouse.parent / "report.html"
    assert f"Report written to {report}" in rendered.stdout
    return report


def wait_for(condition: Callable[[], Any], what: str) -> Any:
    """condition's first truthy value, polled until WAIT_SECONDS have passed."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.1)


@contextlib.contextmanager
def open_report(report: Path) -> Iterator[Any]:
    """Headless Chromium with the report open and every chart's view ready (or failed)."""
    installed = subprocess.run(["bash", str(ENSURE_CHROMIUM)], capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    # The console, and every request the page makes (the DevTools network events).
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    # An explicit driver path, so Selenium never tries to download one.
    service = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver")
    driver = webdriver.Chrome(service=service, options=options)
    try:
        driver.get(report.as_uri())
        wait_for(
            lambda: driver.execute_script(
                "return Object.keys(window.reportViews || {}).length"
                " + document.querySelectorAll('.chart-error').length"
                " >= document.querySelectorAll('figure.chart').length"
            ),
            "every chart to be drawn",
        )
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def requested_urls(browser: Any) -> list[str]:
    """Every URL requested so far, from the DevTools network events, less Chromium's own
    chrome:// pages (the blank tab it starts with), which it serves from inside itself, and
    data: URLs, whose content is in the URL itself (Vega-Embed makes one)."""
    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return [url for url in urls if not url.startswith(("chrome://", "data:"))]


def drawn(browser: Any, chart: str) -> list[dict[str, Any]]:
    return browser.execute_script(DRAWN_JS, chart)


def dataset(browser: Any, chart: str) -> list[dict[str, Any]]:
    """The rows of a chart's dataset, as its view holds them (each chart's is named after it)."""
    return browser.execute_script(DATASET_JS, chart, chart)


def choose_area(browser: Any, chart: str, area: str) -> None:
    """Pick an area in a chart's selector, as a reader would, and wait for it to be drawn."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.select import Select

    selector = browser.find_element(By.CSS_SELECTOR, f"#chart-{chart} .vega-bindings select")
    Select(selector).select_by_visible_text(area)
    wait_for(
        lambda: (
            browser.execute_script("return window.reportViews[arguments[0]].signal('area')", chart)
            == area
        ),
        f"{chart} to show {area}",
    )
    browser.execute_async_script(
        "window.reportViews[arguments[0]].runAsync().then(() => arguments[1]())", chart
    )


def png_pixels(png: bytes) -> tuple[int, int, list[tuple[int, ...]]]:
    """Decode an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium writes) into pixels."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat = 8, b""
    width = height = channels = 0
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind = png[position + 4 : position + 8]
        body = png[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    previous = bytearray(stride)
    pixels = []
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            up_left = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                estimate = left + up - up_left
                distances = (abs(estimate - left), abs(estimate - up), abs(estimate - up_left))
                nearest = (left, up, up_left)[distances.index(min(distances))]
                line[i] = (line[i] + nearest) & 0xFF
        pixels += [tuple(line[i : i + 3]) for i in range(0, stride, channels)]
        previous = line
    return width, height, pixels


def plain_key(name: str, value: Any) -> Any:
    """A month as the ISO day the dataset gives it, also where Vega holds it as epoch ms."""
    if name == "appointment_month" and isinstance(value, int | float):
        return dt.datetime.fromtimestamp(value / 1000, dt.UTC).date().isoformat()
    return value


def keyed(rows: Iterable[dict[str, Any]], keys: Sequence[str], value: str) -> Values:
    """value by keys, from the rows that carry a value (a line and its points draw the same row;
    a reference rule or label carries none; a null is a gap in the line, nothing drawn)."""
    return {
        tuple(plain_key(key, row[key]) for key in keys): row[value]
        for row in rows
        if row.get(value) is not None
    }


def expected(rows: Iterable[tuple[Any, ...]]) -> Values:
    """(key..., value) rows from DuckDB as Values; dates as the ISO days the page holds."""

    def plain(key: Any) -> Any:
        return key.isoformat() if isinstance(key, dt.date) else key

    return {tuple(plain(key) for key in row[:-1]): float(row[-1]) for row in rows}


def assert_values_match(page: Values, wanted: Values) -> None:
    assert set(page) == set(wanted)
    for key, value in wanted.items():
        assert page[key] == pytest.approx(value, rel=RELATIVE_TOLERANCE), key


def areas(warehouse: duckdb.DuckDBPyConnection) -> list[str]:
    """The NHS regions with appointments, by name."""
    rows = warehouse.execute(
        """
        select distinct region_name
        from marts.fct_appointments_monthly
        inner join (select distinct region_ons_code, region_name from marts.dim_location)
            using (region_ons_code)
        order by region_name
        """
    ).fetchall()
    return [name for (name,) in rows]


def selector_options(browser: Any, chart: str) -> list[str]:
    from selenium.webdriver.common.by import By

    selector = browser.find_element(By.CSS_SELECTOR, f"#chart-{chart} .vega-bindings select")
    return [option.text for option in selector.find_elements(By.TAG_NAME, "option")]
