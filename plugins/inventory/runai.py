# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: runai
short_description: Run:ai projects as inventory hosts
version_added: 1.0.0
description:
  - Reads the Run:ai projects visible to the credentials (C(GET /api/v1/org-unit/projects)) and makes one host of each,
    so that a play runs once per project, and a sliced job template in AWX or Automation Controller spreads the
    projects over its slices.
  - Every host runs on the controller (C(ansible_connection=local), with the interpreter of C(ansible-playbook)), since
    the collection's modules talk to the Run:ai API from where they run.
  - The host is named after the project. A project name used in several clusters is qualified with the start of its
    cluster id, as C(shared@3c1f9a52).
  - Each host has the variables C(runai_project) (the project's name, which the collection's roles take as their
    project), C(runai_project_id), C(runai_cluster_id), C(runai_department), C(runai_department_id),
    C(runai_project_phase), C(runai_namespace), C(runai_gpu_quota), C(runai_cpu_quota), C(runai_memory_quota) (the
    project's total deserved quotas, null where none is set) and C(runai_node_pool_quotas) (one item per node pool
    with C(node_pool), C(gpu), C(gpu_limit), C(cpu), C(cpu_limit), C(memory), C(memory_limit) and C(memory_units)).
  - Every host is in the group C(runai_projects), in C(runai_cluster_<cluster id>) and in
    C(runai_department_<department name>), with characters that are not valid in a group name replaced by C(_).
    Departments of the same name in different clusters share a group; O(keyed_groups) on C(runai_department_id) or
    C(runai_cluster_id) tells them apart.
  - "The connection options are those of the collection's modules, with the same environment variables, so a file
    that holds only C(plugin: runai.platform.runai) works wherever the modules do."
  - The file's name must end with C(runai.yml) or C(runai.yaml).
extends_documentation_fragment:
  - runai.platform.runai_auth
  - constructed
  - inventory_cache
options:
  plugin:
    description:
      - The name of this plugin; it marks the file as one of its sources.
    required: true
    type: str
    choices:
      - runai.platform.runai
  projects:
    description:
      - Only these projects (names). Each must exist and be visible to the credentials.
    type: list
    elements: str
  clusters:
    description:
      - Only the projects of these clusters (cluster ids).
    type: list
    elements: str
  departments:
    description:
      - Only the projects of these departments (names).
    type: list
    elements: str
notes:
  - With the inventory cache on (O(cache=true)), the project list is kept in the cache plugin; no credential or token is.
"""

EXAMPLES = r"""
# runai.yml: every project, with the connection from RUNAI_URL, RUNAI_CLIENT_ID and RUNAI_CLIENT_SECRET
plugin: runai.platform.runai

---
# team.runai.yml: two projects, grouped by GPU quota as well, cached for ten minutes
plugin: runai.platform.runai
projects:
  - team-a
  - team-b
keyed_groups:
  - key: runai_gpu_quota
    prefix: gpu_quota
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/runai-inventory
cache_timeout: 600

---
# research.runai.yml: the projects of one department
plugin: runai.platform.runai
url: https://mycompany.run.ai
departments:
  - research
