# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: workload_report_data
short_description: Turn what the workload_report role gathered into the report's data and figures
version_added: 1.0.0
author: runai.platform contributors
description:
  - Takes the workloads, pods, metric series and telemetry that the info modules returned for a report window, and
    returns the report's data, the content of the C(report.json) that the P(runai.platform.workload_report#role)
    role writes. It holds what was gathered about the reported workloads, plus the figures a platform team asks for
    under C(report).
  - The figures are GPU-hours allocated and used, seconds spent pending and running, GPU utilization and GPU memory
    summaries, and flags for workloads that hold GPUs they barely use or that sit pending for long, per workload,
    per project and in total.
  - Only the part of a workload's life inside the window counts. A workload waits from C(createdAt) until it
    starts running, and runs until C(completedAt) (or C(deletedAt), or the time of its last phase change when it
    ended C(Failed), C(Completed) or C(Stopped)), or until the window ends when it is still alive.
  - It starts running at the earliest container C(startedAt) of its pods; without pods, at C(createdAt) plus
    C(totalPendingTimeSeconds) once it has run, or at C(phaseUpdatedAt) when it is C(Running) now.
  - The GPUs a workload holds are its C(allocatedResources.gpu); when that is empty (for example after it
    finished), the sum of its pods' allocations, else its requested GPUs.
  - GPU-hours used are the GPU-hours allocated times the mean of the workload's GPU_UTILIZATION samples; they are
    null when there are no samples.
  - Workloads whose life does not overlap the window are left out of the figures and counted as excluded.
  - The result depends on the window, not on the moment the API was read, so the same window gives the same data
    every time. The API's running totals C(totalPendingTimeSeconds) and C(totalRunningTimeSeconds) are given as
    they stood at the end of the window, and the telemetry, the cluster-wide state when it was read, without the
    C(timestamp) of that reading.
