# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

import pytest

from ansible_collections.runai.platform.plugins.module_utils.api.client import RunaiClient
from ansible_collections.runai.platform.plugins.module_utils.api.errors import (
    RunaiInputError,
    RunaiNotFoundError,
    RunaiServerError,
)
from ansible_collections.runai.platform.plugins.module_utils.metrics.series import (
    MAX_SAMPLES,
    MIN_SAMPLES,
    POD_METRIC_TYPES,
    WORKLOAD_METRIC_TYPES,
    MetricsQuery,
    check_metric_types,
    check_samples,
    fetch_metrics,
    metric_number,
    shape_response,
    summarize,
)

REFERENCE = os.path.join(os.path.dirname(__file__), "fixtures", "runai-v1-reference-enums.json")
VENDOR_ENUMS = os.path.join(os.path.dirname(__file__), "fixtures", "runai-vendor-enums-by-level.json")
WORKLOAD = "2d5f5a3c-3a8e-4c1b-9a8e-0d6c1f3c9b11"
POD = "5b0c3e84-0f55-4a4e-8b5e-6b2a8a4f1c21"
QUERY = MetricsQuery(["GPU_UTILIZATION"], "2026-01-31T11:00:00Z", "2026-01-31T12:00:00Z", 20)


def workload_id(number):
    return "00000000-0000-4000-8000-%012d" % number


def measurement(metric_type, *values, **labels):
    return {
        "type": metric_type,
        "labels": labels or None,
        "values": [{"timestamp": "2026-01-31T11:%02d:00Z" % index, "value": value} for index, value in enumerate(values)],
    }


def client_for(transport, retries=0):
    return RunaiClient(url=transport.base_url, token="t", transport=transport, retries=retries, sleep=lambda seconds: None)


def test_sample_bounds_match_the_reference():
    with open(REFERENCE) as handle:
        reference = json.load(handle)
    assert (MIN_SAMPLES, MAX_SAMPLES) == (reference["number_of_samples"]["minimum"], reference["number_of_samples"]["maximum"])


def _vendor_levels():
    with open(VENDOR_ENUMS) as handle:
        return dict((level, enums) for level, enums in json.load(handle).items() if not level.startswith("_"))


def test_metric_types_are_the_vendor_enums_of_every_level_together():
    levels = _vendor_levels()
    assert sorted(levels) == ["2.23", "2.24"]
    assert set(WORKLOAD_METRIC_TYPES) == set().union(*(enums["workload_metric_types"] for enums in levels.values()))
    assert set(POD_METRIC_TYPES) == set().union(*(enums["pod_metric_types"] for enums in levels.values()))
    assert len(set(WORKLOAD_METRIC_TYPES)) == len(WORKLOAD_METRIC_TYPES)
    assert len(set(POD_METRIC_TYPES)) == len(POD_METRIC_TYPES)


@pytest.mark.parametrize("level", ["2.23", "2.24"])
def test_each_levels_own_metric_types_pass_both_nvlink_spellings_included(level):
    enums = _vendor_levels()[level]
    assert check_metric_types(enums["workload_metric_types"], for_pod=False) == enums["workload_metric_types"]
    assert check_metric_types(enums["pod_metric_types"], for_pod=True) == enums["pod_metric_types"]
    nvlink = "DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL" if level == "2.23" else "NVLINK_BANDWIDTH_TOTAL"
    assert nvlink in enums["workload_metric_types"] and nvlink + "_PER_GPU" in enums["pod_metric_types"]


def test_known_metric_types_pass_once_each():
    assert check_metric_types(["GPU_UTILIZATION", "POD_COUNT", "GPU_UTILIZATION"], for_pod=False) == [
        "GPU_UTILIZATION",
        "POD_COUNT",
    ]
    assert check_metric_types(["GPU_SM_ACTIVITY_PER_GPU"], for_pod=True) == ["GPU_SM_ACTIVITY_PER_GPU"]


@pytest.mark.parametrize(
    "metrics, for_pod, hint",
    [
        (["GPU_UTILISATION"], False, "unknown metric type"),
        (["GPU_SM_ACTIVITY_PER_GPU"], False, "set 'pod_id'"),
        (["POD_COUNT"], True, "workload metric type"),
        ([], False, "at least one"),
    ],
)
def test_unknown_or_misplaced_metric_types_are_refused_naming_the_option(metrics, for_pod, hint):
    with pytest.raises(RunaiInputError) as caught:
        check_metric_types(metrics, for_pod)
    assert caught.value.option == "metrics" and hint in str(caught.value)


