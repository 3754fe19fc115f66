# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fields a listing returns: the properties of the v1 ``Workload`` object, and the dotted field paths a task keeps or
hides of each item.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runai.platform.plugins.module_utils.api.errors import RunaiInputError


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