positional: _input
options:
  _input:
    description:
      - What was gathered, as a dictionary. C(workloads) (required) are the v1 C(Workload) objects that
        M(runai.platform.runai_workload_info) returns; a workload listed twice (same C(id)) counts once.
      - C(window) (required) holds the report window's ISO 8601 C(start) and C(end), for example the resolved
        C(start) and C(end) that M(runai.platform.runai_metrics_info) returns. Timestamps without an offset are UTC.
      - C(pods) are v1 C(Pod) objects as M(runai.platform.runai_pod_info) returns them; only the pods of the
        workloads (by C(workloadId)) are kept.
      - C(series) are metric series as M(runai.platform.runai_metrics_info) returns them (C(workload_id), C(pod_id),
        C(type), C(values)); workload-level series (C(pod_id) null) of types C(GPU_UTILIZATION) and
        C(GPU_MEMORY_USAGE_BYTES) are summarised, and the series of other workloads are left out.
      - C(telemetry) are telemetry objects as M(runai.platform.runai_workload_info) returns them.
      - C(selection) (what the report selected, shown in the page) and C(metrics_partial) are kept as they are.
      - Other keys, such as the C(report) of a C(report.json) written before, are left out, so a saved C(report.json)
        can be computed again, for example with other thresholds.
    type: dict
    required: true
  low_utilization_percent:
    description:
      - A workload holding GPUs whose mean GPU utilization is below this many percent is flagged C(low-utilization).
    type: float
    default: 20
  low_utilization_min_running_seconds:
    description:
      - Flag low utilization only for workloads that ran at least this long inside the window, so one that just
        started is not blamed for its warm-up.
    type: int
    default: 600
  long_pending_seconds:
    description:
      - A workload that spent at least this many seconds pending inside the window is flagged C(long-pending).
    type: int
    default: 1800
  as_json:
    description:
      - Return the data as compact JSON text, the content of C(report.json), instead of a dictionary.
      - For a report of hundreds of workloads this takes a fraction of the time that P(ansible.builtin.to_json#filter)
        takes over the dictionary.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Build the report data
  ansible.builtin.set_fact:
    report_data: >-
      {{ {'workloads': listed.workloads, 'pods': pods.pods, 'series': metrics.series,
          'window': {'start': metrics.start, 'end': metrics.end}}
         | runai.platform.workload_report_data(low_utilization_percent=15) }}

- name: Show the GPU-hours of each project
  ansible.builtin.debug:
    msg: "{{ item.project }}: {{ item.gpu_hours_allocated }} GPU-hours allocated, {{ item.gpu_hours_used }} used"
  loop: "{{ report_data.report.projects }}"

- name: Write it as report.json
  ansible.builtin.copy:
    content: "{{ gathered | runai.platform.workload_report_data(as_json=true) }}"
    dest: /tmp/report.json
    mode: "0644"

- name: Compute a saved report.json again with another threshold
  ansible.builtin.set_fact:
    report_data: >-
      {{ lookup('ansible.builtin.file', 'gpu-report/report.json') | ansible.builtin.from_json
         | runai.platform.workload_report_data(long_pending_seconds=600) }}
"""

RETURN = r"""
_value:
  description: The report's data, the content of C(report.json); as JSON text with O(as_json=true).
  type: dict
  contains:
    selection:
      description: The C(selection) given, or an empty dictionary.
      type: dict
    window:
      description: The window's C(start) and C(end) as given.
      type: dict
    workloads:
      description:
        - The workloads given, each once, in the order given, with C(totalPendingTimeSeconds) and
          C(totalRunningTimeSeconds) as they stood at the end of the window.
      type: list
      elements: dict
    pods:
      description: The pods of those workloads, in the order given.
      type: list
      elements: dict
    series:
      description: The metric series of those workloads, in the order given.
      type: list
      elements: dict
    metrics_partial:
      description: The C(metrics_partial) given, or V(false).
      type: bool
    telemetry:
      description: The telemetry objects given, without their C(timestamp).
      type: list
      elements: dict
    report:
      description: The figures.
      type: dict
      contains:
        window:
          description: The window as given, plus its length in C(seconds).
          type: dict
        thresholds:
          description: The thresholds the flags were computed with.
          type: dict
        workloads:
          description:
            - One row per workload inside the window, most GPU-hours allocated first. Keys - C(id), C(name),
              C(project), C(department), C(cluster_id), C(type), C(phase), C(phase_message), C(submitted_by),
              C(created_at), C(ended_at), C(gpus), C(gpus_allocated), C(pods), C(running_pods), C(pending_seconds),
              C(running_seconds), C(gpu_hours_allocated), C(gpu_hours_used), C(gpu_utilization_mean_percent),
              C(gpu_utilization_max_percent), C(gpu_memory_mean_bytes), C(gpu_memory_max_bytes), C(flags).
            - C(gpus) is the GPU count used for GPU-hours, C(gpus_allocated) what the workload holds now (0 once it
              ended).
            - C(flags) lists C(low-utilization) and/or C(long-pending).
          type: list
          elements: dict
        projects:
          description:
            - One row per project, sorted by name. Keys - C(project), C(workloads), C(running), C(pending),
              C(gpus_allocated), C(gpu_hours_allocated), C(gpu_hours_used), C(gpu_utilization_percent),
              C(pending_seconds), C(running_seconds), C(flagged).
            - C(gpu_utilization_percent) is GPU-hours used over GPU-hours allocated, counting only workloads with
              utilization samples.
          type: list
          elements: dict
        summary:
          description:
            - Totals over all reported workloads - C(workloads), C(projects), C(phases) (workload count per phase),
              C(gpus_allocated), C(gpu_hours_allocated), C(gpu_hours_used), C(gpu_utilization_percent),
              C(pending_seconds), C(running_seconds), C(flagged) (workload count per flag), C(excluded) (workloads
              outside the window).
          type: dict
"""

import json
from datetime import datetime, timezone

from ansible.errors import AnsibleFilterError
from ansible_collections.runai.platform.plugins.plugin_utils.report_values import as_number, parse_timestamp

LOW_UTILIZATION = "low-utilization"
LONG_PENDING = "long-pending"
UTILIZATION_METRIC = "GPU_UTILIZATION"
MEMORY_METRIC = "GPU_MEMORY_USAGE_BYTES"
# Phases a workload can only reach by running, so a pending total next to them marks when it started.
PHASES_AFTER_RUNNING = frozenset(("Running", "Degraded", "Completed", "Updating", "Stopping", "Terminating"))
ENDED_PHASES = frozenset(("Completed", "Failed", "Stopped"))
PENDING_PHASES = frozenset(("Creating", "Initializing", "Pending", "Resuming"))
ROUNDING = {"hours": 3, "percent": 1}
PENDING_TOTAL = "totalPendingTimeSeconds"
RUNNING_TOTAL = "totalRunningTimeSeconds"


def overlap_seconds(start, end, window_start, window_end):
    if start is None or end is None:
        return 0.0
    return max(0.0, (min(end, window_end) - max(start, window_start)).total_seconds())


def nested(mapping, *keys):
    for key in keys:
        if not isinstance(mapping, dict):
            return None
        mapping = mapping.get(key)
    return mapping


def held_gpus(workload, pods):
    allocated = as_number(nested(workload, "allocatedResources", "gpu"))
    if allocated:
        return allocated
    pods_allocated = sum(as_number(nested(pod, "allocatedResources", "gpu")) or 0.0 for pod in pods)
    if pods_allocated:
        return pods_allocated
    requested = as_number(nested(workload, "workloadRequestedResources", "gpu", "request"))
    if requested:
        return requested
    per_pod = as_number(nested(workload, "podsRequestedResources", "gpu", "request")) or 0.0
    return per_pod * max(nested(workload, "requestedPods", "number") or 1, 1)


def ended_at(workload):
    """When the workload stopped living, as (datetime, the API's own timestamp string), or (None, None)."""
    for field in ("completedAt", "deletedAt"):
        moment = parse_timestamp(workload.get(field), field)
        if moment is not None:
            return moment, workload.get(field)
    if workload.get("phase") in ENDED_PHASES:
        return parse_timestamp(workload.get("phaseUpdatedAt"), "phaseUpdatedAt"), workload.get("phaseUpdatedAt")
    return None, None


def running_since(workload, pods, created):
    starts = [
        parse_timestamp(container.get("startedAt"), "startedAt")
        for pod in pods
        for container in pod.get("containers") or []
        if container.get("startedAt")
    ]
    if starts:
        return min(starts)
    pending_total = workload.get(PENDING_TOTAL)
    has_run = workload.get("phase") in PHASES_AFTER_RUNNING or (workload.get(RUNNING_TOTAL) or 0) > 0
    if has_run and pending_total is not None and created is not None:
        return datetime.fromtimestamp(created.timestamp() + pending_total, tz=timezone.utc)
    if workload.get("phase") == "Running":
        return parse_timestamp(workload.get("phaseUpdatedAt"), "phaseUpdatedAt")
    return None


def summarise_values(series_list):
    values = [as_number(point.get("value")) for series in series_list for point in series.get("values") or []]
    values = [value for value in values if value is not None]
    if not values:
        return None, None
    return sum(values) / len(values), max(values)


def rounded(value, unit):
    return None if value is None else round(value, ROUNDING[unit])


def group_by(items, key):
    groups = {}
    for item in items:
        groups.setdefault(item.get(key), []).append(item)
    return groups


def workload_row(workload, pods, series, window_start, window_end, thresholds):
    created = parse_timestamp(workload.get("createdAt"), "createdAt")
    end, end_text = ended_at(workload)
    started = running_since(workload, pods, created)
    alive_until = end or window_end
    if created is not None and (created > window_end or alive_until < window_start):
        return None
    pending_until = alive_until if started is None else min(started, alive_until)
    pending_seconds = overlap_seconds(created, pending_until, window_start, window_end)
    running_seconds = overlap_seconds(started, alive_until, window_start, window_end)

    by_type = group_by([item for item in series if item.get("pod_id") is None], "type")
    utilization_mean, utilization_max = summarise_values(by_type.get(UTILIZATION_METRIC, []))
    memory_mean, memory_max = summarise_values(by_type.get(MEMORY_METRIC, []))

    gpus = held_gpus(workload, pods)
    gpu_hours_allocated = gpus * running_seconds / 3600.0
    gpu_hours_used = None if utilization_mean is None else gpu_hours_allocated * utilization_mean / 100.0

    flags = []
    if (
        gpus > 0
        and utilization_mean is not None
        and running_seconds >= thresholds["low_utilization_min_running_seconds"]
        and utilization_mean < thresholds["low_utilization_percent"]
    ):
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
        "gpus_allocated": 0.0 if end is not None else as_number(nested(workload, "allocatedResources", "gpu")) or 0.0,
        "pods": len(pods),
        "running_pods": workload.get("runningPods"),
        "pending_seconds": int(round(pending_seconds)),
        "running_seconds": int(round(running_seconds)),
        "gpu_hours_allocated": gpu_hours_allocated,
        "gpu_hours_used": gpu_hours_used,
        "gpu_utilization_mean_percent": utilization_mean,
        "gpu_utilization_max_percent": utilization_max,
        "gpu_memory_mean_bytes": memory_mean,
        "gpu_memory_max_bytes": memory_max,
        "flags": flags,
    }


def totals(rows):
    """The sums that projects and the summary share; utilization counts only workloads that have samples."""
    measured = [row for row in rows if row["gpu_hours_used"] is not None]
    measured_allocated = sum(row["gpu_hours_allocated"] for row in measured)
    used = sum(row["gpu_hours_used"] for row in measured)
    return {
        "workloads": len(rows),
        "gpus_allocated": sum(row["gpus_allocated"] for row in rows),
        "gpu_hours_allocated": rounded(sum(row["gpu_hours_allocated"] for row in rows), "hours"),
        "gpu_hours_used": rounded(used, "hours") if measured else None,
        "gpu_utilization_percent": (
            rounded(100.0 * used / measured_allocated, "percent") if measured_allocated else None
        ),
        "pending_seconds": sum(row["pending_seconds"] for row in rows),
        "running_seconds": sum(row["running_seconds"] for row in rows),
    }


def project_row(project, rows):
    row = {"project": project}
    row.update(totals(rows))
    row["running"] = sum(1 for item in rows if item["phase"] == "Running")
    row["pending"] = sum(1 for item in rows if item["phase"] in PENDING_PHASES)
    row["flagged"] = sum(1 for item in rows if item["flags"])
    return row


def round_row(row):
    for key in ("gpu_hours_allocated", "gpu_hours_used"):
        row[key] = rounded(row[key], "hours")
    for key in ("gpu_utilization_mean_percent", "gpu_utilization_max_percent"):
        row[key] = rounded(row[key], "percent")
    for key in ("gpu_memory_mean_bytes", "gpu_memory_max_bytes"):
        row[key] = None if row[key] is None else int(round(row[key]))
    return row


def plain(value):
    """A copy of plain dicts and lists. Ansible hands filters lazy containers that cost on every access, and the
    report files read the data again, so it is read from them once, here."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


def totals_at_window_end(workload, window_end):
    """The API counts a live workload's pending and running totals up to the moment it is read; as they stood at
    the window end, they are the same whenever the report is made."""
    created = parse_timestamp(workload.get("createdAt"), "createdAt")
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


def is_amount(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def unique_workloads(workloads):
    by_id = {}
    for workload in workloads:
        key = workload.get("id")
        by_id.setdefault(len(by_id) if key is None else key, workload)
    return list(by_id.values())


def figures(workloads, pods, series, window, window_start, window_end, thresholds):
    pods_by_workload = group_by(pods, "workloadId")
    series_by_workload = group_by(series, "workload_id")
    rows = []
    for workload in workloads:
        row = workload_row(
            workload,
            pods_by_workload.get(workload.get("id"), []),
            series_by_workload.get(workload.get("id"), []),
            window_start,
            window_end,
            thresholds,
        )
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
            "flagged": {
                flag: sum(1 for row in rows if flag in row["flags"]) for flag in (LOW_UTILIZATION, LONG_PENDING)
            },
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


def workload_report_data(
    gathered,
    low_utilization_percent=20,
    low_utilization_min_running_seconds=600,
    long_pending_seconds=1800,
    as_json=False,
):
    if not isinstance(gathered, dict) or not isinstance(gathered.get("workloads"), list):
        raise AnsibleFilterError(
            "workload_report_data expects a dictionary with the list of workloads under 'workloads', got %s"
            % (type(gathered.get("workloads") if isinstance(gathered, dict) else gathered).__name__,)
        )
    window = gathered.get("window")
    if not isinstance(window, dict):
        raise AnsibleFilterError(
            "workload_report_data needs the report window in its input: window: {start: ISO timestamp, end: ISO "
            "timestamp}"
        )
    window = {"start": window.get("start"), "end": window.get("end")}
    window_start = parse_timestamp(window["start"], "window.start")
    window_end = parse_timestamp(window["end"], "window.end")
    if window_start is None or window_end is None or window_end < window_start:
        raise AnsibleFilterError("window needs a start no later than its end, got %r" % (window,))
    thresholds = {
        "low_utilization_percent": float(low_utilization_percent),
        "low_utilization_min_running_seconds": int(low_utilization_min_running_seconds),
        "long_pending_seconds": int(long_pending_seconds),
    }

    workloads = [
        totals_at_window_end(workload, window_end) for workload in unique_workloads(plain(gathered["workloads"]))
    ]
    ids = {workload.get("id") for workload in workloads}
    pods = [pod for pod in plain(gathered.get("pods") or []) if pod.get("workloadId") in ids]
    series = [item for item in plain(gathered.get("series") or []) if item.get("workload_id") in ids]
    telemetry = [
        {key: value for key, value in item.items() if key != "timestamp"} for item in plain(gathered.get("telemetry") or [])
    ]
    data = {
        "selection": plain(gathered.get("selection") or {}),
        "window": window,
        "workloads": workloads,
        "pods": pods,
        "series": series,
        "metrics_partial": bool(gathered.get("metrics_partial")),
        "telemetry": telemetry,
        "report": figures(workloads, pods, series, window, window_start, window_end, thresholds),
    }
    return json.dumps(data, separators=(",", ":"), allow_nan=False) if as_json else data


class FilterModule(object):
    def filters(self):
        return {"workload_report_data": workload_report_data}
