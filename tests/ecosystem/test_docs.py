# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The docs: the troubleshooting page against the messages the code really prints (both ways), the guides of the
docs site, antsibull-docs' lint of the collection's docs, the docs site build, and the changelog fragments."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ast
import glob
import os
import re

import ansible
import yaml
from runai_simulator.testing import AnsibleUser, link_collection

from .conftest import REPO_ROOT, run_tool, tool

DOCSITE = os.path.join(REPO_ROOT, "docs", "docsite")
TROUBLESHOOTING = os.path.join(DOCSITE, "rst", "guide_troubleshooting.rst")
# Every message of these files must be on the troubleshooting page.
CLIENT_MESSAGE_FILES = ("plugins/module_utils/api/client.py", "plugins/module_utils/api/errors.py")
INPUT_ERROR_PREFIX = re.compile(r"^Invalid value for option '[^']+': ")
PLACEHOLDER = re.compile(r"%(?:\.\d+)?[sdrf]")
# A message on the page must begin with at least this much literal text of a real message.
MIN_LITERAL_CHARACTERS = 15
# Messages of ansible-core itself that the page explains; each begins with text found in ansible-core's source.
ANSIBLE_CORE_MESSAGES = (
    "missing required arguments: ",
    "couldn't resolve module/action ",
    "Module result deserialization failed.",
    "The module interpreter ",
    "Failed to import the required Python library (",
)


def string_constants(path):
    """The string literals of a Python file that can be messages: not docstrings, not the module's doc blocks."""
    with open(os.path.join(REPO_ROOT, path)) as handle:
        tree = ast.parse(handle.read())
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and ast.get_docstring(node, clean=False):
            skipped.add(id(node.body[0].value))
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped
            and " " in node.value and len(node.value) <= 400]


