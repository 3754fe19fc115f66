# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading the values the Run:ai API sends (ISO 8601 timestamps, numbers as strings) for the report filters."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math
from datetime import datetime, timezone

from ansible.errors import AnsibleFilterError


def parse_timestamp(value, field):
    """An aware UTC datetime from an ISO 8601 string (no offset means UTC); None for an empty value."""
    if value in (None, ""):
        return None
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        raise AnsibleFilterError("%s is not an ISO 8601 timestamp: %r" % (field, value))
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def as_number(value):
    """A float from a number or a numeric string (metric values arrive as strings); None for anything else, NaN or
    infinity (the API marks gaps with NaN)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None
