# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Persistence: whatever was acknowledged survives kill -9 and restarts; SIGTERM stops cleanly; preload tops up."""

import os
import stat

import pytest

from runai_simulator.testing import SimulatorProcess, SimulatorStartError
from simulator_support import create, deployment_manifest, job_manifest, v1, wait_for


def _all_ids(sim):
    ids = set()
    for deleted in ("false", "true"):
        body = sim.api("GET", "/api/v1/workloads", params={"deleted": deleted, "limit": 500}).json()
        ids |= {workload["id"] for workload in body["workloads"]}
    return ids


def test_acknowledged_writes_survive_kill_9_and_restarts(tmp_path):
    state = str(tmp_path / "state.db")
    with SimulatorProcess(state=state, speed=100) as sim:
        created = [create(sim, "keep-%02d" % index, job_manifest("keep-%02d" % index)) for index in range(15)]
        service = create(sim, "service", deployment_manifest("service"))
        ids = {body["metadata"]["id"] for body in created} | {service["metadata"]["id"]}
        changed, removed = created[1]["metadata"]["id"], created[0]["metadata"]["id"]
        assert sim.api("PUT", "/api/v2/workloads/" + changed, json={"metadata": {"priority": "very-high"}}).status_code == 202
        assert sim.api("DELETE", "/api/v2/workloads/" + removed).status_code == 202
        expired = sim.token()
        assert sim.admin("POST", "/_simulator/tokens/expire").status_code == 200
        valid = sim.token()
        sim.kill()

        sim.restart()
        assert _all_ids(sim) == ids
        assert sim.api("GET", "/api/v2/workloads/" + changed).json()["workload"]["metadata"]["priority"] == "very-high"
        assert sim.api("GET", "/api/v2/workloads/" + service["metadata"]["id"]).json()["workload"]["rawManifest"] == (
            deployment_manifest("service"))
        wait_for(lambda: sim.api("GET", "/api/v1/workloads", params={"deleted": "true"}).json()["workloads"])
        assert sim.api("GET", "/api/v1/workloads", token=valid).status_code == 200  # tokens outlive the process
        assert sim.api("GET", "/api/v1/workloads", token=expired).status_code == 401  # and so does their expiry
        wait_for(lambda: v1(sim, service["metadata"]["id"])["phase"] == "Running")
        assert sim.api("POST", "/api/v2/workloads", json={
            "metadata": {"name": "keep-02", "projectId": "1"}, "manifest": job_manifest("keep-02")}).status_code == 409

        assert sim.stop() == 0  # SIGTERM
        assert stat.S_IMODE(os.stat(state).st_mode) == 0o600
        sim.start()
        assert _all_ids(sim) == ids


def test_a_state_file_serves_one_simulator_at_a_time(tmp_path):
    state = str(tmp_path / "state.db")
    with SimulatorProcess(state=state) as first:
        with pytest.raises(SimulatorStartError, match="another simulator"):
            SimulatorProcess(state=state).start()
        assert first.api("GET", "/api/v1/workloads").status_code == 200


def test_preload_spreads_workloads_and_tops_up(tmp_path):
    state = str(tmp_path / "state.db")
    with SimulatorProcess(state=state, preload=300) as sim:
        count = sim.api("GET", "/api/v1/workloads/count").json()["count"]
        assert count == 300
        telemetry = sim.api("GET", "/api/v1/workloads/telemetry", params={
            "telemetryType": "WORKLOADS_COUNT", "groupBy": "ProjectId,Phase"}).json()["values"]
        projects = {entry["groups"][0]["name"] for entry in telemetry}
        phases = {entry["groups"][1]["value"] for entry in telemetry}
        assert projects == {"project-a", "team-a", "shared", "team-b"}
        assert {"Completed", "Failed", "Running", "Pending"} <= phases
        assert sum(int(entry["value"]) for entry in telemetry) == 300
        sim.restart()
        assert sim.api("GET", "/api/v1/workloads/count").json()["count"] == 300
