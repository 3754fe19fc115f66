# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Server-side filtering and sorting for the read modules: the API's filterBy grammar per endpoint, plain task options
translated into filterBy expressions, checks of raw expressions before anything is sent, the query of a listing, and
the fields a listing returns.

The field lists, operators and sort fields are those of the v1 API reference (the ``filterBy`` patterns and ``sortBy``
enums of the workloads and pods listings, and the properties of its ``Workload`` object).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from collections import namedtuple

from ansible_collections.runai.platform.plugins.module_utils.runai_api_level import read_api_level
from ansible_collections.runai.platform.plugins.module_utils.runai_args import WORKLOAD_PHASES
from ansible_collections.runai.platform.plugins.module_utils.runai_errors import RunaiInputError
from ansible_collections.runai.platform.plugins.module_utils.runai_lookup import filter_by
from ansible_collections.runai.platform.plugins.module_utils.runai_time import format_time, parse_time

FILTER_OPERATORS = ("==", "!=", "<=", ">=", "=@", "!@", "=^", "=$")
# The reference allows only these on dates (ISO 8601 values).
DATE_OPERATORS = ("==", "!=", "<=", ">=")
EXPRESSION = re.compile(r"^([A-Za-z]+)(==|!=|<=|>=|=@|!@|=\^|=\$)(.+)$", re.DOTALL)

FilterGrammar = namedtuple("FilterGrammar", ["fields", "date_fields"])

WORKLOAD_FILTERS = FilterGrammar(
    fields=(
        "type", "name", "clusterId", "projectId", "projectName", "departmentId", "departmentName", "createdAt",
        "deletedAt", "submittedBy", "phase", "completedAt", "nodepool", "distributedFramework", "allocatedGPU",
        "idleGpus", "idleAllocatedGpus", "phaseUpdatedAt", "category", "totalPendingTimeSeconds",
        "totalRunningTimeSeconds", "priority", "priorityClassName", "guaranteedRuntimeEndsAt", "aiApplicationId",
        "aiApplicationName",
    ),
    date_fields=("createdAt", "deletedAt", "completedAt", "phaseUpdatedAt", "guaranteedRuntimeEndsAt"),
)
POD_FILTERS = FilterGrammar(
    fields=("clusterId", "workloadId", "revisionId", "nodeName", "currentNodepool", "createdAt", "completedAt",
            "deletedAt"),
    date_fields=("createdAt", "completedAt", "deletedAt"),
)

WORKLOAD_SORT_FIELDS = [
    "type", "name", "clusterId", "projectId", "projectName", "departmentId", "departmentName", "createdAt",
    "deletedAt", "submittedBy", "phase", "completedAt", "nodepool", "distributedFramework", "allocatedGPU",
    "idleGpus", "idleAllocatedGpus", "phaseUpdatedAt", "category", "priority", "totalPendingTimeSeconds",
    "totalRunningTimeSeconds", "priorityClassName", "guaranteedRuntimeEndsAt", "aiApplicationId", "aiApplicationName",
]
POD_SORT_FIELDS = [
    "clusterId", "workloadId", "revisionId", "nodeName", "currentNodepool", "createdAt", "completedAt", "deletedAt",
]
SORT_ORDERS = ["asc", "desc"]

# The workloads telemetry endpoint: the WorkloadTelemetryType enum of 2.23 and 2.24 together (PENDING_TIME_DISTRIBUTION
# and the filterByPhases parameter are 2.24's), and its groupBy enum.
TELEMETRY_TYPES = ["WORKLOADS_COUNT", "GPU_ALLOCATION", "PENDING_TIME_DISTRIBUTION"]
TELEMETRY_GROUPS = ["ClusterId", "DepartmentId", "ProjectId", "Type", "CurrentNodepools", "Phase", "Category"]
MAX_TELEMETRY_GROUPS = 2

# The fields of the v1 Workload object, as a listing or a read by id returns it (the write-only childrenIds left out).
WORKLOAD_FIELDS = (
    "tenantId", "runningPods", "phaseUpdatedAt", "k8sPhaseUpdatedAt", "updatedAt", "source", "deletedAt", "type", "name",
    "id", "priority", "priorityClassName", "submittedBy", "clusterId", "projectName", "projectId", "departmentName",
    "departmentId", "namespace", "createdAt", "workloadRequestedResources", "podsRequestedResources",
    "allocatedResources", "actionsSupport", "phase", "conditions", "phaseMessage", "k8sPhase", "requestedPods",
    "requestedNodePools", "currentNodePools", "completedAt", "images", "urls", "datasources", "environments",
    "externalConnections", "distributedFramework", "additionalFields", "preemptible", "environmentVariables", "command",
    "arguments", "phaseReason", "idleGpus", "idleAllocatedGpus", "totalPendingTimeSeconds", "totalRunningTimeSeconds",
    "category", "guaranteedRuntimeEndsAt", "aiApplicationId", "aiApplicationName", "sourceApi",
)

