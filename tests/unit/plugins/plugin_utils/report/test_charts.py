# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report's charts (plugins/plugin_utils/report/charts.py), read back from the Bokeh documents the page embeds:
titles and axis titles with units, the report's numbers, a readable number of lines, and what a user sees without
bokeh. tests/report opens them in a browser."""

from __future__ import annotations

import json
import sys

import pytest

from ansible_collections.runai.platform.plugins.module_utils.api.errors import RunaiMissingLibraryError
from ansible_collections.runai.platform.plugins.plugin_utils.report import charts as charts_module
from ansible_collections.runai.platform.plugins.plugin_utils.report.figures import DEFAULT_THRESHOLDS, report_data

WINDOW = {"start": "2026-01-01T00:00:00Z", "end": "2026-01-02T00:00:00Z"}


def workload(index, project="team-a", phase="Completed", gpus=1.0, hours=1.0):
    return {
        "id": "id-%02d" % index, "name": "wl-%02d" % index, "projectName": project, "phase": phase,
        "createdAt": "2026-01-01T01:00:00Z", "completedAt": "2026-01-01T%02d:00:00Z" % (1 + hours),
        "workloadRequestedResources": {"gpu": {"request": gpus}}, "totalPendingTimeSeconds": 0,
        "totalRunningTimeSeconds": hours * 3600,
    }


def series(index, metric, *values):
    return {"workload_id": "id-%02d" % index, "pod_id": None, "type": metric, "labels": None,
            "values": [{"timestamp": "2026-01-01T01:%02d:00Z" % minute, "value": value}
                       for minute, value in enumerate(values)]}


def drawn(workloads, all_series=(), chart_workloads=12):
    data = report_data({"window": WINDOW, "workloads": workloads, "series": list(all_series)}, DEFAULT_THRESHOLDS)
    items = json.loads(charts_module.Charts().items(data["report"], data["series"], chart_workloads))
    return data["report"], items


def objects(value, type_name):
    """Every Bokeh object of ``type_name`` in a serialized document."""
    found = []
    if isinstance(value, dict):
        if value.get("type") == "object" and value.get("name") == type_name and "id" in value:
            # an object with only default values comes without attributes; one seen before, by id alone
            found.append(value.get("attributes", {}))
        for item in value.values():
            found.extend(objects(item, type_name))
    elif isinstance(value, list):
        for item in value:
            found.extend(objects(item, type_name))
    return found


def columns(source):
    return dict(source["data"]["entries"])


def root(items, chart_id):
    return items[chart_id]["doc"]["roots"][0]["attributes"]


@pytest.fixture(scope="module")
def base():
    workloads = [workload(0, gpus=4.0, hours=2), workload(1, project="team-b", phase="Failed", hours=1),
                 dict(workload(2, project="team-b", phase="Pending"), completedAt=None, totalRunningTimeSeconds=0)]
    samples = [series(0, "GPU_UTILIZATION", 40.0, 60.0), series(0, "GPU_MEMORY_USAGE_BYTES", 2 * 2 ** 30, 4 * 2 ** 30),
               series(1, "GPU_UTILIZATION", 10.0)]
    return drawn(workloads, samples)


@pytest.mark.parametrize(
    "chart_id, title, x_title, y_title",
    [
        ("chart-gpu-utilization", "GPU utilization over time", "Time (UTC)", "GPU utilization (%)"),
        ("chart-gpu-memory", "GPU memory used over time", "Time (UTC)", "GPU memory (GiB)"),
        ("chart-gpu-hours-by-project", "GPU-hours allocated and used by project", "Project", "GPU-hours"),
        ("chart-phases", "Workloads by phase", "Phase", "Workloads (count)"),
        ("chart-time-by-project", "Pending versus running time by project",
         "Hours (summed over the project's workloads)", "Project"),
    ],
)
def test_every_chart_has_its_id_a_title_and_axis_titles_with_units(base, chart_id, title, x_title, y_title):
    _report, items = base
    chart = root(items, chart_id)
    assert items[chart_id]["target_id"] == chart_id and chart["name"] == chart_id
    assert chart["title"]["attributes"]["text"] == title
    assert [axis["attributes"]["axis_label"] for axis in chart["below"] if "axis_label" in axis["attributes"]] == [
        x_title]
    assert [axis["attributes"]["axis_label"] for axis in chart["left"]] == [y_title]


def test_every_chart_can_be_explored(base):
    _report, items = base
    for chart_id, item in items.items():
        assert objects(item, "HoverTool"), chart_id
        assert objects(item, "BoxZoomTool") and objects(item, "ResetTool"), chart_id
    for chart_id in ("chart-gpu-utilization", "chart-gpu-hours-by-project", "chart-time-by-project"):
        assert [legend["click_policy"] for legend in objects(items[chart_id], "Legend")] == ["hide"]


def test_lines_are_the_workloads_samples_in_their_units(base):
    _report, items = base
    utilization = [columns(source) for source in objects(items["chart-gpu-utilization"], "ColumnDataSource")]
    assert [line["y"] for line in utilization] == [[40.0, 60.0], [10.0]]
    assert utilization[0]["x"] == [1767229200000, 1767229260000]
    memory = [columns(source) for source in objects(items["chart-gpu-memory"], "ColumnDataSource")]
    assert [line["y"] for line in memory] == [[2.0, 4.0]]
    names = [line["name"] for line in objects(items["chart-gpu-utilization"], "GlyphRenderer")]
    assert names == ["wl-00 (team-a)", "wl-01 (team-b)"]


def test_bars_carry_the_reports_numbers(base):
    report, items = base
    phases = columns(objects(items["chart-phases"], "ColumnDataSource")[0])
    assert dict(zip(phases["phase"], phases["count"])) == report["summary"]["phases"]
    allocated, used = (columns(source) for source in objects(items["chart-gpu-hours-by-project"], "ColumnDataSource"))
    assert dict(zip(allocated["project"], allocated["value"])) == {"team-a": 8.0, "team-b": 1.0}
    assert dict(zip(used["project"], used["value"])) == {"team-a": 4.0, "team-b": 0.1}


def test_many_workloads_draw_only_the_top_ones_in_distinct_colours_and_say_so():
    workloads = [workload(index, gpus=1.0 + index) for index in range(15)]
    _report, items = drawn(workloads, [series(index, "GPU_UTILIZATION", 50.0) for index in range(15)])
    lines = [renderer["glyph"]["attributes"] for renderer in objects(items["chart-gpu-utilization"], "GlyphRenderer")]
    assert len(lines) == 12 and len({line["line_color"] for line in lines}) == 12
    assert objects(items["chart-gpu-utilization"], "GlyphRenderer")[0]["name"] == "wl-14 (team-a)"
    subtitles = [title["text"] for title in objects(items["chart-gpu-utilization"], "Title")]
    assert "The 12 of 15 workloads with samples that have the most GPU-hours allocated" in subtitles


def test_an_empty_report_still_draws_every_chart_with_a_note():
    _report, items = drawn([])
    for chart_id, item in items.items():
        assert [label["text"] for label in objects(item, "Label")] in (
            ["No workloads in the report window"], ["No samples in the report window"]), chart_id


def test_the_same_report_draws_the_same_bytes(base):
    _report, items = base
    workloads = [workload(0, gpus=4.0, hours=2), workload(1, project="team-b", phase="Failed", hours=1),
                 dict(workload(2, project="team-b", phase="Pending"), completedAt=None, totalRunningTimeSeconds=0)]
    samples = [series(0, "GPU_UTILIZATION", 40.0, 60.0), series(0, "GPU_MEMORY_USAGE_BYTES", 2 * 2 ** 30, 4 * 2 ** 30),
               series(1, "GPU_UTILIZATION", 10.0)]
    again = drawn(workloads, samples)[1]
    # Bokeh numbers its objects in creation order, so a second drawing in the same process shifts every id.
    assert strip_ids(again) == strip_ids(items)


def strip_ids(value):
    text = json.dumps(value, sort_keys=True)
    ids = {}
    for found in objects_ids(value):
        ids.setdefault(found, "id%d" % len(ids))
    for original, plain in sorted(ids.items(), key=lambda pair: -len(pair[0])):
        text = text.replace('"%s"' % original, '"%s"' % plain)
    return text


def objects_ids(value):
    if isinstance(value, dict):
        if value.get("type") == "object" and "id" in value:
            yield value["id"]
        for item in value.values():
            yield from objects_ids(item)
    elif isinstance(value, list):
        for item in value:
            yield from objects_ids(item)


def test_without_bokeh_the_error_names_the_package_and_how_to_install_it(monkeypatch):
    for name in [module for module in sys.modules if module == "bokeh" or module.startswith("bokeh.")]:
        monkeypatch.delitem(sys.modules, name)
    # None in sys.modules makes the next import of that name raise ImportError, as if it were not installed.
    monkeypatch.setitem(sys.modules, "bokeh", None)
    with pytest.raises(RunaiMissingLibraryError, match=r"bokeh is required .*pip install bokeh"):
        charts_module.Charts()
