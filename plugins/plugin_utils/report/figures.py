# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The workload report's data and figures, computed once from what was gathered: per workload, per project and in
total. Only the part of a workload's life inside the window counts, and nothing depends on when the API was read, so
the same window gives the same data every time."""

from __future__ import annotations

from datetime import datetime, timedelta

from ansible_collections.runai.platform.plugins.module_utils.api.errors import RunaiInputError
from ansible_collections.runai.platform.plugins.module_utils.metrics.low_utilization import (
    DEFAULT_MIN_RUNNING_SECONDS,
    DEFAULT_PERCENT,
    is_low_utilization,
    workload_metric_summary,
)
from ansible_collections.runai.platform.plugins.module_utils.metrics.series import metric_number
from ansible_collections.runai.platform.plugins.module_utils.values.time import parse_time

LOW_UTILIZATION = "low-utilization"
LONG_PENDING = "long-pending"
FLAGS = (LOW_UTILIZATION, LONG_PENDING)
MEMORY_METRIC = "GPU_MEMORY_USAGE_BYTES"
DEFAULT_LONG_PENDING_SECONDS = 1800
DEFAULT_THRESHOLDS = {
    "low_utilization_percent": DEFAULT_PERCENT,
    "low_utilization_min_running_seconds": DEFAULT_MIN_RUNNING_SECONDS,
    "long_pending_seconds": DEFAULT_LONG_PENDING_SECONDS,
}
# Phases a workload can only reach by running, so a pending total next to them marks when it started.
PHASES_AFTER_RUNNING = frozenset(("Running", "Degraded", "Completed", "Updating", "Stopping", "Terminating"))
ENDED_PHASES = frozenset(("Completed", "Failed", "Stopped"))
PENDING_PHASES = frozenset(("Creating", "Initializing", "Pending", "Resuming"))
HOURS_DIGITS = 3
PERCENT_DIGITS = 1
PENDING_TOTAL = "totalPendingTimeSeconds"
RUNNING_TOTAL = "totalRunningTimeSeconds"


def timestamp(field: str, value) -> datetime | None:
    """An aware UTC datetime from the API's ISO 8601 text (no offset means UTC); None when empty."""
    if value in (None, ""):
        return None
    return parse_time(field, value, None)


def overlap_seconds(start, end, window_start, window_end) -> float:
    if start is None or end is None:
        return 0.0
    return max(0.0, (min(end, window_end) - max(start, window_start)).total_seconds())


def nested(mapping, *keys):
    for key in keys:
        if not isinstance(mapping, dict):
            return None
        mapping = mapping.get(key)
    return mapping


def held_gpus(workload: dict, pods: list) -> float:
    """What it holds; once it ended, what its pods held; else what it requested."""
    allocated = metric_number(nested(workload, "allocatedResources", "gpu"))
    if allocated:
        return allocated
    pods_allocated = sum(metric_number(nested(pod, "allocatedResources", "gpu")) or 0.0 for pod in pods)
    if pods_allocated:
        return pods_allocated
    requested = metric_number(nested(workload, "workloadRequestedResources", "gpu", "request"))
    if requested:
        return requested
    per_pod = metric_number(nested(workload, "podsRequestedResources", "gpu", "request")) or 0.0
    return per_pod * max(nested(workload, "requestedPods", "number") or 1, 1)


def ended_at(workload: dict):
    """When the workload stopped living, as (datetime, the API's own timestamp text), or (None, None)."""
    for field in ("completedAt", "deletedAt"):
        moment = timestamp(field, workload.get(field))
        if moment is not None:
            return moment, workload.get(field)
    if workload.get("phase") in ENDED_PHASES:
        return timestamp("phaseUpdatedAt", workload.get("phaseUpdatedAt")), workload.get("phaseUpdatedAt")
    return None, None


def running_since(workload: dict, pods: list, created: datetime | None) -> datetime | None:
    starts = [
        timestamp("startedAt", container["startedAt"])
        for pod in pods
        for container in pod.get("containers") or []
        if container.get("startedAt")
    ]
    if starts:
        return min(starts)
    pending_total = workload.get(PENDING_TOTAL)
    has_run = workload.get("phase") in PHASES_AFTER_RUNNING or (workload.get(RUNNING_TOTAL) or 0) > 0
    if has_run and pending_total is not None and created is not None:
        return created + timedelta(seconds=pending_total)
    if workload.get("phase") == "Running":
        return timestamp("phaseUpdatedAt", workload.get("phaseUpdatedAt"))
    return None


def rounded(value, digits):
    return None if value is None else round(value, digits)


