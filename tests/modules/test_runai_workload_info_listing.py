# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""runai_workload_info's long listings against a simulator holding thousands of workloads: every page read once,
the server's order kept, and each workload trimmed to the fields asked for."""

from ansible_collections.runai.platform.plugins.modules import runai_workload_info

LISTING = "GET /api/v1/workloads"


def test_a_long_listing_comes_back_whole_and_in_order_one_request_per_page(run_module, preloaded_simulator):
    token = preloaded_simulator.token()
    preloaded_simulator.forget_requests()

    result, failed = run_module(preloaded_simulator, runai_workload_info.main, client_id=None, client_secret=None,
                                token=token)

    assert not failed, result["msg"]
    assert preloaded_simulator.requests(LISTING) == 5 and result["api"]["requests"] == 5  # 2,345 by 500 a page
    raw = preloaded_simulator.workloads()
    assert len(raw) == 2345
    assert [item["id"] for item in result["workloads"]] == [item["id"] for item in raw]


def test_fields_return_only_those_fields_of_every_workload(run_module, preloaded_simulator):
    result, failed = run_module(preloaded_simulator, runai_workload_info.main,
                                fields=["id", "name", "allocatedResources.gpu"])

    assert not failed, result["msg"]
    raw = preloaded_simulator.workloads()
    assert len(result["workloads"]) == len(raw) == 2345
    assert result["workloads"] == [{"id": item["id"], "name": item["name"],
                                    "allocatedResources": {"gpu": item["allocatedResources"]["gpu"]}} for item in raw]
    # What runai_workload needs to act on them stays, whatever the fields kept.
    assert result["batch_items"] == [{"name": item["name"], "project": item["projectName"],
                                      "cluster_id": item["clusterId"]} for item in raw]


def test_hidden_fields_leave_those_fields_out_of_every_workload(run_module, preloaded_simulator):
    result, failed = run_module(preloaded_simulator, runai_workload_info.main,
                                hidden_fields=["clusterId", "allocatedResources.cpu"])

    assert not failed, result["msg"]
    raw = preloaded_simulator.workloads()
    assert [item["id"] for item in result["workloads"]] == [item["id"] for item in raw]
    for returned, read in zip(result["workloads"], raw):
        assert set(returned) == set(read) - {"clusterId"}
        assert returned["allocatedResources"] == {key: value for key, value in read["allocatedResources"].items()
                                                  if key != "cpu"}
