# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Auth: tokens from credentials, 401 on every route for missing, malformed, foreign or expired tokens, the admin
token kept apart, and apps restricted to projects."""

import base64
import json
import re

import pytest

from runai_simulator.app import API_ROUTES, TOKEN_ROUTES
from runai_simulator.testing import SimulatorProcess
from simulator_support import RESTRICTED_APP, create, create_body, wait_for

SOME_ID = "00000000-0000-4000-8000-000000000000"
PROTECTED = [(method, re.sub(r"\{[^}]+\}", SOME_ID, path)) for method, path, _handler, _writes in API_ROUTES
             if path not in TOKEN_ROUTES]


def _claims(token):
    payload = token.split(".")[1]
    return json.loads(base64.b64decode(payload + "=="))


def _forged(token):
    header, payload, signature = token.split(".")
    claims = dict(_claims(token), exp=_claims(token)["exp"] + 3600)
    return ".".join((header, base64.b64encode(json.dumps(claims).encode()).decode().rstrip("="), signature))


@pytest.mark.parametrize("method, path", PROTECTED)
def test_every_api_route_wants_a_valid_bearer_token(sim, method, path):
    valid = sim.token()
    for authorization in (None, "Bearer", "Basic " + base64.b64encode(b"a:b").decode(), "Bearer not.a.jwt",
                          "Bearer " + _forged(valid), "Bearer " + sim.admin_token):
        headers = {"Authorization": authorization} if authorization else {}
        response = sim._requests().request(method, sim.url + path, headers=headers, json={})
        assert response.status_code == 401, (authorization, response.text)
        assert response.json()["code"] == 401 and response.json()["message"]


def test_tokens_are_jwts_with_exp_both_base64_alphabets_read(shared_simulator):
    with SimulatorProcess(token_ttl=120, client_id="odd?id>with~chars") as sim:
        response = sim._requests().post(sim.url + "/api/v1/token", json={
            "grantType": "client_credentials", "clientId": sim.client_id, "clientSecret": sim.client_secret})
        body = response.json()
        assert body["expiresIn"] == 120
        payload = body["accessToken"].split(".")[1]
        assert not set(payload) & set("+/-_")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
        assert claims == _claims(body["accessToken"])
        assert claims["exp"] - claims["iat"] == 120 and claims["sub"] == "odd?id>with~chars"


def test_expired_tokens_are_refused(sim):
    # iat and exp are whole seconds, so a token of ttl seconds lives between ttl - 1 and ttl seconds: with 2, the
    # first use below still comes before its expiry on a loaded machine.
    assert sim.admin("PUT", "/_simulator/faults", {"token_ttl_seconds": 2}).status_code == 200
    short = sim.token()
    assert _claims(short)["exp"] - _claims(short)["iat"] == 2
    assert sim.api("GET", "/api/v1/workloads", token=short).status_code == 200
    wait_for(lambda: sim.api("GET", "/api/v1/workloads", token=short).status_code == 401, timeout=6)
    assert sim.api("GET", "/api/v1/workloads", token=short).json()["message"] == "Token is expired"


def test_forced_expiry_ends_every_issued_token(sim):
    old = sim.token()
    assert sim.admin("POST", "/_simulator/tokens/expire").status_code == 200
    assert sim.api("GET", "/api/v1/workloads", token=old).status_code == 401
    assert sim.api("GET", "/api/v1/workloads", token=sim.token()).status_code == 200


def test_admin_routes_take_only_the_admin_token(sim):
    requests = sim._requests()
    assert requests.get(sim.url + "/_simulator/health").json() == {"status": "ok"}
    for authorization in (None, "Bearer " + sim.token(), "Bearer wrong"):
        headers = {"Authorization": authorization} if authorization else {}
        for method, path in (("GET", "/_simulator/stats"), ("PUT", "/_simulator/faults"),
                             ("POST", "/_simulator/reset"), ("POST", "/_simulator/tokens/expire")):
            assert requests.request(method, sim.url + path, headers=headers, json={}).status_code == 401
    assert sim.admin("GET", "/_simulator/stats").status_code == 200


def test_restricted_app_sees_and_touches_only_its_projects(sim):
    outside = create(sim, "private")["metadata"]["id"]
    app_id, secret, _projects = RESTRICTED_APP.split(":")
    token = sim._requests().post(sim.url + "/api/v1/token", json={
        "grantType": "app_token", "AppId": app_id, "AppSecret": secret}).json()["accessToken"]

    def call(method, path, **kwargs):
        return sim.api(method, path, token=token, **kwargs)

    inside = call("POST", "/api/v2/workloads", json=create_body("mine", project_id="3"))
    assert inside.status_code == 202 and inside.json()["metadata"]["createdBy"] == app_id
    assert call("POST", "/api/v2/workloads", json=create_body("theirs", project_id="1")).status_code == 403
    for method, path in (("GET", "/api/v2/workloads/" + outside), ("DELETE", "/api/v2/workloads/" + outside),
                         ("GET", "/api/v1/workloads/" + outside), ("GET", "/api/v1/workloads/%s/pods" % outside)):
        response = call(method, path)
        assert response.status_code == 403 and response.json()["message"] == "You do not have sufficient permissions."
    assert call("PUT", "/api/v2/workloads/" + outside, json={"metadata": {"priority": "low"}}).status_code == 403
    assert [w["name"] for w in call("GET", "/api/v1/workloads").json()["workloads"]] == ["mine"]
    assert call("GET", "/api/v1/workloads/count").json() == {"count": 1}
    assert [w["name"] for w in sim.api("GET", "/api/v1/workloads").json()["workloads"]] == ["private", "mine"]
