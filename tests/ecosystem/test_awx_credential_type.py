# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWX / Automation Platform credential type (extensions/awx/runai_credential_type.yml) against the modules:
what it injects is what the modules read, secrets stay secret, the controller would accept it, the environment it
produces passes the modules' own argument checks, and extensions/awx/create_credential_type.yml creates it through
awx.awx.credential_type against a stand-in controller API."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import subprocess
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.testing import patch_module_args
from jinja2 import meta
from jinja2.sandbox import ImmutableSandboxedEnvironment
from runai_simulator.testing import AnsibleUser

from ansible_collections.runai.platform.plugins.doc_fragments.runai_auth import ModuleDocFragment
from ansible_collections.runai.platform.plugins.module_utils.api.errors import RunaiError
from ansible_collections.runai.platform.plugins.module_utils.module.entry import build_module, client_from_module
from ansible_collections.runai.platform.plugins.module_utils.module.options import connection_argument_spec

from .conftest import REPO_ROOT, tool

# AWX refuses these names in env injectors, or drops them silently (awx_plugins ENV_BLOCKLIST and the ANSIBLE_ prefix).
CONTROLLER_RESERVED_ENV = frozenset([
    "VIRTUAL_ENV", "PATH", "PYTHONPATH", "JOB_ID", "INVENTORY_ID", "INVENTORY_SOURCE_ID", "INVENTORY_UPDATE_ID",
    "AD_HOC_COMMAND_ID", "REST_API_URL", "REST_API_TOKEN", "MAX_EVENT_RES", "CALLBACK_QUEUE", "CALLBACK_CONNECTION",
    "CACHE", "JOB_CALLBACK_DEBUG", "INVENTORY_HOSTVARS", "AWX_HOST", "PROJECT_REVISION", "SUPERVISOR_CONFIG_PATH",
])
# The awx.awx collection is not on any reachable Galaxy; the `ansible` package on PyPI bundles it (awx.awx 24.6.1).
AWX_COLLECTION_SOURCE = "ansible==12.3.0"
CREATE_PLAYBOOK = os.path.join(REPO_ROOT, "extensions", "awx", "create_credential_type.yml")
SANDBOX = ImmutableSandboxedEnvironment()


def module_env_options():
    """{environment variable: (option, no_log)} for every variable a connection option falls back to.

    The doc fragment states each one ("If not set, the value of the E(X) environment variable is used."); the
    argument spec gives no_log, and any fallback it declares must name the same variable. The tests below build a
    module from such an environment, which proves the modules really read them.
    """
    documented = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]
    spec = connection_argument_spec()
    found = {}
    for option, doc in documented.items():
        text = " ".join(doc["description"])
        for name in re.findall(r"If not set, the value of the E\((\w+)\) environment variable is used", text):
            found[name] = (option, bool(spec[option].get("no_log")))
        fallback = spec[option].get("fallback")
        if fallback:
            assert set(fallback[1]) <= set(found), "%s falls back to %s, which its documentation does not say" % (
                option, fallback[1])
    return found


def fields_used_by(template):
    return meta.find_undeclared_variables(SANDBOX.parse(template)) - {"tower"}


class ModuleFailed(Exception):
    pass


def module_with_environment(monkeypatch, env):
    """A module of the collection built as the modules build themselves, from an empty task and ``env`` as the only
    RUNAI_* environment; its parameters, or ModuleFailed with the message a task would fail with."""
    for name in list(os.environ):
        if name.startswith("RUNAI_"):
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    def fail_json(module, **result):
        raise ModuleFailed(result["msg"])

    monkeypatch.setattr(AnsibleModule, "fail_json", fail_json)
    with patch_module_args({}):
        return build_module({}, supports_check_mode=True)


# -- the definition against the modules ----------------------------------------------------------------------------


def test_every_injected_variable_is_read_by_the_modules(credential_type):
    injected = set(credential_type["injectors"]["env"])
    unread = injected - set(module_env_options())
    assert not unread, "the credential type injects %s, which no module option reads" % sorted(unread)


def test_every_connection_variable_the_modules_read_is_injected(credential_type):
    missing = set(module_env_options()) - set(credential_type["injectors"]["env"])
    assert not missing, "the modules read %s, which the credential type cannot set" % sorted(missing)


def test_fields_that_feed_no_log_options_are_secret(credential_type):
    fields = dict((field["id"], field) for field in credential_type["inputs"]["fields"])
    env_options = module_env_options()
    for name, template in credential_type["injectors"]["env"].items():
        _option, no_log = env_options[name]
        for field_id in fields_used_by(template):
            if no_log:
                assert fields[field_id].get("secret") is True, "%s feeds %s (no_log) but is not secret" % (field_id, name)