def group_by(items, key) -> dict:
    groups: dict = {}
    for item in items:
        groups.setdefault(item.get(key), []).append(item)
    return groups


def workload_row(workload, pods, series, window_start, window_end, thresholds) -> dict | None:
    """The figures of one workload, unrounded; None when its life does not overlap the window."""
    created = timestamp("createdAt", workload.get("createdAt"))
    end, end_text = ended_at(workload)
    started = running_since(workload, pods, created)
    alive_until = end or window_end
    if created is not None and (created > window_end or alive_until < window_start):
        return None
    pending_until = alive_until if started is None else min(started, alive_until)
    pending_seconds = overlap_seconds(created, pending_until, window_start, window_end)
    running_seconds = overlap_seconds(started, alive_until, window_start, window_end)

    utilization = workload_metric_summary(series)
    memory = workload_metric_summary(series, MEMORY_METRIC)
    gpus = held_gpus(workload, pods)
    gpu_hours_allocated = gpus * running_seconds / 3600.0
    gpu_hours_used = None if utilization["mean"] is None else gpu_hours_allocated * utilization["mean"] / 100.0

    flags = []
    if is_low_utilization(gpus, utilization["mean"], running_seconds, thresholds["low_utilization_percent"],
                          thresholds["low_utilization_min_running_seconds"]):
        flags.append(LOW_UTILIZATION)
    if pending_seconds >= thresholds["long_pending_seconds"]:
        flags.append(LONG_PENDING)

    return {
        "id": workload.get("id"),
        "name": workload.get("name"),
        "project": workload.get("projectName"),
        "department": workload.get("departmentName"),
        "cluster_id": workload.get("clusterId"),
        "type": workload.get("type"),
        "phase": workload.get("phase"),
        "phase_message": workload.get("phaseMessage") or workload.get("phaseReason"),
        "submitted_by": workload.get("submittedBy"),
        "created_at": workload.get("createdAt"),
        "ended_at": end_text,
        "gpus": gpus,
        "gpus_allocated": (
            0.0 if end is not None else metric_number(nested(workload, "allocatedResources", "gpu")) or 0.0
        ),
        "pods": len(pods),
        "running_pods": workload.get("runningPods"),
        "pending_seconds": int(round(pending_seconds)),
        "running_seconds": int(round(running_seconds)),
        "gpu_hours_allocated": gpu_hours_allocated,
        "gpu_hours_used": gpu_hours_used,
        "gpu_utilization_mean_percent": utilization["mean"],
        "gpu_utilization_max_percent": utilization["max"],
        "gpu_memory_mean_bytes": memory["mean"],
        "gpu_memory_max_bytes": memory["max"],
        "flags": flags,
    }


def totals(rows) -> dict:
    """The sums that projects and the summary share; utilisation counts only workloads that have samples."""
    measured = [row for row in rows if row["gpu_hours_used"] is not None]
    measured_allocated = sum(row["gpu_hours_allocated"] for row in measured)
    used = sum(row["gpu_hours_used"] for row in measured)
    return {
        "workloads": len(rows),
        "gpus_allocated": sum(row["gpus_allocated"] for row in rows),
        "gpu_hours_allocated": rounded(sum(row["gpu_hours_allocated"] for row in rows), HOURS_DIGITS),
        "gpu_hours_used": rounded(used, HOURS_DIGITS) if measured else None,
        "gpu_utilization_percent": (
            rounded(100.0 * used / measured_allocated, PERCENT_DIGITS) if measured_allocated else None
        ),
        "pending_seconds": sum(row["pending_seconds"] for row in rows),
        "running_seconds": sum(row["running_seconds"] for row in rows),
    }


def project_row(project, rows) -> dict:
    row = {"project": project}
    row.update(totals(rows))
    row["running"] = sum(1 for item in rows if item["phase"] == "Running")
    row["pending"] = sum(1 for item in rows if item["phase"] in PENDING_PHASES)
    row["flagged"] = sum(1 for item in rows if item["flags"])
    return row


def round_row(row: dict) -> dict:
    for key in ("gpu_hours_allocated", "gpu_hours_used"):
        row[key] = rounded(row[key], HOURS_DIGITS)
    for key in ("gpu_utilization_mean_percent", "gpu_utilization_max_percent"):
        row[key] = rounded(row[key], PERCENT_DIGITS)
    for key in ("gpu_memory_mean_bytes", "gpu_memory_max_bytes"):
        row[key] = None if row[key] is None else int(round(row[key]))
    return row


