# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waiting for a phase: success, fast failure with the reasons, pending and overall timeouts, waiting for deletion, for
one workload polled by id and for a batch polled through one listing per project.

Time is simulated: sleeping advances a fake clock, so no test depends on the machine's speed."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.runai.platform.plugins.module_utils.workloads import wait as workload_wait
from ansible_collections.runai.platform.plugins.module_utils.api.client import RunaiClient
from ansible_collections.runai.platform.plugins.module_utils.api.errors import RunaiPermissionError, RunaiWaitError
from ansible_collections.runai.platform.plugins.module_utils.workloads.wait import (
    FAILED,
    REACHED,
    TIMED_OUT,
    WAITING,
    BatchPhaseWaiter,
    PhaseGoal,
    Waiter,
    default_wait_for,
    judge_phase,
    phase_reasons,
)

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
    monkeypatch.setattr(workload_wait, "time", fake)
    return fake


def waiter(transport, timeout=60, sleep=5):
    client = RunaiClient(url=transport.base_url, token="t", transport=transport, retries=0)
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


def test_polls_until_the_wanted_phase(scripted_transport, clock):
    for phase in ("Creating", "Pending", "Running"):
        scripted_transport.expect("GET", V1, body=status(phase))

    observed, duration = waiter(scripted_transport).until_phase(["Running"], ["Failed"])

    assert observed["phase"] == "Running"
    assert duration == 10.0 and clock.sleeps == [5, 5]


def test_a_phase_already_seen_ends_the_wait_without_a_request(scripted_transport, clock):
    observed, duration = waiter(scripted_transport).until_phase(["Running"], ["Failed"], observed=status("Running"))

    assert observed["phase"] == "Running" and duration == 0.0
    assert scripted_transport.calls == []


def test_a_workload_not_yet_visible_is_polled_again(scripted_transport, clock):
    scripted_transport.expect("GET", V1, 404, {"code": 404, "message": "Resource id not found."})
    scripted_transport.expect("GET", V1, body=status("Running"))

    assert waiter(scripted_transport).until_phase(["Running"], ["Failed"])[0]["phase"] == "Running"


def test_a_failure_phase_fails_at_once_and_says_why(scripted_transport, clock):
    scripted_transport.expect("GET", V1, body=status("Creating"))
    scripted_transport.expect(
        "GET", V1,
        body=status(
            "Failed",
            phaseMessage="Workload failed: container exited with code 1",
            conditions=[{"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded",
                         "message": "Job has reached the specified backoff limit"}],
        ),
    )
    scripted_transport.expect("GET", V2, body={"workload": {}, "syncInfo": {"status": "Synced"}})
    scripted_transport.expect(
        "GET", PODS, body={"pods": [{"name": "train-0", "k8sPhase": "Failed", "nodeName": "node-1"}]}
    )

    with pytest.raises(RunaiWaitError) as caught:
        waiter(scripted_transport, timeout=600).until_phase(["Running", "Completed"], ["Failed"])

    message = str(caught.value)
    assert "reached phase Failed (after waiting 5.0 s)" in message
    assert "container exited with code 1" in message
    assert "BackoffLimitExceeded: Job has reached the specified backoff limit" in message
    assert "Sync status: Synced" in message
    assert "train-0 Failed on node-1" in message
    assert caught.value.details["phase"] == "Failed"
    assert caught.value.details["pods"][0]["name"] == "train-0"


def test_a_settled_phase_that_is_not_wanted_ends_the_wait(scripted_transport, clock):
    scripted_transport.expect("GET", V1, body=status("Completed", phaseMessage="Workload completed successfully"))
    scripted_transport.expect("GET", V2, body={"workload": {}})
    scripted_transport.expect("GET", PODS, body={"pods": []})

    with pytest.raises(RunaiWaitError) as caught:
        waiter(scripted_transport).until_phase(["Running"], ["Failed"])
    assert "reached phase Completed and will not reach Running" in str(caught.value)
    assert "Pods: none" in str(caught.value)


