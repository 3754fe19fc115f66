# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reports made once per session against the Run:ai simulator (the simulator package's SimulatorProcess), with the
real role and action, and shared by the tests. The reports stay in tests/output/report/ as test artefacts."""

from __future__ import annotations

import atexit
import csv
import fcntl
import functools
import json
import os
import secrets
import shutil
import tempfile
from pathlib import Path

import pytest

testing = pytest.importorskip("runai_simulator.testing", reason="the simulator package (simulator/) is not installed")

REPO_ROOT = Path(__file__).resolve().parents[2]
OUTPUT_ROOT = REPO_ROOT / "tests" / "output" / "report"
PLAYBOOK = Path(__file__).resolve().parent / "playbooks" / "report_from_simulator.yml"
# Preloaded workloads of the scale report: created over the past week, so its window is the last 7 days.
SCALE_WORKLOADS = 500


def collections_root():
    """The directory holding ansible_collections/ that this test session imports the collection from."""
    import ansible_collections.runai.platform.plugins.plugin_utils.report.figures as any_plugin

    plugin_path = Path(os.path.abspath(any_plugin.__file__))
    return next(parent.parent for parent in plugin_path.parents if parent.name == "ansible_collections")


@functools.cache
def ansible_user():
    """This test process's Ansible user (each pytest-xdist worker has its own), with the collection it imports."""
    root = tempfile.mkdtemp(prefix="runai-report-ansible-")
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    return testing.AnsibleUser(root, collections_root())


def run_playbook(arguments, simulator=None, cwd=None, timeout=540):
    finished = ansible_user().run(["ansible-playbook"] + arguments, simulator=simulator, cwd=cwd or OUTPUT_ROOT,
                                  timeout=timeout)
    return finished.rc, finished.output


class Report:
    """The three files of one report directory."""

    def __init__(self, directory: Path, log: str = ""):
        self.directory = directory
        self.log = log
        self.html = directory / "report.html"
        self.csv = directory / "report.csv"
        self.json = directory / "report.json"

    def data(self):
        return json.loads(self.json.read_text())

    def csv_rows(self):
        with open(str(self.csv), newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        return rows[0], [dict(zip(rows[0], row)) for row in rows[1:]]

    @property
    def task_count(self):
        return sum(1 for line in self.log.splitlines() if line.startswith("TASK ["))


def made_once(name, make):
    """What make() returns, made by one pytest-xdist worker per test run: each worker sets up session fixtures for
    itself, and the reports are files in one shared directory, so a second worker making them again would delete
    them under the first. The first worker to take the lock makes them and records make()'s JSON answer; the others
    wait for the lock and read that answer."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID") or secrets.token_hex(8)
    OUTPUT_ROOT.mkdir(parents=True, exist_ok=True)
    record = OUTPUT_ROOT / (name + ".made.json")
    with open(str(OUTPUT_ROOT / (name + ".lock")), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if record.exists():
            made = json.loads(record.read_text())
            if made["run"] == run:
                return made["answer"]
        answer = make()
        record.write_text(json.dumps({"run": run, "answer": answer}))
        record.chmod(0o600)
        return answer


def make_simulated():
    output = OUTPUT_ROOT / "simulator"
    shutil.rmtree(str(output), ignore_errors=True)
    output.mkdir(parents=True)
    # A secret the test knows, so it can check that the secret leaks nowhere.
    client_secret = "report-test-" + secrets.token_hex(12)
    with testing.SimulatorProcess(speed=20, client_secret=client_secret) as simulator:
        code, log = run_playbook([str(PLAYBOOK), "-e", "report_test_output_dir=" + str(output)], simulator)
        assert code == 0, log[-8000:]
        user_directory = output / "user"
        user_directory.mkdir()
        window = json.loads((output / "results.json").read_text())["window"]
        code, default_log = run_playbook(
            ["runai.platform.report", "-e", json.dumps({
                "workload_report_projects": ["team-a", "project-a"], "workload_report_name_prefix": "rpt-",
                "workload_report_start": window["start"], "workload_report_end": window["end"],
                "workload_report_long_pending_seconds": 1, "workload_report_low_utilization_min_running_seconds": 0})],
            simulator, cwd=user_directory)
        assert code == 0, default_log[-8000:]
    return {"output": str(output), "log": log, "default_log": default_log, "secret": client_secret}


@pytest.fixture(scope="session")
def simulated():
    """The batch of playbooks/report_from_simulator.yml reported on in every way it writes, then
    runai.platform.report with no output directory, from a directory of its own."""
    made = made_once("simulator", make_simulated)
    output = Path(made["output"])
    user_directory = output / "user"
    return {
        "output": output,
        "log": made["log"],
        "default_log": made["default_log"],
        "user_directory": user_directory,
        "secret": made["secret"],
        "results": json.loads((output / "results.json").read_text()),
        "report": Report(output / "report", made["log"]),
        "whole": Report(output / "whole"),
        "custom": Report(output / "custom"),
        "empty": Report(output / "empty"),
        "default": Report(user_directory / "runai-report", made["default_log"]),
    }


@pytest.fixture(scope="session")
def base_report(simulated):
    return simulated["report"]


def make_scale_report():
    output = OUTPUT_ROOT / "scale"
    shutil.rmtree(str(output), ignore_errors=True)
    output.mkdir(parents=True)
    with testing.SimulatorProcess(preload=SCALE_WORKLOADS) as simulator:
        code, log = run_playbook(["runai.platform.report", "-e", "workload_report_start=-7d"], simulator, cwd=output)
    assert code == 0, log[-8000:]
    return {"directory": str(output / "runai-report"), "log": log}


@pytest.fixture(scope="session")
def scale_report():
    made = made_once("scale", make_scale_report)
    return Report(Path(made["directory"]), made["log"])


@pytest.fixture(scope="session")
def run_ansible():
    """run_playbook(arguments, simulator=None, cwd=None) -> (exit code, output), and other console scripts by name."""
    return run_playbook


@pytest.fixture(scope="session")
def ansible_command():
    def run(name, *arguments):
        finished = ansible_user().run([name] + list(arguments), timeout=120)
        return finished.rc, finished.output

    return run
