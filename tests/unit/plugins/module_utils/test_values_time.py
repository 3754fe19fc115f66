# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from datetime import datetime, timezone

import pytest

from ansible_collections.runai.platform.plugins.module_utils.api.errors import RunaiInputError
from ansible_collections.runai.platform.plugins.module_utils.values.time import (
    format_time,
    parse_time,
    resolve_time_range,
    utc_now,
)

NOW = datetime(2026, 1, 31, 12, 0, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("now", "2026-01-31T12:00:00Z"),
        ("-30m", "2026-01-31T11:30:00Z"),
        ("-1h", "2026-01-31T11:00:00Z"),
        ("-90s", "2026-01-31T11:58:30Z"),
        ("-2d", "2026-01-29T12:00:00Z"),
        ("-1w", "2026-01-24T12:00:00Z"),
        ("-1d12h", "2026-01-30T00:00:00Z"),
        ("now-15m", "2026-01-31T11:45:00Z"),
        (" -1h ", "2026-01-31T11:00:00Z"),
    ],
)
def test_relative_times_count_back_from_now(text, expected):
    assert format_time(parse_time("start", text, NOW)) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-01-30T08:15:00Z", "2026-01-30T08:15:00Z"),
        ("2026-01-30T10:15:00+02:00", "2026-01-30T08:15:00Z"),
        ("2026-01-30T08:15:00", "2026-01-30T08:15:00Z"),
        ("2026-01-30", "2026-01-30T00:00:00Z"),
        ("2026-01-30T08:15:00.250Z", "2026-01-30T08:15:00.250000Z"),
    ],
)
def test_iso_timestamps_become_utc_and_no_offset_means_utc(text, expected):
    assert format_time(parse_time("start", text, NOW)) == expected


@pytest.mark.parametrize("text", ["yesterday", "-1y", "1h", "-h", "+1h", "now+1h", "2026-13-01T00:00:00Z", ""])
def test_unreadable_times_are_refused_naming_the_option(text):
    with pytest.raises(RunaiInputError) as caught:
        parse_time("created_after", text, NOW)
    assert caught.value.option == "created_after"
    assert "'created_after'" in str(caught.value) and "-30m" in str(caught.value)


def test_a_range_resolves_both_ends_against_one_now():
    assert resolve_time_range("-1h", "now", now=NOW) == ("2026-01-31T11:00:00Z", "2026-01-31T12:00:00Z")
    assert resolve_time_range("2026-01-31T10:00:00Z", "-30m", now=NOW) == (
        "2026-01-31T10:00:00Z",
        "2026-01-31T11:30:00Z",
    )


@pytest.mark.parametrize("start, end", [("-30m", "-1h"), ("now", "now"), ("2026-01-31T12:00:00Z", "2026-01-31T11:00:00Z")])
def test_a_range_that_does_not_move_forward_is_refused_on_end(start, end):
    with pytest.raises(RunaiInputError) as caught:
        resolve_time_range(start, end, now=NOW)
    assert caught.value.option == "end" and "not after start" in str(caught.value)


def test_a_bad_start_is_reported_on_start():
    with pytest.raises(RunaiInputError) as caught:
        resolve_time_range("last tuesday", "now", now=NOW)
    assert caught.value.option == "start"


def test_now_is_utc_to_whole_seconds():
    moment = utc_now()
    assert moment.tzinfo is not None and moment.utcoffset().total_seconds() == 0 and moment.microsecond == 0
