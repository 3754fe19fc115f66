# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Lifecycle seen through the API: phases from time and manifest, scripted outcomes, pods and GPUs, sync status,
updates and the stages of deletion."""

import time

from simulator_support import (
    base64_yaml, create, create_body, deployment_manifest, inference_manifest, job_manifest, pytorch_manifest, v1,
    wait_for, wait_for_phase)


def _phase_history(sim, workload_id, until, timeout=10.0):
    """Distinct phases observed, in order, until one of `until` is reached."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        phase = v1(sim, workload_id)["phase"]
        if not seen or seen[-1] != phase:
            seen.append(phase)
        if phase in until:
            return seen
        time.sleep(0.005)
    raise AssertionError("phases %s never reached %s" % (seen, until))


def test_job_runs_to_completion_with_consistent_times(sim):
    workload_id = create(sim, "job", job_manifest("job", gpus=2, parallelism=2))["metadata"]["id"]
    history = _phase_history(sim, workload_id, ("Completed",))
    assert history[-1] == "Completed" and "Running" in history
    assert history == [phase for phase in ("Creating", "Pending", "Running", "Completed") if phase in history]
    done = v1(sim, workload_id)
    assert done["completedAt"] >= done["createdAt"] and done["phaseUpdatedAt"] == done["completedAt"]
    assert done["k8sPhase"] == "Succeeded" and done["runningPods"] == 0
    assert done["workloadRequestedResources"]["gpu"]["request"] == 4.0
    assert done["allocatedResources"]["gpu"] == 0.0
    assert done["type"] == "Job" and done["sourceApi"] == "WorkloadsV2" and done["submittedBy"] == sim.client_id
    pods = sim.api("GET", "/api/v1/workloads/%s/pods" % workload_id).json()["pods"]
    assert [pod["k8sPhase"] for pod in pods] == ["Succeeded", "Succeeded"]
    assert all(pod["completedAt"] == done["completedAt"] for pod in pods)


def test_deployment_keeps_running_and_allocates_its_gpus(sim):
    workload_id = create(sim, "web", deployment_manifest("web", replicas=3, gpus=1))["metadata"]["id"]
    running = wait_for_phase(sim, workload_id, "Running")
    assert running["runningPods"] == 3 and running["allocatedResources"]["gpu"] == 3.0
    assert running["currentNodePools"] == ["default"] and running["completedAt"] is None
    job_id = create(sim, "short", job_manifest("short"))["metadata"]["id"]
    wait_for_phase(sim, job_id, "Completed")  # a Job's default run is over ...
    assert v1(sim, workload_id)["phase"] == "Running"  # ... a Deployment never completes


def test_scripted_failure_and_completion(sim):
    failing = create(sim, "crash", job_manifest("crash", annotations={"simulator.run.ai/fail-after": "10"}))
    quick = create(sim, "quick", deployment_manifest("quick"))
    assert sim.api("PUT", "/api/v2/workloads/" + quick["metadata"]["id"], json={
        "manifest": dict(deployment_manifest("quick"), metadata={
            "name": "quick", "annotations": {"simulator.run.ai/complete-after": "10"}})}).status_code == 202
    failed = wait_for_phase(sim, failing["metadata"]["id"], "Failed")
    assert "fail-after" in failed["phaseMessage"] and failed["k8sPhase"] == "Failed"
    assert failed["conditions"][0]["type"] == "Failed"
    pods = sim.api("GET", "/api/v1/workloads/%s/pods" % failing["metadata"]["id"]).json()["pods"]
    assert {pod["k8sPhase"] for pod in pods} == {"Failed"}
    wait_for_phase(sim, quick["metadata"]["id"], "Completed")


