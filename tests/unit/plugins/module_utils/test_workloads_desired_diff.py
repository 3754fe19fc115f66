# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Normalise, compare and diff: the rules that decide whether a re-run changes anything."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import builtins
import copy
from decimal import Decimal

import pytest

from ansible_collections.runai.platform.plugins.module_utils.api.errors import RunaiInputError, RunaiMissingLibraryError
from ansible_collections.runai.platform.plugins.module_utils.workloads.desired import (
    MANIFEST_MAX_BASE64_CHARS,
    create_body,
    desired_workload,
    load_manifest,
    update_body,
    validate_workload_name,
)
from ansible_collections.runai.platform.plugins.module_utils.workloads.diff import (
    diff_for_create,
    diff_for_delete,
    diff_for_update,
    find_differences,
    format_path,
    parse_quantity,
    plan_update,
)

JOB = {
    "apiVersion": "batch/v1",
    "kind": "Job",
    "metadata": {"name": "train", "labels": {"team": "vision"}},
    "spec": {
        "parallelism": 2,
        "template": {
            "spec": {
                "restartPolicy": "Never",
                "containers": [
                    {
                        "name": "main",
                        "image": "pytorch:2.4",
                        "args": ["--epochs", "10"],
                        "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
                        "resources": {"limits": {"nvidia.com/gpu": 1, "memory": "1Gi", "cpu": "500m"}},
                    },
                    {"name": "sidecar", "image": "busybox"},
                ],
                "tolerations": [{"key": "gpu", "effect": "NoSchedule"}, {"key": "spot", "effect": "NoExecute"}],
            }
        },
    },
}


def container(manifest, index=0):
    return manifest["spec"]["template"]["spec"]["containers"][index]


def changed(edit):
    manifest = copy.deepcopy(JOB)
    edit(manifest)
    return manifest


# (what the stored copy looks like, the differences expected when JOB is desired)
COMPARE_CASES = [
    ("identical", lambda m: None, []),
    (
        "keys the server adds are ignored",
        lambda m: (m.update(status={"active": 1}), m["metadata"].update(uid="u-1", annotations={"x": "y"}),
                   container(m).update(imagePullPolicy="IfNotPresent", terminationMessagePath="/dev/log")),
        [],
    ),
    ("a number stored as a string is equal", lambda m: m["spec"].update(parallelism="2"), []),
    (
        "quantities under resources compare by value",
        lambda m: container(m)["resources"]["limits"].update({"nvidia.com/gpu": "1", "memory": "1024Mi", "cpu": 0.5}),
        [],
    ),
    (
        "containers match by name in any order",
        lambda m: m["spec"]["template"]["spec"]["containers"].reverse(),
        [],
    ),
    ("env entries match by name in any order", lambda m: container(m)["env"].reverse(), []),
    ("mappings without names match in any order", lambda m: m["spec"]["template"]["spec"]["tolerations"].reverse(), []),
    (
        "a stored list may hold more mappings than asked for",
        lambda m: container(m)["env"].append({"name": "INJECTED", "value": "by-server"}),
        [],
    ),
    (
        "a changed image is reported at its path",
        lambda m: container(m).update(image="pytorch:2.5"),
        [("spec", "template", "spec", "containers", 0, "image")],
    ),
    (
        "the order of plain values matters",
        lambda m: container(m).update(args=["10", "--epochs"]),
        [("spec", "template", "spec", "containers", 0, "args", 0), ("spec", "template", "spec", "containers", 0, "args", 1)],
    ),
    (
        "a plain list of another length differs",
        lambda m: container(m).update(args=["--epochs"]),
        [("spec", "template", "spec", "containers", 0, "args")],
    ),
    (
        "a different quantity differs",
        lambda m: container(m)["resources"]["limits"].update(memory="2Gi"),
        [("spec", "template", "spec", "containers", 0, "resources", "limits", "memory")],
    ),
    (
        "a missing key differs",
        lambda m: m["metadata"].pop("labels"),
        [("metadata", "labels")],
    ),
    (
        "a changed env value differs",
        lambda m: container(m)["env"][1].update(value="3"),
        [("spec", "template", "spec", "containers", 0, "env", 1, "value")],
    ),
    (
        "a mapping replaced by a plain value differs",
        lambda m: m["spec"].update(template="oops"),
        [("spec", "template")],
    ),
]


@pytest.mark.parametrize("stored_edit, expected", [case[1:] for case in COMPARE_CASES], ids=[c[0] for c in COMPARE_CASES])
def test_desired_is_compared_as_a_subset_of_what_was_stored(stored_edit, expected):
    assert find_differences(JOB, changed(stored_edit)) == expected


@pytest.mark.parametrize(
    "desired, stored, equal",
    [
        (True, "true", True),
        ("false", False, True),
        (True, 1, False),
        (1, True, False),
        ({}, None, True),
        ([], None, True),
        (None, None, True),
        ("1k", "1000", False),  # quantities count only under resources
        ("1", 1.0, True),
        ("abc", "abd", False),
    ],
)
def test_scalar_normalisation(desired, stored, equal):
    assert (find_differences({"x": desired}, {"x": stored}) == []) is equal


