# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Lifecycle beyond present and absent: suspend and resume in the lifecycle clock (Stopping, Stopped, Resuming,
Running), the batch action route and its limit, events and history, actionsSupport, and the GPU utilisation
annotation. Every answer is validated against the reference (the contract validator of conftest)."""

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from simulator_support import (
    SPEED, create, deployment_manifest, inference_manifest, iso, job_manifest, notebook_manifest, pytorch_manifest,
    v1, wait_for, wait_for_phase)

LONG = {"simulator.run.ai/complete-after": "3600"}
# lifecycle.STOPPING_SECONDS and RESUMING_SECONDS, simulated
STOPPING = RESUMING = 1.0


@pytest.fixture
def call(sim, contract_validator):
    def call(method, path, status=200, **kwargs):
        response = sim.api(method, path, **kwargs)
        assert response.status_code == status, (method, path, response.status_code, response.text)
        contract_validator.check(response)
        return response
    return call


def _moment(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _pods(call, workload_id):
    return call("GET", "/api/v1/workloads/%s/pods" % workload_id).json()["pods"]


def _phases(call, workload_id):
    records = call("GET", "/api/v1/workloads/%s/history" % workload_id, params={"limit": 500}).json()["records"]
    return [(record["spec"]["phaseUpdate"]["phase"], _moment(record["meta"]["creationTimestamp"]))
            for record in records if record["meta"]["type"] == "PhaseUpdate"]


def test_actions_support_per_kind(sim, call):
    kinds = {
        "job": (job_manifest("job"), True), "ddp": (pytorch_manifest("ddp"), True),
        "nb": (notebook_manifest("nb"), True), "serve": (deployment_manifest("serve"), False),
        "llm": (inference_manifest("llm"), False),
        "pod": ({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "pod"},
                 "spec": {"containers": [{"name": "c", "image": "busybox"}]}}, False)}
    ids = {name: create(sim, name, manifest)["metadata"]["id"] for name, (manifest, _suspendable) in kinds.items()}
    for name, (_manifest, suspendable) in kinds.items():
        body = call("GET", "/api/v1/workloads/" + ids[name]).json()
        assert body["actionsSupport"] == {"delete": True, "suspend": suspendable}, name
    listed = call("GET", "/api/v1/workloads", params={"limit": 10}).json()["workloads"]
    assert {workload["name"]: workload["actionsSupport"]["suspend"] for workload in listed} == {
        name: suspendable for name, (_manifest, suspendable) in kinds.items()}


def test_suspend_and_resume_in_the_lifecycle_clock(sim, call):
    workload_id = create(sim, "pausable", job_manifest("pausable", gpus=2, parallelism=2, annotations=LONG))[
        "metadata"]["id"]
    running = wait_for_phase(sim, workload_id, "Running")
    assert running["runningPods"] == 2 and len(_pods(call, workload_id)) == 2
    call("POST", "/api/v1/workloads/trainings/%s/suspend" % workload_id, 202)
    assert v1(sim, workload_id)["phase"] in ("Stopping", "Stopped")
    stopped = wait_for_phase(sim, workload_id, "Stopped")
    assert stopped["runningPods"] == 0 and stopped["allocatedResources"]["gpu"] == 0
    assert stopped["k8sPhase"] == "Suspended" and stopped["idleAllocatedGpus"] is None
    assert _pods(call, workload_id) == []  # the pods go away while stopped
    assert call("GET", "/api/v1/workloads/pods/count", params={"filterBy": "workloadId==" + workload_id}).json() == {
        "count": 0}
    seconds_before = stopped["totalRunningTimeSeconds"]

    call("POST", "/api/v1/workloads/batch", json={"ids": [workload_id], "action": "resume"})
    assert v1(sim, workload_id)["phase"] in ("Resuming", "Running")
    resumed = wait_for_phase(sim, workload_id, "Running")
    assert resumed["runningPods"] == 2 and resumed["allocatedResources"]["gpu"] == 4
    pods = wait_for(lambda: [pod for pod in _pods(call, workload_id) if pod["k8sPhase"] == "Running"])
    assert len(pods) == 2 and _moment(pods[0]["createdAt"]) > _moment(running["phaseUpdatedAt"])
    assert resumed["totalRunningTimeSeconds"] >= seconds_before

    phases = _phases(call, workload_id)
    assert [phase for phase, _at in phases] == [
        "Creating", "Pending", "Running", "Stopping", "Stopped", "Resuming", "Running"]
    at = dict(reversed(phases))  # the first moment of each phase
    assert abs((at["Stopped"] - at["Stopping"]).total_seconds() - STOPPING / SPEED) < 0.003
    assert (phases[-1][1] - at["Resuming"]).total_seconds() == pytest.approx(RESUMING / SPEED, abs=0.003)
    assert _moment(resumed["phaseUpdatedAt"]) == phases[-1][1]

    # no metric samples while stopped, samples before and after
    window = {"metricType": "GPU_UTILIZATION", "numberOfSamples": 50}
    stopped_values = call("GET", "/api/v1/workloads/%s/metrics" % workload_id, params=dict(
        window, start=iso(at["Stopped"] + timedelta(milliseconds=1)),
        end=iso(at["Resuming"] - timedelta(milliseconds=1)))).json()["measurements"][0]["values"]
    assert stopped_values == []
    wait_for(lambda: datetime.now(timezone.utc) - phases[-1][1] > timedelta(seconds=0.05))
    around = call("GET", "/api/v1/workloads/%s/metrics" % workload_id, params=dict(
        window, start=iso(at["Running"]), end=iso(datetime.now(timezone.utc)))).json()["measurements"][0]["values"]
    moments = [_moment(value["timestamp"]) for value in around]
    assert moments and not [moment for moment in moments if at["Stopping"] < moment < phases[-1][1]]
    assert any(moment < at["Stopping"] for moment in moments) and any(moment > phases[-1][1] for moment in moments)


def test_suspended_time_does_not_count_against_the_run(sim, call):
    # completes 100 simulated seconds (1 s here) after creation, unless suspended: then that much later
    workload_id = create(sim, "short", job_manifest("short", annotations={
        "simulator.run.ai/complete-after": "100"}))["metadata"]["id"]
    wait_for_phase(sim, workload_id, "Running")
    call("POST", "/api/v1/workloads/trainings/%s/suspend" % workload_id, 202)
    wait_for_phase(sim, workload_id, "Stopped")
    stopped_since = datetime.now(timezone.utc)
    wait_for(lambda: datetime.now(timezone.utc) - stopped_since > timedelta(seconds=0.5))
    call("POST", "/api/v1/workloads/trainings/%s/resume" % workload_id, 202)
    done = wait_for_phase(sim, workload_id, "Completed", timeout=15)
    phases = _phases(call, workload_id)
    at = dict(reversed(phases))
    lived = (_moment(done["completedAt"]) - _moment(done["createdAt"])).total_seconds()
    away = (phases[-2][1] - at["Stopping"]).total_seconds()  # Stopping to back Running
    assert lived == pytest.approx(100 / SPEED + away, abs=0.01)


def test_suspend_refusals(sim, call):
    dep_id = create(sim, "dep", deployment_manifest("dep"))["metadata"]["id"]
    done_id = create(sim, "quick", job_manifest("quick", annotations={
        "simulator.run.ai/complete-after": "0"}))["metadata"]["id"]
    wait_for_phase(sim, done_id, "Completed")
    # a Deployment is no training, workspace or distributed training: those routes do not know it
    for family in ("trainings", "workspaces", "distributed"):
        call("POST", "/api/v1/workloads/%s/%s/suspend" % (family, dep_id), 404)
    batch = call("POST", "/api/v1/workloads/batch", json={"ids": [dep_id, done_id], "action": "suspend"}).json()
    assert batch["succeeded"] == []
    failed = {item["id"]: item for item in batch["failed"]}
    assert failed[dep_id]["code"] == 400 and "Deployment cannot be suspended" in failed[dep_id]["message"]
    assert failed[done_id]["code"] == 409 and "Completed" in failed[done_id]["message"]
    assert v1(sim, dep_id)["phase"] in ("Creating", "Pending", "Running")
    call("POST", "/api/v1/workloads/trainings/%s/suspend" % done_id, 409)


def test_batch_limit_and_results(sim, call):
    ids = [create(sim, "b-%d" % index, job_manifest("b-%d" % index, annotations=LONG))["metadata"]["id"]
           for index in range(3)]
    unknown = [str(uuid.uuid4()) for _index in range(147)]
    refused = call("POST", "/api/v1/workloads/batch", 400, json={"ids": ids + unknown, "action": "suspend"}).json()
    assert refused["code"] == 400 and "100" in refused["message"]
    assert all(v1(sim, workload_id)["phase"] not in ("Stopping", "Stopped") for workload_id in ids)  # nothing done

    hundred = ids + unknown[:97]
    answer = call("POST", "/api/v1/workloads/batch", json={"ids": hundred, "action": "suspend"}).json()
    uuid.UUID(answer["id"])
    assert answer["succeeded"] == ids
    assert [item["id"] for item in answer["failed"]] == unknown[:97]
    assert {(item["code"], item["message"]) for item in answer["failed"]} == {(404, "Resource id not found.")}
    for workload_id in ids:
        wait_for_phase(sim, workload_id, "Stopped")

    deleted = call("POST", "/api/v1/workloads/batch", json={"ids": ids + ids[:1], "action": "delete"}).json()
    assert deleted["succeeded"] == ids and deleted["failed"] == []
    assert all(v1(sim, workload_id)["phase"] == "Deleting" for workload_id in ids)
    assert sim.api("POST", "/api/v1/workloads/batch", json={"ids": [], "action": "delete"}).status_code == 400


def test_events_follow_the_lifecycle(sim, call):
    workload_id = create(sim, "eventful", job_manifest("eventful", annotations=LONG, image="nvcr.io/x:1"))[
        "metadata"]["id"]
    wait_for_phase(sim, workload_id, "Running")
    call("POST", "/api/v1/workloads/trainings/%s/suspend" % workload_id, 202)
    wait_for_phase(sim, workload_id, "Stopped")
    call("POST", "/api/v1/workloads/trainings/%s/resume" % workload_id, 202)
    wait_for_phase(sim, workload_id, "Running")
    events = call("GET", "/api/v1/workloads/%s/events" % workload_id, params={
        "sortOrder": "asc", "limit": 500}).json()["events"]
    reasons = [event["reason"] for event in events]
    assert reasons[:2] == ["Created", "Pending"]
    for reason in ("Scheduled", "Pulling", "Pulled", "Started", "Suspending", "Killing", "Suspended", "Resuming",
                   "Resumed"):
        assert reason in reasons, reason
    assert reasons.count("Started") == 2  # started, and started again after the resume
    assert reasons.index("Suspending") < reasons.index("Suspended") < reasons.index("Resuming")
    pulling = next(event for event in events if event["reason"] == "Pulling")
    assert pulling["message"] == 'Pulling image "nvcr.io/x:1"' and pulling["source"] == "kubelet"
    assert pulling["involvedObject"]["kind"] == "Pod" and pulling["involvedObject"]["namespace"] == "runai-project-a"
    created = events[0]
    assert created["involvedObject"] == {"uid": workload_id, "kind": "Job", "name": "eventful",
                                         "namespace": "runai-project-a"}
    assert [_moment(event["createdAt"]) for event in events] == sorted(_moment(event["createdAt"]) for event in events)
    newest_first = call("GET", "/api/v1/workloads/%s/events" % workload_id, params={"limit": 2}).json()
    assert newest_first["next"] == 2 and newest_first["events"][0]["reason"] == events[-1]["reason"]
    again = call("GET", "/api/v1/workloads/%s/events" % workload_id, params={"sortOrder": "asc", "limit": 500})
    assert [event["id"] for event in again.json()["events"]] == [event["id"] for event in events]  # stable ids

    failing = create(sim, "doomed", job_manifest("doomed", annotations={"simulator.run.ai/fail-after": "10"}))[
        "metadata"]["id"]
    wait_for_phase(sim, failing, "Failed")
    failed = call("GET", "/api/v1/workloads/%s/events" % failing, params={"limit": 500}).json()["events"]
    assert failed[0]["reason"] == "Failed" and failed[0]["type"] == "Warning"
    assert "BackOff" in {event["reason"] for event in failed}
    pending = create(sim, "stuck", job_manifest("stuck", annotations={"simulator.run.ai/stay-pending": "true"}))[
        "metadata"]["id"]
    wait_for_phase(sim, pending, "Pending")
    stuck = call("GET", "/api/v1/workloads/%s/events" % pending).json()["events"]
    assert stuck[0]["reason"] == "FailedScheduling" and stuck[0]["type"] == "Warning"
    history = call("GET", "/api/v1/workloads/%s/history" % failing, params={"limit": 2, "offset": 1}).json()
    assert len(history["records"]) == 2 and history["next"] == 3


def test_gpu_utilization_annotation(sim, call):
    idle = create(sim, "idle", job_manifest("idle", gpus=2, annotations=dict(
        LONG, **{"simulator.run.ai/gpu-utilization": "0"})))["metadata"]["id"]
    busy = create(sim, "busy", job_manifest("busy", gpus=1, annotations={
        "simulator.run.ai/gpu-utilization": "72.5"}))["metadata"]["id"]
    for workload_id in (idle, busy):
        started = _moment(wait_for_phase(sim, workload_id, "Running")["phaseUpdatedAt"])
    wait_for(lambda: datetime.now(timezone.utc) - started > timedelta(seconds=0.1))
    now = iso(datetime.now(timezone.utc))
    for workload_id, value in ((idle, 0.0), (busy, 72.5)):
        running = v1(sim, workload_id)
        window = {"start": running["phaseUpdatedAt"], "end": now, "numberOfSamples": 10}
        body = call("GET", "/api/v1/workloads/%s/metrics" % workload_id, params=dict(
            window, metricType="GPU_UTILIZATION")).json()
        values = body["measurements"][0]["values"]
        assert values and {float(sample["value"]) for sample in values} == {value}
        pod = _pods(call, workload_id)[0]
        pod_body = call("GET", "/api/v1/workloads/%s/pods/%s/metrics" % (workload_id, pod["id"]), params=dict(
            window, metricType="GPU_UTILIZATION,GPU_UTILIZATION_PER_GPU")).json()
        assert {float(sample["value"]) for measurement in pod_body["measurements"]
                for sample in measurement["values"]} == {value}
    assert v1(sim, idle)["idleAllocatedGpus"] == 2
    assert v1(sim, busy)["idleAllocatedGpus"] == 0
    assert call("GET", "/api/v1/workloads/count", params={"filterBy": "idleAllocatedGpus>=1"}).json() == {"count": 1}
    for bad in ("lots", "101", "-1"):
        response = sim.api("POST", "/api/v2/workloads", json={"metadata": {"name": "bad", "projectId": "1"},
                                                              "manifest": job_manifest("bad", annotations={
                                                                  "simulator.run.ai/gpu-utilization": bad})})
        assert response.status_code == 400 and "gpu-utilization" in response.json()["message"]
