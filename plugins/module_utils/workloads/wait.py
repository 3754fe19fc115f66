# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waiting for workloads: which phases end a wait, the poll loops (one workload, or a batch), and why a workload failed.

The observed phase is the v1 workload's ``phase``; the v2 object's ``syncInfo`` says whether the control plane applied
the last change. What one observation means is decided by ``judge_phase`` alone, so a single workload polled by id and a
batch polled through one listing per project end their waits for exactly the same reasons. A failure explains itself
with the phase, its message and reason, the sync status and the pods' states.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading
import time
from collections import namedtuple

from ansible_collections.runai.platform.plugins.module_utils.api.errors import (
    RunaiError,
    RunaiNotFoundError,
    RunaiWaitError,
)
from ansible_collections.runai.platform.plugins.module_utils.workloads.diff import is_deletion_done
from ansible_collections.runai.platform.plugins.module_utils.workloads.events import with_events
from ansible_collections.runai.platform.plugins.module_utils.workloads.find import (
    WORKLOADS_V1_PATH,
    list_workloads_among,
    workload_v2_path,
)

# Kinds that serve until deleted: they never complete, so only Running ends a wait on them by default.
LONG_RUNNING_KINDS = frozenset(
    ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "InferenceService", "LeaderWorkerSet", "Service"]
)
# Phases a workload does not leave on its own.
SETTLED_PHASES = ("Completed", "Failed", "Stopped")
PENDING_PHASE = "Pending"
SYNC_IN_PROGRESS = ("Queued", "Applying")
SYNC_FAILED = "Failed"
# Condition types that report trouble when they hold (the others, like Ready or Available, report it when they don't).
TROUBLE_CONDITIONS = ("Failed", "Degraded")

# What ends a wait for a phase.
PhaseGoal = namedtuple("PhaseGoal", ["wait_for", "fail_on", "pending_timeout"])
# What one observation means: ``outcome`` is one of the four below; ``reason`` completes the failure or timeout message;
# ``pending_since`` carries the Pending stretch on to the next observation; ``pause_limit`` (seconds, or None) keeps the
# pause before the next one from oversleeping pending_timeout.
Verdict = namedtuple("Verdict", ["outcome", "reason", "pending_since", "pause_limit"])
REACHED, FAILED, TIMED_OUT, WAITING = "reached", "failed", "timed out", "waiting"


def default_wait_for(kind):
    """Running for kinds that keep running; Running or Completed for the rest, so a quick job is not missed."""
    return ["Running"] if kind in LONG_RUNNING_KINDS else ["Running", "Completed"]


def workload_v1_path(workload_id):
    return "%s/%s" % (WORKLOADS_V1_PATH, workload_id)


def _rounded(seconds):
    return round(seconds, 1)


def judge_phase(observed, goal, elapsed, timeout, pending_since=None):
    """The Verdict on one observation of a workload whose wait has run ``elapsed`` of ``timeout`` seconds.

    ``observed`` is the v1 workload, or None while it is not visible yet. ``pending_since`` is the elapsed time at which
    the current Pending stretch was first seen (None outside one). Pure: no request, no clock.
    """
    phase = (observed or {}).get("phase")
    if phase in goal.fail_on:
        return Verdict(FAILED, "reached phase %s" % phase, pending_since, None)
    if phase in goal.wait_for:
        return Verdict(REACHED, None, pending_since, None)
    if phase in SETTLED_PHASES:
        reason = "reached phase %s and will not reach %s" % (phase, " or ".join(goal.wait_for))
        return Verdict(FAILED, reason, pending_since, None)
    pause_limit = None
    if phase == PENDING_PHASE and goal.pending_timeout is not None:
        pending_since = elapsed if pending_since is None else pending_since
        pause_limit = goal.pending_timeout - (elapsed - pending_since)
        if pause_limit <= 0:
            reason = "stayed Pending for more than pending_timeout=%s s" % goal.pending_timeout
            return Verdict(FAILED, reason, pending_since, None)
    elif phase != PENDING_PHASE:
        pending_since = None
    if elapsed >= timeout:
        return Verdict(TIMED_OUT, "to reach %s" % " or ".join(goal.wait_for), pending_since, None)
    return Verdict(WAITING, None, pending_since, pause_limit)