def test_empty_values_equal_missing_keys():
    assert find_differences({"a": {}, "b": [], "c": None}, {}) == []


@pytest.mark.parametrize(
    "text, value",
    [
        ("1Gi", Decimal(1024 ** 3)),
        ("1024Mi", Decimal(1024 ** 3)),
        ("500m", Decimal("0.5")),
        ("1.5", Decimal("1.5")),
        (2, Decimal(2)),
        ("1e3", Decimal(1000)),
        ("2k", Decimal(2000)),
        ("1G", Decimal(10 ** 9)),
        ("lots", None),
        (True, None),
    ],
)
def test_kubernetes_quantities(text, value):
    assert parse_quantity(text) == value


def test_a_yaml_string_and_a_dict_give_the_same_manifest():
    text = """
apiVersion: batch/v1
kind: Job
metadata:
  name: train
  annotations:
    created: 2024-01-15
spec:
  parallelism: 2
"""
    loaded = load_manifest(manifest=text)

    assert loaded == {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": "train", "annotations": {"created": "2024-01-15"}},
        "spec": {"parallelism": 2},
    }
    assert load_manifest(manifest=loaded) == loaded


def test_a_manifest_file_is_read_with_src(tmp_path):
    path = tmp_path / "job.yaml"
    path.write_text("apiVersion: v1\nkind: Pod\nspec: {containers: [{name: a, image: b}]}\n")

    assert load_manifest(src=str(path))["kind"] == "Pod"


@pytest.mark.parametrize(
    "kwargs, option, words",
    [
        (dict(manifest="- a\n- b\n"), "manifest", "must be a mapping"),
        (dict(manifest="just text"), "manifest", "must be a mapping"),
        (dict(manifest=""), "manifest", "empty document"),
        (dict(manifest="kind: [unclosed"), "manifest", "not valid YAML"),
        (dict(manifest="a: 1\n---\nb: 2\n"), "manifest", "not valid YAML"),
        (dict(manifest={"kind": "Job"}), "manifest", "no 'apiVersion'"),
        (dict(manifest={"apiVersion": "v1"}), "manifest", "no 'kind'"),
        (dict(), "manifest", "'manifest' or 'src'"),
        (dict(manifest={"apiVersion": "v1", "kind": "Pod"}, src="/tmp/x.yaml"), "manifest", "not both"),
        (dict(src="/nonexistent/job.yaml"), "src", "cannot read"),
    ],
)
def test_bad_manifests_are_refused_naming_the_option(kwargs, option, words):
    with pytest.raises(RunaiInputError) as caught:
        load_manifest(**kwargs)
    assert caught.value.option == option
    assert words in str(caught.value)


