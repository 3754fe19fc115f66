# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every example a user can copy runs as written: the EXAMPLES of every module, the example of every role (its
argument spec's ``examples``, which must be its README's, and every other YAML block of the README), and every
``yaml`` block of the guides of the docs site. They run with the collection installed from its tarball, against a
simulator, with only RUNAI_URL, RUNAI_CLIENT_ID and RUNAI_CLIENT_SECRET set, so an example that needs a variable,
a file or a workload it does not bring fails here instead of in a user's first hour.

How a block runs depends on what it is:

- a list of plays (``hosts`` or ``import_playbook``): ``ansible-playbook`` on it;
- a list of tasks: ``ansible-playbook`` on one localhost play that holds them;
- a mapping that starts with a ``# <file>`` comment: written to that file in the document's working directory (a
  manifest, a batch file), and, for the files in CONSUMERS, run the way the document says to use it;
- an inventory (a mapping with ``all``): a play on localhost with that inventory.

The blocks of one document run in order in one working directory, so a file written by one block is there for the
next. A few documents read a workload they do not create: PREPARED names them, and they run against a simulator in
which that workload was submitted first.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ast
import glob
import os
import re
import textwrap

import pytest
import yaml
from runai_simulator.testing import AnsibleUser, SimulatorProcess

from .conftest import REPO_ROOT

GUIDES = sorted(glob.glob(os.path.join(REPO_ROOT, "docs", "docsite", "rst", "*.rst")))
MODULES = sorted(glob.glob(os.path.join(REPO_ROOT, "plugins", "modules", "*.py")))
ROLE_READMES = sorted(glob.glob(os.path.join(REPO_ROOT, "roles", "*", "README.md")))
OTHER_MARKDOWN = [os.path.join(REPO_ROOT, "playbooks", "README.md")]
# How a named vars file of a document is used, as the document says next to it.
CONSUMERS = {
    "batch.yml": [["ansible-playbook", "runai.platform.submit", "-e", "@batch.yml"]],
    "cleanup.yml": [["ansible-playbook", "runai.platform.cleanup", "--check", "-e", "@cleanup.yml"],
                    ["ansible-playbook", "runai.platform.cleanup", "-e", "@cleanup.yml"]],
    "reclaim.yml": [["ansible-playbook", "runai.platform.reclaim_idle_gpus", "--check", "-e", "@reclaim.yml"],
                    ["ansible-playbook", "runai.platform.reclaim_idle_gpus", "-e", "@reclaim.yml"]],
    # --host fails unless the inventory parsed and holds that project (a failed source is only a warning).
    "runai.yml": [["ansible-inventory", "-i", "runai.yml", "--host", "team-a"]],
}
# Documents whose examples read a workload they do not create (a running job `train-resnet` in team-a), or
# variables a user keeps in Ansible Vault; they run against the prepared simulator, with those variables.
PREPARED = {
    "plugins/modules/runai_workload_info.py",
    "plugins/modules/runai_pod_info.py",
    "plugins/modules/runai_metrics_info.py",
    "docs/docsite/rst/guide_getting_started.rst",
}
# Runs long in the simulator's time (hours), so it is Running whenever an example looks.
PREPARED_JOB = {
    "apiVersion": "batch/v1",
    "kind": "Job",
    "metadata": {"name": "train-resnet", "annotations": {"simulator.run.ai/complete-after": "36000"}},
    "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [
        {"name": "train", "image": "nvcr.io/nvidia/pytorch:24.05-py3",
         "resources": {"limits": {"nvidia.com/gpu": 1}}}]}}},
}
SPEED = 40


class Block(object):
    def __init__(self, source, line, text):
        self.source, self.line, self.text = source, line, text
        first = text.lstrip().splitlines()[0] if text.strip() else ""
        named = re.match(r"#\s*([\w./-]+\.ya?ml)\s*$", first)
        self.file_name = named.group(1) if named else None
        self.data = yaml.safe_load(text)

    def __str__(self):
        return "%s:%d" % (os.path.relpath(self.source, REPO_ROOT), self.line)


