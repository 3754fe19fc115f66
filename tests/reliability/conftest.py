# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the reliability and security suite.

Every test drives the collection the way AWX does: real ``ansible-playbook`` processes (collection path pointing at this
checkout, interpreter pinned to this Python) against real simulator processes, checked out of band with raw API calls.
Every playbook run is also scanned for secrets; the figures the suite prints at the end (faults injected, retries made,
bad inputs tried, leaks found) are gathered here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import http.client
import http.server
import ipaddress
import json
import os
import re
import ssl
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from runai_simulator.testing import AnsibleUser, CommandTimedOut, SimulatorProcess, link_collection

REPO_ROOT = Path(__file__).resolve().parents[2]
SUITE_DIR = Path(__file__).resolve().parent
CALLBACK_DIR = SUITE_DIR / "callback_plugins"
# ansible-playbook and the module both run on the Python that runs the suite (the project venv).
PYTHON = Path(sys.executable)
# Simulated lifecycles run this many times faster than real time.
SIMULATOR_SPEED = 50
# Upper bound of any single ansible-playbook run; a run that needs longer is a hang, and the test fails.
PLAYBOOK_TIMEOUT = 300
# Matches a JSON Web Token (the simulator's and Run:ai's bearer tokens), whoever issued it.
JWT_PATTERN = re.compile(r"eyJ[A-Za-z0-9_\-+/]{8,}={0,2}\.[A-Za-z0-9_\-+/]{8,}={0,2}\.[A-Za-z0-9_\-+/]{8,}={0,2}")
RETRY_WARNING = re.compile(r"retry \d+ of \d+")

GROUPS = {
    "faults": "a batch under injected 503/429/dropped connections/token expiry; retries exhausted",
    "crash": "the simulator killed with SIGKILL in the middle of a batch, then the playbook re-run",
    "concurrency": "two ansible-playbook processes submitting the same workloads at once",
    "bad_input": "the catalogue of bad inputs in bad_inputs.yml",
    "secrets": "the demo at -vvvv with ANSIBLE_DEBUG and kept remote files leaks no secret",
    "simulator_guard": "the simulator refuses unauthenticated calls, and a seeded schemathesis run finds no fault",
}


# ---------------------------------------------------------------------------------------------------------------- figures


class Figures(object):
    """What the suite did, printed at the end of the run (and quoted in reports)."""

    def __init__(self):
        self.used = False
        self.faults_injected = 0
        self.retries_made = 0
        self.bad_inputs_tried = 0
        self.leaks = []
        self._lock = threading.Lock()

    def add(self, **counts):
        with self._lock:
            self.used = True
            for name, count in counts.items():
                setattr(self, name, getattr(self, name) + count)

    def add_leaks(self, leaks):
        with self._lock:
            self.used = True
            self.leaks.extend(leaks)

    def line(self):
        return "reliability: faults injected %d, retries made %d, bad inputs tried %d, leaks found %d" % (
            self.faults_injected, self.retries_made, self.bad_inputs_tried, len(self.leaks))

    def as_dict(self):
        return dict(used=self.used, faults_injected=self.faults_injected, retries_made=self.retries_made,
                    bad_inputs_tried=self.bad_inputs_tried, leaks=list(self.leaks))

    def merge(self, other):
        """Add the figures of another process (a pytest-xdist worker) to these."""
        if other.get("used"):
            self.add(faults_injected=other["faults_injected"], retries_made=other["retries_made"],
                     bad_inputs_tried=other["bad_inputs_tried"])
            self.add_leaks(other["leaks"])


FIGURES = Figures()


def pytest_configure(config):
    config.addinivalue_line("markers", "reliability: the reliability and security suite (tests/reliability)")
    for name, description in GROUPS.items():
        config.addinivalue_line("markers", "%s: reliability group: %s" % (name, description))


