# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A real simulator process for tests, benchmarks and `runai-simulator exec`.

    with SimulatorProcess(speed=50, state=str(tmp_path / "state.db")) as simulator:
        response = simulator.api("GET", "/api/v1/workloads")

Keyword arguments become serve flags (`token_ttl=5` -> `--token-ttl 5`; True -> a bare flag; a list -> the flag
repeated). Secrets are handed to the child in its environment, never on its command line, and are read back from
the ready file in a private temporary directory.
"""

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import runai_simulator

_SECRET_FLAGS = {"client_secret": "RUNAI_SIMULATOR_CLIENT_SECRET", "admin_token": "RUNAI_SIMULATOR_ADMIN_TOKEN"}


class SimulatorStartError(RuntimeError):
    """The simulator process exited or did not become ready in time."""


def _flag_arguments(flags):
    arguments = []
    for key, value in flags.items():
        flag = "--" + key.replace("_", "-")
        if value is None or value is False:
            continue
        if value is True:
            arguments.append(flag)
        elif isinstance(value, (list, tuple)):
            for item in value:
                arguments += [flag, str(item)]
        else:
            arguments += [flag, str(value)]
    return arguments


class SimulatorProcess:
    def __init__(self, *, state=":memory:", port=0, host="127.0.0.1", python=None, extra_args=(),
                 startup_timeout=30.0, restricted_app=(), **flags):
        self._environment = dict(os.environ)
        for key, variable in _SECRET_FLAGS.items():
            self._environment[variable] = flags.pop(key, None) or secrets.token_urlsafe(24)
        self._environment["RUNAI_SIMULATOR_RESTRICTED_APPS"] = ";".join(restricted_app)
        package_parent = os.path.dirname(os.path.dirname(os.path.abspath(runai_simulator.__file__)))
        self._environment["PYTHONPATH"] = os.pathsep.join(
            filter(None, (package_parent, self._environment.get("PYTHONPATH"))))
        self._python = python or sys.executable
        self._host, self._port, self._state = host, port, state
        self._flags, self._extra_args = flags, list(extra_args)
        self._startup_timeout = startup_timeout
        self._directory = tempfile.mkdtemp(prefix="runai-simulator-")
        self._ready_file = os.path.join(self._directory, "ready.json")
        self.log_path = os.path.join(self._directory, "simulator.log")
        self._process = None
        self._session = None
        self._token = None
        self.url = self.client_id = self.client_secret = self.admin_token = None

    # ---- process control
    def start(self):
        os.makedirs(self._directory, mode=0o700, exist_ok=True)
        if os.path.exists(self._ready_file):
            os.unlink(self._ready_file)
        command = [self._python, "-m", "runai_simulator", "serve", "--host", self._host, "--port", str(self._port),
                   "--state", self._state, "--ready-file", self._ready_file]
        command += _flag_arguments(self._flags) + self._extra_args
        descriptor = os.open(self.log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(descriptor, "ab") as log:
            self._process = subprocess.Popen(command, env=self._environment, stdin=subprocess.DEVNULL,
                                             stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + self._startup_timeout
        while not os.path.exists(self._ready_file):
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.kill()
                reason = ("exited with %s" % self._process.returncode if self._process.returncode is not None
                          and self._process.returncode >= 0 else "was not ready within %.0f s" % self._startup_timeout)
                message = "the simulator %s: %s" % (reason, self.log_tail())
                shutil.rmtree(self._directory, ignore_errors=True)
                raise SimulatorStartError(message)
            time.sleep(0.02)
        with open(self._ready_file, encoding="utf-8") as handle:
            ready = json.load(handle)
        self.url, self.client_id = ready["url"], ready["client_id"]
        self.client_secret, self.admin_token = ready["client_secret"], ready["admin_token"]
        self._port = int(self.url.rsplit(":", 1)[1])
        self._token = None
        return self

    @property
    def pid(self):
        return self._process.pid if self._process else None

    @property
    def running(self):
        return self._process is not None and self._process.poll() is None

    def stop(self, timeout=15.0):
        """SIGTERM, then SIGKILL if it has not exited within `timeout`; returns the exit code."""
        if self._process is None:
            return None
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(timeout)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._close_session()
        return self._process.returncode

    def kill(self):
        """SIGKILL: no shutdown, no final checkpoint."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._close_session()

    def restart(self):
        """Stop (if running) and start again on the same port with the same state file and flags."""
        self.stop()
        return self.start()

    def log_tail(self, characters=4000):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as handle:
                return handle.read()[-characters:]
        except OSError:
            return ""

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
        shutil.rmtree(self._directory, ignore_errors=True)

    # ---- HTTP helpers (requests is imported lazily: `exec` does not need it)
    def _requests(self):
        if self._session is None:
            import requests

            self._session = requests.Session()
        return self._session

    def _close_session(self):
        if self._session is not None:
            self._session.close()
            self._session = None

    def connection(self, token=None, url=None):
        """The environment a Run:ai client needs to reach this simulator, as an AWX credential injects it: the URL
        (`url`: another address in front of it, such as a proxy) and a bearer token when given, else the
        application's credentials."""
        environment = {"RUNAI_URL": url or self.url}
        if token:
            environment["RUNAI_TOKEN"] = token
        else:
            environment.update(RUNAI_CLIENT_ID=self.client_id, RUNAI_CLIENT_SECRET=self.client_secret)
        return environment

    def token(self):
        """A fresh API bearer token (client_credentials grant)."""
        response = self._requests().post(self.url + "/api/v1/token", json={
            "grantType": "client_credentials", "clientID": self.client_id, "clientSecret": self.client_secret})
        response.raise_for_status()
        return response.json()["accessToken"]

    def renew_token(self):
        """Replaces the token `api` uses by a fresh one, so that a test starts with a token that will not expire or
        need renewing under the faults it is about to inject."""
        self._token = self.token()
        return self._token

    def api(self, method, path, token=None, **kwargs):
        """An authenticated call (a cached token, renewed once on 401 unless `token` is given)."""
        session = self._requests()
        headers = dict(kwargs.pop("headers", None) or {})
        if token is not None:
            headers["Authorization"] = "Bearer " + token
            return session.request(method, self.url + path, headers=headers, **kwargs)
        if self._token is None:
            self._token = self.token()
        headers["Authorization"] = "Bearer " + self._token
        response = session.request(method, self.url + path, headers=headers, **kwargs)
        if response.status_code == 401:
            self._token = self.token()
            headers["Authorization"] = "Bearer " + self._token
            response = session.request(method, self.url + path, headers=headers, **kwargs)
        return response

    def reset(self):
        """No workloads, no faults, zeroed counters, and a fresh token for `api`: a clean start for a test."""
        self._admin_json("POST", "/_simulator/reset")
        self.clear_faults()
        self.renew_token()
        # Last: the token request above is the helper's own, not the test's.
        self.forget_requests()
        return self

    def admin(self, method, path, json=None):
        return self._requests().request(method, self.url + path, json=json,
                                        headers={"Authorization": "Bearer " + self.admin_token})

    def _admin_json(self, method, path, json=None):
        response = self.admin(method, path, json=json)
        if response.status_code != 200:
            raise RuntimeError("%s %s answered %s: %s" % (method, path, response.status_code, response.text[:300]))
        return response.json()

    # ---- Out-of-band reads for tests: what the simulator counted and holds, whatever a client under test said
    def stats(self):
        """Requests by route, faults injected and workloads held (`GET /_simulator/stats`)."""
        return self._admin_json("GET", "/_simulator/stats")

    def requests(self, route=None):
        """How many requests were answered on `route` (e.g. "POST /api/v2/workloads", as the reference spells the
        path), or on any route, since the counters were last zeroed."""
        counted = self.stats()["requests"]
        return counted["total"] if route is None else counted["by_route"].get(route, 0)

    def faults_injected(self):
        return sum(self.stats()["faults"].values())

    def forget_requests(self):
        """Zeroes the counters (requests and faults): what a test prepared is not counted."""
        self._admin_json("POST", "/_simulator/stats/reset")

    def set_faults(self, **settings):
        return self._admin_json("PUT", "/_simulator/faults", json=settings)

    def clear_faults(self):
        self._admin_json("DELETE", "/_simulator/faults")

    def workloads(self, deleted=False, name_prefix=None, project=None):
        """Every workload (v1 objects) in the server's order, page by page; filtered on the server by name prefix
        and project name when given."""
        params = {"limit": 500, "offset": 0}
        if deleted:
            params["deleted"] = "true"
        filters = ["name=^%s" % name_prefix] if name_prefix else []
        filters += ["projectName==%s" % project] if project else []
        if filters:
            params["filterBy"] = ",".join(filters)
        workloads = []
        for _page in range(200):
            response = self.api("GET", "/api/v1/workloads", params=dict(params), timeout=30)
            if response.status_code != 200:
                raise RuntimeError("the workload listing answered %s: %s" % (response.status_code, response.text))
            body = response.json()
            workloads.extend(body["workloads"])
            if body.get("next") is None or len(body["workloads"]) < params["limit"]:
                return workloads
            # `next` may be an offset or a page index (--next-style page): advance by what was received.
            params["offset"] += len(body["workloads"])
        raise RuntimeError("the workload listing did not end within 200 pages")

    def names(self, name_prefix=None, project=None):
        """The sorted names of the workloads `workloads` returns."""
        return sorted(workload["name"] for workload in self.workloads(name_prefix=name_prefix, project=project))
