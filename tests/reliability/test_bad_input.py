# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every bad input of the catalogue (bad_inputs.yml) fails the run with a message that says what is wrong and how to
fix it, without a Python traceback, and changes nothing on the server."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

pytestmark = [pytest.mark.reliability, pytest.mark.bad_input]

CATALOGUE_PATH = Path(__file__).with_name("bad_inputs.yml")
CATALOGUE = yaml.safe_load(CATALOGUE_PATH.read_text())
ENTRIES = dict((entry["id"], entry) for entry in CATALOGUE)
AREAS = ("module", "role", "playbook", "connection")
RUNNABLES = ("module", "role", "playbook", "playbook_text")
# ansible-playbook start-up is CPU-bound: two at a time use both cores.
WORKERS = 2
# Characters of padding that take a manifest past the API's 2097152 base64 characters.
OVERSIZED_CHARACTERS = 1600000
RESTRICTED_ID = "restricted-app"
# The client's warning for each retry ("...; retry 1 of 5 in 0.5 s.").
RETRY_WARNING = "; retry "
EXISTING_WORKLOAD = "existing-job"


def substitute(value, placeholders):
    if isinstance(value, str):
        if value in placeholders:
            return placeholders[value]
        for token, replacement in placeholders.items():
            value = value.replace(token, replacement)
        return value
    if isinstance(value, list):
        return [substitute(item, placeholders) for item in value]
    if isinstance(value, dict):
        return dict((key, substitute(item, placeholders)) for key, item in value.items())
    return value


class CatalogueWorld(object):
    """Everything the entries point at: a simulator with a restricted application and one existing workload, the same
    simulator behind TLS, a port that refuses, a port that never answers, and an expired token."""

    def __init__(self, simulators, proxies, tls_material, directory):
        self.directory = directory
        self.simulator = simulators.start(restricted_app=["%s:%s:project-a" % (RESTRICTED_ID, "restricted-secret")])
        self.tls_proxy = proxies(self.simulator.url, tls_material.server_context())
        self._silent = socket.socket()
        self._silent.bind(("127.0.0.1", 0))
        self._silent.listen(1)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            refused_port = probe.getsockname()[1]
        self.expired_token = self.simulator.token()
        assert self.simulator.admin("POST", "/_simulator/tokens/expire").status_code == 200
        projects = self.simulator.api("GET", "/api/v1/org-unit/projects", params={"filterBy": "name==team-a"})
        self.team_a_id = projects.json()["projects"][0]["id"]
        created = self.simulator.api("POST", "/api/v2/workloads", json={
            "metadata": {"name": EXISTING_WORKLOAD, "projectId": self.team_a_id, "preemptibility": "preemptible"},
            "manifest": {"apiVersion": "batch/v1", "kind": "Job"},
        })
        assert created.status_code == 202, created.text
        self.common = {
            "@url@": self.simulator.url,
            "@tls_url@": self.tls_proxy.url,
            "@ca_path@": str(tls_material.ca_path),
            "@other_ca_path@": str(tls_material.other_ca_path),
            "@refused_url@": "http://127.0.0.1:%d" % refused_port,
            "@silent_url@": "http://127.0.0.1:%d" % self._silent.getsockname()[1],
            "@expired_token@": self.expired_token,
            "@restricted_id@": RESTRICTED_ID,
            "@restricted_secret@": "restricted-secret",
            "@team_a_id@": self.team_a_id,
            "@existing@": EXISTING_WORKLOAD,
            "@oversized@": "x" * OVERSIZED_CHARACTERS,
        }

    def close(self):
        self._silent.close()

    @staticmethod
    def workload_name(entry_id):
        return "bad-%02d" % sorted(ENTRIES).index(entry_id)

    def prepare(self, entry):
        """(playbook, extra_vars, ansible-playbook arguments, environment) of an entry."""
        files = self.directory / entry["id"]
        files.mkdir(parents=True, exist_ok=True)
        placeholders = dict(self.common, **{"@name@": self.workload_name(entry["id"]), "@files@": str(files)})
        for name, text in (entry.get("files") or {}).items():
            (files / name).write_text(substitute(text, placeholders))
        environment = self.simulator.connection()
        environment.update(substitute(entry.get("env") or {}, placeholders))
        # null unsets: a run inherits no RUNAI_ variable from the caller (AnsibleRunner drops them)
        environment = dict((name, value) for name, value in environment.items() if value is not None)
        arguments = []
        if entry.get("vars_text"):
            batch_file = files / "batch.yml"
            batch_file.write_text(substitute(entry["vars_text"], placeholders))
            arguments += ["-e", "@%s" % batch_file]
        extra_vars = None
        if "module" in entry:
            playbook = [{"name": entry["id"], "hosts": "localhost", "gather_facts": False,
                         "tasks": [{"name": entry["id"], entry["module"]: substitute(entry["args"], placeholders)}]}]
        elif "role" in entry:
            playbook = [{"name": entry["id"], "hosts": "localhost", "gather_facts": False,
                         "vars": substitute(entry.get("vars") or {}, placeholders), "roles": [entry["role"]]}]
        elif "playbook" in entry:
            playbook = entry["playbook"]
            extra_vars = substitute(entry.get("vars"), placeholders)
        else:
            playbook = files / "playbook.yml"
            playbook.write_text(substitute(entry["playbook_text"], placeholders))
        return playbook, extra_vars, arguments, environment