def pytest_sessionfinish(session):
    # Under pytest-xdist each worker gathers its own figures and hands them to the controller, which prints them.
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["reliability_figures"] = FIGURES.as_dict()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    FIGURES.merge(getattr(node, "workeroutput", {}).get("reliability_figures") or {})


def pytest_terminal_summary(terminalreporter):
    if FIGURES.used:
        terminalreporter.write_sep("-", "reliability figures")
        terminalreporter.write_line(FIGURES.line())
        for leak in FIGURES.leaks:
            terminalreporter.write_line("  leak: %s" % leak)


@pytest.fixture(scope="session")
def figures():
    FIGURES.used = True
    return FIGURES


# ---------------------------------------------------------------------------------------------------------------- secrets


class LeakScanner(object):
    """Finds secrets in text and files without ever printing them: a finding names the secret's label and the place."""

    def __init__(self, secrets=None, any_token=True):
        """``any_token``: also report any JWT, not only the known secrets (off for files other runs may have
        written, where another simulator's token is not this run's leak)."""
        self._secrets = {}
        self._any_token = any_token
        for label, value in (secrets or {}).items():
            self.add(label, value)

    def add(self, label, value):
        if value:
            self._secrets[value] = label

    def scan_text(self, where, text):
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        leaks = ["%s in %s" % (label, where) for value, label in self._secrets.items() if value in text]
        if self._any_token:
            leaks.extend(
                "a bearer token (JWT) in %s" % where
                for match in JWT_PATTERN.finditer(text)
                if match.group(0) not in self._secrets
            )
        return sorted(set(leaks))

    def scan_file(self, path):
        try:
            with open(path, "rb") as stream:
                return self.scan_text(str(path), stream.read())
        except OSError:
            return []

    def scan_tree(self, root, modified_since=None, skip=()):
        """Every regular file under root (modified at or after ``modified_since`` when given), minus ``skip`` paths."""
        leaks = []
        skip = set(str(path) for path in skip)
        for directory, subdirectories, files in os.walk(str(root)):
            subdirectories[:] = [name for name in subdirectories if os.path.join(directory, name) not in skip]
            for name in files:
                path = os.path.join(directory, name)
                try:
                    status = os.lstat(path)
                except OSError:
                    continue
                if not os.path.isfile(path) or os.path.islink(path):
                    continue
                if modified_since is not None and max(status.st_mtime, status.st_ctime) < modified_since:
                    continue
                leaks.extend(self.scan_file(path))
        return leaks


# ---------------------------------------------------------------------------------------------------------------- ansible


class PlaybookRun(object):
    """The outcome of one ansible-playbook process: exit code, output, and every task result the callback recorded."""

    def __init__(self, finished, records):
        self._finished = finished
        self.rc, self.stdout, self.stderr = finished.rc, finished.stdout, finished.stderr
        self.output, self.directory = finished.output, finished.directory
        self.records = records

    def results(self, action=None, task=None):
        return [
            record for record in self.records
            if (action is None or record["action"] == action) and (task is None or record["task"] == task)
        ]

    def result(self, task):
        """The one recorded result of the task named ``task``."""
        found = self.results(task=task)
        assert len(found) == 1, "expected one result of task %r, found %d:\n%s" % (task, len(found), self.describe())
        return found[0]

    def failures(self):
        return [record for record in self.records if record["status"] in ("failed", "unreachable")]

    def warnings(self):
        return [warning for record in self.records for warning in record["warnings"]]

    def python_failures(self):
        """Signs that Python itself failed (a traceback, or a module that crashed) rather than reporting a problem."""
        signs = []
        for record in self.records:
            if record.get("traceback"):
                signs.append("traceback in task %r" % record["task"])
            text = json.dumps(record["result"])
            if "Traceback (most recent call last)" in text or "module_stderr" in record["result"]:
                signs.append("module crash in task %r" % record["task"])
        for marker in ("Traceback (most recent call last)", "MODULE FAILURE"):
            if marker in self.output:
                signs.append("%r in the output" % marker)
        return signs

    def describe(self, limit=6000):
        return self._finished.describe(limit)


