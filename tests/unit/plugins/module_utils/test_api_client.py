# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import random

import pytest
import yaml

from ansible_collections.runai.platform.plugins.module_utils.api import client as api_client
from ansible_collections.runai.platform.plugins.module_utils.api.client import (
    RunaiClient,
    backoff_delay,
    parse_retry_after,
)
from ansible_collections.runai.platform.plugins.module_utils.api.errors import (
    RunaiAuthenticationError,
    RunaiBadRequestError,
    RunaiConflictError,
    RunaiConnectionError,
    RunaiInputError,
    RunaiNotFoundError,
    RunaiPermissionError,
    RunaiServerError,
)
from ansible_collections.runai.platform.plugins.module_utils.api.transport import TransportError

SECRET = "s3cr3t-client-secret"
CERTIFICATE_REFUSED = TransportError(TransportError.TLS, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed")
WORKLOADS = "/api/v1/workloads"
V2 = "/api/v2/workloads"


class Recorder(object):
    def __init__(self):
        self.warnings = []
        self.secrets = set()
        self.sleeps = []


@pytest.fixture
def recorder():
    return Recorder()


def make_client(transport, recorder, **overrides):
    options = dict(
        url=transport.base_url + "/",
        client_id="app",
        client_secret=SECRET,
        retries=3,
        warn=recorder.warnings.append,
        register_secret=recorder.secrets.add,
        sleep=recorder.sleeps.append,
        rng=random.Random(7),
        transport=transport,
    )
    options.update(overrides)
    return RunaiClient(**options)


def everything_said(recorder, error=None):
    return " ".join(recorder.warnings + ([str(error)] if error is not None else []))


# -- authentication ----------------------------------------------------------------------------------------------------


def test_client_credentials_are_exchanged_once_and_the_token_is_sent_and_hidden(scripted_transport, recorder):
    def token_request(call):
        assert call["json"] == {"grantType": "client_credentials", "clientID": "app", "clientSecret": SECRET}
        assert "Authorization" not in call["headers"]

    scripted_transport.expect("POST", "/api/v1/token", 200, {"accessToken": "tok-A"}, check=token_request)
    scripted_transport.expect("GET", WORKLOADS, body={"workloads": []})
    scripted_transport.expect("GET", WORKLOADS, body={"workloads": []})
    client = make_client(scripted_transport, recorder)

    client.get(WORKLOADS)
    client.get(WORKLOADS)

    assert [call["headers"].get("Authorization") for call in scripted_transport.calls[1:]] == ["Bearer tok-A"] * 2
    assert {"tok-A", SECRET} <= recorder.secrets
    assert client.request_count == 3


def test_a_given_token_is_used_without_an_exchange(scripted_transport, recorder):
    scripted_transport.expect("GET", WORKLOADS, body={"workloads": []})
    client = make_client(scripted_transport, recorder, token="given", client_id=None, client_secret=None)

    client.get(WORKLOADS)

    assert scripted_transport.calls[0]["headers"]["Authorization"] == "Bearer given"
    assert "given" in recorder.secrets


def test_an_expired_token_is_exchanged_once_more_and_the_call_repeated(scripted_transport, recorder):
    scripted_transport.expect_token("tok-A")
    scripted_transport.expect("GET", WORKLOADS, 401, {"code": 401, "message": "Issuer is not familiar."})
    scripted_transport.expect_token("tok-B")
    scripted_transport.expect("GET", WORKLOADS, body={"workloads": [{"id": "1"}]})
    client = make_client(scripted_transport, recorder)

    assert client.get(WORKLOADS) == {"workloads": [{"id": "1"}]}
    assert scripted_transport.calls[-1]["headers"]["Authorization"] == "Bearer tok-B"
    assert "tok-B" in recorder.secrets


def test_a_second_401_after_renewal_fails_naming_the_credentials(scripted_transport, recorder):
    scripted_transport.expect_token("tok-A")
    scripted_transport.expect("GET", WORKLOADS, 401, {"code": 401, "message": "Issuer is not familiar."})
    scripted_transport.expect_token("tok-B")
    scripted_transport.expect("GET", WORKLOADS, 401, {"code": 401, "message": "Issuer is not familiar."})
    client = make_client(scripted_transport, recorder)

    with pytest.raises(RunaiAuthenticationError) as caught:
        client.get(WORKLOADS)

    assert "client_id" in str(caught.value) and "GET /api/v1/workloads" in str(caught.value)
    assert caught.value.status == 401


def test_a_refused_given_token_is_renewed_with_client_credentials_when_they_are_set(scripted_transport, recorder):
    scripted_transport.expect("GET", WORKLOADS, 401, {"code": 401, "message": "Issuer is not familiar."})
    scripted_transport.expect_token("fresh")
    scripted_transport.expect("GET", WORKLOADS, body={"workloads": []})
    client = make_client(scripted_transport, recorder, token="play-token")

    assert client.get(WORKLOADS) == {"workloads": []}
    assert scripted_transport.calls[0]["headers"]["Authorization"] == "Bearer play-token"
    assert scripted_transport.calls[-1]["headers"]["Authorization"] == "Bearer fresh"


def test_a_refused_static_token_is_not_renewed_and_the_message_says_so(scripted_transport, recorder):
    scripted_transport.expect("GET", WORKLOADS, 401, {"code": 401, "message": "Issuer is not familiar."})
    client = make_client(scripted_transport, recorder, token="old", client_id=None, client_secret=None)

    with pytest.raises(RunaiAuthenticationError) as caught:
        client.get(WORKLOADS)

    assert "RUNAI_TOKEN" in str(caught.value) and "expired" in str(caught.value)


@pytest.mark.parametrize("status", [400, 401, 403])
def test_wrong_client_credentials_fail_at_the_exchange(scripted_transport, recorder, status):
    scripted_transport.expect("POST", "/api/v1/token", status, {"code": status, "message": "bad credentials"})
    client = make_client(scripted_transport, recorder)

    with pytest.raises(RunaiAuthenticationError) as caught:
        client.get(WORKLOADS)

    assert "client_secret" in str(caught.value) and SECRET not in str(caught.value)


def test_a_token_answer_without_access_token_is_reported(scripted_transport, recorder):
    scripted_transport.expect("POST", "/api/v1/token", 200, {"hello": "world"})
    client = make_client(scripted_transport, recorder)

    with pytest.raises(Exception) as caught:
        client.get(WORKLOADS)

    assert "accessToken" in str(caught.value)


# -- retries ---------------------------------------------------------------------------------------------------------


def test_429_waits_as_long_as_retry_after_says_then_succeeds_with_one_warning(scripted_transport, recorder):
    scripted_transport.expect_token()
    scripted_transport.expect("GET", WORKLOADS, 429, {"code": 429, "message": "slow down"}, headers={"Retry-After": "2"})
    scripted_transport.expect("GET", WORKLOADS, body={"workloads": []})
    client = make_client(scripted_transport, recorder)

    client.get(WORKLOADS)

    assert recorder.sleeps == [2.0]
    assert len(recorder.warnings) == 1
    assert "GET /api/v1/workloads answered 429; retry 1 of 3 in 2.0 s" in recorder.warnings[0]
    assert client.retry_count == 1


@pytest.mark.parametrize("status", [502, 503, 504])
def test_transient_statuses_back_off_exponentially_with_jitter(scripted_transport, recorder, status):
    scripted_transport.expect_token()
    for _attempt in range(3):
        scripted_transport.expect("GET", WORKLOADS, status, {"code": status, "message": "busy"})
    scripted_transport.expect("GET", WORKLOADS, body={"workloads": []})
    client = make_client(scripted_transport, recorder)

    client.get(WORKLOADS)

    assert len(recorder.sleeps) == 3
    for attempt, delay in enumerate(recorder.sleeps, start=1):
        window = api_client.BACKOFF_BASE_SECONDS * 2 ** (attempt - 1)
        assert window / 2 <= delay <= window


def test_when_retries_run_out_the_error_names_the_endpoint_and_the_last_status(scripted_transport, recorder):
    scripted_transport.expect_token()
    for _attempt in range(4):
        scripted_transport.expect("PUT", V2 + "/abc", 503, {"code": 503, "message": "Please try again in few minutes."})
    client = make_client(scripted_transport, recorder)

    with pytest.raises(RunaiServerError) as caught:
        client.put(V2 + "/abc", {"metadata": {}})

    message = str(caught.value)
    assert "PUT /api/v2/workloads/abc" in message and "503" in message and "after 3 retries" in message
    assert "Please try again in few minutes." in message
    assert len(recorder.warnings) == 3


def test_retries_zero_disables_retrying(scripted_transport, recorder):
    scripted_transport.expect_token()
    scripted_transport.expect("GET", WORKLOADS, 503, {"code": 503, "message": "busy"})
    client = make_client(scripted_transport, recorder, retries=0)

    with pytest.raises(RunaiServerError):
        client.get(WORKLOADS)
    assert recorder.warnings == []


def test_500_is_not_retried(scripted_transport, recorder):
    scripted_transport.expect_token()
    scripted_transport.expect("GET", WORKLOADS, 500, {"code": 500, "message": "Something went wrong."})
    client = make_client(scripted_transport, recorder)

    with pytest.raises(RunaiServerError) as caught:
        client.get(WORKLOADS)
    assert "Something went wrong." in str(caught.value)


def test_a_create_is_never_repeated_without_a_landed_check(scripted_transport, recorder):
    scripted_transport.expect_token()
    scripted_transport.expect("POST", V2, 503, {"code": 503, "message": "busy"})
    client = make_client(scripted_transport, recorder)

    with pytest.raises(RunaiServerError):
        client.post(V2, {"name": "a"})


def test_a_create_is_repeated_only_after_the_lookup_proves_it_did_not_land(scripted_transport, recorder):
    scripted_transport.expect_token()
    scripted_transport.expect("POST", V2, 503, {"code": 503, "message": "busy"})
    scripted_transport.expect("POST", V2, 202, {"metadata": {"id": "new"}})
    lookups = []
    client = make_client(scripted_transport, recorder)

    result = client.post(V2, {"name": "a"}, landed=lambda: lookups.append(1))

    assert result == {"metadata": {"id": "new"}}
    assert lookups == [1]


def test_a_create_whose_answer_was_lost_returns_what_landed_instead_of_posting_again(scripted_transport, recorder):
    scripted_transport.expect_token()
    scripted_transport.expect("POST", V2, raises=TransportError(TransportError.BROKEN, "Connection aborted.", request_sent=True))
    client = make_client(scripted_transport, recorder)

    result = client.post(V2, {"name": "a"}, landed=lambda: {"metadata": {"id": "landed"}})

    assert result == {"metadata": {"id": "landed"}}
    assert sum(1 for call in scripted_transport.calls if call["method"] == "POST" and call["path"] == V2) == 1


def test_a_dropped_connection_on_a_read_is_retried(scripted_transport, recorder):
    scripted_transport.expect_token()
    scripted_transport.expect("GET", WORKLOADS, raises=TransportError(TransportError.BROKEN, "Connection aborted.", request_sent=True))
    scripted_transport.expect("GET", WORKLOADS, body={"workloads": []})
    client = make_client(scripted_transport, recorder)

    assert client.get(WORKLOADS) == {"workloads": []}
    assert "connection failed; retry 1 of 3" in recorder.warnings[0]


def test_the_token_exchange_is_retried_on_throttling(scripted_transport, recorder):
    scripted_transport.expect("POST", "/api/v1/token", 429, {"code": 429, "message": "slow"}, headers={"Retry-After": "1"})
    scripted_transport.expect_token("tok")
    scripted_transport.expect("GET", WORKLOADS, body={"workloads": []})
    client = make_client(scripted_transport, recorder)

    client.get(WORKLOADS)
    assert recorder.sleeps == [1.0]


# -- error mapping -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status, error_class, words",
    [
        (400, RunaiBadRequestError, ["refused", "as invalid (400)", "Required parameter is missing"]),
        (403, RunaiPermissionError, ["may not GET /api/v2/workloads/x", "administrator"]),
        (404, RunaiNotFoundError, ["Not found (404)", "GET /api/v2/workloads/x"]),
        (409, RunaiConflictError, ["Conflict (409)"]),
    ],
)
def test_error_statuses_become_typed_errors_with_actionable_messages(scripted_transport, recorder, status, error_class, words):
    scripted_transport.expect_token()
    scripted_transport.expect(
        "GET", V2 + "/x", status, {"code": status, "message": "Required parameter is missing", "details": "name"}
    )
    client = make_client(scripted_transport, recorder)

    with pytest.raises(error_class) as caught:
        client.get(V2 + "/x")

    for word in words:
        assert word in str(caught.value)
    assert caught.value.status == status and caught.value.path == V2 + "/x"


