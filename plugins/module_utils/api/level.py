# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the control plane's level lets the collection do: server-side dry run, update, and the create metadata it stores.

The level is read once per module run (a batch included) from the clusters' ``version`` (``GET /api/v1/clusters``,
the vendor's ``DisplayedCluster``) and cached on the client. The vendor's references differ by level:
2.23 has no ``PUT /api/v2/workloads/{id}``, no ``dryRun`` (a server ignores a query parameter it does not know, so a
"dry run" there is a real create) and create metadata of ``name``, ``projectId``, ``priority`` and ``category`` only;
2.24 and newer have all three. A level that cannot be read is unknown: check mode then validates locally, and updates
and metadata are tried as the newest level does them.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from collections import namedtuple

from ansible_collections.runai.platform.plugins.module_utils.api.errors import RunaiNotFoundError, RunaiPermissionError

CLUSTERS_PATH = "/api/v1/clusters"
# The first level whose references have PUT /api/v2/workloads/{id}, dryRun, the full create metadata and the
# telemetry phase filter.
LEVEL_2_24 = (2, 24)
BASIC_CREATE_METADATA = ("name", "projectId", "priority", "category")
FULL_CREATE_METADATA = BASIC_CREATE_METADATA + ("clusterId", "preemptibility", "useGivenNameAsPrefix")
_VERSION = re.compile(r"^\s*v?(\d+)\.(\d+)(?:[.\-+].*)?\s*$")


class ApiLevel(namedtuple("ApiLevel", ["version", "source"])):
    """A control plane's level: ``version`` as (major, minor), or None when unknown; ``source`` says how it was
    learned, for messages."""

    @property
    def known(self):
        return self.version is not None

    @property
    def label(self):
        return ("%d.%d" % self.version) if self.known else "unknown"

    @property
    def server_dry_run(self):
        """Whether POST /api/v2/workloads honours dryRun=true. Only a known level says so: a guess could create."""
        return self.known and self.version >= LEVEL_2_24

    @property
    def can_update(self):
        """Whether PUT /api/v2/workloads/{id} exists; an unknown level is tried (and a 404/405 answer is understood)."""
        return not self.known or self.version >= LEVEL_2_24

    @property
    def telemetry_phases(self):
        """Whether workloads telemetry takes filterByPhases; an unknown level is tried (a newer one has it)."""
        return not self.known or self.version >= LEVEL_2_24

    @property
    def create_metadata(self):
        """The keys of the create metadata this level stores."""
        if self.known and self.version < LEVEL_2_24:
            return BASIC_CREATE_METADATA
        return FULL_CREATE_METADATA

    def describe(self):
        if self.known:
            return "Run:ai control plane %s" % self.label
        return "a Run:ai control plane of unknown level (%s)" % self.source


def parse_version(text):
    """(major, minor) of a version string such as ``2.24.37`` or ``v3.0.1``; None when it is not one."""
    if not isinstance(text, str):
        return None
    match = _VERSION.match(text)
    return (int(match.group(1)), int(match.group(2))) if match else None


def level_from_clusters(clusters):
    """The ApiLevel of a GET /api/v1/clusters answer: the lowest version among clusters that report one, so a
    capability is used only where every cluster's level has it; unknown when none reports a version or one is
    unreadable."""
    if not isinstance(clusters, list):
        return ApiLevel(None, "the clusters listing is not a list")
    versions = []
    for cluster in clusters:
        text = (cluster or {}).get("version") if isinstance(cluster, dict) else None
        if text is None:
            continue  # a cluster not installed yet reports no version
        version = parse_version(text)
        if version is None:
            return ApiLevel(None, "cluster version '%s' is not readable" % text)
        versions.append(version)
    if not versions:
        return ApiLevel(None, "no cluster reports a version")
    return ApiLevel(min(versions), "cluster version")


def read_api_level(client):
    """The ApiLevel, asked of the server once per client (a module run) and cached there."""
    return client.once("api_level", lambda: _ask_level(client))


def _ask_level(client):
    try:
        return level_from_clusters(client.get(CLUSTERS_PATH))
    except (RunaiPermissionError, RunaiNotFoundError) as error:
        # Credentials without the right to list clusters still manage workloads: the level is then unknown.
        return ApiLevel(None, "GET %s answered %s" % (CLUSTERS_PATH, error.status))
