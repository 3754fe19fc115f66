# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report data (plugins/plugin_utils/report/figures.py): what was gathered about the reported workloads, as of the
window end, and the figures (GPU-hours, pending and running time inside the window, flags, per-project totals)."""

from __future__ import annotations

import json

import pytest

from ansible_collections.runai.platform.plugins.module_utils.api.errors import RunaiInputError
from ansible_collections.runai.platform.plugins.plugin_utils.report.figures import DEFAULT_THRESHOLDS, report_data
from ansible_collections.runai.platform.plugins.plugin_utils.report.files import json_text

WINDOW = {"start": "2026-01-01T00:00:00Z", "end": "2026-01-02T00:00:00Z"}
HOUR = 3600


def at(hour, minute=0):
    """A timestamp on the window's day (negative hours fall on the day before)."""
    day, hour = (1, hour) if hour >= 0 else (0, 24 + hour)
    if day == 0:
        return "2025-12-31T%02d:%02d:00Z" % (hour, minute)
    return "2026-01-01T%02d:%02d:00.000Z" % (hour, minute)


def workload(
    name="wl",
    project="team-a",
    phase="Completed",
    gpus=4.0,
    created=at(1),
    pending_seconds=0,
    running_seconds=0,
    completed=None,
    **extra
):
    """A v1 Workload with only the fields the figures read, in the API's camelCase."""
    item = {
        "id": "id-" + name,
        "name": name,
        "projectName": project,
        "departmentName": "default",
        "clusterId": "71f69d83-ba66-4822-adf5-55ce55efd210",
        "type": "Job",
        "phase": phase,
        "phaseMessage": "",
        "createdAt": created,
        "completedAt": completed,
        "deletedAt": None,
        "phaseUpdatedAt": completed or created,
        "allocatedResources": {"gpu": gpus if phase == "Running" else 0.0},
        "workloadRequestedResources": {"gpu": {"request": gpus}},
        "totalPendingTimeSeconds": pending_seconds,
        "totalRunningTimeSeconds": running_seconds,
        "runningPods": 1 if phase == "Running" else 0,
    }
    item.update(extra)
    return item


def utilization(workload_id, *values):
    return {
        "workload_id": workload_id,
        "pod_id": None,
        "type": "GPU_UTILIZATION",
        "labels": None,
        "values": [{"timestamp": at(2, index), "value": value} for index, value in enumerate(values)],
    }


def compute(gathered, **thresholds):
    return report_data(gathered, dict(DEFAULT_THRESHOLDS, **thresholds))


def figures(workloads, pods=(), series=(), **thresholds):
    """The figures (the ``report`` key) of what the role gathers over WINDOW."""
    gathered = {"workloads": workloads, "pods": list(pods), "series": list(series), "window": WINDOW}
    return compute(gathered, **thresholds)["report"]


def only_row(report):
    assert len(report["workloads"]) == 1
    return report["workloads"][0]


GPU_HOUR_CASES = [
    # (what, workload, series values, allocated GPU-hours, used GPU-hours)
    ("2 h on 4 GPUs at 50 %", workload(completed=at(3), pending_seconds=0, running_seconds=2 * HOUR), (50,), 8.0, 4.0),
    ("4 h on half a GPU at 100 %", workload(gpus=0.5, completed=at(5), running_seconds=4 * HOUR), (100,), 2.0, 2.0),
    (
        "pending time is not allocated time",
        workload(completed=at(4), pending_seconds=HOUR, running_seconds=2 * HOUR),
        (25, 75),
        8.0,
        4.0,
    ),
    ("no samples: used is unknown", workload(completed=at(3), running_seconds=2 * HOUR), (), 8.0, None),
    (
        "samples the API could not fill are skipped",
        workload(completed=at(3), running_seconds=2 * HOUR),
        (None, 50),
        8.0,
        4.0,
    ),
    ("no GPUs, no GPU-hours", workload(gpus=0.0, completed=at(3), running_seconds=2 * HOUR), (), 0.0, None),
]


