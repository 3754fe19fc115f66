#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: runai_workload_info
short_description: Read Run:ai workloads, count them, or read workload telemetry
version_added: 1.0.0
author: runai.platform contributors (@runai-platform)
description:
  - Reads one workload by O(id), or by O(name) within a O(project).
  - Or lists workloads with server-side filters, search, sorting and paging. The plain filter options are translated
    into the API's C(filterBy) expressions, and O(filter_by) adds raw expressions for any other field.
  - With O(count=true), asks the API's count endpoint instead of listing.
  - With O(telemetry), reads the API's workload telemetry (workload count or GPU allocation, grouped by up to two fields).
  - The module only reads, so it behaves the same in check mode.
extends_documentation_fragment:
  - runai.platform.runai_auth
  - runai.platform.attributes
  - runai.platform.attributes.info_module
options:
  id:
    description:
      - The id (a UUID) of one workload to read. A workload that does not exist fails the task.
      - Cannot be combined with the listing, count and telemetry options.
    type: str
  name:
    description:
      - The name of one workload to read. Names are unique within a project, so give O(project) (and O(cluster_id)
        when the project name exists in several clusters).
      - No workload of that name gives RV(workload) V(null) and an empty RV(workloads), not a failure. Several workloads
        of that name (in several projects) fail the task, asking for O(project).
    type: str
  project:
    description:
      - Only workloads of the project with this name (C(projectName) filter).
      - When nothing matches and no project visible to the credentials has this name, the task fails and names a few
        projects that exist, so a misspelt project is not mistaken for one without workloads.
    type: str
  cluster_id:
    description:
      - Only workloads of the cluster with this id (C(clusterId) filter). With O(telemetry), the telemetry of this
        cluster only.
    type: str
  phase:
    description:
      - Only workloads in one of these phases.
      - Several phases are sent as C(phase!=) expressions for every other phase, since the API joins expressions with
        AND.
    type: list
    elements: str
    choices: [Creating, Initializing, Resuming, Pending, Deleting, Running, Updating, Stopped, Stopping, Degraded,
              Failed, Completed, Terminating, Unknown]
  name_prefix:
    description:
      - Only workloads whose name starts with this text (C(name=^) filter).
    type: str
  submitted_by:
    description:
      - Only workloads submitted by this user or application (C(submittedBy) filter).
    type: str
  created_after:
    description:
      - Only workloads created at or after this time (C(createdAt>=) filter).
      - An ISO 8601 timestamp such as V(2026-01-31T12:00:00Z) (no offset means UTC), or a time relative to now such as
        V(-24h), V(-30m), V(-7d) or V(now). Units are V(s), V(m), V(h), V(d) and V(w), and can be combined (V(-1d12h)).
    type: str
  created_before:
    description:
      - Only workloads created at or before this time (C(createdAt<=) filter). Same forms as O(created_after).
    type: str
  min_gpus:
    description:
      - Only workloads with at least this many GPUs allocated (C(allocatedGPU>=) filter, the GPU field the API filters
        on). A workload that is not running has none allocated.
    type: float
  filter_by:
    description:
      - Raw C(filterBy) expressions, ANDed with each other and with the plain filter options.
      - Each is C(<field><operator><value>). Operators are C(==), C(!=), C(<=), C(>=), C(=@) (contains), C(!@) (does not
        contain), C(=^) (starts with) and C(=$) (ends with); date fields take only the first four, with ISO 8601
        values.
      - Fields are C(type), C(name), C(clusterId), C(projectId), C(projectName), C(departmentId), C(departmentName),
        C(createdAt), C(deletedAt), C(submittedBy), C(phase), C(completedAt), C(nodepool), C(distributedFramework),
        C(allocatedGPU), C(idleGpus), C(idleAllocatedGpus), C(phaseUpdatedAt), C(category),
        C(totalPendingTimeSeconds), C(totalRunningTimeSeconds), C(priority), C(priorityClassName),
        C(guaranteedRuntimeEndsAt), C(aiApplicationId) and C(aiApplicationName).
      - Expressions are checked before any request; a value cannot contain a comma.
    type: list
    elements: str
  search:
    description:
      - Free-text search, done by the server.
    type: str
  sort_by:
    description:
      - The field the server sorts the list by. Without it, the server's own stable order applies.
    type: str
    choices: [type, name, clusterId, projectId, projectName, departmentId, departmentName, createdAt, deletedAt,
              submittedBy, phase, completedAt, nodepool, distributedFramework, allocatedGPU, idleGpus,
              idleAllocatedGpus, phaseUpdatedAt, category, priority, totalPendingTimeSeconds, totalRunningTimeSeconds,
              priorityClassName, guaranteedRuntimeEndsAt, aiApplicationId, aiApplicationName]
  sort_order:
    description:
      - Ascending or descending order for O(sort_by). The API's default is V(asc).
    type: str
    choices: [asc, desc]
  deleted:
    description:
      - Read deleted workloads instead of live ones (the API returns only deleted workloads then).
    type: bool
    default: false
  limit:
    description:
      - The most workloads to return in all. The module pages through the listing at the API's largest page size
        (500) until it has them, or until the listing ends.
      - Not set means every matching workload (up to a safety cap of 100000, with a warning).
    type: int
  fields:
    description:
      - Return only these fields of each workload, to make a large listing lighter to carry (see the notes).
      - Each is a field of the v1 C(Workload) object (V(name), V(phase), V(allocatedResources)...), or a dotted path
        into one of its objects (V(allocatedResources.gpu)). The nesting stays as it was, so
        C(item.allocatedResources.gpu) reads the same with or without O(fields).
      - Paths go through objects, not lists (V(conditions) is kept whole). A path a workload does not have is left out
        of that workload's object.
      - Applies to RV(workloads) and RV(workload). Cannot be combined with O(hidden_fields).
    type: list
    elements: str
  hidden_fields:
    description:
      - Leave these fields out of each workload, as the C(hidden_fields) option of C(kubernetes.core.k8s_info) does
        for Kubernetes objects. Field names or dotted paths, as for O(fields).
      - Applies to RV(workloads) and RV(workload).
    type: list
    elements: str
  count:
    description:
      - Return only the number of matching workloads, from the API's count endpoint (filters, O(search) and
        O(deleted) apply; sorting and paging do not).
    type: bool
    default: false
  events:
    description:
      - Add each returned workload's events (C(GET /api/v1/workloads/{id}/events), every page, newest first) to it,
        under the key C(events). One more request (or more, for many events) per returned workload.
    type: bool
    default: false
  history:
    description:
      - Add each returned workload's history (C(GET /api/v1/workloads/{id}/history), every page, oldest first) to it,
        under the key C(history), with a C(PhaseUpdate) record for every phase change and an C(Event) record for every
        event. One more request (or more) per returned workload.
    type: bool
    default: false
  telemetry:
    description:
      - Read workload telemetry instead of workloads. Only O(cluster_id) applies besides these suboptions.
    type: dict
    suboptions:
      type:
        description:
          - What to measure. V(PENDING_TIME_DISTRIBUTION) (how long workloads waited to be scheduled) needs control plane
            2.24 or newer.
        type: str
        required: true
        choices: [WORKLOADS_COUNT, GPU_ALLOCATION, PENDING_TIME_DISTRIBUTION]
      group_by:
        description:
          - Up to two fields to group the values by.
        type: list
        elements: str
        choices: [ClusterId, DepartmentId, ProjectId, Type, CurrentNodepools, Phase, Category]
      nodepool:
        description:
          - Only workloads of this node pool.
        type: str
      department_id:
        description:
          - Only workloads of this department (its id, a numeric string such as V("2")).
        type: str
      phases:
        description:
          - Only workloads in one of these phases (the API's C(filterByPhases)).
          - Control plane 2.24 and newer take it; on 2.23, which would ignore it and count every phase, the task fails
            before the request and says so.
        type: list
        elements: str
        choices: [Creating, Initializing, Resuming, Pending, Deleting, Running, Updating, Stopped, Stopping, Degraded,
                  Failed, Completed, Terminating, Unknown]
notes:
  - Ansible handles each value of a task's result several times (masking C(no_log) values, JSON out of the module and
    back, copies for the callbacks and for C(register)), so a task takes longer with every value it returns; a
    workload has about 80. A listing of thousands of workloads that needs only a few of them is several times faster
    with O(fields).
