# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""runai_workload end to end against scripted HTTP: what it reports, and exactly which requests it sends."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
import re

import pytest
from ansible.module_utils import basic
from ansible_collections.runai.platform.tests.unit.plugins.modules.manifests import JOB
from ansible_collections.runai.platform.tests.unit.plugins.modules.module_args import patch_module_args

from ansible_collections.runai.platform.plugins.module_utils.module import entry as module_entry
from ansible_collections.runai.platform.plugins.module_utils.workloads import wait as workload_wait
from ansible_collections.runai.platform.plugins.module_utils.api.client import RunaiClient
from ansible_collections.runai.platform.plugins.module_utils.api.transport import TransportError
from ansible_collections.runai.platform.plugins.module_utils.workloads.request import WORKLOAD_OPTIONS
from ansible_collections.runai.platform.plugins.modules import runai_workload

SECRET = "s3cr3t-client-secret"
TOKEN = "issued-token-1"
CLUSTER = "71f69d83-ba66-4822-adf5-55ce55efd210"
WID = "0b6f3c2e-8a41-4d7e-9c55-2f1e7a9d4b10"
V1_LIST = "/api/v1/workloads"
V2 = "/api/v2/workloads"
V2_ONE = "/api/v2/workloads/%s" % WID
V1_ONE = "/api/v1/workloads/%s" % WID
PROJECTS = "/api/v1/org-unit/projects"
CLUSTERS = "/api/v1/clusters"

JOB_YAML = """apiVersion: batch/v1
kind: Job
metadata:
  name: train
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: main
          image: pytorch:2.4
"""


class ModuleExit(Exception):
    def __init__(self, result, failed):
        super(ModuleExit, self).__init__(result.get("msg"))
        self.result = result
        self.failed = failed


class FakeTime(object):
    def __init__(self):
        self.now = 0.0

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