def test_timeout_fails_with_the_last_phase_and_message(scripted_transport, clock):
    for _index in range(3):
        scripted_transport.expect("GET", V1, body=status("Pending", phaseMessage="Waiting for the scheduler"))

    with pytest.raises(RunaiWaitError) as caught:
        waiter(scripted_transport, timeout=10, sleep=5).until_phase(["Running"], ["Failed"])

    assert "Timed out after 10 s" in str(caught.value)
    assert "last phase Pending: Waiting for the scheduler" in str(caught.value)
    assert caught.value.details == {"phase": "Pending", "phase_message": "Waiting for the scheduler", "duration": 10.0}


def test_the_last_poll_happens_at_the_deadline_not_after_it(scripted_transport, clock):
    scripted_transport.expect("GET", V1, body=status("Pending"))
    scripted_transport.expect("GET", V1, body=status("Running"))

    waiter(scripted_transport, timeout=3, sleep=5).until_phase(["Running"], ["Failed"])

    assert clock.sleeps == [3]


def test_a_workload_stuck_pending_fails_sooner_with_the_scheduler_reason(scripted_transport, clock):
    scripted_transport.expect("GET", V1, body=status("Creating"))
    stuck = status(
        "Pending",
        phaseMessage="Unschedulable",
        pendingSchedulingMessages=[{"nodePool": "default", "phaseReason": "OverLimit",
                                    "reason": "Not enough GPUs in the project quota"}],
    )
    for _index in range(3):
        scripted_transport.expect("GET", V1, body=stuck)
    scripted_transport.expect("GET", V2, body={"workload": {}, "syncInfo": {"status": "Synced"}})
    scripted_transport.expect("GET", PODS, body={"pods": [{"name": "train-0", "k8sPhase": "Pending"}]})

    with pytest.raises(RunaiWaitError) as caught:
        waiter(scripted_transport, timeout=600, sleep=5).until_phase(["Running"], ["Failed"], pending_timeout=10)

    message = str(caught.value)
    assert "stayed Pending for more than pending_timeout=10 s" in message
    assert "node pool default: Not enough GPUs in the project quota" in message
    assert "train-0 Pending" in message
    assert clock.now - 1000.0 == 15.0  # 5 s creating, then 10 s pending


def test_after_an_update_the_wait_lets_the_change_apply_first(scripted_transport, clock):
    scripted_transport.expect("GET", V2, body={"workload": {}, "syncInfo": {"status": "Queued"}})
    scripted_transport.expect("GET", V2, body={"workload": {}, "syncInfo": {"status": "Synced"}})
    scripted_transport.expect("GET", V1, body=status("Running"))

    observed, duration = waiter(scripted_transport).until_phase(
        ["Running"], ["Failed"], observed=status("Running"), after_update=True
    )

    assert observed["phase"] == "Running" and duration == 5.0


def test_a_change_the_cluster_refuses_fails_with_the_sync_message(scripted_transport, clock):
    failed = {"workload": {}, "syncInfo": {"status": "Failed", "message": "admission webhook denied the request"}}
    scripted_transport.expect("GET", V2, body=failed)
    scripted_transport.expect("GET", V1, body=status("Running"))
    scripted_transport.expect("GET", PODS, body={"pods": []})

    with pytest.raises(RunaiWaitError) as caught:
        waiter(scripted_transport).until_phase(["Running"], ["Failed"], after_update=True)
    assert "could not be applied" in str(caught.value)
    assert "Sync status: Failed (admission webhook denied the request)" in str(caught.value)


