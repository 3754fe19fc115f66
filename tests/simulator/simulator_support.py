# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers of the simulator tests: manifests, calls, polling, and a validator of responses against the
package's copy of the reference."""

import base64
import re
import time
from datetime import datetime, timedelta, timezone

# The shared simulator runs lifecycles 100 times faster: Creating 20 ms, Pending 30 ms, a Job's default run 0.6 s.
SPEED = 100.0
RESTRICTED_APP = "team-a-bot:team-a-secret:team-a"


def job_manifest(name="train", gpus=1, parallelism=1, annotations=None, image="nvcr.io/nvidia/pytorch:24.05-py3"):
    metadata = {"name": name}
    if annotations:
        metadata["annotations"] = annotations
    container = {"name": "main", "image": image,
                 "resources": {"limits": {"nvidia.com/gpu": gpus}, "requests": {"cpu": "500m", "memory": "1Gi"}}}
    pod = {"spec": {"containers": [container], "restartPolicy": "Never"}}
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": metadata,
            "spec": {"parallelism": parallelism, "template": pod}}


def deployment_manifest(name="serve", replicas=2, gpus=1, image="nginx:1.27"):
    container = {"name": "app", "image": image, "resources": {"limits": {"nvidia.com/gpu": gpus}}}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": [container]}}}}


def pytorch_manifest(name="ddp", workers=3, gpus=2):
    template = {"spec": {"containers": [{"name": "pytorch", "image": "pytorch:2",
                                         "resources": {"limits": {"nvidia.com/gpu": gpus}}}]}}
    return {"apiVersion": "kubeflow.org/v1", "kind": "PyTorchJob", "metadata": {"name": name},
            "spec": {"pytorchReplicaSpecs": {"Master": {"replicas": 1, "template": template},
                                             "Worker": {"replicas": workers, "template": template}}}}


def notebook_manifest(name="nb", gpus=1):
    container = {"name": name, "image": "jupyter/base-notebook", "resources": {"limits": {"nvidia.com/gpu": gpus}}}
    return {"apiVersion": "kubeflow.org/v1", "kind": "Notebook", "metadata": {"name": name},
            "spec": {"template": {"spec": {"containers": [container]}}}}


def inference_manifest(name="llm"):
    return {"apiVersion": "serving.kserve.io/v1beta1", "kind": "InferenceService", "metadata": {"name": name},
            "spec": {"predictor": {"minReplicas": 2, "containers": [
                {"name": "kserve-container", "image": "nvcr.io/nim/llama:1",
                 "resources": {"limits": {"nvidia.com/gpu": 1}}}]}}}


def base64_yaml(text):
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def create_body(name, manifest=None, project_id="1", **metadata):
    return {"metadata": dict({"name": name, "projectId": project_id}, **metadata),
            "manifest": manifest if manifest is not None else job_manifest(name)}


