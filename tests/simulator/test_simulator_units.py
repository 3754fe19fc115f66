# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure parts of the simulator, without a server: the timeline, manifest analysis, filters, metrics, faults, tokens."""

import base64
import json

import pytest

from runai_simulator import lifecycle, metrics
from runai_simulator.clock import iso, millis, parse_iso
from runai_simulator.auth import App, Authenticator
from runai_simulator.errors import BadRequest
from runai_simulator.faults import FaultInjector, FaultSettings
from runai_simulator.manifest import analyse
from runai_simulator.query import DATE, ID, NUMBER, STRING, Condition
from runai_simulator.spec import vocabulary
from runai_simulator.store import Store
from simulator_support import deployment_manifest, job_manifest, pytorch_manifest

T0 = 1_700_000_000.0


def test_timeline_of_a_job_at_speed_one():
    timeline = lifecycle.plan(T0, analyse(job_manifest()), 1.0)
    assert [timeline.phase_at(T0 + offset)[0] for offset in (0, 1.9, 2, 4.9, 5, 64.9, 65)] == [
        "Creating", "Creating", "Pending", "Pending", "Running", "Running", "Completed"]
    assert timeline.phase_at(T0 + 100) == ("Completed", T0 + 65)
    assert timeline.pending_seconds(T0 + 100) == 5 and timeline.running_seconds(T0 + 100) == 60
    assert timeline.running_seconds(T0 + 30.5) == 25 and timeline.completed_at(T0 + 30) is None
    assert timeline.completed_at(T0 + 70) == T0 + 65
    assert timeline.next_change_after(T0 + 30.5) == T0 + 31


def test_timeline_scripted_outcomes_and_deletion():
    failing = lifecycle.plan(T0, analyse(job_manifest(annotations={"simulator.run.ai/fail-after": "20"})), 2.0)
    assert failing.phase_at(T0 + 10) == ("Failed", T0 + 10)
    assert failing.running_seconds(T0 + 50) == 7  # it ran from T0+2.5 to T0+10, reported in whole seconds
    early = lifecycle.plan(T0, analyse(job_manifest(annotations={"simulator.run.ai/complete-after": "1"})), 1.0)
    assert early.phase_at(T0 + 1)[0] == "Completed" and early.running_interval() is None
    service = lifecycle.plan(T0, analyse(deployment_manifest()), 1.0)
    assert service.phase_at(T0 + 10 ** 6)[0] == "Running"
    lifecycle.mark_deleted(service, T0 + 100, 1.0)
    assert service.phase_at(T0 + 100)[0] == "Deleting" and not service.is_deleted(T0 + 101)
    assert service.is_deleted(T0 + 102) and not service.is_purged(T0 + 102.5) and service.is_purged(T0 + 103)
    assert service.sync_at(T0 + 101) == ("Deleting", None) and service.sync_at(T0 + 102.5) == ("Deleted", None)
    assert service.running_seconds(T0 + 500) == 95