def test_missing_pods_do_not_hide_the_failure(scripted_transport, clock):
    scripted_transport.expect("GET", V1, body=status("Failed", phaseMessage="OOMKilled"))
    scripted_transport.expect("GET", V2, body={"workload": {}})
    scripted_transport.expect("GET", PODS, 503, {"code": 503, "message": "Please try again in few minutes."})

    with pytest.raises(RunaiWaitError) as caught:
        waiter(scripted_transport).until_phase(["Running"], ["Failed"])
    assert "OOMKilled" in str(caught.value) and "Pods: unavailable" in str(caught.value)


def test_waiting_for_deletion_ends_when_the_api_no_longer_knows_the_workload(scripted_transport, clock):
    scripted_transport.expect("GET", V2, body={"workload": {}, "syncInfo": {"status": "Deleting"}})
    scripted_transport.expect("GET", V2, 404, {"code": 404, "message": "Resource id not found."})

    assert waiter(scripted_transport).until_gone() == 5.0


def test_waiting_for_deletion_times_out_with_the_sync_status(scripted_transport, clock):
    for _index in range(3):
        scripted_transport.expect("GET", V2, body={"workload": {}, "syncInfo": {"status": "Deleting"}})

    with pytest.raises(RunaiWaitError) as caught:
        waiter(scripted_transport, timeout=10).until_gone()
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


# -- one observation: the predicates both polls share ------------------------------------------------------------------

GOAL = PhaseGoal(["Running"], ["Failed", "Degraded"], None)


@pytest.mark.parametrize(
    "phase, goal, elapsed, pending_since, expected",
    [
        ("Running", GOAL, 3, None, (REACHED, None, None, None)),
        ("Degraded", GOAL, 3, None, (FAILED, "reached phase Degraded", None, None)),
        ("Completed", GOAL, 3, None, (FAILED, "reached phase Completed and will not reach Running", None, None)),
        ("Stopped", GOAL, 3, None, (FAILED, "reached phase Stopped and will not reach Running", None, None)),
        # a phase the task waits for wins over a settled one
        ("Completed", PhaseGoal(["Running", "Completed"], ["Failed"], None), 3, None, (REACHED, None, None, None)),
        (None, GOAL, 3, None, (WAITING, None, None, None)),  # not visible yet
        ("Creating", GOAL, 3, 1.0, (WAITING, None, None, None)),  # leaving Pending ends the stretch
        ("Pending", GOAL, 3, None, (WAITING, None, None, None)),  # no pending_timeout: nothing is counted
        ("Pending", PhaseGoal(["Running"], ["Failed"], 10), 3, None, (WAITING, None, 3, 10)),
        ("Pending", PhaseGoal(["Running"], ["Failed"], 10), 8, 3, (WAITING, None, 3, 5)),
        ("Pending", PhaseGoal(["Running"], ["Failed"], 10), 13, 3,
         (FAILED, "stayed Pending for more than pending_timeout=10 s", 3, None)),
        ("Creating", GOAL, 60, None, (TIMED_OUT, "to reach Running", None, None)),
        (None, GOAL, 61, None, (TIMED_OUT, "to reach Running", None, None)),
        ("Running", GOAL, 61, None, (REACHED, None, None, None)),  # reaching it at the deadline still counts
    ],
)
def test_one_observation_is_judged_without_any_request(phase, goal, elapsed, pending_since, expected):
    observed = None if phase is None else status(phase)

    assert tuple(judge_phase(observed, goal, elapsed, 60, pending_since)) == expected


# -- a batch: one listing per project per poll cycle -------------------------------------------------------------------

LIST = "/api/v1/workloads"
CREATED = "2026-01-15T10:30:00.250Z"
SINCE = "createdAt>=2026-01-15T10:29:00Z"  # the earliest creation, to the second, less a minute of slack
IDS = dict(("train-%d" % index, "0b6f3c2e-8a41-4d7e-9c55-2f1e7a9d4b1%d" % index) for index in range(4))
IDS["serve"] = "5d0e2c1a-3b4f-4e6d-8a9b-0c1d2e3f4a5b"


def client_for(transport):
    return RunaiClient(url=transport.base_url, token="t", transport=transport, retries=0)