@pytest.fixture
def module_env(monkeypatch):
    """Run the module against a given transport, with no real sleeping; returns a runner."""
    retry_sleeps = []
    monkeypatch.setattr(workload_wait, "time", FakeTime())

    warnings = []

    def exit_json(self, **result):
        raise ModuleExit(dict(result, warnings=list(warnings)), False)

    def fail_json(self, **result):
        raise ModuleExit(dict(result, warnings=list(warnings)), True)

    monkeypatch.setattr(basic.AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", fail_json)
    monkeypatch.setattr(basic.AnsibleModule, "warn", lambda module, message: warnings.append(message))

    def run(transport, check=False, diff=False, **options):
        def make_client(**kwargs):
            kwargs.update(transport=transport, sleep=retry_sleeps.append)
            return RunaiClient(**kwargs)

        monkeypatch.setattr(module_entry, "RunaiClient", make_client)
        args = dict(url=transport.base_url, client_id="app", client_secret=SECRET, _ansible_check_mode=check,
                    _ansible_diff=diff)
        args.update(options)
        with patch_module_args(args):
            with pytest.raises(ModuleExit) as caught:
                runai_workload.main()
        return caught.value.result, caught.value.failed

    return run


def listed(name="train", phase="Running", **fields):
    item = {"name": name, "id": WID, "phase": phase, "sourceApi": "WorkloadsV2", "projectName": "team-a",
            "projectId": "7", "clusterId": CLUSTER, "deletedAt": None}
    item.update(fields)
    return item


def stored(manifest=None, sync="Synced", **metadata):
    meta = {"id": WID, "name": "train", "projectId": "7", "projectName": "team-a", "clusterId": CLUSTER,
            "priority": "medium", "category": "Train", "preemptibility": None}
    meta.update(metadata)
    manifest = copy.deepcopy(JOB if manifest is None else manifest)
    applied = copy.deepcopy(manifest)
    applied["metadata"].update(name="train", namespace="runai-team-a")
    workload = {"metadata": meta, "desiredPhase": "Running", "rawManifest": manifest, "workloadManifest": applied}
    return {"workload": workload, "syncInfo": {"status": sync}}


def projects(*items):
    return {"projects": [{"name": "team-a", "id": "7", "clusterId": CLUSTER, "status": {"phase": "Ready"}}
                         for _item in items]}


def expect_level(transport, version="2.24.3"):
    """The one read of the control plane's level a run makes (GET /api/v1/clusters, the vendor's DisplayedCluster)."""
    transport.expect("GET", CLUSTERS, body=[{"uuid": CLUSTER, "name": "c1", "version": version}])


def expect_lookup(transport, *found):
    transport.expect_token(TOKEN)
    transport.expect("GET", V1_LIST, body={"workloads": list(found)},
                     check=lambda call: _assert_filter(call, "name==train,projectName==team-a"))


def _assert_filter(call, expected):
    assert call["params"]["filterBy"] == expected


def created_answer(body):
    answer = stored(body["manifest"])["workload"]
    answer["metadata"].update(body["metadata"])
    return answer


def test_batch_items_take_every_per_workload_option_and_inherit_them():
    spec = runai_workload.argument_spec()

    assert sorted(spec["workloads"]["options"]) == sorted(WORKLOAD_OPTIONS)
    assert all(spec[name].get("type") == option.get("type") for name, option in spec["workloads"]["options"].items())
    assert not any("default" in option for option in spec["workloads"]["options"].values())


# -- present ----------------------------------------------------------------------------------------------------------


def test_an_unchanged_rerun_makes_three_requests_including_the_token(module_env, scripted_transport):
    expect_lookup(scripted_transport, listed())
    scripted_transport.expect("GET", V2_ONE, body=stored())

    result, failed = module_env(scripted_transport, name="train", project="team-a", manifest=JOB, priority="medium")

    assert not failed and result["changed"] is False
    assert len(scripted_transport.calls) == 3
    assert result["id"] == WID and result["phase"] == "Running"
    assert result["workload"]["metadata"]["priority"] == "medium"
    assert "already as requested" in result["msg"]
    assert "diff" not in result and "duration" not in result


def test_a_yaml_string_manifest_is_as_unchanged_as_the_same_dict(module_env, scripted_transport):
    expect_lookup(scripted_transport, listed())
    scripted_transport.expect("GET", V2_ONE, body=stored())

    result, failed = module_env(scripted_transport, name="train", project="team-a", manifest=JOB_YAML)

    assert not failed and result["changed"] is False


def test_a_manifest_file_is_read_from_src(module_env, scripted_transport, tmp_path):
    path = tmp_path / "job.yaml"
    path.write_text(JOB_YAML)
    expect_lookup(scripted_transport, listed())
    scripted_transport.expect("GET", V2_ONE, body=stored())

    result, failed = module_env(scripted_transport, name="train", project="team-a", src=str(path))

    assert not failed and result["changed"] is False


def test_a_relative_src_starts_at_src_dir(module_env, scripted_transport, tmp_path):
    (tmp_path / "manifests").mkdir()
    (tmp_path / "manifests" / "job.yaml").write_text(JOB_YAML)
    expect_lookup(scripted_transport, listed())
    scripted_transport.expect("GET", V2_ONE, body=stored())

    result, failed = module_env(scripted_transport, name="train", project="team-a", src="manifests/job.yaml",
                                src_dir=str(tmp_path))

    assert not failed and result["changed"] is False


def test_a_missing_workload_is_created_with_the_resolved_project(module_env, scripted_transport):
    sent = {}

    def capture(call):
        sent.update(call["json"])
        assert call["params"] == {}

    expect_lookup(scripted_transport)
    scripted_transport.expect("GET", PROJECTS, body=projects("team-a"))
    expect_level(scripted_transport)
    scripted_transport.expect("POST", V2, 202, body=created_answer(
        {"metadata": {"name": "train", "projectId": "7", "clusterId": CLUSTER, "category": "Train"}, "manifest": JOB}),
        check=capture)

    result, failed = module_env(scripted_transport, name="train", project="team-a", manifest=JOB, category="Train")

    assert not failed and result["changed"] is True
    assert sent == {"metadata": {"name": "train", "projectId": "7", "clusterId": CLUSTER, "category": "Train"},
                    "manifest": JOB}
    assert result["id"] == WID and result["phase"] is None
    assert "created" in result["msg"]
    assert "diff" not in result


def test_a_project_id_needs_no_project_request(module_env, scripted_transport):
    scripted_transport.expect_token(TOKEN)
    scripted_transport.expect("GET", V1_LIST, body={"workloads": []},
                              check=lambda call: _assert_filter(call, "name==train,projectId==7"))
    expect_level(scripted_transport)
    scripted_transport.expect("POST", V2, 202, body=stored()["workload"],
                              check=lambda call: _assert_body_metadata(call, {"name": "train", "projectId": "7"}))

    result, failed = module_env(scripted_transport, name="train", project_id="7", manifest=JOB)

    assert not failed and result["changed"] is True


def _assert_body_metadata(call, expected):
    assert call["json"]["metadata"] == expected


def test_check_mode_creates_as_a_server_dry_run_and_shows_the_diff(module_env, scripted_transport):
    expect_lookup(scripted_transport)
    scripted_transport.expect("GET", PROJECTS, body=projects("team-a"))
    expect_level(scripted_transport)
    scripted_transport.expect("POST", V2, 202, body=stored()["workload"],
                              check=lambda call: _assert_params(call, {"dryRun": "true"}))

    result, failed = module_env(scripted_transport, check=True, diff=True, name="train", project="team-a",
                                manifest=JOB, priority="high", wait=True)

    assert not failed and result["changed"] is True
    assert result["id"] is None and "would be created" in result["msg"]
    assert result["diff"]["before"] == {"state": "absent"}
    assert result["diff"]["after"] == {"state": "present", "name": "train", "project": "team-a",
                                       "metadata": {"priority": "high"}, "manifest": JOB}
    assert "duration" not in result  # check mode never waits


def _assert_params(call, expected):
    assert call["params"] == expected


def test_check_mode_fails_when_the_server_refuses_the_manifest(module_env, scripted_transport):
    expect_lookup(scripted_transport)
    scripted_transport.expect("GET", PROJECTS, body=projects("team-a"))
    expect_level(scripted_transport)
    scripted_transport.expect("POST", V2, 400, body={"code": 400, "message": "Unknown workload type 'Jobb'"})

    result, failed = module_env(scripted_transport, check=True, name="train", project="team-a",
                                manifest=dict(JOB, kind="Jobb"))

    assert failed and "Unknown workload type 'Jobb'" in result["msg"] and result["status"] == 400


def test_a_changed_field_is_updated_alone_and_the_diff_shows_only_it(module_env, scripted_transport):
    sent = {}
    expect_lookup(scripted_transport, listed())
    scripted_transport.expect("GET", V2_ONE, body=stored())
    expect_level(scripted_transport)
    scripted_transport.expect("PUT", V2_ONE, 202, body=stored(priority="high")["workload"],
                              check=lambda call: sent.update(call["json"]))

    result, failed = module_env(scripted_transport, diff=True, name="train", project="team-a", manifest=JOB,
                                priority="high", category="Train")

    assert not failed and result["changed"] is True
    assert sent == {"metadata": {"priority": "high"}}
    assert result["diff"]["before"] == {"metadata": {"priority": "medium", "category": "Train"}, "manifest": JOB}
    assert result["diff"]["after"] == {"metadata": {"priority": "high", "category": "Train"}, "manifest": JOB}
    assert result["workload"]["metadata"]["priority"] == "high"
    assert "metadata.priority" in result["msg"]


def test_a_manifest_change_sends_the_manifest_only(module_env, scripted_transport):
    sent = {}
    new_job = copy.deepcopy(JOB)
    new_job["spec"]["template"]["spec"]["containers"][0]["image"] = "pytorch:2.5"
    expect_lookup(scripted_transport, listed())
    scripted_transport.expect("GET", V2_ONE, body=stored())
    expect_level(scripted_transport)
    scripted_transport.expect("PUT", V2_ONE, 202, body=stored(new_job)["workload"],
                              check=lambda call: sent.update(call["json"]))

    result, failed = module_env(scripted_transport, name="train", project="team-a", manifest=new_job, priority="medium")

    assert not failed and result["changed"] is True and sent == {"manifest": new_job}
    assert "diff" not in result


def test_check_mode_decides_an_update_by_comparison_and_sends_nothing(module_env, scripted_transport):
    expect_lookup(scripted_transport, listed())
    scripted_transport.expect("GET", V2_ONE, body=stored())
    expect_level(scripted_transport)

    result, failed = module_env(scripted_transport, check=True, name="train", project="team-a", manifest=JOB,
                                category="Build")

    assert not failed and result["changed"] is True and "would be updated" in result["msg"]
    assert result["check_mode_validation"] == "local"
    assert [call["method"] for call in scripted_transport.calls] == ["POST", "GET", "GET", "GET"]


def test_check_mode_after_apply_is_unchanged(module_env, scripted_transport):
    expect_lookup(scripted_transport, listed())
    scripted_transport.expect("GET", V2_ONE, body=stored())

    result, failed = module_env(scripted_transport, check=True, diff=True, name="train", project="team-a",
                                manifest=JOB)

    assert not failed and result["changed"] is False and "diff" not in result


def test_a_preemptibility_change_fails_and_asks_for_delete_and_recreate(module_env, scripted_transport):
    expect_lookup(scripted_transport, listed())
    scripted_transport.expect("GET", V2_ONE, body=stored(preemptibility="preemptible"))
    expect_level(scripted_transport)

    result, failed = module_env(scripted_transport, name="train", project="team-a", manifest=JOB,
                                preemptibility="non-preemptible", priority="high")

    assert failed and result["changed"] is False
    assert "metadata.preemptibility cannot change" in result["msg"]
    assert "Delete it (state=absent) and create it again" in result["msg"]
    assert [call["method"] for call in scripted_transport.calls] == ["POST", "GET", "GET", "GET"]  # nothing was sent


def test_a_workload_from_another_api_is_not_managed(module_env, scripted_transport):
    expect_lookup(scripted_transport, listed(sourceApi=None))

    result, failed = module_env(scripted_transport, name="train", project="team-a", manifest=JOB)

    assert failed and "not submitted through the Workloads V2 API" in result["msg"]


def test_a_name_in_two_clusters_asks_for_cluster_id(module_env, scripted_transport):
    expect_lookup(scripted_transport, listed(), listed(id="other", clusterId="c-2"))

    result, failed = module_env(scripted_transport, name="train", project="team-a", manifest=JOB)

    assert failed and "'cluster_id'" in result["msg"]


def test_a_create_that_loses_a_race_converges_instead_of_failing(module_env, scripted_transport):
    expect_lookup(scripted_transport)
    scripted_transport.expect("GET", PROJECTS, body=projects("team-a"))
    expect_level(scripted_transport)
    scripted_transport.expect("POST", V2, 409, body={"code": 409, "message": "Resource with this name already exists"})
    scripted_transport.expect("GET", V1_LIST, body={"workloads": [listed(phase="Creating")]})
    scripted_transport.expect("GET", V2_ONE, body=stored())

    result, failed = module_env(scripted_transport, name="train", project="team-a", manifest=JOB)

    assert not failed and result["changed"] is False and result["id"] == WID


def test_a_create_whose_answer_was_lost_is_looked_up_not_sent_again(module_env, scripted_transport):
    expect_lookup(scripted_transport)
    scripted_transport.expect("GET", PROJECTS, body=projects("team-a"))
    expect_level(scripted_transport)
    scripted_transport.expect("POST", V2, raises=TransportError(TransportError.BROKEN, "Connection aborted.", request_sent=True))
    scripted_transport.expect("GET", V1_LIST, body={"workloads": [listed(phase="Creating")]})
    scripted_transport.expect("GET", V2_ONE, body=stored())

    result, failed = module_env(scripted_transport, name="train", project="team-a", manifest=JOB)

    assert not failed and result["changed"] is True and result["id"] == WID
    assert [call["method"] for call in scripted_transport.calls].count("POST") == 2  # the token and one create


def test_a_create_proven_not_to_have_landed_is_sent_once_more(module_env, scripted_transport):
    expect_lookup(scripted_transport)
    scripted_transport.expect("GET", PROJECTS, body=projects("team-a"))
    expect_level(scripted_transport)
    scripted_transport.expect("POST", V2, 503, body={"code": 503, "message": "Please try again in few minutes."})
    scripted_transport.expect("GET", V1_LIST, body={"workloads": []})
    scripted_transport.expect("POST", V2, 202, body=stored()["workload"])

    result, failed = module_env(scripted_transport, name="train", project="team-a", manifest=JOB)

    assert not failed and result["changed"] is True and result["id"] == WID


def test_a_workload_being_deleted_is_waited_out_before_the_new_one_is_created(module_env, scripted_transport):
    expect_lookup(scripted_transport, listed(phase="Deleting", deletedAt="2026-01-01T00:00:00Z"))
    scripted_transport.expect("GET", V2_ONE, 404, body={"code": 404, "message": "Resource id not found."})
    scripted_transport.expect("GET", PROJECTS, body=projects("team-a"))
    expect_level(scripted_transport)
    scripted_transport.expect("POST", V2, 202, body=stored()["workload"])

    result, failed = module_env(scripted_transport, name="train", project="team-a", manifest=JOB)

    assert not failed and result["changed"] is True


# -- waiting ----------------------------------------------------------------------------------------------------------


def test_wait_returns_the_phase_reached_and_the_duration(module_env, scripted_transport):
    expect_lookup(scripted_transport)
    scripted_transport.expect("GET", PROJECTS, body=projects("team-a"))
    expect_level(scripted_transport)
    scripted_transport.expect("POST", V2, 202, body=stored()["workload"])
    scripted_transport.expect("GET", V1_ONE, body=listed(phase="Creating"))
    scripted_transport.expect("GET", V1_ONE, body=listed(phase="Running"))

    result, failed = module_env(scripted_transport, name="train", project="team-a", manifest=JOB, wait=True,
                                wait_sleep=3)

    assert not failed and result["phase"] == "Running" and result["duration"] == 3.0
    assert "reached phase Running" in result["msg"]


def test_an_unchanged_workload_already_in_the_phase_needs_no_poll(module_env, scripted_transport):
    expect_lookup(scripted_transport, listed())
    scripted_transport.expect("GET", V2_ONE, body=stored())

    result, failed = module_env(scripted_transport, name="train", project="team-a", manifest=JOB, wait=True)

    assert not failed and result["duration"] == 0.0 and len(scripted_transport.calls) == 3


def test_a_failing_workload_fails_the_task_at_once_with_the_reason(module_env, scripted_transport):
    expect_lookup(scripted_transport)
    scripted_transport.expect("GET", PROJECTS, body=projects("team-a"))
    expect_level(scripted_transport)
    scripted_transport.expect("POST", V2, 202, body=stored()["workload"])
    scripted_transport.expect("GET", V1_ONE, body=listed(phase="Failed", phaseMessage="container exited with code 1"))
    scripted_transport.expect("GET", V2_ONE, body=stored())
    scripted_transport.expect("GET", V1_ONE + "/pods", body={"pods": [{"name": "train-0", "k8sPhase": "Failed"}]})

    result, failed = module_env(scripted_transport, name="train", project="team-a", manifest=JOB, wait=True,
                                wait_timeout=600)

    assert failed and result["changed"] is True and result["id"] == WID
    assert "reached phase Failed" in result["msg"] and "container exited with code 1" in result["msg"]
    assert "train-0 Failed" in result["msg"]
    assert result["phase"] == "Failed" and "workload" not in result
    assert set(result["pods"][0]) == {"id", "name", "k8sPhase", "nodeName"}


def test_a_wait_timeout_fails_with_the_last_state(module_env, scripted_transport):
    expect_lookup(scripted_transport, listed(phase="Pending"))
    scripted_transport.expect("GET", V2_ONE, body=stored())
    scripted_transport.expect("GET", V1_ONE, body=listed(phase="Pending", phaseMessage="waiting for GPUs"))

    result, failed = module_env(scripted_transport, name="train", project="team-a", manifest=JOB, wait=True,
                                wait_timeout=2, wait_sleep=2)

    assert failed and result["changed"] is False
    assert "Timed out after 2 s" in result["msg"] and "last phase Pending: waiting for GPUs" in result["msg"]
    assert result["phase"] == "Pending" and result["phase_message"] == "waiting for GPUs"


# -- absent -----------------------------------------------------------------------------------------------------------


def test_absent_deletes_and_waits_until_gone(module_env, scripted_transport):
    expect_lookup(scripted_transport, listed())
    scripted_transport.expect("GET", V2_ONE, body=stored())
    scripted_transport.expect("DELETE", V2_ONE, 202, body=stored()["workload"])
    scripted_transport.expect("GET", V2_ONE, body=stored(sync="Deleting"))
    scripted_transport.expect("GET", V2_ONE, 404, body={"code": 404, "message": "Resource id not found."})

    result, failed = module_env(scripted_transport, name="train", project="team-a", state="absent", wait=True)

    assert not failed and result["changed"] is True and "deleted" in result["msg"]
    assert result["duration"] == 2.0


def test_absent_in_diff_mode_shows_what_goes(module_env, scripted_transport):
    expect_lookup(scripted_transport, listed())
    scripted_transport.expect("GET", V2_ONE, body=stored())

    result, failed = module_env(scripted_transport, check=True, diff=True, name="train", project="team-a",
                                state="absent")

    assert not failed and result["changed"] is True and "would be deleted" in result["msg"]
    assert result["diff"]["after"] == {"state": "absent"}
    assert result["diff"]["before"]["manifest"] == JOB


@pytest.mark.parametrize("found", [[], [listed(phase="Deleting", deletedAt="2026-01-01T00:00:00Z")]])
def test_absent_when_gone_or_going_is_unchanged(module_env, scripted_transport, found):
    expect_lookup(scripted_transport, *found)

    result, failed = module_env(scripted_transport, name="train", project="team-a", state="absent")

    assert not failed and result["changed"] is False
    assert len(scripted_transport.calls) == 2


# -- bad input: refused before any request ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options, words",
    [
        (dict(manifest="- not\n- a mapping\n"), "'manifest'"),
        (dict(manifest="kind: [unclosed"), "not valid YAML"),
        (dict(manifest={"apiVersion": "v1", "kind": "ConfigMap", "data": {"x": "y" * 1600000}}), "at most 2097152"),
        (dict(name="Train_01"), "'name'"),
        (dict(name="x" * 64), "'name'"),
        (dict(src="/tmp/job.yaml"), "not both"),
        (dict(manifest=None), "'manifest' or 'src'"),
        (dict(project=None), "'project'"),
        (dict(project_id="7"), "exactly one of 'project'"),
        (dict(wait_for=["Runing"]), "wait_for"),
        (dict(priority="urgent"), "priority"),
        (dict(wait_sleep=0), "'wait_sleep'"),
        (dict(cluster_id="cluster-one"), "'cluster_id': 'cluster-one' is not a UUID"),
        (dict(name=""), "a workload name is required"),
    ],
)
def test_bad_input_is_refused_naming_the_option_before_any_request(module_env, scripted_transport, options, words):
    args = dict(name="train", project="team-a", manifest=JOB)
    args.update(options)
    args = dict((key, value) for key, value in args.items() if value is not None)

    result, failed = module_env(scripted_transport, **args)

    assert failed and words in result["msg"]
    assert scripted_transport.calls == []


