# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Projects by name: a project's ids from its name with one filtered request, and the error that names a few visible
projects when none is called so.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections import namedtuple

from ansible_collections.runai.platform.plugins.module_utils.api.errors import RunaiInputError
from ansible_collections.runai.platform.plugins.module_utils.values.filters import filter_by


PROJECTS_PATH = "/api/v1/org-unit/projects"
UNUSABLE_PROJECT_PHASES = ("Deleting", "Deleted")
# How many project names a "no project named ..." message offers: enough to spot a typo, short enough to read.
PROJECTS_NAMED = 5

Project = namedtuple("Project", ["id", "name", "cluster_id"])


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
