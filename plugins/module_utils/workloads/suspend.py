# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Suspending and resuming workloads: runai_workload's ``state: suspended``, and ``state: present`` on a suspended one.

Every suspend, resume and batch delete goes through one route, ``POST /api/v1/workloads/batch`` (at most 100 ids a
request): a single workload is a batch of one. The per-kind routes (``/trainings``, ``/workspaces``, ``/distributed``)
would need the collection to map every kind to the vendor's family and answer 404 for a kind of another family; the
batch route takes any kind, says per id what failed, and lets a batch of many cost one request per 100 workloads.

A workload is suspended when its v1 phase is ``Stopping`` or ``Stopped``; a kind the controller cannot suspend says so
with ``actionsSupport.suspend: false`` on its v1 object, and is refused before anything is sent.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import threading

from ansible_collections.runai.platform.plugins.module_utils.api.errors import RunaiError, RunaiWaitError
from ansible_collections.runai.platform.plugins.module_utils.workloads.find import WORKLOADS_V1_PATH
from ansible_collections.runai.platform.plugins.module_utils.workloads.wait import PhaseGoal

BATCH_PATH = WORKLOADS_V1_PATH + "/batch"
# The reference: "The number of ids is limited to 100".
BATCH_LIMIT = 100
SUSPENDED_PHASES = ("Stopping", "Stopped")
ENDED_PHASES = ("Completed", "Failed")
SUSPEND_WAIT_FOR = ["Stopped"]
RESUMED_PHASE = "Running"


def is_suspended(found):
    return (found or {}).get("phase") in SUSPENDED_PHASES


def send_batch(client, action, ids):
    """{id: None when the action succeeded, else (code, message)} for ``action`` on every id, 100 ids a request.

    Suspend and resume change nothing when repeated, so a request that met a transient answer is sent again; a delete
    repeated after it landed fails its ids with 404, which is what it wanted."""
    outcome = {}
    ids = list(dict.fromkeys(ids))
    for start in range(0, len(ids), BATCH_LIMIT):
        chunk = ids[start:start + BATCH_LIMIT]
        answer = client.post_idempotent(BATCH_PATH, dict(ids=chunk, action=action)) or {}
        for workload_id in answer.get("succeeded") or []:
            outcome[workload_id] = None
        for failure in answer.get("failed") or []:
            code = failure.get("code")
            if action == "delete" and str(code) == "404":
                outcome[failure.get("id")] = None
            else:
                outcome[failure.get("id")] = (code, failure.get("message"))
        for workload_id in chunk:
            outcome.setdefault(workload_id, (None, "the batch answer did not mention it"))
    return outcome


def refusal(label, action, failure):
    code, message = failure
    return "Workload %s: the control plane refused to %s it (%s%s)." % (
        label, action, code or "no code", (": %s" % message) if message else "")


def require_suspendable(request, found):
    """Fail, before anything is sent, for a kind whose controller cannot suspend it."""
    if ((found or {}).get("actionsSupport") or {}).get("suspend") is False:
        kind = found.get("type") or "workload of this kind"
        raise RunaiError(
            "Workload %s is a %s, and a %s cannot be suspended (actionsSupport.suspend is false on the control plane). "
            "Nothing was changed. Delete it (state: absent) to free its GPUs instead." % (
                request.label(found.get("id")), kind, kind),
            details=dict(changed=False, id=found.get("id"), phase=found.get("phase"), kind=kind),
        )


def phase_diff(request, before, after):
    header = "runai workload %s/%s" % (request.project_label or "?", request.name)
    return dict(before=dict(phase=before), after=dict(phase=after), before_header=header, after_header=header)


def ensure_suspended(reconciler, request, found):
    """``state: suspended``: suspend the workload unless it is suspended already; wait for Stopped when asked."""
    if found is None or found.get("phase") == "Deleting":
        raise RunaiError("Workload %s does not exist (or is being deleted), so it cannot be suspended. Create it "
                         "first (state: present)." % request.label(), details=dict(changed=False))
    workload_id, phase = found["id"], found.get("phase")
    result = dict(changed=False, id=workload_id, phase=phase, workload=None)
    if is_suspended(found):
        result["msg"] = "Workload %s is already suspended (phase %s)." % (request.label(workload_id), phase)
        return wait_suspended(reconciler, request, result, found)
    if phase in ENDED_PHASES:
        raise RunaiError("Workload %s has ended (phase %s); there is nothing to suspend." % (
            request.label(workload_id), phase), details=dict(changed=False, id=workload_id, phase=phase))
    require_suspendable(request, found)
    result["changed"] = True
    if reconciler.diff_mode:
        result["diff"] = phase_diff(request, phase, "Stopped")
    if reconciler.check_mode:
        result["msg"] = "Workload %s would be suspended (phase %s now)." % (request.label(workload_id), phase)
        result["check_mode_validation"] = "local"
        return result
    suspender = getattr(reconciler, "suspender", None)
    if suspender is not None:
        suspender.add(request, result)  # sent with the batch's other suspends, 100 a request
        return result
    failure = send_batch(reconciler.client, "suspend", [workload_id]).get(workload_id)
    if failure is not None:
        raise RunaiError(refusal(request.label(workload_id), "suspend", failure),
                         details=dict(changed=False, id=workload_id, phase=phase))
    result["msg"] = "Workload %s suspended." % request.label(workload_id)
    return wait_suspended(reconciler, request, result, None)