def test_stay_pending_explains_why(sim):
    workload_id = create(sim, "stuck", job_manifest("stuck", annotations={
        "simulator.run.ai/stay-pending": "true"}))["metadata"]["id"]
    wait_for(lambda: v1(sim, workload_id)["phase"] == "Pending")
    time.sleep(0.2)  # a normal job would be Running after 0.05 s at this speed
    pending = v1(sim, workload_id)
    assert pending["phase"] == "Pending" and pending["phaseReason"] == "OverLimit"
    assert "over its GPU limit" in pending["phaseMessage"]
    assert pending["pendingSchedulingMessages"][0]["nodePool"] == "default"
    assert {"type": "PodScheduled", "status": "False"}.items() <= pending["conditions"][1].items()
    pod = sim.api("GET", "/api/v1/workloads/%s/pods" % workload_id).json()["pods"][0]
    assert pod["k8sPhase"] == "Pending" and pod["nodeName"] is None


def test_pods_follow_the_manifest(sim):
    cases = {
        "ddp": (pytorch_manifest("ddp", workers=3, gpus=2), ["ddp-master-0", "ddp-worker-0", "ddp-worker-1", "ddp-worker-2"], 8.0),
        "solo": (None, ["solo"], 0.0),
        "triple": (deployment_manifest("triple", replicas=3, gpus=1), None, 3.0),
        "llm": (inference_manifest("llm"), None, 2.0),
    }
    pod_manifest = base64_yaml("apiVersion: v1\nkind: Pod\nmetadata:\n  name: solo\nspec:\n  containers:\n"
                               "  - name: main\n    image: python:3.11\n")
    ids = {}
    for name, (manifest, _pod_names, _gpus) in cases.items():
        if manifest is None:
            response = sim.api("POST", "/api/v2/workloads", json={
                "metadata": {"projectId": "1"}, "manifestBase64Encoded": pod_manifest})
            assert response.status_code == 202
            ids[name] = response.json()["metadata"]["id"]
        else:
            ids[name] = create(sim, name, manifest)["metadata"]["id"]
    for name, (_manifest, pod_names, gpus) in cases.items():
        body = wait_for_phase(sim, ids[name], "Running")
        pods = sim.api("GET", "/api/v1/workloads/%s/pods" % ids[name]).json()["pods"]
        if pod_names:
            assert [pod["name"] for pod in pods] == pod_names
        assert len(pods) == body["requestedPods"]["number"] == body["runningPods"]
        assert body["allocatedResources"]["gpu"] == gpus
        assert sum(pod["requestedResources"]["gpu"]["request"] for pod in pods) == gpus
    assert v1(sim, ids["ddp"])["distributedFramework"] == "PyTorch"


def test_pods_keep_their_ids_across_calls(sim):
    workload_id = create(sim, "steady", deployment_manifest("steady", replicas=2))["metadata"]["id"]
    wait_for(lambda: v1(sim, workload_id)["phase"] == "Running")
    first = [pod["id"] for pod in sim.api("GET", "/api/v1/workloads/%s/pods" % workload_id).json()["pods"]]
    second = [pod["id"] for pod in sim.api("GET", "/api/v1/workloads/pods", params={
        "filterBy": "workloadId==" + workload_id}).json()["pods"]]
    assert first == second and len(set(first)) == 2


def test_sync_status_reaches_synced_or_failed(sim):
    good = create(sim, "synced", job_manifest("synced"))["metadata"]["id"]
    broken_manifest = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "broken"},
                       "spec": {"template": {"spec": {"containers": []}}}}
    broken = create(sim, "broken", broken_manifest)["metadata"]["id"]
    statuses = []

    def synced():
        status = sim.api("GET", "/api/v2/workloads/" + good).json()["syncInfo"]["status"]
        if not statuses or statuses[-1] != status:
            statuses.append(status)
        return status == "Synced"

    wait_for(synced, interval=0.002)
    assert statuses[-1] == "Synced" and set(statuses) <= {"Queued", "Applying", "Synced"}
    wait_for(lambda: sim.api("GET", "/api/v2/workloads/" + broken).json()["syncInfo"]["status"] == "Failed")
    sync = sim.api("GET", "/api/v2/workloads/" + broken).json()["syncInfo"]
    assert "no containers" in sync["message"]
    assert v1(sim, broken)["phase"] == "Failed"


