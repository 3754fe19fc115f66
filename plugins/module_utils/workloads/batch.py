# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A batch of workloads (the ``workloads`` option): one listing per project, the items reconciled in a thread pool,
their phases waited for together with one listing per project per poll, and the summary of the results."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runai.platform.plugins.module_utils.api.errors import (
    RunaiApiError,
    RunaiError,
    RunaiInputError,
    RunaiWaitError,
)
from ansible_collections.runai.platform.plugins.module_utils.module.options import check_at_least
from ansible_collections.runai.platform.plugins.module_utils.values.words import counted
from ansible_collections.runai.platform.plugins.module_utils.workloads.find import list_project_workloads
from ansible_collections.runai.platform.plugins.module_utils.workloads.reconcile import (
    Reconciler,
    wait_failed,
    wait_reached,
)
from ansible_collections.runai.platform.plugins.module_utils.workloads.request import merge_item, workload_request
from ansible_collections.runai.platform.plugins.module_utils.workloads.suspend import BatchSuspender
from ansible_collections.runai.platform.plugins.module_utils.workloads.wait import BatchPhaseWaiter


def reconcile_batch(client, params, check_mode=False, diff_mode=False):
    """Every item of ``workloads``: one listing per project, ``parallelism`` items at a time, results in input order.

    Items that wait for a phase are then polled together, one listing per project per cycle (BatchPhaseWaiter). A
    failed item does not stop the others; the task fails at the end, listing each failed item and why.
    """
    items = only_projects(params, params["workloads"], params.get("projects"))
    check_at_least("parallelism", params.get("parallelism") or 0, 1)
    batch_waiter = BatchPhaseWaiter(client)
    reconciler = Reconciler(client, check_mode, diff_mode, batch_waiter)
    reconciler.suspender = BatchSuspender(client)
    # Only a batch needs a thread pool; a single workload does not pay for the import.
    from concurrent.futures import ThreadPoolExecutor

    requests, results = prepare_batch(params, items)
    pending = [index for index, request in enumerate(requests) if request is not None]
    groups = set(requests[index].group for index in pending)
    with ThreadPoolExecutor(max_workers=params["parallelism"]) as pool:
        listings = dict(
            (group, pool.submit(list_project_workloads, reconciler.client, *group)) for group in groups
        )
        listed = dict((group, _outcome(future)) for group, future in listings.items())
        futures = {}
        for index in pending:
            request = requests[index]
            existing, error = listed[request.group]
            if error is not None:
                results[index] = failed_item(request.name, request.project_label, error)
                continue
            futures[index] = pool.submit(_run_item, reconciler, request, existing.get(request.name))
        for index, future in futures.items():
            results[index] = future.result()
    reconciler.suspender.run(reconciler, batch_waiter)
    outcomes = batch_waiter.run()
    for index in futures:
        if requests[index] in outcomes:
            results[index] = finish_wait(requests[index], results[index], outcomes[requests[index]])
    states = set(request.state for request in requests if request is not None)
    return batch_result(results, diff_mode, summary_verb(states, check_mode))


def only_projects(params, items, projects):
    """The items of ``items`` whose project name (the item's, else the task's) is in ``projects``; all without it."""
    if not projects:
        return items
    wanted = set(projects)
    return [item for item in items if merge_item(params, item or {}).get("project") in wanted]


def prepare_batch(params, items):
    requests, results, seen = [None] * len(items), [None] * len(items), {}
    for index, item in enumerate(items):
        merged = merge_item(params, item or {})
        label = merged.get("project") or merged.get("project_id")
        try:
            request = workload_request(merged)
        except RunaiInputError as error:
            results[index] = failed_item(merged.get("name"), label, error, "workloads[%d]: " % index)
            continue
        key = (request.name,) + request.group
        if key in seen:
            # which of the two the task means is anyone's guess, so the whole batch is refused before any request
            raise RunaiInputError(
                "workloads", "items %d and %d are both workload %s; list each workload once."
                % (seen[key], index, request.label())
            )
        seen[key] = index
        requests[index] = request
    return requests, results


