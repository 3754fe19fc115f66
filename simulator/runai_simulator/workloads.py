# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Workloads: the stored Workloads V2 objects, their v1 read views, and the registry that creates, updates and
deletes them.

All workloads are held in memory and written through to the Store before a request is answered, so reads never
touch the disk. Views change only at planned transitions or one-second counter ticks, so each workload caches its
serialised v1 object until the next such moment.
"""

import copy
import dataclasses
import json
import re
import secrets
import uuid
from bisect import insort
from collections import defaultdict

from runai_simulator import lifecycle
from runai_simulator.clock import iso
from runai_simulator.errors import BadRequest, Conflict, Forbidden, NotFound
from runai_simulator.manifest import (
    CATEGORY_DEFAULTS, PRIORITY_VALUES, SUSPEND_FAMILIES, analyse, decode_base64_manifest)
from runai_simulator.pods import PodState, allocated_resources, requested_resources, slots
from runai_simulator.query import DATE, ID, NUMBER, STRING, Field
from runai_simulator.seeds import PROJECTS_BY_ID, TENANT_ID

NAME_PATTERN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
NAME_MAX_LENGTH = 63
PREFIX_SUFFIX_LENGTH = 5
_SUFFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
HIGH_PRIORITIES = ("medium-high", "high", "very-high")
K8S_PHASES = {
    "Creating": "Pending", "Pending": "Pending", "Running": "Running", "Updating": "Running",
    "Completed": "Succeeded", "Failed": "Failed", "Deleting": "Terminating",
    "Stopping": "Terminating", "Stopped": "Suspended", "Resuming": "Pending",
}
SOURCE_API = "WorkloadsV2"
_SYNC_BYTES = {status: b'{"status":"%s"}' % status.encode() for status in (
    "Queued", "Applying", "Deleting", "Synced", "Deleted", "Failed")}


def dumps(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def default_preemptibility(priority):
    return "non-preemptible" if priority in HIGH_PRIORITIES else "preemptible"


def applied_manifest(raw_manifest, name, namespace):
    """The manifest as the platform applies it: the client's, with the final name and the project namespace.

    Only the top level and `metadata` are copied; the rest is shared with the raw manifest, which nothing mutates.
    """
    metadata = raw_manifest.get("metadata")
    metadata = dict(metadata) if isinstance(metadata, dict) else {}
    metadata["name"] = name
    metadata["namespace"] = namespace
    return dict(raw_manifest, metadata=metadata)


class Workload:
    __slots__ = (
        "id", "seq", "project", "name", "raw_manifest", "priority", "category", "preemptibility", "created_by",
        "updated_by", "deleted_by", "generation", "timeline", "facts", "workload_manifest", "raw_json", "_pod_slots",
        "_v1_cache", "_v2_bytes", "unstored_metadata", "v1_history")

    def __init__(self, *, id, seq, project, name, raw_manifest, priority, category, preemptibility, created_by,
                 updated_by, deleted_by, generation, timeline, facts=None):
        self.id, self.seq, self.project, self.name = id, seq, project, name
        self.priority, self.category, self.preemptibility = priority, category, preemptibility
        self.created_by, self.updated_by, self.deleted_by = created_by, updated_by, deleted_by
        self.generation, self.timeline = generation, timeline
        # Metadata the level does not store (2.23: preemptibility) is left out of the v2 object.
        self.unstored_metadata = frozenset()
        # [(moment of an update, the workload as it was before it)], while the update has not reached the v1 views.
        self.v1_history = None
        self.set_manifest(raw_manifest, facts or analyse(raw_manifest))

    @classmethod
    def from_record(cls, record):
        timeline = lifecycle.Timeline.from_columns({name: record[name] for name in lifecycle.TIMELINE_COLUMNS})
        return cls(timeline=timeline, project=PROJECTS_BY_ID[record["project_id"]], **{
            name: record[name] for name in (
                "id", "seq", "name", "raw_manifest", "priority", "category", "preemptibility", "created_by",
                "updated_by", "deleted_by", "generation")})

    def row(self):
        """The stored values, in store.RECORD_COLUMNS order."""
        timeline = self.timeline
        return (self.seq, self.id, self.project.id, self.name, self.raw_json, self.priority, self.category,
                self.preemptibility, self.created_by, self.updated_by, self.deleted_by, self.generation) + tuple(
            timeline.stored(name) for name in lifecycle.TIMELINE_COLUMNS)

    def set_manifest(self, raw_manifest, facts):
        self.raw_manifest, self.facts = raw_manifest, facts
        self.raw_json = dumps(raw_manifest)
        self.workload_manifest = applied_manifest(raw_manifest, self.name, self.project.namespace)
        self._pod_slots = None
        self.changed()

    @property
    def pod_slots(self):
        if self._pod_slots is None:
            self._pod_slots = slots(self.id, self.name, self.facts)
        return self._pod_slots

    def changed(self):
        self._v1_cache = None
        self._v2_bytes = None

    @property
    def revision_id(self):
        if not self.facts.kind.serves_inference:
            return None
        return self.revision_ids()[-1]

    def revision_ids(self):
        if not self.facts.kind.serves_inference:
            return []
        namespace = uuid.UUID(self.id)
        return [str(uuid.uuid5(namespace, "revision/%d" % generation)) for generation in range(self.generation + 1)]

    # ---- state at a moment
    def phase(self, now):
        return self.timeline.phase_at(now)[0]

    def has_pods(self, now):
        pending_at = self.timeline.pending_at
        return pending_at is not None and now >= pending_at and not (
            self.timeline.suspensions and self.timeline.is_stopped(now))

    def pods(self, now):
        if not self.has_pods(now):
            return []
        return [PodState(self, slot, now) for slot in self.pod_slots]

    def allocated_gpu(self, now):
        return self.facts.gpu if self.timeline.is_running(now) else 0.0

    def idle_gpu(self, now):
        """Allocated GPUs counted idle: all of them while running with the utilisation pinned to 0, else none."""
        if not self.timeline.is_running(now):
            return None
        return self.facts.gpu if self.facts.gpu_utilization == 0 else 0.0

    def is_stuck_pending(self, phase):
        return phase == "Pending" and self.facts.outcome.stay_pending

    # ---- Workloads V2 view
    def v2_object(self):
        """The WorkloadV2 object, without rawManifest (v2_bytes adds the stored JSON of it)."""
        timeline, facts, project = self.timeline, self.facts, self.project
        metadata = {
            "name": self.name,
            "projectId": project.id,
            "priority": self.priority,
            "category": self.category,
            "preemptibility": self.preemptibility,
            "id": self.id,
            "gvk": facts.gvk,
            "projectName": project.name,
            "clusterId": project.cluster.id,
            "tenantId": TENANT_ID,
            "departmentId": project.department.id,
            "departmentName": project.department.name,
            "createdAt": iso(timeline.created_at),
            "createdBy": self.created_by,
            "updatedAt": iso(timeline.delete_requested_at or timeline.updated_at),
            "updatedBy": self.deleted_by or self.updated_by,
        }
        if timeline.delete_requested_at is not None:
            metadata["deletedAt"] = iso(timeline.delete_requested_at)
            metadata["deletedBy"] = self.deleted_by
        for key in self.unstored_metadata:
            metadata.pop(key, None)
        return {
            "metadata": metadata,
            "desiredPhase": "Deleted" if timeline.delete_requested_at is not None else "Running",
            "workloadManifest": self.workload_manifest,
        }

    def v2_bytes(self):
        if self._v2_bytes is None:
            self._v2_bytes = dumps(self.v2_object())[:-1] + b',"rawManifest":' + self.raw_json + b"}"
        return self._v2_bytes

    def v2_get_bytes(self, now):
        status, message = self.timeline.sync_at(now)
        sync = _SYNC_BYTES[status] if message is None else dumps({"status": status, "message": message})
        return b'{"workload":' + self.v2_bytes() + b',"syncInfo":' + sync + b"}"

    # ---- v1 view
    def as_of(self, moment):
        """The workload as the v1 views show it at `moment` (their clock, behind by the v1 lag): as it was before
        the updates they have not caught up with yet."""
        for updated_at, earlier in self.v1_history or ():
            if moment < updated_at:
                return earlier
        return self

    def remember_before_update(self, moment, keep_after):
        """Keep a copy of the workload as it is now, for the v1 views until they catch up with an update made at
        `moment`; copies older than `keep_after` are dropped (the views have caught up with them)."""
        earlier = copy.copy(self)
        earlier.timeline = dataclasses.replace(self.timeline)
        earlier.v1_history = None
        earlier.changed()
        self.v1_history = [entry for entry in self.v1_history or () if entry[0] >= keep_after] + [(moment, earlier)]

    def v1_object(self, now):
        timeline, facts, project = self.timeline, self.facts, self.project
        phase, since = timeline.phase_at(now)
        running = timeline.is_running(now)
        scheduled = timeline.running_at is not None and now >= timeline.running_at
        pods_exist = self.has_pods(now)
        cluster = project.cluster
        message = self._phase_message(phase)
        conditions = [{"type": phase, "status": "True", "reason": phase, "message": message,
                       "lastTransitionTime": iso(since)}]
        if self.is_stuck_pending(phase):
            conditions.append({"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                               "message": message, "lastTransitionTime": iso(since)})
        existing = facts if pods_exist else None
        body = {
            "tenantId": TENANT_ID,
            "runningPods": facts.pod_count if running else 0,
            "phaseUpdatedAt": iso(since),
            "k8sPhaseUpdatedAt": iso(since),
            "updatedAt": iso(max(since, timeline.updated_at)),
            "source": "Control-plane",
            "deletedAt": iso(timeline.gone_at) if timeline.is_deleted(now) else None,
            "type": facts.kind.name,
            "name": self.name,
            "id": self.id,
            "priority": PRIORITY_VALUES.get(self.priority),
            "priorityClassName": self.priority,
            "submittedBy": self.created_by,
            "clusterId": cluster.id,
            "projectName": project.name,
            "projectId": project.id,
            "departmentName": project.department.name,
            "departmentId": project.department.id,
            "namespace": project.namespace,
            "createdAt": iso(timeline.created_at),
            "workloadRequestedResources": requested_resources(
                facts.gpu, facts.gpu_is_fraction, facts.cpu_request, facts.cpu_limit, facts.memory_request,
                facts.memory_limit),
            "podsRequestedResources": requested_resources(
                existing.gpu if existing else 0.0, facts.gpu_is_fraction, existing.cpu_request if existing else 0,
                existing.cpu_limit if existing else 0, existing.memory_request if existing else 0,
                existing.memory_limit if existing else 0),
            "allocatedResources": allocated_resources(facts.gpu, facts.cpu_request, facts.memory_request, running),
            "actionsSupport": {"delete": True, "suspend": facts.suspendable},
            "phase": phase,
            "conditions": conditions,
            "phaseMessage": message,
            "k8sPhase": K8S_PHASES[phase],
            "requestedPods": {"number": facts.pod_count, "min": facts.pod_count, "max": facts.pod_count,
                              "parallelism": facts.parallelism, "completions": facts.completions},
            "requestedNodePools": [cluster.node_pool],
            "currentNodePools": [cluster.node_pool] if scheduled else [],
            "completedAt": iso(timeline.completed_at(now)),
            "images": facts.images,
            "preemptible": self.preemptibility == "preemptible",
            "phaseReason": "OverLimit" if self.is_stuck_pending(phase) else None,
            "idleAllocatedGpus": self.idle_gpu(now),
            "totalPendingTimeSeconds": timeline.pending_seconds(now),
            "totalRunningTimeSeconds": timeline.running_seconds(now),
            "category": self.category,
            "guaranteedRuntimeEndsAt": None,
            "sourceApi": SOURCE_API,
        }
        if facts.kind.framework:
            body["distributedFramework"] = facts.kind.framework
        return body

    def _phase_message(self, phase):
        if phase in lifecycle.TERMINAL_PHASES:
            return self.timeline.end_message
        if self.is_stuck_pending(phase):
            return ("Workload is pending: project %s is over its GPU limit in node pool %s"
                    % (self.project.name, self.project.cluster.node_pool))
        return {
            "Creating": "Workload is being created", "Pending": "Workload is waiting to be scheduled",
            "Running": "Workload is running", "Updating": "Workload is being updated",
            "Deleting": "Workload is being deleted", "Stopping": "Workload is being suspended",
            "Stopped": "Workload is suspended", "Resuming": "Workload is being resumed",
        }[phase]

    def pending_scheduling_messages(self, phase):
        if not self.is_stuck_pending(phase):
            return None
        reason = self._phase_message(phase)
        return [{"nodePool": self.project.cluster.node_pool, "phaseReason": "OverLimit", "reason": reason,
                 "orgType": "PROJECT", "userMessage": reason}]

    def _v1_cached(self, now):
        cache = self._v1_cache
        if cache is None or now >= cache[0] or now < cache[1]:
            cache = self._v1_cache = [self.timeline.next_change_after(now), now, self.v1_object(now), None, None]
        return cache

    def v1_bytes(self, now):
        cache = self._v1_cached(now)
        if cache[3] is None:
            cache[3] = dumps(cache[2])
        return cache[3]

    def v1_detailed_bytes(self, now):
        cache = self._v1_cached(now)
        if cache[4] is None:
            body = dict(cache[2])
            body["pendingSchedulingMessages"] = self.pending_scheduling_messages(body["phase"])
            cache[4] = dumps(body)
        return cache[4]


WORKLOAD_FIELDS = {
    "type": Field(STRING, lambda w, now: w.facts.kind.name),
    "name": Field(STRING, lambda w, now: w.name),
    "clusterId": Field(STRING, lambda w, now: w.project.cluster.id),
    "projectId": Field(ID, lambda w, now: w.project.id),
    "projectName": Field(STRING, lambda w, now: w.project.name),
    "departmentId": Field(ID, lambda w, now: w.project.department.id),
    "departmentName": Field(STRING, lambda w, now: w.project.department.name),
    "createdAt": Field(DATE, lambda w, now: w.timeline.created_at),
    "deletedAt": Field(DATE, lambda w, now: w.timeline.gone_at if w.timeline.is_deleted(now) else None),
    "submittedBy": Field(STRING, lambda w, now: w.created_by),
    "phase": Field(STRING, lambda w, now: w.phase(now)),
    "completedAt": Field(DATE, lambda w, now: w.timeline.completed_at(now)),
    "nodepool": Field(STRING, lambda w, now: w.project.cluster.node_pool),
    "distributedFramework": Field(STRING, lambda w, now: w.facts.kind.framework),
    "allocatedGPU": Field(NUMBER, lambda w, now: w.allocated_gpu(now)),
    "idleGpus": Field(NUMBER, lambda w, now: w.idle_gpu(now)),
    "idleAllocatedGpus": Field(NUMBER, lambda w, now: w.idle_gpu(now)),
    "phaseUpdatedAt": Field(DATE, lambda w, now: w.timeline.phase_at(now)[1]),
    "category": Field(STRING, lambda w, now: w.category),
    "priority": Field(NUMBER, lambda w, now: PRIORITY_VALUES.get(w.priority)),
    "totalPendingTimeSeconds": Field(NUMBER, lambda w, now: w.timeline.pending_seconds(now)),
    "totalRunningTimeSeconds": Field(NUMBER, lambda w, now: w.timeline.running_seconds(now)),
    "priorityClassName": Field(STRING, lambda w, now: w.priority),
    "guaranteedRuntimeEndsAt": Field(DATE, lambda w, now: None),
    "aiApplicationId": Field(STRING, lambda w, now: None),
    "aiApplicationName": Field(STRING, lambda w, now: None),
}
WORKLOAD_SEARCH_FIELDS = ("name", "projectName", "departmentName", "type", "phase", "submittedBy", "category")

POD_FIELDS = {
    "clusterId": Field(STRING, lambda p, now: p.workload.project.cluster.id),
    "workloadId": Field(STRING, lambda p, now: p.workload.id),
    "revisionId": Field(STRING, lambda p, now: p.revision_id),
    "nodeName": Field(STRING, lambda p, now: p.node_name),
    "currentNodepool": Field(STRING, lambda p, now: p.current_node_pool),
    "createdAt": Field(DATE, lambda p, now: p.created_at),
    "completedAt": Field(DATE, lambda p, now: p.completed_at),
    "deletedAt": Field(DATE, lambda p, now: p.deleted_at),
    # free-text search only
    "name": Field(STRING, lambda p, now: p.slot.name),
    "workloadName": Field(STRING, lambda p, now: p.workload.name),
    "projectName": Field(STRING, lambda p, now: p.workload.project.name),
}
POD_SEARCH_FIELDS = ("name", "workloadName", "projectName", "nodeName")


def _string_field(metadata, key, required=False):
    value = metadata.get(key)
    if value is None:
        if required:
            raise BadRequest("Required parameter is missing", details="metadata.%s is required" % key)
        return None
    if not isinstance(value, str):
        raise BadRequest("metadata.%s must be a string" % key)
    return value


def _manifest_from(body, vocabulary):
    """The manifest of a create or update body (None when it has neither field)."""
    has_object, has_encoded = body.get("manifest") is not None, body.get("manifestBase64Encoded") is not None
    if has_object and has_encoded:
        raise BadRequest("Bad request - manifest and manifestBase64Encoded are mutually exclusive")
    if has_encoded:
        return decode_base64_manifest(body["manifestBase64Encoded"], vocabulary.manifest_base64_max)
    if has_object:
        if not isinstance(body["manifest"], dict):
            raise BadRequest("manifest must be a JSON object")
        return body["manifest"]
    return None


def _priority(metadata):
    priority = _string_field(metadata, "priority")
    if priority is not None and priority not in PRIORITY_VALUES:
        raise BadRequest("metadata.priority %r is not a priority class" % priority,
                         details="priority classes: " + ", ".join(PRIORITY_VALUES))
    return priority


def _category(metadata):
    category = _string_field(metadata, "category")
    if category is not None and not category.strip():
        raise BadRequest("metadata.category must not be empty")
    return category


class Registry:
    """Every workload, in memory, written through to the store (the caller commits, see Store).

    `v1_lag` and `keep_deleted` are wall-clock seconds (see SimulatorConfig). The copies kept for the v1 lag of an
    update live in memory only: a restart inside that window shows the update in v1 at once.
    """

    def __init__(self, store, vocabulary, speed, clock, v1_lag=0.0, keep_deleted=None):
        self.store, self.vocabulary, self.speed, self.clock = store, vocabulary, speed, clock
        self.v1_lag, self.keep_deleted = v1_lag, keep_deleted
        self._unstored = frozenset(("name", "projectId", "priority", "category", "preemptibility")) - (
            vocabulary.stored_metadata_fields)
        self._by_id = {}
        self._ordered = []
        self._by_name = defaultdict(list)
        self._name_holders = {}
        self._revisions = {}
        self._next_seq = 1
        for record in store.load_workloads():
            self._index(Workload.from_record(record))

    # ---- indexes
    @staticmethod
    def _order_key(workload):
        return workload.timeline.created_at, workload.id

    def _index(self, workload):
        workload.unstored_metadata = self._unstored
        self._by_id[workload.id] = workload
        if not self._ordered or self._order_key(self._ordered[-1]) <= self._order_key(workload):
            self._ordered.append(workload)
        else:
            insort(self._ordered, workload, key=self._order_key)
        self._by_name[workload.name].append(workload)
        self._name_holders[(workload.project.id, workload.name)] = workload
        for revision in workload.revision_ids():
            self._revisions[revision] = workload
        self._next_seq = max(self._next_seq, workload.seq + 1)

    def get(self, workload_id):
        return self._by_id.get(workload_id)

    def by_revision(self, revision_id):
        return self._revisions.get(revision_id)

    def in_order(self, name=None):
        """Workloads in the default order (createdAt, then id); only those named `name` when given."""
        if name is None:
            return self._ordered
        return sorted(self._by_name.get(name, ()), key=self._order_key)

    def __len__(self):
        return len(self._by_id)

    def name_taken(self, project_id, name, now):
        holder = self._name_holders.get((project_id, name))
        return holder is not None and not holder.timeline.is_deleted(now)

    # ---- writes
    def create(self, body, principal, dry_run):
        """Validate a create body and store the workload (unless dry_run); BadRequest, Forbidden or Conflict."""
        if not isinstance(body, dict):
            raise BadRequest("The request body must be a JSON object")
        metadata = body.get("metadata")
        if not isinstance(metadata, dict):
            raise BadRequest("Required parameter is missing", details="metadata is required")
        # A field the level's create metadata does not define is ignored, as a server decoding into the level's
        # schema would (2.23: clusterId, preemptibility, useGivenNameAsPrefix); the level's required ones must be there.
        metadata = {key: value for key, value in metadata.items() if key in self.vocabulary.create_metadata_fields}
        for key in self.vocabulary.create_metadata_required:
            if metadata.get(key) is None:
                raise BadRequest("Required parameter is missing", details="metadata.%s is required" % key)
        manifest = _manifest_from(body, self.vocabulary)
        if manifest is None:
            raise BadRequest("Required parameter is missing", details="one of manifest or manifestBase64Encoded is required")
        facts = analyse(manifest)
        project_id = _string_field(metadata, "projectId", required=True)
        project = PROJECTS_BY_ID.get(project_id)
        if project is None:
            raise BadRequest("Project %s does not exist" % project_id)
        cluster_id = _string_field(metadata, "clusterId")
        if cluster_id is not None and cluster_id != project.cluster.id:
            raise BadRequest("Project %s is not in cluster %s" % (project_id, cluster_id))
        if not principal.may_access(project.id):
            raise Forbidden()
        priority = _priority(metadata) or CATEGORY_DEFAULTS[facts.kind.category][0]
        category = _category(metadata) or facts.kind.category
        preemptibility = _string_field(metadata, "preemptibility")
        if preemptibility is not None and preemptibility not in self.vocabulary.preemptibilities:
            raise BadRequest("metadata.preemptibility must be one of " + ", ".join(self.vocabulary.preemptibilities))
        name = self._final_name(metadata, manifest, project)
        now = self.clock()
        workload = Workload(
            id=str(uuid.uuid4()), seq=self._next_seq, project=project, name=name, raw_manifest=manifest,
            priority=priority, category=category, preemptibility=preemptibility or default_preemptibility(priority),
            created_by=principal.client_id, updated_by=principal.client_id, deleted_by=None, generation=0,
            timeline=lifecycle.plan(now, facts, self.speed, self.v1_lag), facts=facts)
        workload.unstored_metadata = self._unstored
        if not dry_run:
            self.store.insert(workload.row())
            self._index(workload)
        return workload

    def _final_name(self, metadata, manifest, project):
        name = _string_field(metadata, "name")
        if name is None:
            manifest_name = manifest.get("metadata", {}).get("name") if isinstance(manifest.get("metadata"), dict) else None
            name = manifest_name if isinstance(manifest_name, str) and manifest_name else "workload"
        as_prefix = metadata.get("useGivenNameAsPrefix", False)
        if not isinstance(as_prefix, bool):
            raise BadRequest("metadata.useGivenNameAsPrefix must be a boolean")
        room = NAME_MAX_LENGTH - (PREFIX_SUFFIX_LENGTH + 1 if as_prefix else 0)
        if not NAME_PATTERN.match(name) or len(name) > room:
            raise BadRequest(
                "Invalid workload name %r" % name,
                details="a name is at most %d lowercase letters, digits or '-', starting and ending with a letter "
                        "or digit" % room)
        now = self.clock()
        if not as_prefix:
            if self.name_taken(project.id, name, now):
                raise Conflict()
            return name
        while True:
            candidate = "%s-%s" % (name, "".join(secrets.choice(_SUFFIX_ALPHABET) for _index in range(PREFIX_SUFFIX_LENGTH)))
            if not self.name_taken(project.id, candidate, now):
                return candidate

    def accessible(self, workload_id, principal, now):
        """The workload for a v2 call by id: NotFound once purged, Forbidden outside the caller's projects."""
        workload = self._by_id.get(workload_id)
        if workload is None or workload.timeline.is_purged(now):
            raise NotFound()
        if not principal.may_access(workload.project.id):
            raise Forbidden()
        return workload

    def update(self, workload_id, body, principal):
        now = self.clock()
        workload = self.accessible(workload_id, principal, now)
        if workload.timeline.is_deleting(now):
            raise Conflict("Workload is being deleted")
        if not isinstance(body, dict):
            raise BadRequest("The request body must be a JSON object")
        metadata = body.get("metadata")
        if metadata is not None and not isinstance(metadata, dict):
            raise BadRequest("metadata must be a JSON object")
        metadata = metadata or {}
        fixed = {"name": workload.name, "projectId": workload.project.id, "clusterId": workload.project.cluster.id,
                 "preemptibility": workload.preemptibility}
        for key, stored in fixed.items():
            if key in metadata and metadata[key] != stored:
                raise BadRequest("metadata.%s cannot be changed; delete the workload and create it again" % key)
        manifest = _manifest_from(body, self.vocabulary)
        if manifest is None and not metadata:
            raise BadRequest("Required parameter is missing", details="send metadata, manifest or manifestBase64Encoded")
        priority, category = _priority(metadata), _category(metadata)
        if manifest is not None:
            facts = analyse(manifest)
            if facts.gvk != workload.facts.gvk:
                raise BadRequest("The manifest's apiVersion and kind must stay %s %s" % (
                    "/".join(filter(None, (workload.facts.group, workload.facts.version))), workload.facts.kind.name))
        else:
            facts = workload.facts
        if self.v1_lag > 0:
            workload.remember_before_update(now, now - self.v1_lag)
        if priority is not None:
            workload.priority = priority
        if category is not None:
            workload.category = category
        workload.generation += 1
        workload.updated_by = principal.client_id
        lifecycle.mark_updated(workload.timeline, now, facts, self.speed, self.v1_lag)
        workload.set_manifest(manifest if manifest is not None else workload.raw_manifest, facts)
        self.store.update(workload.row())
        for revision in workload.revision_ids():
            self._revisions[revision] = workload
        return workload

    def delete(self, workload_id, principal):
        now = self.clock()
        workload = self.accessible(workload_id, principal, now)
        if workload.timeline.delete_requested_at is None:
            lifecycle.mark_deleted(workload.timeline, now, self.speed, self.keep_deleted)
            workload.deleted_by = principal.client_id
            workload.changed()
            self.store.update(workload.row())
        return workload

    def suspend(self, workload_id, principal, family=None):
        """Suspend (see lifecycle.mark_suspended). `family`: the per-kind route's (trainings, workspaces,
        distributed); a workload of another kind is not found there. A kind that cannot be suspended is a 400, a
        workload that ended or is being deleted a 409; suspending a suspended one changes nothing."""
        return self._suspend_or_resume(workload_id, principal, family, True)

    def resume(self, workload_id, principal, family=None):
        return self._suspend_or_resume(workload_id, principal, family, False)

    def _suspend_or_resume(self, workload_id, principal, family, suspend):
        now = self.clock()
        workload = self.accessible(workload_id, principal, now)
        if family is not None and workload.facts.kind.name not in SUSPEND_FAMILIES[family]:
            raise NotFound("Workload %s is not one of the %s" % (workload_id, family))
        action = "suspend" if suspend else "resume"
        if not workload.facts.suspendable:
            raise BadRequest("Workloads of type %s cannot be suspended or resumed (actionsSupport.suspend is false)"
                             % workload.facts.kind.name)
        blocking = lifecycle.can_suspend_at(workload.timeline, now)
        if blocking is not None:
            raise Conflict("Workload cannot %s: it is %s" % (action, blocking))
        history = workload.v1_history
        if self.v1_lag > 0:
            workload.remember_before_update(now, now - self.v1_lag)
        if suspend:
            changed = lifecycle.mark_suspended(workload.timeline, now, self.speed)
        else:
            changed = lifecycle.mark_resumed(workload.timeline, now, workload.facts, self.speed)
        if not changed:
            workload.v1_history = history
            return workload
        workload.changed()
        self.store.update(workload.row())
        return workload

    def add_many(self, workloads):
        """Store and index already-built workloads in one transaction (preload)."""
        self.store.insert_many([workload.row() for workload in workloads])
        for workload in workloads:
            self._index(workload)

    def take_seq(self):
        seq = self._next_seq
        self._next_seq += 1
        return seq

    def reset(self):
        self.store.delete_all_workloads()
        self._by_id.clear()
        self._ordered.clear()
        self._by_name.clear()
        self._name_holders.clear()
        self._revisions.clear()

    def counts(self, now):
        deleted = sum(1 for workload in self._ordered if workload.timeline.is_deleted(now))
        return {"live": len(self._ordered) - deleted, "deleted": deleted}
