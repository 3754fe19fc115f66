# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the workload report reads from the Run:ai API, through the collection's client: the selected workloads
(one listing per project), the pods and the GPU metrics of each of them (per workload, a few workloads at a time),
and the cluster-wide telemetry."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from ansible_collections.runai.platform.plugins.module_utils.api.errors import RunaiNotFoundError
from ansible_collections.runai.platform.plugins.module_utils.metrics.series import (
    MetricsQuery,
    check_samples,
    fetch_one,
)
from ansible_collections.runai.platform.plugins.module_utils.values.fields import (
    WORKLOAD_FIELDS,
    field_paths,
    keep_fields,
)
from ansible_collections.runai.platform.plugins.module_utils.values.filters import (
    listing_query,
    workload_filter_expressions,
)
from ansible_collections.runai.platform.plugins.module_utils.values.time import resolve_time_range, utc_now
from ansible_collections.runai.platform.plugins.module_utils.workloads.find import WORKLOADS_V1_PATH

METRICS = ["GPU_UTILIZATION", "GPU_MEMORY_USAGE_BYTES"]
# The two groupings the report shows: GPUs allocated by project, workloads by phase.
TELEMETRY = (("GPU_ALLOCATION", "ProjectId"), ("WORKLOADS_COUNT", "Phase"))


def list_workloads(client, options: dict, end: str) -> list:
    """The selected workloads, newest first, one listing per project (or one for all), each trimmed to the fields the
    report keeps."""
    kept = field_paths("workload_fields", options["workload_fields"], WORKLOAD_FIELDS) if options[
        "workload_fields"] else None
    workloads = []
    for project in list(dict.fromkeys(options["projects"])) or [None]:
        expressions = workload_filter_expressions(
            {"project": project, "phase": options["phases"], "name_prefix": options["name_prefix"],
             "created_before": end}, None)
        query = listing_query(expressions, sort_by="createdAt", sort_order="desc")
        listed = client.paginate(WORKLOADS_V1_PATH, "workloads", params=query, limit=options["limit"])
        workloads.extend(keep_fields(workload, kept) if kept else workload for workload in listed)
    return workloads


def workload_pods(client, workload_id: str, limit: int) -> list:
    try:
        return client.paginate("%s/%s/pods" % (WORKLOADS_V1_PATH, workload_id), "pods", limit=limit)
    except RunaiNotFoundError:
        # deleted since it was listed (a cleanup running beside the report): its metrics stay readable, its pods not
        return []


def per_workload(client, workload_ids: list, query: MetricsQuery, options: dict):
    """(pods, series, partial warnings) of the workloads, in their order; pods and metrics of
    ``options['parallelism']`` workloads are read at a time, and the first failure stops the reads."""
    def read(workload_id):
        series, _histograms, warning = fetch_one(client, workload_id, None, query, "workload_ids")
        pods = workload_pods(client, workload_id, options["pod_limit"]) if options["pods"] else []
        return pods, series, warning

    with ThreadPoolExecutor(max_workers=max(1, min(options["parallelism"], len(workload_ids) or 1))) as pool:
        answers = list(pool.map(read, workload_ids))
    pods = [pod for answer in answers for pod in answer[0]]
    series = [item for answer in answers for item in answer[1]]
    return pods, series, [answer[2] for answer in answers if answer[2]]


def telemetry(client) -> list:
    return [
        client.get(WORKLOADS_V1_PATH + "/telemetry", params={"telemetryType": kind, "groupBy": group})
        for kind, group in TELEMETRY
    ]


def gather(client, options: dict, warn) -> dict:
    """Everything the report is computed from, as report.json keeps it (before the figures)."""
    start, end = resolve_time_range(options["start"], options["end"], utc_now())
    samples = check_samples(options["samples"])
    workloads = list_workloads(client, options, end)
    ids = list(dict.fromkeys(workload["id"] for workload in workloads if workload.get("id")))
    pods, series, partial = per_workload(client, ids, MetricsQuery(METRICS, start, end, samples), options)
    for message in partial:
        warn(message)
    return {
        "selection": {key: options[key] for key in ("projects", "name_prefix", "phases", "start", "end")},
        "window": {"start": start, "end": end},
        "workloads": workloads,
        "pods": pods,
        "series": series,
        "metrics_partial": bool(partial),
        "telemetry": telemetry(client) if options["telemetry"] else [],
    }
