# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the event-driven tests: one simulator per test module, reset before each test."""

import importlib.util
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)  # eda_support, whatever pytest's import mode
if importlib.util.find_spec("runai_simulator") is None:  # not installed with pip install ./simulator
    sys.path.insert(0, os.path.join(REPO_ROOT, "simulator"))

from eda_support import SPEED  # noqa: E402
from runai_simulator.testing import SimulatorProcess  # noqa: E402

# Simulator tokens live this long, so every test outlives a few of them and the source must renew its own.
TOKEN_TTL_SECONDS = 3


@pytest.fixture(scope="module")
def simulator():
    with SimulatorProcess(speed=SPEED, token_ttl=TOKEN_TTL_SECONDS) as process:
        yield process


@pytest.fixture
def sim(simulator):
    """The module's simulator with no workloads, no faults and zeroed counters."""
    return simulator.reset()


@pytest.fixture
def connection(sim, monkeypatch):
    """The source's connection, given the way AWX and EDA credentials give it: through RUNAI_* variables."""
    for name in ("RUNAI_TOKEN", "RUNAI_VALIDATE_CERTS", "RUNAI_CA_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RUNAI_URL", sim.url)
    monkeypatch.setenv("RUNAI_CLIENT_ID", sim.client_id)
    monkeypatch.setenv("RUNAI_CLIENT_SECRET", sim.client_secret)
    return sim
