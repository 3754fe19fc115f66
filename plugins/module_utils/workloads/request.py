# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One workload's task options, checked and turned into a WorkloadRequest before anything is sent: each option is
validated here (or in the function this calls), once, whether it comes from the task or from a batch item."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
from collections import namedtuple

from ansible_collections.runai.platform.plugins.module_utils.api.errors import RunaiInputError
from ansible_collections.runai.platform.plugins.module_utils.module.options import check_at_least, check_uuid
from ansible_collections.runai.platform.plugins.module_utils.workloads.desired import (
    desired_workload,
    load_manifest,
    validate_workload_name,
)
from ansible_collections.runai.platform.plugins.module_utils.workloads.wait import default_wait_for


# Options a batch item may set; top-level values are the defaults of every item.
WORKLOAD_OPTIONS = (
    "name", "project", "project_id", "cluster_id", "manifest", "src", "priority", "category", "preemptibility",
    "state", "recreate", "wait", "wait_for", "fail_on", "wait_timeout", "pending_timeout", "wait_sleep",
)
# Options of the task that every item uses as they are.
TASK_OPTIONS = ("src_dir",)
# Options that only make sense together: an item that sets one of a pair replaces the whole pair.
OPTION_PAIRS = (("manifest", "src"), ("project", "project_id"))

WaitSettings = namedtuple("WaitSettings", ["enabled", "wait_for", "fail_on", "timeout", "pending_timeout", "sleep"])


class WorkloadRequest(object):
    """One workload's validated options."""

    def __init__(self, name, project, project_id, cluster_id, state, desired, wait, recreate=False):
        self.recreate = recreate
        self.name = name
        self.project = project
        self.project_id = project_id
        self.cluster_id = cluster_id
        self.state = state
        self.desired = desired
        self.wait = wait

    @property
    def project_label(self):
        return self.project or self.project_id

    @property
    def group(self):
        """Workloads that one filtered listing covers."""
        return (self.project, self.project_id, self.cluster_id)

    def label(self, workload_id=None):
        project = ("project '%s'" % self.project) if self.project else ("project id %s" % self.project_id)
        return "'%s'%s in %s" % (self.name, (" (%s)" % workload_id) if workload_id else "", project)


def workload_request(params):
    """A WorkloadRequest from task options; raises RunaiInputError naming the option before anything is sent."""
    name = validate_workload_name(params.get("name"))
    project, project_id = params.get("project"), params.get("project_id")
    if bool(project) == bool(project_id):
        raise RunaiInputError(
            "project", "give exactly one of 'project' (a name) or 'project_id' to say where the workload lives."
        )
    cluster_id = params.get("cluster_id")
    if cluster_id:
        check_uuid("cluster_id", cluster_id)
    state = params.get("state") or "present"
    desired = None
    if state == "present":
        manifest = load_manifest(params.get("manifest"), source_path(params.get("src"), params.get("src_dir")))
        desired = desired_workload(
            name, manifest, params.get("priority"), params.get("category"), params.get("preemptibility")
        )
    return WorkloadRequest(
        name=name,
        project=project,
        project_id=str(project_id) if project_id else None,
        cluster_id=cluster_id,
        state=state,
        desired=desired,
        wait=wait_settings(params, desired),
        recreate=bool(params.get("recreate")),
    )


def source_path(src, src_dir):
    """``src`` as the module reads it: a relative path starts at ``src_dir`` when that is set."""
    if src is None or not src_dir or os.path.isabs(src):
        return src
    return os.path.join(src_dir, src)


def wait_settings(params, desired):
    """The wait options of one workload; ``params`` carry the defaults of the module's argument spec."""
    for option in ("wait_timeout", "pending_timeout"):
        check_at_least(option, params.get(option), 0, "Give a number of seconds.")
    if params["wait_sleep"] <= 0:
        raise RunaiInputError("wait_sleep", "must be more than 0 seconds, not %s." % params["wait_sleep"])
    wait_for = params.get("wait_for")
    if not wait_for:
        wait_for = default_wait_for(desired.manifest["kind"]) if desired else []
    return WaitSettings(
        enabled=bool(params.get("wait")),
        wait_for=list(wait_for),
        # a phase the task explicitly waits for is a success, even if it is also a failure phase by default
        fail_on=[phase for phase in params["fail_on"] if phase not in wait_for],
        timeout=params["wait_timeout"],
        pending_timeout=params.get("pending_timeout"),
        sleep=params["wait_sleep"],
    )


def merge_item(defaults, item):
    """The options of one batch item: its own values, else the task's top-level values."""
    merged = dict(
        (key, item.get(key) if item.get(key) is not None else defaults.get(key)) for key in WORKLOAD_OPTIONS
    )
    merged.update((key, defaults.get(key)) for key in TASK_OPTIONS)
    for pair in OPTION_PAIRS:
        if any(item.get(key) is not None for key in pair):
            for key in pair:
                merged[key] = item.get(key)
    return merged