def test_a_non_json_success_says_the_url_may_be_wrong(scripted_transport, recorder):
    scripted_transport.expect_token()
    scripted_transport.expect("GET", WORKLOADS, 200, text="<html>login</html>")
    client = make_client(scripted_transport, recorder)

    with pytest.raises(Exception) as caught:
        client.get(WORKLOADS)
    assert "not JSON" in str(caught.value) and "'url'" in str(caught.value)


def test_a_refused_connection_names_the_url(scripted_transport, recorder):
    refused = TransportError(TransportError.REFUSED, "Connection refused")
    scripted_transport.expect("POST", "/api/v1/token", raises=refused)
    client = make_client(scripted_transport, recorder, retries=0)

    with pytest.raises(RunaiConnectionError) as caught:
        client.get(WORKLOADS)

    assert "https://runai.example.com" in str(caught.value) and "connection refused" in str(caught.value)
    assert caught.value.request_sent is False


@pytest.mark.parametrize("kind", [TransportError.REFUSED, TransportError.UNRESOLVED])
def test_nothing_listening_gets_one_quick_retry_not_the_whole_budget(scripted_transport, recorder, kind):
    for attempt in range(2):
        scripted_transport.expect("POST", "/api/v1/token", raises=TransportError(kind, "no answer %d" % attempt))
    client = make_client(scripted_transport, recorder, retries=5)

    with pytest.raises(RunaiConnectionError) as caught:
        client.get(WORKLOADS)

    assert len(scripted_transport.calls) == 2 and recorder.warnings[0].endswith("retry 1 of 1 in %.1f s." % recorder.sleeps[0])
    assert sum(recorder.sleeps) <= 0.5 and "gave up after 1 retry)" in str(caught.value)


