# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's playbooks run from a user's own directory, as a new user runs them: a batch file and manifests
beside it (a relative ``src`` starts there, not inside the installed collection), list variables given as one string
on the command line, a summary that counts failed workloads as failed, and a cleanup that keeps running work unless
its phase is asked for. What the server holds is read out of band."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


import pytest
import yaml
from runai_simulator.testing import SimulatorProcess

from .conftest import user_playbook

JOB = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "job"},
       "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [
           {"name": "main", "image": "python:3.12", "command": ["python", "-c", "print('done')"]}]}}}}
LONG_JOB = dict(JOB, metadata={"name": "long", "annotations": {"simulator.run.ai/complete-after": "36000"}})


@pytest.fixture(scope="module")
def simulator():
    with SimulatorProcess(speed=40) as running:
        yield running


def phases(simulator, project):
    listed = simulator.api("GET", "/api/v1/workloads", params={"filterBy": "projectName==%s" % project}).json()
    return dict((workload["name"], workload["phase"]) for workload in listed["workloads"])


def test_a_batch_in_the_users_directory_reads_its_manifests_there_and_counts_failures_as_failed(
        simulator, installed_user, tmp_path):
    (tmp_path / "manifests").mkdir()
    (tmp_path / "manifests" / "job.yaml").write_text(yaml.safe_dump(JOB))
    (tmp_path / "batch.yml").write_text(yaml.safe_dump({
        "workload_submit_project": "team-a",
        "workload_submit_workloads": [{"name": "user-dir-ok", "src": "manifests/job.yaml"},
                                      {"name": "user-dir-missing", "src": "manifests/no-such.yaml"}]}))

    # wait_for given as one string, as on a command line
    run = user_playbook(installed_user, simulator, tmp_path, "runai.platform.submit", "-e", "@batch.yml",
                        "-e", "workload_submit_wait_for=Completed")

    assert run.rc != 0, run.output[-4000:]
    assert "2 workloads: 1 created or updated, 0 unchanged, 1 failed." in run.output, run.output[-4000:]
    assert "Phases: 1 Completed, 1 without a phase." in run.output, run.output[-4000:]
    assert "%s/manifests/no-such.yaml" % tmp_path in run.output
    assert "ansible_collections/runai/platform/playbooks/manifests" not in run.output
    assert phases(simulator, "team-a").get("user-dir-ok") == "Completed"
    assert "user-dir-missing" not in phases(simulator, "team-a")


def test_a_cleanup_of_one_project_given_as_a_string_keeps_running_work(simulator, installed_user, tmp_path):
    (tmp_path / "batch.yml").write_text(yaml.safe_dump({
        "workload_submit_project": "project-a",
        "workload_submit_workloads": [{"name": "keep-done", "manifest": JOB, "wait_for": ["Completed"]},
                                      {"name": "keep-running", "manifest": LONG_JOB, "wait_for": ["Running"]}]}))
    submitted = user_playbook(installed_user, simulator, tmp_path, "runai.platform.submit", "-e", "@batch.yml")
    assert submitted.rc == 0, submitted.output[-4000:]

    checked = user_playbook(installed_user, simulator, tmp_path, "runai.platform.cleanup", "--check",
                            "-e", "workload_cleanup_projects=project-a")
    assert checked.rc == 0, checked.output[-4000:]
    assert "Matching workloads (1): " in checked.output, checked.output[-3000:]
    assert "1 workload: 1 would be deleted (check mode), 0 unchanged, 0 failed." in checked.output
    assert "project-a/keep-done (Completed" in checked.output and "keep-running" not in checked.output

    deleted = user_playbook(installed_user, simulator, tmp_path, "runai.platform.cleanup",
                            "-e", "workload_cleanup_projects=project-a")
    assert deleted.rc == 0, deleted.output[-4000:]
    assert phases(simulator, "project-a") == {"keep-running": "Running"}

    # Live work goes only when its phase is named, here as a comma-separated string.
    live = user_playbook(installed_user, simulator, tmp_path, "runai.platform.cleanup",
                         "-e", "workload_cleanup_projects=project-a", "-e", "workload_cleanup_phases=Running,Pending")
    assert live.rc == 0, live.output[-4000:]
    assert phases(simulator, "project-a") == {}
