# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Misbehaviour on demand: error statuses at a rate, added latency, connections dropped before or after a write.

Decisions come from one random generator seeded by `seed` and advanced by exactly two draws per API request, in
arrival order, whatever the settings: the same seed and the same request sequence give the same faults.
"""

import random
from dataclasses import asdict, dataclass, field

from runai_simulator.errors import BadRequest

STATUSES = ("429", "500", "502", "503")


@dataclass
class FaultSettings:
    seed: int = 0
    status_rates: dict = field(default_factory=lambda: {status: 0.0 for status in STATUSES})
    retry_after_seconds: int = 1
    latency_ms: float = 0.0
    drop_before_write_rate: float = 0.0
    drop_after_write_rate: float = 0.0
    token_ttl_seconds: int = None

    def as_dict(self):
        return asdict(self)

    @property
    def active(self):
        return any(self.status_rates.values()) or self.drop_before_write_rate or self.drop_after_write_rate


@dataclass(frozen=True)
class Decision:
    status: int = None
    drop_before_write: bool = False
    drop_after_write: bool = False


NO_FAULT = Decision()


def _rate(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise BadRequest("%s must be a number between 0 and 1" % name)
    return float(value)


def _non_negative(name, value, kind=float):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise BadRequest("%s must be a non-negative number" % name)
    return kind(value)


def merged(settings, changes):
    """New settings: `settings` with the keys of an admin request body applied (BadRequest on anything unknown)."""
    if not isinstance(changes, dict):
        raise BadRequest("The request body must be a JSON object")
    result = FaultSettings(**settings.as_dict())
    for key, value in changes.items():
        if key == "seed":
            if isinstance(value, bool) or not isinstance(value, int):
                raise BadRequest("seed must be an integer")
            result.seed = value
        elif key == "status_rates":
            if not isinstance(value, dict) or not set(value) <= set(STATUSES):
                raise BadRequest("status_rates maps %s to rates" % ", ".join(STATUSES))
            rates = dict(result.status_rates)
            rates.update({status: _rate("status_rates." + status, rate) for status, rate in value.items()})
            if sum(rates.values()) > 1:
                raise BadRequest("status_rates must add up to at most 1")
            result.status_rates = rates
        elif key == "retry_after_seconds":
            result.retry_after_seconds = _non_negative(key, value, int)
        elif key == "latency_ms":
            result.latency_ms = _non_negative(key, value)
        elif key in ("drop_before_write_rate", "drop_after_write_rate"):
            setattr(result, key, _rate(key, value))
        elif key == "token_ttl_seconds":
            result.token_ttl_seconds = None if value is None else max(1, _non_negative(key, value, int))
        else:
            raise BadRequest("Unknown fault setting %r" % key)
    return result


class FaultInjector:
    def __init__(self, settings=None):
        self.configure(settings or FaultSettings())

    def configure(self, settings):
        self.settings = settings
        self._random = random.Random(settings.seed)

    def decide(self, is_write):
        settings = self.settings
        if not settings.active:
            return NO_FAULT
        status_draw, drop_draw = self._random.random(), self._random.random()
        threshold = 0.0
        for status in STATUSES:
            threshold += settings.status_rates[status]
            if status_draw < threshold:
                return Decision(status=int(status))
        if is_write:
            if drop_draw < settings.drop_before_write_rate:
                return Decision(drop_before_write=True)
            if drop_draw < settings.drop_before_write_rate + settings.drop_after_write_rate:
                return Decision(drop_after_write=True)
        return NO_FAULT