def test_a_broken_connection_keeps_the_whole_retry_budget(scripted_transport, recorder):
    for attempt in range(4):
        scripted_transport.expect("POST", "/api/v1/token", raises=TransportError(TransportError.BROKEN, "reset %d" % attempt))
    client = make_client(scripted_transport, recorder, retries=3)

    with pytest.raises(RunaiConnectionError) as caught:
        client.get(WORKLOADS)
    assert len(scripted_transport.calls) == 4 and "gave up after 3 retries" in str(caught.value)


def test_a_404_on_the_token_path_asks_for_the_base_address(scripted_transport, recorder):
    scripted_transport.expect("POST", "/api/v1/token", 404, body={"message": "no route"})
    client = make_client(scripted_transport, recorder, url=scripted_transport.base_url + "/workloads/overview")

    with pytest.raises(RunaiNotFoundError) as caught:
        client.get(WORKLOADS)
    message = str(caught.value)
    assert "/workloads/overview/api/v1/token" in message and "base address" in message
    assert "https://runai.example.com," in message


def test_a_tls_failure_points_at_ca_path(scripted_transport, recorder):
    scripted_transport.expect("POST", "/api/v1/token", raises=CERTIFICATE_REFUSED)
    client = make_client(scripted_transport, recorder, retries=0)

    with pytest.raises(RunaiConnectionError) as caught:
        client.get(WORKLOADS)
    assert "ca_path" in str(caught.value) and "certificate verify failed" in str(caught.value)


