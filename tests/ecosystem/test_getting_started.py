# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a newcomer copies from the docs works as the docs say: the README's example task and the getting-started
guide's first playbook, taken from the files themselves and run against the simulator with the installed
collection and the connection settings in the environment."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

import pytest
import yaml
from runai_simulator.testing import SimulatorProcess

from .conftest import REPO_ROOT, user_playbook

GUIDE = os.path.join(REPO_ROOT, "docs", "docsite", "rst", "guide_getting_started.rst")
JOB_MANIFEST = {
    "apiVersion": "batch/v1",
    "kind": "Job",
    "metadata": {"name": "hello-runai"},
    "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [
        {"name": "hello", "image": "python:3.12", "command": ["python", "-c", "print('hello')"]}]}}},
}


@pytest.fixture(scope="module")
def simulator():
    with SimulatorProcess(speed=40) as running:
        yield running


def readme_example():
    with open(os.path.join(REPO_ROOT, "README.md")) as handle:
        text = handle.read()
    section = text[text.index("## Example"):]
    return yaml.safe_load(re.search(r"```yaml\n(.*?)```", section, re.S).group(1))


def guide_playbook(name):
    """The YAML of the guide's ``.. code-block:: yaml`` whose first line is ``# <name>``."""
    with open(GUIDE) as handle:
        text = handle.read()
    for block in re.findall(r"\.\. code-block:: yaml\n\n((?:   .*\n|\n)+)", text):
        lines = [line[3:] for line in block.splitlines()]
        if lines and lines[0] == "# %s" % name:
            return "\n".join(lines) + "\n"
    pytest.fail("%s has no yaml block starting with '# %s'" % (GUIDE, name))


def stored_workloads(simulator):
    """Workloads the simulator holds, live or deleted: a dry run must not add one."""
    counts = simulator.stats()["workloads"]
    return counts["live"] + counts["deleted"]


def recap(output):
    return dict((key, int(value)) for key, value in re.findall(r"(ok|changed|failed)=(\d+)", output.split("PLAY RECAP")[-1]))


def test_first_playbook_of_the_guide_runs_then_checks_clean(simulator, installed_user, tmp_path):
    (tmp_path / "first.yml").write_text(guide_playbook("first.yml"))
    first = user_playbook(installed_user, simulator, tmp_path, "first.yml")
    assert first.rc == 0, first.output[-5000:]
    assert re.search(r"hello-runai ended Completed after [0-9.]+ s with [1-9]\d* pod\(s\) and \d+ metric series",
                     first.output), first.output[-3000:]

    stored_before = stored_workloads(simulator)
    checked = user_playbook(installed_user, simulator, tmp_path, "first.yml", "--check", "--diff")
    assert checked.rc == 0, checked.output[-5000:]
    assert stored_workloads(simulator) == stored_before, "check mode stored a workload"


def test_readme_example_submits_waits_and_settles(simulator, installed_user, tmp_path):
    (tmp_path / "job.yaml").write_text(yaml.safe_dump(JOB_MANIFEST))
    play = [{"name": "README example", "hosts": "localhost", "connection": "local", "gather_facts": False,
             "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"}, "tasks": readme_example()}]
    (tmp_path / "readme.yml").write_text(yaml.safe_dump(play))
    first = user_playbook(installed_user, simulator, tmp_path, "readme.yml")
    assert first.rc == 0 and recap(first.output)["changed"] == 1, first.output[-5000:]
    again = user_playbook(installed_user, simulator, tmp_path, "readme.yml")
    assert again.rc == 0 and recap(again.output)["changed"] == 0, again.output[-5000:]
    listed = simulator.api("GET", "/api/v1/workloads", params={"filterBy": "name==hello-runai"}).json()["workloads"]
    assert [(workload["name"], workload["phase"]) for workload in listed] == [("hello-runai", "Completed")]
