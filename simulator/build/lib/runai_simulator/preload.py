# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""--preload N: N workloads spread over every project, created over the past week with a mix of kinds and
outcomes (completed, failed, running, stuck pending), for scale runs and reports.

Names are `preload-00001`... per position, so starting again with the same state file tops up instead of
duplicating. The choice of kind, age and outcome is seeded by the position: every run preloads the same mix.
"""

import random
import uuid

from runai_simulator import lifecycle
from runai_simulator.manifest import CATEGORY_DEFAULTS, COMPLETE_AFTER, FAIL_AFTER, STAY_PENDING, analyse
from runai_simulator.seeds import PROJECTS
from runai_simulator.workloads import Workload, default_preemptibility

WEEK_SECONDS = 7 * 24 * 3600


def _containers(gpus, image):
    resources = {"requests": {"cpu": "2", "memory": "8Gi"}, "limits": {}}
    if gpus:
        resources["limits"]["nvidia.com/gpu"] = gpus
    return [{"name": "main", "image": image, "resources": resources}]


def _manifest(kind, name, gpus, annotations):
    metadata = {"name": name, "annotations": annotations} if annotations else {"name": name}
    pod = {"spec": {"containers": _containers(gpus, "nvcr.io/nvidia/pytorch:24.05-py3"), "restartPolicy": "Never"}}
    if kind == "Job":
        return {"apiVersion": "batch/v1", "kind": "Job", "metadata": metadata,
                "spec": {"parallelism": 1, "template": pod}}
    if kind == "PyTorchJob":
        replica = {"replicas": 1, "template": pod}
        return {"apiVersion": "kubeflow.org/v1", "kind": "PyTorchJob", "metadata": metadata,
                "spec": {"pytorchReplicaSpecs": {"Master": replica, "Worker": dict(replica, replicas=2)}}}
    if kind == "Deployment":
        serving = {"metadata": {"labels": {"app": name}},
                   "spec": {"containers": _containers(gpus, "nvcr.io/nim/meta/llama3-8b-instruct:1.0")}}
        return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": metadata,
                "spec": {"replicas": 2, "selector": {"matchLabels": {"app": name}}, "template": serving}}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": metadata,
            "spec": {"containers": _containers(gpus, "python:3.11-slim")}}


def _plan(position):
    """(kind, gpus, age in seconds, annotations) of the workload at `position`, fixed by the position."""
    chooser = random.Random(position)
    kind = chooser.choice(("Job", "Job", "PyTorchJob", "Deployment", "Pod"))
    gpus = chooser.choice((0, 1, 1, 2, 4, 8)) if kind != "Pod" else 0
    age = chooser.uniform(60, WEEK_SECONDS)
    roll = chooser.random()
    if roll < 0.08:
        annotations = {STAY_PENDING: "true"}
    elif roll < 0.2:
        annotations = {FAIL_AFTER: str(int(chooser.uniform(120, 3 * 3600)))}
    elif kind != "Deployment":
        annotations = {COMPLETE_AFTER: str(int(chooser.uniform(300, 12 * 3600)))}
    else:
        annotations = {}
    return kind, gpus, age, annotations


def preload(registry, count, client_id, now, speed):
    """Create the missing ones among the first `count` preloaded workloads; returns how many were created."""
    created = []
    for position in range(1, count + 1):
        project = PROJECTS[position % len(PROJECTS)]
        name = "preload-%05d" % position
        if registry.name_taken(project.id, name, now):
            continue
        kind, gpus, age, annotations = _plan(position)
        manifest = _manifest(kind, name, gpus, annotations)
        facts = analyse(manifest)
        priority = CATEGORY_DEFAULTS[facts.kind.category][0]
        created.append(Workload(
            id=str(uuid.uuid4()),
            seq=registry.take_seq(), project=project, name=name, raw_manifest=manifest, priority=priority,
            category=facts.kind.category, preemptibility=default_preemptibility(priority), created_by=client_id,
            updated_by=client_id, deleted_by=None, generation=0,
            timeline=lifecycle.plan(now - age, facts, speed), facts=facts))
    registry.add_many(created)
    return len(created)
