#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: runai_pod_info
short_description: Read the pods of Run:ai workloads, or count them
version_added: 1.0.0
author: runai.platform contributors (@runai-platform)
description:
  - Lists the pods of one workload (by O(workload_id), or by O(workload_name) within a O(project)), the pods of an
    inference revision (O(revision_id)), or pods across the clusters the credentials can see.
  - Filtering, sorting and paging are done by the server. With O(count=true), asks the API's count endpoint instead.
  - The pods of one workload come from the workload's own pod listing, which fails the task for an unknown
    O(workload_id). When O(node_name), O(nodepool), O(filter_by), O(sort_by), O(sort_order), O(verbosity),
    O(completed) or (with O(workload_id)) O(cluster_id) is given too, or with O(count=true), they come from the
    cluster-wide pod listing filtered on the workload, which gives an empty result for an unknown workload.
  - The deprecated per-cluster pod route of the API is not used.
  - The module only reads, so it behaves the same in check mode.
extends_documentation_fragment:
  - runai.platform.runai_auth
  - runai.platform.attributes
  - runai.platform.attributes.info_module
options:
  workload_id:
    description:
      - The id (a UUID) of the workload whose pods to read.
    type: str
  workload_name:
    description:
      - The name of the workload whose pods to read. Give O(project) (and O(cluster_id) when the project name exists in
        several clusters), since names are unique only within a project.
      - The name is looked up among live workloads; no workload of that name gives an empty RV(pods), not a failure.
    type: str
  project:
    description:
      - The project of O(workload_name).
      - When no workload has that name and no project visible to the credentials has this name, the task fails and
        names a few projects that exist.
    type: str
  cluster_id:
    description:
      - With O(workload_name), the cluster of its project. Otherwise only pods of this cluster (C(clusterId) filter).
    type: str
  revision_id:
    description:
      - The id (a UUID) of an inference revision whose pods to read. Only O(deleted) and O(limit) apply with it.
    type: str
  node_name:
    description:
      - Only pods on this node (C(nodeName) filter).
    type: str
  nodepool:
    description:
      - Only pods in this node pool (C(currentNodepool) filter).
    type: str
  filter_by:
    description:
      - Raw C(filterBy) expressions, ANDed with each other and with the plain filter options.
      - Each is C(<field><operator><value>). Operators are C(==), C(!=), C(<=), C(>=), C(=@) (contains), C(!@) (does not
        contain), C(=^) (starts with) and C(=$) (ends with); date fields take only the first four, with ISO 8601
        values.
      - Fields are C(clusterId), C(workloadId), C(revisionId), C(nodeName), C(currentNodepool), C(createdAt),
        C(completedAt) and C(deletedAt).
      - Expressions are checked before any request; a value cannot contain a comma.
    type: list
    elements: str
  search:
    description:
      - Free-text search, done by the server.
    type: str
  sort_by:
    description:
      - The field the server sorts the pods by.
    type: str
    choices: [clusterId, workloadId, revisionId, nodeName, currentNodepool, createdAt, completedAt, deletedAt]
  sort_order:
    description:
      - Ascending or descending order for O(sort_by). The API's default is V(asc).
    type: str
    choices: [asc, desc]
  verbosity:
    description:
      - V(full) adds C(workloadName) and C(projectName) to every pod. The API's default is V(brief).
    type: str
    choices: [brief, full]
  completed:
    description:
      - V(true) for completed pods only, V(false) for pods not completed, V(all) for both (the API's default).
    type: str
    choices: [all, "true", "false"]
  deleted:
    description:
      - Read deleted pods instead of live ones.
    type: bool
    default: false
  limit:
    description:
      - The most pods to return in all. The module pages through the listing at the API's largest page size (500).
      - Not set means every matching pod (up to a safety cap of 100000, with a warning).
    type: int
  count:
    description:
      - Return only the number of matching pods, from the API's pod count endpoint (filters, O(search) and O(deleted)
        apply).
    type: bool
    default: false
seealso:
  - module: runai.platform.runai_workload_info
  - module: runai.platform.runai_metrics_info
"""

EXAMPLES = r"""
# The connection options (url, client_id, client_secret) come from RUNAI_URL, RUNAI_CLIENT_ID and RUNAI_CLIENT_SECRET.

- name: Pods of a workload
  runai.platform.runai_pod_info:
    workload_name: train-resnet
    project: team-a
  register: train_pods

- name: Wait until all its pods run
  runai.platform.runai_pod_info:
    workload_id: "{{ train_pods.workload_id }}"
  register: replicas
  until: >-
    replicas.pods | length > 0
    and replicas.pods | rejectattr('k8sPhase', 'equalto', 'Running') | list | length == 0
  retries: 30
  delay: 2
  when: train_pods.workload_id is not none

- name: Pods on one node, newest first, with workload and project names
  runai.platform.runai_pod_info:
    node_name: node-1
    completed: "false"
    sort_by: createdAt
    sort_order: desc
    verbosity: full
    limit: 50
  register: on_node

- name: Count the pods created in January
  runai.platform.runai_pod_info:
    filter_by:
      - createdAt>=2026-01-01T00:00:00Z
      - createdAt<=2026-01-31T23:59:59Z
    count: true
  register: january
"""

RETURN = r"""
pods:
  description:
    - The matching pods in the server's order (v1 C(Pod) objects as the API gives them, camelCase keys).
  returned: unless O(count=true)
  type: list
  elements: dict
  sample:
    - id: 5b0c3e84-0f55-4a4e-8b5e-6b2a8a4f1c21
      name: train-resnet-worker-0
      workloadId: 2d5f5a3c-3a8e-4c1b-9a8e-0d6c1f3c9b11
      clusterId: 71f69d83-ba66-4822-adf5-55ce55efd210
      nodeName: node-1
      k8sPhase: Running
      createdAt: "2026-01-31T12:00:05Z"
count:
  description: The number of matching pods, from the API's count endpoint.
  returned: when O(count=true)
  type: int
  sample: 3
workload_id:
  description:
    - The id of the workload whose pods were read (the one O(workload_name) resolved to).
    - V(null) when no workload has that name.
  returned: when O(workload_id) or O(workload_name) is given
  type: str
  sample: 2d5f5a3c-3a8e-4c1b-9a8e-0d6c1f3c9b11
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
from ansible_collections.runai.platform.plugins.module_utils.pods import read_pods
from ansible_collections.runai.platform.plugins.module_utils.values.filters import POD_SORT_FIELDS, SORT_ORDERS


def argument_spec():
    return dict(
        workload_id=dict(type="str"),
        workload_name=dict(type="str"),
        project=dict(type="str"),
        cluster_id=dict(type="str"),
        revision_id=dict(type="str"),
        node_name=dict(type="str"),
        nodepool=dict(type="str"),
        filter_by=dict(type="list", elements="str"),
        search=dict(type="str"),
        sort_by=dict(type="str", choices=POD_SORT_FIELDS),
        sort_order=dict(type="str", choices=SORT_ORDERS),
        verbosity=dict(type="str", choices=["brief", "full"]),
        completed=dict(type="str", choices=["all", "true", "false"]),
        deleted=dict(type="bool", default=False),
        limit=dict(type="int"),
        count=dict(type="bool", default=False),
    )


def main():
    module = build_module(
        argument_spec(),
        supports_check_mode=True,
        mutually_exclusive=[("workload_id", "workload_name", "revision_id")],
        required_by=dict(project="workload_name"),
    )
    run_module(module, read_pods)


if __name__ == "__main__":
    main()
