# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the reliability and security suite, and its figures.

Every test drives the collection the way AWX does: real ``ansible-playbook`` processes (collection path pointing at this
checkout, interpreter pinned to this Python: playbooks.py) against real simulator processes, checked out of band with
raw API calls. Every playbook run is also scanned for secrets (leaks.py); the figures the suite prints at the end
(faults injected, retries made, bad inputs tried, leaks found: figures.py) are gathered here. batches.py holds what the
tests submit, tls.py and proxy.py what stands between a run and the simulator in the TLS and token tests.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time
from pathlib import Path

import pytest
from runai_simulator.testing import SimulatorProcess, link_collection

from .batches import Batches, assert_exactly
from .figures import FIGURES
from .leaks import LeakScanner
from .playbooks import AnsibleRunner
from .proxy import ForwardingProxy
from .tls import TlsMaterial

REPO_ROOT = Path(__file__).resolve().parents[2]
# Simulated lifecycles run this many times faster than real time.
SIMULATOR_SPEED = 50

GROUPS = {
    "faults": "a batch under injected 503/429/dropped connections/token expiry; retries exhausted",
    "crash": "the simulator killed with SIGKILL in the middle of a batch, then the playbook re-run",
    "concurrency": "two ansible-playbook processes submitting the same workloads at once",
    "bad_input": "the catalogue of bad inputs in bad_inputs.yml",
    "secrets": "the demo at -vvvv with ANSIBLE_DEBUG and kept remote files leaks no secret",
    "simulator_guard": "the simulator refuses unauthenticated calls, and a seeded schemathesis run finds no fault",
}


def pytest_configure(config):
    config.addinivalue_line("markers", "reliability: the reliability and security suite (tests/reliability)")
    for name, description in GROUPS.items():
        config.addinivalue_line("markers", "%s: reliability group: %s" % (name, description))


def pytest_sessionfinish(session):
    # Under pytest-xdist each worker gathers its own figures and hands them to the controller, which prints them.
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["reliability_figures"] = FIGURES.as_dict()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    FIGURES.merge(getattr(node, "workeroutput", {}).get("reliability_figures") or {})


def pytest_terminal_summary(terminalreporter):
    if FIGURES.used:
        terminalreporter.write_sep("-", "reliability figures")
        terminalreporter.write_line(FIGURES.line())
        for leak in FIGURES.leaks:
            terminalreporter.write_line("  leak: %s" % leak)


@pytest.fixture(scope="session")
def figures():
    FIGURES.used = True
    return FIGURES


@pytest.fixture(scope="session")
def collections_path(tmp_path_factory):
    """A directory holding ansible_collections/runai/platform -> this checkout."""
    return link_collection(tmp_path_factory.mktemp("collections"), REPO_ROOT)


@pytest.fixture
def ansible(tmp_path, collections_path, figures):
    runner = AnsibleRunner(tmp_path / "ansible", collections_path, figures)
    yield runner
    runner.stop_all()


@pytest.fixture(scope="module")
def module_ansible(tmp_path_factory, collections_path, figures):
    runner = AnsibleRunner(tmp_path_factory.mktemp("ansible"), collections_path, figures)
    yield runner
    runner.stop_all()


@pytest.fixture(scope="session")
def batches():
    return Batches()


@pytest.fixture(scope="session")
def exactly():
    return assert_exactly


def write_snapshot(simulator):
    """What a write would alter: every workload (live and deleted) as (id, name, the v2 update stamp, desired phase).
    The v1 updatedAt moves with the lifecycle, so the v2 object is read for each."""
    rows = []
    for workload in simulator.workloads() + simulator.workloads(deleted=True):
        response = simulator.api("GET", "/api/v2/workloads/%s" % workload["id"], timeout=30)
        if response.status_code == 404:
            rows.append((workload["id"], workload["name"], "gone", "Deleted"))
            continue
        assert response.status_code == 200, response.text
        stored = response.json()["workload"]
        rows.append((workload["id"], workload["name"], stored["metadata"].get("updatedAt"),
                     stored.get("desiredPhase")))
    return sorted(rows)


class SimulatorFactory(object):
    """Starts simulators for a test and stops them after it, adding the faults they injected to the figures."""

    def __init__(self, figures):
        self._figures = figures
        self._simulators = []

    def start(self, **flags):
        flags.setdefault("speed", SIMULATOR_SPEED)
        flags.setdefault("quiet", True)
        simulator = SimulatorProcess(**flags)
        self._simulators.append(simulator)
        simulator.start()
        return simulator

    def count_faults(self, simulator):
        """Adds what a running simulator injected so far to the figures and resets its counters."""
        if simulator.running:
            self._figures.add(faults_injected=simulator.faults_injected())
            simulator.forget_requests()

    def stop_all(self):
        for simulator in self._simulators:
            try:
                self.count_faults(simulator)
            finally:
                simulator.__exit__(None, None, None)


@pytest.fixture
def simulators(figures):
    factory = SimulatorFactory(figures)
    yield factory
    factory.stop_all()


@pytest.fixture(scope="module")
def module_simulators(figures):
    factory = SimulatorFactory(figures)
    yield factory
    factory.stop_all()


@pytest.fixture(scope="session")
def tls_material(tmp_path_factory):
    return TlsMaterial(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="module")
def proxies():
    started = []

    def start(upstream_url, ssl_context=None):
        proxy = ForwardingProxy(upstream_url, ssl_context)
        started.append(proxy)
        return proxy

    yield start
    for proxy in started:
        proxy.close()


def wait_until(predicate, timeout, interval=0.05, what="a condition"):
    """Polls ``predicate`` until it returns a true value; fails the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail("%s did not happen within %.0f s" % (what, timeout))
        time.sleep(interval)


@pytest.fixture(scope="session")
def poll():
    return wait_until


@pytest.fixture(scope="session")
def snapshot():
    return write_snapshot


@pytest.fixture(scope="session")
def leak_scanner():
    return LeakScanner
