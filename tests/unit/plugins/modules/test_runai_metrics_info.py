# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from datetime import datetime, timezone

import pytest

from ansible_collections.runai.platform.plugins.module_utils.values import time as values_time
from ansible_collections.runai.platform.plugins.modules import runai_metrics_info
from ansible_collections.runai.platform.tests.unit.plugins.modules.info_module_harness import run_info_module

WORKLOAD_ID = "2d5f5a3c-3a8e-4c1b-9a8e-0d6c1f3c9b11"
OTHER_ID = "3e6a6b4d-4b9f-4d2c-8b9f-1e7d2a4dac22"
POD_ID = "5b0c3e84-0f55-4a4e-8b5e-6b2a8a4f1c21"
NOW = datetime(2026, 1, 31, 12, 0, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    monkeypatch.setattr(values_time, "utc_now", lambda: NOW)


def metrics_path(workload_id, pod_id=None):
    if pod_id:
        return "/api/v1/workloads/%s/pods/%s/metrics" % (workload_id, pod_id)
    return "/api/v1/workloads/%s/metrics" % workload_id


def answer(*measurements):
    return {"measurements": [{"type": metric_type, "labels": None,
                              "values": [{"timestamp": "2026-01-31T11:%02d:00Z" % index, "value": value}
                                         for index, value in enumerate(values)]}
                             for metric_type, values in measurements]}


def run(args, transport, monkeypatch, **kwargs):
    return run_info_module(runai_metrics_info.main, args, transport, monkeypatch, **kwargs)


def test_defaults_read_the_last_hour_with_twenty_samples(scripted_transport, monkeypatch):
    scripted_transport.expect("GET", metrics_path(WORKLOAD_ID), body=answer(("GPU_UTILIZATION", ["10", "30"])))

    result, failed = run(dict(workload_id=WORKLOAD_ID, metrics=["GPU_UTILIZATION"]), scripted_transport, monkeypatch,
                         check_mode=True)

    assert not failed and result["partial"] is False and result["warnings"] == []
    assert (result["start"], result["end"]) == ("2026-01-31T11:00:00Z", "2026-01-31T12:00:00Z")
    assert scripted_transport.calls[0]["params"] == {"metricType": "GPU_UTILIZATION", "start": "2026-01-31T11:00:00Z",
                                                     "end": "2026-01-31T12:00:00Z", "numberOfSamples": 20}
    series = result["series"]
    assert len(series) == 1 and series[0]["workload_id"] == WORKLOAD_ID and series[0]["pod_id"] is None
    assert series[0]["values"] == [{"timestamp": "2026-01-31T11:00:00Z", "value": 10.0},
                                   {"timestamp": "2026-01-31T11:01:00Z", "value": 30.0}]
    assert series[0]["summary"] == {"min": 10.0, "mean": 20.0, "max": 30.0, "last": 30.0, "count": 2}


def test_a_workload_not_running_yet_gives_empty_series_without_error(scripted_transport, monkeypatch):
    scripted_transport.expect("GET", metrics_path(WORKLOAD_ID), body={"measurements": []})

    result, failed = run(dict(workload_id=WORKLOAD_ID, metrics=["GPU_UTILIZATION", "CPU_USAGE_CORES"],
                              start="2026-01-31T10:00:00+01:00", end="-30m", samples=5), scripted_transport, monkeypatch)

    assert not failed
    assert [(item["type"], item["values"], item["summary"]["mean"]) for item in result["series"]] == [
        ("GPU_UTILIZATION", [], None), ("CPU_USAGE_CORES", [], None)]
    assert (result["start"], result["end"]) == ("2026-01-31T09:00:00Z", "2026-01-31T11:30:00Z")


def test_many_workloads_in_one_task_keep_their_order_and_skip_repeats(scripted_transport, monkeypatch):
    scripted_transport.expect("GET", metrics_path(WORKLOAD_ID), body=answer(("POD_COUNT", ["1"])))
    scripted_transport.expect("GET", metrics_path(OTHER_ID), body=answer(("POD_COUNT", ["3"])))

    result, failed = run(dict(workload_ids=[WORKLOAD_ID, OTHER_ID, WORKLOAD_ID], metrics=["POD_COUNT"], parallelism=1),
                         scripted_transport, monkeypatch)

    assert not failed
    assert [(item["workload_id"], item["summary"]["last"]) for item in result["series"]] == [(WORKLOAD_ID, 1.0),
                                                                                             (OTHER_ID, 3.0)]


def test_an_empty_list_of_workloads_returns_no_series_and_sends_nothing(scripted_transport, monkeypatch):
    result, failed = run(dict(workload_ids=[], metrics=["GPU_UTILIZATION"]), scripted_transport, monkeypatch)

    assert not failed and result["series"] == [] and scripted_transport.calls == []


def test_pod_metrics_take_pod_metric_types(scripted_transport, monkeypatch):
    scripted_transport.expect("GET", metrics_path(WORKLOAD_ID, POD_ID),
                              body=answer(("GPU_UTILIZATION_PER_GPU", ["50"])))

    result, failed = run(dict(workload_id=WORKLOAD_ID, pod_id=POD_ID, metrics=["GPU_UTILIZATION_PER_GPU"]),
                         scripted_transport, monkeypatch)

    assert not failed and result["series"][0]["pod_id"] == POD_ID


def test_partial_success_succeeds_with_a_warning_naming_workload_and_metric(scripted_transport, monkeypatch):
    scripted_transport.expect("GET", metrics_path(WORKLOAD_ID), status=207, body=answer(("GPU_UTILIZATION", ["1"])))

    result, failed = run(dict(workload_id=WORKLOAD_ID, metrics=["GPU_UTILIZATION", "NIM_NUM_REQUESTS_RUNNING"]),
                         scripted_transport, monkeypatch)

    assert not failed and result["partial"] is True
    assert len(result["warnings"]) == 1
    assert WORKLOAD_ID in result["warnings"][0] and "NIM_NUM_REQUESTS_RUNNING" in result["warnings"][0]


def test_an_unknown_workload_fails(scripted_transport, monkeypatch):
    scripted_transport.expect("GET", metrics_path(WORKLOAD_ID), status=404, body={"code": 404, "message": "not found"})

    result, failed = run(dict(workload_id=WORKLOAD_ID, metrics=["GPU_UTILIZATION"]), scripted_transport, monkeypatch)

    assert failed and result["status"] == 404 and WORKLOAD_ID in result["msg"] and "'workload_id'" in result["msg"]


@pytest.mark.parametrize(
    "args, option",
    [
        (dict(metrics=["GPU_UTILISATION"]), "metrics"),
        (dict(metrics=["GPU_SM_ACTIVITY_PER_GPU"]), "metrics"),
        (dict(pod_id=POD_ID, metrics=["RUNNING_POD_COUNT"]), "metrics"),
        (dict(metrics=["GPU_UTILIZATION"], start="-30m", end="-1h"), "end"),
        (dict(metrics=["GPU_UTILIZATION"], start="an hour ago"), "start"),
        (dict(metrics=["GPU_UTILIZATION"], samples=1001), "samples"),
        (dict(metrics=["GPU_UTILIZATION"], samples=-1), "samples"),
        (dict(metrics=["GPU_UTILIZATION"], parallelism=0), "parallelism"),
        (dict(metrics=["GPU_UTILIZATION"], pod_id="pod-1"), "pod_id"),
        (dict(metrics=["GPU_UTILIZATION"], workload_id="train"), "workload_id"),
    ],
)
def test_bad_input_fails_before_any_request_naming_the_option(args, option, scripted_transport, monkeypatch):
    result, failed = run(dict(dict(workload_id=WORKLOAD_ID), **args), scripted_transport, monkeypatch)

    assert failed and "'%s'" % option in result["msg"], result["msg"]
    assert scripted_transport.calls == []


def test_a_pod_needs_exactly_one_workload(scripted_transport, monkeypatch):
    result, failed = run(dict(workload_ids=[WORKLOAD_ID], pod_id=POD_ID, metrics=["GPU_UTILIZATION"]),
                         scripted_transport, monkeypatch)

    assert failed and "pod_id" in result["msg"] and scripted_transport.calls == []
