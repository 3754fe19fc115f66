# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Scripted HTTP for unit tests: a stand-in for the client's transport (api/transport.py's HttpTransport) that answers from an
ordered list of expected calls and fails the test on any call it did not expect, so tests can assert exactly which
requests a client or module made; or, for code that sends requests from a thread pool, by path in any order."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import threading

import pytest


class ScriptedResponse(object):
    def __init__(self, status_code, body=None, headers=None, text=None):
        self.status_code = status_code
        self.headers = headers or {}
        if text is not None:
            self.content = text.encode("utf-8")
        elif body is None:
            self.content = b""
        else:
            self.content = json.dumps(body).encode("utf-8")

    def json(self):
        return json.loads(self.content.decode("utf-8"))


class ExpectedCall(object):
    """One call the code under test must make, and what it gets back (a response, or an exception to raise)."""

    def __init__(self, method, path, status=200, body=None, headers=None, text=None, raises=None, check=None):
        self.method = method
        self.path = path
        self.raises = raises
        self.check = check
        self.response = ScriptedResponse(status, body, headers, text)


class ScriptedTransport(object):
    def __init__(self, base_url="https://runai.example.com"):
        self.base_url = base_url
        self.expected = []
        self.calls = []
        self.by_path = None
        self.lock = threading.Lock()
        self.in_flight = 0
        self.most_in_flight = 0
        self.barrier = None

    def answer_by_path(self, answers, parties=None):
        """Answer each request from ``answers`` ({path: (status, body)}) whatever the order; with ``parties``, every
        request waits until that many are in flight, so that a test sees how many a pool sends at once."""
        self.by_path = answers
        # The timeout only guards against a hang; the barrier breaks (and the test fails) if fewer threads arrive.
        self.barrier = threading.Barrier(parties, timeout=20) if parties else None
        return self

    def _answer_by_path(self, path):
        with self.lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            if self.barrier is not None:
                self.barrier.wait()
            status, body = self.by_path[path]
            return ScriptedResponse(status, body)
        finally:
            with self.lock:
                self.in_flight -= 1

    def expect(self, method, path, status=200, body=None, **kwargs):
        self.expected.append(ExpectedCall(method, path, status, body, **kwargs))
        return self

    def expect_token(self, token="issued-token-1"):
        return self.expect("POST", "/api/v1/token", 200, {"accessToken": token, "expiresIn": 3600})

    def request(self, method, path, params=None, body=None, headers=None):
        with self.lock:
            self.calls.append(dict(method=method, path=path, params=dict(params or {}), json=body,
                                   headers=dict(headers or {})))
        if self.by_path is not None:
            return self._answer_by_path(path)
        assert self.expected, "unexpected extra request: %s %s %s" % (method, path, params)
        call = self.expected.pop(0)
        assert (call.method, call.path) == (method, path), "expected %s %s, got %s %s" % (
            call.method,
            call.path,
            method,
            path,
        )
        if call.check is not None:
            call.check(self.calls[-1])
        if call.raises is not None:
            raise call.raises
        return call.response

    def assert_done(self):
        assert not self.expected, "expected requests were not made: %s" % [
            "%s %s" % (call.method, call.path) for call in self.expected
        ]


@pytest.fixture
def scripted_transport():
    transport = ScriptedTransport()
    yield transport
    transport.assert_done()


@pytest.fixture(autouse=True)
def no_event_reads(request, monkeypatch):
    """A failed wait reads the workload's latest events (workloads/events.py); the scripted tests of waits script
    the wait's own requests, so there it quotes none. Tests marked ``events`` get the real reads."""
    if request.node.get_closest_marker("events") is None:
        from ansible_collections.runai.platform.plugins.module_utils.workloads import wait

        monkeypatch.setattr(wait, "with_events", lambda client, workload_id, error: error)


def pytest_configure(config):
    config.addinivalue_line("markers", "events: a failed wait really reads the workload's latest events")
