# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Two AWX jobs submitting the same workloads at the same moment: both succeed, each workload exists once, and each is
reported as created by exactly one of the two runs."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

pytestmark = [pytest.mark.reliability, pytest.mark.concurrency]

BATCH_SIZE = 50
# Slows every API call so that the two runs' lookups and creates overlap even when one module starts a second later.
LATENCY_MS = 300


@pytest.mark.parametrize("entry_point", ["submit_playbook"])
def test_two_playbooks_submitting_the_same_workloads_end_with_one_of_each(
    entry_point, simulators, ansible, batches, exactly, poll, tmp_path
):
    simulator = simulators.start()
    names = batches.names("twin", BATCH_SIZE)
    batch = batches.build(entry_point, names, wait=False)
    go = tmp_path / "go"
    ready = [tmp_path / "ready-1", tmp_path / "ready-2"]
    simulator.set_faults(latency_ms=LATENCY_MS)

    started = [ansible.start(*batches.behind_barrier(batch, flag, go).run_args, connection=simulator.connection())
               for flag in ready]
    poll(lambda: all(flag.exists() for flag in ready), timeout=120, what="both runs reaching the barrier")
    go.touch()
    runs = [running.wait() for running in started]
    creates_sent = simulator.stats()["requests"]["by_route"].get("POST /api/v2/workloads", 0)

    for run in runs:
        assert run.rc == 0, run.describe()
    assert creates_sent > BATCH_SIZE, "the two runs did not race: only %d creates were sent" % creates_sent
    workloads = exactly(simulator, "twin-", names)
    results = [run.result(batch.task)["result"]["results"] for run in runs]
    for items in results:
        assert [item["name"] for item in items] == names
        assert sorted(item["id"] for item in items) == sorted(workload["id"] for workload in workloads)
    creators = dict(
        (name, [number for number, items in enumerate(results, 1) for item in items
                if item["name"] == name and item["changed"]])
        for name in names
    )
    not_once = dict((name, runs_) for name, runs_ in creators.items() if len(runs_) != 1)
    assert not_once == {}, "workloads not reported as created by exactly one run: %s" % not_once