def test_an_unknown_project_fails_and_creates_nothing(module_env, scripted_transport):
    expect_lookup(scripted_transport)
    scripted_transport.expect("GET", PROJECTS, body={"projects": []})
    scripted_transport.expect("GET", PROJECTS, body={"projects": [{"name": "team-b", "id": "8"}]})

    result, failed = module_env(scripted_transport, name="train", project="team-a", manifest=JOB)

    assert failed and "no project named 'team-a'" in result["msg"]
    assert "POST" not in [call["method"] for call in scripted_transport.calls[1:]]


def test_secrets_never_reach_the_output(monkeypatch, scripted_transport, capsys):
    monkeypatch.setattr(module_entry, "RunaiClient", lambda **kwargs: RunaiClient(transport=scripted_transport, **kwargs))
    expect_lookup(scripted_transport, listed())
    scripted_transport.expect("GET", V2_ONE, body=stored())
    args = dict(url=scripted_transport.base_url, client_id="app", client_secret=SECRET, name="train",
                project="team-a", manifest=JOB, _ansible_diff=True)
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            runai_workload.main()

    output = capsys.readouterr()
    assert json.loads(output.out)["changed"] is False
    assert SECRET not in output.out + output.err and TOKEN not in output.out + output.err


# -- conflicts and updates that wait -----------------------------------------------------------------------------------


