# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The decision environment: extensions/eda/decision-environment.yml through `ansible-builder create`, laid out as
its header says (the tarball in .build/dist), and the event source as the image would hold it. There is no container
engine here, so the image itself is not built: the context is what a build would use."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re
import shutil
import tarfile

import pytest
import yaml

from .conftest import REPO_ROOT, galaxy_version, run_tool, tool

DE_FILE = os.path.join(REPO_ROOT, "extensions", "eda", "decision-environment.yml")
EVENT_SOURCE = "extensions/eda/plugins/event_source/workload_events.py"


@pytest.fixture(scope="module")
def build_context(tmp_path_factory, collection_tarball):
    root = tmp_path_factory.mktemp("de")
    (root / "extensions" / "eda").mkdir(parents=True)
    shutil.copy(DE_FILE, str(root / "extensions" / "eda"))
    (root / ".build" / "dist").mkdir(parents=True)
    shutil.copy(str(collection_tarball), str(root / ".build" / "dist"))
    run_tool(
        [tool("ansible-builder"), "create", "-f", "extensions/eda/decision-environment.yml", "--context", "context",
         "--output-filename", "Containerfile"],
        cwd=str(root),
    )
    return root / "context"


def test_definition_names_the_collection_of_this_version():
    with open(DE_FILE) as handle:
        definition = yaml.safe_load(handle)
    wanted = "runai-platform-%s.tar.gz" % galaxy_version()
    assert definition["version"] == 3
    assert [os.path.basename(entry["name"]) for entry in definition["dependencies"]["galaxy"]["collections"]] == [wanted]
    assert [os.path.basename(entry["src"]) for entry in definition["additional_build_files"]] == [wanted]


def test_create_writes_a_context_with_ansible_rulebook_java_and_the_collection(build_context):
    containerfile = (build_context / "Containerfile").read_text()
    assert "ansible-galaxy collection install $ANSIBLE_GALAXY_CLI_COLLECTION_OPTS -r requirements.yml" in containerfile
    assert re.search(r'ARG ANSIBLE_INSTALL_REFS=".*ansible-core==2\.19\.\*.*ansible-runner.*"', containerfile)
    build = build_context / "_build"
    assert "ansible-rulebook" in (build / "requirements.txt").read_text().split()
    assert "java-17-openjdk-headless [platform:rpm]" in (build / "bindep.txt").read_text()
    requirements = yaml.safe_load((build / "requirements.yml").read_text())
    assert requirements["collections"] == [{"name": "collections/runai-platform-%s.tar.gz" % galaxy_version(),
                                            "type": "file"}]
    copied = build / "collections" / ("runai-platform-%s.tar.gz" % galaxy_version())
    with tarfile.open(str(copied)) as archive:
        assert EVENT_SOURCE in archive.getnames(), "the tarball in the context has no event source"
