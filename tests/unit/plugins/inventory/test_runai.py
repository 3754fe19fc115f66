# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The runai.platform.runai inventory: hosts, groups and variables from the projects listing (scripted HTTP), the
modules' connection options and environment variables, filters, the constructed options and the cache."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleParserError
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import inventory_loader
from ansible_collections.runai.platform.plugins.inventory import runai as runai_inventory
from ansible_collections.runai.platform.plugins.module_utils.api.client import RunaiClient

CLUSTER_A = "71f69d83-ba66-4822-adf5-55ce55efd210"
CLUSTER_B = "3c1f9a52-7d4e-4b8a-9e21-6f0d2c8b5a17"
PROJECTS_PATH = "/api/v1/org-unit/projects"


def project(project_id, name, cluster_id, department="default", department_id="2", gpu=4):
    return {
        "id": project_id, "name": name, "clusterId": cluster_id, "parentId": department_id,
        "parent": {"id": department_id, "name": department},
        "resources": [{"nodePool": {"id": "22", "name": "default"},
                       "gpu": {"deserved": gpu, "limit": -1, "overQuotaWeight": 2},
                       "cpu": {"deserved": None, "limit": -1}, "memory": {"deserved": 1024, "limit": -1, "units": "Mib"}}],
        "totalResources": {"gpuQuota": gpu, "cpuQuota": None, "memoryQuota": 1024},
        "status": {"namespace": "runai-" + name, "phase": "Ready"},
    }


PROJECTS = [
    project("1", "team-a", CLUSTER_A, gpu=8),
    project("4", "shared", CLUSTER_A),
    project("7", "shared", CLUSTER_B, department="research", department_id="5"),
    project("6", "team-b", CLUSTER_B, department="research", department_id="5", gpu=2),
]


@pytest.fixture
def parse(scripted_transport, tmp_path, monkeypatch):
    """parse(config text) -> the InventoryData the plugin filled, with its HTTP answered by ``scripted_transport``;
    ``parse.clients`` holds the keyword arguments each client was made with."""
    for name in ("RUNAI_URL", "RUNAI_TOKEN", "RUNAI_CLIENT_ID", "RUNAI_CLIENT_SECRET", "RUNAI_VALIDATE_CERTS",
                 "RUNAI_CA_PATH"):
        monkeypatch.delenv(name, raising=False)
    clients = []

    def client(**options):
        clients.append(options)
        return RunaiClient(transport=scripted_transport, **options)

    monkeypatch.setattr(runai_inventory, "RunaiClient", client)

    def run(text, file_name="runai.yml", plugin=None, cache=True):
        path = tmp_path / file_name
        path.write_text(text)
        plugin = plugin or inventory_loader.get("runai.platform.runai")
        inventory = InventoryData()
        plugin.parse(inventory, DataLoader(), str(path), cache=cache)
        return inventory

    run.clients = clients
    return run


def listing(transport, projects=None, check=None):
    transport.expect("GET", PROJECTS_PATH, body={"projects": PROJECTS if projects is None else projects,
                                                 "next": None}, check=check)


def members(inventory, group):
    return sorted(host.name for host in inventory.groups[group].get_hosts())


CONNECTION = "plugin: runai.platform.runai\nurl: https://runai.example.com\ntoken: a-token\n"


def test_every_project_is_one_local_host_grouped_by_cluster_and_department(parse, scripted_transport):
    listing(scripted_transport)
    inventory = parse(CONNECTION)

    assert sorted(inventory.hosts) == ["shared@3c1f9a52", "shared@71f69d83", "team-a", "team-b"]
    assert members(inventory, "runai_projects") == sorted(inventory.hosts)
    assert members(inventory, "runai_cluster_" + CLUSTER_A.replace("-", "_")) == ["shared@71f69d83", "team-a"]
    assert members(inventory, "runai_department_research") == ["shared@3c1f9a52", "team-b"]
    variables = inventory.get_host("team-b").get_vars()
    assert {key: value for key, value in variables.items() if key not in ("inventory_file", "inventory_dir")} == {
        "inventory_hostname": "team-b", "inventory_hostname_short": "team-b", "group_names": variables["group_names"],
        "runai_project": "team-b", "runai_project_id": "6", "runai_cluster_id": CLUSTER_B,
        "runai_department": "research", "runai_department_id": "5", "runai_project_phase": "Ready",
        "runai_namespace": "runai-team-b", "runai_gpu_quota": 2, "runai_cpu_quota": None, "runai_memory_quota": 1024,
        "runai_node_pool_quotas": [{"node_pool": "default", "gpu": 2, "gpu_limit": -1, "cpu": None, "cpu_limit": -1,
                                    "memory": 1024, "memory_limit": -1, "memory_units": "Mib"}],
        "ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}",
    }
    assert inventory.get_host("shared@3c1f9a52").get_vars()["runai_project"] == "shared"
    options = dict(parse.clients[0])
    options.pop("warn")
    assert options == dict(url="https://runai.example.com", token="a-token", client_id=None, client_secret=None,
                           validate_certs=True, ca_path=None, request_timeout=30, retries=5)


