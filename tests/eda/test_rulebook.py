# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The real ansible-rulebook (with Java 17) runs the example rulebook extensions/eda/rulebooks/workload_failures.yml
against a simulator: a workload scripted to fail triggers the rule within 30 s, exactly once, and so does a second
one while one API answer in five is a 503.

ansible-rulebook is found in ANSIBLE_RULEBOOK, else on PATH; a machine without it fails this test (it does not skip).
"""

import os
import re
import shutil
import subprocess
import threading
import time
from pathlib import Path

from eda_support import JWT_PATTERN, create, moment, workload
from runai_simulator.testing import AnsibleUser

REPO_ROOT = Path(__file__).resolve().parents[2]
COLLECTIONS = REPO_ROOT / ".build" / "collections"
RULEBOOK = REPO_ROOT / "extensions" / "eda" / "rulebooks" / "workload_failures.yml"
FAILED_LINE = re.compile(r"runai: workload (\S+) \((\S+)\) in project (\S+) failed at (\S+):")


def rulebook_command():
    command = os.environ.get("ANSIBLE_RULEBOOK") or shutil.which("ansible-rulebook")
    assert command, "ansible-rulebook is not installed: set ANSIBLE_RULEBOOK or put it on PATH (make installs it)"
    return command


class Rulebook:
    """ansible-rulebook in the background; every line it prints is kept with its wall-clock arrival."""

    def __init__(self, sim, tmp_path):
        variables = tmp_path / "vars.yml"
        variables.write_text("runai_events_interval: 1\nrunai_events_projects: [project-a]\n")
        command = rulebook_command()
        environment = AnsibleUser(tmp_path / "ansible", COLLECTIONS).environment(sim)
        # ansible-rulebook finds collections with the ansible-galaxy of its own installation.
        environment["PATH"] = os.pathsep.join((os.path.dirname(command), environment["PATH"]))
        self.lines = []
        self.process = subprocess.Popen(
            [command, "--rulebook", str(RULEBOOK), "--vars", str(variables)], env=environment,
            cwd=str(tmp_path), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append((time.time(), line.rstrip("\n")))

    def failures(self):
        return [(arrival, FAILED_LINE.search(line).groups()) for arrival, line in self.lines if FAILED_LINE.search(line)]

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.reader.join(5)
        return "\n".join(line for _arrival, line in self.lines)


def wait_until(predicate, timeout):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_a_failing_workload_triggers_the_rule_once_within_30_s_even_with_20_percent_503s(sim, tmp_path):
    rulebook = Rulebook(sim, tmp_path)
    try:
        # ansible-rulebook is up once its source has polled the API (its JVM takes a few seconds to start).
        assert wait_until(lambda: sim.requests() > 2 or rulebook.process.poll() is not None, 60), (
            "the source never polled")
        assert rulebook.process.poll() is None, rulebook.stop()
        latencies = {}
        for name, rates in (("train-broken", {}), ("train-broken-503", {"503": 0.2})):
            # The test's own create is made with faults off, so that only the source meets them.
            sim.set_faults(seed=23, status_rates={"503": 0.0}, retry_after_seconds=0)
            created_at = time.time()
            workload_id = create(sim, name, fail_after=80 if rates else 30)
            sim.set_faults(status_rates=rates or {"503": 0.0})
            assert wait_until(lambda: any(ids[1] == workload_id for _a, ids in rulebook.failures()), 30), (
                "the rule did not fire within 30 s for %s:\n%s" % (name, rulebook.stop()))
            time.sleep(3)  # three more polls: the rule must not fire again
            fired = [(arrival, ids) for arrival, ids in rulebook.failures() if ids[1] == workload_id]
            assert len(fired) == 1
            injected = sim.faults_injected()
            sim.set_faults(status_rates={"503": 0.0})
            truth = workload(sim, workload_id)
            assert fired[0][1] == (name, workload_id, "project-a", truth["phaseUpdatedAt"]) and truth["phase"] == "Failed"
            changed_at = created_at + (moment(truth["phaseUpdatedAt"]) - moment(truth["createdAt"])).total_seconds()
            latencies[name] = fired[0][0] - changed_at
        assert injected > 0
    finally:
        output = rulebook.stop()
    assert sim.client_secret not in output and not JWT_PATTERN.search(output)
    print("\nansible-rulebook: rule fired once per failed workload; change-to-action latency %s (interval 1 s); "
          "%d faults injected" % (", ".join("%s %.2f s" % item for item in latencies.items()), injected))
