# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The control plane dies (SIGKILL) in the middle of a batch and comes back. Nothing it acknowledged is lost; a run
that gave up says the API could not be reached; running the playbook again converges to exactly the desired set,
creating each missing workload once; and an outage shorter than the retries is ridden out by the run itself."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

pytestmark = [pytest.mark.reliability, pytest.mark.crash]

BATCH_SIZE = 80
# Added to every API call so the batch is still running when the simulator is killed.
LATENCY_MS = 40


def kill_mid_batch(simulator, poll):
    """SIGKILL the simulator once the batch has created some but not all workloads; returns how many it had."""
    def created_so_far():
        live = simulator.stats()["workloads"]["live"]
        return live if 10 <= live < BATCH_SIZE else 0

    created = poll(created_so_far, timeout=120, interval=0.02, what="the batch creating its first workloads")
    simulator.kill()
    return created


def acknowledged(run, task):
    """The batch items a run reported with an id: workloads the API acknowledged."""
    return [item for record in run.results(task=task) for item in (record["result"].get("results") or [])
            if item.get("id")]


def test_rerun_after_a_crash_converges_to_exactly_the_desired_set(
    simulators, ansible, batches, exactly, poll, tmp_path
):
    simulator = simulators.start(state=str(tmp_path / "state.db"))
    names = batches.names("crash", BATCH_SIZE)
    # The module with one retry: the interrupted run gives up quickly while the API is down, as after a long outage.
    # The re-run is the shipped submit playbook, as an operator would start it.
    impatient = batches.build("module", names, wait=False, retries=1)
    batch = batches.build("submit_playbook", names, wait=False)
    simulator.set_faults(latency_ms=LATENCY_MS)

    first = ansible.start(*impatient.run_args, connection=simulator.connection())
    created_before_kill = kill_mid_batch(simulator, poll)
    interrupted = first.wait()
    simulator.start()
    rerun = ansible.run(*batch.run_args, connection=simulator.connection())

    assert interrupted.rc != 0, "the run went on although the API was down:\n%s" % interrupted.describe()
    assert interrupted.python_failures() == [], interrupted.describe()
    messages = [item["msg"] for record in interrupted.results(task=impatient.task)
                for item in record["result"].get("results") or [] if item.get("failed")]
    assert messages, interrupted.describe()
    unclear = [message for message in messages if "Could not reach Run:ai" not in message]
    assert unclear == [], "items failed without saying the API could not be reached: %s" % unclear[:3]
    assert rerun.rc == 0, rerun.describe()
    workloads = exactly(simulator, "crash-", names)
    stored_ids = set(workload["id"] for workload in workloads)
    lost = [item["name"] for item in acknowledged(interrupted, impatient.task) if item["id"] not in stored_ids]
    assert lost == [], "workloads acknowledged before the crash are gone: %s" % lost
    items = rerun.result(batch.task)["result"]["results"]
    assert sorted(item["id"] for item in items) == sorted(stored_ids)
    created_by_rerun = sum(1 for item in items if item["changed"])
    assert 0 < created_by_rerun <= BATCH_SIZE - created_before_kill


def test_a_short_outage_is_ridden_out_by_the_run_itself(
    simulators, ansible, batches, exactly, poll, tmp_path
):
    simulator = simulators.start(state=str(tmp_path / "state.db"))
    names = batches.names("outage", BATCH_SIZE)
    batch = batches.build("submit_playbook", names, wait=False)
    simulator.set_faults(latency_ms=LATENCY_MS)

    running = ansible.start(*batch.run_args, connection=simulator.connection())
    kill_mid_batch(simulator, poll)
    simulator.start()
    run = running.wait()

    assert run.rc == 0, run.describe()
    workloads = exactly(simulator, "outage-", names)
    items = run.result(batch.task)["result"]["results"]
    assert sorted(item["id"] for item in items) == sorted(workload["id"] for workload in workloads)
    assert all(item["changed"] for item in items)
    rerun = ansible.run(*batch.run_args, connection=simulator.connection())
    assert rerun.rc == 0, rerun.describe()
    assert not any(item["changed"] for item in rerun.result(batch.task)["result"]["results"])
