# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The reads of runai_pod_info: the pods (or their count) of one workload, given by id or name, of an inference
revision, or across clusters and node pools, from the listing that takes the options asked for.

A workload's own pod listing is used when nothing but it is asked, the cluster-wide listing filtered on the workload
otherwise; options that do not apply are refused before any request is sent.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runai.platform.plugins.module_utils.api.errors import RunaiNotFoundError
from ansible_collections.runai.platform.plugins.module_utils.module.options import (
    check_limit,
    check_uuid,
    refuse_options,
)
from ansible_collections.runai.platform.plugins.module_utils.projects import check_project_visible
from ansible_collections.runai.platform.plugins.module_utils.values.filters import (
    POD_FILTERS,
    check_expressions,
    expression,
    listing_query,
)
from ansible_collections.runai.platform.plugins.module_utils.workloads.find import (
    WORKLOADS_V1_PATH,
    find_workloads_by_name,
    single_workload,
)

PODS_PATH = WORKLOADS_V1_PATH + "/pods"
PODS_COUNT_PATH = PODS_PATH + "/count"
# Besides filters, what only the cluster-wide pod listing understands; the per-workload listing takes deleted, search
# and paging.
CLUSTER_LISTING_ONLY = ["sort_by", "sort_order", "verbosity", "completed"]
FILTER_OPTIONS = ["cluster_id", "node_name", "nodepool", "filter_by"]


def revision_pods(client, params):
    refuse_options(params, FILTER_OPTIONS + CLUSTER_LISTING_ONLY + ["search", "count"],
                   "with 'revision_id': the API lists a revision's pods without filters, sorting or counting")
    path = "%s/inferences/revisions/%s/pods" % (WORKLOADS_V1_PATH, check_uuid("revision_id", params["revision_id"]))
    pods = (client.get(path, params=listing_query([], deleted=params["deleted"])) or {}).get("pods") or []
    return dict(pods=pods[:params["limit"]] if params["limit"] else pods)


def workload_of(client, params):
    """The workload id the task is about: given, resolved from the name (None when no workload has it), or None."""
    if params["workload_id"]:
        return check_uuid("workload_id", params["workload_id"])
    matches = find_workloads_by_name(client, params["workload_name"], project_name=params["project"],
                                     cluster_id=params["cluster_id"] and check_uuid("cluster_id", params["cluster_id"]))
    workload = single_workload("workload_name", matches, params["workload_name"])
    if workload is None and params["project"]:
        # No such workload in a misspelt project must fail, not pass for a workload that is not there yet.
        check_project_visible(client, params["project"], params["cluster_id"])
    return workload["id"] if workload else None


def pod_filter_expressions(params):
    """The filters besides the workload itself; checked before any request is sent."""
    expressions = []
    if params["cluster_id"] and not params["workload_name"]:
        expressions.append(expression("cluster_id", "clusterId", "==", check_uuid("cluster_id", params["cluster_id"])))
    if params["node_name"]:
        expressions.append(expression("node_name", "nodeName", "==", params["node_name"]))
    if params["nodepool"]:
        expressions.append(expression("nodepool", "currentNodepool", "==", params["nodepool"]))
    expressions.extend(check_expressions("filter_by", params["filter_by"], POD_FILTERS))
    return expressions


def workload_pods(client, workload_id, params):
    try:
        return client.paginate("%s/%s/pods" % (WORKLOADS_V1_PATH, workload_id), "pods",
                               params=listing_query([], search=params["search"], deleted=params["deleted"]),
                               limit=params["limit"])
    except RunaiNotFoundError as error:
        raise RunaiNotFoundError("No workload with id %s (404). Check 'workload_id'." % workload_id,
                                 error.status, error.method, error.path, error.server_message)


def read_pods(module, client):
    """The result of runai_pod_info for the task's options (``module.params``)."""
    params = module.params
    check_limit(params["limit"])
    if params["revision_id"]:
        return revision_pods(client, params)
    if params["count"]:
        refuse_options(params, ["sort_by", "sort_order", "limit", "verbosity", "completed"],
                       "with 'count': the pod count endpoint neither sorts, pages nor filters on completion")
    filters = pod_filter_expressions(params)
    about_workload = bool(params["workload_id"] or params["workload_name"])
    workload_id = workload_of(client, params) if about_workload else None
    result = dict(workload_id=workload_id) if about_workload else {}
    if about_workload and workload_id is None:
        result.update(dict(count=0) if params["count"] else dict(pods=[]))
        return result
    if workload_id:
        expressions = [expression("workload_id", "workloadId", "==", workload_id)] + filters
    else:
        expressions = filters
    if params["count"]:
        query = listing_query(expressions, search=params["search"], deleted=params["deleted"])
        result["count"] = int((client.get(PODS_COUNT_PATH, params=query) or {}).get("count", 0))
        return result
    if workload_id and not filters and not any(params[name] for name in CLUSTER_LISTING_ONLY):
        result["pods"] = workload_pods(client, workload_id, params)
        return result
    query = listing_query(expressions, search=params["search"], deleted=params["deleted"],
                          sort_by=params["sort_by"], sort_order=params["sort_order"])
    if params["verbosity"]:
        query["verbosity"] = params["verbosity"]
    if params["completed"]:
        query["completed"] = params["completed"]
    result["pods"] = client.paginate(PODS_PATH, "pods", params=query, limit=params["limit"])
    return result