def totals_at_window_end(workload: dict, window_end: datetime) -> dict:
    """The API counts a live workload's pending and running totals up to the moment it is read; as they stood at the
    window end, they are the same whenever the report is made."""
    created = timestamp("createdAt", workload.get("createdAt"))
    if created is None:
        return workload
    alive = max(0, int((window_end - created).total_seconds()))
    pending = workload.get(PENDING_TOTAL)
    if is_amount(pending):
        workload[PENDING_TOTAL] = min(pending, alive)
        alive -= workload[PENDING_TOTAL]
    running = workload.get(RUNNING_TOTAL)
    if is_amount(running):
        workload[RUNNING_TOTAL] = min(running, max(0, alive))
    return workload


def is_amount(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def unique_workloads(workloads) -> list:
    by_id: dict = {}
    for workload in workloads:
        key = workload.get("id")
        by_id.setdefault(len(by_id) if key is None else key, workload)
    return list(by_id.values())


def figures(workloads, pods, series, window, window_start, window_end, thresholds) -> dict:
    pods_by_workload = group_by(pods, "workloadId")
    series_by_workload = group_by(series, "workload_id")
    rows = []
    for workload in workloads:
        row = workload_row(workload, pods_by_workload.get(workload.get("id"), []),
                           series_by_workload.get(workload.get("id"), []), window_start, window_end, thresholds)
        if row is not None:
            rows.append(row)
    # Unrounded figures feed the totals, so project and summary sums do not accumulate rounding errors.
    by_project = group_by(rows, "project")
    projects = [project_row(name, by_project[name]) for name in sorted(by_project, key=str)]
    summary = totals(rows)
    phases = group_by(rows, "phase")
    summary.update(
        {
            "projects": len(projects),
            "phases": dict(
                sorted(((phase, len(items)) for phase, items in phases.items()), key=lambda kv: (-kv[1], str(kv[0])))
            ),
            "flagged": {flag: sum(1 for row in rows if flag in row["flags"]) for flag in FLAGS},
            "excluded": len(workloads) - len(rows),
        }
    )
    rows.sort(key=lambda row: (-row["gpu_hours_allocated"], str(row["project"]), str(row["name"])))
    return {
        "window": {
            "start": window["start"],
            "end": window["end"],
            "seconds": int((window_end - window_start).total_seconds()),
        },
        "thresholds": thresholds,
        "workloads": [round_row(row) for row in rows],
        "projects": projects,
        "summary": summary,
    }


def report_data(gathered: dict, thresholds: dict) -> dict:
    """The content of report.json: what was gathered about the reported workloads, plus the figures under ``report``.

    ``gathered`` holds ``workloads``, ``window`` (ISO 8601 ``start`` and ``end``), and optionally ``pods``,
    ``series``, ``telemetry``, ``selection`` and ``metrics_partial``; other keys (the ``report`` of a saved
    report.json) are left out, so a saved report.json can be computed again.
    """
    if not isinstance(gathered.get("workloads"), list):
        raise RunaiInputError("gathered", "needs the list of workloads under 'workloads'.")
    window = gathered.get("window")
    if not isinstance(window, dict):
        raise RunaiInputError("gathered", "needs the report window: window: {start: ISO timestamp, end: ISO timestamp}.")
    window = {"start": window.get("start"), "end": window.get("end")}
    window_start = timestamp("window.start", window["start"])
    window_end = timestamp("window.end", window["end"])
    if window_start is None or window_end is None or window_end < window_start:
        raise RunaiInputError("gathered", "the window needs a start no later than its end, got %r." % (window,))
    thresholds = {
        "low_utilization_percent": float(thresholds["low_utilization_percent"]),
        "low_utilization_min_running_seconds": int(thresholds["low_utilization_min_running_seconds"]),
        "long_pending_seconds": int(thresholds["long_pending_seconds"]),
    }
    workloads = [totals_at_window_end(dict(workload), window_end) for workload in unique_workloads(gathered["workloads"])]
    ids = {workload.get("id") for workload in workloads}
    pods = [pod for pod in gathered.get("pods") or [] if pod.get("workloadId") in ids]
    series = [item for item in gathered.get("series") or [] if item.get("workload_id") in ids]
    telemetry = [
        {key: value for key, value in item.items() if key != "timestamp"} for item in gathered.get("telemetry") or []
    ]
    return {
        "selection": gathered.get("selection") or {},
        "window": window,
        "workloads": workloads,
        "pods": pods,
        "series": series,
        "metrics_partial": bool(gathered.get("metrics_partial")),
        "telemetry": telemetry,
        "report": figures(workloads, pods, series, window, window_start, window_end, thresholds),
    }
