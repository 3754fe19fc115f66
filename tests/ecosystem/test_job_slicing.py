# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A sliced job template, reproduced the way the controller runs one: the runai.platform.runai inventory is read
once, its hosts are sorted by name and every Nth host goes to slice N (AWX's slicing), and each slice runs as its
own ansible-runner job, all of them at once, against one simulator. The submit and cleanup playbooks must give the
result of the unsliced run (each workload created once, in its own project), change nothing when run again, and do
so with injected 503s and lost answers. Everything is checked out of band, from the simulator's API and counters."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import json
import os
import sys
import threading
import time

import ansible_runner
import pytest
import yaml
from runai_simulator.testing import AnsibleUser, SimulatorProcess

SLICES = 3
# The inventory's projects: three of the simulator's, each name in one cluster only.
PROJECTS = ["project-a", "team-a", "team-b"]
WORKLOADS_PER_PROJECT = 6
PREFIX = "slice-"
JOB_TIMEOUT_SECONDS = 900
FAULTS = {"status_rates": {"503": 0.10}, "drop_after_write_rate": 0.02}
MANIFEST = {
    "apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "train"},
    "spec": {"backoffLimit": 0, "template": {"spec": {"restartPolicy": "Never", "containers": [{
        "name": "trainer", "image": "nvcr.io/nvidia/pytorch:24.05-py3", "command": ["python", "train.py"],
        "resources": {"limits": {"nvidia.com/gpu": 1}}}]}}},
}
BATCH = [
    {"name": "%s%s-%02d" % (PREFIX, project, number), "project": project, "manifest": MANIFEST}
    for number in range(WORKLOADS_PER_PROJECT) for project in PROJECTS
]
EXTRA_VARS = {
    "workload_submit_workloads": BATCH,
    "workload_submit_wait": False,
    # Three slices at once: each keeps to a third of what one unsliced job would use.
    "workload_submit_parallelism": 3,
    "workload_cleanup_parallelism": 3,
    "workload_cleanup_name_prefix": PREFIX,
    "workload_cleanup_phases": ["Creating", "Initializing", "Pending", "Running", "Completed", "Failed"],
}
FIGURES = []


@pytest.fixture(scope="module")
def simulator():
    with SimulatorProcess(speed=20) as running:
        yield running


@pytest.fixture(scope="module")
def user(tmp_path_factory):
    """Ansible as a user runs it, with the working tree as runai.platform (make link)."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    path = os.path.join(root, ".build", "collections")
    assert os.path.isdir(os.path.join(path, "ansible_collections", "runai", "platform", "plugins")), "run make link"
    return AnsibleUser(tmp_path_factory.mktemp("ansible"), path)


def plain(value):
    """ansible-inventory's JSON without its markers of untrusted strings, as the controller stores a host's vars."""
    if isinstance(value, dict):
        if set(value) == {"__ansible_unsafe"}:
            return value["__ansible_unsafe"]
        return dict((key, plain(item)) for key, item in value.items())
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


@pytest.fixture(scope="module")
def controller_slices(simulator, user, tmp_path_factory):
    """The inventory as the controller imports it (ansible-inventory on runai.yml), then cut into slices the way it
    cuts a sliced job's inventory: hosts sorted by name, host i to slice i mod N, groups kept."""
    directory = tmp_path_factory.mktemp("inventory")
    source = directory / "runai.yml"
    source.write_text(yaml.safe_dump({"plugin": "runai.platform.runai", "projects": PROJECTS}))
    listed = user.run(["ansible-inventory", "-i", source, "--list"], simulator=simulator, timeout=120)
    assert listed.rc == 0, listed.describe()
    listed = json.loads(listed.stdout)
    hostvars = plain(listed["_meta"]["hostvars"])
    hosts = sorted(hostvars)
    assert [hostvars[host]["runai_project"] for host in hosts] == sorted(PROJECTS)
    slices = []
    for number in range(SLICES):
        mine = hosts[number::SLICES]
        slices.append({"all": {"children": {"runai_projects": {"hosts": {
            host: dict(hostvars[host], ansible_python_interpreter=sys.executable) for host in mine}}}}})
    return slices


def run_jobs(simulator, user, tmp_path, playbook, inventories, label, faults=None, extravars=None,
             workload_count=len(BATCH)):
    """One ansible-runner job per inventory (None: no inventory, as an unsliced localhost job), all at once; the
    simulator's counters cover these jobs' requests only."""
    runners = [None] * len(inventories)
    simulator.forget_requests()

    def run(index, inventory):
        job = tmp_path / ("%s-%d" % (playbook.rsplit(".", 1)[-1], index))
        (job / "project").mkdir(parents=True)
        kwargs = {}
        if inventory is not None:
            (job / "inventory").mkdir()
            (job / "inventory" / "hosts.yml").write_text(yaml.safe_dump(inventory))
        else:
            kwargs["inventory"] = "localhost,"
        runners[index] = ansible_runner.run(
            private_data_dir=str(job), playbook=playbook, envvars=user.settings(simulator),
            extravars=EXTRA_VARS if extravars is None else extravars, suppress_env_files=True, quiet=True, timeout=JOB_TIMEOUT_SECONDS, **kwargs)

    threads = [threading.Thread(target=run, args=(index, inventory)) for index, inventory in enumerate(inventories)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    record(label, simulator, len(inventories), faults, workload_count)
    for runner in runners:
        assert (runner.status, runner.rc) == ("successful", 0), runner.stdout.read()[-6000:]
    return runners


def changed_hosts(runners):
    return [host for runner in runners for host, count in (runner.stats.get("changed") or {}).items() if count]


def workloads(simulator):
    """(project, name) -> (id, createdAt) of the test's workloads, read from the API (not from the modules)."""
    found = {}
    offset = 0
    while True:
        for _attempt in range(30):  # the test's own reads meet the injected 503s too
            answer = simulator.api("GET", "/api/v1/workloads", params={"offset": offset, "limit": 100})
            if answer.status_code != 503:
                break
        assert answer.status_code == 200, answer.text
        page = answer.json()["workloads"]
        for workload in page:
            if workload["name"].startswith(PREFIX) and not workload.get("deletedAt"):
                key = (workload["projectName"], workload["name"])
                assert key not in found, "%s/%s exists twice" % key
                found[key] = (workload["id"], workload["createdAt"])
        if len(page) < 100:
            return found
        offset += len(page)


def record(label, simulator, jobs, faults=None, workload_count=len(BATCH)):
    """Notes the simulator's counters of the runs just made, and checks that each job that read the API exchanged one
    token (without faults: an injected 503 on the token route makes a retry)."""
    stats = simulator.stats()
    total, injected = stats["requests"]["total"], stats["faults"]
    tokens = sum(count for route, count in stats["requests"]["by_route"].items() if route.endswith("/token"))
    FIGURES.append("%s: %d jobs, %d workloads, %d requests (%.1f per workload), %d token exchanges, faults %s" % (
        label, jobs, workload_count, total, total / float(workload_count), tokens, json.dumps(injected, sort_keys=True)))
    if not faults and total:
        assert tokens == jobs, FIGURES[-1]


@pytest.fixture(scope="module")
def unsliced(simulator, user, tmp_path_factory):
    """What one unsliced job (localhost, no inventory) makes of the batch: the reference."""
    simulator.reset()
    run_jobs(simulator, user, tmp_path_factory.mktemp("unsliced"), "runai.platform.submit", [None],
             "unsliced submit")
    made = workloads(simulator)
    simulator.reset()
    return made


@pytest.mark.parametrize("faults", [None, FAULTS], ids=["clean", "faults"])
def test_sliced_jobs_equal_the_unsliced_run(simulator, user, controller_slices, unsliced, tmp_path, faults):
    assert set(unsliced) == set((item["project"], item["name"]) for item in BATCH)
    simulator.reset()
    label = "faults" if faults else "clean"
    if faults:
        assert simulator.admin("PUT", "/_simulator/faults", json=faults).status_code == 200

    run_jobs(simulator, user, tmp_path, "runai.platform.submit", controller_slices,
             "%s: sliced submit" % label, faults)
    made = workloads(simulator)
    assert set(made) == set(unsliced)

    # Again: nothing changes, each workload is the one created the first time.
    again = run_jobs(simulator, user, tmp_path / "again", "runai.platform.submit", controller_slices,
                     "%s: sliced submit again" % label, faults)
    assert workloads(simulator) == made
    assert changed_hosts(again) == []

    # Each slice deletes its own projects' workloads; together nothing is left, and a second cleanup has nothing to do.
    run_jobs(simulator, user, tmp_path / "cleanup", "runai.platform.cleanup", controller_slices,
             "%s: sliced cleanup" % label, faults)
    assert workloads(simulator) == {}
    again = run_jobs(simulator, user, tmp_path / "cleanup-again", "runai.platform.cleanup", controller_slices,
                     "%s: sliced cleanup again" % label, faults)
    assert workloads(simulator) == {}
    assert changed_hosts(again) == []
    print("\n".join(FIGURES))


def artifacts(runners):
    """What AWX hands the next node of a workflow: the set_stats data of every slice, merged."""
    merged = {}
    for runner in runners:
        for event in runner.events:
            if event.get("event") == "playbook_on_stats":
                merged.update(event["event_data"].get("artifact_data") or {})
    return merged


def test_a_sliced_report_merges_into_the_unsliced_report(simulator, user, controller_slices, tmp_path):
    """Each slice reports on its projects into its part; merged from the files, or from the slices' artifacts as an
    AWX workflow passes them on, the parts make the report one unsliced run makes over the same window."""
    simulator.reset()
    finishing = dict(MANIFEST, metadata={"annotations": {"simulator.run.ai/complete-after": "20"}})
    batch = [{"name": "%sreport-%s-%d" % (PREFIX, project, number), "project": project, "manifest": finishing,
              "wait_for": ["Completed"]} for number in range(2) for project in PROJECTS]
    run_jobs(simulator, user, tmp_path / "submit", "runai.platform.submit", [None], "report batch",
             extravars={"workload_submit_workloads": batch}, workload_count=len(batch))
    # A window that has ended: every run reads the same finished workloads over it.
    end = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    time.sleep(1)
    # The flags are computed where the report is written: the merge step is given the slices' thresholds.
    thresholds = {"workload_report_long_pending_seconds": 1, "workload_report_low_utilization_min_running_seconds": 0}
    selection = dict(thresholds, workload_report_name_prefix=PREFIX, workload_report_start="2026-01-01T00:00:00Z",
                     workload_report_end=end)

    unsliced_dir, shared_dir, workflow_dir = tmp_path / "unsliced", tmp_path / "shared", tmp_path / "workflow"
    run_jobs(simulator, user, tmp_path / "report", "runai.platform.report", [None], "unsliced report",
             extravars=dict(selection, workload_report_output_dir=str(unsliced_dir)), workload_count=len(batch))
    slices = run_jobs(simulator, user, tmp_path / "sliced", "runai.platform.report", controller_slices,
                      "sliced report", extravars=dict(selection, workload_report_output_dir=str(shared_dir),
                                                      workload_report_publish_part=True),
                      workload_count=len(batch))
    parts = sorted(path.parent.name for path in (shared_dir / "parts").glob("*/report.json"))
    assert len(parts) == SLICES, parts
    published = artifacts(slices)
    assert sorted(published) == sorted("runai_report_part_" + part.replace("-", "_").replace("@", "_")
                                       for part in parts), sorted(published)

    run_jobs(simulator, user, tmp_path / "merge", "runai.platform.report", [None], "merge from files",
             extravars=dict(thresholds, workload_report_merge=True, workload_report_output_dir=str(shared_dir)),
             workload_count=len(batch))
    run_jobs(simulator, user, tmp_path / "merge-artifacts", "runai.platform.report", [None],
             "merge from artifacts", extravars=dict(published, workload_report_merge=True, **thresholds,
                                                    workload_report_output_dir=str(workflow_dir)),
             workload_count=len(batch))

    expected = json.loads((unsliced_dir / "report.json").read_text())
    assert {row["name"] for row in expected["report"]["workloads"]} == {item["name"] for item in batch}
    for merged_dir in (shared_dir, workflow_dir):
        merged = json.loads((merged_dir / "report.json").read_text())
        assert merged["report"] == expected["report"], merged_dir
        assert sorted(merged["selection"]["projects"]) == sorted(PROJECTS)
        assert (merged_dir / "report.html").is_file() and (merged_dir / "report.csv").is_file()
    print("\n".join(FIGURES))
