# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulator guards itself as the real control plane does: every API route refuses a request without a valid
bearer token, the admin routes refuse the API token, and a bounded, seeded schemathesis run over each API document
finds no server error and no response that breaks the document."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

pytestmark = [pytest.mark.reliability, pytest.mark.simulator_guard]

runai_simulator = pytest.importorskip("runai_simulator")

SPEC_DIR = Path(runai_simulator.__file__).resolve().parent / "spec"
SPEC_FILES = sorted(SPEC_DIR.glob("*.json"))
HTTP_METHODS = ("get", "put", "post", "delete", "patch")
# The fuzzing is bounded by a number of generated cases per operation, not by a time budget: on a loaded machine a
# budget of seconds can be spent before the fuzzing phase starts, and then nothing at all is tested.
FUZZ_EXAMPLES = 25
# Only against a hang: the run ends by itself well within this.
FUZZ_TIMEOUT_SECONDS = 300
FUZZ_SEED = 9
FUZZ_CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
ADMIN_ROUTES = (
    ("GET", "/_simulator/stats", None),
    ("POST", "/_simulator/stats/reset", None),
    ("GET", "/_simulator/faults", None),
    ("PUT", "/_simulator/faults", {}),
    ("DELETE", "/_simulator/faults", None),
    ("POST", "/_simulator/tokens/expire", None),
    ("POST", "/_simulator/reset", None),
)


def secured_operations():
    """(method, path template) of every operation the API documents as needing a bearer token."""
    operations = []
    for spec_file in SPEC_FILES:
        document = json.loads(spec_file.read_text())
        default_security = document.get("security") or []
        for path, item in document["paths"].items():
            for method in HTTP_METHODS:
                if method in item and item[method].get("security", default_security):
                    operations.append((method.upper(), path))
    return sorted(operations)


def concrete(path):
    """The path with every parameter filled with a well-formed id (all of this API's path parameters are UUIDs)."""
    return re.sub(r"\{[^}]+\}", lambda match: str(uuid.uuid4()), path)


@pytest.fixture(scope="module")
def guarded(module_simulators):
    simulator = module_simulators.start()
    expired = simulator.token()
    assert simulator.admin("POST", "/_simulator/tokens/expire").status_code == 200
    return simulator, expired


def test_every_secured_operation_is_found():
    operations = secured_operations()
    assert ("POST", "/api/v2/workloads") in operations and ("GET", "/api/v1/org-unit/projects") in operations
    assert not any(path.endswith("/token") or "apptoken" in path for _method, path in operations)


@pytest.mark.parametrize("method, path", secured_operations(), ids=lambda value: value)
def test_api_route_refuses_requests_without_a_valid_token(method, path, guarded):
    simulator, expired = guarded
    target = concrete(path)
    body = {} if method in ("POST", "PUT") else None
    refused = {
        "no header": {},
        "empty bearer": {"Authorization": "Bearer "},
        "basic scheme": {"Authorization": "Basic %s" % simulator.client_secret},
        "forged token": {"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"},
        "expired token": {"Authorization": "Bearer %s" % expired},
        "admin token": {"Authorization": "Bearer %s" % simulator.admin_token},
    }
    answers = {}
    for label, headers in refused.items():
        response = _raw(simulator, method, target, headers, body)
        answers[label] = response.status_code
        if response.status_code == 401:
            error = response.json()
            assert error.get("code") == 401 and error.get("message"), error
    assert answers == dict((label, 401) for label in refused), answers
    accepted = simulator.api(method, target, json=body, timeout=30)
    assert accepted.status_code != 401, "a valid token is refused too, so the 401s above prove nothing"


def _raw(simulator, method, path, headers, body):
    import requests

    with requests.Session() as session:
        session.trust_env = False
        return session.request(method, simulator.url + path, headers=headers, json=body, timeout=30)


@pytest.mark.parametrize("method, path, body", ADMIN_ROUTES, ids=lambda value: value if isinstance(value, str) else "")
def test_admin_route_refuses_the_api_token(method, path, body, guarded):
    simulator, _expired = guarded
    api_token = simulator.token()
    refused = {
        "no header": {},
        "API token": {"Authorization": "Bearer %s" % api_token},
        "client secret": {"Authorization": "Bearer %s" % simulator.client_secret},
    }
    answers = dict((label, _raw(simulator, method, path, headers, body).status_code)
                   for label, headers in refused.items())
    assert answers == dict((label, 401) for label in refused), answers
    response = _raw(simulator, method, path, {"Authorization": "Bearer %s" % simulator.admin_token}, body)
    assert 200 <= response.status_code < 300, response.text


def test_health_needs_no_token(guarded):
    simulator, _expired = guarded
    response = _raw(simulator, "GET", "/_simulator/health", {}, None)
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.parametrize("spec_file", SPEC_FILES, ids=lambda path: path.stem)
def test_fuzzing_finds_no_server_error_and_no_response_outside_the_document(spec_file, guarded, tmp_path):
    pytest.importorskip("schemathesis")
    simulator, _expired = guarded
    config = tmp_path / "schemathesis.toml"
    # the token reaches schemathesis through its environment, never its command line (readable by other users)
    config.write_text('headers = { Authorization = "Bearer ${RUNAI_FUZZ_TOKEN}" }\n')
    token = simulator.token()
    environment = dict(os.environ, RUNAI_FUZZ_TOKEN=token, NO_COLOR="1")
    command = [
        sys.executable, "-m", "schemathesis.cli", "--config-file", str(config), "run", str(spec_file),
        "--url", simulator.url, "--seed", str(FUZZ_SEED), "--max-examples", str(FUZZ_EXAMPLES), "--workers", "1",
        "--checks", FUZZ_CHECKS, "--phases", "examples,coverage,fuzzing", "--generation-database", "none",
        "--request-timeout", "10", "--no-color",
    ]

    completed = subprocess.run(command, cwd=str(tmp_path), env=environment, stdin=subprocess.DEVNULL,
                               capture_output=True, text=True, timeout=FUZZ_TIMEOUT_SECONDS, check=False)

    summary = completed.stdout[-6000:]
    assert token not in completed.stdout + completed.stderr
    assert completed.returncode == 0, "schemathesis found faults in %s:\n%s\n%s" % (
        spec_file.name, summary, completed.stderr[-2000:])
    assert re.search(r"\d+ generated", completed.stdout), summary
