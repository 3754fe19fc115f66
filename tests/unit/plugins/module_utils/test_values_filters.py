# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
from datetime import datetime, timezone

import pytest

from ansible_collections.runai.platform.plugins.module_utils.api.errors import RunaiInputError
from ansible_collections.runai.platform.plugins.module_utils.module.options import (
    WORKLOAD_PHASES,
    check_limit,
    check_uuid,
    refuse_options,
)
from ansible_collections.runai.platform.plugins.module_utils.values.fields import (
    WORKLOAD_FIELDS,
    field_paths,
    hide_fields,
    keep_fields,
)
from ansible_collections.runai.platform.plugins.module_utils.values.filters import (
    FILTER_OPERATORS,
    POD_FILTERS,
    POD_SORT_FIELDS,
    WORKLOAD_FILTERS,
    WORKLOAD_SORT_FIELDS,
    check_expressions,
    listing_query,
    phase_expressions,
    workload_filter_expressions,
)
from ansible_collections.runai.platform.plugins.module_utils.workloads.find import single_workload

NOW = datetime(2026, 1, 31, 12, 0, 0, tzinfo=timezone.utc)
CLUSTER = "71f69d83-ba66-4822-adf5-55ce55efd210"
SPEC = os.path.join(os.path.dirname(__file__), "fixtures", "runai-v1-reference-enums.json")
WORKLOAD_SCHEMA = os.path.join(os.path.dirname(__file__), "fixtures", "runai-v1-workload-fields.json")
LIST, COUNT = "/api/v1/workloads", "/api/v1/workloads/count"


def workload_params(**given):
    params = dict(name=None, project=None, cluster_id=None, phase=None, name_prefix=None, submitted_by=None,
                  created_after=None, created_before=None, min_gpus=None, filter_by=None)
    params.update(given)
    return params


def test_no_plain_filter_sends_no_expression():
    assert workload_filter_expressions(workload_params(), NOW) == []


def test_each_plain_option_becomes_its_filter_expression():
    expressions = workload_filter_expressions(
        workload_params(
            name="train", project="team-a", cluster_id=CLUSTER, phase=["Running"], name_prefix="tr",
            submitted_by="alice@example.com", created_after="-1d", created_before="2026-01-31T10:00:00+01:00",
            min_gpus=2.0, filter_by=["category==Train"],
        ),
        NOW,
    )
    assert expressions == [
        "name==train",
        "projectName==team-a",
        "clusterId==%s" % CLUSTER,
        "phase==Running",
        "name=^tr",
        "submittedBy==alice@example.com",
        "createdAt>=2026-01-30T12:00:00Z",
        "createdAt<=2026-01-31T09:00:00Z",
        "allocatedGPU>=2",
        "category==Train",
    ]


def test_fractional_gpus_keep_their_fraction():
    assert workload_filter_expressions(workload_params(min_gpus=0.5), NOW) == ["allocatedGPU>=0.5"]


def test_negative_gpus_are_refused():
    with pytest.raises(RunaiInputError) as caught:
        workload_filter_expressions(workload_params(min_gpus=-1), NOW)
    assert caught.value.option == "min_gpus"


def test_several_phases_exclude_every_other_phase_because_filters_are_anded():
    expressions = phase_expressions(["Running", "Pending", "Running"])
    assert len(expressions) == len(WORKLOAD_PHASES) - 2
    assert all(item.startswith("phase!=") for item in expressions)
    excluded = set(item[len("phase!="):] for item in expressions)
    assert excluded == set(WORKLOAD_PHASES) - {"Running", "Pending"}


def test_every_phase_is_no_filter_at_all():
    assert phase_expressions(list(WORKLOAD_PHASES)) == []
    assert phase_expressions([]) == []


def test_a_comma_in_a_plain_value_is_refused_naming_the_option():
    with pytest.raises(RunaiInputError) as caught:
        workload_filter_expressions(workload_params(submitted_by="a,b"), NOW)
    assert caught.value.option == "submitted_by" and "comma" in str(caught.value)


