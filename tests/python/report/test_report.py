"""The HTML report, opened from its file in a real headless Chromium.

The report is rendered once for the module, from the sample warehouse built for the session. The
browser must load the page with no console errors or warnings and without fetching anything;
every chart must be drawn by Vega (marks on a non-blank image) with a title, axis titles and a
reading; the legends, area selectors and tooltips must work when a reader uses them; and the
numbers the charts draw (the data of the marks in each Vega view) must equal values the test
computes itself from the warehouse, mostly from the fact tables rather than the marts the report
reads, so a wrong aggregation in either shows up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from report_browser import (
    EXPECTED_CHARTS,
    Values,
    areas,
    assert_values_match,
    choose_area,
    dataset,
    drawn,
    expected,
    keyed,
    open_report,
    png_pixels,
    render_report,
    requested_urls,
    selector_options,
    wait_for,
)

pytestmark = pytest.mark.slow

FADED = 0.12
# The one raw file each chart is drawn from (every other chart: appointments_regional).
RAW_SOURCE_OF_CHART = {
    "duration": "actual_duration",
    "category-by-month": "national_categories",
    "category-by-season": "national_categories",
    "setting-by-month": "national_categories",
    "setting-by-season": "national_categories",
    "hashtags": "tweets",
}
WORKING_DAYS = """
working_days as (
    select month_start_date as appointment_month,
        count(*) filter (where is_working_day) as working_days
    from marts.dim_date
    group by month_start_date
)
"""


@pytest.fixture(scope="module")
def built(sample_warehouse: Path) -> tuple[Path, Path]:
    return sample_warehouse, render_report(sample_warehouse)


@pytest.fixture(scope="module")
def warehouse(built: tuple[Path, Path]) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect(str(built[0]), read_only=True) as connection:
        yield connection


@pytest.fixture(scope="module")
def browser(built: tuple[Path, Path]) -> Iterator[Any]:
    with open_report(built[1]) as driver:
        yield driver


def test_page_loads_without_console_messages_or_fetches(browser: Any, built: tuple) -> None:
    from selenium.webdriver.common.by import By

    # Errors, and Vega's warnings about a spec it had to change, would both be defects.
    messages = [entry for entry in browser.get_log("browser") if entry["level"] != "INFO"]
    assert messages == []
    assert browser.execute_script("return document.readyState") == "complete"
    assert browser.find_elements(By.CSS_SELECTOR, ".chart-error") == []
    # Self-contained: the page itself is the only request; no script, style or image fetched.
    assert set(requested_urls(browser)) == {built[1].as_uri()}
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert browser.execute_script("return document.querySelectorAll('[src], link').length") == 0


def test_every_chart_is_drawn_with_title_axis_titles_and_reading(
    browser: Any, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    figures = browser.find_elements(By.CSS_SELECTOR, "figure.chart")
    assert {figure.get_attribute("data-chart") for figure in figures} == EXPECTED_CHARTS
    for figure in figures:
        name = figure.get_attribute("data-chart")
        assert figure.find_element(By.CSS_SELECTOR, ".chart-title").text.strip(), name
        assert len(figure.find_element(By.CSS_SELECTOR, ".reading").text.strip()) > 20, name
        axis_titles = figure.find_elements(By.CSS_SELECTOR, "svg .role-axis-title text")
        assert len([title for title in axis_titles if title.text.strip()]) == 2, name
        assert drawn(browser, name), f"{name} drew no marks"
        image = figure.find_element(By.CSS_SELECTOR, ".chart-view svg")
        browser.execute_script("arguments[0].scrollIntoView()", image)
        png = image.screenshot_as_png
        (tmp_path / f"{name}.png").write_bytes(png)
        width, height, pixels = png_pixels(png)
        assert width > 500 and height > 250, name
        inked = sum(1 for pixel in pixels if pixel != (255, 255, 255))
        assert inked / len(pixels) > 0.02, f"{name} looks blank"
        assert len(set(pixels)) > 10, f"{name} has almost no colours"


def test_without_registered_patients_a_note_stands_in_for_the_per_patient_charts(
    browser: Any,
) -> None:
    from selenium.webdriver.common.by import By

    # The embedded sample has no practice coverage file (test_report_per_patient.py adds one).
    notes = [note.text for note in browser.find_elements(By.CSS_SELECTOR, ".note")]
    assert len(notes) == 1 and "per 1,000 patients are not charted" in notes[0]


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
    # the generators of both the course layouts and the publisher's, not one script of them
    assert "generated by scripts/synthetic/" in banner.text
    assert set(banner.get_attribute("data-synthetic-sources").split(",")) == synthetic
    # Each chart drawn from a synthetic source is marked as such, and only those; the sources
    # behind a chart come from the dbt graph, so each is one the build read.
    sources = {
        name
        for (name,) in warehouse.execute("select source_name from marts.data_provenance").fetchall()
    }
    for figure in browser.find_elements(By.CSS_SELECTOR, "figure.chart"):
        raw_sources = set(figure.get_attribute("data-raw-sources").split(","))
        name = figure.get_attribute("data-chart")
        assert raw_sources <= sources, name
        assert raw_sources == {RAW_SOURCE_OF_CHART.get(name, "appointments_regional")}, name
        is_synthetic = bool(raw_sources & synthetic)
        assert figure.get_attribute("data-synthetic") == str(is_synthetic).lower()
        tags = figure.find_elements(By.CSS_SELECTOR, ".synthetic-tag")
        assert len(tags) == int(is_synthetic)
        # What the chart's export menu saves (the view as SVG) carries the label too.
        exported = browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "window.reportViews[arguments[0]].toSVG().then(done);",
            name,
        )
        assert ("SYNTHETIC DATA" in exported) == is_synthetic, name
    rows = browser.find_elements(By.CSS_SELECTOR, "table.provenance tbody tr")
    (files,) = warehouse.execute("select count(*) from marts.data_provenance").fetchone()
    assert len(rows) == files


def test_a_tooltip_shows_the_exact_values_of_the_point_under_the_pointer(
    browser: Any, warehouse: duckdb.DuckDBPyConnection
) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    points = browser.find_elements(By.CSS_SELECTOR, "#chart-utilisation g.mark-symbol path")
    assert points
    point = points[len(points) // 3]
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", point)
    ActionChains(browser).move_to_element(point).perform()
    shown = wait_for(
        lambda: browser.execute_script(
            "return [...document.querySelectorAll('#vg-tooltip-element.visible tr')]"
            ".map(row => [row.cells[0].textContent, row.cells[1].textContent])"
        ),
        "the tooltip",
    )
    tooltip = dict(shown)
    month = dt.datetime.strptime(tooltip["Month"], "%b %Y").date()
    working, calendar, per_working, per_calendar = warehouse.execute(
        """
        select utilisation_working_day, utilisation_calendar_day, appointments_per_working_day,
            appointments_per_calendar_day
        from marts.utilisation_monthly
        where appointment_month = ?
        """,
        [month],
    ).fetchone()
    working_day = tooltip["Appointments counted"] == "Per working day"
    share, per_day = (working, per_working) if working_day else (calendar, per_calendar)
    assert tooltip["Appointments per day / 1.2M"] == f"{share * 100:.1f}%"
    assert tooltip["Appointments per day"] == f"{per_day:,.0f}"


def test_a_click_on_a_legend_entry_picks_out_its_series(browser: Any) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    labels = browser.find_elements(By.CSS_SELECTOR, "#chart-dna-by-mode .role-legend-label text")
    telephone = next(label for label in labels if label.text == "Telephone")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", telephone)
    telephone.click()

    def opacities() -> dict[str, set[float]]:
        found: dict[str, set[float]] = {}
        for row in drawn(browser, "dna-by-mode"):
            if "appointment_mode" in row:
                found.setdefault(row["appointment_mode"], set()).add(row["_opacity"])
        return found

    picked = wait_for(lambda: (found := opacities())["Telephone"] == {1} and found, "a pick")
    assert len(picked) > 1
    for mode, seen in picked.items():
        assert seen == ({1} if mode == "Telephone" else {FADED}), mode

    # A click in the plot away from the legend shows every series again.
    plot = browser.find_element(By.CSS_SELECTOR, "#chart-dna-by-mode .chart-view svg")
    ActionChains(browser).move_to_element_with_offset(plot, -200, -50).click().perform()
    wait_for(lambda: all(seen == {1} for seen in opacities().values()), "the pick to clear")


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
    wanted = expected(
        [(month, "Per working day", working) for month, working, _ in rows]
        + [(month, "Per calendar day", calendar) for month, _, calendar in rows]
    )
    page = keyed(drawn(browser, "utilisation"), ["appointment_month", "per_day"], "utilisation")
    assert_values_match(page, wanted)

    peak_month, peak = max(rows, key=lambda row: (row[1], -row[0].toordinal()))[:2]
    reading = browser.find_element(By.CSS_SELECTOR, "#chart-utilisation .reading").text
    assert f"peaked at {peak * 100:.1f}% in {peak_month.strftime('%b %Y')}" in reading


def test_regions_per_working_day_match_the_appointment_facts(
    browser: Any, warehouse: duckdb.DuckDBPyConnection
) -> None:
    rows = warehouse.execute(
        f"""
        with {WORKING_DAYS},
        regions as (select distinct region_ons_code, region_name from marts.dim_location)
        select appointment_month, region_name,
            sum(count_of_appointments) / any_value(working_days)
        from marts.fct_appointments_monthly
        inner join regions using (region_ons_code)
        inner join working_days using (appointment_month)
        group by all
        """
    ).fetchall()
    page = keyed(
        drawn(browser, "regions-per-working-day"),
        ["appointment_month", "region_name"],
        "appointments_per_working_day",
    )
    assert_values_match(page, expected(rows))


def icbs_per_working_day(warehouse: duckdb.DuckDBPyConnection, region: str) -> Values:
    rows = warehouse.execute(
        f"""
        with {WORKING_DAYS},
        icbs as (select distinct icb_ons_code, icb_name, region_name from marts.dim_location)
        select appointment_month, icb_name, sum(count_of_appointments) / any_value(working_days)
        from marts.fct_appointments_monthly
        inner join icbs using (icb_ons_code)
        inner join working_days using (appointment_month)
        where region_name = ?
        group by all
        """,
        [region],
    ).fetchall()
    return expected(rows)


def test_icb_chart_shows_the_icbs_of_the_region_picked(
    browser: Any, warehouse: duckdb.DuckDBPyConnection
) -> None:
    regions = areas(warehouse)
    assert len(regions) > 1
    assert selector_options(browser, "icbs-per-working-day") == regions
    for region in (regions[0], regions[-1]):
        if region != regions[0]:
            choose_area(browser, "icbs-per-working-day", region)
        page = keyed(
            drawn(browser, "icbs-per-working-day"),
            ["appointment_month", "icb_name"],
            "appointments_per_working_day",
        )
        assert_values_match(page, icbs_per_working_day(warehouse, region))


DNA_RATE_BY = """
with regions as (select distinct region_ons_code, region_name from marts.dim_location)
select appointment_month, {dimension},
    sum(count_of_appointments) filter (where appointment_status = 'DNA')
        / sum(count_of_appointments)
