"""The HTML report, opened from its file in a real headless Chromium (Selenium + chromedriver).

The report is rendered once for the module, from the sample warehouse built for the session. The
browser must load the page with no console errors and without fetching anything; every chart
must render to a non-blank screenshot and carry a title, axis labels and a reading; and the
numbers in the page (the data attributes of the drawn marks and the cells of each chart's table)
must equal values the test computes itself from the warehouse, mostly from the fact tables
rather than the marts the report reads, so a wrong aggregation in either shows up.
"""

from __future__ import annotations

import datetime as dt
import shutil
import struct
import subprocess
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import assert_succeeded, run_script

from scripts.paths import REPO_ROOT

pytestmark = pytest.mark.slow

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
RELATIVE_TOLERANCE = 1e-9

# Every mark and table cell of the page: chart, series, category and exact value.
PAGE_VALUES_JS = """
return [...document.querySelectorAll('figure.chart')].flatMap(figure =>
  [...figure.querySelectorAll('[data-value][data-series]')].map(element => ({
    chart: figure.dataset.chart,
    where: element.tagName.toLowerCase() === 'td' ? 'table' : 'svg',
    series: element.dataset.series,
    x: element.dataset.x,
    value: Number(element.dataset.value),
  })));
"""

Values = dict[tuple[str, str], float]


def render_report(warehouse: Path) -> Path:
    """Render the report of warehouse where it goes by default, next to the warehouse."""
    rendered = assert_succeeded(run_script("scripts.report.write", "--warehouse", warehouse))
    report = warehouse.parent / "report.html"
    assert f"Report written to {report}" in rendered.stdout
    return report


@pytest.fixture(scope="module")
def built(sample_warehouse: Path) -> tuple[Path, Path]:
    return sample_warehouse, render_report(sample_warehouse)


@pytest.fixture(scope="module")
def warehouse(built: tuple[Path, Path]) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect(str(built[0]), read_only=True) as connection:
        yield connection


