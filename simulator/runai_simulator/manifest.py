# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the simulator reads from a Kubernetes manifest: its workload type, its pods, their resources, and the
`simulator.run.ai/` annotations that script an outcome.

A manifest the reference would reject (no apiVersion or kind, a kind that is not a registered workload type) raises
BadRequest. A manifest that is accepted but could not be applied to a cluster (no containers, a replica count that is
not a number) is reported through `ManifestFacts.problem`: the workload is stored and its sync ends in `Failed`, as a
real control plane reports an apply error after the 202.
"""

import base64
import binascii
import re
from dataclasses import dataclass

from runai_simulator.errors import BadRequest

ANNOTATION_PREFIX = "simulator.run.ai/"
FAIL_AFTER = ANNOTATION_PREFIX + "fail-after"
COMPLETE_AFTER = ANNOTATION_PREFIX + "complete-after"
STAY_PENDING = ANNOTATION_PREFIX + "stay-pending"
GPU_UTILIZATION = ANNOTATION_PREFIX + "gpu-utilization"
GPU_RESOURCE = "nvidia.com/gpu"
GPU_FRACTION_ANNOTATION = "gpu-fraction"
MAX_PODS = 1000

PRIORITY_VALUES = {
    "very-low": 25, "low": 50, "medium-low": 65, "medium": 75, "medium-high": 90, "high": 100, "very-high": 125,
}
CATEGORY_DEFAULTS = {
    # category: (priority class, preemptibility)
    "Train": ("low", "preemptible"),
    "Build": ("high", "non-preemptible"),
    "Deploy": ("very-high", "non-preemptible"),
}


@dataclass(frozen=True)
class WorkloadKind:
    """A registered workload type (the reference's GET /api/v1/workload-types), keyed by Kubernetes kind."""

    name: str
    groups: tuple
    runs_to_completion: bool
    category: str
    framework: str = None
    serves_inference: bool = False


WORKLOAD_KINDS = {kind.name: kind for kind in (
    WorkloadKind("Pod", ("",), True, "Train"),
    WorkloadKind("Job", ("batch",), True, "Train"),
    WorkloadKind("Deployment", ("apps",), False, "Deploy"),
    WorkloadKind("StatefulSet", ("apps",), False, "Deploy"),
    WorkloadKind("ReplicaSet", ("apps",), False, "Deploy"),
    WorkloadKind("PyTorchJob", ("kubeflow.org",), True, "Train", "PyTorch"),
    WorkloadKind("TFJob", ("kubeflow.org",), True, "Train", "TF"),
    WorkloadKind("MPIJob", ("kubeflow.org",), True, "Train", "MPI"),
    WorkloadKind("XGBoostJob", ("kubeflow.org",), True, "Train", "XGBoost"),
    WorkloadKind("JAXJob", ("kubeflow.org",), True, "Train", "JAX"),
    WorkloadKind("Notebook", ("kubeflow.org",), False, "Build"),
    WorkloadKind("RayJob", ("ray.io",), True, "Train", "Ray"),
    WorkloadKind("RayCluster", ("ray.io",), False, "Build", "Ray"),
    WorkloadKind("RayService", ("ray.io",), False, "Deploy", "Ray", True),
    WorkloadKind("InferenceService", ("serving.kserve.io",), False, "Deploy", None, True),
    WorkloadKind("Service", ("serving.knative.dev",), False, "Deploy", None, True),
    WorkloadKind("LeaderWorkerSet", ("leaderworkerset.x-k8s.io",), False, "Deploy", None, True),
)}

# The kinds a suspend applies to (actionsSupport.suspend): those whose controller can take all pods away and bring
# them back (batch Job and the Kubeflow jobs `suspend`, KubeRay RayJob and RayCluster `suspend`, a stopped Notebook).
# A bare Pod has no controller to bring it back; serving kinds (Deployment, StatefulSet, ReplicaSet, InferenceService,
# knative Service, LeaderWorkerSet, RayService) are scaled, not suspended: the reference has no suspend route for them.
SUSPENDABLE_KINDS = frozenset((
    "Job", "PyTorchJob", "TFJob", "MPIJob", "XGBoostJob", "JAXJob", "RayJob", "Notebook", "RayCluster"))
# The reference's per-kind suspend and resume routes, /api/v1/workloads/<family>/{workloadId}/suspend|resume, and
# the kinds each of them addresses: another kind is not a workload of that family (404).
SUSPEND_FAMILIES = {
    "trainings": frozenset(("Pod", "Job")),
    "distributed": frozenset(("PyTorchJob", "TFJob", "MPIJob", "XGBoostJob", "JAXJob", "RayJob")),
    "workspaces": frozenset(("Notebook", "RayCluster")),
}

_CPU = re.compile(r"^([0-9]+(?:\.[0-9]+)?)(m?)$")
_MEMORY = re.compile(r"^([0-9]+(?:\.[0-9]+)?)(?:e([0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|k|K|M|G|T|P|E))?$")
_MEMORY_UNITS = {
    None: 1, "k": 10 ** 3, "K": 10 ** 3, "M": 10 ** 6, "G": 10 ** 9, "T": 10 ** 12, "P": 10 ** 15, "E": 10 ** 18,
    "Ki": 2 ** 10, "Mi": 2 ** 20, "Gi": 2 ** 30, "Ti": 2 ** 40, "Pi": 2 ** 50, "Ei": 2 ** 60,
}


@dataclass(frozen=True)
class Container:
    name: str
    image: str


@dataclass(frozen=True)
class PodGroup:
    """Pods built from one pod template: a Deployment's replicas, one replica type of a distributed job."""

    role: str
    count: int
    containers: tuple
    gpu: float
    gpu_is_fraction: bool
    cpu_request: float
    cpu_limit: float
    memory_request: int
    memory_limit: int


@dataclass(frozen=True)
class Outcome:
    """The scripted end of a workload, in seconds after its creation (simulated time, before --speed)."""

    fail_after: float = None
    complete_after: float = None
    stay_pending: bool = False


@dataclass(frozen=True)
class ManifestFacts:
    kind: WorkloadKind
    group: str
    version: str
    pod_groups: tuple
    outcome: Outcome
    problem: str = None
    parallelism: int = None
    completions: int = None
    gpu_utilization: float = None  # pinned by the gpu-utilization annotation (percent), else synthetic

    @property
    def suspendable(self):
        return self.kind.name in SUSPENDABLE_KINDS

    @property
    def gvk(self):
        return {"group": self.group, "version": self.version, "kind": self.kind.name}

    @property
    def pod_count(self):
        return sum(group.count for group in self.pod_groups)

    @property
    def gpu(self):
        return sum(group.gpu * group.count for group in self.pod_groups)

    @property
    def cpu_request(self):
        return sum(group.cpu_request * group.count for group in self.pod_groups)

    @property
    def cpu_limit(self):
        return sum(group.cpu_limit * group.count for group in self.pod_groups)

    @property
    def memory_request(self):
        return sum(group.memory_request * group.count for group in self.pod_groups)

    @property
    def memory_limit(self):
        return sum(group.memory_limit * group.count for group in self.pod_groups)

    @property
    def gpu_is_fraction(self):
        return any(group.gpu_is_fraction for group in self.pod_groups)

    @property
    def images(self):
        seen = []
        for group in self.pod_groups:
            for container in group.containers:
                if container.image not in seen:
                    seen.append(container.image)
        return seen


class _Unappliable(Exception):
    """The manifest is stored, but a cluster would refuse to apply it."""


def _mapping(value):
    return value if isinstance(value, dict) else {}


def decode_base64_manifest(encoded, max_length):
    """The object in a `manifestBase64Encoded` value (base64 of YAML)."""
    if not isinstance(encoded, str):
        raise BadRequest("manifestBase64Encoded must be a string")
    if len(encoded) > max_length:
        raise BadRequest("manifestBase64Encoded is longer than %d characters" % max_length)
    try:
        text = base64.b64decode(encoded, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        raise BadRequest("manifestBase64Encoded is not valid base64 of UTF-8 text") from None
    import yaml  # only this path needs a YAML parser; imported here to keep start-up fast

    try:
        manifest = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise BadRequest("manifestBase64Encoded does not hold valid YAML", details=str(error)) from None
    if not isinstance(manifest, dict):
        raise BadRequest("manifestBase64Encoded must hold one YAML mapping (a Kubernetes object)")
    return manifest


def split_api_version(api_version):
    group, _slash, version = api_version.rpartition("/")
    return group, version


def analyse(manifest):
    """Facts about a manifest, or BadRequest when the reference would refuse it."""
    if not isinstance(manifest, dict):
        raise BadRequest("manifest must be a JSON object")
    api_version, kind_name = manifest.get("apiVersion"), manifest.get("kind")
    if not isinstance(api_version, str) or not api_version or not isinstance(kind_name, str) or not kind_name:
        raise BadRequest("manifest must have apiVersion and kind")
    kind = WORKLOAD_KINDS.get(kind_name)
    group, version = split_api_version(api_version)
    if kind is None or group not in kind.groups or not version:
        raise BadRequest("%s %s is not a registered workload type" % (api_version, kind_name),
                         details="registered kinds: " + ", ".join(sorted(WORKLOAD_KINDS)))
    annotations = _mapping(_mapping(manifest.get("metadata")).get("annotations"))
    outcome = _outcome(annotations)
    utilization = _gpu_utilization(annotations)
    spec = _mapping(manifest.get("spec"))
    try:
        pod_groups = tuple(_pod_group(role, count, template) for role, count, template in _templates(kind_name, manifest))
        if sum(group.count for group in pod_groups) > MAX_PODS:
            raise _Unappliable("the simulator runs at most %d pods per workload" % MAX_PODS)
        if not any(group.containers for group in pod_groups):
            raise _Unappliable("the manifest defines no containers")
    except _Unappliable as error:
        return ManifestFacts(kind, group, version, (), outcome, problem=str(error), gpu_utilization=utilization)
    parallelism = completions = None
    if kind_name == "Job":
        parallelism = pod_groups[0].count
        completions = _count(spec, "completions", parallelism)
    return ManifestFacts(kind, group, version, pod_groups, outcome, parallelism=parallelism, completions=completions,
                         gpu_utilization=utilization)


def _gpu_utilization(annotations):
    """The percent pinned by simulator.run.ai/gpu-utilization (0 to 100), or None."""
    if GPU_UTILIZATION not in annotations:
        return None
    try:
        value = float(str(annotations[GPU_UTILIZATION]).strip().rstrip("%"))
    except ValueError:
        value = -1.0
    if not 0 <= value <= 100:
        raise BadRequest('annotation %s must be a percent from 0 to 100, e.g. "5"' % GPU_UTILIZATION)
    return value


def _outcome(annotations):
    scripted = {key: value for key, value in annotations.items() if key in (FAIL_AFTER, COMPLETE_AFTER, STAY_PENDING)}
    if len(scripted) > 1:
        raise BadRequest("use only one of the annotations %s, %s, %s" % (FAIL_AFTER, COMPLETE_AFTER, STAY_PENDING))
    if STAY_PENDING in scripted:
        value = str(scripted[STAY_PENDING]).strip().lower()
        if value not in ("true", "false"):
            raise BadRequest('annotation %s must be "true" or "false"' % STAY_PENDING)
        return Outcome(stay_pending=value == "true")
    for key in (FAIL_AFTER, COMPLETE_AFTER):
        if key in scripted:
            try:
                seconds = float(scripted[key])
            except (TypeError, ValueError):
                seconds = -1.0
            if not 0 <= seconds < 10 ** 9:
                raise BadRequest("annotation %s must be a number of seconds" % key)
            return Outcome(fail_after=seconds) if key == FAIL_AFTER else Outcome(complete_after=seconds)
    return Outcome()


def _count(spec, key, default):
    value = spec.get(key, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _Unappliable("spec.%s must be a non-negative integer" % key)
    return value


def _pod_template(holder):
    return _mapping(holder.get("template"))


def _templates(kind_name, manifest):
    """(role, pod count, pod template) for each group of pods the manifest asks for."""
    spec = _mapping(manifest.get("spec"))
    if kind_name == "Pod":
        return [("", 1, {"metadata": _mapping(manifest.get("metadata")), "spec": spec})]
    if kind_name == "Job":
        return [("", _count(spec, "parallelism", 1), _pod_template(spec))]
    replica_specs = next((value for key, value in spec.items() if key.endswith("ReplicaSpecs")), None)
    if isinstance(replica_specs, dict):
        return [(role.lower(), _count(_mapping(replica), "replicas", 1), _pod_template(_mapping(replica)))
                for role, replica in replica_specs.items()]
    if kind_name in ("RayCluster", "RayJob", "RayService"):
        cluster = {"RayCluster": spec, "RayJob": _mapping(spec.get("rayClusterSpec")),
                   "RayService": _mapping(spec.get("rayClusterConfig"))}[kind_name]
        groups = [("head", 1, _pod_template(_mapping(cluster.get("headGroupSpec"))))]
        for worker in cluster.get("workerGroupSpecs") or []:
            worker = _mapping(worker)
            groups.append((str(worker.get("groupName") or "worker"), _count(worker, "replicas", 1), _pod_template(worker)))
        return groups
    if kind_name == "InferenceService":
        predictor = _mapping(spec.get("predictor"))
        return [("predictor", max(1, _count(predictor, "minReplicas", 1)), {"spec": predictor})]
    if kind_name == "LeaderWorkerSet":
        group_template = _mapping(spec.get("leaderWorkerTemplate"))
        replicas, size = _count(spec, "replicas", 1), max(1, _count(group_template, "size", 1))
        worker = _mapping(group_template.get("workerTemplate"))
        leader = _mapping(group_template.get("leaderTemplate")) or worker
        return [("leader", replicas, leader), ("worker", replicas * (size - 1), worker)]
    return [("", _count(spec, "replicas", 1), _pod_template(spec))]


def _pod_group(role, count, template):
    pod_spec = _mapping(template.get("spec"))
    containers, gpu, cpu_request, cpu_limit, memory_request, memory_limit = [], 0.0, 0.0, 0.0, 0, 0
    for container in pod_spec.get("containers") or []:
        container = _mapping(container)
        image = container.get("image")
        if not isinstance(image, str) or not image:
            raise _Unappliable("every container needs an image")
        containers.append(Container(str(container.get("name") or "main"), image))
        resources = _mapping(container.get("resources"))
        requests, limits = _mapping(resources.get("requests")), _mapping(resources.get("limits"))
        gpu += _number(limits.get(GPU_RESOURCE, requests.get(GPU_RESOURCE)), "GPU count")
        cpu_request += _cpu(requests.get("cpu"))
        cpu_limit += _cpu(limits.get("cpu"))
        memory_request += _memory(requests.get("memory"))
        memory_limit += _memory(limits.get("memory"))
    fraction = _mapping(_mapping(template.get("metadata")).get("annotations")).get(GPU_FRACTION_ANNOTATION)
    gpu_is_fraction = fraction is not None
    if gpu_is_fraction:
        gpu = _number(fraction, "gpu-fraction")
        if not 0 < gpu <= 1:
            raise _Unappliable("gpu-fraction must be in (0, 1]")
    return PodGroup(role, count, tuple(containers), gpu, gpu_is_fraction, cpu_request, cpu_limit,
                    memory_request, memory_limit)


def _number(value, what):
    if value is None:
        return 0.0
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise _Unappliable("%s %r is not a number" % (what, value)) from None
    if number < 0:
        raise _Unappliable("%s must not be negative" % what)
    return number


def _cpu(value):
    """Cores from a Kubernetes CPU quantity ("500m", "2", 1.5)."""
    if value is None:
        return 0.0
    match = _CPU.match(str(value).strip())
    if not match:
        raise _Unappliable("CPU quantity %r is not valid" % (value,))
    number = float(match.group(1))
    return number / 1000 if match.group(2) else number


def _memory(value):
    """Bytes from a Kubernetes memory quantity ("512Mi", "1G", "1e9", 1024)."""
    if value is None:
        return 0
    match = _MEMORY.match(str(value).strip())
    if not match:
        raise _Unappliable("memory quantity %r is not valid" % (value,))
    number = float(match.group(1))
    if match.group(2):
        return int(number * 10 ** int(match.group(2)))
    return int(number * _MEMORY_UNITS[match.group(3)])
