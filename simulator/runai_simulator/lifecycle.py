# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""When a workload enters each phase, and what it is doing at a given moment.

Every transition is planned as an absolute timestamp when the workload is created, updated or deleted, and stored.
Phases are then read from those timestamps and the clock, so a restart (even under another --speed) changes nothing.
Durations below are in simulated seconds and are divided by --speed when planned.
"""

from dataclasses import dataclass, fields

CREATING_SECONDS = 2.0
PENDING_SECONDS = 3.0
DEFAULT_RUN_SECONDS = 60.0
SYNC_QUEUED_SECONDS = 0.5
SYNC_APPLYING_SECONDS = 1.0
UPDATING_SECONDS = 1.0
DELETING_SECONDS = 2.0
DELETED_VISIBLE_SECONDS = 1.0

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

    def columns(self):
        return {name: getattr(self, name) for name in TIMELINE_COLUMNS}

    def phase_at(self, moment):
        """(phase, since) at `moment`."""
        if self.delete_requested_at is not None and moment >= self.delete_requested_at:
            return "Deleting", self.delete_requested_at
        if self.ended_at is not None and moment >= self.ended_at:
            return self.end_phase, self.ended_at
        if self.running_at is not None and moment >= self.running_at:
            if self.updating_until is not None and moment >= self.updated_at > self.running_at:
                if moment < self.updating_until:
                    return "Updating", self.updated_at
                return "Running", self.updating_until
            return "Running", self.running_at
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

    def is_running(self, moment):
        interval = self.running_interval()
        return interval is not None and interval[0] <= moment and (interval[1] is None or moment < interval[1])

    def pending_seconds(self, moment):
        """Seconds spent waiting to run (Creating and Pending), up to `moment`."""
        ends = [end for end in (self.running_at, self.ended_at, self.delete_requested_at, moment) if end is not None]
        return max(0, int(min(ends) - self.created_at))

    def running_seconds(self, moment):
        interval = self.running_interval()
        if interval is None or moment < interval[0]:
            return 0
        end = moment if interval[1] is None else min(interval[1], moment)
        return int(end - interval[0])

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
        waiting_ends = [end for end in (self.running_at, self.ended_at, self.delete_requested_at) if end is not None]
        if moment < min(waiting_ends, default=float("inf")):
            candidates.append(self.created_at + int(moment - self.created_at) + 1)
        if self.is_running(moment):
            candidates.append(self.running_at + int(moment - self.running_at) + 1)
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
    replan_outcome(timeline, facts, speed)
    if timeline.is_running(moment):
        timeline.updating_until = moment + UPDATING_SECONDS / speed


def mark_deleted(timeline, moment, speed, keep_deleted=None):
    """Deleting, then deleted; the v2 record stays readable `keep_deleted` wall-clock seconds more (None: the
    lifecycle's own DELETED_VISIBLE_SECONDS, divided by the speed)."""
    timeline.delete_requested_at = moment
    timeline.gone_at = moment + DELETING_SECONDS / speed
    kept = DELETED_VISIBLE_SECONDS / speed if keep_deleted is None else keep_deleted
    timeline.purge_at = timeline.gone_at + kept
