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


def workload(name, project="team-a", number=1):
    return {"id": "00000000-0000-4000-8000-%012d" % number, "name": name, "projectName": project, "clusterId": CLUSTER,
            "phase": "Running"}


def run(args, session, monkeypatch, **kwargs):
    return run_info_module(runai_workload_info.main, args, session, monkeypatch, **kwargs)


def test_one_workload_by_id_is_one_get(scripted_session, monkeypatch):
    scripted_session.expect("GET", "/api/v1/workloads/%s" % WORKLOAD_ID, body=dict(workload("a"), id=WORKLOAD_ID))

    result, failed = run(dict(id=WORKLOAD_ID), scripted_session, monkeypatch, check_mode=True)

    assert not failed
    assert result["workload"]["id"] == WORKLOAD_ID and result["workloads"] == [result["workload"]]
    assert len(scripted_session.calls) == 1
    assert scripted_session.calls[0]["headers"]["Authorization"] == "Bearer api-token"


def test_an_unknown_id_fails_naming_the_id(scripted_session, monkeypatch):
    scripted_session.expect("GET", "/api/v1/workloads/%s" % WORKLOAD_ID, status=404,
                            body={"code": 404, "message": "Resource id not found."})

    result, failed = run(dict(id=WORKLOAD_ID), scripted_session, monkeypatch)

    assert failed and result["status"] == 404
    assert WORKLOAD_ID in result["msg"] and "'id'" in result["msg"]


def test_an_id_that_is_not_a_uuid_fails_before_any_request(scripted_session, monkeypatch):
    result, failed = run(dict(id="my-workload"), scripted_session, monkeypatch)

    assert failed and "'id'" in result["msg"] and "UUID" in result["msg"]
    assert scripted_session.calls == []


def test_a_name_in_a_project_is_one_filtered_request(scripted_session, monkeypatch):
    scripted_session.expect("GET", LIST, body={"workloads": [workload("train")]})

    result, failed = run(dict(name="train", project="team-a"), scripted_session, monkeypatch)

    assert not failed and result["workload"]["name"] == "train" and len(result["workloads"]) == 1
    assert scripted_session.calls[0]["params"] == {"filterBy": "name==train,projectName==team-a", "offset": 0,
                                                   "limit": 500}


def test_a_missing_name_is_an_empty_result_not_a_failure(scripted_session, monkeypatch):
    scripted_session.expect("GET", LIST, body={"workloads": []})

    result, failed = run(dict(name="nope", project="team-a"), scripted_session, monkeypatch)

    assert not failed and result["workload"] is None and result["workloads"] == []


def test_a_name_in_several_projects_fails_asking_for_the_project(scripted_session, monkeypatch):
    scripted_session.expect("GET", LIST, body={"workloads": [workload("train", "team-a", 1), workload("train", "b", 2)]})

    result, failed = run(dict(name="train"), scripted_session, monkeypatch)

    assert failed and "'name'" in result["msg"] and "'project'" in result["msg"]


def test_plain_filters_sort_and_search_go_to_the_server(scripted_session, monkeypatch):
    scripted_session.expect("GET", LIST, body={"workloads": [workload("a")]})

    result, failed = run(
        dict(project="team-a", phase=["Running"], name_prefix="tr", submitted_by="alice", min_gpus=1,
             filter_by=["category==Train"], search="resnet", sort_by="createdAt", sort_order="desc", deleted=True),
        scripted_session, monkeypatch,
    )

    assert not failed and "workload" not in result and len(result["workloads"]) == 1
    assert scripted_session.calls[0]["params"] == {
        "filterBy": "projectName==team-a,phase==Running,name=^tr,submittedBy==alice,allocatedGPU>=1,category==Train",
        "search": "resnet",
        "deleted": "true",
        "sortBy": "createdAt",
        "sortOrder": "desc",
        "offset": 0,
        "limit": 500,
    }


