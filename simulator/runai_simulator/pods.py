# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pods of a workload: one per replica or worker the manifest asks for, with ids derived from the workload id,
so they are stable across restarts, and a state read from the workload's timeline.

Pods appear when the workload leaves Creating (Pending, no node), run on a node while the workload runs, end as
Succeeded or Failed with it, and are deleted (deletedAt) when the workload's deletion completes.
"""

import uuid
from dataclasses import dataclass

from runai_simulator.clock import iso
from runai_simulator.seeds import TENANT_ID

_NAME_STYLE = {
    "Pod": "bare", "StatefulSet": "ordinal", "Deployment": "replicaset", "ReplicaSet": "replicaset",
    "InferenceService": "replicaset", "Service": "replicaset", "Job": "suffix", "RayCluster": "suffix",
    "RayJob": "suffix", "RayService": "suffix", "Notebook": "ordinal",
}


@dataclass(frozen=True)
class PodSlot:
    """The identity and template of one pod."""

    id: str
    name: str
    group: object  # manifest.PodGroup
    node_hash: int


def slots(workload_id, workload_name, facts):
    style = _NAME_STYLE.get(facts.kind.name, "role")
    namespace = uuid.UUID(workload_id)
    template_hash = uuid.uuid5(namespace, "template").hex[:10]
    result = []
    for group in facts.pod_groups:
        for index in range(group.count):
            pod_id = uuid.uuid5(namespace, "%s/%d" % (group.role, index))
            suffix = pod_id.hex[:5]
            if style == "bare":
                name = workload_name
            elif style == "ordinal":
                name = "%s-%d" % (workload_name, index)
            elif style == "replicaset":
                name = "%s-%s-%s" % (workload_name, template_hash, suffix)
            elif style == "suffix":
                name = "%s-%s%s" % (workload_name, group.role + "-" if group.role else "", suffix)
            else:
                name = "%s-%s-%d" % (workload_name, group.role or "pod", index)
            result.append(PodSlot(str(pod_id), name, group, pod_id.int))
    return tuple(result)


class PodState:
    """One pod at one moment."""

    __slots__ = ("workload", "slot", "now", "k8s_phase", "since", "running", "suspension")

    def __init__(self, workload, slot, now):
        self.workload, self.slot, self.now = workload, slot, now
        timeline = workload.timeline
        self.running = timeline.is_running(now)
        ended = timeline.ended_at is not None and now >= timeline.ended_at
        # Suspended: the pods terminate (Stopping), are gone (Stopped, no PodState), come back Pending (Resuming).
        self.suspension = suspended = timeline.suspension_at(now) if timeline.suspensions else None
        if self.running:
            back = timeline.last_back(now) if timeline.suspensions else None
            self.k8s_phase, self.since = "Running", max(timeline.running_at, back or timeline.running_at)
        elif suspended is not None and suspended[0] in ("Stopping", "Resuming") and not ended:
            self.k8s_phase = "Terminating" if suspended[0] == "Stopping" else "Pending"
            self.since = suspended[1]
        elif ended and (timeline.delete_requested_at is None or timeline.ended_at < timeline.delete_requested_at):
            self.k8s_phase = "Succeeded" if timeline.end_phase == "Completed" else "Failed"
            self.since = timeline.ended_at
        elif timeline.running_at is not None and now >= timeline.running_at:
            self.k8s_phase, self.since = "Terminating", timeline.delete_requested_at
        else:
            self.k8s_phase, self.since = "Pending", timeline.pending_at

    @property
    def id(self):
        return self.slot.id

    @property
    def created_at(self):
        """Pods come back new after a resume."""
        timeline = self.workload.timeline
        resumes = [entry["resume"] for entry in timeline.suspensions
                   if entry["resume"] is not None and entry["resume"] <= self.now]
        return max(resumes) if resumes else timeline.pending_at

    @property
    def completed_at(self):
        return self.since if self.k8s_phase in ("Succeeded", "Failed") else None

    @property
    def deleted_at(self):
        timeline = self.workload.timeline
        return timeline.gone_at if timeline.is_deleted(self.now) else None

    @property
    def was_scheduled(self):
        running_at = self.workload.timeline.running_at
        if self.suspension is not None and self.suspension[0] == "Resuming":
            return False
        return running_at is not None and self.now >= running_at

    @property
    def node_name(self):
        if not self.was_scheduled:
            return None
        nodes = self.workload.project.cluster.nodes
        return nodes[self.slot.node_hash % len(nodes)]

    @property
    def current_node_pool(self):
        return self.workload.project.cluster.node_pool if self.was_scheduled else None

    @property
    def ip(self):
        if not self.running:
            return None
        return "10.244.%d.%d" % ((self.slot.node_hash >> 8) % 250 + 1, self.slot.node_hash % 250 + 2)

    @property
    def revision_id(self):
        return self.workload.revision_id

    def view(self, full=False):
        """The v1 Pod object (PodSyncFields + PodComputedFields, + PodVerbosityFields when full)."""
        workload, group = self.workload, self.slot.group
        started = iso(workload.timeline.running_at) if self.was_scheduled else None
        body = {
            "name": self.slot.name,
            "priorityClassName": workload.priority,
            "id": self.slot.id,
            "workloadId": workload.id,
            "revisionId": self.revision_id,
            "clusterId": workload.project.cluster.id,
            "projectId": workload.project.id,
            "nodeName": self.node_name,
            "createdAt": iso(self.created_at),
            "completedAt": iso(self.completed_at),
            "containers": [{"name": container.name, "image": container.image, "startedAt": started}
                           for container in group.containers],
            "currentNodePool": self.current_node_pool,
            "requestedNodePools": [workload.project.cluster.node_pool],
            "requestedResources": _requested(group),
            "allocatedResources": _allocated(group, self.running),
            "tolerations": [],
            "k8sPhase": self.k8s_phase,
            "ip": self.ip,
            "tenantId": TENANT_ID,
            "k8sPhaseUpdatedAt": iso(self.since),
            "updatedAt": iso(max(self.since, workload.timeline.updated_at)),
            "deletedAt": iso(self.deleted_at),
        }
        if full:
            body["projectName"] = workload.project.name
            body["workloadName"] = workload.name
        return body

    def legacy_view(self):
        """The deprecated /v1/k8s/clusters/{uuid}/pods shape (Pod), with times in epoch milliseconds."""
        group = self.slot.group
        timeline = self.workload.timeline
        request = {"gpu": group.gpu, "cpu": group.cpu_request, "memory": group.memory_request}
        return {
            "podId": self.slot.id,
            "jobId": self.workload.id,
            "podGroupId": self.workload.id,
            "clusterUuid": self.workload.project.cluster.id,
            "podName": self.slot.name,
            "imageName": group.containers[0].image,
            "nodeId": self.node_name or "",
            "phase": self.k8s_phase,
            "status": self.k8s_phase,
            "created": _millis(self.created_at),
            "completed": _millis(self.completed_at),
            "started": _millis(timeline.running_at if self.was_scheduled else None),
            "lastUpdated": _millis(self.since),
            "existsInCluster": self.deleted_at is None,
            "resourceRequest": request,
            "resourceAllocation": request if self.running else {"gpu": 0, "cpu": 0, "memory": 0},
            "nodePool": self.workload.project.cluster.node_pool,
            "namespace": self.workload.project.namespace,
        }


def _millis(epoch):
    return 0 if epoch is None else int(epoch * 1000)


def requested_resources(gpu, gpu_is_fraction, cpu_request, cpu_limit, memory_request, memory_limit):
    """The reference's RequestResources object (WorkloadRequestResources / PodRequestResources)."""
    body = {
        "gpu": {"request": gpu, "limit": gpu},
        "cpu": {"request": cpu_request or None, "limit": cpu_limit or None},
        "cpuMemory": {"request": str(memory_request) if memory_request else None,
                      "limit": str(memory_limit) if memory_limit else None},
    }
    if gpu_is_fraction:
        body["gpuRequestType"] = "portion"
    return body


def _requested(group):
    return requested_resources(group.gpu, group.gpu_is_fraction, group.cpu_request, group.cpu_limit,
                               group.memory_request, group.memory_limit)


def allocated_resources(gpu, cpu, memory, running):
    if not running:
        return {"gpu": 0.0, "cpu": 0.0, "cpuMemory": "0"}
    return {"gpu": gpu, "cpu": cpu, "cpuMemory": str(memory)}


def _allocated(group, running):
    return allocated_resources(group.gpu, group.cpu_request, group.memory_request, running)
