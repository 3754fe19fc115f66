# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Timestamps: epoch seconds inside the simulator, ISO 8601 (UTC, milliseconds, Z) on the wire."""

import time
from datetime import datetime, timezone


def now():
    return time.time()


def iso(epoch):
    if epoch is None:
        return None
    moment = datetime.fromtimestamp(epoch, tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (moment.microsecond // 1000)


def parse_iso(text):
    """Epoch seconds of an ISO 8601 timestamp; a timestamp without an offset is taken as UTC.

    Raises ValueError for anything else.
    """
    moment = datetime.fromisoformat(text.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()
