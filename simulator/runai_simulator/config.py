# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Settings of one simulator run."""

from dataclasses import dataclass, field

from runai_simulator.faults import FaultSettings

DEFAULT_CLIENT_ID = "runai-demo"
DEFAULT_TOKEN_TTL = 3600
API_LEVELS = ("2.23", "2.24", "3.0")
NEWEST_API_LEVEL = API_LEVELS[-1]
NEXT_STYLES = ("offset", "page")
# --realistic: the newest level, the v1 views a few seconds behind the v2 writes, deleted records kept readable.
REALISTIC = {"api_level": NEWEST_API_LEVEL, "v1_lag": 3.0, "keep_deleted": 30.0}


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
    api_level: str = NEWEST_API_LEVEL
    # Wall-clock seconds, not divided by --speed: they model the control plane's sync, not the workload's clock.
    v1_lag: float = 0.0
    keep_deleted: float = None  # None: the lifecycle's own second of `Deleted` (divided by --speed)
    next_style: str = "offset"