class RunningPlaybook(object):
    """An ansible-playbook process started in the background (for the crash and concurrency groups)."""

    def __init__(self, runner, started, scanner):
        """``scanner`` None: the caller checks the output for secrets itself."""
        self._runner = runner
        self._started = started
        self.process = started.process
        self.directory = started.directory
        self._scanner = scanner

    def wait(self, timeout=PLAYBOOK_TIMEOUT):
        try:
            finished = self._started.wait(timeout)
        except CommandTimedOut as timed_out:
            pytest.fail(str(timed_out))
        return self._runner.finish(finished, self._scanner)

    def terminate(self):
        self._started.terminate()


class AnsibleRunner(object):
    """ansible-playbook as a user runs it (the simulator package's AnsibleUser, with this checkout as runai.platform),
    plus what this suite adds: its recording callback, a localhost inventory pinned to this Python, a leak scan of
    every run, and the retries each run reported, counted into the figures."""

    def __init__(self, root, collections_path, figures):
        self.user = AnsibleUser(root, collections_path)
        self.home, self.remote_tmp = self.user.home, self.user.remote_tmp
        self._figures = figures
        self._started = []
        self.inventory = self.user.write(self.user.root / "inventory.yml", {
            "all": {"hosts": {"localhost": {
                "ansible_connection": "local",
                "ansible_python_interpreter": str(PYTHON),
            }}}
        })

    def run(self, playbook, extra_vars=None, args=(), connection=None, env=None, secrets=None,
            timeout=PLAYBOOK_TIMEOUT, check_leaks=True):
        """Run to completion and return a PlaybookRun; fails the test on a hang or, unless ``check_leaks`` is false,
        on a secret in the output."""
        running = self.start(playbook, extra_vars, args, connection, env, secrets, check_leaks)
        return running.wait(timeout)

    def start(self, playbook, extra_vars=None, args=(), connection=None, env=None, secrets=None, check_leaks=True):
        """``playbook``: a path, a playbook's FQCN or a list of plays; ``connection`` and ``env``: variables set for
        the run (None unsets one)."""
        directory = self.user.run_directory()
        if isinstance(playbook, (list, tuple)):
            playbook = self.user.write(directory / "playbook.yml", list(playbook))
        settings = dict(connection or {}, **(env or {}))
        settings.update(ANSIBLE_CALLBACK_PLUGINS=str(CALLBACK_DIR), ANSIBLE_CALLBACKS_ENABLED="reliability_record",
                        RELIABILITY_RESULTS_FILE=str(directory / "results.jsonl"))
        environment = self.user.environment(env=settings)
        scanner = LeakScanner(secrets)
        for name in ("RUNAI_CLIENT_SECRET", "RUNAI_TOKEN", "RUNAI_SIMULATOR_ADMIN_TOKEN"):
            scanner.add(name, environment.get(name))
        started = self.user.start(["ansible-playbook", "-i", self.inventory, playbook] + list(args),
                                  environment=environment, extra_vars=extra_vars, directory=directory,
                                  secrets=list((secrets or {}).values()))
        running = RunningPlaybook(self, started, scanner if check_leaks else None)
        self._started.append(running)
        return running

    def finish(self, finished, scanner):
        records = []
        results_path = finished.directory / "results.jsonl"
        if results_path.exists():
            records = [json.loads(line) for line in results_path.read_text().splitlines() if line.strip()]
        run = PlaybookRun(finished, records)
        self._figures.add(retries_made=count_retries(run))
        if scanner is None:
            return run
        leaks = scanner.scan_text("stdout of %s" % finished.directory.name, finished.stdout)
        leaks += scanner.scan_text("stderr of %s" % finished.directory.name, finished.stderr)
        leaks += scanner.scan_file(results_path)
        if leaks:
            self._figures.add_leaks(leaks)
            pytest.fail("secrets leaked by ansible-playbook: %s" % "; ".join(leaks))
        return run

    def stop_all(self):
        for running in self._started:
            running.terminate()