@pytest.mark.parametrize(
    "what, item, values, allocated, used", GPU_HOUR_CASES, ids=[case[0] for case in GPU_HOUR_CASES]
)
def test_gpu_hours_allocated_and_used(what, item, values, allocated, used):
    row = only_row(figures([item], series=[utilization(item["id"], *values)]))
    assert row["gpu_hours_allocated"] == allocated
    assert row["gpu_hours_used"] == used


TIME_CASES = [
    # (what, workload, pods, pending seconds, running seconds) inside the 24 h window
    (
        "completed inside the window",
        workload(created=at(1), completed=at(4), pending_seconds=HOUR, running_seconds=2 * HOUR),
        [],
        HOUR,
        2 * HOUR,
    ),
    (
        "still running: runs until the window ends",
        workload(phase="Running", created=at(20), pending_seconds=HOUR // 2),
        [],
        HOUR // 2,
        3 * HOUR + HOUR // 2,
    ),
    (
        "started before the window: only the part inside counts",
        workload(phase="Running", created=at(-6), pending_seconds=HOUR),
        [],
        0,
        24 * HOUR,
    ),
    ("waiting before the window and still pending", workload(phase="Pending", created=at(-2)), [], 24 * HOUR, 0),
    (
        "the first container start marks the end of pending",
        workload(phase="Running", created=at(10), pending_seconds=5 * HOUR),
        [
            {"workloadId": "id-wl", "containers": [{"startedAt": at(12)}, {"startedAt": None}]},
            {"workloadId": "id-wl", "containers": [{"startedAt": at(11)}]},
        ],
        HOUR,
        13 * HOUR,
    ),
    (
        "failed without completedAt ends at its last phase change",
        workload(
            phase="Failed",
            created=at(2),
            completed=None,
            pending_seconds=600,
            running_seconds=1200,
            phaseUpdatedAt=at(2, 30),
        ),
        [],
        600,
        1200,
    ),
    (
        "deleted ends at deletedAt",
        workload(phase="Deleting", created=at(2), pending_seconds=0, running_seconds=HOUR, deletedAt=at(3)),
        [],
        0,
        HOUR,
    ),
    (
        "running now with no pending total starts at its phase change",
        workload(phase="Running", created=at(8), pending_seconds=None, phaseUpdatedAt=at(9)),
        [],
        HOUR,
        15 * HOUR,
    ),
    (
        "failed while pending never ran",
        workload(phase="Failed", created=at(2), pending_seconds=HOUR, running_seconds=0, phaseUpdatedAt=at(3)),
        [],
        HOUR,
        0,
    ),
]


@pytest.mark.parametrize("what, item, pods, pending, running", TIME_CASES, ids=[case[0] for case in TIME_CASES])
def test_pending_and_running_seconds_inside_the_window(what, item, pods, pending, running):
    row = only_row(figures([item], pods=pods))
    assert (row["pending_seconds"], row["running_seconds"]) == (pending, running)


FLAG_CASES = [
    # (what, workload, utilization samples, thresholds, flags)
    ("busy workload", workload(completed=at(4), running_seconds=3 * HOUR), (80,), {}, []),
    ("holds GPUs at 10 % for 3 h", workload(completed=at(4), running_seconds=3 * HOUR), (10,), {}, ["low-utilization"]),
    ("just below the threshold", workload(completed=at(4), running_seconds=3 * HOUR), (19.9,), {}, ["low-utilization"]),
    ("at the threshold is not low", workload(completed=at(4), running_seconds=3 * HOUR), (20,), {}, []),
    (
        "a custom threshold",
        workload(completed=at(4), running_seconds=3 * HOUR),
        (30,),
        {"low_utilization_percent": 50},
        ["low-utilization"],
    ),
    ("idle but only 5 minutes old", workload(completed=at(1, 5), running_seconds=300), (1,), {}, []),
    ("idle without GPUs is no waste", workload(gpus=0.0, completed=at(4), running_seconds=3 * HOUR), (1,), {}, []),
    ("no samples: nothing to judge", workload(completed=at(4), running_seconds=3 * HOUR), (), {}, []),
    (
        "pending 45 min",
        workload(created=at(1), completed=at(3), pending_seconds=2700, running_seconds=4500),
        (80,),
        {},
        ["long-pending"],
    ),
    (
        "pending exactly the threshold",
        workload(created=at(1), completed=at(3), pending_seconds=1800, running_seconds=5400),
        (80,),
        {},
        ["long-pending"],
    ),
    (
        "pending 20 min",
        workload(created=at(1), completed=at(3), pending_seconds=1200, running_seconds=6000),
        (80,),
        {},
        [],
    ),
    ("still pending after 2 h", workload(phase="Pending", created=at(22)), (), {}, ["long-pending"]),
    (
        "a custom pending threshold",
        workload(phase="Pending", created=at(22)),
        (),
        {"long_pending_seconds": 3 * HOUR},
        [],
    ),
    (
        "both",
        workload(created=at(1), completed=at(5), pending_seconds=HOUR, running_seconds=3 * HOUR),
        (5,),
        {},
        ["low-utilization", "long-pending"],
    ),
]


@pytest.mark.parametrize("what, item, values, thresholds, flags", FLAG_CASES, ids=[case[0] for case in FLAG_CASES])
def test_flags(what, item, values, thresholds, flags):
    report = figures([item], series=[utilization(item["id"], *values)], **thresholds)
    assert only_row(report)["flags"] == flags
    assert report["summary"]["flagged"] == {
        "low-utilization": flags.count("low-utilization"),
        "long-pending": flags.count("long-pending"),
    }


GPU_SOURCE_CASES = [
    (
        "allocated now",
        {"allocatedResources": {"gpu": 2.0}, "workloadRequestedResources": {"gpu": {"request": 8.0}}},
        [],
        2.0,
    ),
    (
        "ended: what its pods held",
        {"allocatedResources": {"gpu": 0.0}, "workloadRequestedResources": {"gpu": {"request": 8.0}}},
        [
            {"workloadId": "id-wl", "allocatedResources": {"gpu": 3.0}},
            {"workloadId": "id-wl", "allocatedResources": {"gpu": 3.0}},
        ],
        6.0,
    ),
    (
        "ended, no pods: what it requested",
        {"allocatedResources": None, "workloadRequestedResources": {"gpu": {"request": 8.0}}},
        [],
        8.0,
    ),
    (
        "per-pod request times pods",
        {
            "allocatedResources": None,
            "workloadRequestedResources": None,
            "podsRequestedResources": {"gpu": {"request": 2.0}},
            "requestedPods": {"number": 3},
        },
        [],
        6.0,
    ),
    ("nothing known", {"allocatedResources": None, "workloadRequestedResources": None}, [], 0.0),
]


@pytest.mark.parametrize("what, fields, pods, gpus", GPU_SOURCE_CASES, ids=[case[0] for case in GPU_SOURCE_CASES])
def test_gpus_come_from_the_best_source_available(what, fields, pods, gpus):
    item = workload(completed=at(3), running_seconds=2 * HOUR, **fields)
    assert only_row(figures([item], pods=pods))["gpus"] == gpus


def test_gpus_allocated_now_counts_only_workloads_still_alive():
    running = workload("running", phase="Running", gpus=4.0, created=at(20))
    done = workload("done", completed=at(3), running_seconds=HOUR, allocatedResources={"gpu": 2.0})
    report = figures([running, done])
    assert {row["name"]: row["gpus_allocated"] for row in report["workloads"]} == {"running": 4.0, "done": 0.0}
    assert report["summary"]["gpus_allocated"] == 4.0


@pytest.mark.parametrize(
    "what, item",
    [
        ("ended before the window", workload(created=at(-10), completed=at(-8), running_seconds=HOUR)),
        ("created after the window", workload(phase="Pending", created="2026-01-02T03:00:00Z")),
    ],
)
def test_workloads_outside_the_window_are_left_out_and_counted(what, item):
    report = figures([item])
    assert report["workloads"] == []
    assert report["summary"]["excluded"] == 1


def test_projects_sum_their_workloads_and_weigh_utilization_by_gpu_hours():
    items = [
        workload("big", gpus=4.0, completed=at(3), running_seconds=2 * HOUR),  # 8 GPU-h at 50 %
        workload("small", gpus=1.0, completed=at(3), running_seconds=2 * HOUR),  # 2 GPU-h at 100 %
        workload("unmeasured", gpus=1.0, completed=at(3), running_seconds=2 * HOUR),  # 2 GPU-h, no samples
        workload("other", project="team-b", phase="Pending", created=at(23)),
    ]
    series = [utilization("id-big", 50), utilization("id-small", 100)]
    report = figures(items, series=series)
    projects = {row["project"]: row for row in report["projects"]}
    assert list(projects) == ["team-a", "team-b"]
    team_a = projects["team-a"]
    assert (team_a["workloads"], team_a["gpu_hours_allocated"], team_a["gpu_hours_used"]) == (3, 12.0, 6.0)
    assert team_a["gpu_utilization_percent"] == 60.0  # 6 used of the 10 measured GPU-hours, not of 12
    assert (projects["team-b"]["pending"], projects["team-b"]["gpu_hours_used"]) == (1, None)
    assert report["summary"]["gpu_hours_allocated"] == 12.0
    assert report["summary"]["phases"] == {"Completed": 3, "Pending": 1}


def test_rows_come_most_gpu_hours_first():
    items = [
        workload("small", gpus=1.0, completed=at(3), running_seconds=2 * HOUR),
        workload("big", gpus=8.0, completed=at(3), running_seconds=2 * HOUR),
        workload("none", gpus=0.0, completed=at(3), running_seconds=2 * HOUR),
    ]
    assert [row["name"] for row in figures(items)["workloads"]] == ["big", "small", "none"]


def test_memory_and_pod_series_summaries():
    item = workload(completed=at(3), running_seconds=2 * HOUR)
    series = [
        {
            "workload_id": "id-wl",
            "pod_id": None,
            "type": "GPU_MEMORY_USAGE_BYTES",
            "values": [{"timestamp": at(2), "value": 2 * 1024**3}, {"timestamp": at(2, 30), "value": 4 * 1024**3}],
        },
        # a pod-level series must not count as the workload's own figures
        {
            "workload_id": "id-wl",
            "pod_id": "pod-1",
            "type": "GPU_UTILIZATION",
            "values": [{"timestamp": at(2), "value": 99}],
        },
    ]
    row = only_row(figures([item], series=series))
    assert (row["gpu_memory_mean_bytes"], row["gpu_memory_max_bytes"]) == (3 * 1024**3, 4 * 1024**3)
    assert row["gpu_utilization_mean_percent"] is None


def test_the_report_keeps_the_window_and_thresholds_it_used():
    report = figures([], low_utilization_percent=15, long_pending_seconds=600)
    assert report["window"] == dict(WINDOW, seconds=24 * HOUR)
    assert report["thresholds"] == {
        "low_utilization_percent": 15.0,
        "low_utilization_min_running_seconds": 600,
        "long_pending_seconds": 600,
    }
    assert report["summary"]["workloads"] == 0 and report["projects"] == []


@pytest.mark.parametrize(
    "gathered, message",
    [
        ({"workloads": []}, "needs the report window"),
        ({"workloads": [], "window": {"start": "yesterday", "end": "now"}}, "is not a time"),
        ({"workloads": [], "window": {"start": WINDOW["end"], "end": WINDOW["start"]}}, "start no later than its end"),
        ({"workloads": {"not": "a list"}, "window": WINDOW}, "list of workloads under 'workloads'"),
        ({"workloads": [workload(created="yesterday")], "window": WINDOW}, "'yesterday' is not a time"),
    ],
)
def test_bad_input_fails_with_a_message_naming_the_problem(gathered, message):
    with pytest.raises(RunaiInputError, match=message):
        compute(gathered)


def pod(workload_id, name):
    return {"id": "pod-" + name, "name": name, "workloadId": workload_id, "containers": [{"startedAt": at(2)}]}


def telemetry(timestamp):
    return {
        "type": "GPU_ALLOCATION",
        "timestamp": timestamp,
        "values": [{"value": "4", "groups": [{"key": "ProjectId", "value": "3", "name": "team-a"}]}],
    }


def test_the_data_keeps_what_was_gathered_about_the_reported_workloads():
    mine = workload("mine", completed=at(3), running_seconds=HOUR)
    gathered = {
        "selection": {"projects": ["team-a"], "name_prefix": "", "phases": [], "start": "-24h", "end": "now"},
        "window": WINDOW,
        # listed twice, as by two overlapping project listings
        "workloads": [mine, dict(mine)],
        "pods": [pod("id-mine", "mine-0"), pod("id-other", "other-0")],
        "series": [utilization("id-mine", 50), utilization("id-other", 90)],
        "metrics_partial": True,
        "telemetry": [telemetry(at(23))],
        # what a report.json written before also holds
        "report": {"summary": {"workloads": 99}},
        "generated_at": at(23),
    }
    data = compute(gathered)
    assert list(data) == ["selection", "window", "workloads", "pods", "series", "metrics_partial", "telemetry", "report"]
    assert data["selection"] == gathered["selection"] and data["window"] == WINDOW
    assert data["workloads"] == [mine]
    assert [item["name"] for item in data["pods"]] == ["mine-0"]
    assert [item["workload_id"] for item in data["series"]] == ["id-mine"]
    assert data["metrics_partial"] is True
    assert data["telemetry"] == [{"type": "GPU_ALLOCATION", "values": gathered["telemetry"][0]["values"]}]
    assert data["report"]["summary"]["workloads"] == 1 and data["report"]["workloads"][0]["pods"] == 1


TOTALS_CASES = [
    # (what, workload as read 3 h after the window ended, totals at the end of the window)
    ("pending since 2 h before the end", workload(phase="Pending", created=at(22), pending_seconds=5 * HOUR), (2 * HOUR, 0)),
    (
        "running since 2 h before the end",
        workload(phase="Running", created=at(21), pending_seconds=HOUR, running_seconds=5 * HOUR),
        (HOUR, 2 * HOUR),
    ),
    (
        "started only after the window ended",
        workload(phase="Running", created=at(23), pending_seconds=2 * HOUR, running_seconds=2 * HOUR),
        (HOUR, 0),
    ),
    (
        "ended inside the window: final totals",
        workload(created=at(1), completed=at(4), pending_seconds=HOUR, running_seconds=2 * HOUR),
        (HOUR, 2 * HOUR),
    ),
    ("totals the API did not send", workload(phase="Pending", created=at(22), pending_seconds=None), (None, 0)),
]


@pytest.mark.parametrize("what, item, totals", TOTALS_CASES, ids=[case[0] for case in TOTALS_CASES])
def test_running_totals_are_those_at_the_end_of_the_window(what, item, totals):
    listed = compute({"workloads": [item], "window": WINDOW})["workloads"][0]
    assert (listed["totalPendingTimeSeconds"], listed["totalRunningTimeSeconds"]) == totals


def test_reading_the_api_later_gives_the_same_data():
    def read(hours_after_the_window):
        later = hours_after_the_window * HOUR
        return {
            "window": WINDOW,
            "workloads": [
                workload("queued", phase="Pending", created=at(22), pending_seconds=2 * HOUR + later),
                workload(
                    "serving",
                    phase="Running",
                    created=at(20),
                    pending_seconds=HOUR,
                    running_seconds=3 * HOUR + later,
                ),
                workload("done", created=at(1), completed=at(4), pending_seconds=HOUR, running_seconds=2 * HOUR),
            ],
            "series": [utilization("id-serving", 40, 60)],
            "telemetry": [telemetry("2026-01-02T%02d:00:00.000Z" % hours_after_the_window)],
        }

    assert compute(read(0)) == compute(read(5))


def test_computing_the_data_again_changes_nothing():
    gathered = {
        "window": WINDOW,
        "workloads": [workload("queued", phase="Pending", created=at(22), pending_seconds=9 * HOUR)],
        "telemetry": [telemetry(at(23))],
    }
    data = compute(gathered, long_pending_seconds=600)
    assert compute(data, long_pending_seconds=600) == data


def test_report_json_is_the_same_data_as_compact_json_text():
    gathered = {
        "window": WINDOW,
        "workloads": [workload("queued", phase="Pending", created=at(22), phaseMessage='waiting, "quota"\n')],
        "series": [utilization("id-queued")],
        "telemetry": [telemetry(at(23))],
    }
    text = json_text(compute(gathered))
    assert json.loads(text) == compute(gathered)
    assert text == json.dumps(json.loads(text), separators=(",", ":"))
