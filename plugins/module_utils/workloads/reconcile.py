# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bringing one workload to the state a task asks for.

A workload is found by name with one filtered v1 listing, read with the v2 GET, then created, updated with only what
changed, deleted, or left alone. ``changed`` always comes from comparing what the task asks for with what the server
stored.

What the control plane's level can do (api/level.py) decides how: check mode uses the server's dry run only on a level
known to honour it, a level without update deletes and re-creates only when the task allows it (``recreate``), and
metadata the level does not store is neither sent nor compared. v2 writes reach the v1 listing late, so a create that
meets a 409 reads the listing back for a while before it gives up.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading

from ansible_collections.runai.platform.plugins.module_utils.api.errors import (
    RunaiApiError,
    RunaiConflictError,
    RunaiError,
    RunaiInputError,
    RunaiNotFoundError,
    RunaiWaitError,
)
from ansible_collections.runai.platform.plugins.module_utils.api.level import BASIC_CREATE_METADATA, read_api_level
from ansible_collections.runai.platform.plugins.module_utils.projects import resolve_project
from ansible_collections.runai.platform.plugins.module_utils.workloads.desired import (
    create_body,
    unstored_metadata,
    update_body,
    without_metadata,
)
from ansible_collections.runai.platform.plugins.module_utils.workloads.diff import (
    diff_for_create,
    diff_for_delete,
    diff_for_update,
    format_path,
    is_answer_being_deleted,
    is_being_deleted,
    plan_update,
)
from ansible_collections.runai.platform.plugins.module_utils.workloads.find import (
    WORKLOADS_V2_PATH,
    find_workloads_by_name,
    workload_v2_path,
)
from ansible_collections.runai.platform.plugins.module_utils.workloads.request import workload_request
from ansible_collections.runai.platform.plugins.module_utils.workloads.suspend import (
    ensure_suspended,
    is_suspended,
    resume_and_converge,
)
from ansible_collections.runai.platform.plugins.module_utils.workloads.wait import PhaseGoal, Waiter, until_found


SOURCE_API_V2 = "WorkloadsV2"

# How long a create that met a 409 reads the v1 listing back for the workload holding the name: v2 writes reach the v1
# views only after a while, and a workload the listing does not show yet cannot be compared or waited for.
CONSISTENCY_GRACE_SECONDS = 60
# The values of check_mode_validation: the server judged the create in a dry run, or the collection judged alone.
SERVER_VALIDATION, LOCAL_VALIDATION = "server", "local"


