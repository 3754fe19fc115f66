# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Merging the parts of a sliced report (plugins/plugin_utils/report/merge.py): the merged figures are those of one
report over every part's workloads, and parts that cannot make one report are refused naming the option.
tests/ecosystem/test_job_slicing.py merges the parts of real sliced jobs."""

from __future__ import annotations

import json

import pytest

from ansible_collections.runai.platform.plugins.module_utils.api.errors import RunaiInputError
from ansible_collections.runai.platform.plugins.plugin_utils.report.figures import DEFAULT_THRESHOLDS, report_data
from ansible_collections.runai.platform.plugins.plugin_utils.report.merge import load_parts, merge_parts

WINDOW = {"start": "2026-01-01T00:00:00Z", "end": "2026-01-02T00:00:00Z"}


def workload(name, project):
    return {"id": "id-" + name, "name": name, "projectName": project, "phase": "Completed",
            "createdAt": "2026-01-01T01:00:00Z", "completedAt": "2026-01-01T03:00:00Z",
            "workloadRequestedResources": {"gpu": {"request": 2}}, "totalPendingTimeSeconds": 600,
            "totalRunningTimeSeconds": 6600}


def pod(name):
    return {"id": "pod-" + name, "workloadId": "id-" + name, "containers": [{"startedAt": "2026-01-01T01:10:00Z"}]}


def utilization(name, value):
    return {"workload_id": "id-" + name, "pod_id": None, "type": "GPU_UTILIZATION", "labels": None,
            "values": [{"timestamp": "2026-01-01T02:00:00Z", "value": value}]}


def part(project, names, window=None, telemetry=()):
    return {"selection": {"projects": [project]}, "window": dict(window or WINDOW),
            "workloads": [workload(name, project) for name in names], "pods": [pod(name) for name in names],
            "series": [utilization(name, 10.0 * (index + 1)) for index, name in enumerate(names)],
            "telemetry": list(telemetry)}


def test_the_merged_parts_give_the_figures_of_one_report_over_all_their_workloads():
    team_a, team_b = part("team-a", ["a1", "a2"]), part("team-b", ["b1"], telemetry=[{"type": "GPU_ALLOCATION"}])
    whole = {"window": WINDOW, "workloads": team_a["workloads"] + team_b["workloads"],
             "pods": team_a["pods"] + team_b["pods"], "series": team_a["series"] + team_b["series"]}
    merged = merge_parts([team_a, team_b])
    assert merged["selection"]["projects"] == ["team-a", "team-b"]
    assert merged["telemetry"] == [{"type": "GPU_ALLOCATION"}]
    assert report_data(merged, DEFAULT_THRESHOLDS)["report"] == report_data(whole, DEFAULT_THRESHOLDS)["report"]


def test_a_workload_in_two_parts_counts_once():
    team_a = part("team-a", ["a1"])
    merged = report_data(merge_parts([team_a, json.loads(json.dumps(team_a))]), DEFAULT_THRESHOLDS)
    assert merged["report"]["summary"]["workloads"] == 1
    assert len(merged["pods"]) == 1 and len(merged["series"]) == 1


def test_parts_of_different_windows_are_refused():
    later = dict(WINDOW, end="2026-01-03T00:00:00Z")
    with pytest.raises(RunaiInputError, match="parts.*different windows"):
        merge_parts([part("team-a", ["a1"]), part("team-b", ["b1"], window=later)])


def test_parts_are_read_from_a_directory_of_parts(tmp_path):
    for project, names in (("team-a", ["a1"]), ("team-b", ["b1", "b2"])):
        (tmp_path / "parts" / project).mkdir(parents=True)
        (tmp_path / "parts" / project / "report.json").write_text(json.dumps(part(project, names)))
    loaded = load_parts([str(tmp_path / "parts")])
    assert [item["selection"]["projects"] for item in loaded] == [["team-a"], ["team-b"]]


@pytest.mark.parametrize("given, message", [
    (["/nonexistent/parts"], "does not exist"),
    ([""], "each part is a path"),
    ([42], "each part is a path"),
    ([], "no part to merge"),
])
def test_parts_that_cannot_be_read_are_refused_naming_the_option(given, message):
    with pytest.raises(RunaiInputError, match=message) as raised:
        load_parts(given)
    assert raised.value.option == "parts"


def test_a_directory_without_parts_and_a_file_that_is_no_report_are_refused(tmp_path):
    with pytest.raises(RunaiInputError, match="holds no report.json"):
        load_parts([str(tmp_path)])
    (tmp_path / "report.json").write_text("not json")
    with pytest.raises(RunaiInputError, match="is not a report.json"):
        load_parts([str(tmp_path / "report.json")])