def count_retries(run):
    """Retries a run reported: the modules' own count when they return one, else their retry warnings."""
    reported = 0
    for record in run.records:
        counts = record["result"].get("api") if isinstance(record["result"], dict) else None
        if isinstance(counts, dict) and isinstance(counts.get("retries"), int):
            reported += counts["retries"]
        else:
            reported += sum(1 for warning in record["warnings"] if RETRY_WARNING.search(warning))
    return reported


@pytest.fixture(scope="session")
def collections_path(tmp_path_factory):
    """A directory holding ansible_collections/runai/platform -> this checkout."""
    return link_collection(tmp_path_factory.mktemp("collections"), REPO_ROOT)


@pytest.fixture
def ansible(tmp_path, collections_path, figures):
    runner = AnsibleRunner(tmp_path / "ansible", collections_path, figures)
    yield runner
    runner.stop_all()


@pytest.fixture(scope="module")
def module_ansible(tmp_path_factory, collections_path, figures):
    runner = AnsibleRunner(tmp_path_factory.mktemp("ansible"), collections_path, figures)
    yield runner
    runner.stop_all()


# ---------------------------------------------------------------------------------------------------------------- batches

JOB_MANIFEST = {
    "apiVersion": "batch/v1",
    "kind": "Job",
    "spec": {"template": {"spec": {
        "restartPolicy": "Never",
        "containers": [{"name": "main", "image": "busybox:1.36", "command": ["true"]}],
    }}},
}


class Batch(object):
    """One way of submitting a list of workloads: what to run, and the task whose result holds the batch's results."""

    def __init__(self, playbook, extra_vars, task):
        self.playbook = playbook
        self.extra_vars = extra_vars
        self.task = task

    @property
    def run_args(self):
        """The positional arguments of AnsibleRunner.run and .start."""
        return self.playbook, self.extra_vars


GO_WAITER = (
    "import os, sys, time\n"
    "deadline = time.monotonic() + 120\n"
    "while not os.path.exists(sys.argv[1]) and time.monotonic() < deadline:\n"
    "    time.sleep(0.02)\n"
)


class Batches(object):
    """The two entry points of a batch: the shipped submit playbook (what AWX runs, ``runai.platform.submit`` with a
    batch.yml) and the batch path of runai_workload in a one-task play (credentials from the environment)."""

    project = "team-a"
    job_manifest = JOB_MANIFEST
    entry_points = ("module", "submit_playbook")

    @staticmethod
    def names(prefix, count):
        return ["%s-%03d" % (prefix, number) for number in range(count)]

    def module(self, names, **options):
        task = "Reconcile the batch"
        arguments = dict(project=self.project, manifest=JOB_MANIFEST, workloads=[{"name": name} for name in names])
        arguments.update(options)
        play = {
            "name": "Submit a batch with the module",
            "hosts": "localhost",
            "gather_facts": False,
            "tasks": [{"name": task, "runai.platform.runai_workload": arguments}],
        }
        return Batch([play], None, task)

    def submit_playbook(self, names, **variables):
        extra_vars = dict(
            workload_submit_project=self.project,
            workload_submit_workloads=[{"name": name, "manifest": JOB_MANIFEST} for name in names],
        )
        extra_vars.update(variables)
        return Batch("runai.platform.submit", extra_vars, "Submit the workloads and wait for them")

    def build(self, entry_point, names, parallelism=8, wait=True, **module_options):
        if entry_point == "module":
            return self.module(names, parallelism=parallelism, wait=wait, wait_sleep=0.5, **module_options)
        return self.submit_playbook(names, workload_submit_parallelism=parallelism, workload_submit_wait=wait)

    @staticmethod
    def behind_barrier(batch, ready_file, go_file):
        """The batch preceded by a play that says it is ready and waits for the go, so that runs started together
        reach the API together (ansible-playbook start-up takes seconds on a busy machine)."""
        barrier = {
            "name": "Wait for the go",
            "hosts": "localhost",
            "gather_facts": False,
            "tasks": [
                {"name": "Say ready", "ansible.builtin.file": {"path": str(ready_file), "state": "touch", "mode": "0600"}},
                # wait_for polls once a second at best; this polls every 20 ms
                {"name": "Wait for the go", "changed_when": False, "ansible.builtin.command": {"argv": [
                    str(PYTHON), "-c", GO_WAITER, str(go_file)]}},
            ],
        }
        if isinstance(batch.playbook, list):
            plays = [barrier] + batch.playbook
        else:
            plays = [barrier, {"name": "Run the batch", "ansible.builtin.import_playbook": batch.playbook}]
        return Batch(plays, batch.extra_vars, batch.task)


