# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The control plane's level: read once per run from the clusters' version, and what each level lets the collection do."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.runai.platform.plugins.module_utils.api.client import RunaiClient
from ansible_collections.runai.platform.plugins.module_utils.api.errors import RunaiServerError
from ansible_collections.runai.platform.plugins.module_utils.api.level import (
    ApiLevel,
    level_from_clusters,
    parse_version,
    read_api_level,
)

CLUSTERS = "/api/v1/clusters"


def cluster(version):
    return {"uuid": "71f69d83-ba66-4822-adf5-55ce55efd210", "name": "c", "tenantId": 1, "version": version}


@pytest.mark.parametrize("text, expected", [
    ("2.23.17", (2, 23)), ("2.24", (2, 24)), ("v3.0.1", (3, 0)), ("2.24.0-rc.1", (2, 24)), ("master", None),
    ("", None), (None, None), (2.24, None), ("2", None),
])
def test_versions_are_read_as_major_and_minor(text, expected):
    assert parse_version(text) == expected


@pytest.mark.parametrize("versions, label", [
    (["2.24.3", "2.23.9"], "2.23"),  # the lowest: a capability only where every cluster has it
    (["3.0.0", None], "3.0"),  # a cluster not installed yet reports no version
    ([None], "unknown"),
    ([], "unknown"),
    (["2.24.3", "nightly"], "unknown"),
])
def test_the_level_is_the_lowest_readable_cluster_version(versions, label):
    assert level_from_clusters([cluster(version) for version in versions]).label == label


def test_an_answer_that_is_not_a_listing_is_an_unknown_level():
    assert not level_from_clusters({"clusters": []}).known


@pytest.mark.parametrize("version, dry_run, update, preemptibility", [
    ((2, 23), False, False, False),
    ((2, 24), True, True, True),
    ((3, 0), True, True, True),
    (None, False, True, True),  # unknown: never trusted with a dry run; an update is tried and its 404/405 understood
])
def test_what_each_level_can_do(version, dry_run, update, preemptibility):
    level = ApiLevel(version, "test")
    assert level.server_dry_run is dry_run
    assert level.can_update is update
    assert ("preemptibility" in level.create_metadata) is preemptibility
    assert ("clusterId" in level.create_metadata) is preemptibility


def _client(transport):
    return RunaiClient(url=transport.base_url, token="given-token", transport=transport, retries=0)


def test_the_level_is_asked_once_per_client(scripted_transport):
    scripted_transport.expect("GET", CLUSTERS, body=[cluster("2.24.3")])
    client = _client(scripted_transport)

    assert read_api_level(client).label == "2.24"
    assert read_api_level(client).label == "2.24"
    assert len(scripted_transport.calls) == 1


@pytest.mark.parametrize("status", [403, 404])
def test_credentials_that_may_not_list_clusters_give_an_unknown_level(scripted_transport, status):
    scripted_transport.expect("GET", CLUSTERS, status, body={"code": status, "message": "no"})

    level = read_api_level(_client(scripted_transport))

    assert not level.known and not level.server_dry_run and str(status) in level.describe()


def test_a_server_failure_reading_the_level_is_not_hidden(scripted_transport):
    scripted_transport.expect("GET", CLUSTERS, 500, body={"code": 500, "message": "boom"})

    with pytest.raises(RunaiServerError):
        read_api_level(_client(scripted_transport))
