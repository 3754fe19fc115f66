# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.runai.platform.plugins.module_utils.api.client import RunaiClient
from ansible_collections.runai.platform.plugins.module_utils.api.errors import RunaiInputError
from ansible_collections.runai.platform.plugins.module_utils.projects import (
    Project,
    check_project_visible,
    resolve_project,
)
from ansible_collections.runai.platform.plugins.module_utils.workloads.find import (
    find_workloads_by_name,
    list_project_workloads,
)

CLUSTER_A = "71f69d83-ba66-4822-adf5-55ce55efd210"
CLUSTER_B = "0b1c2d3e-0000-4000-8000-000000000002"


def client_for(transport):
    return RunaiClient(url=transport.base_url, token="t", transport=transport, retries=0)


def project(name, project_id, cluster_id, phase="Ready"):
    return {"name": name, "id": project_id, "clusterId": cluster_id, "status": {"phase": phase}}


def test_a_project_name_resolves_with_one_filtered_request(scripted_transport):
    scripted_transport.expect("GET", "/api/v1/org-unit/projects", body={"projects": [project("team-a", "7", CLUSTER_A)]})

    found = resolve_project(client_for(scripted_transport), "team-a")

    assert found == Project(id="7", name="team-a", cluster_id=CLUSTER_A)
    assert scripted_transport.calls[0]["params"] == {"filterBy": "name==team-a"}


def test_the_cluster_narrows_the_project_filter(scripted_transport):
    scripted_transport.expect("GET", "/api/v1/org-unit/projects", body={"projects": [project("shared", "9", CLUSTER_B)]})

    found = resolve_project(client_for(scripted_transport), "shared", cluster_id=CLUSTER_B)

    assert found.id == "9"
    assert scripted_transport.calls[0]["params"] == {"filterBy": "name==shared,clusterId==%s" % CLUSTER_B}


def test_a_name_in_two_clusters_asks_for_cluster_id(scripted_transport):
    scripted_transport.expect(
        "GET",
        "/api/v1/org-unit/projects",
        body={"projects": [project("shared", "8", CLUSTER_A), project("shared", "9", CLUSTER_B)]},
    )

    with pytest.raises(RunaiInputError) as caught:
        resolve_project(client_for(scripted_transport), "shared")
    assert caught.value.option == "project" and "cluster_id" in str(caught.value)


def test_an_unknown_project_is_an_input_error_naming_the_option_and_a_few_projects_that_exist(scripted_transport):
    scripted_transport.expect("GET", "/api/v1/org-unit/projects", body={"projects": [project("team-ab", "3", CLUSTER_A)]})
    visible = [project("p%d" % index, str(index), CLUSTER_A) for index in range(6)]
    scripted_transport.expect("GET", "/api/v1/org-unit/projects", body={"projects": visible})

    with pytest.raises(RunaiInputError) as caught:
        resolve_project(client_for(scripted_transport), "team-a")
    assert caught.value.option == "project" and "no project named 'team-a'" in str(caught.value)
    assert "include: p0, p1, p2, p3, p4, ...." in str(caught.value)
    assert scripted_transport.calls[1]["params"] == {"limit": 6}


def test_a_project_check_passes_a_visible_project_and_names_the_others_for_a_typo(scripted_transport):
    scripted_transport.expect("GET", "/api/v1/org-unit/projects", body={"projects": [project("team-a", "3", CLUSTER_A)]})
    scripted_transport.expect("GET", "/api/v1/org-unit/projects", body={"projects": []})
    scripted_transport.expect("GET", "/api/v1/org-unit/projects", body={"projects": [project("team-a", "3", CLUSTER_A)]})

    check_project_visible(client_for(scripted_transport), "team-a")
    with pytest.raises(RunaiInputError) as caught:
        check_project_visible(client_for(scripted_transport), "team-x")
    assert "no project named 'team-x'" in str(caught.value) and "include: team-a." in str(caught.value)


def test_a_project_being_deleted_cannot_take_workloads(scripted_transport):
    scripted_transport.expect(
        "GET", "/api/v1/org-unit/projects", body={"projects": [project("old", "4", CLUSTER_A, "Deleting")]}
    )

    with pytest.raises(RunaiInputError) as caught:
        resolve_project(client_for(scripted_transport), "old")
    assert "Deleting" in str(caught.value)


def test_a_workload_is_found_by_name_and_project_name(scripted_transport):
    scripted_transport.expect("GET", "/api/v1/workloads", body={"workloads": [{"name": "wl", "id": "u1"}]})

    found = find_workloads_by_name(client_for(scripted_transport), "wl", project_name="team-a")

    assert found == [{"name": "wl", "id": "u1"}]
    assert scripted_transport.calls[0]["params"] == {"filterBy": "name==wl,projectName==team-a"}


def test_a_project_id_takes_precedence_over_its_name_in_filters(scripted_transport):
    scripted_transport.expect("GET", "/api/v1/workloads", body={"workloads": []})

    assert find_workloads_by_name(client_for(scripted_transport), "wl", "team-a", "7", CLUSTER_A) == []
    assert scripted_transport.calls[0]["params"] == {"filterBy": "name==wl,projectId==7,clusterId==%s" % CLUSTER_A}


def test_a_project_listing_is_one_filtered_request_keyed_by_name(scripted_transport):
    scripted_transport.expect(
        "GET", "/api/v1/workloads", body={"workloads": [{"name": "a", "id": "1"}, {"name": "b", "id": "2"}]}
    )

    found = list_project_workloads(client_for(scripted_transport), project_name="team-a")

    assert sorted(found) == ["a", "b"]
    assert scripted_transport.calls[0]["params"]["filterBy"] == "projectName==team-a"