@pytest.fixture(scope="session")
def batches():
    return Batches()


def assert_exactly(simulator, prefix, names):
    """The live workloads whose name starts with prefix are exactly ``names``, each once; returns them."""
    workloads = simulator.workloads(name_prefix=prefix)
    stored = [workload["name"] for workload in workloads]
    duplicates = sorted(set(name for name in stored if stored.count(name) > 1))
    assert duplicates == [], "duplicated workloads: %s" % duplicates
    assert sorted(stored) == sorted(names), "missing: %s; unexpected: %s" % (
        sorted(set(names) - set(stored)), sorted(set(stored) - set(names)))
    return workloads


@pytest.fixture(scope="session")
def exactly():
    return assert_exactly


# ---------------------------------------------------------------------------------------------------------------- simulator


def write_snapshot(simulator):
    """What a write would alter: every workload (live and deleted) as (id, name, the v2 update stamp, desired phase).
    The v1 updatedAt moves with the lifecycle, so the v2 object is read for each."""
    rows = []
    for workload in simulator.workloads() + simulator.workloads(deleted=True):
        response = simulator.api("GET", "/api/v2/workloads/%s" % workload["id"], timeout=30)
        if response.status_code == 404:
            rows.append((workload["id"], workload["name"], "gone", "Deleted"))
            continue
        assert response.status_code == 200, response.text
        stored = response.json()["workload"]
        rows.append((workload["id"], workload["name"], stored["metadata"].get("updatedAt"),
                     stored.get("desiredPhase")))
    return sorted(rows)


class SimulatorFactory(object):
    """Starts simulators for a test and stops them after it, adding the faults they injected to the figures."""

    def __init__(self, figures):
        self._figures = figures
        self._simulators = []

    def start(self, **flags):
        flags.setdefault("speed", SIMULATOR_SPEED)
        flags.setdefault("quiet", True)
        simulator = SimulatorProcess(**flags)
        self._simulators.append(simulator)
        simulator.start()
        return simulator

    def count_faults(self, simulator):
        """Adds what a running simulator injected so far to the figures and resets its counters."""
        if simulator.running:
            self._figures.add(faults_injected=simulator.faults_injected())
            simulator.forget_requests()

    def stop_all(self):
        for simulator in self._simulators:
            try:
                self.count_faults(simulator)
            finally:
                simulator.__exit__(None, None, None)


@pytest.fixture
def simulators(figures):
    factory = SimulatorFactory(figures)
    yield factory
    factory.stop_all()


@pytest.fixture(scope="module")
def module_simulators(figures):
    factory = SimulatorFactory(figures)
    yield factory
    factory.stop_all()


# ---------------------------------------------------------------------------------------------------------------- TLS


def _write_certificate_authority(directory, common_name):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
                                     key_encipherment=False, data_encipherment=False, key_agreement=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .sign(key, hashes.SHA256())
    )
    path = directory / ("%s.pem" % common_name)
    path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key, certificate, path


