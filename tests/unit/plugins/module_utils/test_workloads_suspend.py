# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The batch route of suspend and resume, and the events a failed wait quotes."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.runai.platform.plugins.module_utils.api.client import RunaiClient
from ansible_collections.runai.platform.plugins.module_utils.api.errors import RunaiWaitError
from ansible_collections.runai.platform.plugins.module_utils.workloads.events import with_events
from ansible_collections.runai.platform.plugins.module_utils.workloads.suspend import send_batch

WID = "0b6f3c2e-8a41-4d7e-9c55-2f1e7a9d4b10"


def client(transport):
    return RunaiClient(url=transport.base_url, token="t", transport=transport, retries=0)


def test_150_ids_are_two_requests_of_at_most_100(scripted_transport):
    ids = ["00000000-0000-0000-0000-%012d" % number for number in range(150)]
    scripted_transport.expect("POST", "/api/v1/workloads/batch",
                              body={"id": "b1", "succeeded": ids[:100], "failed": []})
    scripted_transport.expect("POST", "/api/v1/workloads/batch", body={
        "id": "b2", "succeeded": ids[100:149], "failed": [{"id": ids[149], "code": 400, "message": "cannot"}]})

    outcome = send_batch(client(scripted_transport), "suspend", ids)

    sent = [call["json"] for call in scripted_transport.calls]
    assert [len(body["ids"]) for body in sent] == [100, 50]
    assert all(body["action"] == "suspend" for body in sent)
    assert [key for key, value in outcome.items() if value is not None] == [ids[149]]
    assert outcome[ids[149]] == (400, "cannot")


@pytest.mark.events
def test_a_failed_wait_quotes_the_latest_events_newest_first(scripted_transport):
    events = [
        {"createdAt": "2026-01-05T10:00:12Z", "type": "Warning", "reason": "Failed", "message": "x" * 300,
         "involvedObject": {"kind": "Job", "name": "train"}},
        {"createdAt": "2026-01-05T10:00:11Z", "type": "Warning", "reason": "BackOff", "message": "Back-off",
         "involvedObject": {"kind": "Pod", "name": "train-0-0"}},
    ]
    scripted_transport.expect("GET", "/api/v1/workloads/%s/events" % WID, body={"events": events})

    error = with_events(client(scripted_transport), WID, RunaiWaitError("Workload 'train' failed."))

    assert scripted_transport.calls[0]["params"] == {"offset": "0", "limit": "3", "sortOrder": "desc"} or \
        scripted_transport.calls[0]["params"] == {"offset": 0, "limit": 3, "sortOrder": "desc"}
    assert "Latest events, newest first: Warning Failed (Job/train): xxx" in str(error)
    assert [event["reason"] for event in error.details["events"]] == ["Failed", "BackOff"]
    assert len(error.details["events"][0]["message"]) == 160


@pytest.mark.events
def test_events_that_cannot_be_read_do_not_hide_the_failure(scripted_transport):
    scripted_transport.expect("GET", "/api/v1/workloads/%s/events" % WID, 404, {"code": 404, "message": "no"})

    error = with_events(client(scripted_transport), WID, RunaiWaitError("Workload 'train' failed."))

    assert str(error) == "Workload 'train' failed." and error.details["events"] == []
