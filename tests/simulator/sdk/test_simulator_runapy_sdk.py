# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The vendor's Python SDK (runapy, module `runai`) drives the simulator end to end, and its pydantic models parse
every answer: token, create, get, update, list, count, pods, metrics, telemetry, projects, clusters, delete.

Each SDK release drives the control-plane level it was cut for: runapy 1.223.x a simulator at --api-level 2.23,
1.224.x one at 2.24 (RUNAI_SIMULATOR_API_LEVEL overrides the level read from the installed release).
runapy takes seconds to import, so this runs in its own virtual environment, one per release (see simulator/README.md):
    python3.11 -m venv /tmp/runapy-223
    /tmp/runapy-223/bin/pip install 'runapy==1.223.*' pytest requests ./simulator
    /tmp/runapy-223/bin/python -m pytest -p no:cacheprovider tests/simulator/sdk
"""

import base64
import importlib.metadata
import json
import os
from datetime import datetime, timezone

import pytest

runai = pytest.importorskip("runai", reason="the runapy SDK is not installed here; CI runs this test in its own venv")

from runai import models  # noqa: E402
from runai.api_client import ApiClient  # noqa: E402
from runai.configuration import Configuration  # noqa: E402
from runai.exceptions import ApiException  # noqa: E402
from runai.runai_client import RunaiClient  # noqa: E402

from runai_simulator.spec import LEVELS, vocabulary  # noqa: E402
from runai_simulator.testing import SimulatorProcess  # noqa: E402
from simulator_support import SPEED, pytorch_manifest, running_window, wait_for  # noqa: E402


def sdk_level():
    """The control-plane level of the installed runapy release (1.MAJORMINOR.patch: 1.223.x is 2.23)."""
    explicit = os.environ.get("RUNAI_SIMULATOR_API_LEVEL")
    if explicit:
        return explicit
    release = importlib.metadata.version("runapy")
    cut = int(release.split(".")[1])
    level = "%d.%d" % (cut // 100, cut % 100)
    if level not in LEVELS:
        pytest.fail("runapy %s is cut for control plane %s, which the simulator does not play (%s); set "
                    "RUNAI_SIMULATOR_API_LEVEL to choose one" % (release, level, ", ".join(LEVELS)))
    return level


LEVEL = sdk_level()


@pytest.fixture(scope="module")
def level_simulator():
    with SimulatorProcess(speed=SPEED, api_level=LEVEL) as simulator:
        yield simulator


@pytest.fixture
def sim(level_simulator):
    """The level's simulator, reset (overrides the shared one of tests/simulator/conftest.py)."""
    return level_simulator.reset()


@pytest.fixture
def client(sim):
    configuration = Configuration(client_id=sim.client_id, client_secret=sim.client_secret, runai_base_url=sim.url)
    with RunaiClient(ApiClient(configuration)) as sdk:
        yield sdk


def _parse(model, response):
    """The SDK model built from an answer's body; pydantic raises if a field does not fit."""
    assert 200 <= response.status_code < 300
    return model.from_dict(response.data)


def test_token_is_a_jwt_the_sdk_can_refresh(client):
    api_client = client.api_client
    payload = api_client._token.split(".")[1]
    assert "-" not in payload and "_" not in payload
    assert api_client.token_refresher._token_expiry > datetime.now(timezone.utc).timestamp()
    api_client.token_refresher._refresh_token()
    assert models.TokenResponse.from_dict({"accessToken": api_client._token}).access_token == api_client._token