def test_a_read_timeout_names_the_request_and_the_timeout(scripted_transport, recorder):
    scripted_transport.expect_token()
    scripted_transport.expect("GET", WORKLOADS, raises=TransportError(TransportError.READ_TIMEOUT, "read timed out", request_sent=True))
    client = make_client(scripted_transport, recorder, retries=0, request_timeout=7)

    with pytest.raises(RunaiConnectionError) as caught:
        client.get(WORKLOADS)
    assert "request_timeout=7 s" in str(caught.value) and "GET /api/v1/workloads" in str(caught.value)


def test_secrets_echoed_by_a_server_never_reach_messages_or_warnings(scripted_transport, recorder):
    scripted_transport.expect_token("tok-A")
    scripted_transport.expect("GET", WORKLOADS, 503, {"code": 503, "message": "bad tok-A"})
    scripted_transport.expect("GET", WORKLOADS, 400, {"code": 400, "message": "token tok-A secret %s" % SECRET})
    client = make_client(scripted_transport, recorder)

    with pytest.raises(RunaiBadRequestError) as caught:
        client.get(WORKLOADS)

    said = everything_said(recorder, caught.value)
    assert "tok-A" not in said and SECRET not in said
    assert api_client.REDACTED in str(caught.value)


# -- pagination --------------------------------------------------------------------------------------------------------