seealso:
  - module: runai.platform.runai_pod_info
  - module: runai.platform.runai_metrics_info
  - module: runai.platform.runai_workload
"""

EXAMPLES = r"""
# The connection options (url, client_id, client_secret) come from RUNAI_URL, RUNAI_CLIENT_ID and RUNAI_CLIENT_SECRET.

- name: Read one workload by name
  runai.platform.runai_workload_info:
    name: train-resnet
    project: team-a
  register: train

- name: Wait until it runs
  runai.platform.runai_workload_info:
    id: "{{ train.workload.id }}"
  register: current
  until: current.workload.phase in ['Running', 'Completed']
  retries: 30
  delay: 2
  when: train.workload is not none

- name: The ten newest running or pending workloads of a project with at least one GPU
  runai.platform.runai_workload_info:
    project: team-a
    phase: [Running, Pending]
    min_gpus: 1
    created_after: -7d
    sort_by: createdAt
    sort_order: desc
    limit: 10
  register: recent

- name: The completed workloads of a project older than a week
  runai.platform.runai_workload_info:
    project: team-a
    phase: [Completed]
    created_before: -7d
  register: finished

- name: Delete them in one task
  runai.platform.runai_workload:
    workloads: "{{ finished.batch_items }}"
    state: absent

- name: Any other filter, as raw filterBy expressions
  runai.platform.runai_workload_info:
    filter_by:
      - type==Deployment
      - departmentName=@default
  register: deployments