def test_update_replaces_the_manifest_and_keeps_identity(sim):
    created = create(sim, "scale", deployment_manifest("scale", replicas=1))
    workload_id = created["metadata"]["id"]
    wait_for(lambda: v1(sim, workload_id)["phase"] == "Running")
    response = sim.api("PUT", "/api/v2/workloads/" + workload_id, json={
        "manifest": deployment_manifest("scale", replicas=4), "metadata": {"category": "Build"}})
    assert response.status_code == 202
    updated = response.json()
    assert updated["metadata"]["id"] == workload_id and updated["metadata"]["createdAt"] == created["metadata"]["createdAt"]
    assert updated["rawManifest"]["spec"]["replicas"] == 4 and updated["metadata"]["category"] == "Build"
    assert updated["metadata"]["priority"] == created["metadata"]["priority"]
    stored = sim.api("GET", "/api/v2/workloads/" + workload_id).json()["workload"]
    assert stored["rawManifest"] == deployment_manifest("scale", replicas=4)
    wait_for(lambda: v1(sim, workload_id)["runningPods"] == 4)


def test_dry_run_stores_nothing(sim):
    create(sim, "taken")
    assert sim.api("POST", "/api/v2/workloads?dryRun=true", json=create_body("fresh")).status_code == 202
    assert sim.api("POST", "/api/v2/workloads?dryRun=true", json=create_body("taken")).status_code == 409
    assert sim.api("GET", "/api/v1/workloads/count").json() == {"count": 1}
    assert sim.api("POST", "/api/v2/workloads", json=create_body("fresh")).status_code == 202


def test_names_are_unique_per_project_only(sim):
    create(sim, "same", project_id="1")
    create(sim, "same", project_id="3")
    clash = sim.api("POST", "/api/v2/workloads", json=create_body("same", project_id="1"))
    assert clash.status_code == 409 and clash.json() == {"code": 409, "message": "Resource with this name already exists"}
    names = {create(sim, "batch", useGivenNameAsPrefix=True)["metadata"]["name"] for _attempt in range(5)}
    assert len(names) == 5 and all(name.startswith("batch-") for name in names)


def test_deletion_stages(slow_simulator):
    sim = slow_simulator
    name = "gone-%d" % time.time_ns()
    workload_id = create(sim, name, deployment_manifest(name))["metadata"]["id"]
    assert sim.api("DELETE", "/api/v2/workloads/" + workload_id).status_code == 202
    deleting = v1(sim, workload_id)
    assert deleting["phase"] == "Deleting" and deleting["deletedAt"] is None
    by_name = {"filterBy": "name==" + name}
    assert [w["id"] for w in sim.api("GET", "/api/v1/workloads", params=by_name).json()["workloads"]] == [workload_id]
    v2 = sim.api("GET", "/api/v2/workloads/" + workload_id).json()
    assert v2["syncInfo"]["status"] == "Deleting" and v2["workload"]["desiredPhase"] == "Deleted"
    assert sim.api("POST", "/api/v2/workloads", json=create_body(name)).status_code == 409

    wait_for(lambda: sim.api("GET", "/api/v1/workloads", params=by_name).json()["workloads"] == [])
    deleted = sim.api("GET", "/api/v1/workloads", params=dict(by_name, deleted="true")).json()["workloads"]
    assert [w["id"] for w in deleted] == [workload_id] and deleted[0]["deletedAt"] is not None
    pods = sim.api("GET", "/api/v1/workloads/pods", params={"deleted": "true", "filterBy": "workloadId==" + workload_id})
    assert pods.json()["pods"] and all(pod["deletedAt"] for pod in pods.json()["pods"])
    assert sim.api("GET", "/api/v2/workloads/" + workload_id).json()["syncInfo"]["status"] == "Deleted"
    wait_for(lambda: sim.api("GET", "/api/v2/workloads/" + workload_id).status_code == 404, timeout=5)
    assert sim.api("DELETE", "/api/v2/workloads/" + workload_id).status_code == 404
    assert sim.api("POST", "/api/v2/workloads", json=create_body(name)).status_code == 202
