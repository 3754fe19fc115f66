# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Control-plane levels (--api-level): each serves what its own vendor reference has, and every answer is validated
against that level's copy of the reference."""

import pytest
from runai_simulator.testing import SimulatorProcess

from simulator_support import SPEED, Contract, create_body, job_manifest, running_window

CLUSTER_A = "71f69d83-ba66-4822-adf5-55ce55efd210"
VERSIONS = {"2.23": "2.23.17", "2.24": "2.24.6", "3.0": "3.0.2"}
NVLINK = {"2.23": "DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL", "2.24": "NVLINK_BANDWIDTH_TOTAL", "3.0": "NVLINK_BANDWIDTH_TOTAL"}


@pytest.fixture(scope="module", params=("2.23", "2.24", "3.0"))
def level(request):
    """(level, its simulator, a contract call validated against the level's reference)."""
    validator = Contract(request.param)
    with SimulatorProcess(speed=SPEED, api_level=request.param) as simulator:
        def call(method, path, status, valid=True, **kwargs):
            response = simulator.api(method, path, **kwargs)
            assert response.status_code == status, (method, path, response.status_code, response.text)
            if status < 500:
                validator.check(response, valid_request=valid)
            return response

        yield request.param, simulator, call


def _unique(prefix, level_name):
    return "%s-%s" % (prefix, level_name.replace(".", "-"))


def test_token_answer(level):
    name, simulator, _call = level
    response = simulator._requests().post(simulator.url + "/api/v1/token", json={
        "grantType": "client_credentials", "clientID": simulator.client_id, "clientSecret": simulator.client_secret})
    Contract(name).check(response)
    assert ("expiresIn" in response.json()) == (name != "2.23")


def test_clusters_report_the_level(level):
    name, _simulator, call = level
    clusters = call("GET", "/api/v1/clusters", 200).json()
    assert [cluster["version"] for cluster in clusters] == [VERSIONS[name]] * 2
    assert clusters[0]["uuid"] == CLUSTER_A and clusters[0]["status"]["state"] == "Connected"


def test_create_metadata_of_the_level(level):
    name, simulator, call = level
    body = create_body(_unique("meta", name), job_manifest(), clusterId="00000000-0000-4000-8000-000000000000",
                       preemptibility="non-preemptible", useGivenNameAsPrefix=True, priority="low")
    if name == "2.23":
        # clusterId, preemptibility and useGivenNameAsPrefix are not 2.23 fields: ignored, not stored
        created = call("POST", "/api/v2/workloads", 202, valid=False, json=body).json()
        assert created["metadata"]["name"] == body["metadata"]["name"]
        assert "preemptibility" not in created["metadata"]
        stored = call("GET", "/api/v2/workloads/" + created["metadata"]["id"], 200).json()["workload"]["metadata"]
        assert "preemptibility" not in stored and stored["clusterId"] == CLUSTER_A
        # name is required at 2.23 (later levels fall back to the manifest's)
        nameless = {"metadata": {"projectId": "1"}, "manifest": job_manifest("from-manifest")}
        call("POST", "/api/v2/workloads", 400, valid=False, json=nameless)
    else:
        call("POST", "/api/v2/workloads", 400, json=body)  # a clusterId that is not the project's
        del body["metadata"]["clusterId"]
        created = call("POST", "/api/v2/workloads", 202, json=body).json()
        assert created["metadata"]["name"].startswith(body["metadata"]["name"] + "-")
        assert created["metadata"]["preemptibility"] == "non-preemptible"
    simulator.api("DELETE", "/api/v2/workloads/" + created["metadata"]["id"])


def test_dry_run_is_real_where_the_level_ignores_it(level):
    name, simulator, call = level
    workload_name = _unique("dry", name)
    created = call("POST", "/api/v2/workloads?dryRun=true", 202, valid=name != "2.24",
                   json=create_body(workload_name)).json()
    if name == "2.23":
        assert call("GET", "/api/v2/workloads/" + created["metadata"]["id"], 200).json()["workload"]
        call("POST", "/api/v2/workloads", 409, json=create_body(workload_name))
        simulator.api("DELETE", "/api/v2/workloads/" + created["metadata"]["id"])
    else:
        call("GET", "/api/v2/workloads/" + created["metadata"]["id"], 404)
        listed = call("GET", "/api/v1/workloads", 200, params={"filterBy": "name==" + workload_name}).json()
        assert listed["workloads"] == []


def test_update_route_per_level(level):
    name, simulator, call = level
    workload_id = call("POST", "/api/v2/workloads", 202, json=create_body(_unique("upd", name))).json()[
        "metadata"]["id"]
    simulator.forget_requests()
    response = simulator.api("PUT", "/api/v2/workloads/" + workload_id, json={"metadata": {"priority": "high"}})
    if name == "2.23":
        # the path exists (GET, DELETE) but has no PUT: 405 with the Error body, and the attempt is counted
        assert response.status_code == 405 and response.json() == {"code": 405, "message": "Method not allowed."}
        by_route = simulator.stats()["requests"]["by_route"]
        assert by_route == {"PUT (no route)": 1}
        assert simulator.api("GET", "/api/v2/workloads/" + workload_id).json()["workload"]["metadata"][
            "priority"] == "low"
    else:
        assert response.status_code == 202, response.text
        Contract(name).check(response, valid_request=True)
        assert response.json()["metadata"]["priority"] == "high"
    call("DELETE", "/api/v2/workloads/" + workload_id, 202)