def page(start, count, next_offset=None):
    body = {"workloads": [{"id": str(index)} for index in range(start, start + count)]}
    if next_offset is not None:
        body["next"] = next_offset
    return body


def test_pagination_follows_next_at_the_largest_page_size(scripted_transport, recorder):
    scripted_transport.expect_token()
    scripted_transport.expect("GET", WORKLOADS, body=page(0, 500, 500))
    scripted_transport.expect("GET", WORKLOADS, body=page(500, 500, 1000))
    scripted_transport.expect("GET", WORKLOADS, body=page(1000, 200))
    client = make_client(scripted_transport, recorder)

    items = client.paginate(WORKLOADS, "workloads", params={"filterBy": "projectName==a"})

    assert [item["id"] for item in items] == [str(index) for index in range(1200)]
    assert [(call["params"]["offset"], call["params"]["limit"]) for call in scripted_transport.calls[1:]] == [
        (0, 500),
        (500, 500),
        (1000, 500),
    ]
    assert all(call["params"]["filterBy"] == "projectName==a" for call in scripted_transport.calls[1:])


def test_limit_asks_only_for_what_is_needed(scripted_transport, recorder):
    scripted_transport.expect_token()
    scripted_transport.expect("GET", WORKLOADS, body=page(0, 500, 500))
    scripted_transport.expect("GET", WORKLOADS, body=page(500, 100, 600))
    client = make_client(scripted_transport, recorder)

    items = client.paginate(WORKLOADS, "workloads", limit=600)

    assert len(items) == 600
    assert scripted_transport.calls[-1]["params"]["limit"] == 100
    assert recorder.warnings == []


def test_the_safety_cap_stops_listing_with_a_warning(scripted_transport, recorder):
    scripted_transport.expect_token()
    scripted_transport.expect("GET", WORKLOADS, body=page(0, 3, 3))
    client = make_client(scripted_transport, recorder)

    items = client.paginate(WORKLOADS, "workloads", max_items=3)

    assert len(items) == 3
    assert "safety cap" in recorder.warnings[0] and "limit" in recorder.warnings[0]


@pytest.mark.parametrize("next_style", ["offset", "page"])
def test_pagination_advances_by_the_items_received_whatever_next_means(scripted_transport, recorder, next_style):
    # An offset-style server says next=500, 1000; a page-style one next=1, 2: either way the second page starts at 500.
    nexts = [500, 1000] if next_style == "offset" else [1, 2]
    scripted_transport.expect_token()
    scripted_transport.expect("GET", WORKLOADS, body=page(0, 500, nexts[0]))
    scripted_transport.expect("GET", WORKLOADS, body=page(500, 500, nexts[1]))
    scripted_transport.expect("GET", WORKLOADS, body=page(1000, 7, nexts[1] + 1))
    client = make_client(scripted_transport, recorder)

    items = client.paginate(WORKLOADS, "workloads")

    assert [item["id"] for item in items] == [str(index) for index in range(1007)]
    assert [call["params"]["offset"] for call in scripted_transport.calls[1:]] == [0, 500, 1000]


def test_a_short_page_ends_the_listing_even_when_next_is_given(scripted_transport, recorder):
    scripted_transport.expect_token()
    scripted_transport.expect("GET", WORKLOADS, body=page(0, 20, 1))
    client = make_client(scripted_transport, recorder)

    assert len(client.paginate(WORKLOADS, "workloads", page_size=50)) == 20


def test_once_computes_a_fact_once_per_client():
    client = RunaiClient(url="https://runai.example.com", token="t", transport=object())
    computed = []

    def compute():
        computed.append(1)
        return "2.24"

    assert client.once("level", compute) == "2.24"
    assert client.once("level", compute) == "2.24"
    assert computed == [1]