class Reconciler(object):
    """Brings workloads to their wanted state through one client; safe to share between threads.

    With a ``batch_waiter`` (a BatchPhaseWaiter), waits for a phase that need no sync first are handed to it instead of
    polled here: the result then lacks its phase and duration until finish_wait() completes it from the outcome.
    """

    def __init__(self, client, check_mode=False, diff_mode=False, batch_waiter=None):
        self.client = client
        self.check_mode = check_mode
        self.diff_mode = diff_mode
        self.batch_waiter = batch_waiter
        self._projects = {}
        self._projects_lock = threading.Lock()

    # -- finding ------------------------------------------------------------------------------------------------------

    def find(self, request):
        """The v1 workload called request.name in its project, or None: one filtered listing."""
        found = find_workloads_by_name(
            self.client, request.name, request.project, request.project_id, request.cluster_id
        )
        return pick_workload(request, found)

    def read_stored(self, workload_id):
        """The v2 GET answer ({workload, syncInfo}), or None when the v2 API no longer knows the workload."""
        try:
            return self.client.get(workload_v2_path(workload_id))
        except RunaiNotFoundError:
            return None

    def project_ids(self, request):
        """(project id, cluster id) for a create; a project name costs one request per project and run."""
        if request.project_id:
            return request.project_id, request.cluster_id
        key = (request.project, request.cluster_id)
        with self._projects_lock:
            entry = self._projects.setdefault(key, [threading.Lock(), None])
        with entry[0]:
            if entry[1] is None:
                try:
                    entry[1] = resolve_project(self.client, request.project, request.cluster_id)
                except RunaiError as error:
                    entry[1] = error  # the other items of a batch in this project fail the same way, unasked
        if isinstance(entry[1], RunaiError):
            raise entry[1]
        return entry[1].id, request.cluster_id or entry[1].cluster_id

    # -- reconciling --------------------------------------------------------------------------------------------------

    def ensure(self, request, found):
        if found is not None:
            require_v2(request, found)
        if request.state == "absent":
            return self.ensure_absent(request, found)
        if request.state == "suspended":
            return ensure_suspended(self, request, found)
        return self.ensure_present(request, found)

    def ensure_present(self, request, found):
        stored = self._live_stored(found)
        if stored is not None:
            if is_suspended(found):
                return resume_and_converge(self, request, found, stored)
            return self.converge(request, found, stored)
        if found is not None and not self.check_mode:
            # the name stays taken until the old workload is gone
            self._waiter(request, found["id"]).until_gone()
        return self.create(request)

    def _live_stored(self, found):
        """The v2 answer for a workload the listing found, if it is live; None if it is gone or being deleted."""
        if found is None or is_being_deleted(found):
            return None
        stored = self.read_stored(found["id"])
        if stored is None or is_answer_being_deleted(stored):
            return None
        return stored

    def _waiter(self, request, workload_id):
        return Waiter(self.client, workload_id, request.label(workload_id), request.wait.timeout, request.wait.sleep)

    def level(self):
        """The control plane's ApiLevel, asked once per run."""
        return read_api_level(self.client)

    def desired_for_level(self, desired, level=None):
        """``desired`` without the metadata the control plane's level does not store: sent, it would be dropped and
        differ forever. The level is asked only when the task sets such metadata, unless it is given."""
        if level is None:
            if not unstored_metadata(desired, BASIC_CREATE_METADATA):
                return desired
            level = self.level()
        dropped = unstored_metadata(desired, level.create_metadata)
        if dropped:
            message = "%s does not store %s: not sent, not compared." % (level.describe(), ", ".join(dropped))
            self.client.once(("warned", message), lambda: self.client.warn(message))
        return without_metadata(desired, dropped)

    def converge(self, request, found, stored):
        workload = stored.get("workload") or {}
        workload_id = found["id"]
        desired = self.desired_for_level(request.desired)
        differences, immutable = plan_update(desired, workload)
        result = dict(changed=bool(differences), id=workload_id, phase=found.get("phase"), workload=workload)
        if not differences:
            result["msg"] = "Workload %s is already as requested." % request.label(workload_id)
            sync = (stored.get("syncInfo") or {}).get("status")
            return self._wait_present(request, result, observed=found, after_update=sync in ("Queued", "Applying"))
        changed_fields = ", ".join(sorted(set(format_path(path[:3]) for path in differences)))
        if immutable:
            return self.recreate(request, workload_id, workload, desired, "%s cannot change on an existing workload" % (
                ", ".join(format_path(path) for path in immutable)))
        level = self.level()
        if not level.can_update:
            return self.recreate(request, workload_id, workload, desired, "%s differs, and %s cannot update a workload "
                                 "(no PUT /api/v2/workloads/{id} before 2.24)" % (changed_fields, level.describe()))
        if self.diff_mode:
            result["diff"] = diff_for_update(desired, workload, request.project_label)
        if self.check_mode:
            result["msg"] = "Workload %s would be updated (%s)." % (request.label(workload_id), changed_fields)
            result["check_mode_validation"] = LOCAL_VALIDATION
            return result
        try:
            answer = self.client.put(workload_v2_path(workload_id), update_body(desired, differences))
        except RunaiApiError as error:
            # A route the level was said to have may still be missing: 405, or a 404 while the workload is there.
            if error.status == 405 or (error.status == 404 and self._live_stored(found) is not None):
                return self.recreate(request, workload_id, workload, desired, "%s differs, and the server refused "
                                     "the update (PUT answered %d) although %s should take one" % (
                                         changed_fields, error.status, level.describe()))
            raise
        result["workload"] = answer or workload
        result["msg"] = "Workload %s updated (%s)." % (request.label(workload_id), changed_fields)
        return self._wait_present(request, result, observed=None, after_update=True)

    def recreate(self, request, workload_id, workload, desired, reason):
        """Delete the workload and create it again, when the task allows it (``recreate``); else fail saying why."""
        label = request.label(workload_id)
        if not request.recreate:
            raise RunaiError(
                "Workload %s: %s. Delete it (state=absent) and create it again, or set 'recreate: true' to let the "
                "task do that." % (label, reason),
                details=dict(id=workload_id, workload=workload, changed=False),
            )
        result = dict(changed=True, id=workload_id, phase=None, workload=workload)
        if self.diff_mode:
            result["diff"] = diff_for_update(desired, workload, request.project_label)
        if self.check_mode:
            result["msg"] = "Workload %s would be deleted and created again (recreate: %s)." % (label, reason)
            result["check_mode_validation"] = LOCAL_VALIDATION
            return result
        try:
            self.client.delete(workload_v2_path(workload_id))
        except RunaiNotFoundError:
            pass  # gone already: the create below is all that is left to do
        self._waiter(request, workload_id).until_gone()
        created = self.create(request)
        created["msg"] = "Workload %s deleted and created again as %s (recreate: %s)." % (
            label, created.get("id"), reason)
        if "diff" in result:
            created["diff"] = result["diff"]
        return created

    def create(self, request, conflicts=0):
        project_id, cluster_id = self.project_ids(request)
        level = self.level()
        desired = self.desired_for_level(request.desired, level)
        body = create_body(desired, project_id, cluster_id, level.create_metadata)
        result = dict(changed=True, id=None, phase=None, workload=None)
        if self.diff_mode:
            result["diff"] = diff_for_create(desired, request.project_label)
        retried = []
        try:
            if self.check_mode:
                return self._check_create(request, body, level, result)
            created = self.client.post(WORKLOADS_V2_PATH, body, landed=lambda: self._landed(request, retried)) or {}
        except RunaiConflictError as conflict:
            return self._after_conflict(request, conflict, conflicts, result, bool(retried))
        workload_id = (created.get("metadata") or {}).get("id")
        result.update(id=workload_id, workload=created)
        result["msg"] = "Workload %s created." % request.label(workload_id)
        return self._wait_present(request, result, observed=None, after_update=False)

    def _check_create(self, request, body, level, result):
        """A create in check mode: the server's dry run only where the level is known to honour it. Elsewhere a
        ``dryRun`` the server does not know would be ignored and the create would be real, so nothing is sent."""
        if level.server_dry_run:
            result["workload"] = self.client.post_idempotent(WORKLOADS_V2_PATH, body, params={"dryRun": "true"})
            result["msg"] = "Workload %s would be created; the server accepted it in a dry run." % request.label()
            result["check_mode_validation"] = SERVER_VALIDATION
        else:
            result["msg"] = ("Workload %s would be created; checked by the collection only, as %s has no server-side "
                             "dry run." % (request.label(), level.describe()))
            result["check_mode_validation"] = LOCAL_VALIDATION
        return result

    def _landed(self, request, retried):
        """The stored workload if a create whose answer was lost did land, else None (then it is safe to send again:
        if it did land after all, the name is taken and the repeat meets a 409, which _after_conflict reads back)."""
        retried.append(True)
        stored = self._live_stored(self.find(request))
        return stored.get("workload") if stored is not None else None

    def _after_conflict(self, request, conflict, conflicts, result, retried):
        """The name is taken: by this task's own create whose answer was lost (``retried``), by a workload the v1
        listing does not show yet, or by someone else's. Converge on it instead of failing."""
        found = until_found(lambda: self.find(request), CONSISTENCY_GRACE_SECONDS, request.wait.sleep)
        if found is not None:
            require_v2(request, found)
            stored = self._live_stored(found)
            if stored is not None:
                outcome = self.converge(request, found, stored)
                if retried and not outcome["changed"]:
                    outcome.update(changed=True, msg="Workload %s created (its answer was lost on the way; found by "
                                   "name)." % request.label(found["id"]))
                return outcome
            if self.check_mode:
                result["msg"] = "Workload %s would be created once the workload of that name being deleted is gone." % (
                    request.label()
                )
                result["check_mode_validation"] = LOCAL_VALIDATION
                return result
            if conflicts == 0:
                self._waiter(request, found["id"]).until_gone()
                return self.create(request, conflicts + 1)
        raise RunaiConflictError(
            "Workload %s: the name is taken (409%s) by a workload this module cannot see, for example one still "
            "being deleted. Try again once it is gone." % (
                request.label(), (": %s" % conflict.server_message) if conflict.server_message else ""
            ),
            conflict.status,
            conflict.method,
            conflict.path,
            conflict.server_message,
        )

    def _wait_present(self, request, result, observed, after_update):
        if not request.wait.enabled or self.check_mode or not result.get("id"):
            return result
        waiter = self._waiter(request, result["id"])
        goal = PhaseGoal(request.wait.wait_for, request.wait.fail_on, request.wait.pending_timeout)
        if self.batch_waiter is not None and not after_update:
            created_at = ((result.get("workload") or {}).get("metadata") or {}).get("createdAt")
            self.batch_waiter.add(request, waiter, goal, request.group, request.name, created_at, observed)
            return result
        try:
            status, duration = waiter.until_phase(
                goal.wait_for, goal.fail_on, goal.pending_timeout, observed, after_update
            )
        except RunaiWaitError as error:
            raise wait_failed(error, result)
        return wait_reached(result, status, duration)

    def ensure_absent(self, request, found):
        if found is None:
            return dict(changed=False, id=None, phase=None, workload=None,
                        msg="Workload %s is already absent." % request.label())
        workload_id = found["id"]
        being_deleted = dict(changed=False, id=workload_id, phase=None, workload=None,
                             msg="Workload %s is already being deleted." % request.label(workload_id))
        if is_being_deleted(found):
            return self._wait_gone(request, being_deleted)
        # The v1 listing may not show a deletion yet; the v2 answer does (a deleted workload may stay readable).
        stored = self.read_stored(workload_id)
        if stored is None:
            return dict(changed=False, id=workload_id, phase=None, workload=None,
                        msg="Workload %s is already absent." % request.label(workload_id))
        if is_answer_being_deleted(stored):
            return self._wait_gone(request, being_deleted)
        workload = stored.get("workload")
        result = dict(changed=True, id=workload_id, phase=None, workload=workload)
        if self.diff_mode:
            result["diff"] = diff_for_delete(request.name, workload, request.project_label)
        if self.check_mode:
            result["msg"] = "Workload %s would be deleted." % request.label(workload_id)
            result["check_mode_validation"] = LOCAL_VALIDATION
            return result
        try:
            answer = self.client.delete(workload_v2_path(workload_id))
        except RunaiNotFoundError:
            result.update(changed=False, msg="Workload %s is already absent." % request.label(workload_id))
            result.pop("diff", None)
            return result
        result["workload"] = answer or workload
        result["msg"] = "Workload %s deleted." % request.label(workload_id)
        return self._wait_gone(request, result)

    def _wait_gone(self, request, result):
        if not request.wait.enabled or self.check_mode:
            return result
        try:
            result["duration"] = self._waiter(request, result["id"]).until_gone()
        except RunaiWaitError as error:
            error.details.setdefault("changed", result["changed"])
            error.details.setdefault("id", result["id"])
            raise
        result["msg"] = "%s It was gone after %s s." % (result["msg"], result["duration"])
        return result