def test_sdk_end_to_end(client, sim):
    workloads_v2 = client.workloads.workloads_v2
    request = models.WorkloadV2CreateRequest(
        metadata=models.WorkloadV2MetadataCreateParams(name="sdk-ddp", project_id="1", priority="medium"),
        manifest=pytorch_manifest("sdk-ddp", workers=2, gpus=1))
    created = _parse(models.WorkloadV2, workloads_v2.create_workload_v2(workload_v2_create_request=request))
    workload_id = created.metadata.id
    assert created.metadata.name == "sdk-ddp" and created.metadata.gvk.kind == "PyTorchJob"

    fetched = _parse(models.WorkloadV2GetResponse, workloads_v2.get_workload_v2_by_id(workload_v2_id=workload_id))
    assert fetched.workload.metadata.project_name == "project-a"

    if vocabulary(LEVEL).has_update:
        assert hasattr(workloads_v2, "update_workload_v2")
        update = models.WorkloadV2UpdateRequest(metadata=models.WorkloadV2MetadataUpdateParams(priority="high"))
        updated = _parse(models.WorkloadV2, workloads_v2.update_workload_v2(
            workload_v2_id=workload_id, workload_v2_update_request=update))
        assert updated.metadata.priority == "high"
    else:  # the SDK release of a level without update has no such call either
        assert not hasattr(workloads_v2, "update_workload_v2")

    encoded = base64.b64encode(b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: sdk-pod\nspec:\n  containers:\n"
                               b"  - name: main\n    image: python:3.11\n").decode("ascii")
    # 2.23 requires the name in the create metadata; later levels take it from the manifest
    pod_metadata = models.WorkloadV2MetadataCreateParams(
        project_id="1", **({"name": "sdk-pod"} if "name" in vocabulary(LEVEL).create_metadata_required else {}))
    pod = _parse(models.WorkloadV2, workloads_v2.create_workload_v2(
        workload_v2_create_request=models.WorkloadV2CreateRequest(
            metadata=pod_metadata, manifest_base64_encoded=encoded)))
    assert pod.metadata.name == "sdk-pod"

    workloads = client.workloads.workloads
    start, end = running_window(sim, workload_id)
    listed = _parse(models.GetWorkloads200Response, workloads.get_workloads(
        filter_by=["name==sdk-ddp", "projectId==1"], sort_by="createdAt", limit=10))
    assert [workload.id for workload in listed.workloads] == [workload_id]
    assert listed.workloads[0].source_api == "WorkloadsV2"
    assert _parse(models.CountResponse, workloads.count_workloads(filter_by=["projectId==1"])).count == 2
    detailed = _parse(models.WorkloadDetailed, workloads.get_workload(workload_id=workload_id))
    assert detailed.phase == "Running" and detailed.running_pods == 3

    pods_api = client.workloads.pods
    pods = _parse(models.ListPods200Response, pods_api.list_pods(
        filter_by=["workloadId==" + workload_id], verbosity="full"))
    assert len(pods.pods) == 3 and pods.pods[0].workload_name == "sdk-ddp"
    _parse(models.ListPods200Response, pods_api.get_workload_pods(workload_id=workload_id))
    _parse(models.CountResponse, pods_api.count_pods(filter_by=["workloadId==" + workload_id]))

    start_time = datetime.fromisoformat(start.replace("Z", "+00:00"))
    end_time = datetime.fromisoformat(end.replace("Z", "+00:00"))
    metrics = _parse(models.MetricsCompositeResponse, workloads.get_workload_metrics(
        workload_id=workload_id, metric_type=["GPU_UTILIZATION", "GPU_ALLOCATION"], start=start_time, end=end_time,
        number_of_samples=5))
    assert [len(measurement.values) for measurement in metrics.measurements] == [5, 5]
    pod_metrics = _parse(models.MetricsResponse, pods_api.get_workload_pod_metrics(
        workload_id=workload_id, pod_id=pods.pods[0].id, metric_type=["GPU_UTILIZATION_PER_GPU"],
        start=start_time, end=end_time))
    assert pod_metrics.measurements[0].labels["gpu"] == "0"
    telemetry = _parse(models.TelemetryResponse, workloads.get_workloads_telemetry(
        telemetry_type="GPU_ALLOCATION", group_by=["ProjectId"]))
    assert telemetry.values[0].value == "3.0"

    projects = client.organizations.projects.get_projects(filter_by=["name==project-a"])
    assert [project["id"] for project in projects.data["projects"]] == ["1"]
    clusters = [models.DisplayedCluster.from_dict(cluster) for cluster in client.organizations.clusters.get_clusters().data]
    assert {cluster.version for cluster in clusters} == {vocabulary(LEVEL).cluster_version}

    deleted = _parse(models.WorkloadV2, workloads_v2.delete_workload_v2(workload_v2_id=workload_id))
    assert deleted.desired_phase == "Deleted"
    wait_for(lambda: workloads.get_workloads(deleted=True).data["workloads"])
    gone = _parse(models.GetWorkloads200Response, workloads.get_workloads(deleted=True))
    assert gone.workloads[0].deleted_at is not None


def test_sdk_sees_reference_errors(client):
    with pytest.raises(ApiException) as raised:
        client.workloads.workloads_v2.get_workload_v2_by_id(workload_v2_id="00000000-0000-4000-8000-000000000000")
    assert raised.value.status == 404
    assert json.loads(raised.value.body) == {"code": 404, "message": "Resource id not found."}
