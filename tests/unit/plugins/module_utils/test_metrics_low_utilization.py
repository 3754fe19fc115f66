# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one rule for GPUs held but barely used, which the report's low-utilization flag applies."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.runai.platform.plugins.module_utils.metrics.low_utilization import (
    DEFAULT_MIN_RUNNING_SECONDS,
    DEFAULT_PERCENT,
    is_low_utilization,
    workload_metric_summary,
)


def series(metric, values, pod_id=None):
    return dict(workload_id="w", pod_id=pod_id, type=metric, labels=None,
                values=[dict(timestamp="2026-01-01T00:%02d:00Z" % index, value=value) for index, value in enumerate(values)])


def test_the_defaults_are_20_percent_after_10_minutes():
    assert (DEFAULT_PERCENT, DEFAULT_MIN_RUNNING_SECONDS) == (20.0, 600)


CASES = [
    # (what, gpus, mean percent, running seconds, flagged)
    ("held, ran long enough, below the threshold", 2.0, 19.9, 600, True),
    ("at the threshold is not below it", 2.0, 20.0, 3600, False),
    ("warming up: ran less than the minimum", 2.0, 1.0, 599, False),
    ("no GPUs held", 0.0, 1.0, 3600, False),
    ("no samples: unknown, never flagged", 1.0, None, 3600, False),
    ("a fraction of a GPU counts", 0.5, 5.0, 3600, True),
]


@pytest.mark.parametrize("what, gpus, mean, running, flagged", CASES, ids=[case[0] for case in CASES])
def test_is_low_utilization_with_the_defaults(what, gpus, mean, running, flagged):
    assert is_low_utilization(gpus, mean, running) is flagged


def test_the_thresholds_can_be_given():
    assert is_low_utilization(1.0, 35.0, 120, percent=40, min_running_seconds=60)
    assert not is_low_utilization(1.0, 35.0, 120, percent=30, min_running_seconds=60)
    assert not is_low_utilization(1.0, 35.0, 120, percent=40, min_running_seconds=300)


def test_the_mean_is_over_every_workload_level_sample_of_the_metric():
    summary = workload_metric_summary([
        series("GPU_UTILIZATION", [10.0, None, 30.0]),
        series("GPU_UTILIZATION", [50.0]),
        # per-pod series and other metrics are not the workload's utilisation
        series("GPU_UTILIZATION", [100.0], pod_id="p"),
        series("GPU_MEMORY_USAGE_BYTES", [1e9]),
    ])
    assert (summary["mean"], summary["max"], summary["count"]) == (30.0, 50.0, 3)
    assert workload_metric_summary([series("GPU_MEMORY_USAGE_BYTES", [1e9, 3e9])], "GPU_MEMORY_USAGE_BYTES")["mean"] == 2e9
    assert workload_metric_summary([])["mean"] is None
