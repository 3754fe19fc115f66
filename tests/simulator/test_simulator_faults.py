# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Faults on demand: statuses at a rate with Retry-After, latency, connections dropped before or after the write,
all seeded so that a run replays; set by flags or by the admin route, never applied to the admin routes."""

import time

import pytest
import requests

from runai_simulator.testing import SimulatorProcess
from simulator_support import create_body


def _statuses(sim, count=40):
    return [sim.api("GET", "/api/v1/workloads/count").status_code for _request in range(count)]


def test_status_faults_carry_retry_after_and_error_bodies(sim):
    assert sim.admin("PUT", "/_simulator/faults", {"status_rates": {"429": 1.0}, "retry_after_seconds": 7}).ok
    response = sim.api("POST", "/api/v2/workloads", json=create_body("throttled"))
    assert response.status_code == 429 and response.headers["Retry-After"] == "7"
    assert response.json() == {"code": 429, "message": "Too many requests, try again later."}
    assert sim.admin("GET", "/_simulator/faults").json()["status_rates"]["429"] == 1.0
    assert sim._requests().get(sim.url + "/_simulator/health").status_code == 200
    assert sim.admin("DELETE", "/_simulator/faults").ok
    assert sim.api("GET", "/api/v1/workloads/count").json() == {"count": 0}


def test_same_seed_same_faults(sim):
    settings = {"seed": 42, "status_rates": {"503": 0.2, "500": 0.1, "502": 0.1}}
    sim.admin("PUT", "/_simulator/faults", settings)
    first = _statuses(sim)
    sim.admin("PUT", "/_simulator/faults", settings)
    assert _statuses(sim) == first
    assert {500, 502, 503} <= set(first) and 200 in first
    sim.admin("PUT", "/_simulator/faults", dict(settings, seed=43))
    assert _statuses(sim) != first
    stats = sim.admin("GET", "/_simulator/stats").json()
    assert stats["faults"]["503"] >= first.count(503)
    assert stats["requests"]["by_route"]["GET /api/v1/workloads/count"] == 120


def test_latency_is_added(sim):
    sim.admin("PUT", "/_simulator/faults", {"latency_ms": 300})
    started = time.monotonic()
    assert sim.api("GET", "/api/v1/workloads").status_code == 200
    assert time.monotonic() - started >= 0.3


def _count_named(sim, name):
    return sim.api("GET", "/api/v1/workloads/count", params={"filterBy": "name==" + name}).json()["count"]


def test_connection_dropped_before_the_write(sim):
    sim.admin("PUT", "/_simulator/faults", {"drop_before_write_rate": 1.0})
    with pytest.raises(requests.ConnectionError):
        sim.api("POST", "/api/v2/workloads", json=create_body("lost"))
    assert sim.api("GET", "/api/v1/workloads").status_code == 200  # reads are not dropped
    sim.admin("DELETE", "/_simulator/faults")
    assert _count_named(sim, "lost") == 0
    assert sim.admin("GET", "/_simulator/stats").json()["faults"] == {"drop_before_write": 1}


def test_connection_dropped_after_the_write(sim):
    sim.admin("PUT", "/_simulator/faults", {"drop_after_write_rate": 1.0})
    with pytest.raises(requests.ConnectionError):
        sim.api("POST", "/api/v2/workloads", json=create_body("landed"))
    sim.admin("DELETE", "/_simulator/faults")
    assert _count_named(sim, "landed") == 1
    retry = sim.api("POST", "/api/v2/workloads", json=create_body("landed"))
    assert retry.status_code == 409  # a blind retry of the create would be refused, not duplicated


def test_fault_flags(shared_simulator):
    with SimulatorProcess(fault_503_rate=1.0, retry_after=3) as sim:
        response = sim._requests().post(sim.url + "/api/v1/token", json={
            "grantType": "client_credentials", "clientID": sim.client_id, "clientSecret": sim.client_secret})
        assert response.status_code == 503 and response.headers["Retry-After"] == "3"
        assert sim.admin("GET", "/_simulator/faults").json()["status_rates"]["503"] == 1.0
        assert sim.admin("PUT", "/_simulator/faults", {"status_rates": {"503": 2}}).status_code == 400
        assert sim.admin("PUT", "/_simulator/faults", {"flood": True}).status_code == 400
