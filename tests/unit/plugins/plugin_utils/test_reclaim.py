# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which workloads a reclaim takes GPUs back from (plugins/plugin_utils/reclaim.py): the running workloads the report
flags low-utilization, less those excluded by name, project, kind or annotation, with exactly the requests that
takes (scripted, one workload read at a time so that their order is fixed)."""

from __future__ import annotations

import pytest

from ansible_collections.runai.platform.plugins.module_utils.api.client import RunaiClient
from ansible_collections.runai.platform.plugins.module_utils.api.errors import RunaiInputError
from ansible_collections.runai.platform.plugins.module_utils.metrics.low_utilization import (
    DEFAULT_MIN_RUNNING_SECONDS,
    DEFAULT_PERCENT,
)
from ansible_collections.runai.platform.plugins.plugin_utils.reclaim import (
    check_options,
    names,
    outcome,
    select,
    summary_line,
)

CLUSTER = "71f69d83-ba66-4822-adf5-55ce55efd210"
START, END = "2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z"
PROJECT_IDS = {"team-a": "3", "team-b": "6"}


def client_for(transport):
    return RunaiClient(url=transport.base_url, token="t", transport=transport, retries=0)


def params(**overrides):
    """The options as the action validates them, with the defaults of its argument spec."""
    values = dict(projects=[], start=START, end=END, low_utilization_percent=DEFAULT_PERCENT,
                  low_utilization_min_running_seconds=DEFAULT_MIN_RUNNING_SECONDS, exclude_names=[],
                  exclude_projects=[], exclude_annotation="runai.platform/reclaim", reclaim="suspend", samples=60,
                  parallelism=1)
    values.update(overrides)
    return values


def workload(name, utilization, gpus=2, project="team-a", kind="Training", suspendable=True, started_minute=0):
    """A running v1 workload, its GPU utilization over the window, and when it started running (minutes in)."""
    return {
        "id": "id-" + name, "name": name, "projectName": project, "projectId": PROJECT_IDS[project],
        "clusterId": CLUSTER, "type": kind, "phase": "Running", "createdAt": "2026-01-01T00:%02d:00Z" % started_minute,
        "totalPendingTimeSeconds": 0, "allocatedResources": {"gpu": gpus},
        "actionsSupport": {"suspend": suspendable}, "utilization": utilization,
    }


def v2_object(annotations=None):
    metadata = {"name": "job", "annotations": annotations} if annotations else {"name": "job"}
    return {"workload": {"rawManifest": {"apiVersion": "batch/v1", "kind": "Job", "metadata": metadata}}}


def expect_gathering(transport, workloads):
    """The listing of running workloads, then the metrics and the pods of each, in order."""
    listed = [{key: value for key, value in item.items() if key != "utilization"} for item in workloads]
    transport.expect("GET", "/api/v1/workloads", body={"workloads": listed},
                     check=lambda call: "phase==Running" in call["params"]["filterBy"])
    for item in workloads:
        measurements = [{"type": "GPU_UTILIZATION", "values": [
            {"timestamp": "2026-01-01T00:59:00Z", "value": str(item["utilization"])}]}]
        transport.expect("GET", "/api/v1/workloads/%s/metrics" % item["id"], body={"measurements": measurements})
        transport.expect("GET", "/api/v1/workloads/%s/pods" % item["id"], body={"pods": []})


def expect_project(transport, name):
    transport.expect("GET", "/api/v1/org-unit/projects", body={"projects": [
        {"name": name, "id": PROJECT_IDS.get(name, "99"), "clusterId": CLUSTER, "status": {"phase": "Ready"}}]})


# The order of the rows, and so of the manifest reads: most GPU-hours first.
IDLE = workload("train-idle", 3, gpus=4)
BUSY = workload("train-busy", 85)
WARMING_UP = workload("train-warming-up", 3, started_minute=55)
NOTEBOOK = workload("nb-alice", 2, kind="Workspace")
OTHER_PROJECT = workload("train-b", 3, project="team-b")
SERVER = workload("serve", 1, kind="Deployment", suspendable=False)
KEPT = workload("train-kept", 3, gpus=1)
EVERY = [IDLE, BUSY, WARMING_UP, NOTEBOOK, OTHER_PROJECT, SERVER, KEPT]


def test_the_idle_workloads_not_excluded_are_reclaimed_and_the_others_set_apart_with_the_reason(scripted_transport):
    expect_project(scripted_transport, "team-b")
    expect_gathering(scripted_transport, EVERY)
    # Only the idle workloads no listed fact excludes have their manifest read, most GPU-hours first.
    scripted_transport.expect("GET", "/api/v2/workloads/id-train-idle", body=v2_object({"team": "vision"}))
    scripted_transport.expect("GET", "/api/v2/workloads/id-train-kept",
                              body=v2_object({"runai.platform/reclaim": " False "}))

    selection = select(client_for(scripted_transport), params(exclude_names=["nb-*", ""], exclude_projects=["team-b"]),
                       None)

    assert selection["workloads"] == [{
        "name": "train-idle", "project": "team-a", "project_id": "3", "cluster_id": CLUSTER, "id": "id-train-idle",
        "type": "Training", "gpus": 4, "gpu_utilization_mean_percent": 3.0, "running_seconds": 3600}]
    assert selection["gpus"] == 4
    assert selection["batch_items"] == [{"name": "train-idle", "project": "team-a", "cluster_id": CLUSTER}]
    assert [(item["name"], item["excluded_by"]) for item in selection["excluded"]] == [
        ("nb-alice", "name"), ("serve", "kind"), ("train-kept", "annotation"), ("train-b", "project")]
    assert selection["excluded"][1]["reason"] == (
        "a Deployment cannot be suspended (reclaim: delete would free its GPUs)")
    assert selection["window"] == {"start": START, "end": END}
    assert selection["thresholds"] == {"low_utilization_percent": DEFAULT_PERCENT,
                                       "low_utilization_min_running_seconds": DEFAULT_MIN_RUNNING_SECONDS}


def test_deleting_reclaims_a_kind_that_cannot_be_suspended(scripted_transport):
    expect_gathering(scripted_transport, [SERVER])
    scripted_transport.expect("GET", "/api/v2/workloads/id-serve", body=v2_object())

    selection = select(client_for(scripted_transport), params(reclaim="delete"), None)

    assert [item["name"] for item in selection["workloads"]] == ["serve"]


def test_a_workload_deleted_since_it_was_listed_is_set_apart_and_other_annotation_values_keep_none(
        scripted_transport):
    expect_gathering(scripted_transport, [IDLE, KEPT])
    scripted_transport.expect("GET", "/api/v2/workloads/id-train-idle", status=404, body={"message": "not found"})
    scripted_transport.expect("GET", "/api/v2/workloads/id-train-kept",
                              body=v2_object({"runai.platform/reclaim": "true"}))

    selection = select(client_for(scripted_transport), params(), None)

    assert [item["name"] for item in selection["workloads"]] == ["train-kept"]
    assert [(item["name"], item["excluded_by"]) for item in selection["excluded"]] == [("train-idle", "gone")]


def test_an_empty_annotation_turns_the_check_off(scripted_transport):
    expect_gathering(scripted_transport, [IDLE, KEPT])

    selection = select(client_for(scripted_transport), params(exclude_annotation=" "), None)

    assert [item["name"] for item in selection["workloads"]] == ["train-idle", "train-kept"]
    assert selection["gpus"] == 5


def test_the_thresholds_decide_as_the_report_does(scripted_transport):
    expect_gathering(scripted_transport, [BUSY, WARMING_UP])
    scripted_transport.expect("GET", "/api/v2/workloads/id-train-busy", body=v2_object())
    scripted_transport.expect("GET", "/api/v2/workloads/id-train-warming-up", body=v2_object())

    selection = select(client_for(scripted_transport),
                       params(low_utilization_percent=90, low_utilization_min_running_seconds=300), None)

    assert [item["name"] for item in selection["workloads"]] == ["train-busy", "train-warming-up"]


def test_the_projects_are_checked_first_and_an_unknown_one_fails_naming_the_option(scripted_transport):
    expect_project(scripted_transport, "team-a")
    scripted_transport.expect("GET", "/api/v1/org-unit/projects", body={"projects": []})
    scripted_transport.expect("GET", "/api/v1/org-unit/projects", body={"projects": [{"name": "team-a"}]})

    with pytest.raises(RunaiInputError) as caught:
        select(client_for(scripted_transport), params(projects=["team-a"], exclude_projects=["team-z"]), None)

    assert str(caught.value) == ("Invalid value for option 'exclude_projects': no project named 'team-z' is visible "
                                 "to these credentials, so excluding it would protect nothing. Check the name.")


def test_an_unknown_project_to_look_in_fails_as_runai_workload_info_does(scripted_transport):
    scripted_transport.expect("GET", "/api/v1/org-unit/projects", body={"projects": []})
    scripted_transport.expect("GET", "/api/v1/org-unit/projects", body={"projects": [{"name": "team-a"}]})

    with pytest.raises(RunaiInputError, match="no project named 'team-z' was found"):
        select(client_for(scripted_transport), params(projects=["team-z"]), None)


@pytest.mark.parametrize("option, value, problem", [
    ("low_utilization_percent", 0.0, "must be more than 0 and at most 100, not 0.0."),
    ("low_utilization_percent", 100.5, "must be more than 0 and at most 100, not 100.5."),
    ("low_utilization_min_running_seconds", -1, "must be 0 or more, not -1."),
    ("parallelism", 0, "must be 1 or more, not 0."),
])
def test_bad_options_fail_naming_the_option(option, value, problem):
    with pytest.raises(RunaiInputError) as caught:
        check_options(params(**{option: value}))
    assert str(caught.value) == "Invalid value for option '%s': %s" % (option, problem)


def test_list_options_drop_empty_and_repeated_entries():
    assert names([" team-a", "", "team-b ", "team-a", " "]) == ["team-a", "team-b"]


def test_the_summary_line_says_what_was_found_by_which_rule():
    selection = {"thresholds": {"low_utilization_percent": 20.0, "low_utilization_min_running_seconds": 600},
                 "window": {"start": START, "end": END}, "gpus": 2.5,
                 "workloads": [{"project": "team-a", "name": "a"}, {"project": "team-b", "name": "b"}],
                 "excluded": [{"project": "team-a", "name": "c"}]}
    rule = ("a mean GPU utilization below 20% over at least 600 s running between 2026-01-01T00:00:00Z and "
            "2026-01-01T01:00:00Z")

    assert summary_line(selection) == "Found 2 idle workloads holding 2.5 GPUs, with %s: team-a/a, team-b/b; " \
        "1 idle workload excluded." % rule
    assert summary_line(dict(selection, workloads=[], excluded=[])) == (
        "Found no running workload holding GPUs with %s." % rule)


FOUND = {
    "workloads": [{"id": "1", "project": "project-a", "name": "eval-2", "gpus": 1},
                  {"id": "2", "project": "team-a", "name": "sweep-07", "gpus": 2},
                  {"id": "3", "project": "team-a", "name": "stuck", "gpus": 0.5}],
    "excluded": [{"id": "4", "project": "team-a", "name": "notebook-alice", "gpus": 1, "excluded_by": "name"}],
}
SKIPPED = {"changed": False, "skipped": True, "skip_reason": "Conditional result was False"}


def batch(*outcomes):
    """runai_workload's result over FOUND's workloads: (id, changed, failed) per item."""
    return {"results": [{"id": workload_id, "project": "team-a", "name": "stuck", "changed": changed, "failed": failed,
                         "msg": "stuck (project team-a): refused" if failed else ""}
                        for workload_id, changed, failed in outcomes]}


def test_the_outcome_counts_only_what_the_batch_changed_and_says_it_in_one_line():
    result = outcome(FOUND, batch(("1", True, False), ("2", True, False), ("3", False, True)), False, "suspend")

    assert [workload["name"] for workload in result["reclaimed"]] == ["eval-2", "sweep-07"]
    assert (result["workloads"], result["gpus"], result["check_mode"], result["action"]) == (2, 3, False, "suspend")
    assert [item["id"] for item in result["failures"]] == ["3"]
    assert result["line"] == (
        "Reclaimed 2 idle workloads holding 3 GPUs by suspending: project-a/eval-2, team-a/sweep-07. "
        "Kept 1 idle workload (excluded): team-a/notebook-alice. Could not reclaim team-a/stuck.")


def test_a_check_says_what_would_be_reclaimed_and_a_fraction_of_a_gpu_stays_one():
    result = outcome(dict(FOUND, excluded=[]), batch(("1", True, False), ("3", True, False)), True, "delete")

    assert result["gpus"] == 1.5
    assert result["line"] == ("Would reclaim 2 idle workloads holding 1.5 GPUs by deleting: project-a/eval-2, "
                              "team-a/stuck.")


@pytest.mark.parametrize("found, line", [
    (SKIPPED, "No idle workload holds GPUs; nothing to reclaim."),
    ({"workloads": [], "excluded": FOUND["excluded"]},
     "Nothing to reclaim. Kept 1 idle workload (excluded): team-a/notebook-alice."),
])
def test_nothing_found_or_a_skipped_search_reclaims_nothing(found, line):
    result = outcome(found, SKIPPED, False, "suspend")

    assert (result["workloads"], result["gpus"], result["reclaimed"], result["failures"]) == (0, 0, [], [])
    assert result["line"] == line


def test_a_batch_that_changed_nothing_reclaimed_none():
    assert outcome(FOUND, batch(("1", False, False)), False, "suspend")["line"].startswith(
        "Reclaimed 0 idle workloads holding 0 GPUs by suspending: none.")