def test_a_file_holding_only_the_plugin_name_connects_with_the_modules_environment_variables(
        parse, scripted_transport, monkeypatch):
    monkeypatch.setenv("RUNAI_URL", "https://runai.example.com")
    monkeypatch.setenv("RUNAI_CLIENT_ID", "app")
    monkeypatch.setenv("RUNAI_CLIENT_SECRET", "app-secret")
    monkeypatch.setenv("RUNAI_VALIDATE_CERTS", "false")
    scripted_transport.expect_token()
    listing(scripted_transport)

    inventory = parse("plugin: runai.platform.runai\n")

    assert len(inventory.hosts) == 4
    assert parse.clients[0]["client_secret"] == "app-secret" and parse.clients[0]["validate_certs"] is False


def test_an_option_in_the_file_wins_over_the_environment(parse, scripted_transport, monkeypatch):
    monkeypatch.setenv("RUNAI_URL", "https://elsewhere.example.com")
    monkeypatch.setenv("RUNAI_VALIDATE_CERTS", "false")
    listing(scripted_transport)

    parse(CONNECTION + "validate_certs: true\n")

    assert (parse.clients[0]["url"], parse.clients[0]["validate_certs"]) == ("https://runai.example.com", True)


def test_one_project_is_asked_for_with_a_server_side_filter(parse, scripted_transport):
    def narrowed(call):
        assert call["params"]["filterBy"] == "name==team-a"

    listing(scripted_transport, [PROJECTS[0]], check=narrowed)
    assert sorted(parse(CONNECTION + "projects: [team-a]\n").hosts) == ["team-a"]


def test_several_departments_and_a_cluster_narrow_the_hosts(parse, scripted_transport):
    def narrowed(call):
        assert call["params"]["filterBy"] == "clusterId==" + CLUSTER_B

    listing(scripted_transport, PROJECTS[2:], check=narrowed)
    inventory = parse(CONNECTION + "clusters: [%s]\ndepartments: [research, other]\n" % CLUSTER_B)
    assert sorted(inventory.hosts) == ["shared", "team-b"]


@pytest.mark.parametrize("config, answers, option", [
    (CONNECTION + "projects: [team-a, no-such-project]\n", [(200, {"projects": PROJECTS})], "'projects'"),
    ("plugin: runai.platform.runai\ntoken: t\n", [], "'url'"),
    ("plugin: runai.platform.runai\nurl: https://runai.example.com\n", [], "'token'"),
    (CONNECTION, [(401, {"message": "expired"})], "'token'"),
    (CONNECTION + "retries: -1\n", [], "'retries'"),
])
def test_bad_configuration_fails_with_one_line_naming_the_option(parse, scripted_transport, config, answers, option):
    for status, body in answers:
        scripted_transport.expect("GET", PROJECTS_PATH, status, body)
    with pytest.raises(AnsibleParserError) as failure:
        parse(config)
    message = str(failure.value.message)
    assert message.startswith("runai.platform.runai: ") and option in message and "\n" not in message
    assert "a-token" not in message


def test_only_files_named_runai_yml_are_read(tmp_path):
    plugin = inventory_loader.get("runai.platform.runai")
    for name, wanted in (("runai.yml", True), ("team.runai.yaml", True), ("hosts.yml", False), ("runai.json", False)):
        path = tmp_path / name
        path.write_text("plugin: runai.platform.runai\n")
        assert plugin.verify_file(str(path)) is wanted


def test_constructed_groups_and_variables_come_from_the_host_variables(parse, scripted_transport):
    listing(scripted_transport)
    inventory = parse(CONNECTION + "keyed_groups:\n  - key: runai_department_id\n    prefix: department_id\n"
                      "compose:\n  quota_label: runai_project ~ '-' ~ runai_gpu_quota\n"
                      "groups:\n  big: runai_gpu_quota >= 8\n")
    assert members(inventory, "department_id_5") == ["shared@3c1f9a52", "team-b"]
    assert members(inventory, "big") == ["team-a"]
    assert inventory.get_host("team-b").get_vars()["quota_label"] == "team-b-2"


def test_the_cache_answers_a_second_parse_without_a_request(parse, scripted_transport, tmp_path):
    listing(scripted_transport)
    writer = inventory_loader.get("runai.platform.runai")
    config = CONNECTION + "cache: true\ncache_plugin: ansible.builtin.jsonfile\ncache_connection: %s\n" % (
        tmp_path / "cache")
    first = parse(config, plugin=writer)
    writer.update_cache_if_changed()  # as ansible's inventory manager does after a parse
    # Another plugin instance, as in the next ansible-playbook run; no second listing is scripted, so a request fails.
    second = parse(config, plugin=inventory_loader.get("runai.platform.runai"))

    assert sorted(second.hosts) == sorted(first.hosts)
    assert "a-token" not in "".join(path.read_text() for path in (tmp_path / "cache").iterdir())


def test_the_documentation_names_every_host_variable():
    variables = runai_inventory.host_variables(PROJECTS[0])
    for name in variables:
        if name.startswith("runai_"):
            assert "C(%s)" % name in runai_inventory.DOCUMENTATION
