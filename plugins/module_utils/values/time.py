# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Points in time as task options give them: ISO 8601 timestamps, or times relative to now (``now``, ``-30m``, ``-1h``,
``-1d12h``), turned into the UTC ISO 8601 strings the API expects."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from datetime import datetime, timedelta, timezone

from ansible_collections.runai.platform.plugins.module_utils.api.errors import RunaiInputError

UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
RELATIVE_TIME = re.compile(r"^(?:now)?-((?:\d+[smhdw])+)$")
RELATIVE_PART = re.compile(r"(\d+)([smhdw])")
ACCEPTED_FORMS = "an ISO 8601 timestamp such as 2026-01-31T12:00:00Z, or a time relative to now such as now, -30m, -1h, -7d"


def utc_now():
    """The current time in UTC, to whole seconds (so resolved ranges read cleanly)."""
    return datetime.now(timezone.utc).replace(microsecond=0)


def parse_time(option, value, now):
    """An aware UTC datetime for ``value``; relative times count back from ``now``. Errors name ``option``."""
    text = str(value).strip()
    if text == "now":
        return now
    relative = RELATIVE_TIME.match(text)
    if relative:
        seconds = sum(int(amount) * UNIT_SECONDS[unit] for amount, unit in RELATIVE_PART.findall(relative.group(1)))
        return now - timedelta(seconds=seconds)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise RunaiInputError(option, "'%s' is not a time: use %s." % (text, ACCEPTED_FORMS))
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def format_time(moment):
    """The API's form of a UTC datetime: ISO 8601 with a ``Z`` suffix."""
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def resolve_time_range(start, end, now=None):
    """``(start, end)`` as API timestamps, both relative to the same ``now``; the range must move forward."""
    now = now or utc_now()
    start_moment = parse_time("start", start, now)
    end_moment = parse_time("end", end, now)
    if end_moment <= start_moment:
        raise RunaiInputError(
            "end",
            "%s is not after start %s; a time range must end after it starts."
            % (format_time(end_moment), format_time(start_moment)),
        )
    return format_time(start_moment), format_time(end_moment)
