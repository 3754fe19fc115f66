#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: runai_idle_workload_info
short_description: Find the Run:ai workloads that hold GPUs they barely use
version_added: 1.0.0
description:
  - Lists the running workloads, reads the pods and the GPU utilization of each of them over a time window, and
    returns those that hold GPUs with a mean GPU utilization below O(low_utilization_percent) after running at least
    O(low_utilization_min_running_seconds) inside the window; the workloads to reclaim, with the items to give
    M(runai.platform.runai_workload) to suspend or delete them in one task.
  - It decides with the code and the defaults of the C(low-utilization) flag of
    M(runai.platform.runai_workload_report), so that over the same window it finds exactly the running workloads that
    the report flags.
  - Idle workloads are set apart, with the reason, when their name matches O(exclude_names), their project is in
    O(exclude_projects), the manifest they were submitted with has the annotation O(exclude_annotation) set to
    V("false"), or (with O(reclaim=suspend)) their kind cannot be suspended.
  - It changes nothing. It runs on the controller, never as a module process. It is what the
    P(runai.platform.gpu_reclaim#role) role runs to find what to reclaim.
author:
  - runai.platform contributors (@runai-platform)
extends_documentation_fragment:
  - runai.platform.runai_auth
  - runai.platform.attributes
attributes:
  check_mode:
    description: Reads the API and returns the same as in a normal run; it never changes anything.
    support: full
  diff_mode:
    description: It changes nothing, so there is nothing to show.
    support: none
  action:
    description: It is an action that runs on the controller; no module runs on the target.
    support: full
options:
  projects:
    description:
      - Names of the projects to look in; empty means every project the credentials can see.
      - A name no visible project has fails the task, naming projects that exist.
    type: list
    elements: str
    default: []
  start:
    description: Start of the window, an ISO 8601 timestamp or relative to now (V(-1h), V(-30m), V(-7d)).
    type: str
    default: "-1h"
  end:
    description: End of the window, an ISO 8601 timestamp, V(now), or relative to now.
    type: str
    default: now
  low_utilization_percent:
    description:
      - A workload is idle when its mean GPU utilization in the window is below this (more than 0, at most 100).
      - The default is the one of the C(low-utilization) flag of M(runai.platform.runai_workload_report).
    type: float
    default: 20
  low_utilization_min_running_seconds:
    description:
      - A workload is idle only after it ran at least this many seconds inside the window, so that its start-up is
        not held against it.
      - The default is the one of the C(low-utilization) flag of M(runai.platform.runai_workload_report).
    type: int
    default: 600
  exclude_names:
    description:
      - Keep the workloads whose name matches one of these, exactly or as a shell-style pattern (V(*) any text,
        V(?) one character, V([abc]) one of these characters), for example V(notebook-*). The match is
        case-sensitive, as workload names are lowercase.
    type: list
    elements: str
    default: []
  exclude_projects:
    description:
      - Keep the workloads of these projects. A name no visible project has fails the task, because it would
        protect nothing.
    type: list
    elements: str
    default: []
  exclude_annotation:
    description:
      - Keep the workloads whose manifest, as submitted, has this annotation in its C(metadata.annotations) with the
        value V("false") (in any case). Any other value, or no such annotation, leaves the decision to the
        thresholds.
      - It costs one request per idle workload (the v1 listing has no annotations; the v2 object has the manifest).
        An empty string turns the check off and saves those requests.
    type: str
    default: runai.platform/reclaim
  reclaim:
    description:
      - How the workloads will be reclaimed. With V(suspend), an idle workload whose kind cannot be suspended (its
        v1 C(actionsSupport.suspend) is false, for example a C(Deployment)) is excluded rather than left to fail the
        suspend; with V(delete), every kind is reclaimable.
    type: str
    choices: [suspend, delete]
    default: suspend
  samples:
    description: Metric samples per workload over the window (the API allows 1 to 1000).
    type: int
    default: 60
  parallelism:
    description: How many workloads have their pods, metrics and manifest read at once.
    type: int
    default: 8
notes:
  - One request lists the running workloads of each project (one for all without O(projects)); then the pods and
    the metrics of O(parallelism) workloads are read at a time, and the v2 object of each idle workload that no other
    rule excluded. Each name in O(projects) and O(exclude_projects) costs one request to check. The credentials are
    exchanged once for all of them.
  - A workload suspended (V(Stopping), V(Stopped)) or ended is not running, so it is never found; once the idle
    workloads are suspended or deleted, a second run finds none of them.
seealso:
  - module: runai.platform.runai_workload_report
  - module: runai.platform.runai_workload
  - module: runai.platform.runai_metrics_info
"""

EXAMPLES = r"""
- name: Find the workloads of two projects that held GPUs idle over the last two hours, except notebooks
  runai.platform.runai_idle_workload_info:
    projects: [team-a, project-a]
    start: -2h
    exclude_names: ["notebook-*"]
  register: idle

- name: Say what was found
  ansible.builtin.debug:
    msg: "{{ idle.msg }}"

- name: Suspend them in one task (an empty list changes nothing)
  runai.platform.runai_workload:
    workloads: "{{ idle.batch_items }}"
    state: suspended
"""

RETURN = r"""
workloads:
  description: The idle workloads to reclaim, by project and name.
  returned: success
  type: list
  elements: dict
  contains:
    name:
      description: Name of the workload.
      type: str
    project:
      description: Name of its project.
      type: str
    project_id:
      description: Id of its project.
      type: str
    cluster_id:
      description: Id of its cluster.
      type: str
    id:
      description: Id of the workload.
      type: str
    type:
      description: Its kind, as the API names it (for example V(Training), V(Workspace)).
      type: str
    gpus:
      description: The GPUs it holds.
      type: float
    gpu_utilization_mean_percent:
      description: Its mean GPU utilization over the window, in percent.
      type: float
    running_seconds:
      description: How long it ran inside the window.
      type: int
  sample:
    - name: notebook-alice
      project: team-a
      project_id: "3"
      cluster_id: 71f69d83-ba66-4822-adf5-55ce55efd210
      id: 0b6f3c2e-8a41-4d7e-9c55-2f1e7a9d4b10
      type: Workspace
      gpus: 2
      gpu_utilization_mean_percent: 3.1
      running_seconds: 3600
batch_items:
  description:
    - The same workloads as items of the O(runai.platform.runai_workload#module:workloads) option of
      M(runai.platform.runai_workload) (C(name), C(project), C(cluster_id)), so that one task suspends or deletes
      them all.
  returned: success
  type: list
  elements: dict
  sample:
    - name: notebook-alice
      project: team-a
      cluster_id: 71f69d83-ba66-4822-adf5-55ce55efd210
gpus:
  description: The GPUs the workloads of RV(workloads) hold together, which reclaiming them frees.
  returned: success
  type: float
  sample: 2
excluded:
  description:
    - The idle workloads set apart, with the same keys as RV(workloads) and C(excluded_by) - V(project), V(name),
      V(kind) (it cannot be suspended), V(annotation), or V(gone) (deleted after it was listed) - and C(reason), a
      sentence.
  returned: success
  type: list
  elements: dict
  sample:
    - name: notebook-bob
      project: team-a
      excluded_by: name
      reason: its name matches 'notebook-*' of exclude_names
window:
  description: The window, resolved to ISO 8601 UTC timestamps.
  returned: success
  type: dict
  sample: {start: "2026-01-31T11:00:00Z", end: "2026-01-31T12:00:00Z"}
thresholds:
  description: The thresholds used, C(low_utilization_percent) and C(low_utilization_min_running_seconds).
  returned: success
  type: dict
  sample: {low_utilization_percent: 20.0, low_utilization_min_running_seconds: 600}
msg:
  description: What was found, in one line, or why the task failed.
  returned: always
  type: str
  sample: "Found 1 idle workload holding 2 GPUs, with a mean GPU utilization below 20% over at least 600 s running
    between 2026-01-31T11:00:00Z and 2026-01-31T12:00:00Z: team-a/notebook-alice; 1 idle workload excluded."
api:
  description: How many HTTP requests the task sent to the Run:ai API, and how many of them were retries.
  returned: always
  type: dict
  contains:
    requests:
      description: HTTP requests sent.
      type: int
      sample: 23
    retries:
      description: Requests that repeated an earlier one after a 429, 502, 503, 504 or a broken connection.
      type: int
      sample: 0
"""
