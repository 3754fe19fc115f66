# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""report.csv must be RFC 4180: a header row, CRLF line ends, and quoting only where a field needs it."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import csv
import io

import pytest

from ansible.errors import AnsibleFilterError
from ansible_collections.runai.platform.plugins.filter.to_csv import to_csv

FIELD_CASES = [
    # (what, value, the field exactly as written)
    ("plain text", "resnet-01", "resnet-01"),
    ("a comma", "0/4 nodes, 4 busy", '"0/4 nodes, 4 busy"'),
    ("double quotes are doubled", 'said "no"', '"said ""no"""'),
    ("a line break", "line 1\nline 2", '"line 1\nline 2"'),
    ("a carriage return", "a\rb", '"a\rb"'),
    ("all of them", 'x, "y"\nz', '"x, ""y""\nz"'),
    ("leading and trailing spaces are kept unquoted", "  padded ", "  padded "),
    ("null is empty", None, ""),
    ("a number", 8.25, "8.25"),
    ("zero is not empty", 0, "0"),
    ("booleans", True, "true"),
    ("a list joined with semicolons", ["low-utilization", "long-pending"], "low-utilization;long-pending"),
    ("an empty list", [], ""),
    ("a dictionary as compact JSON", {"b": 1, "a": "x"}, '"{""a"":""x"",""b"":1}"'),
]


@pytest.mark.parametrize("what, value, written", FIELD_CASES, ids=[case[0] for case in FIELD_CASES])
def test_each_field_is_written_and_quoted_as_rfc_4180_says(what, value, written):
    text = to_csv([{"name": "wl", "value": value}], ["name", "value"])
    assert text == "name,value\r\nwl," + written + "\r\n"


@pytest.mark.parametrize("what, value, written", FIELD_CASES, ids=[case[0] for case in FIELD_CASES])
def test_a_csv_reader_gets_the_text_back(what, value, written):
    rows = list(csv.reader(io.StringIO(to_csv([{"value": value}], ["value"]), newline="")))
    assert rows[0] == ["value"]
    assert rows[1] == [written[1:-1].replace('""', '"') if written.startswith('"') else written]


def test_header_row_follows_the_columns_and_missing_keys_are_empty():
    rows = [{"name": "a", "project": "p", "ignored": 1}, {"name": "b"}]
    assert to_csv(rows, ["project", "name"]) == "project,name\r\np,a\r\n,b\r\n"


def test_columns_default_to_the_first_rows_keys():
    assert to_csv([{"name": "a", "gpus": 2}]) == "name,gpus\r\na,2\r\n"


def test_no_rows_still_gives_the_header():
    assert to_csv([], ["name", "gpus"]) == "name,gpus\r\n"


@pytest.mark.parametrize(
    "rows, columns, message",
    [
        ("name,gpus", None, "expects a list of dictionaries"),
        ([["a", 1]], None, "expects a list of dictionaries"),
        ([], None, "non-empty list of column names"),
        ([{"a": 1}], "a", "non-empty list of column names"),
    ],
)
def test_bad_input_fails_clearly(rows, columns, message):
    with pytest.raises(AnsibleFilterError, match=message):
        to_csv(rows, columns)
