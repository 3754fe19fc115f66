# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The charts filter with plotly installed: every chart has a title, axis titles with units, and the report's
numbers; the charts over time stay readable with many workloads."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

import pytest

from ansible_collections.runai.platform.plugins.filter.workload_report_charts import workload_report_charts
from ansible_collections.runai.platform.plugins.filter.workload_report_data import workload_report_data
from report_fixtures import BASE_SCENARIOS, gathered_data, scale_scenarios

pytest.importorskip("plotly")


def report_of(gathered):
    return workload_report_data(gathered)["report"]


def figures(charts):
    """The figure JSON each chart's <div> hands to Plotly.newPlot, by chart id."""
    found = {}
    for chart in charts["charts"]:
        arguments = re.search(r"Plotly\.newPlot\(\s*\"[^\"]+\",\s*(\[.*?\]),\s*(\{.*\}),\s*\{", chart["html"], re.S)
        data, layout = json.loads(arguments.group(1)), json.loads(arguments.group(2))
        found[chart["id"]] = {"data": data, "layout": layout}
    return found


@pytest.fixture(scope="module")
def base():
    gathered = gathered_data(BASE_SCENARIOS)
    report = report_of(gathered)
    return report, figures(workload_report_charts(report, series=gathered["series"]))


def test_the_script_is_plotly_js_inline():
    gathered = gathered_data(BASE_SCENARIOS[:2])
    script = workload_report_charts(report_of(gathered), series=gathered["series"])["script"]
    assert script.startswith("<script") and script.endswith("</script>") and "src=" not in script[:80]
    assert len(script) > 1000000 and "plotly.js" in script


@pytest.mark.parametrize(
    "chart_id, x_title, y_title",
    [
        ("chart-gpu-utilization", "Time (UTC)", "GPU utilization (%)"),
        ("chart-gpu-memory", "Time (UTC)", "GPU memory (GiB)"),
        ("chart-gpu-hours-by-project", "Project", "GPU-hours"),
        ("chart-phases", "Phase", "Workloads (count)"),
        ("chart-time-by-project", "Hours (summed over the project's workloads)", "Project"),
    ],
)
def test_every_chart_has_a_title_and_axis_titles_with_units(base, chart_id, x_title, y_title):
    layout = base[1][chart_id]["layout"]
    assert layout["title"]["text"]
    assert (layout["xaxis"]["title"]["text"], layout["yaxis"]["title"]["text"]) == (x_title, y_title)


def test_utilization_lines_are_the_workloads_samples_in_percent(base):
    charts = base[1]
    lines = {line["name"]: line for line in charts["chart-gpu-utilization"]["data"]}
    idle = lines["notebook-idle (project-a)"]
    assert len(idle["x"]) == len(idle["y"]) > 10
    assert all(0 <= value < 10 for value in idle["y"])
    assert charts["chart-gpu-utilization"]["layout"]["yaxis"]["range"] == [0, 105]


def test_memory_is_drawn_in_gib(base):
    gathered = gathered_data(BASE_SCENARIOS)
    raw = next(
        series
        for series in gathered["series"]
        if series["type"] == "GPU_MEMORY_USAGE_BYTES" and series["workload_id"] == gathered["workloads"][1]["id"]
    )
    line = next(
        line
        for line in base[1]["chart-gpu-memory"]["data"]
        if line["name"].startswith(gathered["workloads"][1]["name"])
    )
    assert line["y"][0] == pytest.approx(raw["values"][0]["value"] / 2**30)


def test_bars_carry_the_reports_numbers(base):
    report, charts = base
    allocated, used = charts["chart-gpu-hours-by-project"]["data"]
    assert allocated["y"] == [row["gpu_hours_allocated"] for row in report["projects"]]
    assert used["y"] == [row["gpu_hours_used"] or 0 for row in report["projects"]]
    phases = charts["chart-phases"]["data"][0]
    assert dict(zip(phases["x"], phases["y"])) == report["summary"]["phases"]