def test_an_update_with_wait_lets_the_change_apply_before_reading_the_phase(module_env, scripted_transport):
    expect_lookup(scripted_transport, listed())
    scripted_transport.expect("GET", V2_ONE, body=stored())
    expect_level(scripted_transport)
    scripted_transport.expect("PUT", V2_ONE, 202, body=stored(priority="high")["workload"])
    scripted_transport.expect("GET", V2_ONE, body=stored(priority="high", sync="Applying"))
    scripted_transport.expect("GET", V2_ONE, body=stored(priority="high", sync="Synced"))
    scripted_transport.expect("GET", V1_ONE, body=listed(phase="Running"))

    result, failed = module_env(scripted_transport, name="train", project="team-a", manifest=JOB, priority="high",
                                wait=True, wait_sleep=1)

    assert not failed and result["changed"] is True and result["phase"] == "Running" and result["duration"] == 1.0


def test_a_conflict_with_a_workload_being_deleted_waits_it_out_and_creates_once_more(module_env, scripted_transport):
    deleting = listed(phase="Deleting", deletedAt="2026-01-01T00:00:00Z")
    expect_lookup(scripted_transport)
    scripted_transport.expect("GET", PROJECTS, body=projects("team-a"))
    expect_level(scripted_transport)
    scripted_transport.expect("POST", V2, 409, body={"code": 409, "message": "Resource with this name already exists"})
    scripted_transport.expect("GET", V1_LIST, body={"workloads": [deleting]})
    scripted_transport.expect("GET", V2_ONE, 404, body={"code": 404, "message": "Resource id not found."})
    scripted_transport.expect("POST", V2, 202, body=stored()["workload"])

    result, failed = module_env(scripted_transport, name="train", project="team-a", manifest=JOB)

    assert not failed and result["changed"] is True and result["id"] == WID


