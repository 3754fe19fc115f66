# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waiting for a phase: success, fast failure with the reasons, pending and overall timeouts, waiting for deletion.

Time is simulated: sleeping advances a fake clock, so no test depends on the machine's speed."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.runai.platform.plugins.module_utils import runai_wait
from ansible_collections.runai.platform.plugins.module_utils.runai_client import RunaiClient
from ansible_collections.runai.platform.plugins.module_utils.runai_errors import RunaiWaitError
from ansible_collections.runai.platform.plugins.module_utils.runai_wait import Waiter, default_wait_for, phase_reasons

WID = "0b6f3c2e-8a41-4d7e-9c55-2f1e7a9d4b10"
V1 = "/api/v1/workloads/%s" % WID
V2 = "/api/v2/workloads/%s" % WID
PODS = "/api/v1/workloads/%s/pods" % WID


class FakeTime(object):
    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    fake = FakeTime()
    monkeypatch.setattr(runai_wait, "time", fake)
    return fake


def waiter(session, timeout=60, sleep=5):
    client = RunaiClient(url=session.base_url, token="t", session=session, retries=0)
    return Waiter(client, WID, "'train' (%s) in project 'team-a'" % WID, timeout, sleep)


def status(phase, **fields):
    body = {"id": WID, "name": "train", "phase": phase}
    body.update(fields)
    return body


@pytest.mark.parametrize(
    "kind, phases",
    [
        ("Deployment", ["Running"]),
        ("InferenceService", ["Running"]),
        ("Job", ["Running", "Completed"]),
        ("PyTorchJob", ["Running", "Completed"]),
        ("Pod", ["Running", "Completed"]),
        ("SomethingNew", ["Running", "Completed"]),
    ],
)
def test_the_default_success_phases_depend_on_the_kind(kind, phases):
    assert default_wait_for(kind) == phases


def test_polls_until_the_wanted_phase(scripted_session, clock):
    for phase in ("Creating", "Pending", "Running"):
        scripted_session.expect("GET", V1, body=status(phase))

    observed, duration = waiter(scripted_session).until_phase(["Running"], ["Failed"])

    assert observed["phase"] == "Running"
    assert duration == 10.0 and clock.sleeps == [5, 5]


def test_a_phase_already_seen_ends_the_wait_without_a_request(scripted_session, clock):
    observed, duration = waiter(scripted_session).until_phase(["Running"], ["Failed"], observed=status("Running"))

    assert observed["phase"] == "Running" and duration == 0.0
    assert scripted_session.calls == []


def test_a_workload_not_yet_visible_is_polled_again(scripted_session, clock):
    scripted_session.expect("GET", V1, 404, {"code": 404, "message": "Resource id not found."})
    scripted_session.expect("GET", V1, body=status("Running"))

    assert waiter(scripted_session).until_phase(["Running"], ["Failed"])[0]["phase"] == "Running"


def test_a_failure_phase_fails_at_once_and_says_why(scripted_session, clock):
    scripted_session.expect("GET", V1, body=status("Creating"))
    scripted_session.expect(
        "GET", V1,
        body=status(
            "Failed",
            phaseMessage="Workload failed: container exited with code 1",
            conditions=[{"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded",
                         "message": "Job has reached the specified backoff limit"}],
        ),
    )
    scripted_session.expect("GET", V2, body={"workload": {}, "syncInfo": {"status": "Synced"}})
    scripted_session.expect(
        "GET", PODS, body={"pods": [{"name": "train-0", "k8sPhase": "Failed", "nodeName": "node-1"}]}
    )

    with pytest.raises(RunaiWaitError) as caught:
        waiter(scripted_session, timeout=600).until_phase(["Running", "Completed"], ["Failed"])

    message = str(caught.value)
    assert "reached phase Failed (after waiting 5.0 s)" in message
    assert "container exited with code 1" in message
    assert "BackoffLimitExceeded: Job has reached the specified backoff limit" in message
    assert "Sync status: Synced" in message
    assert "train-0 Failed on node-1" in message
    assert caught.value.details["phase"] == "Failed"
    assert caught.value.details["pods"][0]["name"] == "train-0"


def test_a_settled_phase_that_is_not_wanted_ends_the_wait(scripted_session, clock):
    scripted_session.expect("GET", V1, body=status("Completed", phaseMessage="Workload completed successfully"))
    scripted_session.expect("GET", V2, body={"workload": {}})
    scripted_session.expect("GET", PODS, body={"pods": []})

    with pytest.raises(RunaiWaitError) as caught:
        waiter(scripted_session).until_phase(["Running"], ["Failed"])
    assert "reached phase Completed and will not reach Running" in str(caught.value)
    assert "Pods: none" in str(caught.value)


def test_timeout_fails_with_the_last_phase_and_message(scripted_session, clock):
    for _index in range(3):
        scripted_session.expect("GET", V1, body=status("Pending", phaseMessage="Waiting for the scheduler"))

    with pytest.raises(RunaiWaitError) as caught:
        waiter(scripted_session, timeout=10, sleep=5).until_phase(["Running"], ["Failed"])

    assert "Timed out after 10 s" in str(caught.value)
    assert "last phase Pending: Waiting for the scheduler" in str(caught.value)
    assert caught.value.details == {"phase": "Pending", "phase_message": "Waiting for the scheduler", "duration": 10.0}