def test_a_relative_created_after_that_cannot_be_read_names_the_option():
    with pytest.raises(RunaiInputError) as caught:
        workload_filter_expressions(workload_params(created_after="last week"), NOW)
    assert caught.value.option == "created_after"


def test_a_cluster_id_that_is_not_a_uuid_is_refused():
    with pytest.raises(RunaiInputError) as caught:
        workload_filter_expressions(workload_params(cluster_id="cluster-1"), NOW)
    assert caught.value.option == "cluster_id" and "UUID" in str(caught.value)


@pytest.mark.parametrize("operator", FILTER_OPERATORS)
def test_raw_expressions_take_every_operator(operator):
    assert check_expressions("filter_by", ["name%sab" % operator], WORKLOAD_FILTERS) == ["name%sab" % operator]


@pytest.mark.parametrize(
    "raw, problem",
    [
        ("owner==alice", "unknown field 'owner'"),
        ("name~alice", "not a filter expression"),
        ("name==", "not a filter expression"),
        ("==alice", "not a filter expression"),
        ("createdAt=@2026", "date field 'createdAt' takes only"),
        ("name==a,b", "comma"),
    ],
)
def test_raw_expressions_the_api_would_refuse_are_refused_first(raw, problem):
    with pytest.raises(RunaiInputError) as caught:
        check_expressions("filter_by", [raw], WORKLOAD_FILTERS)
    assert caught.value.option == "filter_by" and problem in str(caught.value)


def test_pod_fields_differ_from_workload_fields():
    assert check_expressions("filter_by", ["nodeName==node-1"], POD_FILTERS) == ["nodeName==node-1"]
    with pytest.raises(RunaiInputError):
        check_expressions("filter_by", ["nodeName==node-1"], WORKLOAD_FILTERS)
    with pytest.raises(RunaiInputError):
        check_expressions("filter_by", ["phase==Running"], POD_FILTERS)


def test_the_grammar_matches_the_api_reference():
    """The fields, operators and sort enums are those of the v1 reference (copied into the fixture)."""
    with open(SPEC) as handle:
        reference = json.load(handle)
    for grammar, sort_fields, key in (
        (WORKLOAD_FILTERS, WORKLOAD_SORT_FIELDS, "workloads"),
        (POD_FILTERS, POD_SORT_FIELDS, "pods"),
    ):
        pattern = re.match(r"^\^\(([^)]*)\)\(([^)]*)\)", reference[key]["filter_pattern"])
        assert set(pattern.group(1).split("|")) == set(grammar.fields)
        assert pattern.group(2).replace("\\", "").split("|") == list(FILTER_OPERATORS)
        assert reference[key]["sort_enum"] == sort_fields


def test_the_listing_query_sends_only_what_was_asked():
    assert listing_query([]) == {}
    assert listing_query(["name==a", "phase==Running"], search="x", deleted=True, sort_by="name", sort_order="desc") == {
        "filterBy": "name==a,phase==Running",
        "search": "x",
        "deleted": "true",
        "sortBy": "name",
        "sortOrder": "desc",
    }


@pytest.mark.parametrize("value", ["nope", "71f69d83ba664822adf555ce55efd210", "71f69d83-ba66-4822-adf5-55ce55efd21"])
def test_ids_must_be_uuids(value):
    with pytest.raises(RunaiInputError) as caught:
        check_uuid("id", value)
    assert caught.value.option == "id" and value in str(caught.value)
    assert check_uuid("id", CLUSTER) == CLUSTER


@pytest.mark.parametrize("limit", [0, -5])
def test_a_limit_below_one_is_refused(limit):
    with pytest.raises(RunaiInputError) as caught:
        check_limit(limit)
    assert caught.value.option == "limit"
    check_limit(None)
    check_limit(1)