@pytest.mark.parametrize("samples", [-1, 1001])
def test_samples_out_of_range_are_refused(samples):
    with pytest.raises(RunaiInputError) as caught:
        check_samples(samples)
    assert caught.value.option == "samples" and "0 to 1000" in str(caught.value)
    assert check_samples(0) == 0 and check_samples(1000) == 1000


@pytest.mark.parametrize(
    "text, number",
    [("41.5", 41.5), ("0", 0.0), ("1e3", 1000.0), ("NaN", None), ("+Inf", None), ("", None), (None, None), (True, None)],
)
def test_metric_strings_become_finite_numbers_or_none(text, number):
    assert metric_number(text) == number


def test_a_summary_covers_the_numeric_values_only():
    points = [{"value": 10.0}, {"value": None}, {"value": 30.0}, {"value": 20.0}]
    assert summarize(points) == dict(min=10.0, mean=20.0, max=30.0, last=20.0, count=3)


def test_an_empty_series_has_null_numbers():
    assert summarize([]) == dict(min=None, mean=None, max=None, last=None, count=0)
    assert summarize([{"value": None}]) == dict(min=None, mean=None, max=None, last=None, count=0)


def test_a_response_becomes_flat_series_with_a_placeholder_for_types_left_out():
    body = {
        "measurements": [measurement("GPU_UTILIZATION", "40", "60", gpu="0"), measurement("GPU_UTILIZATION", "NaN", gpu="1")],
        "histogram": [{"type": "NIM_E2E_REQUEST_LATENCY_SECONDS_PERCENTILES",
                       "values": [{"timestamp": "2026-01-31T11:00:00Z", "data": {"p50": "0.2", "p99": "1.5"}}]}],
    }
    series, histograms = shape_response(body, WORKLOAD, None, ["GPU_UTILIZATION", "POD_COUNT"])
    assert [(item["type"], item["labels"]) for item in series] == [
        ("GPU_UTILIZATION", {"gpu": "0"}),
        ("GPU_UTILIZATION", {"gpu": "1"}),
        ("POD_COUNT", None),
    ]
    assert series[0]["values"] == [
        {"timestamp": "2026-01-31T11:00:00Z", "value": 40.0},
        {"timestamp": "2026-01-31T11:01:00Z", "value": 60.0},
    ]
    assert series[0]["summary"] == dict(min=40.0, mean=50.0, max=60.0, last=60.0, count=2)
    assert series[1]["values"] == [{"timestamp": "2026-01-31T11:00:00Z", "value": None}]
    assert series[2]["values"] == [] and series[2]["summary"]["count"] == 0
    assert all(item["workload_id"] == WORKLOAD and item["pod_id"] is None for item in series)
    assert histograms == [{"workload_id": WORKLOAD, "type": "NIM_E2E_REQUEST_LATENCY_SECONDS_PERCENTILES",
                           "values": [{"timestamp": "2026-01-31T11:00:00Z", "data": {"p50": 0.2, "p99": 1.5}}]}]


def test_null_values_from_the_api_give_an_empty_series():
    series, histograms = shape_response({"measurements": [{"type": "GPU_UTILIZATION", "values": None}]},
                                        WORKLOAD, None, ["GPU_UTILIZATION"])
    assert len(series) == 1 and series[0]["values"] == [] and histograms == []


def test_one_workload_is_one_request_with_the_reference_parameters(scripted_transport):
    scripted_transport.expect("GET", "/api/v1/workloads/%s/metrics" % WORKLOAD,
                              body={"measurements": [measurement("GPU_UTILIZATION", "5")]})
    query = MetricsQuery(["GPU_UTILIZATION", "CPU_USAGE_CORES"], QUERY.start, QUERY.end, 50)

    result = fetch_metrics(client_for(scripted_transport), [WORKLOAD], query)

    assert scripted_transport.calls[0]["params"] == {
        "metricType": "GPU_UTILIZATION,CPU_USAGE_CORES",
        "start": "2026-01-31T11:00:00Z",
        "end": "2026-01-31T12:00:00Z",
        "numberOfSamples": 50,
    }
    assert [item["type"] for item in result.series] == ["GPU_UTILIZATION", "CPU_USAGE_CORES"]
    assert result.partial_warnings == []