def rst_blocks(path):
    """The ``.. code-block:: yaml`` blocks of a reStructuredText file, dedented, with the line they start on."""
    lines = open(path).read().splitlines()
    blocks = []
    for index, line in enumerate(lines):
        directive = re.match(r"^(\s*)\.\. code-block:: yaml\s*$", line)
        if not directive:
            continue
        indent = len(directive.group(1))
        body = []
        for following in lines[index + 1:]:
            if following.strip() and len(following) - len(following.lstrip()) <= indent:
                break
            body.append(following)
        blocks.append(Block(path, index + 1, textwrap.dedent("\n".join(body)).strip("\n") + "\n"))
    return blocks


def markdown_blocks(path):
    text = open(path).read()
    return [Block(path, text[:match.start()].count("\n") + 1, match.group(1))
            for match in re.finditer(r"^```yaml\n(.*?)^```", text, re.S | re.M)]


def module_examples(path):
    tree = ast.parse(open(path).read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and [target.id for target in node.targets] == ["EXAMPLES"]:
            return [Block(path, node.lineno, node.value.value)]
    pytest.fail("%s has no EXAMPLES" % path)


def role_spec_examples(role_dir):
    with open(os.path.join(role_dir, "meta", "argument_specs.yml")) as handle:
        specs = yaml.safe_load(handle)["argument_specs"]
    return dict((entry, spec.get("examples")) for entry, spec in specs.items())


def documents():
    """Every document with YAML examples (a guide without any, such as the troubleshooting page, has none to run)."""
    found = [(path, module_examples) for path in MODULES]
    found += [(path, markdown_blocks) for path in ROLE_READMES + OTHER_MARKDOWN]
    found += [(path, rst_blocks) for path in GUIDES]
    return [(path, extract) for path, extract in found if extract(path)]


def document_id(document):
    return os.path.relpath(document[0], REPO_ROOT)


class Runner(object):
    """ansible-playbook as a user runs it: the installed collection, RUNAI_* in the environment, nothing else."""

    def __init__(self, simulator, user, workdir, extra_vars=None):
        self.simulator, self.user, self.workdir, self.extra_vars = simulator, user, workdir, extra_vars

    def run(self, block, args):
        finished = self.user.run(args, simulator=self.simulator, cwd=self.workdir, extra_vars=self.extra_vars)
        assert self.simulator.client_secret not in finished.output, "%s printed the client secret" % block
        assert finished.rc == 0, "the example at %s fails as written (%s):\n%s" % (
            block, " ".join(args), finished.describe())
        return finished.output


def recap(output):
    return dict((key, int(value)) for key, value in
                re.findall(r"(ok|changed|failed|skipped)=(\d+)", output.split("PLAY RECAP")[-1]))


def localhost_play(name, tasks):
    return [{"name": name, "hosts": "localhost", "connection": "local", "gather_facts": False,
             "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"}, "tasks": tasks}]


def is_playbook(data):
    return isinstance(data, list) and all(
        isinstance(item, dict) and ("hosts" in item or any(key.endswith("import_playbook") for key in item))
        for item in data)


