# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""runai_idle_workload_info runs on the controller, beside the workload report whose gathering and figures it reuses
to decide which workloads are idle (documentation: plugins/modules/runai_idle_workload_info.py)."""

from __future__ import annotations

from ansible_collections.runai.platform.plugins.module_utils.metrics.low_utilization import (
    DEFAULT_MIN_RUNNING_SECONDS,
    DEFAULT_PERCENT,
)
from ansible_collections.runai.platform.plugins.plugin_utils.reclaim import (
    DEFAULT_EXCLUDE_ANNOTATION,
    RECLAIM_ACTIONS,
    check_options,
    select,
    summary_line,
)
from ansible_collections.runai.platform.plugins.plugin_utils.controller_action import RunaiControllerAction

IDLE_ARGUMENT_SPEC = dict(
    projects=dict(type="list", elements="str", default=[]),
    start=dict(type="str", default="-1h"),
    end=dict(type="str", default="now"),
    low_utilization_percent=dict(type="float", default=DEFAULT_PERCENT),
    low_utilization_min_running_seconds=dict(type="int", default=DEFAULT_MIN_RUNNING_SECONDS),
    exclude_names=dict(type="list", elements="str", default=[]),
    exclude_projects=dict(type="list", elements="str", default=[]),
    exclude_annotation=dict(type="str", default=DEFAULT_EXCLUDE_ANNOTATION),
    reclaim=dict(type="str", choices=list(RECLAIM_ACTIONS), default=RECLAIM_ACTIONS[0]),
    samples=dict(type="int", default=60),
    parallelism=dict(type="int", default=8),
)


class ActionModule(RunaiControllerAction):
    ARGUMENT_SPEC = IDLE_ARGUMENT_SPEC

    def act(self, params: dict) -> dict:
        check_options(params)
        selection = select(self.connect(params), params, self.warnings.append)
        return dict(selection, changed=False, msg=summary_line(selection))
