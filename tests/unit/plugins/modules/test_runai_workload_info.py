# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.runai.platform.plugins.modules import runai_workload_info
from ansible_collections.runai.platform.tests.unit.plugins.modules.info_module_harness import run_info_module

WORKLOAD_ID = "2d5f5a3c-3a8e-4c1b-9a8e-0d6c1f3c9b11"
CLUSTER = "71f69d83-ba66-4822-adf5-55ce55efd210"
LIST = "/api/v1/workloads"
COUNT = "/api/v1/workloads/count"
PROJECTS = "/api/v1/org-unit/projects"


def workload(name, project="team-a", number=1):
    return {"id": "00000000-0000-4000-8000-%012d" % number, "name": name, "projectName": project, "clusterId": CLUSTER,
            "phase": "Running"}


def run(args, transport, monkeypatch, **kwargs):
    return run_info_module(runai_workload_info.main, args, transport, monkeypatch, **kwargs)


def test_one_workload_by_id_is_one_get(scripted_transport, monkeypatch):
    scripted_transport.expect("GET", "/api/v1/workloads/%s" % WORKLOAD_ID, body=dict(workload("a"), id=WORKLOAD_ID))

    result, failed = run(dict(id=WORKLOAD_ID), scripted_transport, monkeypatch, check_mode=True)

    assert not failed
    assert result["workload"]["id"] == WORKLOAD_ID and result["workloads"] == [result["workload"]]
    assert len(scripted_transport.calls) == 1
    assert scripted_transport.calls[0]["headers"]["Authorization"] == "Bearer api-token"


def test_an_unknown_id_fails_naming_the_id(scripted_transport, monkeypatch):
    scripted_transport.expect("GET", "/api/v1/workloads/%s" % WORKLOAD_ID, status=404,
                              body={"code": 404, "message": "Resource id not found."})

    result, failed = run(dict(id=WORKLOAD_ID), scripted_transport, monkeypatch)

    assert failed and result["status"] == 404
    assert WORKLOAD_ID in result["msg"] and "'id'" in result["msg"]


def test_an_id_that_is_not_a_uuid_fails_before_any_request(scripted_transport, monkeypatch):
    result, failed = run(dict(id="my-workload"), scripted_transport, monkeypatch)

    assert failed and "'id'" in result["msg"] and "UUID" in result["msg"]
    assert scripted_transport.calls == []


def test_a_name_in_a_project_is_one_filtered_request(scripted_transport, monkeypatch):
    scripted_transport.expect("GET", LIST, body={"workloads": [workload("train")]})

    result, failed = run(dict(name="train", project="team-a"), scripted_transport, monkeypatch)

    assert not failed and result["workload"]["name"] == "train" and len(result["workloads"]) == 1
    assert scripted_transport.calls[0]["params"] == {"filterBy": "name==train,projectName==team-a", "offset": 0,
                                                     "limit": 500}


def test_a_missing_name_is_an_empty_result_not_a_failure(scripted_transport, monkeypatch):
    scripted_transport.expect("GET", LIST, body={"workloads": []})
    scripted_transport.expect("GET", PROJECTS, body={"projects": [{"name": "team-a", "id": "3"}]})

    result, failed = run(dict(name="nope", project="team-a"), scripted_transport, monkeypatch)

    assert not failed and result["workload"] is None and result["workloads"] == []


@pytest.mark.parametrize("count", [False, True])
def test_an_unknown_project_fails_naming_projects_that_exist(scripted_transport, monkeypatch, count):
    if count:
        scripted_transport.expect("GET", COUNT, body={"count": 0})
    else:
        scripted_transport.expect("GET", LIST, body={"workloads": []})
    scripted_transport.expect("GET", PROJECTS, body={"projects": []})
    scripted_transport.expect("GET", PROJECTS, body={"projects": [{"name": "team-a"}, {"name": "project-a"}]})

    result, failed = run(dict(project="team-x", count=count), scripted_transport, monkeypatch)

    assert failed and "no project named 'team-x'" in result["msg"]
    assert "include: project-a, team-a." in result["msg"]
    assert scripted_transport.calls[-2]["params"] == {"filterBy": "name==team-x"}