def test_manifest_pods_and_gpus():
    ddp = analyse(pytorch_manifest(workers=3, gpus=2))
    assert ddp.pod_count == 4 and ddp.gpu == 8 and ddp.kind.framework == "PyTorch"
    job = analyse(job_manifest(gpus=1, parallelism=3))
    assert (job.pod_count, job.gpu, job.cpu_request, job.memory_request) == (3, 3, 1.5, 3 * 2 ** 30)
    fraction = deployment_manifest(replicas=2, gpus=0)
    fraction["spec"]["template"]["metadata"]["annotations"] = {"gpu-fraction": "0.5"}
    facts = analyse(fraction)
    assert facts.gpu == 1.0 and facts.gpu_is_fraction
    assert analyse({"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"name": "a", "image": "b"}]}}).pod_count == 1
    assert "no containers" in analyse({"apiVersion": "apps/v1", "kind": "Deployment", "spec": {}}).problem
    assert "integer" in analyse(dict(deployment_manifest(), spec={"replicas": "two"})).problem


@pytest.mark.parametrize("manifest", [
    {"kind": "Job"}, {"apiVersion": "batch/v1"}, {"apiVersion": "v1", "kind": "ConfigMap"},
    {"apiVersion": "apps/v1", "kind": "Job"},
    job_manifest(annotations={"simulator.run.ai/fail-after": "soon"}),
    job_manifest(annotations={"simulator.run.ai/stay-pending": "yes"}),
    job_manifest(annotations={"simulator.run.ai/fail-after": "1", "simulator.run.ai/complete-after": "2"}),
])
def test_manifests_the_reference_refuses(manifest):
    with pytest.raises(BadRequest):
        analyse(manifest)


@pytest.mark.parametrize("kind, op, expected, actual, result", [
    (NUMBER, ">=", 75.0, 100, True),
    (NUMBER, "<=", 75.0, 100, False),
    (DATE, ">=", millis(T0), T0 + 0.0004, True),
    (DATE, "==", millis(T0), T0 + 0.0009, True),
    (DATE, "<=", millis(T0), T0 + 0.001, False),
    (ID, ">=", 3, "12", True),
    (ID, "==", 3, "03", True),
    (STRING, "<=", "b", "a", True),
    (STRING, "=@", "ph", "alpha", True),
    (STRING, "!@", "ph", "alpha", False),
    (STRING, "!=", "x", None, True),
    (STRING, "==", "x", None, False),
])
def test_conditions_compare_by_type(kind, op, expected, actual, result):
    assert Condition("field", op, expected, kind).test(actual) is result


def test_timestamps_read_back_compare_equal():
    for epoch in (T0, T0 + 0.252, T0 + 0.0009999, 1795425260.0218043):
        assert round(parse_iso(iso(epoch)) * 1000) == millis(epoch)
    assert iso(T0 + 0.5) == "2023-11-14T22:13:20.500Z"


def test_metrics_are_deterministic_and_only_while_running():
    class Workload:
        id = "5b0c8f6e-3d2a-4c1b-9e8f-7a6b5c4d3e2f"
        facts = analyse(job_manifest(gpus=2, annotations={"simulator.run.ai/complete-after": "100"}))
        timeline = lifecycle.plan(T0, facts, 1.0)

    first = metrics.workload_metrics(Workload, ["GPU_UTILIZATION"], T0, T0 + 200, 41, T0 + 1000)
    assert first == metrics.workload_metrics(Workload, ["GPU_UTILIZATION"], T0, T0 + 200, 41, T0 + 1000)
    values = first[1]["measurements"][0]["values"]
    assert len(values) == 20  # a sample every 5 s; it ran from T0+5 to T0+100
    assert all(0 <= float(value["value"]) <= 100 for value in values)
    assert metrics.workload_metrics(Workload, ["GPU_UTILIZATION"], T0, T0 + 200, 41, T0 + 50)[1][
        "measurements"][0]["values"][-1]["timestamp"] <= "2023-11-14T22:14:10.000Z"
    assert metrics.sample_times(T0, T0 + 60, 0) == [T0 + 15 * step for step in range(5)]


def test_fault_decisions_replay_from_the_seed():
    settings = FaultSettings(seed=9, status_rates={"429": 0.1, "500": 0.1, "502": 0.1, "503": 0.1},
                             drop_after_write_rate=0.2)
    decisions = [FaultInjector(settings) for _replay in range(2)]
    sequences = [[injector.decide(index % 3 == 0) for index in range(200)] for injector in decisions]
    assert sequences[0] == sequences[1]
    assert {decision.status for decision in sequences[0]} == {None, 429, 500, 502, 503}
    assert any(decision.drop_after_write for decision in sequences[0])


def test_token_payload_avoids_characters_the_sdk_misreads():
    authenticator = Authenticator([], "admin", 60, Store(":memory:"), vocabulary(), lambda: T0)
    for client_id in ("a>b", "a?b", "~~~", "plain", "x" * 50 + "?>~"):
        token, ttl = authenticator.issue(App(client_id, "secret"))
        payload = token.split(".")[1]
        assert not set(payload) & set("+/-_=")
        assert json.loads(base64.b64decode(payload + "=="))["sub"] == client_id


def test_timeline_of_a_suspended_job():
    facts = analyse(job_manifest())
    timeline = lifecycle.plan(T0, facts, 1.0)  # running at +5, completes at +65
    assert lifecycle.mark_suspended(timeline, T0 + 10, 1.0)
    assert not lifecycle.mark_suspended(timeline, T0 + 11, 1.0)  # already suspended: no change
    assert timeline.phase_at(T0 + 10.5) == ("Stopping", T0 + 10)
    assert timeline.phase_at(T0 + 500) == ("Stopped", T0 + 11)  # no end while stopped
    assert not timeline.is_running(T0 + 10.5) and timeline.is_stopped(T0 + 500)
    assert lifecycle.mark_resumed(timeline, T0 + 100, facts, 1.0)
    assert not lifecycle.mark_resumed(timeline, T0 + 101, facts, 1.0)
    assert timeline.phase_at(T0 + 100.5) == ("Resuming", T0 + 100)
    assert timeline.phase_at(T0 + 102) == ("Running", T0 + 101)
    assert timeline.running_intervals() == [(T0 + 5, T0 + 10), (T0 + 101, T0 + 156)]
    assert timeline.phase_at(T0 + 156) == ("Completed", T0 + 156)  # the 55 s left at the suspend
    assert timeline.running_seconds(T0 + 200) == 60
    restored = lifecycle.Timeline.from_columns(timeline.columns())
    assert restored == timeline
    assert lifecycle.can_suspend_at(timeline, T0 + 200) == "Completed"


def test_a_state_file_from_before_suspensions_gets_the_column(tmp_path):
    import sqlite3
    path = str(tmp_path / "old.db")
    database = sqlite3.connect(path)
    database.execute("CREATE TABLE workloads (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, purge_at REAL)")
    database.commit()
    database.close()
    store = Store(path)
    try:
        columns = {row[1] for row in store._db.execute("PRAGMA table_info(workloads)")}
        assert "suspensions" in columns
    finally:
        store.close()


def test_level_routes_follow_the_reference():
    import copy
    from runai_simulator.app import level_routes
    level = copy.copy(vocabulary("2.24"))
    level.operations = frozenset(operation for operation in level.operations
                                 if operation != ("POST", "/api/v1/workloads/batch"))
    served = {(method, path) for method, path, _name, _write in level_routes(level)}
    assert ("POST", "/api/v1/workloads/batch") not in served
    assert ("POST", "/api/v1/workloads/trainings/{workloadId}/suspend") in served


def test_gpu_utilization_annotation_is_a_percent():
    manifest = job_manifest(annotations={"simulator.run.ai/gpu-utilization": "5"})
    assert analyse(manifest).gpu_utilization == 5.0
    assert analyse(job_manifest()).gpu_utilization is None
    for bad in ("x", "120", "-3"):
        with pytest.raises(BadRequest):
            analyse(job_manifest(annotations={"simulator.run.ai/gpu-utilization": bad}))
