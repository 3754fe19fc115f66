# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Report test data shaped like the Run:ai API and the info modules return it, and a runner that renders it through
the real role (include_role tasks_from: render) with ansible-playbook.

The objects follow the v1 schemas (Workload, Pod1, TelemetryResponse; tests/report/test_fixture_shapes.py checks
them against the simulator's copy of the spec) and the module contract for metric series
({workload_id, pod_id, type, labels, values: [{timestamp, value}], summary})."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
import os
import random
import re
import subprocess
import sys
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
OUTPUT_ROOT = REPO_ROOT / "tests" / "output" / "report"
WINDOW_END = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
WINDOW_START = WINDOW_END - timedelta(hours=24)
SAMPLES = 60
TENANT_ID = 1001
CLUSTER_A = "71f69d83-ba66-4822-adf5-55ce55efd210"
CLUSTER_B = "3c1f9a52-7d4e-4b8a-9e21-6f0d2c8b5a17"
# name: (project id, department id, department name, cluster id), as the simulator seeds them
PROJECTS = {
    "project-a": ("1", "2", "default", CLUSTER_A),
    "team-a": ("3", "2", "default", CLUSTER_A),
    "team-b": ("6", "5", "research", CLUSTER_B),
}
GIB = 1 << 30
ENDED = ("Completed", "Failed")
# A message with every character CSV and HTML must escape.
AWKWARD_MESSAGE = 'Unschedulable: 0/4 nodes available, node selector <none>; "nvidia.com/gpu" insufficient\nretrying'


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (moment.microsecond // 1000)


class Scenario(object):
    """One workload's story: when it was created, how long it waited and ran, how many GPUs it held, how busy."""

    def __init__(
        self,
        name,
        project,
        kind,
        phase,
        gpus,
        created_hours_ago,
        pending_minutes,
        running_minutes=None,
        utilization=None,
        pods=1,
        message=None,
        noise=0.0,
    ):
        self.name = name
        self.project = project
        self.kind = kind
        self.phase = phase
        self.gpus = gpus
        self.created = WINDOW_END - timedelta(hours=created_hours_ago)
        self.pending = timedelta(minutes=pending_minutes)
        self.running = None if running_minutes is None else timedelta(minutes=running_minutes)
        self.utilization = utilization
        self.pods = pods
        self.message = message
        self.noise = noise

    @property
    def started(self):
        return None if self.phase in ("Pending", "Creating") else self.created + self.pending

    @property
    def ended(self):
        return None if self.phase not in ENDED else self.started + self.running


# Hand-written stories with known figures; the tests check several of them exactly.
BASE_SCENARIOS = (
    Scenario("resnet-train-01", "team-a", "PyTorchJob", "Running", 8, 6, 10, utilization=85, pods=2, noise=8),
    Scenario("bert-finetune-02", "team-a", "Job", "Completed", 4, 20, 20, running_minutes=120, utilization=50),
    Scenario("notebook-idle", "project-a", "Deployment", "Running", 2, 30, 2, utilization=4, noise=2),
    Scenario("llm-eval-queue", "team-b", "Job", "Pending", 8, 3, 180, message=AWKWARD_MESSAGE),
    Scenario("sweep-lr-001", "project-a", "Job", "Completed", 1, 12, 1, running_minutes=90, utilization=62, noise=10),
    Scenario("sweep-lr-002", "project-a", "Job", "Completed", 1, 11, 1, running_minutes=80, utilization=71, noise=10),
    Scenario("sweep-lr-003", "project-a", "Job", "Completed", 1, 10, 1, running_minutes=85, utilization=44, noise=10),
    Scenario("data-prep-cpu", "project-a", "Job", "Completed", 0, 9, 1, running_minutes=40),
    Scenario("vision-serve", "team-b", "Deployment", "Running", 1, 16, 3, utilization=31, noise=12),
    Scenario(
        "ablation-crash",
        "team-a",
        "PyTorchJob",
        "Failed",
        4,
        5,
        4,
        running_minutes=20,
        utilization=55,
        pods=2,
        message="BackoffLimitExceeded: job has reached the specified backoff limit",
    ),
    Scenario("creating-now", "project-a", "Job", "Creating", 1, 0.05, 3),
    Scenario("old-archive", "team-b", "Job", "Completed", 2, 72, 5, running_minutes=60, utilization=90),
)
# ablation-crash starts 5 h - 4 min before the end and ends 20 min later; old-archive ended 2 days before the window.
BASE_IN_WINDOW = len(BASE_SCENARIOS) - 1


def scale_scenarios(count, seed=7):
    chooser = random.Random(seed)
    stories = []
    for index in range(count):
        phase = chooser.choice(("Running", "Running", "Completed", "Completed", "Completed", "Pending", "Failed"))
        created = chooser.uniform(0.5, 23.5)
        pending = min(created * 60 * 0.9, chooser.uniform(1, 90) if phase != "Pending" else chooser.uniform(5, 240))
        running = None
        if phase in ENDED:
            running = max(1.0, min(created * 60 - pending, chooser.uniform(10, 600)))
        stories.append(
            Scenario(
                "scale-%04d" % index,
                chooser.choice(sorted(PROJECTS)),
                chooser.choice(("Job", "PyTorchJob", "Deployment")),
                phase,
                chooser.choice((0, 1, 1, 2, 4, 8)),
                created,
                pending,
                running_minutes=running,
                utilization=chooser.uniform(2, 95),
                pods=chooser.choice((1, 1, 2)),
                noise=5,
            )
        )
    return stories


def workload_object(story, workload_id):
    project_id, department_id, department, cluster_id = PROJECTS[story.project]
    last_change = story.ended or story.started or story.created
    pending_total = (story.started or WINDOW_END) - story.created
    running_total = timedelta(0) if story.started is None else (story.ended or WINDOW_END) - story.started
    running = story.phase == "Running"
    return {
        "tenantId": TENANT_ID,
        "id": workload_id,
        "name": story.name,
        "type": story.kind,
        "source": "Control-plane",
        "sourceApi": "WorkloadsV2",
        "priority": 50,
        "priorityClassName": "train",
        "category": "Train",
        "submittedBy": "ml-platform@example.com",
        "clusterId": cluster_id,
        "projectName": story.project,
        "projectId": project_id,
        "departmentName": department,
        "departmentId": department_id,
        "namespace": "runai-" + story.project,
        "createdAt": iso(story.created),
        "updatedAt": iso(last_change),
        "deletedAt": None,
        "completedAt": iso(story.ended) if story.phase == "Completed" else None,
        "phase": story.phase,
        "phaseMessage": story.message or "",
        "phaseUpdatedAt": iso(last_change),
        "k8sPhase": {"Running": "Running", "Completed": "Succeeded", "Failed": "Failed"}.get(story.phase, "Pending"),
        "k8sPhaseUpdatedAt": iso(last_change),
        "conditions": [
            {
                "type": "Running" if running else story.phase,
                "status": "True",
                "message": story.message or "",
                "reason": story.phase,
                "lastTransitionTime": iso(last_change),
            }
        ],
        "runningPods": story.pods if running else 0,
        "requestedPods": {"number": story.pods, "min": story.pods, "max": story.pods},
        "workloadRequestedResources": {
            "gpuRequestType": "portion",
            "gpu": {"request": float(story.gpus), "limit": None},
            "cpu": {"request": 4.0 * story.pods, "limit": None},
        },
        "podsRequestedResources": {
            "gpuRequestType": "portion",
            "gpu": {"request": float(story.gpus) / story.pods, "limit": None},
            "cpu": {"request": 4.0, "limit": None},
        },
        "allocatedResources": {
            "gpu": float(story.gpus) if running else 0.0,
            "cpu": 4.0 * story.pods if running else 0.0,
        },
        "images": ["nvcr.io/nvidia/pytorch:24.05-py3"],
        "currentNodePools": ["default"] if story.started else [],
        "requestedNodePools": ["default"],
        "preemptible": story.kind != "Deployment",
        "totalPendingTimeSeconds": int(pending_total.total_seconds()),
        "totalRunningTimeSeconds": int(running_total.total_seconds()),
        "idleAllocatedGpus": 0.0,
    }


def pod_objects(story, workload):
    project_id, _department_id, _department, cluster_id = PROJECTS[story.project]
    pods = []
    for replica in range(story.pods):
        pod_id = str(uuid.uuid5(uuid.UUID(workload["id"]), "pod-%d" % replica))
        gpus = float(story.gpus) / story.pods
        pods.append(
            {
                "tenantId": TENANT_ID,
                "id": pod_id,
                "name": "%s-%d-%s" % (story.name, replica, pod_id[:5]),
                "workloadId": workload["id"],
                "workloadName": story.name,
                "projectName": story.project,
                "projectId": project_id,
                "clusterId": cluster_id,
                "priorityClassName": "train",
                "nodeName": "dgx-a-%02d" % (replica + 1) if story.started else None,
                "currentNodePool": "default" if story.started else None,
                "requestedNodePools": ["default"],
                "createdAt": workload["createdAt"],
                "completedAt": iso(story.ended) if story.ended else None,
                "deletedAt": None,
                "updatedAt": workload["updatedAt"],
                "containers": [
                    {
                        "name": "main",
                        "image": "nvcr.io/nvidia/pytorch:24.05-py3",
                        "startedAt": iso(story.started) if story.started else None,
                    }
                ],
                "requestedResources": {"gpuRequestType": "portion", "gpu": {"request": gpus, "limit": None}},
                "allocatedResources": {"gpu": gpus if story.started and not story.ended else 0.0},
                "k8sPhase": workload["k8sPhase"],
                "k8sPhaseUpdatedAt": workload["k8sPhaseUpdatedAt"],
            }
        )
    return pods


def series_objects(story, workload, chooser):
    """Samples spread evenly over the window, present only while the workload ran (as the simulator does)."""
    if story.started is None or story.utilization is None:
        return []
    step = (WINDOW_END - WINDOW_START) / (SAMPLES - 1)
    until = story.ended or WINDOW_END
    moments = [WINDOW_START + step * index for index in range(SAMPLES)]
    moments = [moment for moment in moments if story.started <= moment <= until]
    utilization = [
        min(100.0, max(0.0, story.utilization + chooser.uniform(-story.noise, story.noise))) for _moment in moments
    ]
    memory = [story.gpus * GIB * (4 + value * 0.6) for value in utilization]
    series = []
    for metric, values in (("GPU_UTILIZATION", utilization), ("GPU_MEMORY_USAGE_BYTES", memory)):
        points = [{"timestamp": iso(moment), "value": round(value, 3)} for moment, value in zip(moments, values)]
        numbers = [point["value"] for point in points]
        series.append(
            {
                "workload_id": workload["id"],
                "pod_id": None,
                "type": metric,
                "labels": None,
                "values": points,
                "summary": {
                    "min": min(numbers) if numbers else None,
                    "mean": sum(numbers) / len(numbers) if numbers else None,
                    "max": max(numbers) if numbers else None,
                    "last": numbers[-1] if numbers else None,
                    "count": len(numbers),
                },
            }
        )
    return series


def telemetry_objects(workloads):
    allocated = {}
    phases = {}
    for workload in workloads:
        key = (workload["projectId"], workload["projectName"])
        allocated[key] = allocated.get(key, 0.0) + workload["allocatedResources"]["gpu"]
        phases[workload["phase"]] = phases.get(workload["phase"], 0) + 1
    return [
        {
            "type": "GPU_ALLOCATION",
            "timestamp": iso(WINDOW_END),
            "values": [
                {"value": "%g" % gpus, "groups": [{"key": "ProjectId", "value": project_id, "name": name}]}
                for (project_id, name), gpus in sorted(allocated.items())
            ],
        },
        {
            "type": "WORKLOADS_COUNT",
            "timestamp": iso(WINDOW_END),
            "values": [
                {"value": str(count), "groups": [{"key": "Phase", "value": phase}]}
                for phase, count in sorted(phases.items())
            ],
        },
    ]


def gathered_data(stories, seed=11):
    """What the role's gather step hands to its render step (see roles/workload_report/meta/argument_specs.yml)."""
    chooser = random.Random(seed)
    workloads, pods, series = [], [], []
    for story in stories:
        workload = workload_object(story, str(uuid.UUID(int=chooser.getrandbits(128), version=4)))
        workloads.append(workload)
        pods.extend(pod_objects(story, workload))
        series.extend(series_objects(story, workload, chooser))
    return {
        "selection": {"projects": [], "name_prefix": "", "phases": [], "start": "-24h", "end": "now"},
        "window": {"start": iso(WINDOW_START), "end": iso(WINDOW_END)},
        "workloads": workloads,
        "pods": pods,
        "series": series,
        "metrics_partial": False,
        "telemetry": telemetry_objects(workloads),
    }


def read_later(gathered, seconds):
    """The same window as the API answers ``seconds`` later: the running totals of the workloads still pending or
    running have grown, and the telemetry carries the new moment of reading."""
    later = copy.deepcopy(gathered)
    for workload in later["workloads"]:
        if workload["phase"] == "Running":
            workload["totalRunningTimeSeconds"] += seconds
        elif workload["phase"] not in ENDED:
            workload["totalPendingTimeSeconds"] += seconds
    for telemetry in later["telemetry"]:
        telemetry["timestamp"] = iso(WINDOW_END + timedelta(seconds=seconds))
    return later


def collections_root():
    """The directory holding ansible_collections/ that this test session imports the collection from."""
    import ansible_collections.runai.platform.plugins.filter.to_csv as any_plugin

    plugin_path = Path(os.path.abspath(any_plugin.__file__))
    return next(parent.parent for parent in plugin_path.parents if parent.name == "ansible_collections")


def venv_bin(name):
    """A console script installed next to the Python running the tests (ansible-playbook, ansible-doc)."""
    return str(Path(sys.executable).parent / name)


def ansible_env():
    return dict(
        os.environ,
        ANSIBLE_COLLECTIONS_PATH=str(collections_root()),
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_LOCALHOST_WARNING="False",
        ANSIBLE_INVENTORY_UNPARSED_WARNING="False",
        ANSIBLE_STDOUT_CALLBACK="default",
    )


PLAYBOOK = """\
- name: Render the workload report from gathered data
  hosts: localhost
  connection: local
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  tasks:
    # Read as data, like module results: Ansible does not look for templates inside it.
    - name: Load the gathered data
      ansible.builtin.set_fact:
        gathered: "{{ lookup('ansible.builtin.file', 'gathered.json') | ansible.builtin.from_json }}"

    - name: Render
      ansible.builtin.include_role:
        name: runai.platform.workload_report
        tasks_from: render
      vars:
        workload_report_gathered: "{{ gathered }}"
"""


class RenderedReport(object):
    def __init__(self, directory, returncode, stdout):
        self.directory = directory
        self.returncode = returncode
        self.stdout = stdout
        self.html = directory / "report.html"
        self.csv = directory / "report.csv"
        self.json = directory / "report.json"

    @property
    def task_count(self):
        return sum(1 for line in self.stdout.splitlines() if line.startswith("TASK ["))

    @property
    def changed(self):
        """The changed count of the play recap."""
        return int(re.search(r"\bchanged=(\d+)", self.stdout[self.stdout.rindex("PLAY RECAP"):]).group(1))


def run_render(name, gathered, keep_reports=False, **role_vars):
    """Render through ansible-playbook into tests/output/report/<name>/ (kept as a test artefact), over the reports
    written there before when ``keep_reports``."""
    directory = OUTPUT_ROOT / name
    directory.mkdir(parents=True, exist_ok=True)
    for old in [] if keep_reports else directory.glob("report.*"):
        old.unlink()
    extra_vars = dict(role_vars, workload_report_output_dir=str(directory))
    (directory / "extra-vars.json").write_text(json.dumps(extra_vars))
    (directory / "gathered.json").write_text(json.dumps(gathered))
    (directory / "render.yml").write_text(PLAYBOOK)
    result = subprocess.run(
        [venv_bin("ansible-playbook"), str(directory / "render.yml"), "-e", "@" + str(directory / "extra-vars.json")],
        cwd=str(directory),
        env=ansible_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return RenderedReport(directory, result.returncode, result.stdout + result.stderr)


def render_report(name, gathered, keep_reports=False, **role_vars):
    report = run_render(name, gathered, keep_reports, **role_vars)
    assert report.returncode == 0, "ansible-playbook failed:\n%s" % report.stdout[-8000:]
    return report
