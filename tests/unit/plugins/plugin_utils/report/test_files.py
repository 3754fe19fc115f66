# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report files (plugins/plugin_utils/report/files.py): report.csv is RFC 4180 (a header row, CRLF line ends,
quoting only where a field needs it), and a file is rewritten only when its bytes or its mode would change."""

from __future__ import annotations

import csv
import io
import os

import pytest

from ansible_collections.runai.platform.plugins.plugin_utils.report.files import csv_text, needs_writing, write_file

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
]


@pytest.mark.parametrize("what, value, written", FIELD_CASES, ids=[case[0] for case in FIELD_CASES])
def test_each_field_is_written_and_quoted_as_rfc_4180_says(what, value, written):
    text = csv_text([{"name": "wl", "value": value}], ["name", "value"])
    assert text == "name,value\r\nwl," + written + "\r\n"


@pytest.mark.parametrize("what, value, written", FIELD_CASES, ids=[case[0] for case in FIELD_CASES])
def test_a_csv_reader_gets_the_text_back(what, value, written):
    rows = list(csv.reader(io.StringIO(csv_text([{"value": value}], ["value"]), newline="")))
    assert rows[0] == ["value"]
    assert rows[1] == [written[1:-1].replace('""', '"') if written.startswith('"') else written]


def test_header_row_follows_the_columns_and_missing_keys_are_empty():
    rows = [{"name": "a", "project": "p", "ignored": 1}, {"name": "b"}]
    assert csv_text(rows, ["project", "name"]) == "project,name\r\np,a\r\n,b\r\n"


def test_no_rows_still_gives_the_header():
    assert csv_text([], ["name", "gpus"]) == "name,gpus\r\n"


def test_a_file_is_written_when_missing_and_then_only_when_its_bytes_or_mode_change(tmp_path):
    path = str(tmp_path / "report.csv")
    assert needs_writing(path, b"a\r\n", 0o644)
    write_file(path, b"a\r\n", 0o644)
    assert open(path, "rb").read() == b"a\r\n" and os.stat(path).st_mode & 0o7777 == 0o644
    assert not needs_writing(path, b"a\r\n", 0o644)
    assert needs_writing(path, b"b\r\n", 0o644)
    assert needs_writing(path, b"a\r\n", 0o600)
    write_file(path, b"b\r\n", 0o600)
    assert open(path, "rb").read() == b"b\r\n" and os.stat(path).st_mode & 0o7777 == 0o600
    assert os.listdir(str(tmp_path)) == ["report.csv"]