def test_options_that_do_not_apply_are_refused_by_name_but_defaults_are_not():
    refuse_options(dict(deleted=False, phase=[], min_gpus=None), ["deleted", "phase", "min_gpus"], "here")
    with pytest.raises(RunaiInputError) as caught:
        refuse_options(dict(deleted=False, min_gpus=0), ["deleted", "min_gpus"], "with 'id'")
    assert caught.value.option == "min_gpus" and "with 'id'" in str(caught.value)


def test_a_name_found_in_several_projects_asks_for_the_project():
    assert single_workload("name", [], "a") is None
    assert single_workload("name", [{"id": "1"}], "a") == {"id": "1"}
    with pytest.raises(RunaiInputError) as caught:
        single_workload("name", [{"projectName": "p1", "clusterId": "c"}, {"projectName": "p2", "clusterId": "c"}], "a")
    assert caught.value.option == "name" and "p1" in str(caught.value) and "'project'" in str(caught.value)


# A v1 workload as a listing returns it, with the kinds of values field paths meet: nested objects, a list, null.
WORKLOAD = {
    "id": "w1",
    "name": "train",
    "phase": "Running",
    "allocatedResources": {"gpu": 2.0, "cpu": 4.0, "cpuMemory": "8G"},
    "requestedPods": {"number": 2},
    "conditions": [{"type": "Ready", "status": "True"}],
    "completedAt": None,
    "actionsSupport": None,
}


def test_fields_keep_only_the_given_paths_nested_as_they_were():
    tree = field_paths("fields", ["name", "allocatedResources.gpu", "completedAt"], WORKLOAD_FIELDS)

    assert keep_fields(WORKLOAD, tree) == {"name": "train", "allocatedResources": {"gpu": 2.0}, "completedAt": None}


def test_a_path_a_workload_lacks_or_that_runs_into_a_list_or_null_is_left_out():
    tree = field_paths("fields", ["id", "priority", "conditions.type", "completedAt.day", "actionsSupport.delete"],
                       WORKLOAD_FIELDS)

    assert keep_fields(WORKLOAD, tree) == {"id": "w1"}


def test_a_whole_field_takes_in_the_paths_below_it_whatever_their_order():
    for paths in (["allocatedResources", "allocatedResources.gpu"], ["allocatedResources.gpu", "allocatedResources"]):
        tree = field_paths("fields", paths, WORKLOAD_FIELDS)
        assert keep_fields(WORKLOAD, tree) == {"allocatedResources": WORKLOAD["allocatedResources"]}


def test_hidden_fields_leave_out_the_given_paths_and_keep_the_rest():
    original = json.dumps(WORKLOAD, sort_keys=True)
    tree = field_paths("hidden_fields", ["conditions", "allocatedResources.cpuMemory", "requestedPods.max",
                                         "priority"], WORKLOAD_FIELDS)

    shown = hide_fields(WORKLOAD, tree)

    assert set(shown) == set(WORKLOAD) - {"conditions"}
    assert shown["allocatedResources"] == {"gpu": 2.0, "cpu": 4.0}
    assert shown["requestedPods"] == WORKLOAD["requestedPods"]
    assert json.dumps(WORKLOAD, sort_keys=True) == original, "the workload read from the API is not changed"


@pytest.mark.parametrize(
    "path, problem",
    [
        ("phse", "'phse' is not a field"),
        ("allocatedResources..gpu", "not a field path"),
        ("", "not a field path"),
        (".name", "not a field path"),
        ("childrenIds", "'childrenIds' is not a field"),
    ],
)
def test_field_paths_are_checked_before_anything_is_sent(path, problem):
    with pytest.raises(RunaiInputError) as caught:
        field_paths("fields", ["name", path], WORKLOAD_FIELDS)
    assert caught.value.option == "fields" and problem in str(caught.value)


def test_the_workload_fields_are_those_of_the_api_reference():
    """Every field of the v1 Workload object that a response carries (copied into the fixture)."""
    with open(WORKLOAD_SCHEMA) as handle:
        reference = json.load(handle)
    assert list(WORKLOAD_FIELDS) == [name for name in reference["properties"] if name not in reference["write_only"]]
