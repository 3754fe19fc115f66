# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The reads of runai_workload_info: one workload by id, a filtered listing (or one workload by name), the count of a
listing, or the workloads telemetry; each returned workload trimmed to the fields asked for and, when asked, given its
events and phase history.

Options that do not apply to the read chosen are refused before any request is sent.
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
from ansible_collections.runai.platform.plugins.module_utils.values.fields import (
    WORKLOAD_FIELDS,
    field_paths,
    hide_fields,
    keep_fields,
)
from ansible_collections.runai.platform.plugins.module_utils.values.filters import (
    listing_query,
    workload_filter_expressions,
)
from ansible_collections.runai.platform.plugins.module_utils.values.time import utc_now
from ansible_collections.runai.platform.plugins.module_utils.workloads.events import add_timelines
from ansible_collections.runai.platform.plugins.module_utils.workloads.find import WORKLOADS_V1_PATH, single_workload
from ansible_collections.runai.platform.plugins.module_utils.workloads.telemetry import telemetry_query

TELEMETRY_PATH = WORKLOADS_V1_PATH + "/telemetry"
COUNT_PATH = WORKLOADS_V1_PATH + "/count"

FILTER_OPTIONS = ["name", "project", "phase", "name_prefix", "submitted_by", "created_after", "created_before",
                  "min_gpus", "filter_by", "search", "deleted"]
LISTING_OPTIONS = ["sort_by", "sort_order", "limit"]
SHAPE_OPTIONS = ["fields", "hidden_fields"]
TIMELINE_OPTIONS = ["events", "history"]


def batch_item(workload):
    """A listed workload as an item of runai_workload's ``workloads``: by project name and cluster, which pin a project
    even where its name exists in several clusters, and keep the names in runai_workload's results."""
    return dict(name=workload.get("name"), project=workload.get("projectName"), cluster_id=workload.get("clusterId"))


def with_batch_items(result):
    """``result`` with RV(batch_items), taken from its workloads before they are trimmed to the fields asked for."""
    result["batch_items"] = [batch_item(workload) for workload in result["workloads"]]
    return result


def read_by_id(client, workload_id):
    try:
        workload = client.get("%s/%s" % (WORKLOADS_V1_PATH, workload_id))
    except RunaiNotFoundError as error:
        raise RunaiNotFoundError(
            "No workload with id %s (404). Check 'id', or look the workload up by 'name' and 'project'." % workload_id,
            error.status, error.method, error.path, error.server_message,
        )
    return dict(workload=workload, workloads=[workload])


def read_telemetry(client, params):
    query = telemetry_query(client, params["telemetry"], params["cluster_id"])
    return dict(telemetry=client.get(TELEMETRY_PATH, params=query))


def workload_shaper(params):
    """The function that trims each returned workload to O(fields) or O(hidden_fields); None when neither is set."""
    if params["fields"]:
        kept = field_paths("fields", params["fields"], WORKLOAD_FIELDS)
        return lambda workload: keep_fields(workload, kept)
    if params["hidden_fields"]:
        hidden = field_paths("hidden_fields", params["hidden_fields"], WORKLOAD_FIELDS)
        return lambda workload: hide_fields(workload, hidden)
    return None


def shaped(result, shaper):
    """``result`` with its workloads trimmed by ``shaper``. RV(workload), when there is one, is the only item of
    RV(workloads), and stays it."""
    if shaper is None:
        return result
    result["workloads"] = [shaper(workload) for workload in result["workloads"]]
    if result.get("workload") is not None:
        result["workload"] = result["workloads"][0]
    return result


def check_named_project(client, params):
    """An empty answer filtered by a misspelt project must fail, as runai_workload does, not pass for an idle
    project; only then is the project looked up, so a listing that finds workloads costs no extra request."""
    if params["project"]:
        check_project_visible(client, params["project"], params["cluster_id"])


def read_workloads(module, client):
    """The result of runai_workload_info for the task's options (``module.params``)."""
    params = module.params
    check_limit(params["limit"])
    if params["id"]:
        refuse_options(params, FILTER_OPTIONS + LISTING_OPTIONS + ["cluster_id", "count", "telemetry"],
                       "with 'id', which reads one workload")
        shaper = workload_shaper(params)
        found = with_batch_items(read_by_id(client, check_uuid("id", params["id"])))
        return add_timelines(client, shaped(found, shaper), list(found["workloads"]), params["events"],
                             params["history"])
    if params["telemetry"]:
        refuse_options(params, FILTER_OPTIONS + LISTING_OPTIONS + SHAPE_OPTIONS + TIMELINE_OPTIONS + ["count"],
                       "with 'telemetry'; telemetry is filtered by 'cluster_id' and its own suboptions only")
        return read_telemetry(client, params)
    expressions = workload_filter_expressions(params, utc_now())
    if params["count"]:
        refuse_options(params, LISTING_OPTIONS + SHAPE_OPTIONS + TIMELINE_OPTIONS,
                       "with 'count': the count endpoint neither sorts nor pages, and returns no workloads")
        query = listing_query(expressions, search=params["search"], deleted=params["deleted"])
        count = int((client.get(COUNT_PATH, params=query) or {}).get("count", 0))
        if not count:
            check_named_project(client, params)
        return dict(count=count)
    shaper = workload_shaper(params)
    query = listing_query(expressions, search=params["search"], deleted=params["deleted"],
                          sort_by=params["sort_by"], sort_order=params["sort_order"])
    workloads = client.paginate(WORKLOADS_V1_PATH, "workloads", params=query, limit=params["limit"])
    if not workloads:
        check_named_project(client, params)
    result = with_batch_items(dict(workloads=workloads))
    if params["name"]:
        result["workload"] = single_workload("name", workloads, params["name"])
    return add_timelines(client, shaped(result, shaper), workloads, params["events"], params["history"])
