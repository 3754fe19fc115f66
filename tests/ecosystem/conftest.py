# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the ecosystem tests: the collection as users get it (built tarball, installed copy), the AWX
credential type, and a stand-in for the way the controller turns a credential into a job's environment."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import shutil
import stat
import subprocess
import sys
import tempfile
import types

import pytest
import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment
from runai_simulator.testing import AnsibleUser

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CREDENTIAL_TYPE_FILE = os.path.join(REPO_ROOT, "extensions", "awx", "runai_credential_type.yml")


def tool(name):
    """A command-line tool of the Python environment running the tests (the project venv), else one on PATH."""
    beside_python = os.path.join(os.path.dirname(sys.executable), name)
    if os.access(beside_python, os.X_OK):
        return beside_python
    found = shutil.which(name)
    if found is None:
        pytest.fail("%s is not installed in %s nor on PATH (it is in test-requirements.txt)" % (name, sys.prefix))
    return found


def run_tool(args, cwd=None, env=None, timeout=300):
    """Run a tool and return its CompletedProcess; a non-zero exit fails the test with the tool's output."""
    completed = subprocess.run(
        args, cwd=cwd, env=env, timeout=timeout, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False
    )
    if completed.returncode != 0:
        pytest.fail("%s exited %d:\n%s" % (" ".join(args), completed.returncode, completed.stdout))
    return completed


def galaxy_version():
    with open(os.path.join(REPO_ROOT, "galaxy.yml")) as handle:
        return str(yaml.safe_load(handle)["version"])


@pytest.fixture(scope="session")
def collection_tarball(tmp_path_factory):
    """The collection tarball, built from the working tree the way a release is."""
    dist = tmp_path_factory.mktemp("dist")
    run_tool([tool("ansible-galaxy"), "collection", "build", REPO_ROOT, "--output-path", str(dist), "--force"])
    tarball = dist / ("runai-platform-%s.tar.gz" % galaxy_version())
    assert tarball.is_file(), "ansible-galaxy collection build did not write %s" % tarball
    return tarball


@pytest.fixture(scope="session")
def installed_collections(tmp_path_factory, collection_tarball):
    """A collections directory holding the collection installed from its tarball, as an execution environment has it."""
    collections = tmp_path_factory.mktemp("installed")
    run_tool(
        [tool("ansible-galaxy"), "collection", "install", "--force", str(collection_tarball), "-p", str(collections)],
        cwd=str(collections),
    )
    assert (collections / "ansible_collections" / "runai" / "platform" / "MANIFEST.json").is_file()
    return collections


@pytest.fixture
def installed_user(tmp_path_factory, installed_collections):
    """A user of the collection installed from its tarball, with a home of their own (the simulator package's
    AnsibleUser: ansible-playbook and the other tools as a user runs them)."""
    return AnsibleUser(tmp_path_factory.mktemp("ansible"), installed_collections)


def user_playbook(user, simulator, workdir, *args):
    """ansible-playbook as a user runs it from ``workdir``: the installed collection, RUNAI_* in the environment;
    whatever the outcome, the client secret is not in the output."""
    finished = user.run(["ansible-playbook"] + list(args), simulator=simulator, cwd=workdir)
    assert simulator.client_secret not in finished.output
    return finished


@pytest.fixture(scope="session")
def credential_type():
    with open(CREDENTIAL_TYPE_FILE) as handle:
        return yaml.safe_load(handle)


def controller_injection(credential_type_definition, inputs, private_data_dir):
    """The environment a job gets from a credential of this type, as AWX / Automation Controller builds it.

    What the controller does and this reproduces: only non-empty inputs enter the template namespace, so an empty
    field renders as ""; a boolean field left unset is False; every file template is rendered to a 0600 file under
    the job's private ``env/`` directory (``tower.filename.<name>`` for ``template.<name>``); and EVERY env injector
    is set on the job, including those that render to "" - which is why the modules must treat empty as unset.
    """
    fields = credential_type_definition["inputs"]["fields"]
    namespace = {}
    for field in fields:
        value = inputs.get(field["id"])
        if field["type"] == "boolean":
            namespace[field["id"]] = bool(value)
        elif value:
            namespace[field["id"]] = value
    sandbox = ImmutableSandboxedEnvironment()
    env_dir = os.path.join(private_data_dir, "env")
    os.makedirs(env_dir, exist_ok=True)
    files = {}
    for label, template in credential_type_definition["injectors"].get("file", {}).items():
        handle, path = tempfile.mkstemp(dir=env_dir)
        with os.fdopen(handle, "w") as target:
            target.write(sandbox.from_string(template).render(**namespace))
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
        files[label.split(".", 1)[1]] = path
    namespace["tower"] = types.SimpleNamespace(filename=types.SimpleNamespace(**files))
    return dict(
        (name, sandbox.from_string(template).render(**namespace))
        for name, template in credential_type_definition["injectors"]["env"].items()
    )


@pytest.fixture
def inject_credential(credential_type, tmp_path):
    """Turn credential inputs into a job environment with the collection's credential type."""
    return lambda inputs: controller_injection(credential_type, inputs, str(tmp_path))
