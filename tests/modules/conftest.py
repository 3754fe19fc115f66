# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Modules' main() run in this process against a simulator process, which answers as the API does: what the task
returned, and what the simulator counted and holds, read out of band."""

import json

import pytest
from ansible.module_utils import basic
from runai_simulator.testing import SimulatorProcess

from ansible_collections.runai.platform.tests.unit.plugins.modules.module_args import patch_module_args


class ModuleExit(Exception):
    def __init__(self, result, failed):
        super().__init__(result.get("msg"))
        self.result, self.failed = result, failed


class Simulator:
    """A simulator process, emptied before each test, with its request counts by route."""

    def __init__(self, process: SimulatorProcess):
        self.process = process

    def forget_requests(self) -> None:
        """Counts from now on only: what a test prepared is not counted."""
        self.process.admin("POST", "/_simulator/stats/reset").raise_for_status()

    def requests(self, route: str | None = None) -> int:
        """How many requests the simulator answered on ``route`` (e.g. ``"POST /api/v2/workloads"``), or on any."""
        counted = self.process.admin("GET", "/_simulator/stats").json()["requests"]
        return counted["total"] if route is None else counted["by_route"].get(route, 0)

    def listing(self) -> list[dict]:
        """Every workload, read raw from the v1 listing, page by page, in the server's order."""
        workloads, offset = [], 0
        while True:
            page = self.process.api("GET", "/api/v1/workloads", params={"offset": offset, "limit": 500}).json()
            workloads += page["workloads"]
            if not page.get("next"):
                return workloads
            offset += len(page["workloads"])

    def workload_names(self, project: str) -> list[str]:
        """The names of the project's workloads, read raw from the v1 listing."""
        listing = self.process.api("GET", "/api/v1/workloads", params={"filterBy": "projectName==%s" % project})
        return sorted(workload["name"] for workload in listing.json()["workloads"])

    def run(self, main, check: bool = False, diff: bool = False, **options) -> tuple[dict, bool]:
        """``(result, failed)`` of one task run of a module's ``main`` with ``options`` against this simulator."""
        args = dict(url=self.process.url, client_id=self.process.client_id,
                    client_secret=self.process.client_secret, _ansible_check_mode=check, _ansible_diff=diff)
        args.update(options)
        with patch_module_args(args):
            try:
                main()
            except ModuleExit as outcome:
                return outcome.result, outcome.failed
        raise AssertionError("the module returned without exit_json or fail_json")


@pytest.fixture(autouse=True)
def module_exits(monkeypatch):
    """exit_json and fail_json raise with the task's result instead of printing it and leaving the process."""

    def exit_json(module, **result):
        raise ModuleExit(json.loads(json.dumps(result)), False)

    def fail_json(module, **result):
        raise ModuleExit(json.loads(json.dumps(result)), True)

    monkeypatch.setattr(basic.AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", fail_json)


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


def emptied(process: SimulatorProcess) -> Simulator:
    process.reset()
    simulator = Simulator(process)
    simulator.forget_requests()  # the reset's own token for out-of-band reads
    return simulator


@pytest.fixture
def simulator(simulator_process):
    return emptied(simulator_process)


@pytest.fixture
def simulator_2_23(simulator_process_2_23):
    return emptied(simulator_process_2_23)


@pytest.fixture
def preloaded_simulator(simulator_process_preloaded):
    """A simulator holding 2,345 workloads across projects, for reads; nothing in it changes."""
    simulator = Simulator(simulator_process_preloaded)
    simulator.forget_requests()
    return simulator
