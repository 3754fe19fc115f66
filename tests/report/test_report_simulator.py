# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report end to end against the Run:ai simulator: the role and runai.platform.report read the live API and write
the files. playbooks/report_from_simulator.yml submits a scripted batch first (two jobs that complete, one that fails,
one that stays pending, a two-replica Deployment, and one job outside the name prefix)."""

from __future__ import annotations

import json
import os

EXPECTED_PHASES = {
    "rpt-train-a": "Completed",
    "rpt-train-b": "Completed",
    "rpt-broken": "Failed",
    "rpt-queued": "Pending",
    "rpt-serve": "Running",
}


def test_the_report_lists_exactly_the_selected_workloads_in_their_phases(base_report):
    _header, rows = base_report.csv_rows()
    assert {row["name"]: row["phase"] for row in rows} == EXPECTED_PHASES


def test_figures_come_from_the_live_api(base_report):
    rows = {row["name"]: row for row in base_report.csv_rows()[1]}
    assert (rows["rpt-serve"]["gpus"], rows["rpt-serve"]["gpus_allocated"], rows["rpt-serve"]["pods"]) == (
        "2.0", "2.0", "2")
    for name in ("rpt-train-a", "rpt-train-b", "rpt-broken", "rpt-serve"):
        assert float(rows[name]["running_seconds"]) > 0 and float(rows[name]["gpu_hours_allocated"]) > 0
        assert 0 <= float(rows[name]["gpu_utilization_mean_percent"]) <= 100
    assert rows["rpt-queued"]["running_seconds"] == "0" and rows["rpt-queued"]["flags"] == "long-pending"
    assert "pending" in rows["rpt-queued"]["phase_message"].lower()
    assert "fail" in rows["rpt-broken"]["phase_message"].lower()


def test_json_keeps_what_the_api_returned_about_the_selected_workloads(base_report, simulated):
    document = base_report.data()
    ids = {workload["id"] for workload in document["workloads"]}
    assert len(ids) == 5
    # pods are read per workload: exactly those of the reported workloads
    assert {pod["workloadId"] for pod in document["pods"]} == ids and len(document["pods"]) >= 6
    assert {series["workload_id"] for series in document["series"]} == ids
    assert sorted(telemetry["type"] for telemetry in document["telemetry"]) == ["GPU_ALLOCATION", "WORKLOADS_COUNT"]
    assert document["window"] == simulated["results"]["window"]
    assert document["selection"]["projects"] == ["team-a", "project-a"]


def test_a_second_run_over_a_window_that_has_ended_changes_nothing(simulated):
    first, second = simulated["results"]["first"], simulated["results"]["second"]
    assert first["changed"] and sorted(os.path.basename(path) for path in first["changed_files"]) == [
        "report.csv", "report.html", "report.json"]
    assert second["changed"] is False and second["changed_files"] == []
    assert second["summary"] == first["summary"] and second["summary"]["workloads"] == 5


def test_the_report_playbook_writes_to_runai_report_where_it_runs_and_says_so(simulated):
    default, report = simulated["default"], simulated["report"]
    for name in ("html", "csv", "json"):
        assert getattr(default, name).read_bytes() == getattr(report, name).read_bytes(), name
    directory = str(simulated["user_directory"] / "runai-report")
    message = "Report in %s (report.html, report.csv, report.json): 5 workloads in 2 projects" % directory
    assert message in default.log


def test_whole_workloads_give_the_same_figures_as_the_fields_the_report_reads(simulated):
    whole, trimmed = simulated["whole"].data(), simulated["report"].data()
    assert all(len(full) > len(item) for full, item in zip(whole["workloads"], trimmed["workloads"]))
    assert whole["report"] == trimmed["report"]


def test_the_render_entry_point_computes_a_saved_report_again_without_the_api(simulated):
    header, rows = simulated["custom"].csv_rows()
    assert header == ["name", "flags"]
    # every workload that ran is below 101 % utilisation; nothing waited 100000 s
    assert {row["name"]: row["flags"] for row in rows} == {
        name: "" if phase == "Pending" else "low-utilization" for name, phase in EXPECTED_PHASES.items()}
    assert sorted(path.name for path in simulated["custom"].directory.iterdir()) == ["report.csv"]


def test_a_selection_that_matches_nothing_still_gives_every_file(simulated):
    empty = simulated["empty"]
    header, rows = empty.csv_rows()
    assert rows == [] and header[:3] == ["name", "project", "department"]
    assert empty.data()["report"]["summary"]["workloads"] == 0
    assert "No workload matched the selection inside the window." in empty.html.read_text()


def test_the_client_secret_appears_in_no_output(simulated):
    assert simulated["secret"] not in simulated["log"] + simulated["default_log"]
    for path in simulated["output"].rglob("*"):
        if path.is_file():
            assert simulated["secret"] not in path.read_text(errors="replace"), path.name


def test_500_workloads_take_the_same_tasks_as_5(scale_report, simulated):
    _header, rows = scale_report.csv_rows()
    assert len(rows) == 500 and scale_report.data()["report"]["summary"]["workloads"] == 500
    assert scale_report.task_count == simulated["default"].task_count
    assert json.loads(scale_report.json.read_text())["metrics_partial"] is False