def batch_waiter(transport):
    return BatchPhaseWaiter(client_for(transport))


def watch(batch, name, project="team-a", wait_for=("Running",), fail_on=("Failed",), pending_timeout=None,
          timeout=60, sleep=5, created_at=CREATED, observed=None):
    """Add workload ``name`` to the batch wait, keyed by its name."""
    label = "'%s' (%s) in project '%s'" % (name, IDS[name], project)
    batch.add(name, Waiter(batch.client, IDS[name], label, timeout, sleep),
              PhaseGoal(list(wait_for), list(fail_on), pending_timeout), (project, None, None), name, created_at,
              observed)


def shown(name, phase, **fields):
    body = {"id": IDS[name], "name": name, "phase": phase, "projectName": "team-a", "createdAt": CREATED}
    body.update(fields)
    return body


def expect_listing(transport, filter_by, *workloads):
    def check(call):
        assert call["params"] == {"filterBy": filter_by, "offset": 0, "limit": 500}

    transport.expect("GET", LIST, body={"workloads": list(workloads)}, check=check)


def test_a_batch_wait_reads_one_listing_per_project_per_cycle_and_no_workload_by_id(scripted_transport, clock):
    batch = batch_waiter(scripted_transport)
    for name in ("train-0", "train-1", "train-2"):
        watch(batch, name)
    watch(batch, "serve", project="team-b", created_at="2026-01-15T10:31:05Z")
    # cycle 1: train-1 is not visible yet
    expect_listing(scripted_transport, "name=^train-,%s,projectName==team-a" % SINCE,
                   shown("train-0", "Creating"), shown("train-2", "Running"))
    expect_listing(scripted_transport, "name==serve,createdAt>=2026-01-15T10:30:05Z,projectName==team-b",
                   shown("serve", "Pending", projectName="team-b"))
    # cycle 2, 5 s later: only what still waits
    expect_listing(scripted_transport, "name=^train-,%s,projectName==team-a" % SINCE,
                   shown("train-0", "Running"), shown("train-1", "Running"), shown("train-2", "Running"))
    expect_listing(scripted_transport, "name==serve,createdAt>=2026-01-15T10:30:05Z,projectName==team-b",
                   shown("serve", "Running", projectName="team-b"))

    outcomes = batch.run()

    assert [call["path"] for call in scripted_transport.calls] == [LIST] * 4
    assert clock.sleeps == [5]
    assert dict((name, (observed["phase"], duration)) for name, (observed, duration) in outcomes.items()) == {
        "train-0": ("Running", 5.0), "train-1": ("Running", 5.0), "train-2": ("Running", 0.0),
        "serve": ("Running", 5.0),
    }


def test_a_workload_already_seen_in_a_wanted_phase_costs_no_request(scripted_transport, clock):
    batch = batch_waiter(scripted_transport)
    watch(batch, "train-0", observed=shown("train-0", "Running"))
    watch(batch, "train-1", observed=shown("train-1", "Pending"))
    expect_listing(scripted_transport, "name==train-1,%s,projectName==team-a" % SINCE, shown("train-1", "Running"))

    outcomes = batch.run()

    assert outcomes["train-0"][1] == 0.0 and outcomes["train-1"][0]["phase"] == "Running"
    assert len(scripted_transport.calls) == 1


