# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The files of a report of the simulator, read the way their users read them: CSV by a CSV reader, JSON by a JSON
parser, HTML as text (test_report_browser.py renders it)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
ROLE_DEFAULTS = yaml.safe_load((REPO_ROOT / "roles/workload_report/defaults/main.yml").read_text())
DEFAULT_COLUMNS = ROLE_DEFAULTS["workload_report_csv_columns"]
HTML_LIMIT_BYTES = 1500000


def test_the_role_writes_all_three_files(base_report):
    assert all(path.is_file() and path.stat().st_size > 0
               for path in (base_report.html, base_report.csv, base_report.json))
    assert all(oct(path.stat().st_mode & 0o777) == "0o644" for path in (base_report.html, base_report.csv))


def test_csv_has_a_header_and_one_row_per_workload_most_gpu_hours_first(base_report):
    header, rows = base_report.csv_rows()
    assert header == DEFAULT_COLUMNS
    assert [row["name"] for row in rows] == [row["name"] for row in base_report.data()["report"]["workloads"]]
    hours = [float(row["gpu_hours_allocated"]) for row in rows]
    assert hours == sorted(hours, reverse=True)


def test_csv_lines_end_with_crlf_and_fields_are_the_json_figures(base_report):
    raw = base_report.csv.read_bytes()
    assert raw.endswith(b"\r\n") and raw.count(b"\r\n") == len(base_report.csv_rows()[1]) + 1
    _header, rows = base_report.csv_rows()
    for row, figures in zip(rows, base_report.data()["report"]["workloads"]):
        assert row["id"] == figures["id"]
        assert row["flags"] == ";".join(figures["flags"])
        assert row["gpu_hours_used"] == ("" if figures["gpu_hours_used"] is None else str(figures["gpu_hours_used"]))


def test_json_holds_the_figures_per_project_and_in_total(base_report):
    report = base_report.data()["report"]
    summary = report["summary"]
    assert (summary["workloads"], summary["projects"], summary["excluded"]) == (5, 2, 0)
    assert [row["project"] for row in report["projects"]] == ["project-a", "team-a"]
    assert sum(row["workloads"] for row in report["projects"]) == 5
    assert summary["flagged"]["long-pending"] == 1
    assert summary["gpu_hours_allocated"] == pytest.approx(
        sum(row["gpu_hours_allocated"] for row in report["workloads"]), abs=0.01)


def test_json_states_no_moment_of_reading(base_report):
    document = base_report.data()
    assert "generated_at" not in document
    assert document["telemetry"] and all("timestamp" not in telemetry for telemetry in document["telemetry"])


def test_html_is_one_file_that_loads_nothing_from_elsewhere(base_report, scale_report):
    for report in (base_report, scale_report):
        html = report.html.read_text()
        assert not re.search(r"""<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=""", html, re.IGNORECASE)
        assert "@import" not in html and "url(http" not in html
        assert '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';' in html


def test_html_of_500_workloads_stays_small(scale_report):
    # BokehJS is about 1.27 MB of it; the rest grows with the table
    assert scale_report.html.stat().st_size <= HTML_LIMIT_BYTES + 300 * 640


def test_html_has_every_chart_and_every_workload(base_report):
    html = base_report.html.read_text()
    for chart_id in ("chart-gpu-utilization", "chart-gpu-memory", "chart-gpu-hours-by-project", "chart-phases",
                     "chart-time-by-project"):
        assert 'id="%s"' % chart_id in html
    for row in base_report.data()["report"]["workloads"]:
        assert '<span class="name">%s</span>' % row["name"] in html


def test_ansible_doc_shows_the_action_and_the_role(ansible_command):
    code, output = ansible_command("ansible-doc", "runai.platform.runai_workload_report")
    assert code == 0, output
    assert "runai.platform.runai_workload_report" in output and "EXAMPLES" in output and "gathered" in output
    code, output = ansible_command("ansible-doc", "-t", "role", "runai.platform.workload_report")
    assert code == 0, output
    assert "workload_report_output_dir" in output and "runai-report" in output


def test_the_argument_spec_refuses_an_unknown_format(run_ansible, tmp_path):
    playbook = tmp_path / "bad.yml"
    playbook.write_text(
        "- hosts: localhost\n  connection: local\n  gather_facts: false\n  roles:\n"
        "    - role: runai.platform.workload_report\n      workload_report_formats: [pdf]\n")
    code, output = run_ansible([str(playbook)], cwd=tmp_path)
    assert code != 0
    assert "workload_report_formats" in output and "pdf" in output
    assert not (tmp_path / "runai-report").exists()
