# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The events and the history of a workload (GET /api/v1/workloads/{id}/events and /history), generated from its
timeline: nothing is stored beyond the timeline, so the same moment always gives the same events with the same ids.

Events are the reference's Event2 objects (Kubernetes-style: type Normal or Warning, a reason, a source, the object
involved: the workload or one of its pods); the history is HistoryRecord1 records, an `Event` record per event and a
`PhaseUpdate` record per change of the v1 phase.
"""

import uuid

from runai_simulator.clock import iso

CONTROLLER = "runai-workload-controller"
SCHEDULER = "runai-scheduler"
KUBELET = "kubelet"


class _Builder:
    def __init__(self, workload):
        self.workload = workload
        self.namespace = uuid.UUID(workload.id)
        self.items = []  # (moment, order, event)

    def add(self, moment, reason, message, source=CONTROLLER, warning=False, pod=None):
        workload = self.workload
        if pod is None:
            involved = {"uid": workload.id, "kind": workload.facts.kind.name, "name": workload.name,
                        "namespace": workload.project.namespace}
        else:
            involved = {"uid": pod.id, "kind": "Pod", "name": pod.name, "namespace": workload.project.namespace}
        event = {
            "createdAt": iso(moment),
            "id": str(uuid.uuid5(self.namespace, "event/%s/%s/%r" % (reason, involved["uid"], moment))),
            "type": "Warning" if warning else "Normal",
            "clusterId": workload.project.cluster.id,
            "message": message,
            "reason": reason,
            "source": source,
            "involvedObject": involved,
        }
        self.items.append((moment, len(self.items), event))


def _node(workload, slot):
    nodes = workload.project.cluster.nodes
    return nodes[slot.node_hash % len(nodes)]


def events(workload, now):
    """The workload's events up to `now`, oldest first."""
    timeline, facts, builder = workload.timeline, workload.facts, _Builder(workload)
    namespace, slots = workload.project.namespace, workload.pod_slots
    builder.add(timeline.created_at, "Created", "Workload %s was submitted to project %s" % (
        workload.name, workload.project.name))
    if timeline.sync_error and timeline.sync_done_at is not None:
        builder.add(timeline.sync_done_at, "FailedApply", "Failed to apply the manifest: " + timeline.sync_error,
                    warning=True)
    if workload.generation and timeline.updated_at and timeline.updated_at > timeline.created_at:
        builder.add(timeline.updated_at, "Updated", "Workload %s was updated" % workload.name)
    if timeline.pending_at is not None:
        builder.add(timeline.pending_at, "Pending", "Workload %s is waiting to be scheduled (%d pods)" % (
            workload.name, len(slots)), source=SCHEDULER)
        if facts.outcome.stay_pending:
            for slot in slots:
                builder.add(timeline.pending_at, "FailedScheduling",
                            "0/%d nodes are available: project %s is over its GPU limit in node pool %s" % (
                                len(workload.project.cluster.nodes), workload.project.name,
                                workload.project.cluster.node_pool), source=SCHEDULER, warning=True, pod=slot)
    for start, _end in timeline.running_intervals():
        for slot in slots:
            builder.add(start, "Scheduled", "Successfully assigned %s/%s to %s" % (
                namespace, slot.name, _node(workload, slot)), source=SCHEDULER, pod=slot)
            for container in slot.group.containers:
                builder.add(start, "Pulling", 'Pulling image "%s"' % container.image, source=KUBELET, pod=slot)
                builder.add(start, "Pulled", 'Successfully pulled image "%s"' % container.image, source=KUBELET,
                            pod=slot)
                builder.add(start, "Started", "Started container %s" % container.name, source=KUBELET, pod=slot)
    for entry in timeline.suspensions:
        builder.add(entry["at"], "Suspending", "Workload %s is being suspended" % workload.name)
        if any(start < entry["at"] and (end is None or end >= entry["at"]) for start, end in timeline.running_intervals()):
            for slot in slots:
                for container in slot.group.containers:
                    builder.add(entry["at"], "Killing", "Stopping container %s" % container.name, source=KUBELET,
                                pod=slot)
        builder.add(entry["stopped"], "Suspended", "Workload %s is suspended: its pods are gone" % workload.name)
        if entry["resume"] is not None:
            builder.add(entry["resume"], "Resuming", "Workload %s is being resumed" % workload.name)
            builder.add(entry["back"], "Resumed", "Workload %s was resumed" % workload.name)
    ended = timeline.completed_at(float("inf"))
    if ended is not None:
        if timeline.end_phase == "Failed":
            if timeline.sync_error is None:
                for slot in slots:
                    builder.add(ended, "BackOff", "Back-off restarting failed container", source=KUBELET,
                                warning=True, pod=slot)
            builder.add(ended, "Failed", timeline.end_message or "Workload failed", warning=True)
        else:
            builder.add(ended, "Completed", timeline.end_message or "Workload completed")
    if timeline.delete_requested_at is not None:
        builder.add(timeline.delete_requested_at, "Deleting", "Workload %s is being deleted" % workload.name)
    return [event for moment, _order, event in sorted(builder.items, key=lambda item: item[:2]) if moment <= now]


def phase_updates(workload, now):
    """[(moment, phase, message)] of every change of the v1 phase up to `now`, oldest first."""
    timeline = workload.timeline
    moments = {timeline.created_at}
    for when in (timeline.pending_at, timeline.running_at, timeline.ended_at, timeline.updated_at,
                 timeline.updating_until, timeline.delete_requested_at):
        if when is not None:
            moments.add(when)
    for entry in timeline.suspensions:
        moments.update(when for when in (entry["at"], entry["stopped"], entry["resume"], entry["back"])
                       if when is not None)
    updates, last = [], None
    for moment in sorted(moments):
        if moment > now:
            break
        phase, since = timeline.phase_at(moment)
        if phase != last:
            updates.append((since, phase, workload._phase_message(phase) or phase))
            last = phase
    return updates


def history(workload, now):
    """HistoryRecord1 records up to `now`, oldest first (a phase update before the events of the same moment)."""
    records = [(moment, 0, {"meta": {"creationTimestamp": iso(moment), "type": "PhaseUpdate"},
                            "spec": {"phaseUpdate": {"phase": phase, "phaseMessage": message}}})
               for moment, phase, message in phase_updates(workload, now)]
    for order, event in enumerate(events(workload, now), 1):
        records.append((event["createdAt"], order, {"meta": {"creationTimestamp": event["createdAt"], "type": "Event"},
                                                    "spec": {"event": event}}))
    records = [(iso(moment) if not isinstance(moment, str) else moment, order, record)
               for moment, order, record in records]
    return [record for _moment, _order, record in sorted(records, key=lambda item: item[:2])]
