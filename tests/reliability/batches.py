# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The batches the suite submits, by either entry point (the submit playbook, or runai_workload in a one-task play),
and the out-of-band check that each workload of a batch is stored exactly once."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .playbooks import PYTHON

JOB_MANIFEST = {
    "apiVersion": "batch/v1",
    "kind": "Job",
    "spec": {"template": {"spec": {
        "restartPolicy": "Never",
        "containers": [{"name": "main", "image": "busybox:1.36", "command": ["true"]}],
    }}},
}


class Batch(object):
    """One way of submitting a list of workloads: what to run, and the task whose result holds the batch's results."""

    def __init__(self, playbook, extra_vars, task):
        self.playbook = playbook
        self.extra_vars = extra_vars
        self.task = task

    @property
    def run_args(self):
        """The positional arguments of AnsibleRunner.run and .start."""
        return self.playbook, self.extra_vars


GO_WAITER = (
    "import os, sys, time\n"
    "deadline = time.monotonic() + 120\n"
    "while not os.path.exists(sys.argv[1]) and time.monotonic() < deadline:\n"
    "    time.sleep(0.02)\n"
)


class Batches(object):
    """The two entry points of a batch: the shipped submit playbook (what AWX runs, ``runai.platform.submit`` with a
    batch.yml) and the batch path of runai_workload in a one-task play (credentials from the environment)."""

    project = "team-a"
    job_manifest = JOB_MANIFEST
    entry_points = ("module", "submit_playbook")

    @staticmethod
    def names(prefix, count):
        return ["%s-%03d" % (prefix, number) for number in range(count)]

    def module(self, names, **options):
        task = "Reconcile the batch"
        arguments = dict(project=self.project, manifest=JOB_MANIFEST, workloads=[{"name": name} for name in names])
        arguments.update(options)
        play = {
            "name": "Submit a batch with the module",
            "hosts": "localhost",
            "gather_facts": False,
            "tasks": [{"name": task, "runai.platform.runai_workload": arguments}],
        }
        return Batch([play], None, task)

    def submit_playbook(self, names, **variables):
        extra_vars = dict(
            workload_submit_project=self.project,
            workload_submit_workloads=[{"name": name, "manifest": JOB_MANIFEST} for name in names],
        )
        extra_vars.update(variables)
        return Batch("runai.platform.submit", extra_vars, "Submit the workloads and wait for them")

    def build(self, entry_point, names, parallelism=8, wait=True, **module_options):
        if entry_point == "module":
            return self.module(names, parallelism=parallelism, wait=wait, wait_sleep=0.5, **module_options)
        return self.submit_playbook(names, workload_submit_parallelism=parallelism, workload_submit_wait=wait)

    @staticmethod
    def behind_barrier(batch, ready_file, go_file):
        """The batch preceded by a play that says it is ready and waits for the go, so that runs started together
        reach the API together (ansible-playbook start-up takes seconds on a busy machine)."""
        barrier = {
            "name": "Wait for the go",
            "hosts": "localhost",
            "gather_facts": False,
            "tasks": [
                {"name": "Say ready", "ansible.builtin.file": {"path": str(ready_file), "state": "touch", "mode": "0600"}},
                # wait_for polls once a second at best; this polls every 20 ms
                {"name": "Wait for the go", "changed_when": False, "ansible.builtin.command": {"argv": [
                    str(PYTHON), "-c", GO_WAITER, str(go_file)]}},
            ],
        }
        if isinstance(batch.playbook, list):
            plays = [barrier] + batch.playbook
        else:
            plays = [barrier, {"name": "Run the batch", "ansible.builtin.import_playbook": batch.playbook}]
        return Batch(plays, batch.extra_vars, batch.task)


def assert_exactly(simulator, prefix, names):
    """The live workloads whose name starts with prefix are exactly ``names``, each once; returns them."""
    workloads = simulator.workloads(name_prefix=prefix)
    stored = [workload["name"] for workload in workloads]
    duplicates = sorted(set(name for name in stored if stored.count(name) > 1))
    assert duplicates == [], "duplicated workloads: %s" % duplicates
    assert sorted(stored) == sorted(names), "missing: %s; unexpected: %s" % (
        sorted(set(names) - set(stored)), sorted(set(stored) - set(names)))
    return workloads
