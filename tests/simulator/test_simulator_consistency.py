# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The real service's asynchrony: --v1-lag, --keep-deleted, --next-style and the --realistic preset."""

import time

import pytest
from runai_simulator.cli import _parser, config_from
from runai_simulator.testing import SimulatorProcess

from simulator_support import SPEED, create, create_body, deployment_manifest, wait_for

LAG = 2.0
KEEP = 1.0


@pytest.fixture(scope="module")
def lagging():
    """v1 views one wall-clock second behind the v2 writes, deleted records kept a second; lifecycles sped up."""
    with SimulatorProcess(speed=SPEED, v1_lag=LAG, keep_deleted=KEEP) as simulator:
        yield simulator


@pytest.fixture
def lagged(lagging):
    return lagging.reset()


def _v1_names(sim):
    return [workload["name"] for workload in sim.api("GET", "/api/v1/workloads").json()["workloads"]]


def _sync(sim, workload_id):
    return sim.api("GET", "/api/v2/workloads/" + workload_id).json()["syncInfo"]["status"]


def test_a_create_reaches_the_v1_views_after_the_lag(lagged):
    started = time.monotonic()
    workload_id = create(lagged, "late")["metadata"]["id"]
    assert _sync(lagged, workload_id) in ("Queued", "Applying")
    assert lagged.api("GET", "/api/v1/workloads/" + workload_id).status_code == 404
    assert _v1_names(lagged) == []
    assert lagged.api("GET", "/api/v1/workloads/count").json() == {"count": 0}
    # the name is taken at once, although no v1 view shows the workload yet
    assert lagged.api("POST", "/api/v2/workloads", json=create_body("late")).status_code == 409
    assert time.monotonic() - started < LAG, "the machine was too slow to see the lag window"

    wait_for(lambda: _v1_names(lagged) == ["late"], timeout=LAG + 5)
    assert time.monotonic() - started >= LAG
    assert _sync(lagged, workload_id) == "Synced"
    assert lagged.api("GET", "/api/v1/workloads/" + workload_id).json()["name"] == "late"


def test_an_update_reaches_the_v1_views_after_the_lag(lagged):
    workload_id = create(lagged, "moving", deployment_manifest("moving"), priority="low")["metadata"]["id"]
    wait_for(lambda: lagged.api("GET", "/api/v1/workloads/" + workload_id).status_code == 200, timeout=LAG + 5)
    started = time.monotonic()
    assert lagged.api("PUT", "/api/v2/workloads/" + workload_id, json={"metadata": {"priority": "high"}}).ok
    assert _sync(lagged, workload_id) in ("Queued", "Applying")
    assert lagged.api("GET", "/api/v1/workloads/" + workload_id).json()["priorityClassName"] == "low"
    assert time.monotonic() - started < LAG, "the machine was too slow to see the lag window"
    wait_for(lambda: lagged.api("GET", "/api/v1/workloads/" + workload_id).json()["priorityClassName"] == "high",
             timeout=LAG + 5)
    assert _sync(lagged, workload_id) == "Synced"


def test_a_deleted_workload_stays_readable_then_answers_404(lagged):
    workload_id = create(lagged, "doomed", deployment_manifest("doomed"))["metadata"]["id"]
    wait_for(lambda: _v1_names(lagged) == ["doomed"], timeout=LAG + 5)
    started = time.monotonic()
    assert lagged.api("DELETE", "/api/v2/workloads/" + workload_id).status_code == 202
    assert _v1_names(lagged) == ["doomed"]  # the v1 listing learns of the delete after the lag
    assert time.monotonic() - started < LAG, "the machine was too slow to see the lag window"

    def deleted_record():
        body = lagged.api("GET", "/api/v2/workloads/" + workload_id).json()
        return body if body["syncInfo"]["status"] == "Deleted" else None

    record = wait_for(deleted_record, timeout=5)
    assert record["workload"]["desiredPhase"] == "Deleted" and record["workload"]["metadata"]["deletedAt"]
    wait_for(lambda: _v1_names(lagged) == [], timeout=LAG + 5)
    deleted_listing = lagged.api("GET", "/api/v1/workloads", params={"deleted": "true"}).json()["workloads"]
    assert [workload["name"] for workload in deleted_listing] == ["doomed"]
    wait_for(lambda: lagged.api("GET", "/api/v2/workloads/" + workload_id).status_code == 404, timeout=KEEP + 5)
    # gone at KEEP seconds after the end of Deleting (2 simulated seconds, 20 ms at this speed)
    assert time.monotonic() - started >= KEEP
    assert lagged.api("DELETE", "/api/v2/workloads/" + workload_id).status_code == 404


@pytest.mark.parametrize("style, expected_next", (("offset", [2, 4]), ("page", [1, 2])))
def test_paging_by_items_received_works_for_either_next(style, expected_next):
    with SimulatorProcess(speed=SPEED, next_style=style) as simulator:
        names = ["paged-%d" % index for index in range(5)]
        for name in names:
            create(simulator, name)
        received, pointers, offset = [], [], 0
        while True:
            body = simulator.api("GET", "/api/v1/workloads", params={"offset": offset, "limit": 2}).json()
            received += [workload["name"] for workload in body["workloads"]]
            offset += len(body["workloads"])
            if "next" not in body:
                break
            pointers.append(body["next"])
        assert received == names and pointers == expected_next
        projects = simulator.api("GET", "/api/v1/org-unit/projects", params={"offset": 2, "limit": 2}).json()
        assert projects["next"] == (4 if style == "offset" else 2)


def _config(*flags):
    return config_from(_parser().parse_args(["serve"] + list(flags)))[0]


def test_realistic_preset_and_its_overrides():
    plain = _config()
    assert (plain.api_level, plain.v1_lag, plain.keep_deleted, plain.next_style) == ("3.0", 0.0, None, "offset")
    realistic = _config("--realistic")
    assert (realistic.api_level, realistic.v1_lag, realistic.keep_deleted) == ("3.0", 3.0, 30.0)
    mixed = _config("--realistic", "--api-level", "2.23", "--v1-lag", "0", "--next-style", "page")
    assert (mixed.api_level, mixed.v1_lag, mixed.keep_deleted, mixed.next_style) == ("2.23", 0.0, 30.0, "page")
    with pytest.raises(SystemExit):
        _config("--api-level", "2.22")
    with pytest.raises(SystemExit):
        _config("--v1-lag", "-1")


def test_realistic_simulator_lags():
    with SimulatorProcess(realistic=True, speed=SPEED) as simulator:
        workload_id = create(simulator, "real")["metadata"]["id"]
        assert simulator.api("GET", "/api/v1/workloads/" + workload_id).status_code == 404
        assert _sync(simulator, workload_id) in ("Queued", "Applying")
        assert [cluster["version"] for cluster in simulator.api("GET", "/api/v1/clusters").json()] == ["3.0.2"] * 2
