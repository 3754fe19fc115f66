# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An ansible-rulebook event source: one event each time a Run:ai workload changes phase.

Run:ai notifies only by e-mail and Slack, so the source polls ``GET /api/v1/workloads`` for workloads whose
``phaseUpdatedAt`` is at or after a cursor, sorted by it, and remembers the last phase and time it saw per workload.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from typing import Any


def _import_path() -> None:
    """Put the directory that holds ``ansible_collections`` on sys.path: ansible-rulebook runs a source file with
    runpy, without Ansible's collection loader, and the source imports the collection's module_utils."""
    parts = os.path.abspath(__file__).split(os.sep)
    # .../ansible_collections/runai/platform/extensions/eda/plugins/event_source/workload_events.py
    if len(parts) > 8 and parts[-8] == "ansible_collections":
        root = os.sep.join(parts[:-8]) or os.sep
        if root not in sys.path:
            sys.path.append(root)


_import_path()

# pylint: disable=wrong-import-position
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator  # noqa: E402

from ansible_collections.runai.platform.plugins.module_utils.api.client import RunaiClient, client_options
from ansible_collections.runai.platform.plugins.module_utils.api.errors import (
    RunaiConnectionError,
    RunaiError,
    RunaiInputError,
    RunaiServerError,
)
from ansible_collections.runai.platform.plugins.module_utils.module.options import (
    WORKLOAD_PHASES,
    connection_argument_spec,
)
from ansible_collections.runai.platform.plugins.module_utils.projects import PROJECTS_PATH
from ansible_collections.runai.platform.plugins.module_utils.values.filters import (
    expression,
    filter_by,
    phase_expressions,
)
from ansible_collections.runai.platform.plugins.module_utils.values.time import format_time
from ansible_collections.runai.platform.plugins.module_utils.workloads.find import WORKLOADS_V1_PATH

DOCUMENTATION = r"""
---
short_description: Events when Run:ai workloads change phase.
description:
  - An ansible-rulebook event source plugin that polls the Run:ai API (C(GET /api/v1/workloads)) and sends one event
    each time a workload changes phase (Creating, Pending, Running, Failed, Completed, ...).
  - Each event holds C(workload) (its id, name, type, project, cluster, department, phase, phase message and times),
    C(project), C(phase), C(previous_phase), C(phase_updated_at) and C(initial).
  - The same change is never sent twice. Throttling (429), server errors (5xx) and broken connections are retried with
    backoff; when the retries run out the source logs one line and tries again at the next poll. With client
    credentials an expired token is renewed. No token or secret is written to an event or a log line.
  - "The connection options are those of the collection's modules, with the same environment variables, so
    C(runai.platform.workload_events: {}) works wherever the modules do."
options:
  url:
    description:
      - Base URL of the Run:ai control plane. If not set, E(RUNAI_URL) is used.
    type: str
  token:
    description:
      - A bearer token issued by Run:ai. If not set, E(RUNAI_TOKEN) is used.
      - Without O(client_id) and O(client_secret) the source stops when the token expires.
    type: str
  client_id:
    description:
      - Client ID of a Run:ai application, exchanged with O(client_secret) for tokens, renewed when they expire.
      - If not set, E(RUNAI_CLIENT_ID) is used.
    type: str
  client_secret:
    description:
      - Client secret that goes with O(client_id). If not set, E(RUNAI_CLIENT_SECRET) is used.
    type: str
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate. If not set, E(RUNAI_VALIDATE_CERTS) is used.
    type: bool
    default: true
  ca_path:
    description:
      - PEM bundle of the certificate authorities that signed the server's certificate. If not set, E(RUNAI_CA_PATH)
        is used.
    type: path
  request_timeout:
    description:
      - Seconds to wait for the server to answer one HTTP request.
    type: float
    default: 30
  retries:
    description:
      - How many times one request is repeated after a 429, 502, 503, 504 or a broken connection.
    type: int
    default: 5
  projects:
    description:
      - Send events only for workloads of these projects (names). Every project must exist, or the source stops at
        start.
    type: list
    elements: str
  phases:
    description:
      - Send events only for changes into these phases. The server is asked only for workloads in them, so
        C(previous_phase) is the last of these phases the source saw (null when it saw none).
    type: list
    elements: str
    choices: [Creating, Initializing, Resuming, Pending, Deleting, Running, Updating, Stopped, Stopping, Degraded,
              Failed, Completed, Terminating, Unknown]
  interval:
    description:
      - Seconds between two polls. An event reaches the rulebook at most about this long after the change.
    type: float
    default: 5
  initial_state:
    description:
      - Send one event per matching workload at start, with C(initial=true) and C(previous_phase=null).
      - When false, the workloads present at start only set the source's memory of their phases.
    type: bool
    default: false
  lookback:
    description:
      - Seconds before the cursor that every poll reads again, so a change the API records with a slightly earlier
        C(phaseUpdatedAt) than one already seen is not missed. Changes read twice are sent once.
    type: float
    default: 10
  max_tracked:
    description:
      - How many workloads the source remembers the phase of. Beyond it the workloads whose last change is the oldest
        (and older than O(lookback)) are forgotten; their next change has C(previous_phase=null).
    type: int
    default: 10000
"""