def _write_server_certificate(directory, ca_key, ca_certificate):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_certificate.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([
            x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    certificate_path, key_path = directory / "server.pem", directory / "server-key.pem"
    certificate_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    descriptor = os.open(str(key_path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return certificate_path, key_path


class TlsMaterial(object):
    """A throwaway CA with a server certificate for 127.0.0.1/localhost, and an unrelated CA that did not sign it."""

    def __init__(self, directory):
        directory.mkdir(parents=True, exist_ok=True)
        ca_key, ca_certificate, self.ca_path = _write_certificate_authority(directory, "reliability-test-ca")
        self.certificate_path, self.key_path = _write_server_certificate(directory, ca_key, ca_certificate)
        self.other_ca_path = _write_certificate_authority(directory, "unrelated-test-ca")[2]

    def server_context(self):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(self.certificate_path), str(self.key_path))
        return context


@pytest.fixture(scope="session")
def tls_material(tmp_path_factory):
    return TlsMaterial(tmp_path_factory.mktemp("tls"))


# ---------------------------------------------------------------------------------------------------------------- proxy

HOP_BY_HOP_HEADERS = frozenset(
    ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
     "content-length", "host"]
)
TOKEN_RESPONSE_KEYS = ("accessToken", "access_token", "id_token", "refreshToken", "refresh_token")


class ForwardingProxy(object):
    """A reverse proxy on 127.0.0.1 in front of a simulator: optionally terminates TLS, and records every bearer token
    that crosses it (sent by a client or issued by the token routes), so a leak scan knows the exact tokens."""

    def __init__(self, upstream_url, ssl_context=None):
        self.upstream = urlsplit(upstream_url)
        self.tokens = set()
        self._lock = threading.Lock()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass  # the access log would hold request paths only, but a test run has no use for it

            def _forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = dict((key, value) for key, value in self.headers.items()
                               if key.lower() not in HOP_BY_HOP_HEADERS)
                proxy.record_authorization(self.headers.get("Authorization"))
                connection = http.client.HTTPConnection(proxy.upstream.hostname, proxy.upstream.port, timeout=60)
                try:
                    connection.request(self.command, self.path, body=body, headers=headers)
                    response = connection.getresponse()
                    payload = response.read()
                except (OSError, http.client.HTTPException):
                    # the upstream dropped the connection: do the same to the client
                    self.close_connection = True
                    return
                finally:
                    connection.close()
                proxy.record_issued(payload)
                self.send_response(response.status, response.reason)
                for key, value in response.getheaders():
                    if key.lower() not in HOP_BY_HOP_HEADERS:
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _forward

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        if ssl_context is not None:
            self._server.socket = ssl_context.wrap_socket(self._server.socket, server_side=True)
        scheme = "https" if ssl_context is not None else "http"
        self.url = "%s://127.0.0.1:%d" % (scheme, self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self._thread.start()

    def record_authorization(self, value):
        scheme, token = ((value or "").split(" ", 1) + [""])[:2]
        if scheme.lower() == "bearer" and token:
            with self._lock:
                self.tokens.add(token)

    def record_issued(self, payload):
        try:
            body = json.loads(payload)
        except ValueError:
            return
        if isinstance(body, dict):
            with self._lock:
                self.tokens.update(body[key] for key in TOKEN_RESPONSE_KEYS if isinstance(body.get(key), str))

    def close(self):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(10)


@pytest.fixture(scope="module")
def proxies():
    started = []

    def start(upstream_url, ssl_context=None):
        proxy = ForwardingProxy(upstream_url, ssl_context)
        started.append(proxy)
        return proxy

    yield start
    for proxy in started:
        proxy.close()


def wait_until(predicate, timeout, interval=0.05, what="a condition"):
    """Polls ``predicate`` until it returns a true value; fails the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail("%s did not happen within %.0f s" % (what, timeout))
        time.sleep(interval)


@pytest.fixture(scope="session")
def poll():
    return wait_until


@pytest.fixture(scope="session")
def snapshot():
    return write_snapshot


@pytest.fixture(scope="session")
def leak_scanner():
    return LeakScanner
