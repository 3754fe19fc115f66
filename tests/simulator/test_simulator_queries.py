# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Paging, sorting, every filterBy operator with typed comparison, search, deleted, verbosity and completed."""

import time

import pytest

from simulator_support import create, deployment_manifest, job_manifest, v1, wait_for

PRIORITIES = {"alpha": "low", "bravo": "high", "charlie": "very-high", "delta": "medium", "echo": "low"}


@pytest.fixture
def five(sim):
    """Five workloads: alpha..echo, created in that order, with the priorities above (low=50 ... very-high=125)."""
    bodies = []
    for index, name in enumerate(PRIORITIES):
        bodies.append(create(sim, name, job_manifest(name, gpus=index), project_id="3" if name == "echo" else "1",
                             priority=PRIORITIES[name]))
        # createdAt has millisecond precision: two creates in one millisecond would tie in the sort and the filters.
        time.sleep(0.005)
    return [body["metadata"] for body in bodies]


def names(sim, **params):
    response = sim.api("GET", "/api/v1/workloads", params=params)
    assert response.status_code == 200, response.text
    return [workload["name"] for workload in response.json()["workloads"]]


def test_paging_walks_every_item_once(sim, five):
    seen, offset = [], 0
    while offset is not None:
        body = sim.api("GET", "/api/v1/workloads", params={"limit": 2, "offset": offset}).json()
        seen += [workload["name"] for workload in body["workloads"]]
        offset = body.get("next")
    assert seen == list(PRIORITIES)
    last = sim.api("GET", "/api/v1/workloads", params={"limit": 5}).json()
    assert "next" not in last and len(last["workloads"]) == 5
    assert names(sim, offset=10) == []


def test_default_limit_is_50(sim):
    for index in range(51):
        create(sim, "many-%02d" % index)
    body = sim.api("GET", "/api/v1/workloads").json()
    assert len(body["workloads"]) == 50 and body["next"] == 50


def test_sorting(sim, five):
    assert names(sim, sortBy="name", sortOrder="desc") == ["echo", "delta", "charlie", "bravo", "alpha"]
    assert names(sim, sortBy="createdAt") == list(PRIORITIES)
    by_priority = names(sim, sortBy="priority", sortOrder="desc")
    assert by_priority[:2] == ["charlie", "bravo"] and set(by_priority[3:]) == {"alpha", "echo"}
    assert names(sim, sortBy="projectName") == ["alpha", "bravo", "charlie", "delta", "echo"]


@pytest.mark.parametrize("expression, expected", [
    ("name==bravo", ["bravo"]),
    ("name!=bravo", ["alpha", "charlie", "delta", "echo"]),
    ("name=@ha", ["alpha", "charlie"]),
    ("name!@a", ["echo"]),
    ("name=^ch", ["charlie"]),
    ("name=$o", ["bravo", "echo"]),
    ("name<=bravo", ["alpha", "bravo"]),
    ("name>=delta", ["delta", "echo"]),
    # numbers compare as numbers: "100" >= "75" is false as text
    ("priority>=75", ["bravo", "charlie", "delta"]),
    ("priority<=50", ["alpha", "echo"]),
    ("priority==125", ["charlie"]),
    ("projectId==3", ["echo"]),
    ("projectId>=2", ["echo"]),
    ("projectName==team-a", ["echo"]),
    ("type==Job", ["alpha", "bravo", "charlie", "delta", "echo"]),
    ("name=^a,name=$a", ["alpha"]),
    ("name==nobody", []),
])
def test_filter_operators(sim, five, expression, expected):
    assert names(sim, filterBy=expression) == expected
    assert sim.api("GET", "/api/v1/workloads/count", params={"filterBy": expression}).json() == {"count": len(expected)}


def test_dates_compare_as_instants(sim, five):
    middle = five[2]["createdAt"]
    assert names(sim, filterBy="createdAt>=" + middle) == ["charlie", "delta", "echo"]
    assert names(sim, filterBy="createdAt<=" + middle) == ["alpha", "bravo", "charlie"]
    assert names(sim, filterBy="createdAt==" + middle) == ["charlie"]
    as_offset = middle.replace("Z", "+00:00")
    assert names(sim, filterBy="createdAt>=" + as_offset) == ["charlie", "delta", "echo"]
    assert names(sim, filterBy="completedAt>=2000-01-01T00:00:00Z") == []


def test_repeated_filter_parameters_are_anded(sim, five):
    response = sim.api("GET", "/api/v1/workloads", params=[("filterBy", "name=@a"), ("filterBy", "projectId==1")])
    assert [workload["name"] for workload in response.json()["workloads"]] == ["alpha", "bravo", "charlie", "delta"]


def test_search_is_free_text(sim, five):
    assert names(sim, search="CHAR") == ["charlie"]
    assert names(sim, search="team-a") == ["echo"]


def test_gpu_and_phase_filters(sim, five):
    wait_for(lambda: all(v1(sim, meta["id"])["phase"] == "Running" for meta in five))
    assert names(sim, filterBy="phase==Running,allocatedGPU>=2") == ["charlie", "delta", "echo"]
    assert names(sim, filterBy="allocatedGPU>=10") == []


def test_deleted_lists_only_deleted(sim, five):
    sim.api("DELETE", "/api/v2/workloads/" + five[0]["id"])
    wait_for(lambda: names(sim, deleted="true") == ["alpha"])
    assert names(sim) == ["bravo", "charlie", "delta", "echo"]
    assert sim.api("GET", "/api/v1/workloads/count", params={"deleted": "true"}).json() == {"count": 1}


def test_pod_queries(sim):
    job = create(sim, "batch", job_manifest("batch", parallelism=2))["metadata"]["id"]
    web = create(sim, "web", deployment_manifest("web", replicas=3))["metadata"]["id"]
    wait_for(lambda: v1(sim, job)["phase"] == "Completed" and v1(sim, web)["phase"] == "Running")

    def pods(**params):
        response = sim.api("GET", "/api/v1/workloads/pods", params=params)
        assert response.status_code == 200, response.text
        return response.json()["pods"]

    assert {pod["workloadId"] for pod in pods(completed="true")} == {job}
    assert {pod["workloadId"] for pod in pods(completed="false")} == {web}
    assert len(pods()) == len(pods(completed="")) == 5
    assert [pod["workloadId"] for pod in pods(filterBy="workloadId==" + web, limit=2)] == [web, web]
    full = pods(verbosity="full", filterBy="workloadId==" + job)
    assert {pod["workloadName"] for pod in full} == {"batch"} and full[0]["projectName"] == "project-a"
    assert all("workloadName" not in pod for pod in pods(verbosity="brief"))
    node = pods(filterBy="workloadId==" + web)[0]["nodeName"]
    assert all(pod["nodeName"] == node for pod in pods(filterBy="nodeName==" + node))
    assert sim.api("GET", "/api/v1/workloads/pods/count", params={"filterBy": "workloadId==" + web}).json() == {
        "count": 3}
    assert pods(search="web-") and not pods(search="nothing-like-it")
