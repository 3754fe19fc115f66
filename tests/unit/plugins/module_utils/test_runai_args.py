# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared option docs (doc fragments) must say exactly what the shared argument specs do."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
import yaml

from ansible_collections.runai.platform.plugins.doc_fragments import runai_auth, runai_wait
from ansible_collections.runai.platform.plugins.module_utils.runai_args import (
    connection_argument_spec,
    connection_rules,
    wait_argument_spec,
)

PAIRS = [
    (runai_auth.ModuleDocFragment.DOCUMENTATION, connection_argument_spec),
    (runai_wait.ModuleDocFragment.DOCUMENTATION, wait_argument_spec),
]


@pytest.mark.parametrize("fragment, spec_function", PAIRS)
def test_fragment_documents_every_option_with_the_spec_type_default_and_choices(fragment, spec_function):
    documented = yaml.safe_load(fragment)["options"]
    spec = spec_function()

    assert sorted(documented) == sorted(spec)
    for name, option in spec.items():
        doc = documented[name]
        assert doc.get("type") == option.get("type"), name
        assert doc.get("default") == option.get("default"), name
        assert doc.get("choices") == option.get("choices"), name
        assert doc.get("elements") == option.get("elements"), name
        assert bool(doc.get("required")) == bool(option.get("required")), name


def test_every_environment_fallback_is_documented_on_its_option():
    documented = yaml.safe_load(runai_auth.ModuleDocFragment.DOCUMENTATION)["options"]
    for name, option in connection_argument_spec().items():
        if "fallback" in option:
            for variable in option["fallback"][1]:
                assert "E(%s)" % variable in " ".join(documented[name]["description"]), name


def test_secrets_are_never_logged():
    spec = connection_argument_spec()
    assert spec["token"]["no_log"] is True
    assert spec["client_secret"]["no_log"] is True


def test_specs_are_fresh_dicts_so_a_module_can_extend_them():
    first = connection_argument_spec()
    first["url"]["default"] = "changed"
    assert "default" not in connection_argument_spec()["url"]


def test_exactly_one_way_to_authenticate():
    rules = connection_rules()
    assert ("token", "client_id") in rules["mutually_exclusive"]
    assert ("client_id", "client_secret") in rules["required_together"]
    assert ("token", "client_id") in rules["required_one_of"]
