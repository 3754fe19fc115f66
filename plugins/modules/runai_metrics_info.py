#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: runai_metrics_info
short_description: Read metric series of Run:ai workloads and pods, with summaries
version_added: 1.0.0
author: runai.platform contributors (@runai-platform)
description:
  - Reads workload metrics for one workload or many (O(workload_ids), fetched a few at a time), or the metrics of one
    pod (O(pod_id)), over a time range given as ISO 8601 timestamps or relative to now.
  - Returns every series as a list of C(timestamp)/C(value) points with the values as numbers, and a summary (min,
    mean, max, last, count) of each, so that reports need no arithmetic in templates.
  - A workload that is not running yet has empty series, not an error. Every requested metric type gets at least one
    series per workload, empty when the API sent nothing for it.
  - When the API answers with partial success (HTTP 207), the task still succeeds with RV(partial=true) and a warning
    naming the workload and the metric types without data.
  - The module only reads, so it behaves the same in check mode.
extends_documentation_fragment:
  - runai.platform.runai_auth
  - runai.platform.attributes
  - runai.platform.attributes.info_module
options:
  workload_id:
    description:
      - The id (a UUID) of the workload to read metrics of. A workload that does not exist fails the task.
    type: str
  workload_ids:
    description:
      - The ids (UUIDs) of several workloads to read metrics of in one task, fetched O(parallelism) at a time.
      - Series come back in the order of this list. An empty list returns no series. Any id that does not exist fails
        the task.
    type: list
    elements: str
  pod_id:
    description:
      - The id (a UUID) of one pod of O(workload_id), to read pod metrics instead of workload metrics.
    type: str
  metrics:
    description:
      - The metric types to read. Unknown types are refused before any request.
      - Workload metric types are C(GPU_UTILIZATION), C(GPU_MEMORY_USAGE_BYTES), C(GPU_MEMORY_REQUEST_BYTES),
        C(CPU_USAGE_CORES), C(CPU_REQUEST_CORES), C(CPU_LIMIT_CORES), C(CPU_MEMORY_USAGE_BYTES),
        C(CPU_MEMORY_REQUEST_BYTES), C(CPU_MEMORY_LIMIT_BYTES), C(POD_COUNT), C(RUNNING_POD_COUNT), C(GPU_ALLOCATION),
        C(NIM_NUM_REQUESTS_RUNNING), C(NIM_NUM_REQUESTS_WAITING), C(NIM_NUM_REQUEST_MAX), C(NIM_REQUEST_SUCCESS_TOTAL),
        C(NIM_REQUEST_FAILURE_TOTAL), C(NIM_GPU_CACHE_USAGE_PERC), C(NIM_TIME_TO_FIRST_TOKEN_SECONDS),
        C(NIM_E2E_REQUEST_LATENCY_SECONDS), C(NIM_TIME_TO_FIRST_TOKEN_SECONDS_PERCENTILES),
        C(NIM_E2E_REQUEST_LATENCY_SECONDS_PERCENTILES) and C(NVLINK_BANDWIDTH_TOTAL).
      - Pod metric types (with O(pod_id)) are C(GPU_UTILIZATION_PER_GPU), C(GPU_UTILIZATION),
        C(GPU_MEMORY_USAGE_BYTES_PER_GPU), C(GPU_MEMORY_USAGE_BYTES), C(CPU_USAGE_CORES), C(CPU_MEMORY_USAGE_BYTES),
        C(GPU_GRAPHICS_ENGINE_ACTIVITY_PER_GPU), C(GPU_SM_ACTIVITY_PER_GPU), C(GPU_SM_OCCUPANCY_PER_GPU),
        C(GPU_TENSOR_ACTIVITY_PER_GPU), C(GPU_FP64_ENGINE_ACTIVITY_PER_GPU), C(GPU_FP32_ENGINE_ACTIVITY_PER_GPU),
        C(GPU_FP16_ENGINE_ACTIVITY_PER_GPU), C(GPU_MEMORY_BANDWIDTH_UTILIZATION_PER_GPU),
        C(GPU_NVLINK_TRANSMITTED_BANDWIDTH_PER_GPU), C(GPU_NVLINK_RECEIVED_BANDWIDTH_PER_GPU),
        C(GPU_PCIE_TRANSMITTED_BANDWIDTH_PER_GPU), C(GPU_PCIE_RECEIVED_BANDWIDTH_PER_GPU) and
        C(GPU_SWAP_MEMORY_BYTES_PER_GPU). The advanced per-GPU types need the C(Advanced GPU Metrics) setting of
        Run:ai.
    type: list
    elements: str
    required: true
  start:
    description:
      - Start of the time range. An ISO 8601 timestamp such as V(2026-01-31T12:00:00Z) (no offset means UTC), or a time
        relative to now such as V(-1h), V(-30m), V(-7d) or V(now). Units are V(s), V(m), V(h), V(d) and V(w), and can
        be combined (V(-1h30m)).
    type: str
    default: -1h
  end:
    description:
      - End of the time range, in the same forms as O(start); it must be after O(start).
    type: str
    default: now
  samples:
    description:
      - How many samples the API takes over the time range, from V(0) to V(1000).
    type: int
    default: 20
  parallelism:
    description:
      - How many workloads of O(workload_ids) are fetched at the same time.
    type: int
    default: 8
