# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which running workloads hold GPUs they barely use, and may have them taken back (suspended or deleted).

They are the workloads the workload report flags ``low-utilization`` over the same window: this reads the API with
the report's gathering and decides with the report's figures, so the report and a reclaim never disagree about which
workloads are idle. Of those, the ones excluded by name, by project, by an annotation of their manifest, or (for a
suspend) by a kind that cannot be suspended are set apart with the reason. runai_idle_workload_info returns the rest;
the gpu_reclaim role suspends or deletes them.
"""

from __future__ import annotations

import fnmatch
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.runai.platform.plugins.module_utils.api.errors import RunaiInputError, RunaiNotFoundError
from ansible_collections.runai.platform.plugins.module_utils.module.options import check_at_least
from ansible_collections.runai.platform.plugins.module_utils.projects import check_project_visible
from ansible_collections.runai.platform.plugins.module_utils.values.words import counted
from ansible_collections.runai.platform.plugins.module_utils.workloads.diff import stored_manifest
from ansible_collections.runai.platform.plugins.module_utils.workloads.find import workload_v2_path
from ansible_collections.runai.platform.plugins.module_utils.workloads.read import batch_item
from ansible_collections.runai.platform.plugins.plugin_utils.report.figures import (
    DEFAULT_THRESHOLDS,
    LOW_UTILIZATION,
    report_data,
)
from ansible_collections.runai.platform.plugins.plugin_utils.report.gather import gather

RECLAIM_ACTIONS = ("suspend", "delete")
# Only a running workload holds GPUs that a suspend or a delete frees now; one already suspended is left alone, so
# a second reclaim finds nothing to do.
RECLAIMABLE_PHASES = ["Running"]
DEFAULT_EXCLUDE_ANNOTATION = "runai.platform/reclaim"
# The one value of the annotation that keeps a workload; any other value, or none, leaves it to the thresholds.
KEEP_VALUE = "false"
GPU_DIGITS = 3
# The report's thresholds that decide idleness; its long-pending one plays no part here.
THRESHOLD_OPTIONS = ("low_utilization_percent", "low_utilization_min_running_seconds")


def names(values: list) -> list:
    """The non-empty entries, trimmed, in order, once each: ``-e option=`` gives [''], which means none."""
    return list(dict.fromkeys(value.strip() for value in values if value and value.strip()))


def check_options(params: dict) -> None:
    check_at_least("parallelism", params["parallelism"], 1)
    check_at_least("low_utilization_min_running_seconds", params["low_utilization_min_running_seconds"], 0)
    percent = params["low_utilization_percent"]
    if not 0 < percent <= 100:
        raise RunaiInputError("low_utilization_percent", "must be more than 0 and at most 100, not %s." % percent)


def check_excluded_projects(client, projects: list) -> None:
    """A misspelt project name would protect nothing while looking as if it did: refuse it."""
    for project in projects:
        try:
            check_project_visible(client, project)
        except RunaiInputError:
            raise RunaiInputError(
                "exclude_projects", "no project named '%s' is visible to these credentials, so excluding it would "
                "protect nothing. Check the name." % project) from None


def plain_number(value: float) -> float | int:
    """A whole number as an int (fractions of a GPU exist, but most counts are whole)."""
    rounded = round(float(value), GPU_DIGITS)
    return int(rounded) if rounded.is_integer() else rounded


def gather_options(params: dict, projects: list) -> dict:
    """What the report's gathering needs: running workloads only, with their pods (when they really started) and
    metrics, whole, without telemetry."""
    return dict(projects=projects, phases=RECLAIMABLE_PHASES, name_prefix="", limit=None, workload_fields=[],
                start=params["start"], end=params["end"], samples=params["samples"],
                parallelism=params["parallelism"], pods=True, pod_limit=None, telemetry=False)


def thresholds(params: dict) -> dict:
    return dict(DEFAULT_THRESHOLDS, **{option: params[option] for option in THRESHOLD_OPTIONS})


def idle_workload(row: dict, listed: dict) -> dict:
    return {
        "name": row["name"],
        "project": row["project"],
        "project_id": listed.get("projectId"),
        "cluster_id": row["cluster_id"],
        "id": row["id"],
        "type": row["type"],
        "gpus": plain_number(row["gpus"]),
        "gpu_utilization_mean_percent": row["gpu_utilization_mean_percent"],
        "running_seconds": row["running_seconds"],
    }


def listed_exclusion(workload: dict, listed: dict, params: dict, excluded_projects: list) -> tuple | None:
    """(excluded_by, reason) from what the listing tells, or None."""
    if workload["project"] in excluded_projects:
        return "project", "project %s is in exclude_projects" % workload["project"]
    for pattern in names(params["exclude_names"]):
        if fnmatch.fnmatchcase(workload["name"], pattern):
            return "name", "its name matches '%s' of exclude_names" % pattern
    if params["reclaim"] == "suspend" and (listed.get("actionsSupport") or {}).get("suspend") is False:
        return "kind", "a %s cannot be suspended (reclaim: delete would free its GPUs)" % (workload["type"] or
                                                                                           "workload of this kind")
    return None


def annotation_exclusion(client, workload_id: str, key: str) -> tuple | None:
    """(excluded_by, reason) when the manifest the workload was submitted with (its v2 object) carries annotation
    ``key`` with the value that keeps it, or when the workload is gone since it was listed; else None."""
    try:
        stored = client.get(workload_v2_path(workload_id)) or {}
    except RunaiNotFoundError:
        return "gone", "it was deleted after it was listed"
    metadata = stored_manifest(stored.get("workload") or {}).get("metadata") or {}
    value = (metadata.get("annotations") or {}).get(key)
    if value is not None and str(value).strip().lower() == KEEP_VALUE:
        return "annotation", "its manifest has the annotation %s: \"%s\"" % (key, value)
    return None


def annotation_exclusions(client, workloads: list, key: str, parallelism: int) -> list:
    """annotation_exclusion of each of ``workloads``, in their order, ``parallelism`` at a time. The v1 listing has no
    annotations, so each candidate costs one v2 read, and only the candidates do."""
    if not workloads:
        return []
    with ThreadPoolExecutor(max_workers=max(1, min(parallelism, len(workloads)))) as pool:
        return list(pool.map(lambda workload: annotation_exclusion(client, workload["id"], key), workloads))


def total_gpus(workloads: list) -> float | int:
    return plain_number(sum(workload["gpus"] for workload in workloads))


def by_place(workload: dict) -> tuple:
    return str(workload["project"]), str(workload["name"])


def select(client, params: dict, warn) -> dict:
    """The idle workloads to reclaim, those set apart, the GPUs they hold and the window, from validated options."""
    projects = names(params["projects"])
    excluded_projects = names(params["exclude_projects"])
    for project in projects:
        check_project_visible(client, project)
    check_excluded_projects(client, excluded_projects)

    gathered = gather(client, gather_options(params, projects), warn)
    data = report_data(gathered, thresholds(params))
    listed = {workload.get("id"): workload for workload in gathered["workloads"]}
    idle = [(idle_workload(row, listed[row["id"]]), listed[row["id"]]) for row in data["report"]["workloads"]
            if LOW_UTILIZATION in row["flags"]]

    candidates, excluded = [], []
    for workload, listed_workload in idle:
        exclusion = listed_exclusion(workload, listed_workload, params, excluded_projects)
        if exclusion:
            excluded.append(dict(workload, excluded_by=exclusion[0], reason=exclusion[1]))
        else:
            candidates.append(workload)
    annotation = params["exclude_annotation"].strip()
    if annotation:
        decided = annotation_exclusions(client, candidates, annotation, params["parallelism"])
        excluded.extend(dict(workload, excluded_by=exclusion[0], reason=exclusion[1])
                        for workload, exclusion in zip(candidates, decided) if exclusion)
        candidates = [workload for workload, exclusion in zip(candidates, decided) if not exclusion]

    candidates.sort(key=by_place)
    excluded.sort(key=by_place)
    return {
        "window": data["window"],
        "thresholds": {option: params[option] for option in THRESHOLD_OPTIONS},
        "workloads": candidates,
        "gpus": total_gpus(candidates),
        "batch_items": [batch_item(listed[workload["id"]]) for workload in candidates],
        "excluded": excluded,
    }


def summary_line(selection: dict) -> str:
    """The selection in one line: how many idle workloads, the GPUs they hold, by which rule, and which they are."""
    used = selection["thresholds"]
    rule = "a mean GPU utilization below %s%% over at least %s s running between %s and %s" % (
        plain_number(used["low_utilization_percent"]), used["low_utilization_min_running_seconds"],
        selection["window"]["start"], selection["window"]["end"])
    excluded = "; %s excluded" % counted(len(selection["excluded"]), "idle workload") if selection["excluded"] else ""
    workloads = selection["workloads"]
    if not workloads:
        return "Found no running workload holding GPUs with %s%s." % (rule, excluded)
    return "Found %s holding %s GPUs, with %s: %s%s." % (
        counted(len(workloads), "idle workload"), selection["gpus"], rule,
        places(workloads), excluded)


def places(workloads: list) -> str:
    return ", ".join("%s/%s" % by_place(workload) for workload in workloads)


def outcome(found: dict, batch: dict, check_mode: bool, action: str) -> dict:
    """What a reclaim did, from what runai_idle_workload_info found and what runai_workload then did (either may
    be a skipped task's result): the workloads and GPUs reclaimed, or that would be in check mode, those set apart,
    those that could not be reclaimed, and the run's last line saying so."""
    results = batch.get("results") or []
    changed_ids = {item.get("id") for item in results if item.get("changed")}
    idle = found.get("workloads") or []
    reclaimed = [workload for workload in idle if workload.get("id") in changed_ids]
    excluded = list(found.get("excluded") or [])
    failures = [item for item in results if item.get("failed")]
    gpus = total_gpus(reclaimed)
    if not idle:
        line = "Nothing to reclaim." if excluded else "No idle workload holds GPUs; nothing to reclaim."
    else:
        line = "%s %s holding %s GPUs by %s: %s." % (
            "Would reclaim" if check_mode else "Reclaimed", counted(len(reclaimed), "idle workload"), gpus,
            "deleting" if action == "delete" else "suspending", places(reclaimed) or "none")
    if excluded:
        line += " Kept %s (excluded): %s." % (counted(len(excluded), "idle workload"), places(excluded))
    if failures:
        line += " Could not reclaim %s." % places(failures)
    return {
        "check_mode": check_mode,
        "action": action,
        "workloads": len(reclaimed),
        "gpus": gpus,
        "reclaimed": reclaimed,
        "excluded": excluded,
        "failures": failures,
        "line": line,
    }
