# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The runai.platform.workload_events source: its main() driven with an asyncio queue, as ansible-rulebook drives it,
against a real simulator process with faults injected; results checked out of band with the test's own API calls."""

import asyncio
import json
import logging
import time

import pytest
from eda_support import JWT_PATTERN, create, moment, workload

from ansible_collections.runai.platform.extensions.eda.plugins.event_source import workload_events

TERMINAL = ("Failed", "Completed")


def wait_until(predicate, timeout, interval=0.05):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(interval)
    return True


def drive(args, scenario):
    """Run the source's main() while ``scenario(received)`` drives the simulator from a thread; every event the
    source puts on the queue is appended to ``received`` as (wall-clock arrival, event)."""

    async def run():
        queue = asyncio.Queue()
        received = []
        source = asyncio.create_task(workload_events.main(queue, args))

        async def consume():
            while True:
                event = await queue.get()
                received.append((time.time(), event))

        consumer = asyncio.create_task(consume())
        try:
            await asyncio.to_thread(scenario, received)
            assert not source.done(), "the source stopped: %r" % (source.exception(),)
        finally:
            source.cancel()
            consumer.cancel()
            await asyncio.gather(source, consumer, return_exceptions=True)
        return received

    return asyncio.run(run())


def terminal_events(received, workload_id):
    return [event for _arrival, event in received
            if event["workload"]["id"] == workload_id and event["phase"] in TERMINAL]


def test_each_phase_change_comes_once_through_503s_429s_and_expiring_tokens(connection, caplog):
    sim = connection
    caplog.set_level(logging.WARNING, logger=workload_events.SOURCE_NAME)
    created = {}

    def scenario(received):
        time.sleep(0.5)  # the source has taken its first look: what follows are changes
        for index in range(3):
            created[create(sim, "fails-%d" % index, fail_after=20 + 5 * index)] = ("Failed", time.time())
            created[create(sim, "completes-%d" % index, complete_after=25 + 5 * index)] = ("Completed", time.time())
        # One answer in five a 503, one in twenty a 429 with Retry-After 0, from the first poll after the creations.
        sim.set_faults(seed=19, status_rates={"503": 0.2, "429": 0.05}, retry_after_seconds=0)

        def all_ended():
            return all(terminal_events(received, workload_id) for workload_id in created)

        assert wait_until(all_ended, timeout=30), "not every workload's end arrived within 30 s: %s" % [
            (event["workload"]["name"], event["phase"]) for _arrival, event in received]
        # Every token issued so far expires now; the source renews its own, and later polls repeat nothing.
        assert sim.admin("POST", "/_simulator/tokens/expire").status_code == 200
        time.sleep(2)

    received = drive({"interval": 0.3, "lookback": 5}, scenario)
    injected = sim.faults_injected()
    sim.admin("DELETE", "/_simulator/faults")

    events = [event for _arrival, event in received]
    changes = [(event["workload"]["id"], event["phase_updated_at"]) for event in events]
    assert len(changes) == len(set(changes)), "a change was sent twice"
    assert {event["workload"]["id"] for event in events} == set(created)
    latencies = []
    for workload_id, (phase, created_at) in created.items():
        ends = [(arrival, event) for arrival, event in received
                if event["workload"]["id"] == workload_id and event["phase"] in TERMINAL]
        assert len(ends) == 1
        arrival, end = ends[0]
        truth = workload(sim, workload_id)
        assert (end["phase"], moment(end["phase_updated_at"])) == (phase, moment(truth["phaseUpdatedAt"])) == (
            truth["phase"], moment(truth["phaseUpdatedAt"]))
        assert end["project"] == truth["projectName"] == "project-a"
        # When the change happened on the wall clock: the creation, plus the time the workload took to reach it.
        changed_at = created_at + (moment(truth["phaseUpdatedAt"]) - moment(truth["createdAt"])).total_seconds()
        latencies.append(arrival - changed_at)
        mine = [event for event in events if event["workload"]["id"] == workload_id]
        for before, after in zip(mine, mine[1:]):
            assert after["previous_phase"] == before["phase"]
            assert moment(after["phase_updated_at"]) > moment(before["phase_updated_at"])
    retries = [record for record in caplog.records if "retry" in record.getMessage()]
    assert injected > 0 and retries, "no fault was injected or retried"
    text = json.dumps(events) + caplog.text
    assert sim.client_secret not in text and not JWT_PATTERN.search(text)
    print("\nworkload_events under faults: %d events, %d workloads, 0 duplicates, %d faults injected, %d retries, "
          "change-to-event latency max %.2f s, mean %.2f s (interval 0.3 s)" % (
              len(events), len(created), injected, len(retries), max(latencies), sum(latencies) / len(latencies)))
    assert max(latencies) < 10