def test_secret_fields_reach_only_no_log_options(credential_type):
    env_options = module_env_options()
    secret_ids = set(field["id"] for field in credential_type["inputs"]["fields"] if field.get("secret"))
    assert secret_ids == {"client_secret", "token"}
    for name, template in credential_type["injectors"]["env"].items():
        leaked = fields_used_by(template) & secret_ids
        assert not leaked or env_options[name][1], "secret %s is injected into %s, which is logged" % (leaked, name)


# -- the definition against the controller's rules -----------------------------------------------------------------


def test_definition_follows_the_controller_rules(credential_type):
    assert credential_type["kind"] in ("cloud", "net"), "custom credential types must be cloud or net"
    assert credential_type["name"] and credential_type["description"]
    fields = credential_type["inputs"]["fields"]
    ids = [field["id"] for field in fields]
    assert len(ids) == len(set(ids))
    for field in fields:
        assert re.match(r"^[a-z_][a-z0-9_]*$", field["id"]), field
        assert field["label"]
        assert field["type"] in ("string", "boolean"), field
        assert not (field.get("secret") and field["type"] != "string"), "only string fields can be secret: %s" % field
    assert set(credential_type["inputs"]["required"]) <= set(ids)
    file_names = set()
    for label, template in credential_type["injectors"].get("file", {}).items():
        assert label.startswith("template."), label
        file_names.add(label.split(".", 1)[1])
        assert fields_used_by(template) <= set(ids), label
    for name, template in credential_type["injectors"]["env"].items():
        assert not name.startswith("ANSIBLE_") and name not in CONTROLLER_RESERVED_ENV, name
        assert fields_used_by(template) <= set(ids), (name, fields_used_by(template) - set(ids))
        assert set(re.findall(r"tower\.filename\.(\w+)", template)) <= file_names, name


# -- the environment a job gets, through the modules' own option handling -----------------------------------------


def test_client_credentials_give_a_valid_task_with_verified_tls(monkeypatch, inject_credential):
    env = inject_credential({"url": "https://runai.example.com", "client_id": "app-1", "client_secret": "s3cret"})
    module = module_with_environment(monkeypatch, env)
    params = module.params
    assert (params["url"], params["client_id"], params["client_secret"]) == ("https://runai.example.com", "app-1", "s3cret")
    assert not params["token"]
    assert params["validate_certs"] is True
    assert not params["ca_path"]
    assert "s3cret" in module.no_log_values


def test_a_token_alone_gives_a_valid_task(monkeypatch, inject_credential):
    module = module_with_environment(monkeypatch, inject_credential({"url": "https://runai.example.com", "token": "t-1"}))
    assert module.params["token"] == "t-1"
    assert not module.params["client_id"] and not module.params["client_secret"]
    assert "t-1" in module.no_log_values


def test_a_token_together_with_client_credentials_is_used_first(monkeypatch, inject_credential):
    # The client credentials stay available to renew the token when the server refuses it.
    env = inject_credential({"url": "https://r.example", "token": "t", "client_id": "a", "client_secret": "s"})
    params = module_with_environment(monkeypatch, env).params
    assert (params["token"], params["client_id"], params["client_secret"]) == ("t", "a", "s")


def test_a_credential_without_any_secret_is_refused(monkeypatch, inject_credential):
    # The client refuses it before any request, naming the options and the RUNAI_* variables a credential injects.
    module = module_with_environment(monkeypatch, inject_credential({"url": "https://runai.example.com"}))
    with pytest.raises(RunaiError, match=r"'token' \(RUNAI_TOKEN\).*'client_id'.*RUNAI_CLIENT_ID"):
        client_from_module(module)


def test_ca_certificates_reach_the_modules_as_a_private_file(monkeypatch, inject_credential):
    pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
    env = inject_credential({"url": "https://r.example", "client_id": "a", "client_secret": "s", "ca_bundle": pem})
    ca_path = module_with_environment(monkeypatch, env).params["ca_path"]
    with open(ca_path) as handle:
        assert handle.read() == pem
    assert os.stat(ca_path).st_mode & 0o077 == 0


def test_tls_verification_is_skipped_only_when_ticked(monkeypatch, inject_credential):
    base = {"url": "https://r.example", "client_id": "a", "client_secret": "s"}
    ticked = module_with_environment(monkeypatch, inject_credential(dict(base, skip_tls_verify=True)))
    assert ticked.params["validate_certs"] is False
    unticked = module_with_environment(monkeypatch, inject_credential(dict(base, skip_tls_verify=False)))
    assert unticked.params["validate_certs"] is True