UUID_PATTERN = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def check_uuid(option, value):
    """Refuse an identifier that is not a UUID before it is put in a URL."""
    if not UUID_PATTERN.match(str(value)):
        raise RunaiInputError(option, "'%s' is not a UUID (Run:ai ids look like 71f69d83-ba66-4822-adf5-55ce55efd210)."
                              % value)
    return str(value)


def expression(option, field, operator, value):
    """One filterBy expression from a task option's value.

    filterBy is one comma-separated query parameter, so a comma inside a value would split the expression in two.
    """
    text = str(value)
    if "," in text:
        raise RunaiInputError(option, "'%s' contains a comma, which the Run:ai filter syntax cannot carry." % text)
    return "%s%s%s" % (field, operator, text)


def check_expressions(option, expressions, grammar):
    """The raw filterBy expressions of ``option``, refused with a message naming the option unless the API accepts them."""
    checked = []
    for raw in expressions or []:
        text = str(raw).strip()
        parts = EXPRESSION.match(text)
        if not parts:
            raise RunaiInputError(
                option,
                "'%s' is not a filter expression: write <field><operator><value>, with an operator among %s."
                % (text, " ".join(FILTER_OPERATORS)),
            )
        field, operator, value = parts.groups()
        if field not in grammar.fields:
            raise RunaiInputError(
                option, "'%s' filters on unknown field '%s'; fields: %s." % (text, field, ", ".join(grammar.fields))
            )
        if field in grammar.date_fields and operator not in DATE_OPERATORS:
            raise RunaiInputError(
                option,
                "'%s': date field '%s' takes only %s." % (text, field, " ".join(DATE_OPERATORS)),
            )
        checked.append(expression(option, field, operator, value))
    return checked


def phase_expressions(phases):
    """Expressions that keep workloads in any of ``phases``.

    filterBy expressions are ANDed, so "one of several phases" is written as "none of the other phases".
    """
    wanted = list(dict.fromkeys(phases or []))
    if not wanted or set(wanted) == set(WORKLOAD_PHASES):
        return []
    if len(wanted) == 1:
        return [expression("phase", "phase", "==", wanted[0])]
    return [expression("phase", "phase", "!=", phase) for phase in WORKLOAD_PHASES if phase not in wanted]


def gpu_count_text(option, value):
    if value < 0:
        raise RunaiInputError(option, "%s is negative; give a number of GPUs of 0 or more." % value)
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def workload_filter_expressions(params, now):
    """The filterBy expressions for the plain filter options of runai_workload_info (``params`` = module params)."""
    expressions = []
    if params.get("name"):
        expressions.append(expression("name", "name", "==", params["name"]))
    if params.get("project"):
        expressions.append(expression("project", "projectName", "==", params["project"]))
    if params.get("cluster_id"):
        expressions.append(expression("cluster_id", "clusterId", "==", check_uuid("cluster_id", params["cluster_id"])))
    expressions.extend(phase_expressions(params.get("phase")))
    if params.get("name_prefix"):
        expressions.append(expression("name_prefix", "name", "=^", params["name_prefix"]))
    if params.get("submitted_by"):
        expressions.append(expression("submitted_by", "submittedBy", "==", params["submitted_by"]))
    for option, operator in (("created_after", ">="), ("created_before", "<=")):
        if params.get(option):
            moment = format_time(parse_time(option, params[option], now))
            expressions.append(expression(option, "createdAt", operator, moment))
    if params.get("min_gpus") is not None:
        expressions.append("allocatedGPU>=%s" % gpu_count_text("min_gpus", params["min_gpus"]))
    expressions.extend(check_expressions("filter_by", params.get("filter_by"), WORKLOAD_FILTERS))
    return expressions