def test_the_last_poll_happens_at_the_deadline_not_after_it(scripted_session, clock):
    scripted_session.expect("GET", V1, body=status("Pending"))
    scripted_session.expect("GET", V1, body=status("Running"))

    waiter(scripted_session, timeout=3, sleep=5).until_phase(["Running"], ["Failed"])

    assert clock.sleeps == [3]


def test_a_workload_stuck_pending_fails_sooner_with_the_scheduler_reason(scripted_session, clock):
    scripted_session.expect("GET", V1, body=status("Creating"))
    stuck = status(
        "Pending",
        phaseMessage="Unschedulable",
        pendingSchedulingMessages=[{"nodePool": "default", "phaseReason": "OverLimit",
                                    "reason": "Not enough GPUs in the project quota"}],
    )
    for _index in range(3):
        scripted_session.expect("GET", V1, body=stuck)
    scripted_session.expect("GET", V2, body={"workload": {}, "syncInfo": {"status": "Synced"}})
    scripted_session.expect("GET", PODS, body={"pods": [{"name": "train-0", "k8sPhase": "Pending"}]})

    with pytest.raises(RunaiWaitError) as caught:
        waiter(scripted_session, timeout=600, sleep=5).until_phase(["Running"], ["Failed"], pending_timeout=10)

    message = str(caught.value)
    assert "stayed Pending for more than pending_timeout=10 s" in message
    assert "node pool default: Not enough GPUs in the project quota" in message
    assert "train-0 Pending" in message
    assert clock.now - 1000.0 == 15.0  # 5 s creating, then 10 s pending


def test_after_an_update_the_wait_lets_the_change_apply_first(scripted_session, clock):
    scripted_session.expect("GET", V2, body={"workload": {}, "syncInfo": {"status": "Queued"}})
    scripted_session.expect("GET", V2, body={"workload": {}, "syncInfo": {"status": "Synced"}})
    scripted_session.expect("GET", V1, body=status("Running"))

    observed, duration = waiter(scripted_session).until_phase(
        ["Running"], ["Failed"], observed=status("Running"), after_update=True
    )

    assert observed["phase"] == "Running" and duration == 5.0


def test_a_change_the_cluster_refuses_fails_with_the_sync_message(scripted_session, clock):
    failed = {"workload": {}, "syncInfo": {"status": "Failed", "message": "admission webhook denied the request"}}
    scripted_session.expect("GET", V2, body=failed)
    scripted_session.expect("GET", V1, body=status("Running"))
    scripted_session.expect("GET", PODS, body={"pods": []})

    with pytest.raises(RunaiWaitError) as caught:
        waiter(scripted_session).until_phase(["Running"], ["Failed"], after_update=True)
    assert "could not be applied" in str(caught.value)
    assert "Sync status: Failed (admission webhook denied the request)" in str(caught.value)


def test_missing_pods_do_not_hide_the_failure(scripted_session, clock):
    scripted_session.expect("GET", V1, body=status("Failed", phaseMessage="OOMKilled"))
    scripted_session.expect("GET", V2, body={"workload": {}})
    scripted_session.expect("GET", PODS, 503, {"code": 503, "message": "Please try again in few minutes."})

    with pytest.raises(RunaiWaitError) as caught:
        waiter(scripted_session).until_phase(["Running"], ["Failed"])
    assert "OOMKilled" in str(caught.value) and "Pods: unavailable" in str(caught.value)


def test_waiting_for_deletion_ends_when_the_api_no_longer_knows_the_workload(scripted_session, clock):
    scripted_session.expect("GET", V2, body={"workload": {}, "syncInfo": {"status": "Deleting"}})
    scripted_session.expect("GET", V2, 404, {"code": 404, "message": "Resource id not found."})

    assert waiter(scripted_session).until_gone() == 5.0


def test_waiting_for_deletion_times_out_with_the_sync_status(scripted_session, clock):
    for _index in range(3):
        scripted_session.expect("GET", V2, body={"workload": {}, "syncInfo": {"status": "Deleting"}})

    with pytest.raises(RunaiWaitError) as caught:
        waiter(scripted_session, timeout=10).until_gone()
    assert "to be deleted (sync status Deleting)" in str(caught.value)


def test_reasons_skip_met_conditions_and_repeats():
    observed = status(
        "Degraded",
        phaseMessage="1 of 2 replicas ready",
        phaseReason="OverLimit",
        conditions=[
            {"type": "Available", "status": "True", "message": "fine"},
            {"type": "Ready", "status": "False", "reason": "PodsNotReady", "message": "1 of 2 replicas ready"},
            {"type": "Degraded", "status": "True", "reason": "Degraded", "message": "node dgx-3 is down"},
        ],
    )

    assert phase_reasons(observed) == ["1 of 2 replicas ready", "OverLimit", "PodsNotReady", "node dgx-3 is down"]


def test_the_scheduler_reason_is_said_once():
    message = "project team-a is over its GPU limit in node pool default"
    observed = status(
        "Pending",
        phaseMessage=message,
        conditions=[{"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": message}],
        pendingSchedulingMessages=[{"nodePool": "default", "phaseReason": "OverLimit", "reason": message},
                                   {"nodePool": "spot", "phaseReason": "OverLimit", "reason": "no spot nodes"}],
    )

    assert phase_reasons(observed) == [message, "Unschedulable", "node pool spot: no spot nodes"]
