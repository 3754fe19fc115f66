# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The execution environment: extensions/ee/execution-environment.yml through `ansible-builder create`, then the
image build's galaxy and introspection stages run here without a container engine (there is none on these
machines): install the collection the way the Containerfile does, and ask `ansible-builder introspect` what Python
packages the build would add for it."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib.metadata
import os
import re
import shutil
import tarfile

import pytest
import yaml

from .conftest import REPO_ROOT, galaxy_version, run_tool, tool

EE_FILE = os.path.join(REPO_ROOT, "extensions", "ee", "execution-environment.yml")


def requirement_names(lines):
    """The package names of requirement lines, comments and blank lines left out."""
    names = set(re.split(r"[\s<>=!~;\[#]", line.strip(), 1)[0].lower() for line in lines)
    return names - {""}


def read_member(archive, name):
    return archive.extractfile(archive.getmember(name)).read().decode("utf-8")


@pytest.fixture(scope="module")
def ee_definition():
    with open(EE_FILE) as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope="module")
def build_context(tmp_path_factory, collection_tarball):
    """`ansible-builder create` on the shipped definition, laid out as in the repository (tarball in .build/dist)."""
    root = tmp_path_factory.mktemp("ee")
    (root / "extensions" / "ee").mkdir(parents=True)
    shutil.copy(EE_FILE, str(root / "extensions" / "ee"))
    (root / ".build" / "dist").mkdir(parents=True)
    shutil.copy(str(collection_tarball), str(root / ".build" / "dist"))
    run_tool(
        [tool("ansible-builder"), "create", "-f", "extensions/ee/execution-environment.yml", "--context", "context",
         "--output-filename", "Containerfile"],
        cwd=str(root),
    )
    return root / "context"


def test_definition_is_schema_v3_and_names_the_collection_of_this_version(ee_definition):
    assert ee_definition["version"] == 3
    wanted = "runai-platform-%s.tar.gz" % galaxy_version()
    collections = ee_definition["dependencies"]["galaxy"]["collections"]
    assert [os.path.basename(entry["name"]) for entry in collections] == [wanted], "update the tarball name to %s" % wanted
    assert [os.path.basename(entry["src"]) for entry in ee_definition["additional_build_files"]] == [wanted]


def test_collection_metadata_points_builder_at_requirements_txt():
    with open(os.path.join(REPO_ROOT, "meta", "execution-environment.yml")) as handle:
        metadata = yaml.safe_load(handle)
    assert metadata["version"] == 1
    assert metadata["dependencies"]["python"] == "requirements.txt"


def test_create_writes_a_context_that_installs_ansible_and_the_collection(build_context):
    containerfile = (build_context / "Containerfile").read_text()
    assert 'ARG EE_BASE_IMAGE="quay.io/centos/centos:stream9"' in containerfile
    assert re.search(r'ARG ANSIBLE_INSTALL_REFS=".*ansible-core==2\.19\.\*.*ansible-runner.*"', containerfile)
    assert "ansible-galaxy collection install $ANSIBLE_GALAXY_CLI_COLLECTION_OPTS -r requirements.yml" in containerfile
    assert "introspect.py introspect" in containerfile, "the build would not install the collection's requirements"
    requirements = yaml.safe_load((build_context / "_build" / "requirements.yml").read_text())
    assert requirements["collections"] == [
        {"name": "collections/runai-platform-%s.tar.gz" % galaxy_version(), "type": "file"}
    ]


def test_context_carries_the_collection_with_pyyaml_and_bokeh_as_its_requirements(build_context):
    tarball = build_context / "_build" / "collections" / ("runai-platform-%s.tar.gz" % galaxy_version())
    assert tarball.is_file(), "ansible-builder create did not copy the collection tarball into the context"
    with tarfile.open(str(tarball)) as archive:
        metadata = yaml.safe_load(read_member(archive, "meta/execution-environment.yml"))
        python_requirements = read_member(archive, metadata["dependencies"]["python"]).splitlines()
    assert requirement_names(python_requirements) == {"pyyaml", "bokeh"}


def test_galaxy_stage_installs_the_collection_and_introspection_lists_its_requirements(build_context, tmp_path):
    # The galaxy stage runs this in /build, which holds the context's _build/ directory, in an image where no
    # collection is installed yet: hide the test run's own copy (on PYTHONPATH) from ansible-galaxy.
    collections = tmp_path / "collections"
    env = dict(os.environ, ANSIBLE_GALAXY_DISABLE_GPG_VERIFY="1", ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false",
               ANSIBLE_COLLECTIONS_PATH=str(collections))
    env.pop("PYTHONPATH", None)
    run_tool(
        [tool("ansible-galaxy"), "collection", "install", "-r", "requirements.yml", "--collections-path",
         str(collections)],
        cwd=str(build_context / "_build"), env=env,
    )
    assert (collections / "ansible_collections" / "runai" / "platform" / "meta" / "runtime.yml").is_file()

    listed = run_tool([tool("ansible-builder"), "introspect", "--sanitize", str(collections)]).stdout
    python = yaml.safe_load(listed[listed.index("---"):])["python"]
    assert "bokeh  # from collection runai.platform" in python, listed
    # ansible-builder leaves PyYAML out on purpose: ansible-core requires it, so every execution environment has it.
    assert "pyyaml" not in requirement_names(python)
    assert "pyyaml" in requirement_names(importlib.metadata.requires("ansible-core"))