def test_a_manifest_over_the_api_size_limit_is_refused_before_sending():
    big = {"apiVersion": "v1", "kind": "ConfigMap", "data": {"blob": "x" * (MANIFEST_MAX_BASE64_CHARS * 3 // 4)}}

    with pytest.raises(RunaiInputError) as caught:
        load_manifest(manifest=big)
    assert "at most 2097152" in str(caught.value)


def test_a_manifest_just_under_the_limit_is_accepted():
    small = {"apiVersion": "v1", "kind": "ConfigMap", "data": {"blob": "x" * (MANIFEST_MAX_BASE64_CHARS * 3 // 4 - 200)}}

    assert load_manifest(manifest=small) is small


@pytest.mark.parametrize("name", ["a", "train-01", "x" * 63, "0abc"])
def test_kubernetes_names_are_accepted(name):
    assert validate_workload_name(name) == name


@pytest.mark.parametrize("name", ["", "Train", "train_01", "-train", "train-", "x" * 64, "a.b", "a b"])
def test_names_kubernetes_would_refuse_are_refused(name):
    with pytest.raises(RunaiInputError) as caught:
        validate_workload_name(name)
    assert caught.value.option == "name"


def stored(manifest=None, raw=True, **metadata):
    meta = {"id": "w-1", "name": "train", "projectId": "1", "projectName": "team-a", "priority": "medium",
            "category": "Train", "preemptibility": None}
    meta.update(metadata)
    manifest = copy.deepcopy(JOB if manifest is None else manifest)
    applied = copy.deepcopy(manifest)
    applied["metadata"].update(name="train", namespace="runai-team-a")
    workload = {"metadata": meta, "desiredPhase": "Running", "workloadManifest": applied}
    if raw:
        workload["rawManifest"] = manifest
    return workload


def test_an_unchanged_workload_plans_no_update():
    desired = desired_workload("train", JOB, priority="medium", category="Train")

    assert plan_update(desired, stored()) == ([], [])


def test_the_applied_manifest_is_used_when_the_raw_one_is_missing_and_its_name_is_ignored():
    manifest = changed(lambda m: m["metadata"].update(name="something-else"))
    desired = desired_workload("train", manifest)

    assert plan_update(desired, stored(raw=False)) == ([], [])


def test_metadata_the_task_does_not_set_is_not_compared():
    assert plan_update(desired_workload("train", JOB), stored(priority="high", category="Build")) == ([], [])


def test_a_priority_change_is_an_update_of_the_priority_only():
    desired = desired_workload("train", JOB, priority="high")
    differences, immutable = plan_update(desired, stored())

    assert differences == [("metadata", "priority")] and immutable == []
    assert update_body(desired, differences) == {"metadata": {"priority": "high"}}


def test_a_manifest_change_sends_the_whole_desired_manifest():
    manifest = changed(lambda m: container(m).update(image="pytorch:2.5"))
    desired = desired_workload("train", manifest, category="Train")
    differences, immutable = plan_update(desired, stored())

    assert immutable == []
    assert update_body(desired, differences) == {"manifest": manifest}


@pytest.mark.parametrize(
    "desired, path",
    [
        (desired_workload("train", JOB, preemptibility="non-preemptible"), ("metadata", "preemptibility")),
        (desired_workload("train", changed(lambda m: m.update(kind="CronJob"))), ("manifest", "kind")),
        (desired_workload("train", changed(lambda m: m.update(apiVersion="batch/v2"))), ("manifest", "apiVersion")),
    ],
)
def test_fields_the_api_cannot_update_are_flagged(desired, path):
    differences, immutable = plan_update(desired, stored())

    assert immutable == [path]


def test_the_update_diff_differs_only_in_the_changed_field():
    manifest = changed(lambda m: container(m).update(image="pytorch:2.5"))
    desired = desired_workload("train", manifest, priority="medium")
    diff = diff_for_update(desired, stored(manifest=changed(lambda m: m["spec"].update(parallelism="2"))), "team-a")

    assert diff["after"] == {"metadata": {"priority": "medium"}, "manifest": manifest}
    before = diff["before"]
    assert container(before["manifest"])["image"] == "pytorch:2.4"
    container(before["manifest"])["image"] = "pytorch:2.5"
    assert before == diff["after"]  # nothing else differs, not even the "2" stored for 2


def test_the_update_diff_keeps_only_managed_fields():
    desired = desired_workload("train", JOB, priority="high")
    server = stored(manifest=changed(lambda m: m.update(status={"secret-ish": "server"})))

    diff = diff_for_update(desired, server, "team-a")

    assert diff["before"]["metadata"] == {"priority": "medium"}
    assert "status" not in diff["before"]["manifest"]
    assert "id" not in diff["before"]["metadata"]


def test_create_and_delete_diffs_show_the_state_change():
    desired = desired_workload("train", JOB, category="Train")

    create = diff_for_create(desired, "team-a")
    delete = diff_for_delete("train", stored(), "team-a")

    assert create["before"] == {"state": "absent"}
    assert create["after"] == {"state": "present", "name": "train", "project": "team-a",
                               "metadata": {"category": "Train"}, "manifest": JOB}
    assert delete["after"] == {"state": "absent"}
    assert delete["before"]["state"] == "present"
    assert delete["before"]["metadata"] == {"priority": "medium", "category": "Train"}


def test_a_create_diff_without_metadata_shows_none():
    create = diff_for_create(desired_workload("train", JOB), "team-a")

    assert "metadata" not in create["after"] and create["after"]["manifest"] == JOB


def test_the_create_body_carries_the_project_cluster_and_metadata():
    desired = desired_workload("train", JOB, priority="high", preemptibility="preemptible")

    assert create_body(desired, "1", "c-1") == {
        "metadata": {"name": "train", "projectId": "1", "clusterId": "c-1", "priority": "high",
                     "preemptibility": "preemptible"},
        "manifest": JOB,
    }
    assert "clusterId" not in create_body(desired, "1")["metadata"]


def test_paths_read_like_yaml_paths():
    assert format_path(("manifest", "spec", "containers", 0, "image")) == "manifest.spec.containers[0].image"


@pytest.fixture
def without_pyyaml(monkeypatch):
    """Imports of yaml fail, as on a host where PyYAML is not installed."""
    real_import = builtins.__import__

    def import_without_yaml(name, *args, **kwargs):
        if name == "yaml":
            raise ImportError("No module named 'yaml'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", import_without_yaml)


def test_a_yaml_manifest_without_pyyaml_names_the_library_to_install(without_pyyaml):
    with pytest.raises(RunaiMissingLibraryError) as caught:
        load_manifest(manifest="kind: Pod\n")
    assert caught.value.library == "PyYAML" and "src" in caught.value.reason
    assert "No module named 'yaml'" in caught.value.import_traceback


def test_a_manifest_given_as_a_mapping_needs_no_yaml_library(without_pyyaml):
    assert load_manifest(manifest={"kind": "Pod", "apiVersion": "v1"})["kind"] == "Pod"
