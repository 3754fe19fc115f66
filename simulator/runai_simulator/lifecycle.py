# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""When a workload enters each phase, and what it is doing at a given moment.

Every transition is planned as an absolute timestamp when the workload is created, updated or deleted, and stored.
Phases are then read from those timestamps and the clock, so a restart (even under another --speed) changes nothing.
Durations below are in simulated seconds and are divided by --speed when planned.
"""

import json
from dataclasses import dataclass, field, fields

CREATING_SECONDS = 2.0
PENDING_SECONDS = 3.0
DEFAULT_RUN_SECONDS = 60.0
SYNC_QUEUED_SECONDS = 0.5
SYNC_APPLYING_SECONDS = 1.0
UPDATING_SECONDS = 1.0
DELETING_SECONDS = 2.0
DELETED_VISIBLE_SECONDS = 1.0
STOPPING_SECONDS = 1.0
RESUMING_SECONDS = 1.0

RUNNING_PHASES = ("Running", "Updating")
TERMINAL_PHASES = ("Completed", "Failed")


@dataclass
class Timeline:
    """The planned transitions of one workload, as epoch seconds (None: never)."""

    created_at: float
    pending_at: float = None
    running_at: float = None
    ended_at: float = None
    end_phase: str = None
    end_message: str = None
    updated_at: float = None
    updating_until: float = None
    sync_applying_at: float = None
    sync_done_at: float = None
    sync_error: str = None
    delete_requested_at: float = None
    gone_at: float = None
    purge_at: float = None
    # Suspensions, oldest first: {"at": suspend request, "stopped": end of Stopping, "resume": resume request or None,
    # "back": end of Resuming or None, "remaining": seconds the planned end was away, "end_phase", "end_message",
    # "not_started": suspended before it ever ran}. Stored as JSON.
    suspensions: list = field(default_factory=list)

    def columns(self):
        return {name: self.stored(name) for name in TIMELINE_COLUMNS}

    def stored(self, name):
        """The value of a column as the store keeps it."""
        value = getattr(self, name)
        if name == "suspensions":
            return json.dumps(value) if value else None
        return value

    @classmethod
    def from_columns(cls, values):
        values = dict(values)
        values["suspensions"] = json.loads(values.get("suspensions") or "[]")
        return cls(**values)

    def suspension_at(self, moment):
        """(phase, since) while a suspension holds at `moment` (Stopping, Stopped, Resuming), else None."""
        for entry in reversed(self.suspensions):
            if entry["at"] > moment:
                continue
            if moment < entry["stopped"]:
                return "Stopping", entry["at"]
            if entry["resume"] is None or moment < entry["resume"]:
                return "Stopped", entry["stopped"]
            if moment < entry["back"]:
                return "Resuming", entry["resume"]
            return None
        return None

    def open_suspension(self):
        """The suspension not resumed yet, or None."""
        if self.suspensions and self.suspensions[-1]["resume"] is None:
            return self.suspensions[-1]
        return None

    def last_back(self, moment):
        backs = [entry["back"] for entry in self.suspensions if entry["back"] is not None and entry["back"] <= moment]
        return max(backs) if backs else None

    def phase_at(self, moment):
        """(phase, since) at `moment`."""
        if self.delete_requested_at is not None and moment >= self.delete_requested_at:
            return "Deleting", self.delete_requested_at
        if self.ended_at is not None and moment >= self.ended_at:
            return self.end_phase, self.ended_at
        suspended = self.suspension_at(moment) if self.suspensions else None
        if suspended is not None:
            return suspended
        if self.running_at is not None and moment >= self.running_at:
            since = self.running_at
            back = self.last_back(moment) if self.suspensions else None
            if back is not None and back > since:
                since = back
            if self.updating_until is not None and moment >= self.updated_at > since:
                if moment < self.updating_until:
                    return "Updating", self.updated_at
                return "Running", self.updating_until
            return "Running", since
        if self.pending_at is not None and moment >= self.pending_at:
            return "Pending", self.pending_at
        return "Creating", self.created_at

    def running_interval(self):
        """[start, end) during which pods run and GPUs are allocated; end None while it still runs."""
        if self.running_at is None:
            return None
        ends = [end for end in (self.ended_at, self.delete_requested_at) if end is not None]
        end = min(ends) if ends else None
        if end is not None and end <= self.running_at:
            return None
        return self.running_at, end

    def running_intervals(self):
        """The [start, end) intervals during which pods run (the running interval less the suspensions)."""
        interval = self.running_interval()
        if interval is None:
            return []
        intervals = [interval]
        for entry in self.suspensions:
            cut_start, cut_end = entry["at"], entry["back"]
            pieces = []
            for start, end in intervals:
                if (end is not None and end <= cut_start) or (cut_end is not None and cut_end <= start):
                    pieces.append((start, end))
                    continue
                if start < cut_start:
                    pieces.append((start, cut_start))
                if cut_end is not None and (end is None or cut_end < end):
                    pieces.append((max(start, cut_end), end))
            intervals = pieces
        return intervals

    def is_running(self, moment):
        for start, end in (self.running_intervals() if self.suspensions else filter(None, [self.running_interval()])):
            if start <= moment and (end is None or moment < end):
                return True
        return False

    def is_stopped(self, moment):
        """Suspended with its pods gone (Stopped)."""
        suspended = self.suspension_at(moment) if self.suspensions else None
        return suspended is not None and suspended[0] == "Stopped"

    def pending_seconds(self, moment):
        """Seconds spent waiting to run (Creating and Pending), up to `moment`."""
        ends = [end for end in (self.running_at, self.ended_at, self.delete_requested_at, moment) if end is not None]
        return max(0, int(min(ends) - self.created_at))

    def running_seconds(self, moment):
        total = 0.0
        for start, end in self.running_intervals():
            if moment > start:
                total += (moment if end is None else min(end, moment)) - start
        return int(total)

    def completed_at(self, moment):
        if self.ended_at is not None and moment >= self.ended_at and (
                self.delete_requested_at is None or self.delete_requested_at > self.ended_at):
            return self.ended_at
        return None

    def is_deleted(self, moment):
        """Gone from the default v1 list, listed with deleted=true; its name may be reused."""
        return self.gone_at is not None and moment >= self.gone_at

    def is_purged(self, moment):
        """Gone from the v2 API (404)."""
        return self.purge_at is not None and moment >= self.purge_at

    def is_deleting(self, moment):
        return self.delete_requested_at is not None and moment >= self.delete_requested_at

    def sync_at(self, moment):
        """(status, message) of the v2 syncInfo at `moment`."""
        if self.delete_requested_at is not None and moment >= self.delete_requested_at:
            return ("Deleted", None) if moment >= self.gone_at else ("Deleting", None)
        if moment < self.sync_applying_at:
            return "Queued", None
        if moment < self.sync_done_at:
            return "Applying", None
        if self.sync_error:
            return "Failed", self.sync_error
        return "Synced", None

    def next_change_after(self, moment):
        """The next moment at which anything a client sees may change (a transition or a one-second counter tick)."""
        candidates = [when for when in (
            self.pending_at, self.running_at, self.ended_at, self.updating_until, self.sync_applying_at,
            self.sync_done_at, self.delete_requested_at, self.gone_at, self.purge_at) if when is not None and when > moment]
        for entry in self.suspensions:
            candidates += [when for when in (entry["at"], entry["stopped"], entry["resume"], entry["back"])
                           if when is not None and when > moment]
        waiting_ends = [end for end in (self.running_at, self.ended_at, self.delete_requested_at) if end is not None]
        if moment < min(waiting_ends, default=float("inf")):
            candidates.append(self.created_at + int(moment - self.created_at) + 1)
        if self.is_running(moment):
            # the next whole second of totalRunningTimeSeconds (summed over the running intervals)
            before, start = 0.0, None
            for begin, end in self.running_intervals():
                if begin <= moment and (end is None or moment < end):
                    start = begin
                    break
                before += end - begin
            candidates.append(start + int(before + moment - start) + 1 - before)
        return min(candidates) if candidates else float("inf")


TIMELINE_COLUMNS = tuple(field.name for field in fields(Timeline))


def plan(created_at, facts, speed, v1_lag=0.0):
    """The transitions of a new workload created at `created_at` from a manifest with `facts`."""
    timeline = Timeline(created_at=created_at)
    schedule_sync(timeline, created_at, facts, speed, v1_lag)
    replan_outcome(timeline, facts, speed)
    return timeline


def schedule_sync(timeline, started_at, facts, speed, v1_lag=0.0):
    """Queued, then Applying, then Synced (or Failed). Under a v1 lag (wall-clock seconds) the sync ends when the
    write reaches the v1 views: a third of the lag Queued, the rest Applying."""
    timeline.updated_at = started_at
    if v1_lag > 0:
        timeline.sync_applying_at = started_at + v1_lag / 3
        timeline.sync_done_at = started_at + v1_lag
    else:
        timeline.sync_applying_at = started_at + SYNC_QUEUED_SECONDS / speed
        timeline.sync_done_at = timeline.sync_applying_at + SYNC_APPLYING_SECONDS / speed
    timeline.sync_error = facts.problem


def replan_outcome(timeline, facts, speed):
    """(Re)plan pending, running and the end from the manifest; transitions already past are kept."""
    moment = timeline.updated_at
    if timeline.ended_at is not None and timeline.ended_at <= moment:
        return
    created = timeline.created_at
    outcome = facts.outcome
    if facts.problem:
        if timeline.pending_at is not None and timeline.pending_at > moment:
            timeline.pending_at = None
        if timeline.running_at is not None and timeline.running_at > moment:
            timeline.running_at = None
        timeline.ended_at, timeline.end_phase, timeline.end_message = (
            timeline.sync_done_at, "Failed", "Failed to apply the manifest: " + facts.problem)
        return
    if timeline.pending_at is None or timeline.pending_at > moment:
        timeline.pending_at = created + CREATING_SECONDS / speed
    if outcome.stay_pending:
        if timeline.running_at is None or timeline.running_at > moment:
            timeline.running_at = None
        timeline.ended_at = timeline.end_phase = timeline.end_message = None
        return
    if timeline.running_at is None or timeline.running_at > moment:
        timeline.running_at = max(created + (CREATING_SECONDS + PENDING_SECONDS) / speed, moment)
    if outcome.fail_after is not None:
        end, phase, message = created + outcome.fail_after / speed, "Failed", (
            "Workload failed: container exited with code 1 (scripted by %s)" % "simulator.run.ai/fail-after")
    elif outcome.complete_after is not None:
        end, phase, message = created + outcome.complete_after / speed, "Completed", "Workload completed successfully"
    elif facts.kind.runs_to_completion:
        end, phase, message = timeline.running_at + DEFAULT_RUN_SECONDS / speed, "Completed", (
            "Workload completed successfully")
    else:
        end = phase = message = None
    if end is not None:
        end = max(end, moment)
        if timeline.running_at is not None and end <= timeline.running_at:
            timeline.running_at = None
        if timeline.pending_at is not None and end <= timeline.pending_at:
            timeline.pending_at = None
    timeline.ended_at, timeline.end_phase, timeline.end_message = end, phase, message


def mark_updated(timeline, moment, facts, speed, v1_lag=0.0):
    schedule_sync(timeline, moment, facts, speed, v1_lag)
    before = timeline.ended_at
    replan_outcome(timeline, facts, speed)
    if timeline.suspensions:
        _suspensions_after_replan(timeline, moment, before)
    if timeline.is_running(moment):
        timeline.updating_until = moment + UPDATING_SECONDS / speed


def can_suspend_at(timeline, moment):
    """None when a suspend at `moment` may go ahead, else why not (the phase it is in)."""
    phase = timeline.phase_at(moment)[0]
    if phase in TERMINAL_PHASES or phase == "Deleting":
        return phase
    return None


def mark_suspended(timeline, moment, speed):
    """Stopping, then Stopped until a resume; the planned end waits (the time left is kept for the resume).
    A suspend of a workload already suspended changes nothing."""
    if timeline.open_suspension() is not None:
        return False
    entry = {"at": moment, "stopped": moment + STOPPING_SECONDS / speed, "resume": None, "back": None,
             "remaining": None, "end_phase": None, "end_message": None, "not_started": False}
    if timeline.ended_at is not None and timeline.ended_at > moment:
        entry["remaining"] = timeline.ended_at - moment
        entry["end_phase"], entry["end_message"] = timeline.end_phase, timeline.end_message
        timeline.ended_at = timeline.end_phase = timeline.end_message = None
    if timeline.running_at is None or timeline.running_at > moment:
        entry["not_started"] = True
        timeline.running_at = None
        if timeline.pending_at is not None and timeline.pending_at > moment:
            timeline.pending_at = None
    timeline.suspensions = timeline.suspensions + [entry]
    return True


def mark_resumed(timeline, moment, facts, speed):
    """Resuming, then Running again (Pending for ever under stay-pending); the planned end comes the time it was
    away at suspension after the resume. A resume of a workload not suspended changes nothing."""
    entry = timeline.open_suspension()
    if entry is None:
        return False
    entry = dict(entry, resume=max(moment, entry["stopped"]))
    entry["back"] = entry["resume"] + RESUMING_SECONDS / speed
    timeline.suspensions = timeline.suspensions[:-1] + [entry]
    if timeline.pending_at is None:
        timeline.pending_at = entry["resume"]
    if entry["not_started"] and not facts.outcome.stay_pending and not facts.problem:
        timeline.running_at = entry["back"]
    if entry["remaining"] is not None:
        timeline.ended_at = entry["back"] + entry["remaining"]
        timeline.end_phase, timeline.end_message = entry["end_phase"], entry["end_message"]
    return True


def _suspensions_after_replan(timeline, moment, ended_before):
    """A replanned end counts the time spent suspended; under an open suspension it waits for the resume."""
    if timeline.ended_at is not None and timeline.ended_at != ended_before:
        timeline.ended_at += sum(entry["back"] - entry["at"] for entry in timeline.suspensions
                                 if entry["back"] is not None)
    entry = timeline.open_suspension()
    if entry is None:
        return
    entry = dict(entry)
    if timeline.ended_at is not None and timeline.ended_at > moment:
        entry["remaining"] = timeline.ended_at - moment
        entry["end_phase"], entry["end_message"] = timeline.end_phase, timeline.end_message
        timeline.ended_at = timeline.end_phase = timeline.end_message = None
    if entry["not_started"]:
        timeline.running_at = None
    timeline.suspensions = timeline.suspensions[:-1] + [entry]


def mark_deleted(timeline, moment, speed, keep_deleted=None):
    """Deleting, then deleted; the v2 record stays readable `keep_deleted` wall-clock seconds more (None: the
    lifecycle's own DELETED_VISIBLE_SECONDS, divided by the speed)."""
    timeline.delete_requested_at = moment
    timeline.gone_at = moment + DELETING_SECONDS / speed
    kept = DELETED_VISIBLE_SECONDS / speed if keep_deleted is None else keep_deleted
    timeline.purge_at = timeline.gone_at + kept
