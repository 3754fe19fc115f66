# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""runai_workload's batches (the ``workloads`` option) against the simulator: requests per route, results in input
order, failed items beside the others, and check mode that writes nothing on any level."""

import json

from ansible_collections.runai.platform.plugins.modules import runai_workload
from ansible_collections.runai.platform.tests.unit.plugins.modules.manifests import JOB

CREATE = "POST /api/v2/workloads"
LISTING = "GET /api/v1/workloads"
PROJECTS = "GET /api/v1/org-unit/projects"


def test_a_batch_lists_each_project_once_runs_in_parallel_and_reports_in_order(run_module, simulator):
    existing, failed = run_module(simulator, runai_workload.main, project="team-a", manifest=JOB,
                                  workloads=[dict(name="wl-03"), dict(name="wl-07")])
    assert not failed, existing["msg"]
    simulator.forget_requests()
    items = [dict(name="wl-%02d" % index) for index in range(12)] + [dict(name="other-1", project="team-b")]

    result, failed = run_module(simulator, runai_workload.main, project="team-a", manifest=JOB, workloads=items,
                                parallelism=4)

    assert not failed and result["changed"] is True, result["msg"]
    assert [item["name"] for item in result["results"]] == ["wl-%02d" % index for index in range(12)] + ["other-1"]
    assert [item["changed"] for item in result["results"]] == [index not in (3, 7) for index in range(12)] + [True]
    assert result["results"][12]["project"] == "team-b"
    assert simulator.requests(LISTING) == 2  # one listing per project
    assert simulator.requests(CREATE) == 11
    assert simulator.requests("POST /api/v1/token") == 1
    assert simulator.requests("GET /api/v1/clusters") == 1  # the level is read once per batch
    assert "13 workloads reconciled: 11 changed, 2 unchanged" in result["msg"]
    assert (result["summary"]["total"], result["summary"]["changed"], result["summary"]["failures"]) == (13, 11, [])
    assert result["summary"]["lines"][0] == "13 workloads: 11 created or updated, 2 unchanged, 0 failed."
    assert simulator.names(project="team-a") == ["wl-%02d" % index for index in range(12)]
    assert simulator.names(project="team-b") == ["other-1"]


def test_a_batch_finishes_the_other_items_then_fails_listing_the_bad_ones(run_module, simulator):
    items = [
        dict(name="good-1"),
        dict(name="Bad_Name"),
        dict(name="rejected", manifest=dict(JOB, kind="Jobb")),
        dict(name="good-2", priority="high"),
    ]

    result, failed = run_module(simulator, runai_workload.main, project="team-a", manifest=JOB, workloads=items)

    assert failed and result["changed"] is True
    assert result["msg"].startswith("2 of 4 workloads failed")
    assert "workloads[1]: Invalid value for option 'name'" in result["msg"]
    assert "rejected (project team-a): The Run:ai API refused POST /api/v2/workloads" in result["msg"]
    assert [item["failed"] for item in result["results"]] == [False, True, True, False]
    assert result["results"][2]["status"] == 400
    assert simulator.requests(CREATE) == 3  # the bad name was never sent
    summary = result["summary"]
    assert (summary["total"], summary["changed"]) == (4, 2)
    assert [(failure["name"], failure["project"]) for failure in summary["failures"]] == [
        ("Bad_Name", "team-a"), ("rejected", "team-a")]
    assert summary["lines"][0] == "4 workloads: 2 created or updated, 0 unchanged, 2 failed."
    # The reason is kept once, in the item's msg, and quoted once, in the task's msg.
    reason = result["results"][2]["msg"].split(": ", 1)[1]
    assert json.dumps(result).count(json.dumps(reason)[1:-1]) == 2
    assert simulator.names(project="team-a") == ["good-1", "good-2"]


def test_a_batch_that_lists_a_workload_twice_is_refused_before_any_request(run_module, simulator):
    result, failed = run_module(simulator, runai_workload.main, project="team-a", manifest=JOB,
                                workloads=[dict(name="dup"), dict(name="other"), dict(name="dup", priority="high")])

    assert failed and "items 0 and 2 are both workload 'dup'" in result["msg"]
    assert simulator.requests() == 0
    assert simulator.names(project="team-a") == []


def test_a_batch_in_diff_mode_returns_one_diff_per_changed_item_and_creates_nothing(run_module, simulator):
    run_module(simulator, runai_workload.main, name="same", project="team-a", manifest=JOB)
    simulator.forget_requests()

    result, failed = run_module(simulator, runai_workload.main, check=True, diff=True, project="team-a",
                                manifest=JOB, workloads=[dict(name="same"), dict(name="new")])

    assert not failed and len(result["diff"]) == 1
    assert result["diff"][0]["after"]["name"] == "new"
    assert all("diff" not in item for item in result["results"])
    assert [item["check_mode_validation"] for item in result["results"] if item["changed"]] == ["server"]
    assert simulator.requests(CREATE) == 1  # the server's dry run
    assert simulator.names(project="team-a") == ["same"]


def test_an_unknown_project_is_looked_up_once_and_fails_each_of_its_items(run_module, simulator):
    result, failed = run_module(simulator, runai_workload.main, project="ghost", manifest=JOB,
                                workloads=[dict(name="a"), dict(name="b"), dict(name="c")], parallelism=3)

    assert failed and result["msg"].startswith("3 of 3 workloads failed")
    assert all("no project named 'ghost'" in item["msg"] for item in result["results"])
    # one lookup, and one listing of the projects that exist for the message
    assert simulator.requests(PROJECTS) == 2
    assert simulator.requests(CREATE) == 0


def test_a_batch_in_check_mode_on_2_23_sends_no_write_and_reads_the_level_once(run_module, simulator_2_23):
    run_module(simulator_2_23, runai_workload.main, name="same", project="team-a", manifest=JOB)
    simulator_2_23.forget_requests()
    items = [dict(name="new-%d" % index) for index in range(5)] + [dict(name="same", state="absent")]

    result, failed = run_module(simulator_2_23, runai_workload.main, check=True, project="team-a", manifest=JOB,
                                workloads=items, parallelism=3)

    assert not failed and result["summary"]["changed"] == 6, result["msg"]
    # Items of two states: their changes are named as changes.
    assert result["summary"]["lines"][0] == "6 workloads: 6 would be changed (check mode), 0 unchanged, 0 failed."
    assert [item["check_mode_validation"] for item in result["results"]] == ["local"] * 6
    assert simulator_2_23.requests("GET /api/v1/clusters") == 1
    assert simulator_2_23.requests(CREATE) == 0
    assert simulator_2_23.requests("DELETE /api/v1/workloads/{workloadId}") == 0
    assert simulator_2_23.names(project="team-a") == ["same"]


def test_a_relative_src_of_an_item_starts_at_src_dir(run_module, simulator, tmp_path):
    (tmp_path / "manifests").mkdir()
    (tmp_path / "manifests" / "job.yaml").write_text(json.dumps(JOB))

    result, failed = run_module(simulator, runai_workload.main, project="team-a", src_dir=str(tmp_path),
                                workloads=[dict(name="from-item", src="manifests/job.yaml")])

    assert not failed and result["results"][0]["changed"] is True, result["msg"]
    assert simulator.names(project="team-a") == ["from-item"]