def test_an_empty_listing_makes_one_request(scripted_transport, recorder):
    scripted_transport.expect_token()
    scripted_transport.expect("GET", WORKLOADS, body={"workloads": []})
    client = make_client(scripted_transport, recorder)

    assert client.paginate(WORKLOADS, "workloads") == []


# -- pure helpers ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header, expected",
    [
        ("3", 3.0),
        (" 0.5 ", 0.5),
        ("-4", 0.0),
        ("100000", api_client.RETRY_AFTER_CAP_SECONDS),
        ("", None),
        (None, None),
        ("soon", None),
        ("Wed, 21 Oct 2015 07:28:10 GMT", 10.0),
    ],
)
def test_retry_after_accepts_seconds_and_http_dates(header, expected):
    now = 1445412480.0  # 2015-10-21 07:28:00 UTC
    assert parse_retry_after(header, now=now) == expected


def test_backoff_grows_exponentially_up_to_the_cap():
    rng = random.Random(3)
    for attempt in range(1, 12):
        window = min(api_client.BACKOFF_CAP_SECONDS, api_client.BACKOFF_BASE_SECONDS * 2 ** (attempt - 1))
        delay = backoff_delay(attempt, rng)
        assert window / 2 <= delay <= window


def test_the_transport_sends_the_collection_user_agent():
    client = RunaiClient(url="https://runai.example.com", token="t")
    assert client.transport.headers["User-Agent"] == "ansible-runai-platform/%s" % api_client.COLLECTION_VERSION


def test_the_user_agent_version_is_the_collection_version():
    galaxy = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "galaxy.yml")
    with open(galaxy) as handle:
        assert yaml.safe_load(handle)["version"] == api_client.COLLECTION_VERSION


@pytest.mark.parametrize(
    "option, overrides",
    [
        ("retries", dict(retries=-1)),
        ("request_timeout", dict(request_timeout=0)),
        ("request_timeout", dict(request_timeout=-3.5)),
        ("url", dict(url="runai.example.com")),
    ],
)
def test_connection_options_out_of_range_are_refused_naming_the_option(scripted_transport, recorder, option, overrides):
    with pytest.raises(RunaiInputError) as caught:
        make_client(scripted_transport, recorder, **overrides)
    assert caught.value.option == option
    assert scripted_transport.calls == []


def test_a_missing_ca_bundle_file_is_refused_naming_ca_path(scripted_transport, recorder, tmp_path):
    with pytest.raises(RunaiInputError) as caught:
        make_client(scripted_transport, recorder, ca_path=str(tmp_path / "nowhere.pem"))
    assert caught.value.option == "ca_path" and "nowhere.pem" in str(caught.value)


def test_a_tls_failure_is_not_retried(scripted_transport, recorder):
    scripted_transport.expect("POST", "/api/v1/token", raises=CERTIFICATE_REFUSED)
    client = make_client(scripted_transport, recorder, retries=5)

    with pytest.raises(RunaiConnectionError):
        client.get(WORKLOADS)
    assert recorder.warnings == [] and recorder.sleeps == []


def test_when_retries_run_out_on_broken_connections_the_message_says_so(scripted_transport, recorder):
    scripted_transport.expect_token()
    for _attempt in range(4):
        scripted_transport.expect("GET", WORKLOADS, raises=TransportError(TransportError.BROKEN, "Connection aborted.", request_sent=True))
    client = make_client(scripted_transport, recorder)

    with pytest.raises(RunaiConnectionError) as caught:
        client.get(WORKLOADS)
    assert "GET /api/v1/workloads" in str(caught.value) and "gave up after 3 retries" in str(caught.value)


def test_a_missing_url_names_the_environment_variable(scripted_transport, recorder):
    with pytest.raises(RunaiInputError) as caught:
        make_client(scripted_transport, recorder, url=None)
    assert caught.value.option == "url" and "RUNAI_URL" in str(caught.value)


def test_a_server_message_ending_in_a_full_stop_reads_cleanly(scripted_transport, recorder):
    scripted_transport.expect_token()
    scripted_transport.expect("GET", WORKLOADS, 500, {"code": 500, "message": "Something went wrong."})
    client = make_client(scripted_transport, recorder)

    with pytest.raises(RunaiServerError) as caught:
        client.get(WORKLOADS)
    assert ".." not in str(caught.value)