class Waiter(object):
    """Polls one workload until it reaches a wanted phase, fails, or runs out of time.

    ``label`` names the workload in messages. Time comes from this module's ``time`` so tests can replace it.
    """

    def __init__(self, client, workload_id, label, timeout, sleep_seconds):
        self.client = client
        self.workload_id = workload_id
        self.label = label
        self.timeout = timeout
        self.sleep_seconds = sleep_seconds
        self.started = time.monotonic()

    def elapsed(self, now=None):
        """Seconds since the wait started, until ``now`` (a time.monotonic() value) or until this moment."""
        return (time.monotonic() if now is None else now) - self.started

    def pause_seconds(self, limit=None, now=None):
        """How long to sleep before the next poll: wait_sleep, but never past the deadline or ``limit``."""
        remaining = self.timeout - self.elapsed(now)
        if limit is not None:
            remaining = min(remaining, limit)
        return max(0.0, min(self.sleep_seconds, remaining))

    def _pause(self, limit=None):
        time.sleep(self.pause_seconds(limit))

    def _timed_out(self):
        return self.elapsed() >= self.timeout

    # -- present --------------------------------------------------------------------------------------------------------

    def until_phase(self, wait_for, fail_on, pending_timeout=None, observed=None, after_update=False):
        """The v1 workload once its phase is in ``wait_for``; raises RunaiWaitError on a failure phase, on a settled
        phase that is not wanted, when it stays Pending beyond ``pending_timeout`` or on timeout.

        ``observed`` is a v1 object already in hand (saves the first poll). After an update the phase can still show
        the old state, so the wait first lets the control plane finish applying the change.
        """
        if after_update:
            self._until_synced()
            observed = None
        goal = PhaseGoal(wait_for, fail_on, pending_timeout)
        pending_since = None
        while True:
            if observed is None:
                observed = self._read_status()
            verdict = judge_phase(observed, goal, self.elapsed(), self.timeout, pending_since)
            if verdict.outcome != WAITING:
                return self.conclude(observed, verdict)
            pending_since = verdict.pending_since
            self._pause(verdict.pause_limit)
            observed = None

    def conclude(self, observed, verdict):
        """(v1 workload, duration) for a verdict that reached the goal; raises RunaiWaitError explaining any other end."""
        if verdict.outcome == REACHED:
            return observed, _rounded(self.elapsed())
        if verdict.outcome == TIMED_OUT:
            raise self._timeout(observed, verdict.reason)
        raise self._failure(observed, verdict.reason)

    def _read_status(self):
        try:
            return self.client.get(workload_v1_path(self.workload_id))
        except RunaiNotFoundError:
            return None  # the read side may not show a new workload yet

    def _until_synced(self):
        while True:
            stored = self.client.get(workload_v2_path(self.workload_id)) or {}
            sync = stored.get("syncInfo") or {}
            status = sync.get("status")
            if status == SYNC_FAILED:
                raise self._failure(self._read_status(), "could not be applied to the cluster", stored=stored)
            if status not in SYNC_IN_PROGRESS:
                return
            if self._timed_out():
                raise self._timeout(None, "for the control plane to apply the change (sync status %s)" % status)
            self._pause()

    # -- absent ---------------------------------------------------------------------------------------------------------

    def until_gone(self):
        """Seconds it took until the v2 API no longer knows the workload (404) or says its deletion is done: a deleted
        workload may stay readable for a while."""
        while True:
            try:
                stored = self.client.get(workload_v2_path(self.workload_id)) or {}
            except RunaiNotFoundError:
                return _rounded(self.elapsed())
            if is_deletion_done(stored):
                return _rounded(self.elapsed())
            if self._timed_out():
                status = (stored.get("syncInfo") or {}).get("status")
                raise RunaiWaitError(
                    "Timed out after %s s waiting for workload %s to be deleted (sync status %s). Raise "
                    "'wait_timeout' or check the cluster." % (self.timeout, self.label, status or "unknown"),
                    details=dict(duration=_rounded(self.elapsed()), sync_status=status),
                )
            self._pause()

    # -- explanations ---------------------------------------------------------------------------------------------------

    def _timeout(self, observed, goal):
        phase = (observed or {}).get("phase")
        seen = ("; last phase %s" % phase) if phase else "; it was not seen with a phase"
        message = (observed or {}).get("phaseMessage")
        return with_events(self.client, self.workload_id, RunaiWaitError(
            "Timed out after %s s waiting for workload %s %s%s%s. Raise 'wait_timeout' or check the cluster."
            % (self.timeout, self.label, goal, seen, (": %s" % message) if message else ""),
            details=dict(phase=phase, phase_message=message, duration=_rounded(self.elapsed())),
        ))

    def _failure(self, observed, what, stored=None):
        observed = observed or {}
        reasons = phase_reasons(observed)
        if stored is None:
            stored = self._read_stored()
        sync = (stored or {}).get("syncInfo") or {}
        pods = self._read_pods()
        parts = ["Workload %s %s (after waiting %s s)" % (self.label, what, _rounded(self.elapsed()))]
        if reasons:
            parts.append("Reason: %s" % "; ".join(reasons))
        if sync:
            parts.append(
                "Sync status: %s%s" % (sync.get("status"), (" (%s)" % sync["message"]) if sync.get("message") else "")
            )
        parts.append("Pods: %s" % describe_pods(pods))
        return with_events(self.client, self.workload_id, RunaiWaitError(
            ". ".join(parts) + ".",
            details=dict(
                phase=observed.get("phase"),
                phase_message=observed.get("phaseMessage"),
                pods=[brief_pod(pod) for pod in pods] if isinstance(pods, list) else [],
                duration=_rounded(self.elapsed()),
            ),
        ))

    def _read_stored(self):
        try:
            return self.client.get(workload_v2_path(self.workload_id))
        except RunaiError:
            return None  # the failure is being explained; a missing detail must not hide it

    def _read_pods(self):
        try:
            return (self.client.get("%s/pods" % workload_v1_path(self.workload_id)) or {}).get("pods") or []
        except RunaiError as error:
            return "unavailable (%s)" % error


