# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`ansible-inventory -i runai.yml --list` against a real simulator: every project once, with the documented
variables and groups, from a file holding only the plugin's name and the RUNAI_* variables of the modules."""

import importlib.util
import json
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if importlib.util.find_spec("runai_simulator") is None:
    sys.path.insert(0, str(REPO_ROOT / "simulator"))

from runai_simulator.testing import AnsibleUser, SimulatorProcess  # noqa: E402

COLLECTIONS = REPO_ROOT / ".build" / "collections"
VARIABLES = {"runai_project", "runai_project_id", "runai_cluster_id", "runai_department", "runai_department_id",
             "runai_project_phase", "runai_namespace", "runai_gpu_quota", "runai_cpu_quota", "runai_memory_quota",
             "runai_node_pool_quotas", "ansible_connection", "ansible_python_interpreter"}


def plain(value):
    """A value of `ansible-inventory --list`, without the wrapper ansible-core 2.19 puts around untrusted strings."""
    if isinstance(value, dict):
        if set(value) == {"__ansible_unsafe"}:
            return value["__ansible_unsafe"]
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


@pytest.fixture(scope="module")
def simulator():
    with SimulatorProcess() as process:
        yield process


def inventory_list(simulator, tmp_path, text="plugin: runai.platform.runai\n"):
    (tmp_path / "runai.yml").write_text(text)
    user = AnsibleUser(tmp_path / "ansible", COLLECTIONS)
    return user.run(["ansible-inventory", "-i", tmp_path / "runai.yml", "--list"], simulator=simulator, cwd=tmp_path,
                    env={"ANSIBLE_INVENTORY_UNPARSED_FAILED": "true"}, timeout=120)


def test_every_project_is_listed_once_with_the_documented_variables_and_groups(simulator, tmp_path):
    projects = simulator.api("GET", "/api/v1/org-unit/projects").json()["projects"]
    run = inventory_list(simulator, tmp_path)
    assert run.rc == 0, run.stderr
    listing = plain(json.loads(run.stdout))
    hostvars = listing["_meta"]["hostvars"]

    assert sorted((variables["runai_project"], variables["runai_cluster_id"]) for variables in hostvars.values()) == \
        sorted((project["name"], project["clusterId"]) for project in projects)
    assert sorted(listing["runai_projects"]["hosts"]) == sorted(hostvars)
    for project in projects:
        host, variables = next((host, variables) for host, variables in hostvars.items()
                               if variables["runai_project_id"] == str(project["id"]))
        assert set(variables) == VARIABLES
        assert (variables["runai_project"], variables["runai_gpu_quota"], variables["ansible_connection"]) == (
            project["name"], project["totalResources"]["gpuQuota"], "local")
        assert variables["ansible_python_interpreter"] == "{{ ansible_playbook_python }}"
        cluster_group = "runai_cluster_" + project["clusterId"].replace("-", "_")
        department_group = "runai_department_" + project["parent"]["name"]
        assert host in listing[cluster_group]["hosts"] and host in listing[department_group]["hosts"]
    assert simulator.client_secret not in run.stdout + run.stderr


def test_an_unknown_project_fails_with_one_line_naming_the_option(simulator, tmp_path):
    run = inventory_list(simulator, tmp_path, "plugin: runai.platform.runai\nprojects: [no-such-project]\n")
    assert run.rc != 0
    assert "runai.platform.runai: Invalid value for option 'projects': no project named 'no-such-project'" in run.stderr
    assert "Traceback" not in run.stderr