def test_check_mode_with_a_workload_being_deleted_reports_the_create_to_come(module_env, scripted_transport):
    deleting = listed(phase="Deleting", deletedAt="2026-01-01T00:00:00Z")
    expect_lookup(scripted_transport, deleting)
    scripted_transport.expect("GET", PROJECTS, body=projects("team-a"))
    expect_level(scripted_transport)
    scripted_transport.expect("POST", V2, 409, body={"code": 409, "message": "Resource with this name already exists"})
    scripted_transport.expect("GET", V1_LIST, body={"workloads": [deleting]})

    result, failed = module_env(scripted_transport, check=True, name="train", project="team-a", manifest=JOB)

    assert not failed and result["changed"] is True
    assert "once the workload of that name being deleted is gone" in result["msg"]


def test_a_409_without_any_visible_workload_fails_saying_so(module_env, scripted_transport):
    expect_lookup(scripted_transport)
    scripted_transport.expect("GET", PROJECTS, body=projects("team-a"))
    expect_level(scripted_transport)
    scripted_transport.expect("POST", V2, 409, body={"code": 409, "message": "Resource with this name already exists"})
    for _look in range(3):  # read back at 0, 30 and 60 s: the v1 listing may lag behind the create that took the name
        scripted_transport.expect("GET", V1_LIST, body={"workloads": []})

    result, failed = module_env(scripted_transport, name="train", project="team-a", manifest=JOB, wait_sleep=30)

    assert failed and result["status"] == 409 and "this module cannot see" in result["msg"]


# -- batch waits: one listing per project per poll ---------------------------------------------------------------------

CREATED_AT = "2026-01-15T10:30:00.250Z"
SINCE = "createdAt>=2026-01-15T10:29:00Z"  # the earliest creation, to the second, less a minute of slack
BATCH_IDS = dict((name, "7c1f0a2e-0000-4000-8000-%012d" % index)
                 for index, name in enumerate(["wl-0", "wl-1", "wl-2", "ok", "bad", "stuck", "upd"]))


def batch_listed(name, phase, **fields):
    return listed(name=name, id=BATCH_IDS[name], phase=phase, createdAt=CREATED_AT, **fields)


def batch_stored(name, **metadata):
    return stored(id=BATCH_IDS[name], name=name, createdAt=CREATED_AT, **metadata)


def expect_listing(transport, filter_by, *workloads):
    def check(call):
        assert call["params"] == {"filterBy": filter_by, "offset": 0, "limit": 500}

    transport.expect("GET", V1_LIST, body={"workloads": list(workloads)}, check=check)


def expect_create(transport, name):
    transport.expect("POST", V2, 202, body=batch_stored(name)["workload"],
                     check=lambda call: _assert_body_metadata(call, {"name": name, "projectId": "7", "clusterId": CLUSTER}))


