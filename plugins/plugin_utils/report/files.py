# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""report.csv and report.json as text, and the writing of the report files: a file is rewritten only when its bytes
would change, so a report of a window that has ended changes nothing on a second run."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile

CSV_COLUMNS = (
    "name", "project", "department", "type", "phase", "gpus", "gpus_allocated", "pending_seconds", "running_seconds",
    "gpu_hours_allocated", "gpu_hours_used", "gpu_utilization_mean_percent", "gpu_utilization_max_percent",
    "gpu_memory_mean_bytes", "gpu_memory_max_bytes", "flags", "created_at", "ended_at", "submitted_by", "pods",
    "running_pods", "phase_message", "id", "cluster_id",
)
FORMATS = ("html", "csv", "json")


def csv_field(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ";".join(csv_field(item) for item in value)
    return str(value)


def csv_text(rows, columns) -> str:
    """RFC 4180: a header row, CRLF line ends, fields quoted only when they hold a comma, a quote or a line break."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_field(row.get(column)) for column in columns])
    return buffer.getvalue()


def json_text(data) -> str:
    return json.dumps(data, separators=(",", ":"), allow_nan=False)


def needs_writing(path: str, content: bytes, mode: int) -> bool:
    try:
        with open(path, "rb") as handle:
            same = handle.read() == content
        return not same or (os.stat(path).st_mode & 0o7777) != mode
    except FileNotFoundError:
        return True


def write_file(path: str, content: bytes, mode: int) -> None:
    """Replace the file at once (a reader never sees half a report), with ``mode``."""
    directory = os.path.dirname(path)
    handle, temporary = tempfile.mkstemp(prefix=".report-", dir=directory)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise
