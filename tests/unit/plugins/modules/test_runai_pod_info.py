# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.runai.platform.plugins.modules import runai_pod_info
from ansible_collections.runai.platform.tests.unit.plugins.modules.info_module_harness import run_info_module

WORKLOAD_ID = "2d5f5a3c-3a8e-4c1b-9a8e-0d6c1f3c9b11"
REVISION_ID = "7e1d4c2b-1111-4222-8333-944455556666"
CLUSTER = "71f69d83-ba66-4822-adf5-55ce55efd210"
PODS = "/api/v1/workloads/pods"
WORKLOAD_PODS = "/api/v1/workloads/%s/pods" % WORKLOAD_ID
PROJECTS = "/api/v1/org-unit/projects"


def pod(number, workload_id=WORKLOAD_ID):
    return {"id": "00000000-0000-4000-9000-%012d" % number, "name": "p-%d" % number, "workloadId": workload_id,
            "k8sPhase": "Running"}


def run(args, transport, monkeypatch, **kwargs):
    return run_info_module(runai_pod_info.main, args, transport, monkeypatch, **kwargs)


def test_pods_of_a_workload_id_come_from_its_own_listing(scripted_transport, monkeypatch):
    scripted_transport.expect("GET", WORKLOAD_PODS, body={"pods": [pod(0), pod(1), pod(2)]})

    result, failed = run(dict(workload_id=WORKLOAD_ID), scripted_transport, monkeypatch, check_mode=True)

    assert not failed and [item["name"] for item in result["pods"]] == ["p-0", "p-1", "p-2"]
    assert result["workload_id"] == WORKLOAD_ID
    assert scripted_transport.calls[0]["params"] == {"offset": 0, "limit": 500}


def test_an_unknown_workload_id_fails_naming_the_option(scripted_transport, monkeypatch):
    scripted_transport.expect("GET", WORKLOAD_PODS, status=404, body={"code": 404, "message": "Resource id not found."})

    result, failed = run(dict(workload_id=WORKLOAD_ID), scripted_transport, monkeypatch)

    assert failed and result["status"] == 404 and "'workload_id'" in result["msg"] and WORKLOAD_ID in result["msg"]


def test_a_workload_name_is_resolved_with_one_filtered_request(scripted_transport, monkeypatch):
    scripted_transport.expect("GET", "/api/v1/workloads",
                              body={"workloads": [{"id": WORKLOAD_ID, "name": "train", "projectName": "team-a"}]})
    scripted_transport.expect("GET", WORKLOAD_PODS, body={"pods": [pod(0)]})

    result, failed = run(dict(workload_name="train", project="team-a", deleted=True), scripted_transport, monkeypatch)

    assert not failed and result["workload_id"] == WORKLOAD_ID and len(result["pods"]) == 1
    assert scripted_transport.calls[0]["params"] == {"filterBy": "name==train,projectName==team-a"}
    assert scripted_transport.calls[1]["params"] == {"deleted": "true", "offset": 0, "limit": 500}


def test_an_unknown_workload_name_is_an_empty_result(scripted_transport, monkeypatch):
    scripted_transport.expect("GET", "/api/v1/workloads", body={"workloads": []})
    scripted_transport.expect("GET", PROJECTS, body={"projects": [{"name": "team-a", "id": "3"}]})

    result, failed = run(dict(workload_name="nope", project="team-a"), scripted_transport, monkeypatch)

    assert not failed and result["pods"] == [] and result["workload_id"] is None
    assert len(scripted_transport.calls) == 2


def test_an_unknown_project_of_a_workload_name_fails_naming_projects_that_exist(scripted_transport, monkeypatch):
    scripted_transport.expect("GET", "/api/v1/workloads", body={"workloads": []})
    scripted_transport.expect("GET", PROJECTS, body={"projects": []})
    scripted_transport.expect("GET", PROJECTS, body={"projects": [{"name": "team-a"}]})

    result, failed = run(dict(workload_name="train", project="team-x"), scripted_transport, monkeypatch)

    assert failed and "no project named 'team-x'" in result["msg"] and "include: team-a." in result["msg"]


