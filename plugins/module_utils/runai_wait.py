# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waiting for a workload: which phases end a wait, the poll loop, and why a workload failed.

The observed phase is the v1 workload's ``phase``; the v2 object's ``syncInfo`` says whether the control plane applied
the last change. A failure explains itself with the phase, its message and reason, the sync status and the pods' states.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.runai.platform.plugins.module_utils.runai_errors import (
    RunaiError,
    RunaiNotFoundError,
    RunaiWaitError,
)
from ansible_collections.runai.platform.plugins.module_utils.runai_lookup import WORKLOADS_V1_PATH, workload_v2_path

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


def default_wait_for(kind):
    """Running for kinds that keep running; Running or Completed for the rest, so a quick job is not missed."""
    return ["Running"] if kind in LONG_RUNNING_KINDS else ["Running", "Completed"]


def workload_v1_path(workload_id):
    return "%s/%s" % (WORKLOADS_V1_PATH, workload_id)


def _rounded(seconds):
    return round(seconds, 1)


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

    def elapsed(self):
        return time.monotonic() - self.started

    def _pause(self, limit=None):
        remaining = self.timeout - self.elapsed()
        if limit is not None:
            remaining = min(remaining, limit)
        time.sleep(max(0.0, min(self.sleep_seconds, remaining)))

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
        pending_since = None
        while True:
            if observed is None:
                observed = self._read_status()
            phase = (observed or {}).get("phase")
            if phase in fail_on:
                raise self._failure(observed, "reached phase %s" % phase)
            if phase in wait_for:
                return observed, _rounded(self.elapsed())
            if phase in SETTLED_PHASES:
                raise self._failure(
                    observed, "reached phase %s and will not reach %s" % (phase, " or ".join(wait_for))
                )
            pending_left = None
            if phase == PENDING_PHASE and pending_timeout is not None:
                pending_since = self.elapsed() if pending_since is None else pending_since
                pending_left = pending_timeout - (self.elapsed() - pending_since)
                if pending_left <= 0:
                    raise self._failure(
                        observed, "stayed Pending for more than pending_timeout=%s s" % pending_timeout
                    )
            elif phase != PENDING_PHASE:
                pending_since = None
            if self._timed_out():
                raise self._timeout(observed, "to reach %s" % " or ".join(wait_for))
            self._pause(pending_left)
            observed = None

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
        """Seconds it took until the v2 API no longer knows the workload (404)."""
        while True:
            try:
                stored = self.client.get(workload_v2_path(self.workload_id)) or {}
            except RunaiNotFoundError:
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
        return RunaiWaitError(
            "Timed out after %s s waiting for workload %s %s%s%s. Raise 'wait_timeout' or check the cluster."
            % (self.timeout, self.label, goal, seen, (": %s" % message) if message else ""),
            details=dict(phase=phase, phase_message=message, duration=_rounded(self.elapsed())),
        )

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
        return RunaiWaitError(
            ". ".join(parts) + ".",
            details=dict(
                phase=observed.get("phase"),
                phase_message=observed.get("phaseMessage"),
                pods=pods if isinstance(pods, list) else [],
                duration=_rounded(self.elapsed()),
            ),
        )

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
