# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The command: `serve` prints its URL and client id and never a secret it was given; `exec` runs a command
against a throw-away simulator and returns its exit code."""

import json
import os
import signal
import stat
import subprocess
import sys
import time

import runai_simulator
from runai_simulator.testing import SimulatorProcess

PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(runai_simulator.__file__)))


def _environment(**variables):
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, (PACKAGE_PARENT, os.environ.get("PYTHONPATH")))))
    environment.update(variables)
    return environment


def _serve(tmp_path, environment, *flags):
    ready = tmp_path / "ready.json"
    process = subprocess.Popen([sys.executable, "-m", "runai_simulator", "serve", "--port", "0", "--ready-file",
                                str(ready)] + list(flags), env=environment, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 30
    while not ready.exists():
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    process.send_signal(signal.SIGTERM)
    output = process.communicate(timeout=30)[0]
    return process.returncode, output, json.loads(ready.read_text()), stat.S_IMODE(ready.stat().st_mode)


def test_serve_never_prints_a_given_secret(tmp_path):
    code, output, ready, mode = _serve(tmp_path, _environment(
        RUNAI_SIMULATOR_CLIENT_SECRET="given-secret-value", RUNAI_SIMULATOR_ADMIN_TOKEN="given-admin-token"))
    assert code == 0 and mode == 0o600
    assert ready["url"] in output and "client id:     runai-demo" in output
    assert "given-secret-value" not in output and "given-admin-token" not in output
    assert ready["client_secret"] == "given-secret-value" and ready["url"].startswith("http://127.0.0.1:")


def test_serve_prints_a_secret_it_generated(tmp_path):
    environment = _environment()
    for variable in ("RUNAI_SIMULATOR_CLIENT_SECRET", "RUNAI_SIMULATOR_ADMIN_TOKEN"):
        environment.pop(variable, None)
    code, output, ready, _mode = _serve(tmp_path, environment, "--client-id", "demo-app")
    assert code == 0
    assert "client secret: %s" % ready["client_secret"] in output
    assert ready["admin_token"] not in output and ready["client_id"] == "demo-app"


def test_exec_runs_a_command_and_returns_its_code():
    probe = ("import json, os, sys, urllib.request\n"
             "url = os.environ['RUNAI_URL']\n"
             "body = json.dumps({'grantType': 'client_credentials', 'clientID': os.environ['RUNAI_CLIENT_ID'],"
             " 'clientSecret': os.environ['RUNAI_CLIENT_SECRET']}).encode()\n"
             "request = urllib.request.Request(url + '/api/v1/token', body, {'Content-Type': 'application/json'})\n"
             "assert 'accessToken' in json.load(urllib.request.urlopen(request))\n"
             "assert os.environ['RUNAI_SIMULATOR_ADMIN_TOKEN']\n"
             "print(url)\n"
             "sys.exit(7)\n")
    result = subprocess.run([sys.executable, "-m", "runai_simulator", "exec", "--speed", "10", "--", sys.executable,
                             "-c", probe], env=_environment(), capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 7, result.stderr
    url = result.stdout.strip()
    assert url.startswith("http://127.0.0.1:")
    with SimulatorProcess() as other:  # the exec'd simulator is gone: its port can be taken again
        assert other.url


def test_exec_without_a_command_is_a_usage_error():
    result = subprocess.run([sys.executable, "-m", "runai_simulator", "exec"], env=_environment(),
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2 and "exec needs" in result.stderr