def test_a_batch_waits_with_one_listing_per_poll_instead_of_one_get_per_workload(module_env, scripted_transport):
    scripted_transport.expect_token(TOKEN)
    expect_listing(scripted_transport, "projectName==team-a", batch_listed("wl-2", "Running"))  # finding them
    scripted_transport.expect("GET", PROJECTS, body=projects("team-a"))
    expect_level(scripted_transport)
    expect_create(scripted_transport, "wl-0")
    expect_create(scripted_transport, "wl-1")
    scripted_transport.expect("GET", "%s/%s" % (V2, BATCH_IDS["wl-2"]), body=batch_stored("wl-2"))
    # waiting: wl-2 was already Running in the listing that found it; wl-1 is not visible at the first look
    expect_listing(scripted_transport, "name=^wl-,%s,projectName==team-a" % SINCE, batch_listed("wl-0", "Creating"))
    expect_listing(scripted_transport, "name=^wl-,%s,projectName==team-a" % SINCE,
                   batch_listed("wl-0", "Running"), batch_listed("wl-1", "Running"), batch_listed("wl-2", "Running"))

    result, failed = module_env(scripted_transport, project="team-a", manifest=JOB, wait=True, wait_sleep=3,
                                parallelism=1, workloads=[dict(name="wl-0"), dict(name="wl-1"), dict(name="wl-2")])

    assert not failed and result["changed"] is True
    assert [(item["name"], item["changed"], item["phase"], item["duration"]) for item in result["results"]] == [
        ("wl-0", True, "Running", 3.0), ("wl-1", True, "Running", 3.0), ("wl-2", False, "Running", 0.0)]
    assert [item["id"] for item in result["results"]] == [BATCH_IDS["wl-0"], BATCH_IDS["wl-1"], BATCH_IDS["wl-2"]]
    assert all("reached phase Running" in item["msg"] for item in result["results"])
    assert not any(re.match(r"/api/v1/workloads/.", call["path"]) for call in scripted_transport.calls)


def test_a_batch_wait_fails_only_the_items_that_fail_each_for_its_own_reason(module_env, scripted_transport):
    scripted_transport.expect_token(TOKEN)
    expect_listing(scripted_transport, "projectName==team-a")
    scripted_transport.expect("GET", PROJECTS, body=projects("team-a"))
    expect_level(scripted_transport)
    for name in ("ok", "bad", "stuck"):
        expect_create(scripted_transport, name)
    # no shared prefix: the listing is narrowed by creation time and project only
    every = "%s,projectName==team-a" % SINCE
    expect_listing(scripted_transport, every, batch_listed("ok", "Creating"),
                   batch_listed("bad", "Failed", phaseMessage="container exited with code 1"),
                   batch_listed("stuck", "Pending", phaseMessage="waiting for GPUs"))
    scripted_transport.expect("GET", "%s/%s" % (V2, BATCH_IDS["bad"]), body=batch_stored("bad"))
    scripted_transport.expect("GET", "/api/v1/workloads/%s/pods" % BATCH_IDS["bad"],
                              body={"pods": [{"name": "bad-0", "k8sPhase": "Failed"}]})
    expect_listing(scripted_transport, every, batch_listed("ok", "Running"),
                   batch_listed("stuck", "Pending", phaseMessage="waiting for GPUs"))

    result, failed = module_env(scripted_transport, project="team-a", manifest=JOB, wait=True, wait_sleep=3,
                                parallelism=1, workloads=[dict(name="ok"), dict(name="bad"),
                                                          dict(name="stuck", wait_timeout=3)])

    assert failed and result["changed"] is True and result["msg"].startswith("2 of 3 workloads failed")
    ok, bad, stuck = result["results"]
    assert (ok["name"], ok["failed"], ok["phase"], ok["duration"]) == ("ok", False, "Running", 3.0)
    assert (bad["name"], bad["failed"], bad["changed"], bad["id"], bad["phase"]) == (
        "bad", True, True, BATCH_IDS["bad"], "Failed")
    assert "reached phase Failed" in bad["msg"] and "container exited with code 1" in bad["msg"]
    assert "bad-0 Failed" in bad["msg"] and bad["workload"] is None and bad["id"] == BATCH_IDS["bad"]
    assert (stuck["name"], stuck["failed"], stuck["changed"], stuck["phase"]) == ("stuck", True, True, "Pending")
    assert "Timed out after 3 s" in stuck["msg"] and "last phase Pending: waiting for GPUs" in stuck["msg"]
    assert stuck["phase_message"] == "waiting for GPUs"


def test_a_batch_item_that_was_updated_still_waits_for_the_change_to_apply_by_id(module_env, scripted_transport):
    upd_v2 = "%s/%s" % (V2, BATCH_IDS["upd"])
    scripted_transport.expect_token(TOKEN)
    expect_listing(scripted_transport, "projectName==team-a", batch_listed("upd", "Running"))
    scripted_transport.expect("GET", upd_v2, body=batch_stored("upd"))
    expect_level(scripted_transport)
    scripted_transport.expect("PUT", upd_v2, 202, body=batch_stored("upd", priority="high")["workload"])
    scripted_transport.expect("GET", upd_v2, body=batch_stored("upd", priority="high", sync="Synced"))
    scripted_transport.expect("GET", "/api/v1/workloads/%s" % BATCH_IDS["upd"], body=batch_listed("upd", "Running"))
    scripted_transport.expect("GET", PROJECTS, body=projects("team-a"))
    expect_create(scripted_transport, "wl-0")  # the level read for the update serves the create too
    expect_listing(scripted_transport, "name==wl-0,%s,projectName==team-a" % SINCE, batch_listed("wl-0", "Running"))

    result, failed = module_env(scripted_transport, project="team-a", manifest=JOB, wait=True, parallelism=1,
                                workloads=[dict(name="upd", priority="high"), dict(name="wl-0")])

    assert not failed
    assert [(item["name"], item["changed"], item["phase"]) for item in result["results"]] == [
        ("upd", True, "Running"), ("wl-0", True, "Running")]