def test_enums_of_the_level(level):
    name, simulator, call = level
    created = call("POST", "/api/v2/workloads", 202, json=create_body(_unique("enum", name), job_manifest(
        gpus=2, annotations={"simulator.run.ai/complete-after": "3600"}))).json()
    workload_id = created["metadata"]["id"]
    start, end = running_window(simulator, workload_id)
    window = {"start": start, "end": end, "numberOfSamples": 3}
    body = call("GET", "/api/v1/workloads/%s/metrics" % workload_id, 200,
                params=dict(window, metricType=NVLINK[name])).json()
    assert body["measurements"][0]["type"] == NVLINK[name]
    other = NVLINK["2.23"] if name != "2.23" else NVLINK["2.24"]
    call("GET", "/api/v1/workloads/%s/metrics" % workload_id, 400, valid=False, params=dict(window, metricType=other))

    pod_id = simulator.api("GET", "/api/v1/workloads/%s/pods" % workload_id).json()["pods"][0]["id"]
    pod_metric = NVLINK[name] + "_PER_GPU"
    assert simulator.api("GET", "/api/v1/workloads/%s/pods/%s/metrics" % (workload_id, pod_id), params=dict(
        window, metricType=pod_metric)).status_code == 207  # advanced per-GPU metric, left out by default
    call("GET", "/api/v1/workloads/%s/pods/%s/metrics" % (workload_id, pod_id), 400, valid=False, params=dict(
        window, metricType=other + "_PER_GPU"))

    pending = {"telemetryType": "PENDING_TIME_DISTRIBUTION"}
    bad_phase = {"telemetryType": "WORKLOADS_COUNT", "filterByPhases": "Sleeping"}
    if name == "2.23":
        call("GET", "/api/v1/workloads/telemetry", 400, valid=False, params=pending)
        call("GET", "/api/v1/workloads/telemetry", 200, valid=False, params=bad_phase)  # not a 2.23 parameter
    else:
        call("GET", "/api/v1/workloads/telemetry", 200, params=pending)
        call("GET", "/api/v1/workloads/telemetry", 400, valid=False, params=bad_phase)
        running = call("GET", "/api/v1/workloads/telemetry", 200, params={
            "telemetryType": "WORKLOADS_COUNT", "filterByPhases": "Running"}).json()
        assert running["values"][0]["value"] == "1"
    call("DELETE", "/api/v2/workloads/" + workload_id, 202)


def test_v1_views_validate_against_the_level(level):
    name, simulator, call = level
    workload_id = call("POST", "/api/v2/workloads", 202, json=create_body(_unique("view", name))).json()[
        "metadata"]["id"]
    call("GET", "/api/v2/workloads/" + workload_id, 200)
    call("GET", "/api/v1/workloads/" + workload_id, 200)
    call("GET", "/api/v1/workloads", 200, params={"limit": 1})
    call("GET", "/api/v1/workloads/count", 200)
    call("GET", "/api/v1/workloads/pods", 200)
    call("GET", "/api/v1/org-unit/projects", 200)
    deleted = call("DELETE", "/api/v2/workloads/" + workload_id, 202).json()
    assert deleted["desiredPhase"] == "Deleted"


def test_actions_events_and_history_per_level(level):
    """Batch, per-kind suspend and resume, events and history: served as each level's reference has them (every
    level's does), the answers valid against that level's reference."""
    from runai_simulator.app import level_routes
    from runai_simulator.spec import vocabulary

    name, simulator, call = level
    routes = {(method, path) for method, path, _handler, _write in level_routes(vocabulary(name))}
    assert ("POST", "/api/v1/workloads/batch") in routes
    for family in ("trainings", "workspaces", "distributed"):
        assert ("POST", "/api/v1/workloads/%s/{workloadId}/suspend" % family) in routes
        assert ("POST", "/api/v1/workloads/%s/{workloadId}/resume" % family) in routes
    workload_id = call("POST", "/api/v2/workloads", 202, json=create_body(_unique("act", name), job_manifest(
        annotations={"simulator.run.ai/complete-after": "3600"}))).json()["metadata"]["id"]
    call("POST", "/api/v1/workloads/trainings/%s/suspend" % workload_id, 202)
    assert call("GET", "/api/v1/workloads/" + workload_id, 200).json()["actionsSupport"]["suspend"] is True
    batch = call("POST", "/api/v1/workloads/batch", 200, json={"ids": [workload_id], "action": "resume"}).json()
    assert batch["succeeded"] == [workload_id]
    call("POST", "/api/v1/workloads/batch", 400, json={"ids": [workload_id] * 101, "action": "resume"})
    call("GET", "/api/v1/workloads/%s/events" % workload_id, 200)
    call("GET", "/api/v1/workloads/%s/history" % workload_id, 200)
    # a route no level has is a 404, a method a route lacks a 405, as for any missing route
    assert simulator.api("POST", "/api/v1/workloads/inferences/%s/suspend" % workload_id).status_code == 404
    assert simulator.api("GET", "/api/v1/workloads/trainings/%s/suspend" % workload_id).status_code in (404, 405)
    call("DELETE", "/api/v2/workloads/" + workload_id, 202)