def test_pod_metrics_use_the_pod_route_and_carry_the_pod_id(scripted_transport):
    scripted_transport.expect("GET", "/api/v1/workloads/%s/pods/%s/metrics" % (WORKLOAD, POD),
                              body={"measurements": [measurement("GPU_UTILIZATION", "7")]})

    result = fetch_metrics(client_for(scripted_transport), [WORKLOAD], QUERY, pod_id=POD)

    assert result.series[0]["pod_id"] == POD and result.series[0]["workload_id"] == WORKLOAD


def test_partial_success_is_kept_and_named_in_a_warning(scripted_transport):
    scripted_transport.expect("GET", "/api/v1/workloads/%s/metrics" % WORKLOAD, status=207,
                              body={"measurements": [measurement("GPU_UTILIZATION", "5")]})
    query = MetricsQuery(["GPU_UTILIZATION", "NIM_NUM_REQUESTS_RUNNING"], QUERY.start, QUERY.end, 20)

    result = fetch_metrics(client_for(scripted_transport), [WORKLOAD], query)

    assert result.series[0]["values"][0]["value"] == 5.0
    assert len(result.partial_warnings) == 1
    assert WORKLOAD in result.partial_warnings[0]
    assert "NIM_NUM_REQUESTS_RUNNING" in result.partial_warnings[0]
    assert "GPU_UTILIZATION" not in result.partial_warnings[0].split(":")[-1]


def test_an_unknown_workload_fails_naming_it_and_the_option(scripted_transport):
    scripted_transport.expect("GET", "/api/v1/workloads/%s/metrics" % WORKLOAD, status=404,
                              body={"code": 404, "message": "Resource id not found."})

    with pytest.raises(RunaiNotFoundError) as caught:
        fetch_metrics(client_for(scripted_transport), [WORKLOAD], QUERY, id_option="workload_id")
    assert WORKLOAD in str(caught.value) and "'workload_id'" in str(caught.value)
    assert caught.value.status == 404 and caught.value.path == "/api/v1/workloads/%s/metrics" % WORKLOAD


def metrics_answers(count, status_of=lambda number: 200):
    return dict(
        ("/api/v1/workloads/%s/metrics" % workload_id(number),
         (status_of(number), {"measurements": [measurement("GPU_UTILIZATION", str(number))]}))
        for number in range(count)
    )


def paths(transport):
    return [call["path"] for call in transport.calls]


def test_many_workloads_are_fetched_exactly_parallelism_at_a_time_and_returned_in_input_order(scripted_transport):
    ids = [workload_id(number) for number in range(9)]
    transport = scripted_transport.answer_by_path(metrics_answers(9), parties=3)

    result = fetch_metrics(client_for(transport), ids, QUERY, parallelism=3)

    assert transport.most_in_flight == 3
    assert sorted(paths(transport)) == sorted("/api/v1/workloads/%s/metrics" % item for item in ids)
    assert [item["workload_id"] for item in result.series] == ids
    assert [item["summary"]["last"] for item in result.series] == [float(number) for number in range(9)]


def test_parallelism_one_fetches_one_at_a_time(scripted_transport):
    transport = scripted_transport.answer_by_path(metrics_answers(4))

    fetch_metrics(client_for(transport), [workload_id(number) for number in range(4)], QUERY, parallelism=1)

    assert transport.most_in_flight == 1 and len(paths(transport)) == 4


def test_partial_answers_among_many_each_get_a_warning(scripted_transport):
    transport = scripted_transport.answer_by_path(
        metrics_answers(5, status_of=lambda number: 207 if number in (1, 3) else 200))

    result = fetch_metrics(client_for(transport), [workload_id(number) for number in range(5)], QUERY, parallelism=4)

    assert len(result.partial_warnings) == 2
    assert workload_id(1) in result.partial_warnings[0] and workload_id(3) in result.partial_warnings[1]


def test_a_failure_among_many_fails_the_fetch(scripted_transport):
    answers = metrics_answers(6)
    answers["/api/v1/workloads/%s/metrics" % workload_id(2)] = (500, {"code": 500, "message": "Something went wrong."})
    transport = scripted_transport.answer_by_path(answers)

    with pytest.raises(RunaiServerError) as caught:
        fetch_metrics(client_for(transport), [workload_id(number) for number in range(6)], QUERY, parallelism=3)
    assert caught.value.status == 500 and workload_id(2) in caught.value.path