def suspend_goal(request):
    wait_for = request.wait.wait_for or SUSPEND_WAIT_FOR
    return PhaseGoal(wait_for, [phase for phase in request.wait.fail_on if phase not in wait_for], None)


def wait_suspended(reconciler, request, result, observed):
    from ansible_collections.runai.platform.plugins.module_utils.workloads.reconcile import (
        wait_failed,
        wait_reached,
    )

    if not request.wait.enabled or reconciler.check_mode:
        return result
    goal = suspend_goal(request)
    try:
        status, duration = reconciler._waiter(request, result["id"]).until_phase(
            goal.wait_for, goal.fail_on, None, observed)
    except RunaiWaitError as error:
        raise wait_failed(error, result)
    return wait_reached(result, status, duration)


def resume_and_converge(reconciler, request, found, stored):
    """``state: present`` on a suspended workload: bring what it stores in line as usual, then resume it, and wait
    (when asked) for it to leave Stopped/Resuming and reach the phases of ``wait_for``."""
    quiet = copy.copy(request)
    quiet.wait = request.wait._replace(enabled=False)
    result = reconciler.converge(quiet, found, stored)
    workload_id, phase = found["id"], found.get("phase")
    if result.get("id") != workload_id:
        return result  # re-created: the new workload runs, the suspended one is gone
    label = request.label(workload_id)
    updated = result["changed"]
    result["changed"] = True
    if reconciler.diff_mode:
        diff = result.get("diff") or phase_diff(request, phase, RESUMED_PHASE)
        diff["before"]["phase"], diff["after"]["phase"] = phase, RESUMED_PHASE
        result["diff"] = diff
    if reconciler.check_mode:
        result["msg"] = ("%s It would also be resumed (phase %s now)." % (result["msg"], phase) if updated else
                         "Workload %s would be resumed (phase %s now)." % (label, phase))
        result["check_mode_validation"] = "local"
        return result
    failure = send_batch(reconciler.client, "resume", [workload_id]).get(workload_id)
    if failure is not None:
        raise RunaiError(refusal(label, "resume", failure), details=dict(changed=updated, id=workload_id, phase=phase))
    result["msg"] = ("%s Resumed (it was %s)." % (result["msg"], phase) if updated else
                     "Workload %s resumed (it was %s)." % (label, phase))
    return wait_resumed(reconciler, request, result)


def wait_resumed(reconciler, request, result):
    from ansible_collections.runai.platform.plugins.module_utils.workloads.reconcile import (
        wait_failed,
        wait_reached,
    )

    if not request.wait.enabled:
        return result
    waiter = reconciler._waiter(request, result["id"])
    try:
        # the v1 view may show the suspension for a while after the resume: a Stopped phase then is not settled
        while True:
            observed = waiter._read_status()
            if not is_suspended(observed):
                break
            if waiter._timed_out():
                raise waiter._timeout(observed, "to resume")
            waiter._pause()
        status, duration = waiter.until_phase(request.wait.wait_for, request.wait.fail_on,
                                              request.wait.pending_timeout, observed)
    except RunaiWaitError as error:
        raise wait_failed(error, result)
    return wait_reached(result, status, duration)


class BatchSuspender(object):
    """The suspends of a batch (runai_workload ``workloads``), gathered while the items are reconciled and then sent
    together, 100 ids a request; their waits for Stopped go to the batch's BatchPhaseWaiter."""

    def __init__(self, client):
        self.client = client
        self._entries = []
        self._lock = threading.Lock()

    def add(self, request, result):
        with self._lock:
            self._entries.append((request, result))

    def run(self, reconciler, batch_waiter):
        """Send the gathered suspends; each item's result (a dict the batch holds) is completed in place."""
        if not self._entries:
            return
        outcome = send_batch(self.client, "suspend", [result["id"] for _request, result in self._entries])
        for request, result in self._entries:
            label = request.label(result["id"])
            failure = outcome.get(result["id"])
            if failure is not None:
                result.update(changed=False, failed=True, msg=refusal(label, "suspend", failure))
                result.pop("diff", None)
                if failure[0] is not None:
                    result["status"] = failure[0]
                continue
            result["msg"] = "Workload %s suspended." % label
            if request.wait.enabled:
                goal = suspend_goal(request)
                batch_waiter.add(request, reconciler._waiter(request, result["id"]), goal, request.group,
                                 request.name)
