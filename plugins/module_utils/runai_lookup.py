# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Finding things by name with server-side filters: a project's ids from its name, and workloads by name or project.

Nothing here lists everything and scans: every lookup is one filtered request (or one filtered listing for a batch).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os.path
from collections import namedtuple
from datetime import datetime, timedelta, timezone

from ansible_collections.runai.platform.plugins.module_utils.runai_errors import RunaiInputError
from ansible_collections.runai.platform.plugins.module_utils.runai_time import format_time

PROJECTS_PATH = "/api/v1/org-unit/projects"
WORKLOADS_V1_PATH = "/api/v1/workloads"
WORKLOADS_V2_PATH = "/api/v2/workloads"
UNUSABLE_PROJECT_PHASES = ("Deleting", "Deleted")
# How many project names a "no project named ..." message offers: enough to spot a typo, short enough to read.
PROJECTS_NAMED = 5
# v1 and v2 stamp a workload's createdAt in different services; a lower bound this much earlier still holds if their
# clocks or roundings disagree a little, and only adds the project's workloads of that last minute to the listing.
CREATED_AT_SLACK = timedelta(seconds=60)

Project = namedtuple("Project", ["id", "name", "cluster_id"])


def filter_by(*expressions):
    """The API's filterBy value: expressions joined by commas (one query parameter, as the SDK sends it)."""
    return ",".join(expression for expression in expressions if expression)


def resolve_project(client, name, cluster_id=None):
    """The project called ``name`` (in ``cluster_id`` when given), from one filtered request.

    Project names are unique per cluster, not per tenant, so a name found in two clusters needs ``cluster_id``.
    """
    matches = _projects_named(client, name, cluster_id)
    where = (" in cluster %s" % cluster_id) if cluster_id else ""
    if not matches:
        raise project_not_found(client, name, where)
    if len(matches) > 1:
        clusters = ", ".join(sorted(str(project.get("clusterId")) for project in matches))
        raise RunaiInputError(
            "project",
            "a project named '%s' exists in several clusters (%s); set 'cluster_id' to choose one." % (name, clusters),
        )
    project = matches[0]
    phase = (project.get("status") or {}).get("phase")
    if phase in UNUSABLE_PROJECT_PHASES:
        raise RunaiInputError("project", "project '%s'%s is %s and cannot take workloads." % (name, where, phase))
    return Project(id=str(project["id"]), name=project["name"], cluster_id=project.get("clusterId"))


def _projects_named(client, name, cluster_id):
    params = {"filterBy": filter_by("name==%s" % name, ("clusterId==%s" % cluster_id) if cluster_id else None)}
    projects = (client.get(PROJECTS_PATH, params=params) or {}).get("projects") or []
    return [project for project in projects if project.get("name") == name]


def project_not_found(client, name, where=""):
    """The error for a project name that no visible project has, naming a few that exist so a typo shows."""
    visible = (client.get(PROJECTS_PATH, params={"limit": PROJECTS_NAMED + 1}) or {}).get("projects") or []
    names = sorted(set(str(project.get("name")) for project in visible[:PROJECTS_NAMED]))
    if not names:
        known = " These credentials see no project at all."
    else:
        more = ", ..." if len(visible) > PROJECTS_NAMED else ""
        known = " Projects these credentials see include: %s%s." % (", ".join(names), more)
    return RunaiInputError(
        "project",
        "no project named '%s'%s was found or is visible to these credentials.%s Check the name, or give "
        "'project_id'." % (name, where, known),
    )


def check_project_visible(client, name, cluster_id=None):
    """Raise project_not_found unless a visible project is called ``name``: an empty listing filtered by a
    misspelt project name must fail, not pass for a project without workloads."""
    if not _projects_named(client, name, cluster_id):
        raise project_not_found(client, name, (" in cluster %s" % cluster_id) if cluster_id else "")


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