def wait_reached(result, status, duration):
    """The result of a task whose wait ended in phase ``status`` after ``duration`` seconds."""
    result.update(phase=status.get("phase"), duration=duration)
    result["msg"] = "%s It reached phase %s in %s s." % (result["msg"], status.get("phase"), duration)
    return result


def wait_failed(error, result):
    """The RunaiWaitError, carrying what the task did before the wait failed. Not the stored workload: the message,
    phase and pods say why, and the whole object (twice its manifest) would bury them in the failure output."""
    for key in ("changed", "id"):
        error.details.setdefault(key, result.get(key))
    if "diff" in result:
        error.details.setdefault("diff", result["diff"])
    return error


def pick_workload(request, found):
    """The one workload a listing found for the request: a live one before one being deleted."""
    live = [workload for workload in found if not is_being_deleted(workload)]
    candidates = live or found
    if len(candidates) > 1:
        clusters = ", ".join(sorted(str(workload.get("clusterId")) for workload in candidates))
        raise RunaiInputError(
            "cluster_id",
            "workload %s exists in several clusters (%s); set 'cluster_id' to choose one." % (request.label(), clusters),
        )
    return candidates[0] if candidates else None


def require_v2(request, found):
    if found.get("sourceApi") != SOURCE_API_V2:
        raise RunaiError(
            "Workload %s exists but was not submitted through the Workloads V2 API (sourceApi: %s), so this module "
            "cannot manage it. Use another name, or manage it where it was created (Run:ai UI or CLI)."
            % (request.label(found.get("id")), found.get("sourceApi") or "none")
        )


def reconcile_one(client, params, check_mode=False, diff_mode=False):
    """The one workload the task options describe, brought to its wanted state."""
    reconciler = Reconciler(client, check_mode, diff_mode)
    request = workload_request(params)
    return reconciler.ensure(request, reconciler.find(request))
