# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The read of runai_metrics_info: its options checked before any request, the metrics of one workload, one pod or
many workloads fetched, and what could not be read turned into warnings of a partial result."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runai.platform.plugins.module_utils.metrics.series import (
    MetricsQuery,
    check_metric_types,
    check_samples,
    fetch_metrics,
)
from ansible_collections.runai.platform.plugins.module_utils.module.options import check_at_least, check_uuid
from ansible_collections.runai.platform.plugins.module_utils.values.time import resolve_time_range


def read_metrics(module, client):
    """The result of runai_metrics_info for the task's options (``module.params``); its warnings go to ``module``."""
    params = module.params
    check_at_least("parallelism", params["parallelism"], 1, "Give how many workloads to fetch at a time.")
    pod_id = params["pod_id"] and check_uuid("pod_id", params["pod_id"])
    types = check_metric_types(params["metrics"], for_pod=bool(pod_id))
    samples = check_samples(params["samples"])
    start, end = resolve_time_range(params["start"], params["end"])
    if params["workload_ids"] is None:
        id_option, given_ids = "workload_id", [params["workload_id"]]
    else:
        id_option, given_ids = "workload_ids", params["workload_ids"]
    workload_ids = list(dict.fromkeys(check_uuid(id_option, workload_id) for workload_id in given_ids))
    fetched = fetch_metrics(client, workload_ids, MetricsQuery(types, start, end, samples), pod_id=pod_id,
                            parallelism=params["parallelism"], id_option=id_option)
    for warning in fetched.partial_warnings:
        module.warn(warning)
    return dict(series=fetched.series, histograms=fetched.histograms, partial=bool(fetched.partial_warnings),
                start=start, end=end)
