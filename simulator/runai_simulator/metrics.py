# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Synthetic metrics and telemetry: plausible, deterministic (every value is a function of the workload or pod id,
the metric type and the sample time), and present only while the workload runs.

Partial success (207): a metric type that does not apply is left out and the answer is 207 - NIM_* metrics for
workloads that do not serve inference, and the advanced per-GPU pod metrics unless the simulator runs with
--advanced-gpu-metrics (the reference's "Advanced GPU Metrics" setting).
"""

import hashlib
import math
from collections import Counter, defaultdict

from runai_simulator.clock import iso, millis

GIB = 2 ** 30
GPU_MEMORY_BYTES = 80 * GIB
DEFAULT_STEP_SECONDS = 15.0
PERCENTILES = ("p50", "p90", "p99")
BASIC_POD_METRICS = frozenset((
    "GPU_UTILIZATION_PER_GPU", "GPU_UTILIZATION", "GPU_MEMORY_USAGE_BYTES_PER_GPU", "GPU_MEMORY_USAGE_BYTES",
    "CPU_USAGE_CORES", "CPU_MEMORY_USAGE_BYTES"))
_WHOLE_NUMBER_METRICS = ("_BYTES", "POD_COUNT", "NIM_NUM_", "_TOTAL")


def _unit(*parts):
    """A number in [0, 1) fixed by `parts`."""
    digest = hashlib.blake2b("|".join(str(part) for part in parts).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2 ** 64


def _wave(key, moment):
    """A slow oscillation in [-1, 1] whose period and phase are fixed by `key`."""
    period = 300 + 900 * _unit(key, "period")
    return math.sin(2 * math.pi * (moment / period + _unit(key, "phase")))


def _utilisation(key, moment):
    base = 35 + 50 * _unit(key, "base")
    noisy = base + 10 * _wave(key, moment) + 8 * (_unit(key, round(moment, 3)) - 0.5)
    return min(100.0, max(0.0, noisy))


def sample_times(start, end, count):
    if count == 0:
        count = min(1000, int((end - start) / DEFAULT_STEP_SECONDS) + 1)
    if count == 1 or end == start:
        return [end]
    step = (end - start) / (count - 1)
    return [start + index * step for index in range(count)]


def _format(metric, value):
    if any(marker in metric for marker in _WHOLE_NUMBER_METRICS):
        return str(int(round(value)))
    return repr(round(value, 4))


def _running_moments(timeline, start, end, samples, now):
    """The sample times in [start, end] at which the workload ran, up to now (no metrics from the future, none
    while it was suspended)."""
    intervals = timeline.running_intervals()
    if not intervals:
        return []
    spans = []
    for begin, finish in intervals:
        stop = now if finish is None else min(finish, now)
        spans.append((millis(begin) / 1000, stop))  # clients see the start at millisecond precision
    return [moment for moment in sample_times(start, end, samples)
            if any(begin <= moment <= stop for begin, stop in spans)]


def _workload_value(workload, metric, moment):
    facts, key = workload.facts, (workload.id, metric)
    if facts.gpu_utilization is not None:
        gpu_utilisation = facts.gpu_utilization
    else:
        gpu_utilisation = _utilisation((workload.id, "GPU_UTILIZATION"), moment) if facts.gpu else 0.0
    timeline = workload.timeline
    running_for = timeline.running_seconds(moment) if timeline.suspensions else moment - timeline.running_at
    rate = 2 + 20 * _unit(workload.id, "request-rate")
    values = {
        "GPU_UTILIZATION": lambda: gpu_utilisation,
        "GPU_MEMORY_USAGE_BYTES": lambda: facts.gpu * GPU_MEMORY_BYTES * (0.15 + 0.75 * gpu_utilisation / 100),
        "GPU_MEMORY_REQUEST_BYTES": lambda: facts.gpu * GPU_MEMORY_BYTES,
        "CPU_USAGE_CORES": lambda: max(facts.cpu_request, 0.5 * facts.pod_count) * _utilisation(key, moment) / 100,
        "CPU_REQUEST_CORES": lambda: facts.cpu_request,
        "CPU_LIMIT_CORES": lambda: facts.cpu_limit,
        "CPU_MEMORY_USAGE_BYTES": lambda: (facts.memory_request or 2 * GIB * facts.pod_count) * (
            0.3 + 0.6 * _unit(key, round(moment, 3))),
        "CPU_MEMORY_REQUEST_BYTES": lambda: facts.memory_request,
        "CPU_MEMORY_LIMIT_BYTES": lambda: facts.memory_limit,
        "POD_COUNT": lambda: facts.pod_count,
        "RUNNING_POD_COUNT": lambda: facts.pod_count,
        "GPU_ALLOCATION": lambda: facts.gpu,
        "NVLINK_BANDWIDTH_TOTAL": lambda: (facts.gpu > 1) * 5e10 * gpu_utilisation / 100,
        "NIM_NUM_REQUESTS_RUNNING": lambda: 32 * _utilisation(key, moment) / 100,
        "NIM_NUM_REQUESTS_WAITING": lambda: 8 * _unit(key, round(moment, 3)) ** 3,
        "NIM_NUM_REQUEST_MAX": lambda: 64,
        "NIM_REQUEST_SUCCESS_TOTAL": lambda: rate * running_for,
        "NIM_REQUEST_FAILURE_TOTAL": lambda: rate * running_for / 500,
        "NIM_GPU_CACHE_USAGE_PERC": lambda: gpu_utilisation / 100,
        "NIM_TIME_TO_FIRST_TOKEN_SECONDS": lambda: 0.05 + 0.4 * _unit(key, round(moment, 3)),
        "NIM_E2E_REQUEST_LATENCY_SECONDS": lambda: 0.5 + 4 * _unit(key, round(moment, 3)),
    }
    values["DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL"] = values["NVLINK_BANDWIDTH_TOTAL"]  # its name up to 2.23
    return values[metric]()


def _applies_to_workload(workload, metric):
    return not metric.startswith("NIM_") or workload.facts.kind.serves_inference


def workload_metrics(workload, metric_types, start, end, samples, now):
    """(status, MetricsCompositeResponse) for GET /api/v1/workloads/{id}/metrics."""
    moments = _running_moments(workload.timeline, start, end, samples, now)
    measurements, histograms, left_out = [], [], False
    for metric in dict.fromkeys(metric_types):
        if not _applies_to_workload(workload, metric):
            left_out = True
        elif metric.endswith("_PERCENTILES"):
            base = metric[:-len("_PERCENTILES")]
            histograms.append({"type": metric, "values": [{
                "timestamp": iso(moment),
                "data": {name: _format(base, _workload_value(workload, base, moment) * factor)
                         for name, factor in zip(PERCENTILES, (1.0, 1.6, 2.4))},
            } for moment in moments]})
        else:
            measurements.append({"type": metric, "values": [
                {"value": _format(metric, _workload_value(workload, metric, moment)), "timestamp": iso(moment)}
                for moment in moments]})
    body = {"measurements": measurements}
    if histograms:
        body["histogram"] = histograms
    return (207 if left_out else 200), body


def _pod_value(pod_id, gpu_share, memory_request, cpu_request, metric, gpu_index, moment, pinned=None):
    key = (pod_id, metric, gpu_index)
    if pinned is not None:
        utilisation = pinned
    else:
        utilisation = _utilisation((pod_id, "GPU", gpu_index), moment) if gpu_share else 0.0
    if metric in ("GPU_UTILIZATION", "GPU_UTILIZATION_PER_GPU"):
        return utilisation
    if metric == "GPU_MEMORY_USAGE_BYTES":
        return gpu_share * GPU_MEMORY_BYTES * (0.15 + 0.75 * utilisation / 100)
    if metric == "GPU_MEMORY_USAGE_BYTES_PER_GPU":
        return min(1.0, gpu_share) * GPU_MEMORY_BYTES * (0.15 + 0.75 * utilisation / 100)
    if metric == "CPU_USAGE_CORES":
        return max(cpu_request, 0.5) * _utilisation(key, moment) / 100
    if metric == "CPU_MEMORY_USAGE_BYTES":
        return (memory_request or 2 * GIB) * (0.3 + 0.6 * _unit(key, round(moment, 3)))
    if metric == "GPU_SWAP_MEMORY_BYTES_PER_GPU":
        return 0
    if "BANDWIDTH" in metric and "UTILIZATION" not in metric:
        return 2e10 * utilisation / 100 * _unit(key, "scale")
    return min(1.0, utilisation / 100 * (0.5 + 0.5 * _unit(key, "scale")))


def pod_metrics(pod, metric_types, start, end, samples, advanced_gpu_metrics, now):
    """(status, MetricsResponse) for GET /api/v1/workloads/{workloadId}/pods/{podId}/metrics."""
    group = pod.slot.group
    moments = _running_moments(pod.workload.timeline, start, end, samples, now)
    node = pod.node_name or ""
    measurements, left_out = [], False
    for metric in dict.fromkeys(metric_types):
        if metric not in BASIC_POD_METRICS and not advanced_gpu_metrics:
            left_out = True
            continue
        if metric.endswith("_PER_GPU"):
            series = [(str(index), index) for index in range(math.ceil(group.gpu))]
        else:
            series = [(None, None)]
        for label, gpu_index in series:
            measurement = {"type": metric, "values": [{
                "value": _format(metric, _pod_value(pod.id, group.gpu, group.memory_request, group.cpu_request,
                                                    metric, gpu_index, moment, pod.workload.facts.gpu_utilization)),
                "timestamp": iso(moment)} for moment in moments]}
            if label is not None:
                measurement["labels"] = {"gpu": label, "node": node, "pod": pod.slot.name}
            measurements.append(measurement)
    return (207 if left_out else 200), {"measurements": measurements}


def metrics_csv(body):
    rows = ["type,labels,timestamp,value"]
    for measurement in body["measurements"]:
        labels = ";".join("%s=%s" % item for item in sorted((measurement.get("labels") or {}).items()))
        rows.extend("%s,%s,%s,%s" % (measurement["type"], labels, value["timestamp"], value["value"])
                    for value in measurement["values"])
    return "\n".join(rows) + "\n"


_GROUPS = {
    "ClusterId": lambda w, now: (w.project.cluster.id, w.project.cluster.name),
    "DepartmentId": lambda w, now: (w.project.department.id, w.project.department.name),
    "ProjectId": lambda w, now: (w.project.id, w.project.name),
    "Type": lambda w, now: (w.facts.kind.name, w.facts.kind.name),
    "CurrentNodepools": lambda w, now: ((w.project.cluster.node_pool,) * 2 if w.timeline.running_at is not None
                                        and now >= w.timeline.running_at else ("", "")),
    "Phase": lambda w, now: (w.phase(now), w.phase(now)),
    "Category": lambda w, now: (w.category, w.category),
}


# PENDING_TIME_DISTRIBUTION's "4 time buckets" (2.24 reference): their bounds are not published; these are ours.
PENDING_BUCKETS = ((300, "0-5m"), (3600, "5m-1h"), (6 * 3600, "1h-6h"), (float("inf"), "6h+"))


def _pending_bucket(workload, now):
    waited = now - workload.timeline.phase_at(now)[1]
    label = next(label for bound, label in PENDING_BUCKETS if waited < bound)
    return "PendingTime", label, label


def telemetry(workloads, telemetry_type, group_by, now):
    """TelemetryResponse: WORKLOADS_COUNT counts workloads, GPU_ALLOCATION adds up their allocated GPUs,
    PENDING_TIME_DISTRIBUTION counts the pending ones by how long they have been pending."""
    distribution = telemetry_type == "PENDING_TIME_DISTRIBUTION"
    totals = Counter() if telemetry_type != "GPU_ALLOCATION" else defaultdict(float)
    names = {}
    if distribution:
        workloads = [workload for workload in workloads if workload.phase(now) == "Pending"]
    for workload in workloads:
        groups = tuple((key,) + _GROUPS[key](workload, now) for key in group_by)
        if distribution:
            groups = (_pending_bucket(workload, now),) + groups
        for key, value, name in groups:
            names[(key, value)] = name
        totals[groups] += workload.allocated_gpu(now) if telemetry_type == "GPU_ALLOCATION" else 1
    if not group_by and not totals:
        totals[()] = 0
    values = []
    for groups in sorted(totals):
        entry = {"value": _format("GPU" if telemetry_type == "GPU_ALLOCATION" else "POD_COUNT", totals[groups])}
        if groups:
            entry["groups"] = [{"key": key, "value": value, "name": names[(key, value)]} for key, value, _name in groups]
        values.append(entry)
    return {"type": telemetry_type, "timestamp": iso(now), "values": values}


def telemetry_csv(body):
    rows = ["groups,value"]
    for entry in body["values"]:
        groups = ";".join("%s=%s" % (group["key"], group["value"]) for group in entry.get("groups", ()))
        rows.append("%s,%s" % (groups, entry["value"]))
    return "\n".join(rows) + "\n"