- name: Every running workload, with only what a GPU usage report needs
  runai.platform.runai_workload_info:
    phase: [Running]
    fields: [id, name, projectName, allocatedResources.gpu]
  register: running

- name: Show the GPUs of each
  ansible.builtin.debug:
    msg: "{{ item.projectName }}/{{ item.name }}: {{ item.allocatedResources.gpu | default(0) }} GPUs"
  loop: "{{ running.workloads }}"
  loop_control:
    label: "{{ item.id }}"

- name: Everything but the conditions and the requested resources
  runai.platform.runai_workload_info:
    project: team-a
    hidden_fields: [conditions, workloadRequestedResources, podsRequestedResources]
  register: lighter

- name: Why is it where it is? Its events and its phase history
  runai.platform.runai_workload_info:
    name: train-resnet
    project: team-a
    events: true
    history: true
  register: timeline

- name: Show its phase changes
  ansible.builtin.debug:
    msg: "{{ timeline.workload.history | selectattr('meta.type', '==', 'PhaseUpdate')
             | map(attribute='spec.phaseUpdate.phase') | join(' -> ') }}"

- name: Count the failed workloads
  runai.platform.runai_workload_info:
    phase: [Failed]
    count: true
  register: failed

- name: Workload count by project and phase
  runai.platform.runai_workload_info:
    telemetry:
      type: WORKLOADS_COUNT
      group_by: [ProjectId, Phase]
  register: by_project

- name: Show the counts, by project name and phase (each group has the id as value and the name as name)
  ansible.builtin.debug:
    msg: "{{ item.groups | map(attribute='name', default='?') | join('/') }}: {{ item.value }}"
  loop: "{{ by_project.telemetry['values'] }}"
"""

RETURN = r"""
workload:
  description:
    - The workload asked for by O(id) (the API's detailed v1 C(Workload) object, camelCase keys as the API gives
      them), or the single match of O(name).
    - V(null) when a workload was asked for by O(name) and none has that name.
    - Only the fields asked for with O(fields), or without those of O(hidden_fields).
    - With O(events=true) and O(history=true), also its C(events) and C(history) (see RV(workloads)).
  returned: when O(id) or O(name) is given
  type: dict
  sample:
    id: 2d5f5a3c-3a8e-4c1b-9a8e-0d6c1f3c9b11
    name: train-resnet
    projectName: team-a
    projectId: "3"
    clusterId: 71f69d83-ba66-4822-adf5-55ce55efd210
    type: PyTorchJob
    phase: Running
    createdAt: "2026-01-31T12:00:00Z"
    allocatedResources:
      gpu: 2