EXAMPLES = r"""
- runai.platform.workload_events: {}

- runai.platform.workload_events:
    projects:
      - team-a
    phases:
      - Failed
      - Completed
    interval: 10
    initial_state: true
"""

SOURCE_NAME = "runai.platform.workload_events"
LOGGER = logging.getLogger(SOURCE_NAME)
PAGE_SIZE = 500
# Only these fields of a workload go into an event: enough to act on, small, and without the workload's environment
# variables, command or arguments, which may hold a user's secrets.
EVENT_WORKLOAD_FIELDS = (
    "id", "name", "type", "projectName", "projectId", "clusterId", "departmentName", "departmentId", "phase",
    "phaseMessage", "phaseReason", "phaseUpdatedAt", "k8sPhase", "createdAt", "completedAt", "submittedBy",
    "priorityClassName", "category", "totalPendingTimeSeconds", "totalRunningTimeSeconds",
)
# Options rulebooks and ansible-rulebook itself may add (eda_feedback_queue); not the source's to validate.
ENGINE_ARGUMENT_PREFIX = "eda_"


def argument_spec() -> dict[str, Any]:
    """The connection options of the collection's modules, and the source's own."""
    spec = connection_argument_spec()
    spec.update(
        projects=dict(type="list", elements="str"),
        phases=dict(type="list", elements="str", choices=WORKLOAD_PHASES),
        interval=dict(type="float", default=5),
        initial_state=dict(type="bool", default=False),
        lookback=dict(type="float", default=10),
        max_tracked=dict(type="int", default=10000),
    )
    return spec


def validated_options(args: dict[str, Any]) -> dict[str, Any]:
    """The source's options with environment fallbacks and defaults applied; RunaiError naming the option if bad."""
    given = {name: value for name, value in args.items() if not name.startswith(ENGINE_ARGUMENT_PREFIX)}
    result = ArgumentSpecValidator(argument_spec()).validate(given)
    if result.error_messages:
        raise RunaiError(result.error_messages[0])
    options = result.validated_parameters
    for name in ("interval", "lookback"):
        if options[name] < 0 or (name == "interval" and options[name] == 0):
            raise RunaiInputError(name, "must be a number of seconds above 0, got %s." % options[name])
    if options["max_tracked"] < 1:
        raise RunaiInputError("max_tracked", "must be 1 or more, got %s." % options["max_tracked"])
    return options


def _stamp(workload: dict[str, Any]) -> datetime | None:
    """When the workload entered its phase (its creation when the API has no phase time yet)."""
    text = workload.get("phaseUpdatedAt") or workload.get("createdAt")
    if not text:
        return None
    moment = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


