# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A job run the way AWX / Automation Platform runs one: ansible-runner's Python API on a private data directory
(extensions/awx/runner_job: a project playbook and a localhost inventory), the collection installed from its
tarball as in an execution environment, and the connection settings in environment variables produced from a
credential of the collection's credential type. The backend is the Run:ai simulator."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import shutil

import ansible_runner
import pytest
from runai_simulator.testing import SimulatorProcess

from .conftest import REPO_ROOT

JOB_TEMPLATE = os.path.join(REPO_ROOT, "extensions", "awx", "runner_job")
# Lifecycles run this many times faster than real time; the demo's scripted failure scales with it.
SIMULATOR_SPEED = 40
JOB_TIMEOUT_SECONDS = 900
# Run:ai API tokens (and the simulator's) are JWTs: three base64url parts, the first one a JSON header.
JWT = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")
DEMO_WORKLOADS = 12
TOKEN_PLAYBOOK = """\
- name: Count the workloads of project-a with the job's token credential
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Count them
      runai.platform.runai_workload_info:
        project: project-a
        count: true
      register: counted
"""


@pytest.fixture(scope="module")
def simulator():
    with SimulatorProcess(speed=SIMULATOR_SPEED) as running:
        yield running


def run_job(monkeypatch, private_data_dir, user, credential_env, playbook="site.yml"):
    """ansible-runner, as the controller calls it: the job's environment is the credential's variables; nothing of
    the test run's own environment (RUNAI_*, the source tree on PYTHONPATH) leaks in."""
    for name in list(os.environ):
        if name.startswith("RUNAI_"):
            monkeypatch.delenv(name)
    monkeypatch.delenv("PYTHONPATH", raising=False)
    envvars = dict(user.settings(), **credential_env)
    return ansible_runner.run(
        private_data_dir=str(private_data_dir),
        playbook=playbook,
        envvars=envvars,
        # The controller keeps credentials out of the job's files; so does this run (env/envvars is not written).
        suppress_env_files=True,
        quiet=True,
        timeout=JOB_TIMEOUT_SECONDS,
    )


def new_job_directory(tmp_path):
    job = tmp_path / "job"
    shutil.copytree(JOB_TEMPLATE, str(job))
    return job


def ok_results(runner, action):
    return [event["event_data"]["res"] for event in runner.events
            if event["event"] == "runner_on_ok" and event["event_data"].get("task_action") == action]


def assert_no_secret_leaked(runner, job, secrets):
    """No secret and no bearer token in any event or in the job's output; a file of the job directory may hold a
    secret only when it is private (ansible-runner keeps the job's environment in artifacts/<id>/command, 0600)."""
    events = json.dumps(list(runner.events))
    output = runner.stdout.read()
    for secret in secrets:
        assert secret not in events and secret not in output
    assert not JWT.search(events), "a bearer token is in the job events: %s" % JWT.search(events).group(0)[:12]
    assert not JWT.search(output), "a bearer token is in the job output"
    for directory, _subdirs, files in os.walk(str(job)):
        for name in files:
            path = os.path.join(directory, name)
            with open(path, "rb") as handle:
                content = handle.read()
            if any(secret.encode("utf-8") in content for secret in secrets) or JWT.search(content.decode("utf-8", "replace")):
                assert os.stat(path).st_mode & 0o077 == 0, "%s holds a secret and others may read it" % path


def test_demo_runs_green_as_an_awx_job_with_client_credentials(
    monkeypatch, tmp_path, simulator, installed_user, inject_credential
):
    credential_env = inject_credential({
        "url": simulator.url, "client_id": simulator.client_id, "client_secret": simulator.client_secret,
    })
    job = new_job_directory(tmp_path)
    runner = run_job(monkeypatch, job, installed_user, credential_env)

    assert (runner.status, runner.rc) == ("successful", 0), runner.stdout.read()[-6000:]
    assert runner.stats["failures"] == {} and runner.stats["dark"] == {}

    submitted = ok_results(runner, "runai.platform.runai_workload")
    batch = [result for result in submitted if len(result.get("results") or []) == DEMO_WORKLOADS]
    assert batch, "no runner_on_ok event for the submission of the demo's %d workloads" % DEMO_WORKLOADS
    items = batch[0]["results"]
    assert all(item["changed"] and item["id"] for item in items)
    phases = sorted(item.get("phase") for item in items)
    assert phases.count("Completed") == 10 and phases.count("Failed") == 1 and phases.count("Running") == 1, phases

    listed = ok_results(runner, "runai.platform.runai_workload_info")
    assert listed and all(not result.get("failed") for result in listed)

    # Out of band: the simulator saw the workloads created, and the demo's clean-up deleted them all.
    stats = simulator.stats()
    assert stats["workloads"] == {"live": 0, "deleted": DEMO_WORKLOADS}, stats["workloads"]
    report_dir = job / "project" / "demo-output"
    assert {"report.html", "report.csv", "report.json"} <= set(os.listdir(str(report_dir)))

    assert_no_secret_leaked(runner, job, [simulator.client_secret, simulator.admin_token])


def test_a_token_credential_runs_a_job_and_the_token_stays_hidden(
    monkeypatch, tmp_path, simulator, installed_user, inject_credential
):
    token = simulator.token()
    job = new_job_directory(tmp_path)
    (job / "project" / "count.yml").write_text(TOKEN_PLAYBOOK)
    runner = run_job(monkeypatch, job, installed_user, inject_credential({"url": simulator.url, "token": token}),
                     playbook="count.yml")

    assert (runner.status, runner.rc) == ("successful", 0), runner.stdout.read()[-4000:]
    [counted] = ok_results(runner, "runai.platform.runai_workload_info")
    live = simulator.api("GET", "/api/v1/workloads/count", params={"filterBy": "projectName==project-a"}).json()
    assert counted["count"] == live["count"]
    assert_no_secret_leaked(runner, job, [token, simulator.client_secret, simulator.admin_token])