seealso:
  - module: runai.platform.runai_workload_info
  - module: runai.platform.runai_pod_info
"""

EXAMPLES = r"""
# The connection options (url, client_id, client_secret) come from RUNAI_URL, RUNAI_CLIENT_ID and RUNAI_CLIENT_SECRET.

- name: The running workloads of a project
  runai.platform.runai_workload_info:
    project: team-a
    phase: [Running]
  register: running

- name: GPU utilization and memory of the first one over the last hour
  runai.platform.runai_metrics_info:
    workload_id: "{{ running.workloads[0].id }}"
    metrics: [GPU_UTILIZATION, GPU_MEMORY_USAGE_BYTES]
  register: usage
  when: running.workloads | length > 0

- name: Mean GPU utilization, computed by the module
  ansible.builtin.debug:
    msg: "{{ (usage.series | selectattr('type', 'equalto', 'GPU_UTILIZATION') | first).summary.mean }}"
  when: usage is not skipped

- name: Metrics of all of them in one task, over the last day
  runai.platform.runai_metrics_info:
    workload_ids: "{{ running.workloads | map(attribute='id') | list }}"
    metrics: [GPU_UTILIZATION, GPU_ALLOCATION, RUNNING_POD_COUNT]
    start: -1d
    end: now
    samples: 96
    parallelism: 4
  register: daily
  when: running.workloads | length > 0

- name: The pods of the first running workload
  runai.platform.runai_pod_info:
    workload_id: "{{ running.workloads[0].id }}"
  register: pods
  when: running.workloads | length > 0

- name: Per-GPU utilization of its first pod over the last 30 minutes
  runai.platform.runai_metrics_info:
    workload_id: "{{ running.workloads[0].id }}"
    pod_id: "{{ pods.pods[0].id }}"
    metrics: [GPU_UTILIZATION_PER_GPU]
    start: -30m
  when: pods is not skipped and pods.pods | length > 0
"""

RETURN = r"""
series:
  description:
    - One entry per measurement the API returned, per workload in the order of O(workload_ids), plus an empty series
      for every requested type the API sent nothing for.
  returned: always
  type: list
  elements: dict
  contains:
    workload_id:
      description: The workload the series belongs to.
      type: str
    pod_id:
      description: The pod the series belongs to; V(null) for workload metrics.
      type: str
    type:
      description: The metric type.
      type: str
    labels:
      description: The labels of the measurement (for example the GPU of a per-GPU series), or V(null).
      type: dict
    values:
      description:
        - The points in the API's order; C(timestamp) is the API's ISO 8601 string and C(value) a number.
        - C(value) is V(null) for a sample that is not a finite number (the API sends C(NaN) for gaps).
      type: list
      elements: dict
    summary:
      description:
        - C(min), C(mean), C(max) and C(last) of the numeric values, and their C(count). The four numbers are V(null)
          when the series has no numeric value.
      type: dict
  sample:
    - workload_id: 2d5f5a3c-3a8e-4c1b-9a8e-0d6c1f3c9b11
      pod_id: null
      type: GPU_UTILIZATION
      labels: null
      values:
        - timestamp: "2026-01-31T11:00:00Z"
          value: 41.5
        - timestamp: "2026-01-31T12:00:00Z"
          value: 63.0
      summary:
        min: 41.5
        mean: 52.25
        max: 63.0
        last: 63.0
        count: 2
histograms:
  description:
    - Histogram series the API sent with workload metrics (the C(*_PERCENTILES) inference metric types), each with
      C(workload_id), C(type) and C(values), a list of C(timestamp) and C(data) (bucket name to number).
  returned: always
  type: list
  elements: dict
  sample: []
partial:
  description: Whether the API answered with partial success (HTTP 207) for any workload; a warning names each one.
  returned: always
  type: bool
  sample: false
start:
  description: The start of the time range, resolved to an ISO 8601 UTC timestamp.
  returned: always
  type: str
  sample: "2026-01-31T11:00:00Z"
end:
  description: The end of the time range, resolved to an ISO 8601 UTC timestamp.
  returned: always
  type: str
  sample: "2026-01-31T12:00:00Z"
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

from ansible_collections.runai.platform.plugins.module_utils.metrics.read import read_metrics
from ansible_collections.runai.platform.plugins.module_utils.module.entry import build_module, run_module


def argument_spec():
    return dict(
        workload_id=dict(type="str"),
        workload_ids=dict(type="list", elements="str"),
        pod_id=dict(type="str"),
        metrics=dict(type="list", elements="str", required=True),
        start=dict(type="str", default="-1h"),
        end=dict(type="str", default="now"),
        samples=dict(type="int", default=20),
        parallelism=dict(type="int", default=8),
    )


def main():
    module = build_module(
        argument_spec(),
        supports_check_mode=True,
        mutually_exclusive=[("workload_id", "workload_ids"), ("pod_id", "workload_ids")],
        required_one_of=[("workload_id", "workload_ids")],
        required_by=dict(pod_id="workload_id"),
    )
    run_module(module, read_metrics)


if __name__ == "__main__":
    main()