workloads:
  description:
    - The matching workloads in the server's order (v1 C(Workload) objects as the API gives them).
    - For O(id), a list holding that one workload.
    - Only the fields asked for with O(fields), or without those of O(hidden_fields).
    - With O(events=true), each also has C(events), its events newest first (the API's C(Event2) objects, with
      C(createdAt), C(type), C(reason), C(message), C(source), C(involvedObject)).
    - With O(history=true), each also has C(history), its history records oldest first (C(meta.type) V(PhaseUpdate)
      with C(spec.phaseUpdate.phase) and C(phaseMessage), or V(Event) with C(spec.event)).
  returned: unless O(count) or O(telemetry) is given
  type: list
  elements: dict
  sample:
    - id: 2d5f5a3c-3a8e-4c1b-9a8e-0d6c1f3c9b11
      name: train-resnet
      projectName: team-a
      phase: Running
batch_items:
  description:
    - The workloads of RV(workloads) as items of the O(runai.platform.runai_workload#module:workloads) option of
      M(runai.platform.runai_workload) (C(name), C(project), C(cluster_id)), so that one task deletes or suspends
      what was listed, whatever O(fields) kept.
  returned: unless O(count) or O(telemetry) is given
  type: list
  elements: dict
  sample:
    - name: train-resnet
      project: team-a
      cluster_id: 71f69d83-ba66-4822-adf5-55ce55efd210
count:
  description: The number of matching workloads, from the API's count endpoint.
  returned: when O(count=true)
  type: int
  sample: 42
telemetry:
  description:
    - The API's telemetry object. C(values) holds one entry per group, whose C(value) is a string as the API sends it
      and whose C(groups) lists the C(key), C(value) and C(name) of each grouping field.
  returned: when O(telemetry) is given
  type: dict
  sample:
    type: WORKLOADS_COUNT
    timestamp: "2026-01-31T12:00:00Z"
    values:
      - value: "3"
        groups:
          - key: Phase
            value: Running
            name: Running
api:
  description:
    - How many HTTP requests the task sent to the Run:ai API (the token exchange included), and how many of them were
      retries after a throttling or transient answer. Also returned when the task fails.
  returned: always
  type: dict
  contains:
    requests:
      description: HTTP requests sent.
      type: int
      sample: 3
    retries:
      description: Requests that repeated an earlier one after a 429, 502, 503, 504 or a broken connection.
      type: int
      sample: 0
"""

from ansible_collections.runai.platform.plugins.module_utils.module.entry import build_module, run_module
from ansible_collections.runai.platform.plugins.module_utils.module.options import WORKLOAD_PHASES
from ansible_collections.runai.platform.plugins.module_utils.values.filters import SORT_ORDERS, WORKLOAD_SORT_FIELDS
from ansible_collections.runai.platform.plugins.module_utils.workloads.read import read_workloads
from ansible_collections.runai.platform.plugins.module_utils.workloads.telemetry import TELEMETRY_GROUPS, TELEMETRY_TYPES


def argument_spec():
    return dict(
        id=dict(type="str"),
        name=dict(type="str"),
        project=dict(type="str"),
        cluster_id=dict(type="str"),
        phase=dict(type="list", elements="str", choices=WORKLOAD_PHASES),
        name_prefix=dict(type="str"),
        submitted_by=dict(type="str"),
        created_after=dict(type="str"),
        created_before=dict(type="str"),
        min_gpus=dict(type="float"),
        filter_by=dict(type="list", elements="str"),
        search=dict(type="str"),
        sort_by=dict(type="str", choices=WORKLOAD_SORT_FIELDS),
        sort_order=dict(type="str", choices=SORT_ORDERS),
        deleted=dict(type="bool", default=False),
        limit=dict(type="int"),
        fields=dict(type="list", elements="str"),
        hidden_fields=dict(type="list", elements="str"),
        count=dict(type="bool", default=False),
        events=dict(type="bool", default=False),
        history=dict(type="bool", default=False),
        telemetry=dict(
            type="dict",
            options=dict(
                type=dict(type="str", required=True, choices=TELEMETRY_TYPES),
                group_by=dict(type="list", elements="str", choices=TELEMETRY_GROUPS),
                nodepool=dict(type="str"),
                department_id=dict(type="str"),
                phases=dict(type="list", elements="str", choices=WORKLOAD_PHASES),
            ),
        ),
    )


def main():
    module = build_module(
        argument_spec(),
        supports_check_mode=True,
        mutually_exclusive=[("id", "name"), ("fields", "hidden_fields")],
    )
    run_module(module, read_workloads)


if __name__ == "__main__":
    main()