def listing_query(expressions, search=None, deleted=False, sort_by=None, sort_order=None):
    """Query parameters of a listing or count request; only what was asked for is sent, so server defaults apply."""
    query = {}
    if expressions:
        query["filterBy"] = filter_by(*expressions)
    if search:
        query["search"] = search
    if deleted:
        query["deleted"] = "true"
    if sort_by:
        query["sortBy"] = sort_by
    if sort_order:
        query["sortOrder"] = sort_order
    return query


def single_workload(option, workloads, name):
    """The one workload a name lookup found, None for none; several (in different projects) need a narrower lookup."""
    if len(workloads) <= 1:
        return workloads[0] if workloads else None
    places = ", ".join(sorted(set("%s (cluster %s)" % (item.get("projectName"), item.get("clusterId"))
                                  for item in workloads)))
    raise RunaiInputError(
        option,
        "%d workloads are named '%s', in %s. Set 'project' (and 'cluster_id' when the project name exists in several "
        "clusters), or give the workload's id." % (len(workloads), name, places),
    )


def check_limit(limit):
    if limit is not None and limit < 1:
        raise RunaiInputError("limit", "%s is below 1; give the most items to return, or leave it unset for all." % limit)


def refuse_options(params, options, reason):
    """Fail on the first of ``options`` the task set (a true or non-empty value), saying why it does not apply."""
    for option in options:
        value = params.get(option)
        if not (value is None or value is False or value in ([], {}, "")):
            raise RunaiInputError(option, "cannot be used %s." % reason)


def field_paths(option, paths, known_fields):
    """The dotted field ``paths`` of ``option`` as a tree: {name: subtree}, None for a field taken whole.

    The first name of a path must be one of ``known_fields``. A field given whole takes in any path below it.
    """
    tree = {}
    for raw in paths or []:
        text = str(raw).strip()
        names = text.split(".")
        if not all(names):
            raise RunaiInputError(option, "'%s' is not a field path: give a field name, or names joined by dots "
                                          "(allocatedResources.gpu)." % text)
        if names[0] not in known_fields:
            raise RunaiInputError(option, "'%s' is not a field of the objects returned; fields: %s."
                                  % (names[0], ", ".join(known_fields)))
        node = tree
        for name in names[:-1]:
            if name in node and node[name] is None:
                break
            node = node.setdefault(name, {})
        else:
            node[names[-1]] = None
    return tree


def keep_fields(item, tree):
    """A copy of ``item`` with only the paths of ``tree`` (from field_paths), nested as they were. A path that the item
    does not have, or that runs into something other than an object, is left out."""
    kept = {}
    for name, below in tree.items():
        if name not in item:
            continue
        value = item[name]
        if below is None:
            kept[name] = value
        elif isinstance(value, dict):
            inner = keep_fields(value, below)
            if inner:
                kept[name] = inner
    return kept


def hide_fields(item, tree):
    """A copy of ``item`` without the paths of ``tree`` (from field_paths); ``item`` itself is left as it was."""
    shown = dict(item)
    for name, below in tree.items():
        if name not in shown:
            continue
        if below is None:
            del shown[name]
        elif isinstance(shown[name], dict):
            shown[name] = hide_fields(shown[name], below)
    return shown


def telemetry_query(client, telemetry, cluster_id=None):
    """The query of a workloads telemetry request from the ``telemetry`` suboptions; refused before the request when
    the API would refuse it, or would ignore ``phases``: a control plane without ``filterByPhases`` (2.23) would count
    every phase, so the level is asked when phases are given."""
    groups = telemetry.get("group_by") or []
    if len(groups) > MAX_TELEMETRY_GROUPS:
        raise RunaiInputError("telemetry.group_by", "the API groups by at most %d fields; %d given (%s)."
                              % (MAX_TELEMETRY_GROUPS, len(groups), ", ".join(groups)))
    query = {"telemetryType": telemetry["type"]}
    if groups:
        query["groupBy"] = ",".join(groups)
    if cluster_id:
        query["clusterId"] = check_uuid("cluster_id", cluster_id)
    if telemetry.get("nodepool"):
        query["nodepoolName"] = telemetry["nodepool"]
    if telemetry.get("department_id"):
        query["departmentId"] = telemetry["department_id"]
    phases = list(dict.fromkeys(telemetry.get("phases") or []))
    if phases:
        level = read_api_level(client)
        if not level.telemetry_phases:
            raise RunaiInputError(
                "telemetry.phases", "%s has no phase filter for telemetry (filterByPhases came with 2.24) and would "
                "count every phase. Leave 'phases' out, or group by Phase instead." % level.describe())
        query["filterByPhases"] = ",".join(phases)
    return query
