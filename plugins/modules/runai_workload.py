#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: runai_workload
short_description: Create, update, wait for and delete Run:ai workloads
version_added: 1.0.0
description:
  - Makes a Run:ai workload, a Kubernetes manifest plus Run:ai metadata submitted through the Workloads V2 API, match the
    task. Run the task as often as you like; only a difference from what the server stored changes anything.
  - With O(state=present) the workload is looked up by name in its project with one filtered request. It is created
    when missing, updated with only what the API lets change when it differs, and left alone otherwise.
  - With O(state=absent) the workload is deleted when it exists. A workload that is already gone, or already being
    deleted, is not a change.
  - With O(state=suspended) the workload is suspended (its pods are taken away and its GPUs freed; it keeps its
    place and resumes where its controller lets it). A workload already suspended (phase V(Stopping) or V(Stopped))
    is not a change. O(state=present) on a suspended workload resumes it (and updates it first, when it differs).
  - O(workloads) reconciles many workloads in one task, in parallel, with one listing per project instead of one
    lookup per workload.
  - "Comparison rules: only what the task sets is compared, so fields the server adds never count as a change. The
    manifest's C(metadata.name) and C(metadata.namespace) are ignored (the server sets them from O(name) and the
    project). A number equals a string holding the same number (V(2) and V(\"2\")), a boolean equals V(\"true\") or
    V(\"false\"), and under a C(resources) key Kubernetes quantities compare by value (V(1Gi) equals V(1024Mi), V(0.5)
    equals V(500m)). An empty mapping, an empty list or null equals a missing key. Lists of mappings match item by
    item in any order (by C(name) when the names are unique); lists of plain values compare in order."
  - Because only what the task sets is compared, removing a key from the manifest alone is not detected. The next
    change that does update the workload sends the whole manifest, which then replaces the stored one.
author:
  - runai.platform contributors (@runai-platform)
requirements:
  - PyYAML, for a manifest given as YAML text or read from O(src)
extends_documentation_fragment:
  - runai.platform.runai_auth
  - runai.platform.runai_wait
  - runai.platform.attributes
attributes:
  check_mode:
    description:
      - Check mode never creates, updates or deletes anything, on any level of the control plane.
      - A create is sent to the server as a dry run (C(dryRun=true)) only where the control plane is known to honour it,
        that is where the cluster version from C(GET /api/v1/clusters) is 2.24 or newer; a manifest the server refuses
        then fails in check mode too. Anywhere else (2.23, which would ignore C(dryRun) and really create, or a version
        that cannot be read) the collection validates the task itself and sends nothing. RV(check_mode_validation)
        says which was done.
      - An update or a delete has no dry run; it is decided by the same comparison as a real run and not sent.
      - Check mode never waits.
    support: full
  diff_mode:
    description:
      - Returns the fields the task manages (the metadata it sets and the manifest) before and after. A create shows
        C(state=absent) before, a delete C(state=absent) after.
    support: full
options:
  name:
    description:
      - Name of the workload, unique in its project.
      - It becomes a Kubernetes object name, so it must be a DNS-1123 label; at most 63 lowercase letters, digits and
        V(-), starting and ending with a letter or digit.
      - Required unless O(workloads) is given; mutually exclusive with it.
    type: str
  project:
    description:
      - Name of the project the workload belongs to. Exactly one of O(project) and O(project_id) is required.
      - The name is resolved to the project's id and cluster only when a workload has to be created.
    type: str
  project_id:
    description:
      - Id of the project the workload belongs to (a numeric string such as V(1)), instead of O(project).
      - Without O(cluster_id), the server places a new workload in the project's cluster.
    type: str
  cluster_id:
    description:
      - Id of the cluster, a UUID. Needed only when a project name exists in several clusters; otherwise it comes from
        the project.
    type: str
  manifest:
    description:
      - The Kubernetes manifest of the workload, as a mapping or as a YAML string holding one mapping.
      - With O(state=present) exactly one of O(manifest) and O(src) is required.
      - It may be at most 2097152 characters once base64-encoded, the API's limit.
    type: raw
  src:
    description:
      - Path to a YAML file holding the manifest, on the host that runs the module, instead of O(manifest).
      - A relative path starts at O(src_dir), else at the directory C(ansible-playbook) was started in; prefix it with
        C({{ playbook_dir }}) or C({{ role_path }}) to point next to a playbook or inside a role.
    type: path
  src_dir:
    description:
      - Directory that a relative O(src), and a relative O(workloads[].src), starts at.
      - For a batch file whose manifests sit beside it, wherever the play runs from.
      - Not set - the directory C(ansible-playbook) was started in.
    type: path
  priority:
    description:
      - Priority class of the workload, which decides the scheduling order inside the project.
      - Not set means the server's default for the workload's kind on create, and no change on update.
    type: str
    choices: [very-low, low, medium-low, medium, medium-high, high, very-high]
  category:
    description:
      - Category of the workload, used for classification and monitoring, for example V(Build), V(Train) or V(Deploy).
      - Not set means the server's default on create, and no change on update.
    type: str
  preemptibility:
    description:
      - Whether workloads of higher priority may preempt this one. Not set means it follows from the priority class.
      - It cannot change on an existing workload; a task that asks for a different value fails and says that the
        workload must be deleted and created again, unless O(recreate=true).
      - Control plane 2.23 does not store it; there it is neither sent nor compared, with a warning.
    type: str
    choices: [preemptible, non-preemptible]
  recreate:
    description:
      - When the workload differs in a way that cannot be updated in place, delete it and create it again instead of
        failing. That is the case when a field that cannot change differs (the manifest's C(kind) or C(apiVersion),
        O(preemptibility)), and for every change on a control plane without update (2.23 has no
        C(PUT /api/v2/workloads/{id})).
      - The new workload has a new id; its pods start anew. It is created from the task alone, so metadata the task
        does not set takes the server's defaults. The task waits until the old one is gone (up to O(wait_timeout))
        because the name stays taken until then.
      - In check mode and diff mode the task reports the re-create it would do and sends nothing.
    type: bool
    default: false
  state:
    description:
      - V(present) to make the workload exist as described; V(absent) to delete it; V(suspended) to suspend it.
      - V(present) on a suspended workload (phase V(Stopping) or V(Stopped)) resumes it; with O(wait=true) the task
        waits through V(Resuming) for the phases of O(wait_for).
      - V(suspended) needs neither O(manifest) nor O(src); the workload must exist. With O(wait=true) the task waits
        through V(Stopping) for V(Stopped) (or the phases of O(wait_for)). A kind that cannot be suspended (its v1
        C(actionsSupport.suspend) is false, for example a bare C(Pod) or a C(Deployment)) fails the task, naming the
        kind, before anything is sent.
      - Suspend and resume go through C(POST /api/v1/workloads/batch), a single workload as a batch of one; with
        O(workloads) every item to suspend is sent together, 100 workloads a request.
    type: str
    choices: [present, absent, suspended]
    default: present
  workloads:
    description:
      - Many workloads in one task. Each item takes the per-workload options; an option the item does not set takes
        the task's top-level value. An item that sets O(workloads[].manifest) or O(workloads[].src) replaces both, and
        likewise O(workloads[].project) and O(workloads[].project_id).
      - Items run O(parallelism) at a time. Each project is listed once for all of its items.
      - A workload listed twice (same name and project) makes the whole task fail before anything is sent.
      - The task returns one result per item in RV(results) in input order. When items fail, the others still
        finish; then the task fails and its message lists each failed item and why.
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the workload, as O(name).
        type: str
        required: true
      project:
        description: Project name, as O(project).
        type: str
      project_id:
        description: Project id, as O(project_id).
        type: str
      cluster_id:
        description: Cluster id, as O(cluster_id).
        type: str
      manifest:
        description: Manifest, as O(manifest).
        type: raw
      src:
        description: Path to a YAML manifest, as O(src).
        type: path
      priority:
        description: Priority class, as O(priority).
        type: str
        choices: [very-low, low, medium-low, medium, medium-high, high, very-high]
      category:
        description: Category, as O(category).
        type: str
      preemptibility:
        description: Preemptibility, as O(preemptibility).
        type: str
        choices: [preemptible, non-preemptible]
      state:
        description: V(present), V(absent) or V(suspended), as O(state).
        type: str
        choices: [present, absent, suspended]
      recreate:
        description: Whether to delete and re-create instead of failing, as O(recreate).
        type: bool
      wait:
        description: Whether to wait, as O(wait).
        type: bool
      wait_for:
        description: Phases that end the wait successfully, as O(wait_for).
        type: list
        elements: str
        choices: [Creating, Initializing, Resuming, Pending, Deleting, Running, Updating, Stopped, Stopping, Degraded,
                  Failed, Completed, Terminating, Unknown]
      fail_on:
        description: Phases that fail the wait, as O(fail_on).
        type: list
        elements: str
        choices: [Creating, Initializing, Resuming, Pending, Deleting, Running, Updating, Stopped, Stopping, Degraded,
                  Failed, Completed, Terminating, Unknown]
      wait_timeout:
        description: Seconds to wait in all, as O(wait_timeout).
        type: int
      pending_timeout:
        description: Seconds the workload may stay Pending while waiting, as O(pending_timeout).
        type: int
      wait_sleep:
        description: Seconds between two polls, as O(wait_sleep).
        type: float
  parallelism:
    description:
      - How many items of O(workloads) are reconciled at the same time.
    type: int
    default: 8
  projects:
    description:
      - Only the items of O(workloads) whose project (O(workloads[].project), else O(project)) is one of these
        names; the other items are left out of the task, as if not listed, and have no result in RV(results).
      - For a play over the hosts of the P(runai.platform.runai#inventory) inventory, where each host is a project
        and the same batch is given to every host (or slice of a sliced job), so that each project's items are
        reconciled once, by the run that owns the project.
      - An item that names its project only by O(workloads[].project_id) is left out.
      - Not set (the default) or empty - every item.
    type: list
    elements: str
notes:
  - A workload found by name that was not submitted through the Workloads V2 API (for example a workspace created in
    the Run:ai UI) cannot be managed by this module; the task fails and says so.
  - A phase listed in both O(wait_for) and O(fail_on) ends the wait successfully.
  - A wait also ends, with a failure, when the workload settles in a phase it will not leave on its own (V(Completed),
    V(Failed), V(Stopped)) that is not in O(wait_for).
  - A wait that fails or times out quotes the workload's latest events (three, newest first) in its message and
    returns them as RV(events).
  - O(pending_timeout) counts from the moment the task first sees the workload V(Pending).
  - In a batch (O(workloads)), the items that wait for a phase are polled together once every item was submitted or
    found unchanged, with one listing per project per poll instead of one request per workload; each item keeps its own
    wait options, and its C(duration) counts from its own submission. An item that was updated first waits, on its own,
    for the change to be applied.
  - With O(state=present), a workload of the same name that is still being deleted is waited for (up to
    O(wait_timeout)) before the new one is created, because the name stays taken until then.
  - A create whose answer was lost (a broken connection) is never repeated blindly; the module first looks the name
    up, and a create that loses a race with another creator converges on what that one made.
  - Writes reach the v1 listing, where workloads are looked up by name, only after a few seconds. A create that meets
    a 409 (its own lost create, a workload created moments ago, another creator) reads the listing back for up to
    60 seconds and converges on the workload it finds. A workload created moments before a task with O(state=absent),
    or before a check-mode run without server-side dry run, may not be seen yet.
  - A deletion is complete when the v2 API answers 404 or says the deletion is done (sync status C(Deleted)); a
    workload that is deleted but still readable is absent.
  - "What each control plane level supports: 2.23 creates, deletes, and validates check mode locally; it cannot update
    (see O(recreate)) and does not store O(preemptibility) or O(cluster_id). 2.24 and newer also update in place and
    validate check-mode creates on the server. The level is read once per task from the clusters' C(version)."
seealso:
  - module: runai.platform.runai_workload_info
  - module: runai.platform.runai_pod_info
  - name: Run:ai Workloads V2 API
    description: The API this module speaks.
    link: https://run-ai-docs.nvidia.com/api/2.24/workloads/workloads-v2
"""

EXAMPLES = r"""
# The connection options (url, client_id, client_secret) come from RUNAI_URL, RUNAI_CLIENT_ID and RUNAI_CLIENT_SECRET
# unless a task sets them, as module_defaults does in the second task.

- name: Write a Job manifest to a file, for the tasks below that read it with src
  ansible.builtin.copy:
    dest: "{{ playbook_dir }}/train-job.yaml"
    mode: "0644"
    content: |
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: train
      spec:
        template:
          spec:
            restartPolicy: Never
            containers:
              - name: train
                image: nvcr.io/nvidia/pytorch:24.05-py3
                command: [python, train.py]
                resources:
                  limits:
                    nvidia.com/gpu: 1

- name: Submit a training job from that file and wait until it runs (or has already completed)
  runai.platform.runai_workload:
    name: resnet-sweep-01
    project: team-a
    src: "{{ playbook_dir }}/train-job.yaml"
    priority: high
    category: Train
    wait: true
    wait_for: [Running, Completed]
    pending_timeout: 300
  register: submitted

- name: Keep an inference Deployment as described, with connection options given once for the play's runai tasks
  module_defaults:
    group/runai.platform.runai:
      url: "{{ lookup('ansible.builtin.env', 'RUNAI_URL') }}"
      client_id: "{{ lookup('ansible.builtin.env', 'RUNAI_CLIENT_ID') }}"
      client_secret: "{{ lookup('ansible.builtin.env', 'RUNAI_CLIENT_SECRET') }}"
  runai.platform.runai_workload:
    name: demo-server
    project: project-a
    category: Deploy
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: demo-server
      spec:
        replicas: 1
        selector:
          matchLabels:
            app: demo-server
        template:
          metadata:
            labels:
              app: demo-server
          spec:
            containers:
              - name: server
                image: nginx:1.27
                resources:
                  limits:
                    nvidia.com/gpu: 1

- name: Submit a job given as a YAML string, wait until it has completed, and fail fast if it fails
  runai.platform.runai_workload:
    name: quick-eval
    project: team-a
    manifest: |
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: quick-eval
      spec:
        template:
          spec:
            restartPolicy: Never
            containers:
              - name: eval
                image: python:3.12
                command: [python, -c, "print('ok')"]
    wait: true
    wait_for: [Completed]
    wait_timeout: 900

- name: Submit many workloads in one task, ten at a time; the top-level options are the items' defaults
  runai.platform.runai_workload:
    project: team-a
    category: Train
    src: "{{ playbook_dir }}/train-job.yaml"
    parallelism: 10
    workloads:
      - name: sweep-lr-001
      - name: sweep-lr-002
        priority: high
      - name: sweep-lr-003
        manifest: "{{ lookup('ansible.builtin.file', playbook_dir ~ '/train-job.yaml') | from_yaml }}"
      - name: sweep-lr-000
        state: absent
  register: batch

- name: Keep a Jupyter notebook workspace (a Kubeflow Notebook) running for the day
  runai.platform.runai_workload:
    name: notebook-alice
    project: team-a
    category: Build
    manifest: &notebook
      apiVersion: kubeflow.org/v1
      kind: Notebook
      metadata:
        name: notebook-alice
      spec:
        template:
          spec:
            containers:
              - name: notebook
                image: jupyter/scipy-notebook:2024-05-27
                resources:
                  limits:
                    nvidia.com/gpu: 1
    wait: true

- name: Suspend it for the night to free its GPU, and wait until it is stopped
  runai.platform.runai_workload:
    name: notebook-alice
    project: team-a
    state: suspended
    wait: true

- name: Resume it in the morning (state present on a suspended workload resumes it) and wait until it runs again
  runai.platform.runai_workload:
    name: notebook-alice
    project: team-a
    category: Build
    manifest: *notebook
    wait: true

- name: Delete a workload and wait until it is gone
  runai.platform.runai_workload:
    name: quick-eval
    project: team-a
    state: absent
    wait: true
"""

RETURN = r"""
msg:
  description: What the task did, or why it failed.
  returned: always
  type: str
  sample: Workload 'resnet-sweep-01' (0b6f3c2e-8a41-4d7e-9c55-2f1e7a9d4b10) in project 'team-a' created.
id:
  description:
    - Id (UUID) of the workload; use it with the other modules of the collection.
    - Null when the workload is absent, and after a create in check mode (a dry run stores nothing).
  returned: single workload
  type: str
  sample: 0b6f3c2e-8a41-4d7e-9c55-2f1e7a9d4b10
phase:
  description:
    - The workload's phase as last seen (the v1 Phase enum, for example V(Pending), V(Running), V(Completed)).
    - Null right after a create without O(wait) (the platform has not reported one yet) and with O(state=absent).
  returned: single workload
  type: str
  sample: Running
workload:
  description:
    - The stored Workloads V2 object, as the API returns it (metadata, desiredPhase, workloadManifest, rawManifest).
    - After a create in check mode, the server's dry-run answer. Null when there is none.
    - Not returned when a wait failed, so that the failure shows its message, phase and pods rather than the whole
      object; M(runai.platform.runai_workload_info) reads it by RV(id).
  returned: single workload
  type: dict
  sample:
    metadata:
      id: 0b6f3c2e-8a41-4d7e-9c55-2f1e7a9d4b10
      name: resnet-sweep-01
      projectId: "1"
      projectName: team-a
      clusterId: 71f69d83-ba66-4822-adf5-55ce55efd210
      priority: high
      category: Train
    desiredPhase: Running
    rawManifest:
      apiVersion: batch/v1
      kind: Job
    workloadManifest:
      apiVersion: batch/v1
      kind: Job
duration:
  description: Seconds the task waited.
  returned: when O(wait=true) and the task waited
  type: float
  sample: 7.4
diff:
  description:
    - The fields the task manages before and after.
    - With O(workloads), a list with one entry per item that changed.
  returned: in diff mode, when something changed; always with O(workloads)
  type: raw
  sample:
    before:
      metadata:
        priority: medium
    after:
      metadata:
        priority: high
phase_message:
  description: The phase message last seen, when a wait failed or timed out.
  returned: on a failed wait
  type: str
  sample: "Workload failed: container exited with code 1"
events:
  description:
    - The workload's latest events, newest first (at most three), when a wait failed or timed out, each with its
      C(time), C(type), C(reason), C(object) (kind/name) and C(message) (cut short).
  returned: on a failed or timed-out wait
  type: list
  elements: dict
  sample:
    - time: "2026-01-05T10:00:12Z"
      type: Warning
      reason: BackOff
      object: Pod/quick-eval-0-0
      message: Back-off restarting failed container
pods:
  description:
    - The workload's pods when a wait failed on a failure phase, each with its C(id), C(name), C(k8sPhase) and
      C(nodeName); M(runai.platform.runai_pod_info) reads them in full.
  returned: on a failed wait
  type: list
  elements: dict
sync_status:
  description: The control plane's sync status last seen, when a wait for deletion timed out.
  returned: on a timed-out wait with O(state=absent)
  type: str
  sample: Deleting
status:
  description: HTTP status of the API answer that failed the task.
  returned: when the API refused a request
  type: int
  sample: 400
method:
  description: HTTP method of the request the API refused.
  returned: when the API refused a request
  type: str
  sample: POST
path:
  description: Path of the request the API refused.
  returned: when the API refused a request
  type: str
  sample: /api/v2/workloads
results:
  description: One result per item of O(workloads), in input order.
  returned: when O(workloads) is given
  type: list
  elements: dict
  contains:
    name:
      description: Name of the workload.
      type: str
    project:
      description: Project name (or id) of the workload.
      type: str
    id:
      description: Id of the workload, as RV(id).
      type: str
    phase:
      description: Phase last seen, as RV(phase).
      type: str
    changed:
      description: Whether this item changed.
      type: bool
    failed:
      description: Whether this item failed.
      type: bool
    msg:
      description: What happened to this item, or why it failed.
      type: str
    workload:
      description: The stored Workloads V2 object, as RV(workload).
      type: dict
    duration:
      description: Seconds waited for this item, when it waited.
      type: float
    status:
      description: HTTP status of the API error that failed this item, when an API error did.
      type: int
    check_mode_validation:
      description: As RV(check_mode_validation), for this item.
      type: str
  sample:
    - name: sweep-1
      project: team-a
      id: 3c2a9a57-5a43-4f0e-8a0c-1b0f3d1e2a10
      phase: null
      changed: true
      failed: false
      msg: Workload 'sweep-1' (3c2a9a57-5a43-4f0e-8a0c-1b0f3d1e2a10) in project 'team-a' created.
      workload: {}
summary:
  description:
    - What the batch came to, counted over RV(results). Also returned when items failed.
  returned: when O(workloads) is given
  type: dict
  contains:
    total:
      description: Number of items.
      type: int
    changed:
      description: Number of items that changed (or would change, in check mode).
      type: int
    phases:
      description: Number of items per phase last seen; V(no phase) for items that were not seen with one.
      type: dict
    failures:
      description:
        - Each failed item with its C(name), C(project), C(id) and C(phase). Why it failed is the C(msg) of its entry
          in RV(results), and the task's RV(msg) quotes it.
      type: list
      elements: dict
    lines:
      description:
        - The counts in lines to print as they are - how many items there were, how many changed (named by the
          items' O(state) - created or updated, deleted, suspended - and in check mode as what would be), stayed
          unchanged and failed; then, when any item was seen in a phase, how many are in each phase.
      type: list
      elements: str
  sample:
    total: 3
    changed: 2
    phases: {Running: 2, Failed: 1}
    lines:
      - "3 workloads: 1 created or updated, 1 unchanged, 1 failed."
      - "Phases: 1 Failed, 2 Running."
    failures:
      - name: sweep-3
        project: team-a
        id: 5d1f4e0a-2b6c-4c1e-9a0e-7f3b2d1c0e9f
        phase: Failed
check_mode_validation:
  description:
    - In check mode, when the task would change something, who judged the change. V(server) when the server accepted
      the create in a dry run (control plane 2.24 or newer); V(local) when the collection judged alone (a control plane
      without server-side dry run or of unknown level, an update, a delete, a re-create).
    - With O(workloads), in each item of RV(results).
  returned: in check mode, when something would change
  type: str
  sample: local
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
from ansible_collections.runai.platform.plugins.module_utils.module.options import wait_argument_spec
from ansible_collections.runai.platform.plugins.module_utils.workloads.batch import reconcile_batch
from ansible_collections.runai.platform.plugins.module_utils.workloads.desired import PREEMPTIBILITIES, PRIORITIES
from ansible_collections.runai.platform.plugins.module_utils.workloads.reconcile import reconcile_one


def workload_options():
    """The options of one workload; without defaults, so that batch items can inherit the task's values."""
    options = dict(
        name=dict(type="str"),
        project=dict(type="str"),
        project_id=dict(type="str"),
        cluster_id=dict(type="str"),
        manifest=dict(type="raw"),
        src=dict(type="path"),
        priority=dict(type="str", choices=PRIORITIES),
        category=dict(type="str"),
        preemptibility=dict(type="str", choices=PREEMPTIBILITIES),
        state=dict(type="str", choices=["present", "absent", "suspended"]),
        recreate=dict(type="bool"),
    )
    for name, option in wait_argument_spec().items():
        option.pop("default", None)
        options[name] = option
    return options


def argument_spec():
    item = workload_options()
    item["name"]["required"] = True
    spec = workload_options()
    spec.update(wait_argument_spec())
    spec["state"]["default"] = "present"
    spec["recreate"]["default"] = False
    spec.update(
        workloads=dict(type="list", elements="dict", options=item),
        parallelism=dict(type="int", default=8),
        src_dir=dict(type="path"),
        projects=dict(type="list", elements="str"),
    )
    return spec


def reconcile(module, client):
    """One workload, or a batch when O(workloads) is set."""
    reconcile_workloads = reconcile_batch if module.params.get("workloads") is not None else reconcile_one
    return reconcile_workloads(client, module.params, module.check_mode, module._diff)


def main():
    module = build_module(
        argument_spec(),
        supports_check_mode=True,
        required_one_of=[("name", "workloads")],
        mutually_exclusive=[("name", "workloads")],
    )
    run_module(module, reconcile)


if __name__ == "__main__":
    main()