def until_found(look, timeout, sleep_seconds):
    """What ``look()`` returns once it is not None, asking again every ``sleep_seconds`` for at most ``timeout``
    seconds; None if it never was. For reads that lag behind a write (the v1 listing after a v2 create)."""
    started = time.monotonic()
    while True:
        found = look()
        remaining = timeout - (time.monotonic() - started)
        if found is not None or remaining <= 0:
            return found
        time.sleep(min(sleep_seconds, remaining))


class PhaseWatch(object):
    """One workload of a batch wait: its Waiter (clock, timeout, wait_sleep, explanations), what ends its wait, the
    listing that shows it, and when it is next due for a look."""

    def __init__(self, key, waiter, goal, listing, name, created_at):
        self.key = key
        self.waiter = waiter
        self.goal = goal
        self.listing = listing
        self.name = name
        self.created_at = created_at
        self.pending_since = None
        self.due = waiter.started


class BatchPhaseWaiter(object):
    """Waits for the phases of a batch's workloads together: each poll cycle reads one filtered v1 listing per project
    for the workloads due for a look, instead of one GET per workload.

    Every workload keeps its own goal, wait_sleep, timeouts and duration, and each observation is judged by
    judge_phase exactly as a single wait judges it; a workload the listing does not show yet is not seen yet, as a 404
    is for a single wait. Workloads are added from the batch's threads while they are reconciled; run() then polls.
    """

    def __init__(self, client):
        self.client = client
        self._watches = []
        self._outcomes = {}
        self._lock = threading.Lock()

    def add(self, key, waiter, goal, listing, name, created_at=None, observed=None):
        """Watch one workload until run() ends its wait; the outcome is reported under ``key``.

        ``listing`` is the (project name, project id, cluster id) triple of list_workloads_among; ``created_at`` the
        workload's creation time as the API gives it (narrows the listing). ``observed`` is a v1 object already in
        hand: it is judged at once, as a single wait judges it, so a workload already in a wanted phase costs nothing.
        """
        watch = PhaseWatch(key, waiter, goal, listing, name, created_at)
        if observed is not None and self._judge(watch, observed, time.monotonic()).outcome != WAITING:
            return
        with self._lock:
            self._watches.append(watch)

    def run(self):
        """Poll until every wait has ended: {key: (v1 workload, duration), or the RunaiError that ended the wait}.

        A cycle looks at every workload that is due (all of them at first); each is then due again after its own
        pause, so workloads with the same wait_sleep share every later cycle.
        """
        watches = list(self._watches)
        while watches:
            now = time.monotonic()
            due = [watch for watch in watches if watch.due <= now]
            if not due:
                time.sleep(min(watch.due for watch in watches) - now)
                continue
            for listing, members in self._by_listing(due):
                try:
                    seen = self._look(listing, members)
                except RunaiError as error:
                    for watch in members:
                        self._end(watch, error)  # as a failed GET ends a single wait
                    continue
                for watch in members:
                    verdict = self._judge(watch, seen.get(watch.waiter.workload_id), now)
                    if verdict.outcome == WAITING:
                        watch.due = now + watch.waiter.pause_seconds(verdict.pause_limit, now)
            watches = [watch for watch in watches if watch.key not in self._outcomes]
        return self._outcomes

    def _judge(self, watch, observed, now):
        verdict = judge_phase(observed, watch.goal, watch.waiter.elapsed(now), watch.waiter.timeout,
                              watch.pending_since)
        if verdict.outcome == WAITING:
            watch.pending_since = verdict.pending_since
            return verdict
        try:
            outcome = watch.waiter.conclude(observed, verdict)
        except RunaiWaitError as error:
            outcome = error
        self._end(watch, outcome)
        return verdict

    def _end(self, watch, outcome):
        with self._lock:
            self._outcomes[watch.key] = outcome

    @staticmethod
    def _by_listing(watches):
        """(listing, its watches) in the order the watches were added."""
        groups = {}
        for watch in watches:
            groups.setdefault(watch.listing, []).append(watch)
        return groups.items()

    def _look(self, listing, watches):
        """The v1 workloads of one listing, by id, narrowed to what these watches can be."""
        found = list_workloads_among(
            self.client, [watch.name for watch in watches], [watch.created_at for watch in watches], *listing
        )
        return dict((workload.get("id"), workload) for workload in found)


