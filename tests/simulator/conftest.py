# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the simulator tests: a shared simulator process, reset before each test, and the contract validator."""

import importlib.util
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)  # simulator_support, whatever pytest's import mode
if importlib.util.find_spec("runai_simulator") is None:  # not installed with pip install ./simulator
    sys.path.insert(0, os.path.join(HERE, "..", "..", "simulator"))

from runai_simulator.testing import SimulatorProcess  # noqa: E402
from simulator_support import RESTRICTED_APP, SPEED, Contract  # noqa: E402


def pytest_configure(config):
    """Under pytest-xdist's default `--dist load` the tests of one module land on any worker, but the contract
    module's last test checks what its other tests validated in the same process: send each module to one worker
    (`loadfile`). Only the controller schedules; a --dist other than `load` is left alone."""
    if not hasattr(config, "workerinput") and getattr(config.option, "dist", "no") == "load":
        config.option.dist = "loadfile"


@pytest.fixture(scope="session")
def shared_simulator():
    with SimulatorProcess(speed=SPEED, restricted_app=[RESTRICTED_APP]) as simulator:
        yield simulator


@pytest.fixture(scope="session")
def slow_simulator():
    """A simulator at real speed, for checks inside windows that last seconds (Deleting lasts 2 s)."""
    with SimulatorProcess() as simulator:
        yield simulator


@pytest.fixture
def sim(shared_simulator):
    """The shared simulator with no workloads, no faults, zeroed counters and a fresh token for `api`."""
    return shared_simulator.reset()


@pytest.fixture(scope="session")
def contract_validator():
    return Contract()
