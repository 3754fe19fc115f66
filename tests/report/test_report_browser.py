# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""report.html opened in headless Chromium from disk, as a user opens it: the charts (BokehJS) and the table render
and can be explored, nothing is logged to the console, nothing is fetched, and it fits a 1366x768 laptop screen.
Screenshots are kept in tests/output/report/."""

from __future__ import annotations

import base64
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest


webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

OUTPUT_ROOT = Path(__file__).resolve().parents[2] / "tests" / "output" / "report"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
LAPTOP = {"width": 1366, "height": 768}
CHART_TITLES = {
    "chart-gpu-utilization": "GPU utilization over time",
    "chart-gpu-memory": "GPU memory used over time",
    "chart-gpu-hours-by-project": "GPU-hours allocated and used by project",
    "chart-phases": "Workloads by phase",
    "chart-time-by-project": "Pending versus running time by project",
}
# Axis titles must carry units.
AXIS_TITLES = {
    "chart-gpu-utilization": ("Time (UTC)", "GPU utilization (%)"),
    "chart-gpu-memory": ("Time (UTC)", "GPU memory (GiB)"),
    "chart-gpu-hours-by-project": ("Project", "GPU-hours"),
    "chart-phases": ("Phase", "Workloads (count)"),
    "chart-time-by-project": ("Hours (summed over the project's workloads)", "Project"),
}

pytestmark = pytest.mark.skipif(
    not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)),
    reason="needs Debian's chromium and chromium-driver (%s, %s)" % (CHROMIUM, CHROMEDRIVER),
)


@pytest.fixture(scope="module")
def browser():
    profile = tempfile.mkdtemp(prefix="report-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--user-data-dir=" + profile,
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    # An explicit driver path keeps Selenium Manager from trying to download one.
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", dict(LAPTOP, deviceScaleFactor=1, mobile=False))
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def problems(logs):
    """What the console logged beyond BokehJS's own note of its log level (INFO)."""
    return [entry for entry in logs if entry["level"] != "INFO"]


def open_report(driver, report):
    driver.get_log("browser")
    driver.get_log("performance")
    driver.get(report.html.as_uri())
    WebDriverWait(driver, 60).until(lambda d: d.execute_script(
        "return window.Bokeh !== undefined"
        " && Object.values(Bokeh.index).filter((view) => view.model.name).length === 5"
        " && Object.values(Bokeh.index).every((view) => view.is_idle)"))
    return driver


def save_screenshots(driver, name):
    driver.execute_script("window.scrollTo(0, 0)")
    driver.save_screenshot(str(OUTPUT_ROOT / ("%s-1366x768.png" % name)))
    height = driver.execute_script("return document.documentElement.scrollHeight")
    full = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": LAPTOP["width"], "height": height, "scale": 1},
        },
    )
    (OUTPUT_ROOT / ("%s-full-page.png" % name)).write_bytes(base64.b64decode(full["data"]))


def requested_urls(driver):
    """What local files (the report) asked for. The browser's own pages, such as the new-tab page it opens at start-up
    (chrome:// and chrome-untrusted:// resources, whose log entries may arrive late), are not the report's."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent" and message["params"].get(
            "documentURL", ""
        ).startswith("file:"):
            urls.append(message["params"]["request"]["url"])
    return urls


def chart(driver, chart_id):
    """What BokehJS drew into the element of ``chart_id``: its figure's titles, lines or bars, and size."""
    return driver.execute_script(
        """
        const view = Object.values(Bokeh.index).find((view) => view.model.name === arguments[0]);
        const plot = view.model;
        const box = document.getElementById(arguments[0]).getBoundingClientRect();
        const labels = (axes) => axes.filter((axis) => axis.axis_label !== undefined).map((axis) => axis.axis_label);
        const renderers = plot.renderers.filter((renderer) => renderer.data_source !== undefined);
        return {title: [plot.title.text], x: labels(plot.below), y: labels(plot.left), traces: renderers.length,
                data: renderers.map((renderer) => ({name: renderer.name, columns: Object.fromEntries(
                    (renderer.data_source.data instanceof Map ? Array.from(renderer.data_source.data.entries())
                     : Object.entries(renderer.data_source.data)).map(([key, values]) => [key, Array.from(values)]))})),
                notes: plot.center.filter((item) => item.type === "Label").map((label) => label.text),
                tools: plot.toolbar.tools.map((tool) => tool.type),
                click_policies: plot.below.concat(plot.center).filter((item) => item.type === "Legend")
                    .map((legend) => legend.click_policy),
                width: box.width, height: box.height};
        """,
        chart_id,
    )


def visible_rows(driver):
    return [row for row in driver.find_elements(By.CSS_SELECTOR, "#workloads tbody tr") if row.is_displayed()]


@pytest.fixture(scope="module")
def opened_base(browser, base_report):
    open_report(browser, base_report)
    logs = browser.get_log("browser")
    urls = requested_urls(browser)
    save_screenshots(browser, "report")
    return browser, logs, urls


def test_nothing_is_logged_to_the_console(opened_base):
    _browser, logs, _urls = opened_base
    assert problems(logs) == []


def test_the_only_request_is_the_file_itself(opened_base, base_report):
    _browser, _logs, urls = opened_base
    # BokehJS's toolbar icons are data: URIs inside the page, not requests that leave it
    assert [url for url in urls if not url.startswith("data:")] == [base_report.html.as_uri()]


