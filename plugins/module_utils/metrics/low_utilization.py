# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""When a workload holds GPUs it barely uses: its mean GPU utilisation over a window is below a threshold, after it
ran long enough in that window not to be blamed for its warm-up.

The workload report flags such workloads ``low-utilization``; whatever else acts on idle GPUs must decide with these
same functions and defaults, so that it acts on exactly the workloads the report flags. It lives in module_utils so
that modules can use it as well as controller-side plugins.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runai.platform.plugins.module_utils.metrics.series import summarize

UTILIZATION_METRIC = "GPU_UTILIZATION"

# Below this mean GPU utilisation, in percent...
DEFAULT_PERCENT = 20.0
# ...once the workload ran at least this many seconds inside the window.
DEFAULT_MIN_RUNNING_SECONDS = 600


def workload_metric_summary(series, metric=UTILIZATION_METRIC):
    """min/mean/max/last/count over every point of the workload-level (not per-pod) series of ``metric`` among
    ``series``, as runai_metrics_info returns them; the mean of GPU_UTILIZATION is the one the flag compares."""
    points = [
        point
        for item in series
        if item.get("type") == metric and item.get("pod_id") is None
        for point in item.get("values") or []
    ]
    return summarize(points)


def is_low_utilization(gpus, mean_percent, running_seconds, percent=DEFAULT_PERCENT,
                       min_running_seconds=DEFAULT_MIN_RUNNING_SECONDS):
    """Whether a workload holding ``gpus`` GPUs, that ran ``running_seconds`` inside the window with a mean GPU
    utilisation of ``mean_percent`` (None: no samples, never flagged), holds GPUs it barely uses."""
    return bool(
        gpus > 0
        and mean_percent is not None
        and running_seconds >= min_running_seconds
        and mean_percent < percent
    )