class PhaseWatcher:
    """The phase changes of the workloads a client can see, since the last call of ``poll``.

    Synchronous on purpose: it rides the collection's client (retries, token renewal) and runs in a worker thread.
    """

    def __init__(self, client: RunaiClient, projects: list[str] | None = None, phases: list[str] | None = None,
                 lookback: float = 10, max_tracked: int = 10000, page_size: int = PAGE_SIZE):
        self.client = client
        self.projects = set(projects or [])
        self.phases = set(phases or [])
        self.lookback = timedelta(seconds=lookback)
        self.max_tracked = max_tracked
        self.page_size = page_size
        narrowing = list(phase_expressions(phases))
        if len(self.projects) == 1:
            narrowing.append(expression("projects", "projectName", "==", next(iter(self.projects))))
        self._narrowing = narrowing
        # workload id -> (phase, phaseUpdatedAt), oldest change first
        self._known: OrderedDict[str, tuple[str, datetime]] = OrderedDict()
        self._cursor: datetime | None = None

    @property
    def tracked(self) -> int:
        return len(self._known)

    def check_projects(self) -> None:
        """Stop at start, naming the option, when a project asked for does not exist (or is not visible)."""
        for name in sorted(self.projects):
            found = (self.client.get(PROJECTS_PATH, params={
                "filterBy": filter_by(expression("projects", "name", "==", name))}) or {}).get("projects") or []
            if not any(project.get("name") == name for project in found):
                raise RunaiInputError("projects", "no project named '%s' was found or is visible to these credentials."
                                      % name)

    def poll(self) -> list[dict[str, Any]]:
        """The events of the changes not seen before, oldest first; the first call reports every matching workload."""
        initial = self._cursor is None
        since = None if initial else self._cursor - self.lookback
        offset = 0
        events = []
        # Changes are remembered only once the whole poll has succeeded: a poll that fails half-way sends nothing,
        # and the next one reads the same changes again.
        seen: OrderedDict[str, tuple[str, datetime]] = OrderedDict()
        while True:
            since_expression = ["phaseUpdatedAt>=%s" % format_time(since)] if since is not None else []
            params = {"sortBy": "phaseUpdatedAt", "sortOrder": "asc", "offset": offset, "limit": self.page_size}
            narrowing = filter_by(*(self._narrowing + since_expression))
            if narrowing:
                params["filterBy"] = narrowing
            page = self.client.get(WORKLOADS_V1_PATH, params=params) or {}
            batch = page.get("workloads") or []
            for workload in batch:
                event = self._change(workload, initial, seen)
                if event is not None:
                    events.append(event)
            if len(batch) < self.page_size:
                break
            last = _stamp(batch[-1])
            # Keyset paging: the next page starts at the last time seen (ties are read again and dropped as seen),
            # so workloads that change phase meanwhile cannot shift a page past one not yet read.
            if last is None or (since is not None and last <= since):
                offset += len(batch)
            else:
                since, offset = last, 0
        for workload_id, change in seen.items():
            self._known.pop(workload_id, None)
            self._known[workload_id] = change
            if self._cursor is None or change[1] > self._cursor:
                self._cursor = change[1]
        self._forget()
        return events

    def _change(self, workload: dict[str, Any], initial: bool,
                seen: OrderedDict[str, tuple[str, datetime]]) -> dict[str, Any] | None:
        stamp = _stamp(workload)
        workload_id = workload.get("id")
        phase = workload.get("phase")
        if stamp is None or workload_id is None:
            return None
        if self.projects and workload.get("projectName") not in self.projects:
            return None
        if self.phases and phase not in self.phases:
            return None
        known = seen.get(workload_id) or self._known.get(workload_id)
        if known is not None and known[1] >= stamp:
            return None
        seen[workload_id] = (phase, stamp)
        return {
            "workload": {name: workload.get(name) for name in EVENT_WORKLOAD_FIELDS if name in workload},
            "project": workload.get("projectName"),
            "phase": phase,
            "previous_phase": known[0] if known is not None else None,
            "phase_updated_at": workload.get("phaseUpdatedAt") or format_time(stamp),
            "initial": initial,
        }

    def _forget(self) -> None:
        """Keep at most ``max_tracked`` workloads, forgetting only those a later poll cannot read again as unseen."""
        if self._cursor is None:
            return
        horizon = self._cursor - self.lookback
        while len(self._known) > self.max_tracked:
            oldest_id = next(iter(self._known))
            if self._known[oldest_id][1] >= horizon:
                break
            del self._known[oldest_id]


def _start(options: dict[str, Any]) -> PhaseWatcher:
    client = RunaiClient(warn=LOGGER.warning, **client_options(options))
    watcher = PhaseWatcher(client, options["projects"], options["phases"], options["lookback"],
                           options["max_tracked"])
    watcher.check_projects()
    return watcher


async def main(queue: asyncio.Queue[Any], args: dict[str, Any]) -> None:
    """Send the phase changes of Run:ai workloads to ``queue`` until cancelled.

    A misconfiguration (an option, the URL, the credentials, a project) stops the source, and ansible-rulebook with
    it, with one line that names what to change: SystemExit, which ansible-rulebook does not turn into a traceback.
    """
    loop = asyncio.get_running_loop()
    # One worker thread: the client keeps one kept-alive connection per thread, and polls never overlap.
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="runai-workload-events")
    try:
        options = validated_options(args)
        watcher = await loop.run_in_executor(executor, _start, options)
        first = True
        while True:
            try:
                events = await loop.run_in_executor(executor, watcher.poll)
            except (RunaiServerError, RunaiConnectionError) as error:
                if first:
                    raise
                # The retries of this poll ran out; nothing of it was remembered, so the next poll reads it again.
                LOGGER.warning("%s: %s Polling again in %s s.", SOURCE_NAME, error, options["interval"])
                events = []
            if not first or options["initial_state"]:
                for event in events:
                    await queue.put(event)
            first = False
            await asyncio.sleep(options["interval"])
    except RunaiError as error:
        raise SystemExit("%s: %s" % (SOURCE_NAME, error)) from None
    finally:
        executor.shutdown(wait=False, cancel_futures=True)


if __name__ == "__main__":
    # Run on its own (RUNAI_* in the environment), printing the events.
    class _PrintQueue(asyncio.Queue):
        async def put(self, item: Any) -> None:
            print(item)  # noqa: T201

    asyncio.run(main(_PrintQueue(), {}))