def test_cluster_listing_options_filter_the_cluster_wide_listing_on_the_workload(scripted_transport, monkeypatch):
    scripted_transport.expect("GET", PODS, body={"pods": [pod(1)]})

    result, failed = run(
        dict(workload_id=WORKLOAD_ID, node_name="node-1", nodepool="default", filter_by=["createdAt>=2026-01-01"],
             sort_by="nodeName", sort_order="desc", verbosity="full", completed=False, search="worker", limit=10),
        scripted_transport, monkeypatch,
    )

    assert not failed and len(result["pods"]) == 1
    assert scripted_transport.calls[0]["params"] == {
        "filterBy": "workloadId==%s,nodeName==node-1,currentNodepool==default,createdAt>=2026-01-01" % WORKLOAD_ID,
        "search": "worker",
        "sortBy": "nodeName",
        "sortOrder": "desc",
        "verbosity": "full",
        "completed": "false",
        "offset": 0,
        "limit": 10,
    }


def test_pods_across_the_cluster_page_through_the_listing(scripted_transport, monkeypatch):
    scripted_transport.expect("GET", PODS, body={"pods": [pod(number) for number in range(500)], "next": 500})
    scripted_transport.expect("GET", PODS, body={"pods": [pod(number) for number in range(500, 620)]})

    result, failed = run(dict(cluster_id=CLUSTER), scripted_transport, monkeypatch)

    assert not failed and len(result["pods"]) == 620 and "workload_id" not in result
    assert [call["params"]["offset"] for call in scripted_transport.calls] == [0, 500]
    assert scripted_transport.calls[0]["params"]["filterBy"] == "clusterId==%s" % CLUSTER


def test_count_asks_the_pod_count_endpoint(scripted_transport, monkeypatch):
    scripted_transport.expect("GET", "/api/v1/workloads/pods/count", body={"count": 3})

    result, failed = run(dict(workload_id=WORKLOAD_ID, count=True, deleted=True), scripted_transport, monkeypatch)

    assert not failed and result["count"] == 3 and "pods" not in result
    assert scripted_transport.calls[0]["params"] == {"filterBy": "workloadId==%s" % WORKLOAD_ID, "deleted": "true"}


def test_count_for_an_unknown_workload_name_is_zero(scripted_transport, monkeypatch):
    scripted_transport.expect("GET", "/api/v1/workloads", body={"workloads": []})
    scripted_transport.expect("GET", PROJECTS, body={"projects": [{"name": "team-a", "id": "3"}]})

    result, failed = run(dict(workload_name="nope", project="team-a", count=True), scripted_transport, monkeypatch)

    assert not failed and result["count"] == 0


def test_revision_pods_use_the_revision_route(scripted_transport, monkeypatch):
    scripted_transport.expect("GET", "/api/v1/workloads/inferences/revisions/%s/pods" % REVISION_ID,
                              body={"pods": [pod(0), pod(1), pod(2)]})

    result, failed = run(dict(revision_id=REVISION_ID, limit=2), scripted_transport, monkeypatch)

    assert not failed and [item["name"] for item in result["pods"]] == ["p-0", "p-1"]
    assert scripted_transport.calls[0]["params"] == {}


@pytest.mark.parametrize(
    "args, option",
    [
        (dict(sort_by="name"), "sort_by"),
        (dict(limit=0), "limit"),
        (dict(verbosity="debug"), "verbosity"),
        (dict(completed="sometimes"), "completed"),
        (dict(filter_by=["phase==Running"]), "filter_by"),
        (dict(workload_id="train"), "workload_id"),
        (dict(revision_id="rev-1"), "revision_id"),
        (dict(revision_id=REVISION_ID, node_name="node-1"), "node_name"),
        (dict(count=True, limit=5), "limit"),
        (dict(project="team-a"), "project"),
        (dict(workload_id=WORKLOAD_ID, workload_name="train"), "workload_id"),
    ],
)
def test_bad_input_fails_before_any_request_naming_the_option(args, option, scripted_transport, monkeypatch):
    result, failed = run(args, scripted_transport, monkeypatch)

    assert failed and option in result["msg"], result["msg"]
    assert scripted_transport.calls == []


def test_a_bad_filter_fails_before_the_name_is_looked_up(scripted_transport, monkeypatch):
    result, failed = run(dict(workload_name="train", project="team-a", filter_by=["nodeName~x"]), scripted_transport,
                         monkeypatch)

    assert failed and "'filter_by'" in result["msg"] and scripted_transport.calls == []
