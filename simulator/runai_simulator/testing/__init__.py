# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every test suite and benchmark of the collection runs on: a simulator process, read out of band
(`process`), and Ansible's command-line tools run against it the way a user runs them (`ansible`)."""

from runai_simulator.testing.ansible import (
    SECRET_VARIABLES,
    AnsibleUser,
    CommandTimedOut,
    Finished,
    Started,
    link_collection,
)
from runai_simulator.testing.process import SimulatorProcess, SimulatorStartError

__all__ = ["SECRET_VARIABLES", "AnsibleUser", "CommandTimedOut", "Finished", "SimulatorProcess", "SimulatorStartError", "Started",
           "link_collection"]