def test_a_name_in_several_projects_fails_asking_for_the_project(scripted_transport, monkeypatch):
    scripted_transport.expect("GET", LIST, body={"workloads": [workload("train", "team-a", 1), workload("train", "b", 2)]})

    result, failed = run(dict(name="train"), scripted_transport, monkeypatch)

    assert failed and "'name'" in result["msg"] and "'project'" in result["msg"]


def test_plain_filters_sort_and_search_go_to_the_server(scripted_transport, monkeypatch):
    scripted_transport.expect("GET", LIST, body={"workloads": [workload("a")]})

    result, failed = run(
        dict(project="team-a", phase=["Running"], name_prefix="tr", submitted_by="alice", min_gpus=1,
             filter_by=["category==Train"], search="resnet", sort_by="createdAt", sort_order="desc", deleted=True),
        scripted_transport, monkeypatch,
    )

    assert not failed and "workload" not in result and len(result["workloads"]) == 1
    assert scripted_transport.calls[0]["params"] == {
        "filterBy": "projectName==team-a,phase==Running,name=^tr,submittedBy==alice,allocatedGPU>=1,category==Train",
        "search": "resnet",
        "deleted": "true",
        "sortBy": "createdAt",
        "sortOrder": "desc",
        "offset": 0,
        "limit": 500,
    }


def test_a_listing_pages_until_the_limit_is_reached(scripted_transport, monkeypatch):
    first = [workload("w%d" % number, number=number) for number in range(500)]
    second = [workload("w%d" % number, number=number) for number in range(500, 1000)]
    scripted_transport.expect("GET", LIST, body={"workloads": first, "next": 500})
    scripted_transport.expect("GET", LIST, body={"workloads": second[:200], "next": 700})

    result, failed = run(dict(project="team-a", sort_by="name", limit=700), scripted_transport, monkeypatch)

    assert not failed and len(result["workloads"]) == 700
    assert [(call["path"], call["params"].get("offset"), call["params"].get("limit"))
            for call in scripted_transport.calls] == [(LIST, 0, 500), (LIST, 500, 200)]


def test_fields_apply_to_the_workload_read_by_id_and_by_name(scripted_transport, monkeypatch):
    scripted_transport.expect("GET", "/api/v1/workloads/%s" % WORKLOAD_ID, body=dict(workload("a"), id=WORKLOAD_ID))
    scripted_transport.expect("GET", LIST, body={"workloads": [workload("train")]})

    by_id, failed_by_id = run(dict(id=WORKLOAD_ID, fields=["name", "phase"]), scripted_transport, monkeypatch)
    by_name, failed_by_name = run(dict(name="train", project="team-a", hidden_fields=["clusterId", "projectName"]),
                                  scripted_transport, monkeypatch)

    assert not failed_by_id and not failed_by_name
    assert by_id["workload"] == {"name": "a", "phase": "Running"} and by_id["workloads"] == [by_id["workload"]]
    assert set(by_name["workload"]) == {"id", "name", "phase"} and by_name["workloads"] == [by_name["workload"]]


def test_count_asks_the_count_endpoint_with_the_same_filters(scripted_transport, monkeypatch):
    scripted_transport.expect("GET", "/api/v1/workloads/count", body={"count": 42})

    result, failed = run(dict(phase=["Running", "Pending"], project="team-a", count=True), scripted_transport,
                         monkeypatch)

    assert not failed and result["count"] == 42 and "workloads" not in result
    sent = scripted_transport.calls[0]["params"]["filterBy"].split(",")
    assert sent[0] == "projectName==team-a" and "phase!=Failed" in sent and "phase!=Running" not in sent


def test_count_refuses_sorting(scripted_transport, monkeypatch):
    result, failed = run(dict(count=True, sort_by="name"), scripted_transport, monkeypatch)

    assert failed and "'sort_by'" in result["msg"] and scripted_transport.calls == []


def test_telemetry_sends_its_type_groups_and_scope(scripted_transport, monkeypatch):
    answer = {"type": "WORKLOADS_COUNT", "timestamp": "2026-01-31T12:00:00Z",
              "values": [{"value": "3", "groups": [{"key": "Phase", "value": "Running", "name": "Running"}]}]}
    scripted_transport.expect("GET", "/api/v1/workloads/telemetry", body=answer)

    result, failed = run(
        dict(cluster_id=CLUSTER, telemetry=dict(type="WORKLOADS_COUNT", group_by=["ProjectId", "Phase"],
                                                nodepool="default", department_id="2")),
        scripted_transport, monkeypatch,
    )

    assert not failed and result["telemetry"] == answer
    assert scripted_transport.calls[0]["params"] == {"telemetryType": "WORKLOADS_COUNT", "groupBy": "ProjectId,Phase",
                                                     "clusterId": CLUSTER, "nodepoolName": "default",
                                                     "departmentId": "2"}