def test_a_listing_pages_until_the_limit_is_reached(scripted_session, monkeypatch):
    first = [workload("w%d" % number, number=number) for number in range(500)]
    second = [workload("w%d" % number, number=number) for number in range(500, 1000)]
    scripted_session.expect("GET", LIST, body={"workloads": first, "next": 500})
    scripted_session.expect("GET", LIST, body={"workloads": second[:200], "next": 700})

    result, failed = run(dict(limit=700), scripted_session, monkeypatch)

    assert not failed and len(result["workloads"]) == 700
    pages = [(call["params"]["offset"], call["params"]["limit"]) for call in scripted_session.calls]
    assert pages == [(0, 500), (500, 200)]


def test_a_listing_follows_next_until_the_end(scripted_session, monkeypatch):
    scripted_session.expect("GET", LIST, body={"workloads": [workload("a", number=1)] * 500, "next": 500})
    scripted_session.expect("GET", LIST, body={"workloads": [workload("b", number=2)] * 500, "next": 1000})
    scripted_session.expect("GET", LIST, body={"workloads": [workload("c", number=3)] * 3})

    result, failed = run(dict(), scripted_session, monkeypatch)

    assert not failed and len(result["workloads"]) == 1003
    assert [call["params"]["offset"] for call in scripted_session.calls] == [0, 500, 1000]


def test_count_asks_the_count_endpoint_with_the_same_filters(scripted_session, monkeypatch):
    scripted_session.expect("GET", "/api/v1/workloads/count", body={"count": 42})

    result, failed = run(dict(phase=["Running", "Pending"], project="team-a", count=True), scripted_session,
                         monkeypatch)

    assert not failed and result["count"] == 42 and "workloads" not in result
    sent = scripted_session.calls[0]["params"]["filterBy"].split(",")
    assert sent[0] == "projectName==team-a" and "phase!=Failed" in sent and "phase!=Running" not in sent


def test_count_refuses_sorting(scripted_session, monkeypatch):
    result, failed = run(dict(count=True, sort_by="name"), scripted_session, monkeypatch)

    assert failed and "'sort_by'" in result["msg"] and scripted_session.calls == []


def test_telemetry_sends_its_type_groups_and_scope(scripted_session, monkeypatch):
    answer = {"type": "WORKLOADS_COUNT", "timestamp": "2026-01-31T12:00:00Z",
              "values": [{"value": "3", "groups": [{"key": "Phase", "value": "Running", "name": "Running"}]}]}
    scripted_session.expect("GET", "/api/v1/workloads/telemetry", body=answer)

    result, failed = run(
        dict(cluster_id=CLUSTER, telemetry=dict(type="WORKLOADS_COUNT", group_by=["ProjectId", "Phase"],
                                                nodepool="default", department_id="2")),
        scripted_session, monkeypatch,
    )

    assert not failed and result["telemetry"] == answer
    assert scripted_session.calls[0]["params"] == {"telemetryType": "WORKLOADS_COUNT", "groupBy": "ProjectId,Phase",
                                                   "clusterId": CLUSTER, "nodepoolName": "default",
                                                   "departmentId": "2"}


def test_telemetry_groups_by_at_most_two_fields(scripted_session, monkeypatch):
    result, failed = run(dict(telemetry=dict(type="GPU_ALLOCATION", group_by=["ProjectId", "Phase", "Type"])),
                         scripted_session, monkeypatch)

    assert failed and "telemetry.group_by" in result["msg"] and scripted_session.calls == []


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
    ],
)
def test_bad_input_fails_before_any_request_naming_the_option(args, option, scripted_session, monkeypatch):
    result, failed = run(args, scripted_session, monkeypatch)

    assert failed and option in result["msg"], result["msg"]
    assert scripted_session.calls == []


def test_client_credentials_are_exchanged_once_and_never_returned(scripted_session, monkeypatch):
    scripted_session.expect_token("issued-token-1")
    scripted_session.expect("GET", LIST, body={"workloads": []})

    result, failed = run(dict(token=None, client_id="app", client_secret="client-secret-value", project="team-a"),
                         scripted_session, monkeypatch)

    assert not failed
    assert "client-secret-value" not in repr(result) and "issued-token-1" not in repr(result)
    assert scripted_session.calls[1]["headers"]["Authorization"] == "Bearer issued-token-1"
