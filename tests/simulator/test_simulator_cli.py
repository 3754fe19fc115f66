# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The command: `serve` prints its URL and client id and never a secret it was given; `exec` runs a command
against a throw-away simulator and returns its exit code."""

import json
import os
import pty
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


def _serve(tmp_path, environment, *flags, terminal=False):
    """(exit code, output, ready file, its mode) of a `serve` stopped once ready; on a pseudo-terminal if asked."""
    ready = tmp_path / "ready.json"
    command = [sys.executable, "-m", "runai_simulator", "serve", "--port", "0", "--ready-file", str(ready)] + list(flags)
    if terminal:
        controller, terminal_end = pty.openpty()
        process = subprocess.Popen(command, env=environment, stdout=terminal_end, stderr=terminal_end)
        os.close(terminal_end)
    else:
        process = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True)
    deadline = time.monotonic() + 30
    while not ready.exists():
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    process.send_signal(signal.SIGTERM)
    if terminal:
        process.wait(timeout=30)
        output = b""
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # EIO: the child closed its end
                break
            if not chunk:
                break
            output += chunk
        os.close(controller)
        output = output.decode("utf-8", "replace").replace("\r\n", "\n")
    else:
        output = process.communicate(timeout=30)[0]
    return process.returncode, output, json.loads(ready.read_text()), stat.S_IMODE(ready.stat().st_mode)


def _without_secrets():
    environment = _environment()
    for variable in ("RUNAI_SIMULATOR_CLIENT_SECRET", "RUNAI_SIMULATOR_ADMIN_TOKEN"):
        environment.pop(variable, None)
    return environment


def test_serve_never_prints_a_given_secret(tmp_path):
    code, output, ready, mode = _serve(tmp_path, _environment(
        RUNAI_SIMULATOR_CLIENT_SECRET="given-secret-value", RUNAI_SIMULATOR_ADMIN_TOKEN="given-admin-token"))
    assert code == 0 and mode == 0o600
    assert ready["url"] in output and "client id:     runai-demo" in output
    assert "given-secret-value" not in output and "given-admin-token" not in output
    assert ready["client_secret"] == "given-secret-value" and ready["url"].startswith("http://127.0.0.1:")
    # the line to paste refers to the variable that holds it
    assert 'export RUNAI_URL=%s RUNAI_CLIENT_ID=runai-demo RUNAI_CLIENT_SECRET="$RUNAI_SIMULATOR_CLIENT_SECRET"' % (
        ready["url"]) in output


def test_serve_prints_a_generated_secret_to_a_terminal_only(tmp_path):
    code, output, ready, _mode = _serve(tmp_path, _without_secrets(), "--client-id", "demo-app", terminal=True)
    assert code == 0
    assert "export RUNAI_URL=%s RUNAI_CLIENT_ID=demo-app RUNAI_CLIENT_SECRET=%s" % (
        ready["url"], ready["client_secret"]) in output
    assert ready["admin_token"] not in output and ready["client_id"] == "demo-app"
    (tmp_path / "ready.json").unlink()
    code, output, ready, _mode = _serve(tmp_path, _without_secrets())  # a pipe, as to a log file
    assert code == 0 and ready["client_secret"] not in output
    assert "export RUNAI_URL=%s RUNAI_CLIENT_ID=runai-demo\n" % ready["url"] in output
    assert "not printed because this output is not a terminal" in output


def test_serve_names_the_level_and_the_consistency_knobs(tmp_path):
    code, output, _ready, _mode = _serve(tmp_path, _environment(), "--realistic", "--v1-lag", "1.5")
    assert code == 0
    assert "API level:     3.0 (v1 lag 1.5 s, deleted workloads readable for 30 s, paging next = offset)" in output


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


def test_exec_help_prints_help():
    result = subprocess.run([sys.executable, "-m", "runai_simulator", "exec", "--help"], env=_environment(),
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    for flag in ("--api-level", "--v1-lag", "--keep-deleted", "--next-style", "--realistic", "-- CMD"):
        assert flag in result.stdout


def test_exec_without_a_command_is_a_usage_error():
    result = subprocess.run([sys.executable, "-m", "runai_simulator", "exec"], env=_environment(),
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2 and "exec needs" in result.stderr