def test_a_failure_phase_ends_that_wait_with_its_own_details_and_the_others_go_on(scripted_transport, clock):
    batch = batch_waiter(scripted_transport)
    watch(batch, "train-0", timeout=600)
    watch(batch, "train-1", timeout=600)
    failed = shown("train-0", "Failed", phaseMessage="Workload failed: container exited with code 1")
    expect_listing(scripted_transport, "name=^train-,%s,projectName==team-a" % SINCE, failed, shown("train-1", "Creating"))
    scripted_transport.expect("GET", "/api/v2/workloads/%s" % IDS["train-0"],
                              body={"workload": {}, "syncInfo": {"status": "Synced"}})
    scripted_transport.expect("GET", "/api/v1/workloads/%s/pods" % IDS["train-0"],
                              body={"pods": [{"name": "train-0-0", "k8sPhase": "Failed", "nodeName": "node-1"}]})
    expect_listing(scripted_transport, "name==train-1,%s,projectName==team-a" % SINCE, shown("train-1", "Running"))

    outcomes = batch.run()

    error = outcomes["train-0"]
    assert isinstance(error, RunaiWaitError)
    assert "Workload 'train-0' (%s) in project 'team-a' reached phase Failed (after waiting 0.0 s)" % IDS["train-0"] in (
        str(error))
    assert "container exited with code 1" in str(error) and "Sync status: Synced" in str(error)
    assert "train-0-0 Failed on node-1" in str(error)
    assert error.details["phase"] == "Failed" and error.details["pods"][0]["name"] == "train-0-0"
    assert outcomes["train-1"][0]["phase"] == "Running" and outcomes["train-1"][1] == 5.0


def test_a_settled_phase_that_is_not_wanted_ends_that_wait(scripted_transport, clock):
    batch = batch_waiter(scripted_transport)
    watch(batch, "train-0")
    expect_listing(scripted_transport, "name==train-0,%s,projectName==team-a" % SINCE,
                   shown("train-0", "Completed", phaseMessage="Workload completed successfully"))
    scripted_transport.expect("GET", "/api/v2/workloads/%s" % IDS["train-0"], body={"workload": {}})
    scripted_transport.expect("GET", "/api/v1/workloads/%s/pods" % IDS["train-0"], body={"pods": []})

    error = batch.run()["train-0"]

    assert "reached phase Completed and will not reach Running" in str(error) and "Pods: none" in str(error)


def test_pending_timeout_counts_from_the_first_pending_look_of_each_workload(scripted_transport, clock):
    batch = batch_waiter(scripted_transport)
    watch(batch, "train-0", pending_timeout=10, timeout=600)
    watch(batch, "train-1", timeout=600)  # no pending_timeout: waits on
    stuck = dict(phaseMessage="Unschedulable",
                 pendingSchedulingMessages=[{"nodePool": "default", "reason": "Not enough GPUs in the project quota"}])
    names = "name=^train-,%s,projectName==team-a" % SINCE
    expect_listing(scripted_transport, names, shown("train-0", "Creating"), shown("train-1", "Pending"))
    for _cycle in range(3):  # at 5, 10 and 15 s
        expect_listing(scripted_transport, names, shown("train-0", "Pending", **stuck), shown("train-1", "Pending"))
    scripted_transport.expect("GET", "/api/v2/workloads/%s" % IDS["train-0"], body={"workload": {}})
    scripted_transport.expect("GET", "/api/v1/workloads/%s/pods" % IDS["train-0"],
                              body={"pods": [{"name": "train-0-0", "k8sPhase": "Pending"}]})
    expect_listing(scripted_transport, "name==train-1,%s,projectName==team-a" % SINCE, shown("train-1", "Running"))

    outcomes = batch.run()

    message = str(outcomes["train-0"])
    assert "stayed Pending for more than pending_timeout=10 s (after waiting 15.0 s)" in message
    assert "node pool default: Not enough GPUs in the project quota" in message
    assert outcomes["train-1"][1] == 20.0
    assert clock.sleeps == [5, 5, 5, 5]