def test_a_batch_that_does_not_wait_polls_nothing(module_env, scripted_transport):
    scripted_transport.expect_token(TOKEN)
    expect_listing(scripted_transport, "projectName==team-a")
    scripted_transport.expect("GET", PROJECTS, body=projects("team-a"))
    expect_level(scripted_transport)
    expect_create(scripted_transport, "wl-0")

    result, failed = module_env(scripted_transport, project="team-a", manifest=JOB, workloads=[dict(name="wl-0")])

    assert not failed and result["results"][0]["phase"] is None and "duration" not in result["results"][0]


# -- control plane levels: check mode, update, metadata ---------------------------------------------------------------

LOCAL_LEVELS = [
    ("2.23.17", "2.23"),  # no dryRun there: a server ignores a query parameter it does not know, so it would create
    ("garbage", "unknown"),  # a version that cannot be read
    (None, "unknown"),  # no cluster reports a version
]


@pytest.mark.parametrize("version, label", LOCAL_LEVELS)
def test_check_mode_validates_a_create_locally_and_sends_no_write_where_dry_run_is_not_known(
        module_env, scripted_transport, version, label):
    expect_lookup(scripted_transport)
    scripted_transport.expect("GET", PROJECTS, body=projects("team-a"))
    expect_level(scripted_transport, version)

    result, failed = module_env(scripted_transport, check=True, diff=True, name="train", project="team-a",
                                manifest=JOB, priority="high")

    assert not failed and result["changed"] is True and result["id"] is None
    assert result["check_mode_validation"] == "local"
    assert label in result["msg"] and "would be created" in result["msg"]
    assert result["diff"]["after"]["metadata"] == {"priority": "high"}
    assert not [call for call in scripted_transport.calls if call["method"] in ("PUT", "DELETE")
                or (call["method"] == "POST" and call["path"] != "/api/v1/token")]


def test_check_mode_validates_locally_when_the_clusters_cannot_be_listed(module_env, scripted_transport):
    expect_lookup(scripted_transport)
    scripted_transport.expect("GET", PROJECTS, body=projects("team-a"))
    scripted_transport.expect("GET", CLUSTERS, 403, body={"code": 403, "message": "Forbidden"})

    result, failed = module_env(scripted_transport, check=True, name="train", project="team-a", manifest=JOB)

    assert not failed and result["check_mode_validation"] == "local" and "403" in result["msg"]


@pytest.mark.parametrize("version", ["2.24.3", "v3.0.1", "2.26.0"])
def test_check_mode_uses_the_server_dry_run_where_the_level_honours_it(module_env, scripted_transport, version):
    expect_lookup(scripted_transport)
    scripted_transport.expect("GET", PROJECTS, body=projects("team-a"))
    expect_level(scripted_transport, version)
    scripted_transport.expect("POST", V2, 202, body=stored()["workload"],
                              check=lambda call: _assert_params(call, {"dryRun": "true"}))

    result, failed = module_env(scripted_transport, check=True, name="train", project="team-a", manifest=JOB)

    assert not failed and result["check_mode_validation"] == "server" and "dry run" in result["msg"]


def test_on_2_23_a_create_sends_only_the_metadata_that_level_stores(module_env, scripted_transport):
    sent = {}
    expect_lookup(scripted_transport)
    scripted_transport.expect("GET", PROJECTS, body=projects("team-a"))
    expect_level(scripted_transport, "2.23.4")
    scripted_transport.expect("POST", V2, 202, body=stored()["workload"], check=lambda call: sent.update(call["json"]))

    result, failed = module_env(scripted_transport, name="train", project="team-a", manifest=JOB, priority="high",
                                preemptibility="non-preemptible")

    assert not failed and result["changed"] is True
    assert sent["metadata"] == {"name": "train", "projectId": "7", "priority": "high"}  # no clusterId, no preemptibility
    assert any("2.23 does not store preemptibility" in warning for warning in result["warnings"])


def test_on_2_23_metadata_the_level_does_not_store_is_not_compared(module_env, scripted_transport):
    answer = stored()
    del answer["workload"]["metadata"]["preemptibility"]  # 2.23's WorkloadV2Metadata has no such field
    expect_lookup(scripted_transport, listed())
    scripted_transport.expect("GET", V2_ONE, body=answer)
    expect_level(scripted_transport, "2.23.4")

    result, failed = module_env(scripted_transport, name="train", project="team-a", manifest=JOB,
                                preemptibility="non-preemptible")

    assert not failed and result["changed"] is False


def test_on_2_23_a_change_that_needs_an_update_fails_naming_the_level_and_the_way_out(module_env, scripted_transport):
    expect_lookup(scripted_transport, listed())
    scripted_transport.expect("GET", V2_ONE, body=stored())
    expect_level(scripted_transport, "2.23.4")

    result, failed = module_env(scripted_transport, name="train", project="team-a", manifest=JOB, priority="high")

    assert failed and result["changed"] is False
    assert "control plane 2.23 cannot update" in result["msg"] and "'recreate: true'" in result["msg"]
    assert "metadata.priority" in result["msg"]
    assert [call["method"] for call in scripted_transport.calls] == ["POST", "GET", "GET", "GET"]  # nothing written


def _recreate_expectations(transport, version="2.23.4"):
    expect_lookup(transport, listed())
    transport.expect("GET", V2_ONE, body=stored())
    expect_level(transport, version)


def test_recreate_in_check_mode_reports_the_delete_and_create_and_sends_nothing(module_env, scripted_transport):
    _recreate_expectations(scripted_transport)

    result, failed = module_env(scripted_transport, check=True, diff=True, name="train", project="team-a",
                                manifest=JOB, priority="high", recreate=True)

    assert not failed and result["changed"] is True and result["check_mode_validation"] == "local"
    assert "would be deleted and created again" in result["msg"]
    assert result["diff"]["before"]["metadata"]["priority"] == "medium"
    assert result["diff"]["after"]["metadata"]["priority"] == "high"