def phase_reasons(observed):
    """The phase's message and reason, then what unmet conditions and the scheduler add to them, each said once."""
    reasons = []

    def add(text):
        text = (text or "").strip()
        if text and text not in reasons:
            reasons.append(text)

    add(observed.get("phaseMessage"))
    add(observed.get("phaseReason"))
    for condition in observed.get("conditions") or []:
        met = condition.get("status") == "True"
        if met and condition.get("type") not in TROUBLE_CONDITIONS + (observed.get("phase"),):
            continue
        reason = condition.get("reason")
        reason = None if reason in (condition.get("type"), observed.get("phase")) else reason
        message = condition.get("message")
        message = None if message in reasons else message
        add(": ".join(part for part in (reason, message) if part))
    for scheduling in observed.get("pendingSchedulingMessages") or []:
        text = scheduling.get("userMessage") or scheduling.get("reason")
        if text and text not in reasons:
            add(("node pool %s: %s" % (scheduling["nodePool"], text)) if scheduling.get("nodePool") else text)
    return reasons


def brief_pod(pod):
    """What a failure shows of a pod: enough to find it (runai_pod_info reads it in full), not kilobytes of it."""
    return dict((key, pod.get(key)) for key in ("id", "name", "k8sPhase", "nodeName"))


def describe_pods(pods):
    if isinstance(pods, str):
        return pods
    if not pods:
        return "none"
    described = []
    for pod in pods:
        where = (" on %s" % pod["nodeName"]) if pod.get("nodeName") else ""
        described.append("%s %s%s" % (pod.get("name"), pod.get("k8sPhase") or pod.get("phase") or "?", where))
    return ", ".join(described)
