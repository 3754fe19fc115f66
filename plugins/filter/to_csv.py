# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: to_csv
short_description: Render a list of dictionaries as RFC 4180 CSV text
version_added: 1.0.0
author: runai.platform contributors
description:
  - Writes a header row with the column names, then one row per dictionary, with CRLF line endings and fields
    quoted only when they hold a comma, a double quote or a line break (double quotes doubled), as RFC 4180 says.
  - Empty and missing values become empty fields, booleans C(true)/C(false), lists their items joined with C(;),
    and dictionaries compact JSON.
positional: _input, columns
options:
  _input:
    description: The rows.
    type: list
    elements: dict
    required: true
  columns:
    description:
      - The keys to write, in order; they are also the header row.
      - Defaults to the keys of the first row.
    type: list
    elements: str
"""

EXAMPLES = r"""
- name: Write one CSV row per workload
  ansible.builtin.copy:
    content: "{{ report.workloads | runai.platform.to_csv(['name', 'project', 'phase', 'gpu_hours_allocated']) }}"
    dest: /tmp/report.csv
    mode: "0644"
"""

RETURN = r"""
_value:
  description: The CSV text, ending with a line break.
  type: str
"""

import csv
import io
import json

from ansible.errors import AnsibleFilterError


def csv_field(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ";".join(csv_field(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, separators=(",", ":"))
    return str(value)


def to_csv(rows, columns=None):
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise AnsibleFilterError("to_csv expects a list of dictionaries")
    if columns is None:
        columns = list(rows[0]) if rows else []
    if not isinstance(columns, list) or not columns:
        raise AnsibleFilterError(
            "to_csv needs a non-empty list of column names (or at least one row to take them from)"
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([str(column) for column in columns])
    for row in rows:
        writer.writerow([csv_field(row.get(column)) for column in columns])
    return buffer.getvalue()


class FilterModule(object):
    def filters(self):
        return {"to_csv": to_csv}
