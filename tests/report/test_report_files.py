# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The files the role writes, read the way their users read them: CSV by a CSV reader, JSON by a JSON parser, HTML
as text (the browser test in test_report_browser.py renders it)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import csv
import json
import re
import subprocess

import pytest
import yaml

from ansible_collections.runai.platform.plugins.filter.workload_report_data import workload_report_data

from report_fixtures import (
    AWKWARD_MESSAGE,
    BASE_IN_WINDOW,
    BASE_SCENARIOS,
    REPO_ROOT,
    ansible_env,
    read_later,
    render_report,
    run_render,
    venv_bin,
)

ROLE_DEFAULTS = yaml.safe_load((REPO_ROOT / "roles/workload_report/defaults/main.yml").read_text())
DEFAULT_COLUMNS = ROLE_DEFAULTS["workload_report_csv_columns"]


def csv_rows(report):
    with open(str(report.csv), newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return rows[0], [dict(zip(rows[0], row)) for row in rows[1:]]


def test_the_role_writes_all_three_files(base_report):
    assert all(
        path.is_file() and path.stat().st_size > 0 for path in (base_report.html, base_report.csv, base_report.json)
    )


def test_csv_has_a_header_and_one_row_per_workload_in_the_window(base_report):
    header, rows = csv_rows(base_report)
    assert header == DEFAULT_COLUMNS
    assert len(rows) == BASE_IN_WINDOW
    assert "old-archive" not in {row["name"] for row in rows}


def test_csv_lines_end_with_crlf_and_quoted_fields_survive(base_report):
    raw = base_report.csv.read_bytes()
    assert raw.endswith(b"\r\n")
    assert raw.count(b"\r\n") == BASE_IN_WINDOW + 1
    _header, rows = csv_rows(base_report)
    queued = next(row for row in rows if row["name"] == "llm-eval-queue")
    assert queued["phase_message"] == AWKWARD_MESSAGE


@pytest.mark.parametrize(
    "name, expected",
    [
        # 4 GPUs, 2 h running at a steady 50 %: 8 GPU-hours allocated, 4 used
        (
            "bert-finetune-02",
            {
                "gpus": "4.0",
                "gpu_hours_allocated": "8.0",
                "gpu_hours_used": "4.0",
                "running_seconds": "7200",
                "pending_seconds": "1200",
                "flags": "",
            },
        ),
        # 2 GPUs held all day at about 4 %
        ("notebook-idle", {"gpu_hours_allocated": "48.0", "running_seconds": "86400", "flags": "low-utilization"}),
        # 8 GPUs asked for, 3 h waiting, nothing allocated yet
        (
            "llm-eval-queue",
            {
                "gpus": "8.0",
                "gpus_allocated": "0.0",
                "gpu_hours_allocated": "0.0",
                "gpu_hours_used": "",
                "pending_seconds": "10800",
                "flags": "long-pending",
            },
        ),
        # failed after 20 minutes: ends at its last phase change
        ("ablation-crash", {"running_seconds": "1200", "gpu_hours_allocated": "1.333", "phase": "Failed"}),
    ],
)
def test_csv_figures_of_known_workloads(base_report, name, expected):
    _header, rows = csv_rows(base_report)
    row = next(row for row in rows if row["name"] == name)
    assert {key: row[key] for key in expected} == expected


def test_json_holds_everything_gathered_and_the_figures(base_report, base_gathered):
    document = json.loads(base_report.json.read_text())
    # The fixture's running totals are those at the window end already, as the role gives them.
    for key in ("workloads", "pods", "series", "window", "selection"):
        assert document[key] == base_gathered[key]
    assert len(document["workloads"]) == len(BASE_SCENARIOS)
    summary = document["report"]["summary"]
    assert (summary["workloads"], summary["excluded"], summary["projects"]) == (BASE_IN_WINDOW, 1, 3)
    assert summary["flagged"] == {"low-utilization": 1, "long-pending": 1}
    assert {row["project"] for row in document["report"]["projects"]} == {"project-a", "team-a", "team-b"}


def test_json_states_no_moment_of_reading(base_report, base_gathered):
    document = json.loads(base_report.json.read_text())
    assert "generated_at" not in document
    assert document["telemetry"] == [
        {key: value for key, value in telemetry.items() if key != "timestamp"} for telemetry in base_gathered["telemetry"]
    ]


def test_the_same_window_read_later_gives_the_same_bytes_and_a_second_run_changes_nothing(base_report, base_gathered):
    later = read_later(base_gathered, 2 * 3600)
    first = render_report("base-read-later", later)
    second = render_report("base-read-later", later, keep_reports=True)
    for name in ("html", "csv", "json"):
        assert getattr(first, name).read_bytes() == getattr(base_report, name).read_bytes(), name
        assert getattr(second, name).read_bytes() == getattr(base_report, name).read_bytes(), name
    assert first.changed == 3
    assert second.changed == 0


def test_html_is_one_file_that_loads_nothing_from_elsewhere(base_report):
    html = base_report.html.read_text()
    assert not re.search(r"""<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=""", html, re.IGNORECASE)
    assert "@import" not in html and "url(http" not in html
    assert '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';' in html


def test_html_escapes_what_the_api_sent(base_report):
    html = base_report.html.read_text()
    assert "node selector &lt;none&gt;; &#34;nvidia.com/gpu&#34;" in html
    assert "<none>" not in html


def test_500_workloads_render_with_the_same_tasks_as_11(base_report, scale_report):
    assert scale_report.task_count == base_report.task_count
    _header, rows = csv_rows(scale_report)
    assert len(rows) == 500
    assert json.loads(scale_report.json.read_text())["report"]["summary"]["workloads"] == 500


def test_no_matching_workload_still_gives_every_file(empty_report):
    header, rows = csv_rows(empty_report)
    assert (header, rows) == (DEFAULT_COLUMNS, [])
    assert json.loads(empty_report.json.read_text())["report"]["summary"]["workloads"] == 0
    assert "No workload matched the selection inside the window." in empty_report.html.read_text()


def test_thresholds_and_columns_are_role_variables(base_gathered):
    report = render_report(
        "custom",
        base_gathered,
        workload_report_low_utilization_percent=40,
        workload_report_csv_columns=["name", "flags"],
        workload_report_formats=["csv"],
    )
    assert not report.html.exists() and not report.json.exists()
    header, rows = csv_rows(report)
    assert header == ["name", "flags"]
    flagged = {row["name"] for row in rows if "low-utilization" in row["flags"]}
    assert flagged == {"notebook-idle", "vision-serve"}


def test_the_argument_spec_refuses_an_unknown_format(base_gathered):
    report = run_render("bad-format", base_gathered, workload_report_formats=["pdf"])
    assert report.returncode != 0
    assert "workload_report_formats" in report.stdout and "pdf" in report.stdout
    assert not report.csv.exists()


@pytest.mark.parametrize("name", ["workload_report_data", "to_csv", "workload_report_charts"])
def test_ansible_doc_shows_the_filters(name):
    result = subprocess.run(
        [venv_bin("ansible-doc"), "-t", "filter", "runai.platform." + name],
        env=ansible_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "runai.platform." + name in result.stdout and "EXAMPLES" in result.stdout


def only_fields(workload, paths):
    """The workload as runai_workload_info returns it with ``fields``: only these names and dotted paths."""
    kept = {}
    for path in paths:
        source, target, keys = workload, kept, path.split(".")
        for key in keys[:-1]:
            if not isinstance(source.get(key), dict):
                break
            source, target = source[key], target.setdefault(key, {})
        else:
            if keys[-1] in source:
                target[keys[-1]] = source[keys[-1]]
    return kept


def test_the_default_workload_fields_are_all_the_figures_need(base_gathered):
    trimmed = dict(
        base_gathered,
        workloads=[only_fields(item, ROLE_DEFAULTS["workload_report_workload_fields"]) for item in base_gathered["workloads"]],
    )
    assert all(len(item) < len(full) for item, full in zip(trimmed["workloads"], base_gathered["workloads"]))
    assert workload_report_data(trimmed)["report"] == workload_report_data(base_gathered)["report"]