@pytest.mark.parametrize("chart_id", sorted(CHART_TITLES))
def test_each_chart_renders_with_its_title_and_axis_titles(opened_base, chart_id):
    browser, _logs, _urls = opened_base
    shown = chart(browser, chart_id)
    assert shown["title"] == [CHART_TITLES[chart_id]]
    # the time chart's unit follows the longest project (seconds for the simulator's fast batch)
    x_title = [title.replace("Seconds", "Hours").replace("Minutes", "Hours") for title in shown["x"]]
    assert (x_title, shown["y"]) == ([AXIS_TITLES[chart_id][0]], [AXIS_TITLES[chart_id][1]])
    assert shown["traces"] >= 1 and shown["width"] > 400 and shown["height"] >= 300
    assert "HoverTool" in shown["tools"] and "BoxZoomTool" in shown["tools"]


def test_the_charts_show_the_reports_figures(opened_base, base_report):
    browser, _logs, _urls = opened_base
    report = base_report.data()["report"]
    phases = chart(browser, "chart-phases")["data"][0]["columns"]
    assert dict(zip(phases["phase"], phases["count"])) == report["summary"]["phases"]
    allocated = chart(browser, "chart-gpu-hours-by-project")["data"][0]["columns"]
    assert dict(zip(allocated["project"], allocated["value"])) == {
        row["project"]: row["gpu_hours_allocated"] for row in report["projects"]
    }
    lines = chart(browser, "chart-gpu-utilization")["data"]
    with_samples = [row["name"] for row in report["workloads"] if row["gpu_utilization_mean_percent"] is not None]
    assert [line["name"].split(" (")[0] for line in lines] == with_samples


def test_legends_hide_a_line_on_a_click(opened_base):
    browser, _logs, _urls = opened_base
    for chart_id in ("chart-gpu-utilization", "chart-gpu-memory", "chart-gpu-hours-by-project", "chart-time-by-project"):
        assert chart(browser, chart_id)["click_policies"] == ["hide"], chart_id


def test_the_table_lists_every_workload_most_gpu_hours_first(opened_base, base_report):
    browser, _logs, _urls = opened_base
    report = base_report.data()["report"]
    rows = visible_rows(browser)
    assert len(rows) == len(report["workloads"])
    assert [row.find_element(By.CSS_SELECTOR, ".name").text for row in rows] == [
        row["name"] for row in report["workloads"]]


def test_the_summary_and_projects_are_on_the_first_screen(opened_base, base_report):
    browser, _logs, _urls = opened_base
    browser.execute_script("window.scrollTo(0, 0)")
    for selector in (".cards", "#projects"):
        bottom = browser.execute_script(
            "return document.querySelector(arguments[0]).getBoundingClientRect().bottom", selector
        )
        assert bottom <= LAPTOP["height"]
    assert browser.find_element(By.ID, "summary-workloads").text == str(len(base_report.data()["report"]["workloads"]))


def test_nothing_is_wider_than_a_laptop_screen(opened_base):
    browser, _logs, _urls = opened_base
    assert browser.execute_script("return document.documentElement.scrollWidth") <= LAPTOP["width"]


def test_only_flagged_and_the_search_box_filter_the_table(opened_base, base_report):
    browser, _logs, _urls = opened_base
    report = base_report.data()["report"]
    total = len(report["workloads"])
    flagged = sorted(row["name"] for row in report["workloads"] if row["flags"])
    flagged_only = browser.find_element(By.ID, "flagged-only")
    flagged_only.click()
    try:
        names = [row.find_element(By.CSS_SELECTOR, ".name").text for row in visible_rows(browser)]
        assert sorted(names) == flagged and flagged
        assert browser.find_element(By.ID, "workload-count").text == "%d of %d workloads" % (len(flagged), total)
    finally:
        flagged_only.click()
    search = browser.find_element(By.ID, "workload-filter")
    search.send_keys("rpt-train")
    try:
        assert len(visible_rows(browser)) == 2
    finally:
        search.send_keys(Keys.BACKSPACE * len("rpt-train"))
    assert len(visible_rows(browser)) == total


def test_clicking_a_column_sorts_by_it(opened_base, base_report):
    browser, _logs, _urls = opened_base
    report = base_report.data()["report"]
    header = browser.find_element(By.XPATH, "//table[@id='workloads']//th[contains(., 'util')]")
    header.click()
    first = visible_rows(browser)[0].find_element(By.CSS_SELECTOR, ".name").text
    busiest = max(report["workloads"], key=lambda row: row["gpu_utilization_mean_percent"] or -1)
    assert first == busiest["name"]
    assert header.get_attribute("aria-sort") == "descending"
    header.click()
    assert header.get_attribute("aria-sort") == "ascending"


def test_500_workloads_open_with_every_row_and_a_readable_number_of_lines(browser, scale_report):
    open_report(browser, scale_report)
    assert problems(browser.get_log("browser")) == []
    assert len(browser.find_elements(By.CSS_SELECTOR, "#workloads tbody tr")) == 500
    assert chart(browser, "chart-gpu-utilization")["traces"] == 12
    save_screenshots(browser, "report-500")


def test_an_empty_report_opens_cleanly_with_a_note_on_each_chart(browser, simulated):
    open_report(browser, simulated["empty"])
    assert problems(browser.get_log("browser")) == []
    notes = [note for chart_id in CHART_TITLES for note in chart(browser, chart_id)["notes"]]
    assert len(notes) == 5 and all(note.startswith("No ") for note in notes)
    save_screenshots(browser, "report-empty")