# -- extensions/awx/create_credential_type.yml through awx.awx against a stand-in controller -----------------------


class StandInController(object):
    """The part of the AWX API that awx.awx.credential_type uses: list by name, create, update. Bearer auth."""

    def __init__(self, token):
        self.token = token
        self.credential_types = {}
        self.writes = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(10)

    def _handler(self):
        controller = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status, body):
                data = json.dumps(body).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("X-API-Product-Name", "AWX")
                self.send_header("X-API-Product-Version", "24.6.1")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _authorized(self):
                if self.headers.get("Authorization") == "Bearer %s" % controller.token:
                    return True
                self._answer(401, {"detail": "Authentication credentials were not provided."})
                return False

            def _body(self):
                return json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")

            def do_GET(self):
                if not self._authorized():
                    return
                url = urlsplit(self.path)
                if url.path != "/api/v2/credential_types/":
                    self._answer(404, {"detail": "Not found."})
                    return
                names = parse_qs(url.query).get("name")
                found = [item for item in controller.credential_types.values() if not names or item["name"] in names]
                self._answer(200, {"count": len(found), "next": None, "previous": None, "results": found})

            def do_POST(self):
                if not self._authorized():
                    return
                body = self._body()
                controller.writes.append(("POST", self.path, body))
                new_id = len(controller.credential_types) + 1
                item = dict(body, id=new_id, url="/api/v2/credential_types/%d/" % new_id, type="credential_type")
                controller.credential_types[new_id] = item
                self._answer(201, item)

            def do_PATCH(self):
                if not self._authorized():
                    return
                body = self._body()
                controller.writes.append(("PATCH", self.path, body))
                item = controller.credential_types[int(self.path.rstrip("/").rsplit("/", 1)[1])]
                item.update(body)
                self._answer(200, item)

        return Handler


@pytest.fixture(scope="session")
def awx_collection(tmp_path_factory):
    """A collections directory with awx.awx, taken from the `ansible` package's wheel on PyPI."""
    download = tmp_path_factory.mktemp("ansible-wheel")
    fetched = subprocess.run(
        [tool("python"), "-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "-q", "-d",
         str(download), AWX_COLLECTION_SOURCE],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300, check=False,
    )
    # The package index is reachable wherever this suite runs (CI, developers): a failed download is a failure.
    assert fetched.returncode == 0, "pip could not download %s from the package index:\n%s" % (
        AWX_COLLECTION_SOURCE, fetched.stdout[-2000:])
    wheel = next(download.glob("ansible-*.whl"))
    collections = tmp_path_factory.mktemp("awx-collections")
    with zipfile.ZipFile(str(wheel)) as archive:
        archive.extractall(str(collections), [name for name in archive.namelist()
                                              if name.startswith("ansible_collections/awx/awx/")])
    return collections


def run_credential_type_playbook(controller, user, tmp_path):
    """ansible-playbook extensions/awx/create_credential_type.yml, from the source repository, as an administrator runs it."""
    finished = user.run(["ansible-playbook", CREATE_PLAYBOOK], cwd=tmp_path, secrets=[controller.token], env={
        "CONTROLLER_HOST": controller.url,
        "CONTROLLER_OAUTH_TOKEN": controller.token,
        "CONTROLLER_VERIFY_SSL": "false",
    })
    assert finished.rc == 0, finished.describe()
    return finished.output


def test_the_playbook_creates_the_credential_type_as_defined_then_leaves_it(
    credential_type, awx_collection, installed_collections, tmp_path
):
    user = AnsibleUser(tmp_path / "ansible", [awx_collection, installed_collections])
    with StandInController("controller-token-8f2e") as controller:
        first = run_credential_type_playbook(controller, user, tmp_path)
        assert "changed=1" in first, first
        assert len(controller.writes) == 1
        method, path, body = controller.writes[0]
        assert (method, path) == ("POST", "/api/v2/credential_types/")
        expected = dict((key, credential_type[key]) for key in ("name", "description", "kind", "inputs", "injectors"))
        # The controller's own templates ({{ url }} ...) must arrive unrendered, exactly as in the file.
        assert dict((key, body[key]) for key in expected) == expected
        assert body["managed"] is False

        second = run_credential_type_playbook(controller, user, tmp_path)
        assert "changed=0" in second and "failed=0" in second, second
        assert len(controller.writes) == 1, "the second run changed the credential type: %s" % controller.writes[1:]
        assert controller.token not in first + second