def test_the_state_at_start_is_sent_only_when_asked(connection):
    sim = connection
    running = {create(sim, "serving-%d" % index) for index in range(2)}
    assert wait_until(lambda: all(workload(sim, workload_id)["phase"] == "Running" for workload_id in running), 10)

    def settle(received):
        time.sleep(1)

    with_state = [event for _arrival, event in drive({"interval": 0.2, "initial_state": True}, settle)]
    assert sorted((event["workload"]["id"], event["phase"], event["previous_phase"], event["initial"])
                  for event in with_state) == sorted((workload_id, "Running", None, True) for workload_id in running)
    assert drive({"interval": 0.2}, settle) == []


def test_projects_and_phases_narrow_the_events(connection):
    sim = connection

    def scenario(received):
        time.sleep(0.4)
        create(sim, "other-project", fail_after=10, project_id="3")
        create(sim, "wanted", fail_after=10)
        assert wait_until(lambda: received, 10)
        time.sleep(1.5)  # the other project's failure happens meanwhile and must not be sent

    received = drive({"interval": 0.2, "projects": ["project-a"], "phases": ["Failed"]}, scenario)
    assert [(event["workload"]["name"], event["project"], event["phase"]) for _arrival, event in received] == [
        ("wanted", "project-a", "Failed")]


@pytest.mark.parametrize("args, environment, option", [
    ({}, {"RUNAI_URL": None}, "'url'"),
    ({"interval": "soon"}, {}, "interval"),
    ({"interval": 0}, {}, "'interval'"),
    ({"phases": ["Exploded"]}, {}, "phases"),
    ({"polling": 3}, {}, "polling"),
    ({"projects": ["no-such-project"]}, {}, "'projects'"),
    ({}, {"RUNAI_CLIENT_SECRET": "wrong"}, "'client_secret'"),
    ({}, {"RUNAI_CLIENT_ID": None, "RUNAI_CLIENT_SECRET": None}, "'token'"),
])
def test_a_misconfigured_source_stops_at_once_with_one_line_naming_the_option(
        connection, monkeypatch, args, environment, option):
    for name, value in environment.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    started = time.monotonic()
    with pytest.raises(SystemExit) as stopped:
        asyncio.run(workload_events.main(asyncio.Queue(), args))
    message = str(stopped.value.code)
    assert time.monotonic() - started < 5
    assert message.startswith(workload_events.SOURCE_NAME + ": ") and "\n" not in message
    assert option in message
    assert stopped.value.__suppress_context__ and connection.client_secret not in message


class ListingServer:
    """The workloads listing as a stand-in client answers it (filterBy on phaseUpdatedAt, sorted, offset/limit), for
    the cases a live simulator cannot stage on demand: many workloads entering a phase in the same millisecond."""

    def __init__(self, workloads):
        self.workloads = workloads
        self.requests = 0

    def get(self, path, params=None):
        self.requests += 1
        since = None
        for item in (params.get("filterBy") or "").split(","):
            if item.startswith("phaseUpdatedAt>="):
                since = moment(item[len("phaseUpdatedAt>="):])
        matching = sorted((w for w in self.workloads if since is None or moment(w["phaseUpdatedAt"]) >= since),
                          key=lambda w: w["phaseUpdatedAt"])
        offset, limit = int(params["offset"]), int(params["limit"])
        return {"workloads": [dict(w) for w in matching[offset:offset + limit]]}


def listed(workload_id, phase, stamp):
    return {"id": workload_id, "name": workload_id, "projectName": "p", "phase": phase, "phaseUpdatedAt": stamp}


def test_changes_sharing_the_cursors_millisecond_are_each_sent_once_across_pages():
    stamp = "2026-01-01T00:00:00.000Z"
    server = ListingServer([listed("w%d" % index, "Running", stamp) for index in range(7)])
    watcher = workload_events.PhaseWatcher(server, lookback=0, page_size=2)

    assert sorted(event["workload"]["id"] for event in watcher.poll()) == ["w%d" % index for index in range(7)]
    assert watcher.poll() == []
    server.workloads[3] = listed("w3", "Failed", stamp.replace(".000Z", ".001Z"))
    server.workloads.append(listed("w7", "Creating", stamp))  # late: at the cursor, not after it
    assert [(event["workload"]["id"], event["previous_phase"], event["phase"]) for event in watcher.poll()] == [
        ("w7", None, "Creating"), ("w3", "Running", "Failed")]
    assert watcher.poll() == []


def test_memory_is_bounded_and_forgetting_repeats_nothing():
    server = ListingServer([listed("w%d" % index, "Completed", "2026-01-01T00:00:%02d.000Z" % index)
                            for index in range(50)])
    watcher = workload_events.PhaseWatcher(server, lookback=5, max_tracked=10, page_size=7)

    assert len(watcher.poll()) == 50
    # Forgotten: only workloads whose last change is older than the lookback window, which no poll reads again.
    assert watcher.tracked == 10
    assert watcher.poll() == []
    server.workloads[0] = listed("w0", "Deleting", "2026-01-01T00:01:00.000Z")
    assert [(event["previous_phase"], event["phase"]) for event in watcher.poll()] == [(None, "Deleting")]
    assert watcher.tracked == 10
