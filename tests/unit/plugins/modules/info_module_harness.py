# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs a read module's main() against a scripted transport and hands back what the task would have returned."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils import basic
from ansible_collections.runai.platform.tests.unit.plugins.modules.module_args import patch_module_args

from ansible_collections.runai.platform.plugins.module_utils.api.client import RunaiClient

BASE_ARGS = dict(url="https://runai.example.com", token="api-token", retries=0)


class ModuleExit(Exception):
    def __init__(self, result, failed):
        super(ModuleExit, self).__init__(result.get("msg"))
        self.result = result
        self.failed = failed


def run_info_module(main, args, transport, monkeypatch, check_mode=False):
    """``(result, failed)`` of one task run of ``main`` with ``args`` (plus a URL and token), answered by ``transport``."""
    warnings = []

    def exit_json(module, **result):
        result["warnings"] = list(warnings)
        raise ModuleExit(result, failed=False)

    def fail_json(module, **result):
        result["warnings"] = list(warnings)
        raise ModuleExit(result, failed=True)

    monkeypatch.setattr(RunaiClient, "_new_transport", lambda client, *unused: transport)
    monkeypatch.setattr(basic.AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", fail_json)
    monkeypatch.setattr(basic.AnsibleModule, "warn", lambda module, message: warnings.append(message))
    # None drops a base argument, as an omitted option would (for example token=None to use client credentials).
    task_args = dict((key, value) for key, value in dict(BASE_ARGS, **args).items() if value is not None)
    if check_mode:
        task_args["_ansible_check_mode"] = True
    with patch_module_args(task_args):
        try:
            main()
        except ModuleExit as outcome:
            return outcome.result, outcome.failed
    raise AssertionError("the module returned without exit_json or fail_json")