def wait_for(predicate, timeout=10.0, interval=0.02):
    """Poll until `predicate()` returns something truthy; return it (the lifecycle runs on the wall clock)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("condition not met within %.1f s" % timeout)
        time.sleep(interval)


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def wait_for_phase(sim, workload_id, phase, timeout=10.0):
    """The v1 workload, once it shows `phase`."""
    def reached():
        body = v1(sim, workload_id)
        return body if body["phase"] == phase else None
    return wait_for(reached, timeout)


def running_window(sim, workload_id, minimum_seconds=0.1):
    """(start, end) spanning from the moment the workload started running to now, once it has run a little."""
    running = wait_for_phase(sim, workload_id, "Running")
    started = datetime.fromisoformat(running["phaseUpdatedAt"].replace("Z", "+00:00"))
    wait_for(lambda: datetime.now(timezone.utc) - started >= timedelta(seconds=minimum_seconds))
    return running["phaseUpdatedAt"], iso(datetime.now(timezone.utc))


def create(sim, name, manifest=None, project_id="1", **metadata):
    response = sim.api("POST", "/api/v2/workloads", json=create_body(name, manifest, project_id, **metadata))
    assert response.status_code == 202, response.text
    return response.json()


def v1(sim, workload_id):
    response = sim.api("GET", "/api/v1/workloads/" + workload_id)
    assert response.status_code == 200, response.text
    return response.json()


# ---- contract: responses against the package's own copy of the reference
# The vendor's Project schema (the same at every level) puts `nullable` beside `allOf`, which OpenAPI 3.0 validators
# do not carry into the referenced schema, and gives `parent.id` the format uuid although department ids are numeric
# strings; the project's projects document corrects both (its x-runai-evidence) and answers for this operation.
PROJECT_DOCUMENT_ANSWERS = ("/api/v1/org-unit/projects",)


class Contract:
    """Validates responses with openapi-core against one level's reference, as the package keeps it.

    The level's vendor document (spec/vendor/runai-<level>-openapi.json) comes first; the project's four documents
    answer only for the operations the vendor cut leaves out (/api/v2/token, the deprecated app token and cluster pods
    routes). The loaded copies get `null` added to the enums of v1 `SourceApi` and `Workload.phaseReason` (the spec
    README: strict validators otherwise reject the null the service sends) and any loopback port as server.
    A status the reference does not list for an operation must carry a valid Error body and be one the
    simulator documents as an assumption (400 on list filters, faults); it is recorded in `undocumented`.
    """

    def __init__(self, level="3.0"):
        from openapi_core import OpenAPI
        from runai_simulator import spec

        self.level = level
        vendor = spec.load_spec(spec.vendor_spec(level))
        for template in PROJECT_DOCUMENT_ANSWERS:
            del vendor["paths"][template]
        documents = [vendor]
        for name in spec.SPEC_FILES:
            document = spec.load_spec(name)
            document["paths"] = {template: item for template, item in document["paths"].items()
                                 if template not in vendor["paths"]}
            if document["paths"]:
                documents.append(document)
        self.documents = []
        for document in documents:
            document["servers"] = [{"url": "http://127.0.0.1:{port}", "variables": {"port": {"default": "8080"}}}]
            schemas = document["components"]["schemas"]
            if "SourceApi" in schemas and None not in schemas["SourceApi"]["enum"]:
                schemas["SourceApi"]["enum"] = schemas["SourceApi"]["enum"] + [None]
                reasons = schemas["PhaseReason"]["enum"]
                schemas["Workload"]["properties"]["phaseReason"] = {
                    "type": "string", "nullable": True, "enum": reasons + [None]}
            self.documents.append((document, OpenAPI.from_dict(document)))
        self.error_schema = vendor["components"]["schemas"]["Error"]
        self.undocumented = []
        self.checked = []

    def _operation(self, method, path):
        """(template, operation, OpenAPI) of a request; a literal segment wins over a template parameter."""
        matches = [(template.count("{"), template, item[method.lower()], openapi)
                   for document, openapi in self.documents for template, item in document["paths"].items()
                   if method.lower() in item and re.match("^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$", path)]
        if not matches:
            raise AssertionError("%s %s is not an operation of the reference" % (method, path))
        return min(matches, key=lambda match: match[0])[1:]

    def check(self, response, valid_request=None):
        """Validate `response`; when `valid_request` is True also check that the request conforms."""
        from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse
        from openapi_schema_validator import OAS30Validator

        request = response.request
        path = request.path_url.split("?", 1)[0]
        template, operation, openapi = self._operation(request.method, path)
        status = str(response.status_code)
        if valid_request:
            openapi.validate_request(RequestsOpenAPIRequest(request))
        if status in operation["responses"] or "default" in operation["responses"]:
            openapi.validate_response(RequestsOpenAPIRequest(request), RequestsOpenAPIResponse(response))
        else:
            OAS30Validator(self.error_schema).validate(response.json())
            assert response.json()["code"] == response.status_code
            self.undocumented.append((request.method, template, status))
        self.checked.append((request.method, template, status))
        return response
