# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Modules' main() run in this process against a simulator process, which answers as the API does: what the task
returned, and what the simulator counted and holds, read out of band with the simulator package's testing helpers."""

import json

import pytest
from ansible.module_utils import basic
from runai_simulator.testing import SimulatorProcess

from ansible_collections.runai.platform.tests.unit.plugins.modules.module_args import patch_module_args


class ModuleExit(Exception):
    def __init__(self, result, failed):
        super().__init__(result.get("msg"))
        self.result, self.failed = result, failed


@pytest.fixture
def run_module(monkeypatch):
    """``run_module(simulator, main, check=False, diff=False, **options)``: ``(result, failed)`` of one task run of a
    module's ``main`` against ``simulator``, with its client credentials unless the options say otherwise."""

    def exit_json(module, **result):
        raise ModuleExit(json.loads(json.dumps(result)), False)

    def fail_json(module, **result):
        raise ModuleExit(json.loads(json.dumps(result)), True)

    monkeypatch.setattr(basic.AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", fail_json)

    def run(simulator: SimulatorProcess, main, check: bool = False, diff: bool = False,
            **options) -> tuple[dict, bool]:
        args = dict(url=simulator.url, client_id=simulator.client_id, client_secret=simulator.client_secret,
                    _ansible_check_mode=check, _ansible_diff=diff)
        args.update(options)
        with patch_module_args({key: value for key, value in args.items() if value is not None}):
            try:
                main()
            except ModuleExit as outcome:
                return outcome.result, outcome.failed
        raise AssertionError("the module returned without exit_json or fail_json")

    return run


def simulator_fixture(speed=100, **flags):
    @pytest.fixture(scope="module")
    def process():
        with SimulatorProcess(speed=speed, **flags) as started:
            yield started

    return process


simulator_process = simulator_fixture()
simulator_process_2_23 = simulator_fixture(api_level="2.23")
# Tests that only read share one preloaded simulator and never empty it; its lifecycles run so slowly that no
# workload changes phase or resources between a module's read and the test's raw read (running times still tick).
simulator_process_preloaded = simulator_fixture(speed=0.001, preload=2345)


@pytest.fixture
def simulator(simulator_process):
    return simulator_process.reset()


@pytest.fixture
def simulator_2_23(simulator_process_2_23):
    return simulator_process_2_23.reset()


@pytest.fixture
def preloaded_simulator(simulator_process_preloaded):
    """A simulator holding 2,345 workloads across projects, for reads; nothing in it changes."""
    simulator_process_preloaded.forget_requests()
    return simulator_process_preloaded
