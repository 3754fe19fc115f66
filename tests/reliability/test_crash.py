# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The control plane dies (SIGKILL) in the middle of a batch and comes back: nothing it acknowledged is lost, and
running the playbook again converges to exactly the desired set, creating each workload once."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

import pytest

pytestmark = [pytest.mark.reliability, pytest.mark.crash]

BATCH_SIZE = 120
# Added to every API call so the batch is still running when the simulator is killed.
LATENCY_MS = 40
# How long the control plane stays down before it restarts (the first run sees refused connections meanwhile).
DOWNTIME_SECONDS = 1.0


def test_simulator_killed_mid_batch_then_rerun_converges(
    simulators, ansible, server_view, connection_env, batches, exactly, poll, tmp_path
):
    simulator = simulators.start(state=str(tmp_path / "state.db"))
    server = server_view(simulator)
    names = batches.names("crash", BATCH_SIZE)
    batch = batches.build("module", names, parallelism=8, wait=False)
    server.faults(latency_ms=LATENCY_MS)

    first = ansible.start(batch.playbook, batch.extra_vars, connection=connection_env(simulator))
    created_before_kill = poll(
        lambda: (lambda live: live if 10 <= live < BATCH_SIZE else 0)(server.stats()["workloads"]["live"]),
        timeout=120, interval=0.02, what="the batch creating its first workloads",
    )
    simulator.kill()
    time.sleep(DOWNTIME_SECONDS)
    simulator.start()
    interrupted = first.wait()

    assert interrupted.python_failures() == [], interrupted.describe()
    reported = [item for record in interrupted.results(task=batch.task)
                for item in (record["result"].get("results") or []) if item.get("id")]
    if interrupted.rc != 0:
        assert any(
            word in record["result"].get("msg", "") for record in interrupted.failures()
            for word in ("connect", "reach", "refused")
        ), "the interrupted run failed without saying the API could not be reached:\n%s" % interrupted.describe()
    rerun = ansible.run(batch.playbook, batch.extra_vars, connection=connection_env(simulator))

    assert rerun.rc == 0, rerun.describe()
    workloads = exactly(server, "crash-", names)
    stored_ids = set(workload["id"] for workload in workloads)
    lost = [item["name"] for item in reported if item["id"] not in stored_ids]
    assert lost == [], "workloads acknowledged before the kill are gone: %s" % lost
    items = rerun.result(batch.task)["result"]["results"]
    assert sorted(item["id"] for item in items) == sorted(stored_ids)
    newly_created = sum(1 for item in items if item["changed"])
    assert newly_created <= BATCH_SIZE - created_before_kill, (
        "the re-run re-created workloads that existed before the kill: %d changed, %d existed"
        % (newly_created, created_before_kill))