def test_recreate_deletes_waits_until_gone_and_creates_again(module_env, scripted_transport):
    new_id = "5d1f4e0a-2b6c-4c1e-9a0e-7f3b2d1c0e9f"
    sent = {}
    _recreate_expectations(scripted_transport)
    scripted_transport.expect("DELETE", V2_ONE, 202, body=stored()["workload"])
    scripted_transport.expect("GET", V2_ONE, body=stored(sync="Deleting"))
    scripted_transport.expect("GET", V2_ONE, body=stored(sync="Deleted"))  # deleted, still readable: done
    scripted_transport.expect("GET", PROJECTS, body=projects("team-a"))
    scripted_transport.expect("POST", V2, 202, body=stored(id=new_id, priority="high")["workload"],
                              check=lambda call: sent.update(call["json"]))

    result, failed = module_env(scripted_transport, name="train", project="team-a", manifest=JOB, priority="high",
                                recreate=True)

    assert not failed and result["changed"] is True and result["id"] == new_id
    assert "deleted and created again" in result["msg"] and "2.23 cannot update" in result["msg"]
    assert sent["metadata"]["priority"] == "high"


def test_a_different_kind_is_recreated_on_any_level_when_asked(module_env, scripted_transport):
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "train"}, "spec": {}}
    expect_lookup(scripted_transport, listed())
    scripted_transport.expect("GET", V2_ONE, body=stored())

    result, failed = module_env(scripted_transport, check=True, name="train", project="team-a",
                                manifest=deployment, recreate=True)

    assert not failed and result["changed"] is True and "manifest.kind cannot change" in result["msg"]


@pytest.mark.parametrize("status", [405, 404])
def test_a_put_the_server_does_not_route_fails_with_the_way_out(module_env, scripted_transport, status):
    _recreate_expectations(scripted_transport, "2.24.3")
    scripted_transport.expect("PUT", V2_ONE, status, body={"code": status, "message": "no route"})
    if status == 404:  # a 404 is a missing route only while the workload is still there
        scripted_transport.expect("GET", V2_ONE, body=stored())

    result, failed = module_env(scripted_transport, name="train", project="team-a", manifest=JOB, priority="high")

    assert failed and result["changed"] is False
    assert "PUT answered %d" % status in result["msg"] and "'recreate: true'" in result["msg"]


def test_a_put_404_for_a_workload_gone_meanwhile_is_not_taken_for_a_missing_route(module_env, scripted_transport):
    _recreate_expectations(scripted_transport, "2.24.3")
    scripted_transport.expect("PUT", V2_ONE, 404, body={"code": 404, "message": "Resource id not found."})
    scripted_transport.expect("GET", V2_ONE, 404, body={"code": 404, "message": "Resource id not found."})

    result, failed = module_env(scripted_transport, name="train", project="team-a", manifest=JOB, priority="high")

    assert failed and result["status"] == 404 and "recreate" not in result["msg"]


# -- deletion that stays readable ---------------------------------------------------------------------------------------


def test_until_gone_ends_when_the_v2_answer_says_deleted_though_still_readable(module_env, scripted_transport):
    expect_lookup(scripted_transport, listed())
    scripted_transport.expect("GET", V2_ONE, body=stored())
    scripted_transport.expect("DELETE", V2_ONE, 202, body=stored()["workload"])
    deleted = stored(sync="Deleted", deletedAt="2026-01-01T00:00:00Z")
    deleted["workload"]["desiredPhase"] = "Deleted"
    scripted_transport.expect("GET", V2_ONE, body=deleted)

    result, failed = module_env(scripted_transport, name="train", project="team-a", state="absent", wait=True,
                                wait_timeout=10)

    assert not failed and result["changed"] is True and result["duration"] == 0.0


@pytest.mark.parametrize("sync", ["Deleting", "Deleted"])
def test_absent_is_unchanged_when_only_the_v2_answer_shows_the_deletion(module_env, scripted_transport, sync):
    # The v1 listing lags: it still shows the workload Running after the delete.
    expect_lookup(scripted_transport, listed())
    scripted_transport.expect("GET", V2_ONE, body=stored(sync=sync, deletedAt="2026-01-01T00:00:00Z"))

    result, failed = module_env(scripted_transport, name="train", project="team-a", state="absent")

    assert not failed and result["changed"] is False and "already being deleted" in result["msg"]


# -- v1 lag: a create's own 409 read back -------------------------------------------------------------------------------


def test_a_lost_create_answer_under_v1_lag_converges_on_its_own_409_without_a_duplicate(module_env, scripted_transport):
    expect_lookup(scripted_transport)
    scripted_transport.expect("GET", PROJECTS, body=projects("team-a"))
    expect_level(scripted_transport)
    scripted_transport.expect("POST", V2, raises=TransportError(TransportError.BROKEN, "Connection aborted.",
                                                                request_sent=True))
    scripted_transport.expect("GET", V1_LIST, body={"workloads": []})  # did it land? the listing does not say yet
    scripted_transport.expect("POST", V2, 409, body={"code": 409, "message": "Resource with this name already exists"})
    scripted_transport.expect("GET", V1_LIST, body={"workloads": []})  # the read back, still lagging
    scripted_transport.expect("GET", V1_LIST, body={"workloads": [listed(phase="Creating")]})
    scripted_transport.expect("GET", V2_ONE, body=stored(sync="Applying"))

    result, failed = module_env(scripted_transport, name="train", project="team-a", manifest=JOB, priority="medium")

    assert not failed and result["changed"] is True and result["id"] == WID
    assert "answer was lost" in result["msg"]


def test_a_rerun_right_after_a_create_is_unchanged_though_the_listing_lags(module_env, scripted_transport):
    expect_lookup(scripted_transport)  # not listed yet
    scripted_transport.expect("GET", PROJECTS, body=projects("team-a"))
    expect_level(scripted_transport)
    scripted_transport.expect("POST", V2, 409, body={"code": 409, "message": "Resource with this name already exists"})
    scripted_transport.expect("GET", V1_LIST, body={"workloads": [listed(phase="Creating")]})
    scripted_transport.expect("GET", V2_ONE, body=stored())

    result, failed = module_env(scripted_transport, name="train", project="team-a", manifest=JOB, priority="medium")

    assert not failed and result["changed"] is False and result["id"] == WID
