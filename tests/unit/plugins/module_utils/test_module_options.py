# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared option docs (doc fragments) must say exactly what the shared argument specs do."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
import yaml

from ansible_collections.runai.platform.plugins.doc_fragments import runai_auth, runai_wait
from ansible_collections.runai.platform.plugins.module_utils.module.options import (
    connection_argument_spec,
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


def test_a_token_may_come_with_credentials_from_the_environment():
    from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

    environment = {"RUNAI_URL": "https://x", "RUNAI_CLIENT_ID": "app", "RUNAI_CLIENT_SECRET": "s"}
    validator = ArgumentSpecValidator(connection_argument_spec())
    with _environment(environment):
        assert validator.validate({"token": "t"}).error_messages == []
        assert validator.validate({"token": "t"}).validated_parameters["client_id"] == "app"


def test_credentials_come_in_pairs_and_some_credential_is_required_naming_the_environment_variables():
    from ansible_collections.runai.platform.plugins.module_utils.api.client import RunaiClient
    from ansible_collections.runai.platform.plugins.module_utils.api.errors import RunaiError, RunaiInputError

    with pytest.raises(RunaiInputError) as half:
        RunaiClient(url="https://x", client_id="app", transport=object())
    assert half.value.option == "client_secret" and "RUNAI_CLIENT_SECRET" in str(half.value)
    with pytest.raises(RunaiError) as none:
        RunaiClient(url="https://x", transport=object())
    assert "RUNAI_TOKEN" in str(none.value) and "RUNAI_CLIENT_ID" in str(none.value)


def test_empty_environment_variables_count_as_unset():
    from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

    # AWX injects every field of a credential type, empty ones as "".
    environment = {"RUNAI_URL": "https://x", "RUNAI_TOKEN": "t", "RUNAI_CLIENT_ID": "", "RUNAI_CLIENT_SECRET": ""}
    validator = ArgumentSpecValidator(connection_argument_spec())
    with _environment(environment):
        result = validator.validate({})
    assert result.error_messages == []
    assert result.validated_parameters["client_id"] is None and result.validated_parameters["token"] == "t"


class _environment(object):
    """Set exactly these RUNAI_* variables for the duration of a block."""

    def __init__(self, values):
        self.values = values
        self.saved = {}

    def __enter__(self):
        import os

        for name in [name for name in os.environ if name.startswith("RUNAI_")]:
            self.saved[name] = os.environ.pop(name)
        os.environ.update(self.values)

    def __exit__(self, *exc_info):
        import os

        for name in self.values:
            os.environ.pop(name, None)
        os.environ.update(self.saved)
