# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Settings of one simulator run."""

from dataclasses import dataclass, field

from runai_simulator.faults import FaultSettings

DEFAULT_CLIENT_ID = "runai-demo"
DEFAULT_TOKEN_TTL = 3600


@dataclass
class SimulatorConfig:
    client_secret: str
    admin_token: str
    client_id: str = DEFAULT_CLIENT_ID
    host: str = "127.0.0.1"
    port: int = 8080
    state: str = ":memory:"
    speed: float = 1.0
    token_ttl: int = DEFAULT_TOKEN_TTL
    preload: int = 0
    ready_file: str = None
    restricted_apps: list = field(default_factory=list)
    faults: FaultSettings = field(default_factory=FaultSettings)
    advanced_gpu_metrics: bool = False
