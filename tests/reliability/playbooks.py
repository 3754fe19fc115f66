# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ansible-playbook as the suite runs it: the simulator package's AnsibleUser, plus a callback that records every task
result, a localhost inventory pinned to this Python, a leak scan of every run, and the retries each run reported."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re
import sys
from pathlib import Path

import pytest
from runai_simulator.testing import SECRET_VARIABLES, AnsibleUser, CommandTimedOut

from .leaks import LeakScanner

CALLBACK_DIR = Path(__file__).resolve().parent / "callback_plugins"
# ansible-playbook and the module both run on the Python that runs the suite (the project venv).
PYTHON = Path(sys.executable)
# Upper bound of any single ansible-playbook run; a run that needs longer is a hang, and the test fails.
PLAYBOOK_TIMEOUT = 300
RETRY_WARNING = re.compile(r"retry \d+ of \d+")


class PlaybookRun(object):
    """The outcome of one ansible-playbook process: exit code, output, and every task result the callback recorded."""

    def __init__(self, finished, records):
        self._finished = finished
        self.rc, self.stdout, self.stderr = finished.rc, finished.stdout, finished.stderr
        self.output, self.directory = finished.output, finished.directory
        self.records = records

    def results(self, action=None, task=None):
        return [
            record for record in self.records
            if (action is None or record["action"] == action) and (task is None or record["task"] == task)
        ]

    def result(self, task):
        """The one recorded result of the task named ``task``."""
        found = self.results(task=task)
        assert len(found) == 1, "expected one result of task %r, found %d:\n%s" % (task, len(found), self.describe())
        return found[0]

    def failures(self):
        return [record for record in self.records if record["status"] in ("failed", "unreachable")]

    def warnings(self):
        return [warning for record in self.records for warning in record["warnings"]]

    def python_failures(self):
        """Signs that Python itself failed (a traceback, or a module that crashed) rather than reporting a problem."""
        signs = []
        for record in self.records:
            if record.get("traceback"):
                signs.append("traceback in task %r" % record["task"])
            text = json.dumps(record["result"])
            if "Traceback (most recent call last)" in text or "module_stderr" in record["result"]:
                signs.append("module crash in task %r" % record["task"])
        for marker in ("Traceback (most recent call last)", "MODULE FAILURE"):
            if marker in self.output:
                signs.append("%r in the output" % marker)
        return signs

    def describe(self, limit=6000):
        return self._finished.describe(limit)


class RunningPlaybook(object):
    """An ansible-playbook process started in the background (for the crash and concurrency groups)."""

    def __init__(self, runner, started, scanner):
        """``scanner`` None: the caller checks the output for secrets itself."""
        self._runner = runner
        self._started = started
        self._scanner = scanner

    def wait(self, timeout=PLAYBOOK_TIMEOUT):
        try:
            finished = self._started.wait(timeout)
        except CommandTimedOut as timed_out:
            pytest.fail(str(timed_out))
        return self._runner.finish(finished, self._scanner)

    def terminate(self):
        self._started.terminate()


class AnsibleRunner(object):
    """ansible-playbook as a user runs it (the simulator package's AnsibleUser, with this checkout as runai.platform),
    plus what this suite adds: its recording callback, a localhost inventory pinned to this Python, a leak scan of
    every run, and the retries each run reported, counted into the figures."""

    def __init__(self, root, collections_path, figures):
        self.user = AnsibleUser(root, collections_path)
        self.home, self.remote_tmp = self.user.home, self.user.remote_tmp
        self._figures = figures
        self._started = []
        self.inventory = self.user.write(self.user.root / "inventory.yml", {
            "all": {"hosts": {"localhost": {
                "ansible_connection": "local",
                "ansible_python_interpreter": str(PYTHON),
            }}}
        })

    def run(self, playbook, extra_vars=None, args=(), connection=None, env=None, secrets=None,
            timeout=PLAYBOOK_TIMEOUT, check_leaks=True):
        """Run to completion and return a PlaybookRun; fails the test on a hang or, unless ``check_leaks`` is false,
        on a secret in the output."""
        running = self.start(playbook, extra_vars, args, connection, env, secrets, check_leaks)
        return running.wait(timeout)

    def start(self, playbook, extra_vars=None, args=(), connection=None, env=None, secrets=None, check_leaks=True):
        """``playbook``: a path, a playbook's FQCN or a list of plays; ``connection`` and ``env``: variables set for
        the run (None unsets one)."""
        directory = self.user.run_directory()
        if isinstance(playbook, (list, tuple)):
            playbook = self.user.write(directory / "playbook.yml", list(playbook))
        settings = dict(connection or {}, **(env or {}))
        settings.update(ANSIBLE_CALLBACK_PLUGINS=str(CALLBACK_DIR), ANSIBLE_CALLBACKS_ENABLED="reliability_record",
                        RELIABILITY_RESULTS_FILE=str(directory / "results.jsonl"))
        environment = self.user.environment(env=settings)
        scanner = LeakScanner(secrets)
        for name in SECRET_VARIABLES:
            scanner.add(name, environment.get(name))
        started = self.user.start(["ansible-playbook", "-i", self.inventory, playbook] + list(args),
                                  environment=environment, extra_vars=extra_vars, directory=directory,
                                  secrets=list((secrets or {}).values()))
        running = RunningPlaybook(self, started, scanner if check_leaks else None)
        self._started.append(running)
        return running

    def finish(self, finished, scanner):
        records = []
        results_path = finished.directory / "results.jsonl"
        if results_path.exists():
            records = [json.loads(line) for line in results_path.read_text().splitlines() if line.strip()]
        run = PlaybookRun(finished, records)
        self._figures.add(retries_made=count_retries(run))
        if scanner is None:
            return run
        leaks = scanner.scan_text("stdout of %s" % finished.directory.name, finished.stdout)
        leaks += scanner.scan_text("stderr of %s" % finished.directory.name, finished.stderr)
        leaks += scanner.scan_file(results_path)
        if leaks:
            self._figures.add_leaks(leaks)
            pytest.fail("secrets leaked by ansible-playbook: %s" % "; ".join(leaks))
        return run

    def stop_all(self):
        for running in self._started:
            running.terminate()


def count_retries(run):
    """Retries a run reported: the modules' own count when they return one, else their retry warnings."""
    reported = 0
    for record in run.records:
        counts = record["result"].get("api") if isinstance(record["result"], dict) else None
        if isinstance(counts, dict) and isinstance(counts.get("retries"), int):
            reported += counts["retries"]
        else:
            reported += sum(1 for warning in record["warnings"] if RETRY_WARNING.search(warning))
    return reported
