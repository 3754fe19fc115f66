#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: runai_workload_report
short_description: Write a report of Run:ai workloads as HTML, CSV and JSON
version_added: 1.0.0
description:
  - Selects workloads by project, name prefix and phase, reads the pods and the GPU utilization and memory metrics of
    each of them over a time window and the API's cluster-wide telemetry, computes the report's figures once, and
    writes C(report.html) (summary, charts and a table; one file that opens offline), C(report.csv) (one row per
    workload) and C(report.json) (everything gathered, and the figures under C(report)) into O(output_dir).
  - Figures per workload and per project - GPU-hours allocated and used, pending and running time inside the window,
    GPU utilization and memory, and flags for workloads that hold GPUs they barely use (C(low-utilization)) or sit
    pending long (C(long-pending)).
  - Only the part of a workload's life inside the window counts. A workload waits from C(createdAt) until its first
    container starts, and runs until C(completedAt), C(deletedAt), the last phase change of a C(Failed) or C(Stopped)
    workload, or the end of the window. GPU-hours used are GPU-hours allocated times the mean GPU utilization of the
    window's samples.
  - The files state no moment of their own, so with a window that has ended (fixed O(start) and O(end)) a second run
    writes nothing and reports no change until what the API says changes. A file is rewritten only when its bytes
    change.
  - It runs on the controller, where the files go, never as a module process. It is what the
    P(runai.platform.workload_report#role) role runs.
  - C(report.html) needs the Python package C(bokeh) on the controller; C(report.csv) and C(report.json) do not.
author:
  - runai.platform contributors (@runai-platform)
extends_documentation_fragment:
  - runai.platform.runai_auth
  - runai.platform.attributes
attributes:
  check_mode:
    description: Reads the API and computes the report, writes nothing, and reports whether a file would change.
    support: full
  diff_mode:
    description: The files are too large to show as a diff.
    support: none
  action:
    description: It is an action that runs on the controller; no module runs on the target.
    support: full
options:
  output_dir:
    description:
      - Directory the files are written to, created when missing. A relative path is relative to the directory
        C(ansible-playbook) runs in.
    type: path
    default: runai-report
  formats:
    description: Which files to write.
    type: list
    elements: str
    choices: [html, csv, json]
    default: [html, csv, json]
  file_mode:
    description: File mode of the written files, as octal text such as V("0644").
    type: raw
    default: "0644"
  title:
    description: Heading and title of C(report.html).
    type: str
    default: Run:ai workload report
  projects:
    description: Names of the projects to report on; empty means every project the credentials can see.
    type: list
    elements: str
    default: []
  name_prefix:
    description: Report only workloads whose name starts with this; empty means any name.
    type: str
    default: ""
  phases:
    description: Report only workloads in these phases; empty means all.
    type: list
    elements: str
    choices: [Creating, Initializing, Resuming, Pending, Deleting, Running, Updating, Stopped, Stopping, Degraded,
              Failed, Completed, Terminating, Unknown]
    default: []
  limit:
    description:
      - Read at most this many workloads per project (or in total when no project is given), newest first.
      - Workloads deleted before the report runs are not listed by the API's default view and are not reported.
    type: int
    default: 1000
  workload_fields:
    description:
      - The fields of each workload to read and to keep in C(report.json), names or dotted paths as the
        O(runai.platform.runai_workload_info#module:fields) option takes them.
      - The default is what the figures, the CSV columns and the page use. An empty list keeps whole workloads.
    type: list
    elements: str
    default: [id, name, type, projectName, departmentName, clusterId, submittedBy, createdAt, completedAt, deletedAt,
              phase, phaseMessage, phaseReason, phaseUpdatedAt, allocatedResources.gpu, workloadRequestedResources.gpu,
              podsRequestedResources.gpu, requestedPods.number, runningPods, totalPendingTimeSeconds,
              totalRunningTimeSeconds]
  start:
    description: Start of the report window, an ISO 8601 timestamp or relative to now (V(-24h), V(-30m), V(-7d)).
    type: str
    default: "-24h"
  end:
    description: End of the report window, an ISO 8601 timestamp, V(now), or relative to now.
    type: str
    default: now
  samples:
    description: Metric samples per workload over the window (the API allows 0 to 1000).
    type: int
    default: 60
  parallelism:
    description: How many workloads have their pods and metrics read at once.
    type: int
    default: 8
  pods:
    description:
      - Read the pods of each workload, which tell when its containers really started. Without them the start is
        derived from the workload's pending time.
    type: bool
    default: true
  pod_limit:
    description: Read at most this many pods of each workload.
    type: int
    default: 5000
  telemetry:
    description: Add the API's cluster-wide telemetry (GPUs allocated by project, workloads by phase) to the report.
    type: bool
    default: true
  low_utilization_percent:
    description: Flag C(low-utilization) a workload holding GPUs whose mean GPU utilization in the window is below this.
    type: float
    default: 20
  low_utilization_min_running_seconds:
    description: Flag low utilization only after a workload ran at least this many seconds inside the window.
    type: int
    default: 600
  long_pending_seconds:
    description: Flag C(long-pending) a workload that was pending at least this many seconds inside the window.
    type: int
    default: 1800
  chart_workloads:
    description: How many workloads the charts over time draw, those with the most GPU-hours allocated first.
    type: int
    default: 12
  csv_columns:
    description: Columns of C(report.csv), in order; the header row repeats them.
    type: list
    elements: str
    choices: [name, project, department, type, phase, gpus, gpus_allocated, pending_seconds, running_seconds,
              gpu_hours_allocated, gpu_hours_used, gpu_utilization_mean_percent, gpu_utilization_max_percent,
              gpu_memory_mean_bytes, gpu_memory_max_bytes, flags, created_at, ended_at, submitted_by, pods,
              running_pods, phase_message, id, cluster_id]
    default: [name, project, department, type, phase, gpus, gpus_allocated, pending_seconds, running_seconds,
              gpu_hours_allocated, gpu_hours_used, gpu_utilization_mean_percent, gpu_utilization_max_percent,
              gpu_memory_mean_bytes, gpu_memory_max_bytes, flags, created_at, ended_at, submitted_by, pods,
              running_pods, phase_message, id, cluster_id]
  gathered:
    description:
      - Data gathered earlier, such as a C(report.json) this module wrote, to write the files from without reading
        the API (for example with other thresholds). Its C(report) is computed again; the selection options, the
        window options and the connection options are then not used.
      - It holds C(workloads) and C(window) (C(start) and C(end), ISO 8601), and may hold C(pods), C(series),
        C(telemetry), C(selection) and C(metrics_partial).
      - Mutually exclusive with O(parts).
    type: dict
  parts:
    description:
      - The parts of a sliced report to merge into one, without reading the API. Each slice of a sliced job reports
        on its own projects into C(<output_dir>/parts/<slice>/); the merged report is the one a single run over all
        their projects would have written (workloads read by two slices count once; the cluster-wide telemetry of
        the first part is kept).
      - Each item is the path of a C(report.json), the path of a directory holding C(<part>/report.json) files (a
        relative path is relative to the directory C(ansible-playbook) runs in), or the data of a C(report.json).
      - The parts must cover the same window, so the slices need fixed O(start) and O(end).
      - Mutually exclusive with O(gathered).
    type: list
    elements: raw
notes:
  - One request lists the workloads of each project; then the pods and the metrics of O(parallelism) workloads are
    read at a time; telemetry takes two requests. The credentials are exchanged once for all of them.
seealso:
  - module: runai.platform.runai_workload_info
  - module: runai.platform.runai_metrics_info
"""

EXAMPLES = r"""
- name: Report on the last week of two projects into ./runai-report
  runai.platform.runai_workload_report:
    projects: [team-a, project-a]
    start: -7d
  register: report

- name: Say where it is
  ansible.builtin.debug:
    msg: "{{ report.msg }}"

- name: Write the CSV of a saved report again with a stricter threshold, without the API
  runai.platform.runai_workload_report:
    gathered: "{{ lookup('ansible.builtin.file', 'runai-report/report.json') | ansible.builtin.from_json }}"
    output_dir: runai-report-strict
    formats: [csv]
    low_utilization_percent: 40

- name: Report on each project as one part of a sliced report, over one fixed window
  runai.platform.runai_workload_report:
    projects: ["{{ item }}"]
    start: "2026-12-01T00:00:00Z"
    end: "2026-12-02T00:00:00Z"
    formats: [json]
    output_dir: runai-report-sliced/parts/{{ item }}
  loop: [team-a, project-a]

- name: Merge the parts into one report
  runai.platform.runai_workload_report:
    parts: [runai-report-sliced/parts]
    output_dir: runai-report-sliced
"""

RETURN = r"""
output_dir:
  description: The absolute path of the directory the files are in.
  returned: success
  type: str
  sample: /home/me/runai-report
files:
  description: The paths of the files the report consists of.
  returned: success
  type: list
  elements: str
  sample: [/home/me/runai-report/report.html, /home/me/runai-report/report.csv, /home/me/runai-report/report.json]
changed_files:
  description: The paths of the files whose content or mode changed (in check mode, would change).
  returned: success
  type: list
  elements: str
  sample: []
window:
  description: The report window, resolved to ISO 8601 UTC timestamps.
  returned: success
  type: dict
  sample: {start: "2026-01-30T12:00:00Z", end: "2026-01-31T12:00:00Z"}
summary:
  description:
    - Totals over the reported workloads - C(workloads), C(projects), C(phases) (workload count per phase),
      C(gpus_allocated), C(gpu_hours_allocated), C(gpu_hours_used), C(gpu_utilization_percent), C(pending_seconds),
      C(running_seconds), C(flagged) (workload count per flag) and C(excluded) (workloads outside the window).
  returned: success
  type: dict
msg:
  description: Where the report is, and its summary in one line.
  returned: always
  type: str
  sample: "Report in /home/me/runai-report (report.html, report.csv, report.json): 5 workloads in 2 projects: 3.1
    GPU-hours allocated, 1.6 used; 0 low-utilization, 1 long-pending."
api:
  description: How many HTTP requests the task sent to the Run:ai API, and how many of them were retries.
  returned: always
  type: dict
  contains:
    requests:
      description: HTTP requests sent.
      type: int
      sample: 412
    retries:
      description: Requests that repeated an earlier one after a 429, 502, 503, 504 or a broken connection.
      type: int
      sample: 0
"""