def test_telemetry_groups_by_at_most_two_fields(scripted_transport, monkeypatch):
    result, failed = run(dict(telemetry=dict(type="GPU_ALLOCATION", group_by=["ProjectId", "Phase", "Type"])),
                         scripted_transport, monkeypatch)

    assert failed and "telemetry.group_by" in result["msg"] and scripted_transport.calls == []


@pytest.mark.parametrize(
    "args, option",
    [
        (dict(sort_by="owner"), "sort_by"),
        (dict(limit=0), "limit"),
        (dict(phase=["Sleeping"]), "phase"),
        (dict(filter_by=["owner==me"]), "filter_by"),
        (dict(created_after="yesterday"), "created_after"),
        (dict(id=WORKLOAD_ID, project="team-a"), "project"),
        (dict(telemetry=dict(type="WORKLOADS_COUNT"), phase=["Running"]), "phase"),
        (dict(telemetry=dict(type="NODES")), "type"),
        (dict(sort_order="up"), "sort_order"),
        (dict(fields=["phse"]), "fields"),
        (dict(id=WORKLOAD_ID, hidden_fields=["allocatedResources..gpu"]), "hidden_fields"),
        (dict(fields=["name"], hidden_fields=["phase"]), "fields"),
        (dict(count=True, fields=["name"]), "fields"),
        (dict(telemetry=dict(type="WORKLOADS_COUNT"), hidden_fields=["phase"]), "hidden_fields"),
    ],
)
def test_bad_input_fails_before_any_request_naming_the_option(args, option, scripted_transport, monkeypatch):
    result, failed = run(args, scripted_transport, monkeypatch)

    assert failed and option in result["msg"], result["msg"]
    assert scripted_transport.calls == []


def test_client_credentials_are_exchanged_once_and_never_returned(scripted_transport, monkeypatch):
    scripted_transport.expect_token("issued-token-1")
    scripted_transport.expect("GET", LIST, body={"workloads": []})
    scripted_transport.expect("GET", PROJECTS, body={"projects": [{"name": "team-a", "id": "3"}]})

    result, failed = run(dict(token=None, client_id="app", client_secret="client-secret-value", project="team-a"),
                         scripted_transport, monkeypatch)

    assert not failed
    assert "client-secret-value" not in repr(result) and "issued-token-1" not in repr(result)
    assert scripted_transport.calls[1]["headers"]["Authorization"] == "Bearer issued-token-1"


def test_telemetry_takes_the_2_24_type_and_phase_filter_where_the_level_has_them(scripted_transport, monkeypatch):
    answer = {"type": "PENDING_TIME_DISTRIBUTION", "timestamp": "2026-01-31T12:00:00Z", "values": []}
    scripted_transport.expect("GET", "/api/v1/clusters", body=[{"uuid": CLUSTER, "name": "c", "version": "2.24.1"}])
    scripted_transport.expect("GET", "/api/v1/workloads/telemetry", body=answer)

    result, failed = run(dict(telemetry=dict(type="PENDING_TIME_DISTRIBUTION", phases=["Pending", "Running", "Pending"])),
                         scripted_transport, monkeypatch)

    assert not failed and result["telemetry"] == answer
    assert scripted_transport.calls[1]["params"] == {"telemetryType": "PENDING_TIME_DISTRIBUTION",
                                                     "filterByPhases": "Pending,Running"}


def test_a_telemetry_phase_filter_on_2_23_is_refused_before_the_request(scripted_transport, monkeypatch):
    # 2.23 has no filterByPhases: it would ignore it and count every phase.
    scripted_transport.expect("GET", "/api/v1/clusters", body=[{"uuid": CLUSTER, "name": "c", "version": "2.23.9"}])

    result, failed = run(dict(telemetry=dict(type="WORKLOADS_COUNT", phases=["Running"])), scripted_transport,
                         monkeypatch)

    assert failed and "telemetry.phases" in result["msg"] and "2.23" in result["msg"]
    assert [call["path"] for call in scripted_transport.calls] == ["/api/v1/clusters"]