def run_block(runner, block, index, every_task_runs):
    data = block.data
    if isinstance(data, dict) and "all" in data:
        (runner.workdir / "inventory.yml").write_text(block.text)
        play = [{"name": "Use the inventory", "hosts": "localhost", "gather_facts": False,
                 "tasks": [{"runai.platform.runai_token": None, "register": "session"}]}]
        (runner.workdir / "with-inventory.yml").write_text(yaml.safe_dump(play))
        runner.run(block, ["ansible-playbook", "-i", "inventory.yml", "with-inventory.yml"])
        return
    if isinstance(data, dict):
        assert block.file_name, "%s is a mapping without a '# <file name>' first line: say what it is" % block
        target = runner.workdir / block.file_name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(block.text)
        for args in CONSUMERS.get(os.path.basename(block.file_name), []) if "apiVersion" not in data else []:
            runner.run(block, args)
        return
    assert isinstance(data, list) and data, "%s is neither a playbook, tasks nor a named file" % block
    name = block.file_name or "example-%d.yml" % index
    if is_playbook(data):
        (runner.workdir / name).write_text(block.text)
    else:
        (runner.workdir / name).write_text(yaml.safe_dump(localhost_play("Example at %s" % block, data),
                                                          sort_keys=False))
    output = runner.run(block, ["ansible-playbook", name])
    if every_task_runs:
        assert recap(output).get("skipped", 0) == 0, "a task of %s was skipped:\n%s" % (block, output[-4000:])


@pytest.fixture(scope="module")
def prepared_simulator(installed_collections, tmp_path_factory):
    """A simulator in which the running job `train-resnet` of team-a exists, for the examples that read it."""
    with SimulatorProcess(speed=SPEED) as simulator:
        workdir = tmp_path_factory.mktemp("prepare")
        user = AnsibleUser(tmp_path_factory.mktemp("ansible"), installed_collections)
        task = {"name": "Submit train-resnet and wait until it runs", "runai.platform.runai_workload": {
            "name": "train-resnet", "project": "team-a", "manifest": PREPARED_JOB, "wait": True,
            "wait_for": ["Running"]}}
        (workdir / "prepare.yml").write_text(yaml.safe_dump(localhost_play("Prepare", [task])))
        Runner(simulator, user, workdir).run("the preparation", ["ansible-playbook", "prepare.yml"])
        yield simulator


@pytest.mark.parametrize("document", documents(), ids=document_id)
def test_every_example_runs_as_written(document, prepared_simulator, installed_user, tmp_path):
    path, extract = document
    blocks = extract(path)
    relative = os.path.relpath(path, REPO_ROOT)
    if relative in PREPARED:
        # The variables a user keeps in Ansible Vault, named as the guide names them.
        vault = dict(runai_client_id=prepared_simulator.client_id, runai_client_secret=prepared_simulator.client_secret)
        runner = Runner(prepared_simulator, installed_user, tmp_path, vault)
        for index, block in enumerate(blocks):
            run_block(runner, block, index, every_task_runs=relative.startswith("plugins/"))
        return
    with SimulatorProcess(speed=SPEED) as simulator:
        runner = Runner(simulator, installed_user, tmp_path)
        for index, block in enumerate(blocks):
            run_block(runner, block, index, every_task_runs=relative.startswith("plugins/"))


@pytest.mark.parametrize("readme", ROLE_READMES, ids=lambda path: os.path.relpath(path, REPO_ROOT))
def test_ansible_doc_shows_the_roles_readme_example(readme, installed_user):
    """ansible-doc -t role shows the argument spec's ``examples`` (ansible-core 2.18 and later; older ones leave them
    out, and the README has them for those). They are the README's first example, so the two cannot drift apart,
    and that example runs above."""
    role_dir = os.path.dirname(readme)
    examples = role_spec_examples(role_dir)
    assert examples.get("main"), "%s has no examples in meta/argument_specs.yml" % role_dir
    readme_example = markdown_blocks(readme)[0].text
    assert examples["main"].strip() == readme_example.strip(), (
        "the examples of %s/meta/argument_specs.yml differ from the first YAML block of its README" % role_dir)
    shown = installed_user.run(["ansible-doc", "-t", "role", "runai.platform.%s" % os.path.basename(role_dir)],
                               timeout=120)
    assert shown.rc == 0, shown.describe()
    assert "EXAMPLES:" in shown.stdout and readme_example.strip().splitlines()[0] in shown.stdout, shown.stdout[-3000:]