def finish_wait(request, result, outcome):
    """An item's result once the batch wait for its phase ended with ``outcome`` (see BatchPhaseWaiter.run)."""
    if isinstance(outcome, RunaiWaitError):
        return failed_item(request.name, request.project_label, wait_failed(outcome, result))
    if isinstance(outcome, RunaiError):
        return failed_item(request.name, request.project_label, outcome)
    status, duration = outcome
    return wait_reached(result, status, duration)


def _outcome(future):
    try:
        return future.result(), None
    except RunaiError as error:
        return None, error


def _run_item(reconciler, request, existing):
    try:
        result = reconciler.ensure(request, existing)
    except RunaiError as error:
        return failed_item(request.name, request.project_label, error)
    result.update(name=request.name, project=request.project_label, failed=False)
    return result


def failed_item(name, project, error, prefix=""):
    item = dict(changed=False, id=None, phase=None, workload=None)
    item.update(error.details)
    if isinstance(error, RunaiApiError):
        item.update(status=error.status)
    item.update(name=name, project=project, failed=True, msg=prefix + str(error))
    return item


def batch_result(results, diff_mode, verb):
    summary = batch_summary(results, verb)
    result = dict(changed=summary["changed"] > 0, results=results, summary=summary)
    diffs = [item.pop("diff") for item in results if "diff" in item]
    if diff_mode:
        result["diff"] = diffs
    failed = [item for item in results if item.get("failed")]
    if failed:
        raise RunaiError("%d of %d workloads failed: %s" % (
            len(failed), summary["total"], "; ".join(failure_reason(item) for item in failed)), details=result)
    result["msg"] = "%d workloads reconciled: %d changed, %d unchanged." % (
        summary["total"], summary["changed"], summary["total"] - summary["changed"])
    return result


def failure_reason(item):
    """An item's message, named by its workload when the message does not name it (an API error's text)."""
    message = item["msg"].rstrip(".")
    if "'%s'" % item["name"] in message:
        return message
    return "%s (project %s): %s" % (item["name"], item["project"], message)


# What a changed item went through, by the state its items asked for.
CHANGE_VERBS = {"present": "created or updated", "absent": "deleted", "suspended": "suspended"}


def summary_verb(states, check_mode):
    """How the summary names the changed items: by their state when all items share one, in check mode as a
    possibility."""
    verb = CHANGE_VERBS[next(iter(states))] if len(states) == 1 else "changed"
    return "would be %s (check mode)" % verb if check_mode else verb


def batch_summary(results, verb):
    """Counts of a batch (items, changed, per phase last seen), every failed item with its phase, and those counts in
    ``lines`` to print: what a report of the batch needs, without a pass over all results in the playbook. The reason
    of a failure is its item's ``msg``, kept once, in ``results``."""
    phases = {}
    for item in results:
        phase = item.get("phase") or "no phase"
        phases[phase] = phases.get(phase, 0) + 1
    failures = [dict(name=item["name"], project=item["project"], id=item.get("id"), phase=item.get("phase"))
                for item in results if item.get("failed")]
    changed = sum(1 for item in results if item.get("changed"))
    # An item that changed and then failed (a wait that ended in Failed) counts as failed in the lines.
    changed_only = sum(1 for item in results if item.get("changed") and not item.get("failed"))
    lines = ["%s: %d %s, %d unchanged, %d failed." % (
        counted(len(results), "workload"), changed_only, verb, len(results) - changed_only - len(failures),
        len(failures))]
    # Deleted workloads have no phase: a line of phases only when an item was seen in one.
    if set(phases) - {"no phase"}:
        lines.append("Phases: %s." % ", ".join(
            ("%d without a phase" % count) if phase == "no phase" else "%d %s" % (count, phase)
            for phase, count in sorted(phases.items())))
    return dict(total=len(results), changed=changed, phases=phases, failures=failures, lines=lines)