def test_each_workload_times_out_on_its_own_deadline_with_its_last_state(scripted_transport, clock):
    batch = batch_waiter(scripted_transport)
    watch(batch, "train-0", timeout=10, sleep=5)
    watch(batch, "train-1", timeout=7, sleep=5)  # never shows up
    names = "name=^train-,%s,projectName==team-a" % SINCE
    waiting = shown("train-0", "Pending", phaseMessage="Waiting for the scheduler")
    expect_listing(scripted_transport, names, waiting)  # at 0 s
    expect_listing(scripted_transport, names, waiting)  # at 5 s
    expect_listing(scripted_transport, "name==train-1,%s,projectName==team-a" % SINCE, waiting)  # at 7 s, its deadline
    expect_listing(scripted_transport, "name==train-0,%s,projectName==team-a" % SINCE, waiting)  # at 10 s

    outcomes = batch.run()

    assert clock.sleeps == [5, 2, 3]
    assert "Timed out after 10 s" in str(outcomes["train-0"])
    assert "last phase Pending: Waiting for the scheduler" in str(outcomes["train-0"])
    assert outcomes["train-0"].details == {"phase": "Pending", "phase_message": "Waiting for the scheduler",
                                           "duration": 10.0}
    assert "Timed out after 7 s" in str(outcomes["train-1"])
    assert "it was not seen with a phase" in str(outcomes["train-1"])


def test_each_workload_is_looked_at_after_its_own_wait_sleep(scripted_transport, clock):
    batch = batch_waiter(scripted_transport)
    watch(batch, "train-0", sleep=2)
    watch(batch, "train-1", sleep=5)
    names = "name=^train-,%s,projectName==team-a" % SINCE
    only_0 = "name==train-0,%s,projectName==team-a" % SINCE
    expect_listing(scripted_transport, names, shown("train-0", "Creating"), shown("train-1", "Creating"))  # 0 s
    expect_listing(scripted_transport, only_0, shown("train-0", "Creating"), shown("train-1", "Creating"))  # 2 s
    expect_listing(scripted_transport, only_0, shown("train-0", "Creating"), shown("train-1", "Running"))  # 4 s
    # 5 s: train-1 is due; what the 4 s listing showed of it was not its look
    expect_listing(scripted_transport, "name==train-1,%s,projectName==team-a" % SINCE, shown("train-1", "Running"))
    expect_listing(scripted_transport, only_0, shown("train-0", "Running"))  # 6 s

    outcomes = batch.run()

    assert clock.sleeps == [2, 2, 1, 1]
    assert outcomes["train-0"][1] == 6.0 and outcomes["train-1"][1] == 5.0


def test_the_listing_is_narrowed_only_as_far_as_it_stays_exact(scripted_transport, clock):
    batch = batch_waiter(scripted_transport)
    watch(batch, "train-0", created_at="2026-01-15T11:00:00+02:00")
    watch(batch, "serve")  # shares no prefix with train-0
    watch(batch, "train-1", project="team-b", created_at=None)  # creation time unknown: no time filter at all
    watch(batch, "train-2", project="team-b")
    expect_listing(scripted_transport, "createdAt>=2026-01-15T08:59:00Z,projectName==team-a",
                   shown("train-0", "Running"), shown("serve", "Running"))
    expect_listing(scripted_transport, "name=^train-,projectName==team-b",
                   shown("train-1", "Running"), shown("train-2", "Running"))

    outcomes = batch.run()

    assert sorted(outcomes) == ["serve", "train-0", "train-1", "train-2"]


def test_a_project_listing_that_fails_ends_the_waits_of_that_project_only(scripted_transport, clock):
    batch = batch_waiter(scripted_transport)
    watch(batch, "train-0")
    watch(batch, "serve", project="team-b")
    scripted_transport.expect("GET", LIST, 403, {"code": 403, "message": "You do not have sufficient permissions."})
    expect_listing(scripted_transport, "name==serve,%s,projectName==team-b" % SINCE,
                   shown("serve", "Running", projectName="team-b"))

    outcomes = batch.run()

    assert isinstance(outcomes["train-0"], RunaiPermissionError)
    assert outcomes["serve"][0]["phase"] == "Running"


def test_a_batch_with_nothing_left_to_wait_for_sends_nothing(scripted_transport, clock):
    assert batch_waiter(scripted_transport).run() == {}