from marts.fct_appointments_monthly
inner join regions using (region_ons_code)
where ? is null or region_name = ?
group by all
"""


def dna_rates(warehouse: duckdb.DuckDBPyConnection, dimension: str, area: str | None) -> Values:
    """DNA rate by month and dimension, for England (area None) or one region."""
    rows = warehouse.execute(DNA_RATE_BY.format(dimension=dimension), [area, area]).fetchall()
    return expected((month, name, rate or 0.0) for month, name, rate in rows)


def test_dna_rate_by_mode_matches_the_appointment_facts_for_england_and_a_region(
    browser: Any, warehouse: duckdb.DuckDBPyConnection
) -> None:
    regions = areas(warehouse)
    assert selector_options(browser, "dna-by-mode") == ["England", *regions]
    rows = dataset(browser, "dna-by-mode")
    for area in ("England", *regions):
        in_area = [row for row in rows if row["area"] == area]
        page = keyed(in_area, ["appointment_month", "appointment_mode"], "dna_rate")
        assert_values_match(
            page, dna_rates(warehouse, "appointment_mode", None if area == "England" else area)
        )

    def drawn_rates() -> Values:
        return keyed(
            drawn(browser, "dna-by-mode"), ["appointment_month", "appointment_mode"], "dna_rate"
        )

    assert_values_match(drawn_rates(), dna_rates(warehouse, "appointment_mode", None))
    choose_area(browser, "dna-by-mode", regions[1])
    assert_values_match(drawn_rates(), dna_rates(warehouse, "appointment_mode", regions[1]))


def test_dna_rate_by_lead_time_matches_the_appointment_facts(
    browser: Any, warehouse: duckdb.DuckDBPyConnection
) -> None:
    page = keyed(
        drawn(browser, "dna-by-lead-time"),
        ["appointment_month", "booking_lead_time_band"],
        "dna_rate",
    )
    assert_values_match(page, dna_rates(warehouse, "booking_lead_time_band", None))


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
    page = keyed(drawn(browser, "hcp-types"), ["appointment_month", "hcp_type"], "appointments")
    assert_values_match(page, expected(rows))


def duration_shares(warehouse: duckdb.DuckDBPyConnection, area: str | None) -> Values:
    rows = warehouse.execute(
        """
        with regions as (select distinct region_ons_code, region_name from marts.dim_location)
        select duration_band,
            sum(count_of_appointments) / sum(sum(count_of_appointments)) over ()
        from marts.fct_appointment_duration_daily
        inner join regions using (region_ons_code)
        where duration_band not like 'Unknown%' and (? is null or region_name = ?)
        group by duration_band
        """,
        [area, area],
    ).fetchall()
    return expected(rows)


def test_duration_shares_match_the_duration_facts_for_england_and_a_region(
    browser: Any, warehouse: duckdb.DuckDBPyConnection
) -> None:
    def page() -> Values:
        return keyed(drawn(browser, "duration"), ["duration_band"], "share_of_known")

    assert_values_match(page(), duration_shares(warehouse, None))
    region = areas(warehouse)[0]
    choose_area(browser, "duration", region)
    assert_values_match(page(), duration_shares(warehouse, region))


def test_service_setting_mix_matches_the_national_category_facts(
    browser: Any, warehouse: duckdb.DuckDBPyConnection
) -> None:
    for grouping, chart in (("appointment_month", "by-month"), ("season", "by-season")):
        rows = warehouse.execute(
            f"""
            select {grouping}, service_setting,
                sum(count_of_appointments)
                    / sum(sum(count_of_appointments)) over (partition by {grouping})
            from marts.fct_national_category_daily
            inner join marts.dim_date on appointment_date = date_day
            group by {grouping}, service_setting
            """
        ).fetchall()
        page = keyed(drawn(browser, f"setting-{chart}"), [grouping, "category"], "share")
        assert_values_match(page, expected(rows))


def test_national_category_mix_by_season_matches_the_national_category_facts(
    browser: Any, warehouse: duckdb.DuckDBPyConnection
) -> None:
    rows = warehouse.execute(
        """
        with sizes as (
            select national_category, sum(count_of_appointments) as appointments
            from marts.fct_national_category_daily
            group by all
        ),
        top_eight as (
            select national_category from sizes
            order by appointments desc, national_category
            limit 8
        )
        select season,
            case when national_category in (select * from top_eight) then national_category
                else 'Other categories' end as category,
            sum(count_of_appointments) / sum(sum(count_of_appointments)) over (partition by season)
        from marts.fct_national_category_daily
        inner join marts.dim_date on appointment_date = date_day
        group by season, category
        """
    ).fetchall()
    page = keyed(drawn(browser, "category-by-season"), ["season", "category"], "share")
    assert_values_match(page, expected(rows))


def test_top_hashtags_match_the_hashtag_mart(
    browser: Any, warehouse: duckdb.DuckDBPyConnection
) -> None:
    rows = warehouse.execute(
        "select '#' || hashtag, tweets from marts.tweet_hashtags order by tweets desc, hashtag"
        " limit 15"
    ).fetchall()
    assert_values_match(keyed(drawn(browser, "hashtags"), ["label"], "tweets"), expected(rows))
