# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Timestamps: epoch seconds inside the simulator, ISO 8601 (UTC, milliseconds, Z) on the wire.

Instants are shown and compared at the millisecond, always truncated the same way (`millis`), so a timestamp a
client reads back from a response compares equal to the stored one.
"""

import math
import time
from datetime import datetime, timezone


def now():
    return time.time()


def millis(epoch):
    return math.floor(epoch * 1000)


def iso(epoch):
    if epoch is None:
        return None
    seconds, fraction = divmod(millis(epoch), 1000)
    moment = time.gmtime(seconds)
    return "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" % (
        moment.tm_year, moment.tm_mon, moment.tm_mday, moment.tm_hour, moment.tm_min, moment.tm_sec, fraction)


def parse_iso(text):
    """Epoch seconds of an ISO 8601 timestamp; a timestamp without an offset is taken as UTC.

    Raises ValueError for anything else.
    """
    moment = datetime.fromisoformat(text.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()
