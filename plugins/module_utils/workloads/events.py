# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A workload's events and phase history (``GET /api/v1/workloads/{id}/events`` and ``/history``).

runai_workload_info returns them whole (paged); a wait of runai_workload that fails or times out quotes the latest few,
newest first and short, in its message and returns them as ``events``, so that a notification says why.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runai.platform.plugins.module_utils.api.errors import RunaiError
from ansible_collections.runai.platform.plugins.module_utils.workloads.find import WORKLOADS_V1_PATH

# How many events a failed wait quotes, and how much of each message.
QUOTED_EVENTS = 3
QUOTED_MESSAGE_CHARS = 160


def events_path(workload_id):
    return "%s/%s/events" % (WORKLOADS_V1_PATH, workload_id)


def history_path(workload_id):
    return "%s/%s/history" % (WORKLOADS_V1_PATH, workload_id)


def workload_events(client, workload_id, limit=None):
    """Every event of the workload (or the ``limit`` newest), newest first, page by page."""
    return client.paginate(events_path(workload_id), "events", params={"sortOrder": "desc"}, limit=limit)


def workload_history(client, workload_id, limit=None):
    """The workload's history records (phase updates and events), oldest first, page by page."""
    return client.paginate(history_path(workload_id), "records", limit=limit)


def brief_event(event):
    """What a failure quotes of an event: when, what, about what, and the message cut short."""
    involved = event.get("involvedObject") or {}
    message = (event.get("message") or "").strip()
    if len(message) > QUOTED_MESSAGE_CHARS:
        message = message[: QUOTED_MESSAGE_CHARS - 3] + "..."
    return dict(
        time=event.get("createdAt"),
        type=event.get("type"),
        reason=event.get("reason"),
        object="%s/%s" % (involved.get("kind") or "?", involved.get("name") or "?") if involved else None,
        message=message,
    )


def latest_events(client, workload_id, count=QUOTED_EVENTS):
    """The ``count`` newest events, brief; an empty list when they cannot be read (a failure being explained must not
    be hidden by a missing detail, and a control plane without the route has none)."""
    try:
        answer = client.get(events_path(workload_id), params={"offset": 0, "limit": count, "sortOrder": "desc"}) or {}
    except RunaiError:
        return []
    return [brief_event(event) for event in (answer.get("events") or [])[:count]]


def describe_events(events):
    """One line quoting the events, newest first."""
    return "; ".join(
        "%s %s%s%s" % (
            event.get("type") or "?", event.get("reason") or "?",
            (" (%s)" % event["object"]) if event.get("object") else "",
            (": %s" % event["message"]) if event.get("message") else "",
        )
        for event in events
    )


def with_events(client, workload_id, error):
    """``error`` (a RunaiError ending a wait) with the workload's latest events quoted in its message and added to its
    details as ``events``."""
    if not workload_id:
        return error
    events = latest_events(client, workload_id)
    error.details["events"] = events
    if events:
        error.message = "%s Latest events, newest first: %s." % (error.message, describe_events(events))
    return error


def add_timelines(client, result, originals, events=False, history=False):
    """``result`` (runai_workload_info's) with each returned workload's events and phase history under ``events`` and
    ``history``, read by the ids of ``originals`` (the same workloads before they were trimmed to some fields)."""
    if not (events or history):
        return result
    for original, returned in zip(originals, result.get("workloads") or []):
        workload_id = original.get("id")
        if events:
            returned["events"] = workload_events(client, workload_id)
        if history:
            returned["history"] = workload_history(client, workload_id)
    return result
