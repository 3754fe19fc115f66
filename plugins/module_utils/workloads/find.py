# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Finding workloads with server-side filters: their API paths, a workload by name or project, and the listing that
may hold the workloads of a batch.

Nothing here lists everything and scans: every lookup is one filtered request (or one filtered listing for a batch).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os.path
from datetime import datetime, timedelta, timezone

from ansible_collections.runai.platform.plugins.module_utils.api.errors import RunaiInputError
from ansible_collections.runai.platform.plugins.module_utils.values.filters import filter_by
from ansible_collections.runai.platform.plugins.module_utils.values.time import format_time


WORKLOADS_V1_PATH = "/api/v1/workloads"
WORKLOADS_V2_PATH = "/api/v2/workloads"
# v1 and v2 stamp a workload's createdAt in different services; a lower bound this much earlier still holds if their
# clocks or roundings disagree a little, and only adds the project's workloads of that last minute to the listing.
CREATED_AT_SLACK = timedelta(seconds=60)


def project_filters(project_name=None, project_id=None, cluster_id=None):
    """filterBy expressions that pin a workload listing to one project."""
    return [
        ("projectId==%s" % project_id) if project_id else None,
        ("projectName==%s" % project_name) if project_name and not project_id else None,
        ("clusterId==%s" % cluster_id) if cluster_id else None,
    ]


def find_workloads_by_name(client, name, project_name=None, project_id=None, cluster_id=None):
    """The live workloads called ``name`` in the project (normally zero or one; several only across clusters)."""
    params = {"filterBy": filter_by("name==%s" % name, *project_filters(project_name, project_id, cluster_id))}
    workloads = (client.get(WORKLOADS_V1_PATH, params=params) or {}).get("workloads") or []
    return [workload for workload in workloads if workload.get("name") == name]


def list_project_workloads(client, project_name=None, project_id=None, cluster_id=None):
    """Every live workload of one project, by name, from one filtered listing (paged when large)."""
    params = {"filterBy": filter_by(*project_filters(project_name, project_id, cluster_id))}
    workloads = client.paginate(WORKLOADS_V1_PATH, "workloads", params=params)
    return dict((workload.get("name"), workload) for workload in workloads)


def list_workloads_among(client, names, creation_times, project_name=None, project_id=None, cluster_id=None):
    """The live workloads of one project that may be among ``names``: one filtered listing (paged when large).

    filterBy expressions are ANDed and cannot say "one of these names", and the API has no id filter, so the listing
    is narrowed by what every wanted workload shares, which keeps it exact: their name (``==`` for one, the names'
    common prefix with ``=^`` for several) and, when every creation time (``createdAt`` as the API gives it) is known,
    no earlier creation than the first of them. The caller picks its workloads from the answer by id.
    """
    names = sorted(set(names))
    if len(names) == 1:
        by_name = "name==%s" % names[0]
    else:
        prefix = os.path.commonprefix(names)
        by_name = ("name=^%s" % prefix) if prefix else None
    since = _earliest(creation_times)
    by_creation = ("createdAt>=%s" % format_time(since - CREATED_AT_SLACK)) if since is not None else None
    params = {"filterBy": filter_by(by_name, by_creation, *project_filters(project_name, project_id, cluster_id))}
    return client.paginate(WORKLOADS_V1_PATH, "workloads", params=params)


def _earliest(creation_times):
    """The earliest of ISO 8601 ``creation_times``, to the whole second below; None if any is missing or unreadable."""
    moments = []
    for text in creation_times:
        try:
            moment = datetime.fromisoformat(text)
        except (TypeError, ValueError):
            return None
        moments.append(moment.replace(tzinfo=moment.tzinfo or timezone.utc).replace(microsecond=0))
    return min(moments) if moments else None


def workload_v2_path(workload_id):
    return "%s/%s" % (WORKLOADS_V2_PATH, workload_id)


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
