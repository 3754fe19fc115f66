# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Workload and pod metrics: the metric types of the API reference, the fetch of many workloads with bounded
parallelism, and the shaping of each measurement into a series of ``{timestamp, value}`` points with a summary, so
reports need no arithmetic in Jinja2."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math
from collections import namedtuple

from ansible_collections.runai.platform.plugins.module_utils.api.errors import RunaiInputError, RunaiNotFoundError
from ansible_collections.runai.platform.plugins.module_utils.workloads.find import WORKLOADS_V1_PATH

# The WorkloadMetricType and PodMetricType enums of the vendor's references, 2.23 and 2.24 together, in their order.
# The levels spell the NVLink types differently (DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL up to 2.23, NVLINK_BANDWIDTH_TOTAL
# from 2.24): both are accepted and sent as given, since each level knows only its own.
NIM_METRIC_TYPES = [
    "NIM_NUM_REQUESTS_RUNNING", "NIM_NUM_REQUESTS_WAITING", "NIM_NUM_REQUEST_MAX", "NIM_REQUEST_SUCCESS_TOTAL",
    "NIM_REQUEST_FAILURE_TOTAL", "NIM_GPU_CACHE_USAGE_PERC", "NIM_TIME_TO_FIRST_TOKEN_SECONDS",
    "NIM_E2E_REQUEST_LATENCY_SECONDS", "NIM_TIME_TO_FIRST_TOKEN_SECONDS_PERCENTILES",
    "NIM_E2E_REQUEST_LATENCY_SECONDS_PERCENTILES",
]
WORKLOAD_METRIC_TYPES = [
    "GPU_UTILIZATION", "GPU_MEMORY_USAGE_BYTES", "GPU_MEMORY_REQUEST_BYTES", "CPU_USAGE_CORES", "CPU_REQUEST_CORES",
    "CPU_LIMIT_CORES", "CPU_MEMORY_USAGE_BYTES", "CPU_MEMORY_REQUEST_BYTES", "CPU_MEMORY_LIMIT_BYTES", "POD_COUNT",
    "RUNNING_POD_COUNT", "GPU_ALLOCATION",
] + NIM_METRIC_TYPES + ["DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL", "NVLINK_BANDWIDTH_TOTAL"]
POD_METRIC_TYPES = [
    "GPU_UTILIZATION_PER_GPU", "GPU_UTILIZATION", "GPU_MEMORY_USAGE_BYTES_PER_GPU", "GPU_MEMORY_USAGE_BYTES",
    "CPU_USAGE_CORES", "CPU_MEMORY_USAGE_BYTES", "GPU_GRAPHICS_ENGINE_ACTIVITY_PER_GPU", "GPU_SM_ACTIVITY_PER_GPU",
    "GPU_SM_OCCUPANCY_PER_GPU", "GPU_TENSOR_ACTIVITY_PER_GPU", "GPU_FP64_ENGINE_ACTIVITY_PER_GPU",
    "GPU_FP32_ENGINE_ACTIVITY_PER_GPU", "GPU_FP16_ENGINE_ACTIVITY_PER_GPU", "GPU_MEMORY_BANDWIDTH_UTILIZATION_PER_GPU",
    "GPU_NVLINK_TRANSMITTED_BANDWIDTH_PER_GPU", "GPU_NVLINK_RECEIVED_BANDWIDTH_PER_GPU",
    "GPU_PCIE_TRANSMITTED_BANDWIDTH_PER_GPU", "GPU_PCIE_RECEIVED_BANDWIDTH_PER_GPU", "GPU_SWAP_MEMORY_BYTES_PER_GPU",
] + NIM_METRIC_TYPES + [
    "DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL", "DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL_PER_GPU", "NVLINK_BANDWIDTH_TOTAL",
    "NVLINK_BANDWIDTH_TOTAL_PER_GPU",
]
MIN_SAMPLES = 0
MAX_SAMPLES = 1000
PARTIAL_SUCCESS = 207

MetricsQuery = namedtuple("MetricsQuery", ["types", "start", "end", "samples"])
MetricsResult = namedtuple("MetricsResult", ["series", "histograms", "partial_warnings"])


def check_metric_types(metrics, for_pod):
    """The requested metric types without repeats; any type the endpoint does not know is refused before a request."""
    if not metrics:
        raise RunaiInputError("metrics", "give at least one metric type.")
    allowed, other = (POD_METRIC_TYPES, WORKLOAD_METRIC_TYPES) if for_pod else (WORKLOAD_METRIC_TYPES, POD_METRIC_TYPES)
    for metric in metrics:
        if metric in allowed:
            continue
        if metric in other:
            hint = (
                "it is a workload metric type; pod metrics (with 'pod_id') are: %s." if for_pod
                else "it is a pod metric type: set 'pod_id' to read it for one pod. Workload metric types are: %s."
            )
        else:
            hint = "unknown metric type. %s metric types are: %%s." % ("Pod" if for_pod else "Workload")
        raise RunaiInputError("metrics", "'%s': %s" % (metric, hint % ", ".join(allowed)))
    return list(dict.fromkeys(metrics))