"""

from typing import Any

from ansible.errors import AnsibleParserError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable

try:
    from ansible.template import trust_as_template
except ImportError:  # ansible-core before 2.19 templates every inventory string; there is nothing to mark
    def trust_as_template(value):
        return value

from ansible_collections.runai.platform.plugins.module_utils.api.client import (
    CONNECTION_OPTIONS,
    RunaiClient,
    client_options,
)
from ansible_collections.runai.platform.plugins.module_utils.api.errors import RunaiError, RunaiInputError
from ansible_collections.runai.platform.plugins.module_utils.module.options import connection_argument_spec
from ansible_collections.runai.platform.plugins.module_utils.projects import PROJECTS_PATH
from ansible_collections.runai.platform.plugins.module_utils.values.filters import expression, filter_by

FILE_SUFFIXES = ("runai.yml", "runai.yaml")
ALL_GROUP = "runai_projects"
# The filter options and the field of a project each one narrows: (option, filterBy field, the project's value).
FILTERS = (
    ("projects", "name", lambda project: project.get("name")),
    ("clusters", "clusterId", lambda project: project.get("clusterId")),
    ("departments", "parentName", lambda project: (project.get("parent") or {}).get("name")),
)


def _node_pool_quotas(project: dict[str, Any]) -> list[dict[str, Any]]:
    quotas = []
    for resource in project.get("resources") or []:
        gpu, cpu, memory = (resource.get(kind) or {} for kind in ("gpu", "cpu", "memory"))
        quotas.append({
            "node_pool": (resource.get("nodePool") or {}).get("name"),
            "gpu": gpu.get("deserved"), "gpu_limit": gpu.get("limit"),
            "cpu": cpu.get("deserved"), "cpu_limit": cpu.get("limit"),
            "memory": memory.get("deserved"), "memory_limit": memory.get("limit"),
            "memory_units": memory.get("units"),
        })
    return quotas


def host_variables(project: dict[str, Any]) -> dict[str, Any]:
    """The documented variables of the host of one project (from the API's Project object)."""
    status = project.get("status") or {}
    totals = project.get("totalResources") or {}
    return {
        "runai_project": project.get("name"),
        "runai_project_id": str(project.get("id")),
        "runai_cluster_id": project.get("clusterId"),
        "runai_department": (project.get("parent") or {}).get("name"),
        "runai_department_id": project.get("parentId"),
        "runai_project_phase": status.get("phase"),
        "runai_namespace": status.get("namespace"),
        "runai_gpu_quota": totals.get("gpuQuota"),
        "runai_cpu_quota": totals.get("cpuQuota"),
        "runai_memory_quota": totals.get("memoryQuota"),
        "runai_node_pool_quotas": _node_pool_quotas(project),
        "ansible_connection": "local",
        # Interpreter discovery on the controller can find a shim (pyenv) that is not the Python running Ansible.
        # ansible-core 2.19 templates no inventory value it was not told to trust.
        "ansible_python_interpreter": trust_as_template("{{ ansible_playbook_python }}"),
    }


def host_names(projects: list[dict[str, Any]]) -> list[str]:
    """One name per project: its own, qualified with its cluster where the name is used in several clusters."""
    counts: dict[str, int] = {}
    for project in projects:
        counts[project.get("name")] = counts.get(project.get("name"), 0) + 1
    return [project["name"] if counts[project["name"]] == 1 else "%s@%s" % (
        project["name"], str(project.get("clusterId"))[:8]) for project in projects]


def list_projects(client: RunaiClient, filters: dict[str, list[str] | None]) -> list[dict[str, Any]]:
    """The projects the filters keep, sorted by name and cluster; unknown names in ``projects`` are an error."""
    narrowing = [expression(option, field, "==", filters[option][0])
                 for option, field, _value in FILTERS if filters.get(option) and len(filters[option]) == 1]
    params = {"filterBy": filter_by(*narrowing)} if narrowing else None
    projects = client.paginate(PROJECTS_PATH, "projects", params=params)
    for option, _field, value in FILTERS:
        if filters.get(option):
            wanted = set(filters[option])
            projects = [project for project in projects if value(project) in wanted]
    missing = sorted(set(filters.get("projects") or []) - set(project.get("name") for project in projects))
    if missing:
        raise RunaiInputError("projects", "no project named %s was found (in the clusters and departments asked for) "
                              "or is visible to these credentials." % ", ".join("'%s'" % name for name in missing))
    return sorted(projects, key=lambda project: (project.get("name") or "", project.get("clusterId") or ""))


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):
    NAME = "runai.platform.runai"

    def verify_file(self, path):
        return super().verify_file(path) and path.endswith(FILE_SUFFIXES)

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        config = self._read_config_data(path)
        projects = self._cached_projects(config, path, cache)
        strict = self.get_option("strict")
        for name, project in zip(host_names(projects), projects):
            self.inventory.add_host(name, group=self.inventory.add_group(ALL_GROUP))
            for group in (
                "runai_cluster_%s" % project.get("clusterId"),
                "runai_department_%s" % (project.get("parent") or {}).get("name"),
            ):
                self.inventory.add_child(self.inventory.add_group(self._sanitize_group_name(group)), name)
            variables = host_variables(project)
            for key, value in variables.items():
                self.inventory.set_variable(name, key, value)
            self._set_composite_vars(self.get_option("compose"), variables, name, strict=strict)
            self._add_host_to_composed_groups(self.get_option("groups"), variables, name, strict=strict)
            self._add_host_to_keyed_groups(self.get_option("keyed_groups"), variables, name, strict=strict)

    def _cached_projects(self, config, path, cache):
        """The projects from the cache when it is on and fresh, else from the API (and then into the cache)."""
        key = self.get_cache_key(path)
        use_cache = self.get_option("cache")
        if use_cache and cache:
            try:
                return self._cache[key]
            except KeyError:
                pass
        try:
            projects = list_projects(self._client(config), {option: self.get_option(option) for option, _f, _v in FILTERS})
        except RunaiError as error:
            raise AnsibleParserError("runai.platform.runai: %s" % error)
        if use_cache:
            self._cache[key] = projects
        return projects

    def _client(self, config):
        """A client from the options given in the file, else the modules' environment variables, else the defaults."""
        given = {name: self.get_option(name) for name in CONNECTION_OPTIONS if config.get(name) is not None}
        result = ArgumentSpecValidator(connection_argument_spec()).validate(given)
        if result.error_messages:
            raise RunaiError(result.error_messages[0])
        return RunaiClient(warn=self.display.warning, **client_options(result.validated_parameters))