def selected_entry_ids(session):
    return [item.callspec.params["entry_id"] for item in session.items
            if getattr(item, "callspec", None) is not None and "entry_id" in item.callspec.params]


@pytest.fixture(scope="module")
def world(module_simulators, proxies, tls_material, tmp_path_factory):
    catalogue_world = CatalogueWorld(module_simulators, proxies, tls_material, tmp_path_factory.mktemp("entries"))
    yield catalogue_world
    catalogue_world.close()


@pytest.fixture(scope="module")
def catalogue_run(request, world, module_ansible, figures, snapshot):
    """Runs the selected entries, two at a time, between two snapshots of the server; returns (outcomes, before,
    after), outcomes by entry id (a PlaybookRun, or the exception that stopped the run)."""
    entry_ids = selected_entry_ids(request.session) or sorted(ENTRIES)
    before = snapshot(world.simulator)

    def run(entry_id):
        playbook, extra_vars, arguments, environment = world.prepare(ENTRIES[entry_id])
        secrets = {"restricted client secret": "restricted-secret", "expired token": world.expired_token}
        return module_ansible.run(playbook, extra_vars, args=arguments, connection=environment, secrets=secrets,
                                  timeout=180)

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = dict((entry_id, pool.submit(run, entry_id)) for entry_id in entry_ids)
    outcomes = {}
    for entry_id, future in futures.items():
        error = future.exception()
        outcomes[entry_id] = error if error is not None else future.result()
    after = snapshot(world.simulator)
    figures.add(bad_inputs_tried=len(entry_ids))
    return outcomes, before, after


def failure_text(entry, run):
    """What the user is told: the messages of the failed tasks; for a role or playbook also what it printed before
    failing (a summary of what went wrong); the whole output when no task ran (a YAML error)."""
    messages = [str(record["result"].get("msg", "")) for record in run.failures()]
    if not messages or entry["area"] in ("role", "playbook"):
        messages.append(run.output)
    return "\n".join(messages)


def test_the_catalogue_covers_the_issue():
    ids = [entry["id"] for entry in CATALOGUE]
    assert len(ids) >= 40 and len(ids) == len(set(ids))
    for entry in CATALOGUE:
        assert entry["area"] in AREAS, entry["id"]
        assert sum(1 for key in RUNNABLES if key in entry) == 1, entry["id"]
        assert entry.get("problem") and entry.get("fix") and entry.get("why"), entry["id"]
    assert set(entry["area"] for entry in CATALOGUE) == set(AREAS)


@pytest.mark.parametrize("entry_id", sorted(ENTRIES))
def test_bad_input_fails_clearly_and_changes_nothing(entry_id, catalogue_run, world):
    outcomes, before, after = catalogue_run
    entry = ENTRIES[entry_id]
    outcome = outcomes[entry_id]
    if isinstance(outcome, BaseException):
        raise outcome
    run = outcome
    assert run.rc != 0, "%s (%s) was accepted:\n%s" % (entry_id, entry["why"], run.describe())
    assert run.python_failures() == [], run.describe()
    text = failure_text(entry, run)
    placeholders = {"@name@": world.workload_name(entry_id), "@existing@": EXISTING_WORKLOAD}
    missing = [fragment for fragment in substitute(entry["problem"] + entry["fix"], placeholders)
               if fragment.lower() not in text.lower()]
    assert missing == [], "the message lacks %s:\n%s" % (missing, text[-3000:])
    made = [row for row in after if row not in before and row[1] == world.workload_name(entry_id)]
    assert made == [], "the server changed: %s" % made
    if not entry.get("transient"):
        retried = [warning for warning in run.warnings() if RETRY_WARNING in warning]
        assert retried == [], "a bad input that cannot pass by itself was retried: %s" % retried


def test_the_catalogue_changed_nothing_on_the_server(catalogue_run):
    outcomes, before, after = catalogue_run
    assert after == before, "added or changed: %s; gone: %s" % (
        [row for row in after if row not in before], [row for row in before if row not in after])


@pytest.mark.parametrize(
    "tls_settings",
    [{"RUNAI_CA_PATH": "@ca_path@"}, {"RUNAI_VALIDATE_CERTS": "false"}],
    ids=["ca_path-of-the-signing-ca", "validate_certs-false"],
)
def test_the_tls_server_of_the_catalogue_is_reachable_when_told_how(tls_settings, world, module_ansible):
    """The control of the TLS entries: they fail because of what they get wrong, not because the TLS server is broken.
    The host's own CA bundle settings (REQUESTS_CA_BUNDLE, as execution environments set) stay in place."""
    environment = world.simulator.connection(url=world.tls_proxy.url)
    environment.update(substitute(tls_settings, world.common))
    play = [{"name": "Read over TLS", "hosts": "localhost", "gather_facts": False,
             "tasks": [{"name": "List workloads", "runai.platform.runai_workload_info": {"limit": 1, "retries": 1}}]}]

    run = module_ansible.run(play, connection=environment)

    assert run.rc == 0, run.describe()