@pytest.fixture(scope="module")
def browser(built: tuple[Path, Path]) -> Iterator[Any]:
    """Headless Chromium with the report open; installed by scripts/report/ensure_chromium.sh."""
    installed = subprocess.run(["bash", str(ENSURE_CHROMIUM)], capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # An explicit driver path, so Selenium never tries to download one.
    service = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver")
    driver = webdriver.Chrome(service=service, options=options)
    try:
        driver.get(built[1].as_uri())
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


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


def page_values(browser: Any) -> list[dict[str, Any]]:
    return browser.execute_script(PAGE_VALUES_JS)


def chart_values(browser: Any, chart: str, where: str = "svg") -> Values:
    return {
        (item["series"], item["x"]): item["value"]
        for item in page_values(browser)
        if item["chart"] == chart and item["where"] == where
    }


def assert_values_match(page: Values, expected: Values) -> None:
    assert set(page) == set(expected)
    for key, value in expected.items():
        assert page[key] == pytest.approx(value, rel=RELATIVE_TOLERANCE), key


def month(value: dt.date) -> str:
    return value.strftime("%b %Y")


def test_page_loads_without_console_errors_or_fetches(browser: Any) -> None:
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []
    assert browser.execute_script("return document.readyState") == "complete"
    # Self-contained: no scripts, stylesheets or images loaded from anywhere.
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert browser.execute_script("return document.querySelectorAll('script, [src]').length") == 0


def test_every_chart_has_title_axis_labels_and_reading(browser: Any) -> None:
    from selenium.webdriver.common.by import By

    figures = browser.find_elements(By.CSS_SELECTOR, "figure.chart")
    assert {figure.get_attribute("data-chart") for figure in figures} == EXPECTED_CHARTS
    for figure in figures:
        name = figure.get_attribute("data-chart")
        assert figure.find_element(By.CSS_SELECTOR, ".chart-title").text.strip(), name
        assert len(figure.find_element(By.CSS_SELECTOR, ".reading").text.strip()) > 20, name
        for axis in (".x-label", ".y-label"):
            assert figure.find_element(By.CSS_SELECTOR, f"svg {axis}").text.strip(), name


def test_every_chart_renders_a_non_blank_image(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    for figure in browser.find_elements(By.CSS_SELECTOR, "figure.chart"):
        name = figure.get_attribute("data-chart")
        svg = figure.find_element(By.CSS_SELECTOR, "svg")
        browser.execute_script("arguments[0].scrollIntoView()", svg)
        png = svg.screenshot_as_png
        (tmp_path / f"{name}.png").write_bytes(png)
        width, height, pixels = png_pixels(png)
        assert width > 300 and height > 150, name
        inked = sum(1 for pixel in pixels if pixel != (255, 255, 255))
        assert inked / len(pixels) > 0.02, f"{name} looks blank"
        assert len(set(pixels)) > 10, f"{name} has almost no colours"
        # Every mark has a size on screen: nothing drawn with zero width or height.
        sizes = browser.execute_script(
            "return [...arguments[0].querySelectorAll('.mark')].map(m => m.getBBox())"
            ".map(b => Math.max(b.width, b.height))",
            svg,
        )
        assert sizes and all(size > 0 for size in sizes), name


def test_every_drawn_value_is_in_the_chart_table(browser: Any) -> None:
    for chart in EXPECTED_CHARTS:
        drawn = chart_values(browser, chart, "svg")
        assert drawn, chart
        assert chart_values(browser, chart, "table") == drawn, chart


def test_synthetic_banner_names_the_synthetic_sources(
    browser: Any, warehouse: duckdb.DuckDBPyConnection
) -> None:
    from selenium.webdriver.common.by import By

    synthetic = {
        name
        for (name,) in warehouse.execute(
            "select distinct source_name from marts.data_provenance where is_synthetic"
        ).fetchall()
    }
    assert synthetic, "the embedded sample is synthetic"
    banner = browser.find_element(By.ID, "synthetic-banner")
    assert banner.is_displayed()
    assert "SYNTHETIC DATA" in banner.text
    assert set(banner.get_attribute("data-synthetic-sources").split(",")) == synthetic
    # Each chart drawn from a synthetic source is marked as such, and only those.
    for figure in browser.find_elements(By.CSS_SELECTOR, "figure.chart"):
        is_synthetic = figure.get_attribute("data-raw-source") in synthetic
        assert figure.get_attribute("data-synthetic") == str(is_synthetic).lower()
        tags = figure.find_elements(By.CSS_SELECTOR, ".synthetic-tag")
        assert len(tags) == int(is_synthetic)
    rows = browser.find_elements(By.CSS_SELECTOR, "table.provenance tbody tr")
    (files,) = warehouse.execute("select count(*) from marts.data_provenance").fetchone()
    assert len(rows) == files


def test_utilisation_matches_the_mart_and_its_reading_names_the_peak(
    browser: Any, warehouse: duckdb.DuckDBPyConnection
) -> None:
    from selenium.webdriver.common.by import By

    rows = warehouse.execute(
        """
        select appointment_month, utilisation_working_day, utilisation_calendar_day
        from marts.utilisation_monthly
        """
    ).fetchall()
    expected = {}
    for appointment_month, working, calendar in rows:
        expected["Per working day", month(appointment_month)] = working
        expected["Per calendar day", month(appointment_month)] = calendar
    assert_values_match(chart_values(browser, "utilisation"), expected)

    peak_month, peak = max(rows, key=lambda row: (row[1], -row[0].toordinal()))[:2]
    reading = browser.find_element(By.CSS_SELECTOR, "#chart-utilisation .reading").text
    assert f"peaked at {peak * 100:.1f}% in {month(peak_month)}" in reading


def test_dna_rate_by_mode_matches_the_appointment_facts(
    browser: Any, warehouse: duckdb.DuckDBPyConnection
) -> None:
    rows = warehouse.execute(
        """
        select appointment_month, appointment_mode,
            sum(count_of_appointments) filter (where appointment_status = 'DNA')
                / sum(count_of_appointments)
        from marts.fct_appointments_monthly
        group by all
        """
    ).fetchall()
    expected = {(mode, month(when)): rate or 0.0 for when, mode, rate in rows}
    assert_values_match(chart_values(browser, "dna-by-mode"), expected)


def test_appointments_by_hcp_type_match_the_appointment_facts(
    browser: Any, warehouse: duckdb.DuckDBPyConnection
) -> None:
    rows = warehouse.execute(
        """
        select appointment_month, hcp_type, sum(count_of_appointments)
        from marts.fct_appointments_monthly
        group by all
        """
    ).fetchall()
    expected = {(hcp_type, month(when)): float(total) for when, hcp_type, total in rows}
    assert_values_match(chart_values(browser, "hcp-types"), expected)


def test_duration_shares_match_the_duration_facts(
    browser: Any, warehouse: duckdb.DuckDBPyConnection
) -> None:
    rows = warehouse.execute(
        """
        select duration_band,
            sum(count_of_appointments) / sum(sum(count_of_appointments)) over ()
        from marts.fct_appointment_duration_daily
        where duration_band not like 'Unknown%'
        group by duration_band
        """
    ).fetchall()
    expected = {("Share of appointments", band): share for band, share in rows}
    assert_values_match(chart_values(browser, "duration"), expected)


def test_service_setting_mix_matches_the_national_category_facts(
    browser: Any, warehouse: duckdb.DuckDBPyConnection
) -> None:
    rows = warehouse.execute(
        """
        select appointment_month, service_setting,
            sum(count_of_appointments)
                / sum(sum(count_of_appointments)) over (partition by appointment_month)
        from marts.fct_national_category_daily
        group by appointment_month, service_setting
        """
    ).fetchall()
    expected = {(setting, month(when)): share for when, setting, share in rows}
    assert_values_match(chart_values(browser, "setting-by-month"), expected)


def test_top_hashtags_match_the_hashtag_mart(
    browser: Any, warehouse: duckdb.DuckDBPyConnection
) -> None:
    rows = warehouse.execute(
        "select hashtag, tweets from marts.tweet_hashtags order by tweets desc, hashtag limit 15"
    ).fetchall()
    expected = {("Tweets", f"#{hashtag}"): float(tweets) for hashtag, tweets in rows}
    assert_values_match(chart_values(browser, "hashtags"), expected)
