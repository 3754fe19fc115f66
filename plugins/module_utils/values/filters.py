# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The API's filterBy grammar per endpoint: plain task options translated into filterBy expressions, checks of raw
expressions before anything is sent, the sort fields, and the query of a listing.

The field lists, operators and sort fields are those of the v1 API reference (the ``filterBy`` patterns and ``sortBy``
enums of the workloads and pods listings).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from collections import namedtuple

from ansible_collections.runai.platform.plugins.module_utils.api.errors import RunaiInputError
from ansible_collections.runai.platform.plugins.module_utils.module.options import WORKLOAD_PHASES, check_uuid
from ansible_collections.runai.platform.plugins.module_utils.values.time import format_time, parse_time


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


def filter_by(*expressions):
    """The API's filterBy value: expressions joined by commas (one query parameter, as the SDK sends it)."""
    return ",".join(expression for expression in expressions if expression)
