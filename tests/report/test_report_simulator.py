# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role end to end against the Run:ai simulator: the real info modules gather, the role writes the reports.
playbooks/report_from_simulator.yml submits a scripted batch first (two jobs that complete, one that fails, one that
stays pending, a two-replica Deployment, and one job outside the name prefix)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import csv
import json
import secrets
import shutil
import subprocess
from pathlib import Path

import pytest

from report_fixtures import OUTPUT_ROOT, ansible_env, venv_bin

PLAYBOOK = Path(__file__).resolve().parent / "playbooks" / "report_from_simulator.yml"
SIMULATOR = venv_bin("runai-simulator")

pytestmark = pytest.mark.skipif(
    not Path(SIMULATOR).exists(), reason="the simulator package (simulator/) is not installed in this venv"
)


@pytest.fixture(scope="module")
def simulated():
    output = OUTPUT_ROOT / "simulator"
    shutil.rmtree(str(output), ignore_errors=True)
    # A secret the test knows, so it can check that the secret leaks nowhere.
    client_secret = "report-test-" + secrets.token_hex(12)
    result = subprocess.run(
        [
            SIMULATOR,
            "exec",
            "--speed",
            "20",
            "--client-secret",
            client_secret,
            "--",
            venv_bin("ansible-playbook"),
            str(PLAYBOOK),
            "-e",
            "report_test_output_dir=" + str(output),
        ],
        env=ansible_env(),
        capture_output=True,
        text=True,
        timeout=540,
        check=False,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-8000:]
    with open(str(output / "report.csv"), newline="", encoding="utf-8") as handle:
        rows = {row["name"]: row for row in csv.DictReader(handle)}
    return {
        "output": output,
        "log": log,
        "secret": client_secret,
        "rows": rows,
        "json": json.loads((output / "report.json").read_text()),
    }


def test_the_report_lists_exactly_the_selected_workloads_in_their_phases(simulated):
    phases = {name: row["phase"] for name, row in simulated["rows"].items()}
    assert phases == {
        "rpt-train-a": "Completed",
        "rpt-train-b": "Completed",
        "rpt-broken": "Failed",
        "rpt-queued": "Pending",
        "rpt-serve": "Running",
    }


def test_figures_come_from_the_live_api(simulated):
    rows = simulated["rows"]
    assert (rows["rpt-serve"]["gpus"], rows["rpt-serve"]["gpus_allocated"], rows["rpt-serve"]["pods"]) == (
        "2.0",
        "2.0",
        "2",
    )
    for name in ("rpt-train-a", "rpt-train-b", "rpt-broken", "rpt-serve"):
        assert float(rows[name]["running_seconds"]) > 0 and float(rows[name]["gpu_hours_allocated"]) > 0
        assert 0 <= float(rows[name]["gpu_utilization_mean_percent"]) <= 100
    assert rows["rpt-queued"]["running_seconds"] == "0" and rows["rpt-queued"]["flags"] == "long-pending"
    assert "pending" in rows["rpt-queued"]["phase_message"].lower()
    assert "fail" in rows["rpt-broken"]["phase_message"].lower()


def test_json_keeps_what_the_modules_returned(simulated):
    document = simulated["json"]
    ids = {workload["id"] for workload in document["workloads"]}
    assert len(ids) == 5
    assert {pod["workloadId"] for pod in document["pods"]} <= ids and len(document["pods"]) >= 5
    assert {series["workload_id"] for series in document["series"]} == ids
    assert sorted(telemetry["type"] for telemetry in document["telemetry"]) == ["GPU_ALLOCATION", "WORKLOADS_COUNT"]
    assert document["window"]["start"].endswith("Z") and document["window"]["end"].endswith("Z")


def test_html_has_every_chart(simulated):
    html = (simulated["output"] / "report.html").read_text()
    for chart_id in (
        "chart-gpu-utilization",
        "chart-gpu-memory",
        "chart-gpu-hours-by-project",
        "chart-phases",
        "chart-time-by-project",
    ):
        assert 'id="%s"' % chart_id in html


def test_the_client_secret_appears_in_no_output(simulated):
    assert simulated["secret"] not in simulated["log"]
    for path in simulated["output"].iterdir():
        assert simulated["secret"] not in path.read_text(errors="replace"), path.name