def check_samples(samples):
    if not MIN_SAMPLES <= samples <= MAX_SAMPLES:
        raise RunaiInputError(
            "samples", "%s is out of range; the API takes %d to %d samples." % (samples, MIN_SAMPLES, MAX_SAMPLES)
        )
    return samples


def metric_number(text):
    """A float from the API's string value; None when it is not a finite number (Prometheus sends "NaN")."""
    if text is None or isinstance(text, bool):
        return None
    try:
        number = float(text)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def summarize(points):
    """min/mean/max/last over the numeric values of a series, with ``count``; the numbers are None for no values."""
    numbers = [point["value"] for point in points if point["value"] is not None]
    if not numbers:
        return dict(min=None, mean=None, max=None, last=None, count=0)
    return dict(min=min(numbers), mean=sum(numbers) / len(numbers), max=max(numbers), last=numbers[-1],
                count=len(numbers))


def shape_series(metric_type, labels, raw_values, workload_id, pod_id):
    points = [
        dict(timestamp=raw.get("timestamp"), value=metric_number(raw.get("value")))
        for raw in raw_values or []
        if isinstance(raw, dict)
    ]
    return dict(workload_id=workload_id, pod_id=pod_id, type=metric_type, labels=labels or None, values=points,
                summary=summarize(points))


def shape_histograms(histograms, workload_id):
    shaped = []
    for histogram in histograms or []:
        buckets = [
            dict(timestamp=raw.get("timestamp"),
                 data=dict((key, metric_number(value)) for key, value in (raw.get("data") or {}).items()))
            for raw in histogram.get("values") or []
        ]
        shaped.append(dict(workload_id=workload_id, type=histogram.get("type"), values=buckets))
    return shaped


def shape_response(body, workload_id, pod_id, types):
    """The series of one answer, in its order, plus an empty series for every requested type it left out."""
    body = body or {}
    series = [
        shape_series(measurement.get("type"), measurement.get("labels"), measurement.get("values"), workload_id, pod_id)
        for measurement in body.get("measurements") or []
    ]
    answered = set(item["type"] for item in series)
    series.extend(shape_series(metric, None, [], workload_id, pod_id) for metric in types if metric not in answered)
    return series, shape_histograms(body.get("histogram"), workload_id)


def partial_warning(series, workload_id, pod_id, types):
    without_data = [metric for metric in types
                    if not any(item["values"] for item in series if item["type"] == metric)]
    subject = ("pod %s of workload %s" % (pod_id, workload_id)) if pod_id else ("workload %s" % workload_id)
    if without_data:
        missing = "no data for %s" % ", ".join(without_data)
    else:
        missing = "some of %s may be incomplete" % ", ".join(types)
    return "Run:ai returned partial metrics (207) for %s: %s." % (subject, missing)


def metrics_path(workload_id, pod_id=None):
    if pod_id:
        return "%s/%s/pods/%s/metrics" % (WORKLOADS_V1_PATH, workload_id, pod_id)
    return "%s/%s/metrics" % (WORKLOADS_V1_PATH, workload_id)


def fetch_one(client, workload_id, pod_id, query, id_option):
    params = dict(metricType=",".join(query.types), start=query.start, end=query.end, numberOfSamples=query.samples)
    try:
        status, body = client.get_with_status(metrics_path(workload_id, pod_id), params=params)
    except RunaiNotFoundError as error:
        if pod_id:
            what = "No pod %s in workload %s (404). Check 'pod_id' and '%s'." % (pod_id, workload_id, id_option)
        else:
            what = "No workload with id %s (404). Check '%s'." % (workload_id, id_option)
        raise RunaiNotFoundError(what, error.status, error.method, error.path, error.server_message)
    series, histograms = shape_response(body, workload_id, pod_id, query.types)
    warning = partial_warning(series, workload_id, pod_id, query.types) if status == PARTIAL_SUCCESS else None
    return series, histograms, warning


def fetch_metrics(client, workload_ids, query, pod_id=None, parallelism=1, id_option="workload_ids"):
    """Metrics of every workload (or of one pod), in the order of ``workload_ids``, at most ``parallelism`` at a time.

    The first failure stops the fetch: requests not yet started are cancelled and the error is raised.
    """
    if parallelism <= 1 or len(workload_ids) <= 1:
        answers = [fetch_one(client, workload_id, pod_id, query, id_option) for workload_id in workload_ids]
    else:
        # Imported here so that single-workload tasks do not pay for the thread pool machinery.
        from concurrent.futures import ThreadPoolExecutor

        pool = ThreadPoolExecutor(max_workers=min(parallelism, len(workload_ids)))
        try:
            futures = [pool.submit(fetch_one, client, workload_id, pod_id, query, id_option)
                       for workload_id in workload_ids]
            answers = [future.result() for future in futures]
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    series, histograms, warnings = [], [], []
    for answer_series, answer_histograms, warning in answers:
        series.extend(answer_series)
        histograms.extend(answer_histograms)
        if warning:
            warnings.append(warning)
    return MetricsResult(series, histograms, warnings)
