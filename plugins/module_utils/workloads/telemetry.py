# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The workloads telemetry endpoint: its types and groups, and the query of a request, refused before it is sent when
the control plane would refuse or ignore it."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runai.platform.plugins.module_utils.api.errors import RunaiInputError
from ansible_collections.runai.platform.plugins.module_utils.api.level import read_api_level
from ansible_collections.runai.platform.plugins.module_utils.module.options import check_uuid


# The workloads telemetry endpoint: the WorkloadTelemetryType enum of 2.23 and 2.24 together (PENDING_TIME_DISTRIBUTION
# and the filterByPhases parameter are 2.24's), and its groupBy enum.
TELEMETRY_TYPES = ["WORKLOADS_COUNT", "GPU_ALLOCATION", "PENDING_TIME_DISTRIBUTION"]
TELEMETRY_GROUPS = ["ClusterId", "DepartmentId", "ProjectId", "Type", "CurrentNodepools", "Phase", "Category"]
MAX_TELEMETRY_GROUPS = 2


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