def test_many_workloads_draw_only_the_top_ones_and_say_so():
    gathered = gathered_data(scale_scenarios(200))
    report = report_of(gathered)
    charts = figures(workload_report_charts(report, series=gathered["series"], max_series_workloads=5))
    lines = charts["chart-gpu-utilization"]["data"]
    top = [row["name"] for row in report["workloads"] if row["gpu_utilization_mean_percent"] is not None][:5]
    assert [line["name"].split(" (")[0] for line in lines] == top
    assert "The 5 of" in charts["chart-gpu-utilization"]["layout"]["title"]["subtitle"]["text"]


def test_a_dozen_lines_get_a_dozen_colours():
    gathered = gathered_data(scale_scenarios(100))
    charts = figures(workload_report_charts(report_of(gathered), series=gathered["series"], max_series_workloads=12))
    for chart_id in ("chart-gpu-utilization", "chart-gpu-memory"):
        assert len(charts[chart_id]["data"]) == 12
        assert len(set(charts[chart_id]["layout"]["colorway"][:12])) == 12


def test_an_empty_report_still_draws_every_chart_with_a_note():
    window = {"start": "2026-01-01T00:00:00Z", "end": "2026-01-02T00:00:00Z"}
    charts = figures(workload_report_charts(report_of({"workloads": [], "window": window})))
    assert len(charts) == 5
    for chart in charts.values():
        assert chart["data"] == []
        assert chart["layout"]["annotations"][0]["text"].startswith("No ")


@pytest.mark.parametrize(
    "running_minutes, unit",
    [(0.5, "Seconds"), (30, "Minutes"), (600, "Hours"), (5000, "Days")],
)
def test_time_by_project_picks_a_readable_unit(running_minutes, unit):
    window = {"start": "2026-01-01T00:00:00Z", "end": "2026-01-05T00:00:00Z"}
    workload = {
        "id": "w",
        "name": "w",
        "projectName": "p",
        "phase": "Completed",
        "createdAt": "2026-01-01T00:00:00Z",
        "completedAt": "2026-01-01T00:00:00Z",
        "totalPendingTimeSeconds": 0,
        "totalRunningTimeSeconds": 1,
    }
    seconds = int(running_minutes * 60)
    workload["completedAt"] = "2026-01-%02dT%02d:%02d:%02dZ" % (
        1 + seconds // 86400,
        seconds % 86400 // 3600,
        seconds % 3600 // 60,
        seconds % 60,
    )
    charts = figures(workload_report_charts(report_of({"workloads": [workload], "window": window})))
    assert charts["chart-time-by-project"]["layout"]["xaxis"]["title"]["text"].startswith(unit)


def test_names_cannot_break_out_of_the_script():
    gathered = gathered_data(BASE_SCENARIOS[:1])
    gathered["workloads"][0]["name"] = "</script><script>alert(1)</script>"
    html = "".join(chart["html"] for chart in workload_report_charts(report_of(gathered), gathered["series"])["charts"])
    assert "</script><script>alert" not in html


def test_a_workload_whose_series_are_empty_gets_no_line():
    gathered = gathered_data(BASE_SCENARIOS)
    queued = next(workload for workload in gathered["workloads"] if workload["name"] == "llm-eval-queue")
    # runai_metrics_info returns an empty series of every type asked for a workload that did not run
    gathered["series"] += [
        {"workload_id": queued["id"], "pod_id": None, "type": metric, "labels": None, "values": [], "summary": {}}
        for metric in ("GPU_UTILIZATION", "GPU_MEMORY_USAGE_BYTES")
    ]
    report = report_of(gathered)
    charts = figures(workload_report_charts(report, series=gathered["series"]))
    sampled = [row["name"] for row in report["workloads"] if row["gpu_utilization_mean_percent"] is not None]
    for chart_id in ("chart-gpu-utilization", "chart-gpu-memory"):
        assert [line["name"].split(" (")[0] for line in charts[chart_id]["data"]] == sampled
    assert "All %d workloads" % len(sampled) in charts["chart-gpu-utilization"]["layout"]["title"]["subtitle"]["text"]
