# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""runai_workload_report runs on the controller, where the report files go: it reads the API through one client,
computes every figure once, and writes the files itself (documentation: plugins/modules/runai_workload_report.py)."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.runai.platform.plugins.module_utils.api.errors import RunaiInputError
from ansible_collections.runai.platform.plugins.module_utils.module.options import WORKLOAD_PHASES, check_at_least
from ansible_collections.runai.platform.plugins.plugin_utils.controller_action import RunaiControllerAction
from ansible_collections.runai.platform.plugins.plugin_utils.report.figures import DEFAULT_THRESHOLDS, report_data
from ansible_collections.runai.platform.plugins.plugin_utils.report.files import (
    CSV_COLUMNS,
    FORMATS,
    csv_text,
    json_text,
    needs_writing,
    write_file,
)
from ansible_collections.runai.platform.plugins.plugin_utils.report.gather import gather
from ansible_collections.runai.platform.plugins.plugin_utils.report.merge import load_parts, merge_parts
from ansible_collections.runai.platform.plugins.plugin_utils.report.page import page

# The fields of each workload the figures, the CSV columns and the page use.
WORKLOAD_FIELDS = [
    "id", "name", "type", "projectName", "departmentName", "clusterId", "submittedBy", "createdAt", "completedAt",
    "deletedAt", "phase", "phaseMessage", "phaseReason", "phaseUpdatedAt", "allocatedResources.gpu",
    "workloadRequestedResources.gpu", "podsRequestedResources.gpu", "requestedPods.number", "runningPods",
    "totalPendingTimeSeconds", "totalRunningTimeSeconds",
]

REPORT_ARGUMENT_SPEC = dict(
    output_dir=dict(type="path", default="runai-report"),
    formats=dict(type="list", elements="str", choices=list(FORMATS), default=list(FORMATS)),
    file_mode=dict(type="raw", default="0644"),
    title=dict(type="str", default="Run:ai workload report"),
    projects=dict(type="list", elements="str", default=[]),
    name_prefix=dict(type="str", default=""),
    phases=dict(type="list", elements="str", choices=WORKLOAD_PHASES, default=[]),
    limit=dict(type="int", default=1000),
    workload_fields=dict(type="list", elements="str", default=WORKLOAD_FIELDS),
    start=dict(type="str", default="-24h"),
    end=dict(type="str", default="now"),
    samples=dict(type="int", default=60),
    parallelism=dict(type="int", default=8),
    pods=dict(type="bool", default=True),
    pod_limit=dict(type="int", default=5000),
    telemetry=dict(type="bool", default=True),
    low_utilization_percent=dict(type="float", default=DEFAULT_THRESHOLDS["low_utilization_percent"]),
    low_utilization_min_running_seconds=dict(
        type="int", default=DEFAULT_THRESHOLDS["low_utilization_min_running_seconds"]),
    long_pending_seconds=dict(type="int", default=DEFAULT_THRESHOLDS["long_pending_seconds"]),
    chart_workloads=dict(type="int", default=12),
    csv_columns=dict(type="list", elements="str", choices=list(CSV_COLUMNS), default=list(CSV_COLUMNS)),
    gathered=dict(type="dict"),
    parts=dict(type="list", elements="raw"),
)


def file_mode(value) -> int:
    try:
        return int(str(value), 8) if isinstance(value, str) else int(value)
    except ValueError:
        raise RunaiInputError("file_mode", "'%s' is not an octal file mode such as '0644'." % value) from None


def check_counts(params: dict) -> None:
    for option in ("limit", "parallelism", "pod_limit"):
        check_at_least(option, params[option], 1)
    check_at_least("chart_workloads", params["chart_workloads"], 0)


def import_charts():
    """Charts, with the charting library imported (report.csv and report.json need neither)."""
    from ansible_collections.runai.platform.plugins.plugin_utils.report.charts import Charts

    return Charts()


def render_html(params: dict, data: dict, charts) -> str:
    return page(params["title"], data, charts.script(), charts.items(data["report"], data["series"],
                                                                     params["chart_workloads"]))


def contents(params: dict, data: dict, charts) -> dict:
    """{file name: bytes} of the formats asked for; ``charts`` a future of import_charts()."""
    renderers = {
        "html": lambda: render_html(params, data, charts.result()),
        "csv": lambda: csv_text(data["report"]["workloads"], params["csv_columns"]),
        "json": lambda: json_text(data),
    }
    return {"report.%s" % name: renderers[name]().encode("utf-8") for name in dict.fromkeys(params["formats"])}


def summary_line(summary: dict) -> str:
    used = summary["gpu_hours_used"]
    return "%d workloads in %d projects: %s GPU-hours allocated, %s used; %d low-utilization, %d long-pending." % (
        summary["workloads"], summary["projects"], summary["gpu_hours_allocated"],
        "unknown" if used is None else used, summary["flagged"]["low-utilization"],
        summary["flagged"]["long-pending"])


class ActionModule(RunaiControllerAction):
    ARGUMENT_SPEC = REPORT_ARGUMENT_SPEC
    MUTUALLY_EXCLUSIVE = [("gathered", "parts")]

    def act(self, params: dict) -> dict:
        # The charting library takes about as long to import as the API takes to read: both at once.
        pool = ThreadPoolExecutor(max_workers=1)
        charts = pool.submit(import_charts) if "html" in params["formats"] else None
        try:
            check_counts(params)
            mode = file_mode(params["file_mode"])
            # The connection is needed only to read the API; saved data and parts render without one.
            if params["parts"]:
                gathered = merge_parts(load_parts(params["parts"]))
            elif params["gathered"] is not None:
                gathered = params["gathered"]
            else:
                gathered = gather(self.connect(params), params, self.warnings.append)
            thresholds = {key: params[key] for key in DEFAULT_THRESHOLDS}
            data = report_data(gathered, thresholds)
            files = contents(params, data, charts)
            output_dir = os.path.abspath(params["output_dir"])
            changed = self.write(output_dir, files, mode)
        finally:
            pool.shutdown(wait=True)
        summary = data["report"]["summary"]
        return dict(
            changed=bool(changed),
            output_dir=output_dir,
            files=[os.path.join(output_dir, name) for name in files],
            changed_files=[os.path.join(output_dir, name) for name in changed],
            window=data["window"],
            summary=summary,
            msg="Report in %s (%s): %s" % (output_dir, ", ".join(files), summary_line(summary)),
        )

    def write(self, output_dir: str, files: dict, mode: int) -> list:
        """The names of the files that changed (or would, in check mode), after writing them."""
        changed = [name for name, content in files.items()
                   if needs_writing(os.path.join(output_dir, name), content, mode)]
        if changed and not self._task.check_mode:
            os.makedirs(output_dir, mode=0o755, exist_ok=True)
            for name in changed:
                write_file(os.path.join(output_dir, name), files[name], mode)
        return changed