def role_messages():
    """The msg / fail_msg texts of the roles' tasks, with their Jinja2 expressions as %s."""
    found = []

    def collect(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("msg", "fail_msg") and isinstance(value, str):
                    found.append(re.sub(r"\{\{.*?\}\}", "%s", " ".join(value.split())))
                else:
                    collect(value)
        elif isinstance(node, list):
            for item in node:
                collect(item)

    for path in glob.glob(os.path.join(REPO_ROOT, "roles", "*", "tasks", "*.yml")):
        with open(path) as handle:
            collect(yaml.safe_load(handle))
    return found


def as_regex(template):
    """A message template (printf style) as a regular expression; every placeholder matches any text."""
    parts = re.split("(%s)" % PLACEHOLDER.pattern, template)
    return "".join(".*?" if index % 2 else re.escape(part) for index, part in enumerate(parts))


def literal_length(template):
    return len(PLACEHOLDER.sub("", template))


def page_messages():
    """The lines of the ``.. code-block:: text`` blocks of the troubleshooting page: one message each."""
    messages = []
    in_block = False
    with open(TROUBLESHOOTING) as handle:
        for line in handle.read().splitlines():
            if line.startswith(".. code-block:: text"):
                in_block = True
            elif in_block and line.startswith("   ") and line.strip():
                messages.append(line.strip())
            elif in_block and line.strip():
                in_block = False
    return messages


def plugin_templates():
    templates = []
    for path in glob.glob(os.path.join(REPO_ROOT, "plugins", "**", "*.py"), recursive=True):
        templates.extend(string_constants(os.path.relpath(path, REPO_ROOT)))
    return templates + role_messages()


def message_patterns(templates):
    """Compiled patterns of the templates with enough literal text to recognise a message by."""
    return [(template, re.compile(as_regex(template))) for template in set(templates)
            if literal_length(template) >= MIN_LITERAL_CHARACTERS]


def test_every_message_of_the_client_is_explained():
    messages = page_messages()
    client_templates = [template for path in CLIENT_MESSAGE_FILES for template in string_constants(path)]
    missing = [template for template, pattern in message_patterns(client_templates)
               if not any(pattern.search(message) for message in messages)]
    assert not missing, "add these messages to %s:\n%s" % (TROUBLESHOOTING, "\n".join(missing))


def test_every_message_on_the_page_is_one_the_code_prints():
    patterns = [pattern for _template, pattern in message_patterns(plugin_templates())]
    core_sources = []
    for path in glob.glob(os.path.join(os.path.dirname(ansible.__file__), "**", "*.py"), recursive=True):
        with open(path, encoding="utf-8") as handle:
            core_sources.append(handle.read())
    core_text = "\n".join(core_sources)
    unknown = []
    for message in page_messages():
        core = [prefix for prefix in ANSIBLE_CORE_MESSAGES if message.startswith(prefix)]
        if core:
            if core[0].strip() not in core_text:
                unknown.append(message)
            continue
        problem = INPUT_ERROR_PREFIX.match(message)
        text = message[problem.end():] if problem else message
        if not any(pattern.match(text) for pattern in patterns):
            unknown.append(message)
    assert not unknown, "the troubleshooting page shows messages the code does not print:\n%s" % "\n".join(unknown)


def test_every_guide_is_on_the_docs_site_and_labelled():
    with open(os.path.join(DOCSITE, "extra-docs.yml")) as handle:
        listed = [entry for section in yaml.safe_load(handle)["sections"] for entry in section["toctree"]]
    guides = sorted(os.path.basename(path)[:-4] for path in glob.glob(os.path.join(DOCSITE, "rst", "*.rst")))
    assert sorted(listed) == guides
    for guide in guides:
        with open(os.path.join(DOCSITE, "rst", guide + ".rst")) as handle:
            assert handle.readline().strip() == ".. _ansible_collections.runai.platform.docsite.%s:" % guide


def test_antsibull_docs_lint_passes_for_plugins_roles_and_guides(tmp_path):
    # Run as a maintainer runs it. With the test run's PYTHONPATH (this checkout as ansible_collections), ansible-doc
    # would document that copy instead of the one antsibull-docs lints, and every page's source link would then pass
    # through antsibull-docs' temporary directory, whose random name, when it ends with "_", reads as an RST reference.
    user = AnsibleUser(tmp_path / "ansible", link_collection(tmp_path / "collections", REPO_ROOT))
    linted = user.run(["antsibull-docs", "lint-collection-docs", "--plugin-docs", "."], cwd=REPO_ROOT, timeout=300)
    assert linted.rc == 0, linted.describe()


def test_antsibull_changelog_lint_passes():
    run_tool([tool("antsibull-changelog"), "lint"], cwd=REPO_ROOT)
    with open(os.path.join(REPO_ROOT, "changelogs", "fragments", "ecosystem.yml")) as handle:
        fragment = yaml.safe_load(handle)
    assert fragment.get("minor_changes"), "the ecosystem changes are listed as minor_changes"


def test_docs_site_builds_with_the_reference_of_every_module_and_the_guides(tmp_path):
    """docs/build_docsite.py: antsibull-docs generates the reference, Sphinx builds it with -W (any warning fails)."""
    dest = tmp_path / "docsite"
    run_tool([tool("python"), os.path.join(REPO_ROOT, "docs", "build_docsite.py"), str(dest)], timeout=600)
    html = dest / "html"
    modules = [os.path.basename(path)[:-3] for path in glob.glob(os.path.join(REPO_ROOT, "plugins", "modules", "*.py"))]
    assert modules
    for module in modules:
        page = (html / ("%s_module.html" % module)).read_text()
        assert "runai.platform.%s" % module in page and "client_secret" in page, module
    for guide in glob.glob(os.path.join(DOCSITE, "rst", "*.rst")):
        assert (html / "docsite" / (os.path.basename(guide)[:-4] + ".html")).is_file(), guide
    index = (html / "index.html").read_text()
    assert all("%s_module.html" % module in index for module in modules)
