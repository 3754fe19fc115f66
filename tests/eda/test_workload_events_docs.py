# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The source's DOCUMENTATION and its JSON argument schema say what its argument spec does: ansible-rulebook has no
documentation fragments, so the connection options are written out there and kept in step with the modules' here."""

import json
from pathlib import Path

import yaml

from ansible_collections.runai.platform.extensions.eda.plugins.event_source import workload_events

SCHEMA = Path(workload_events.__file__).parent / "schemas" / "workload_events.json"
JSON_TYPES = {"str": "string", "path": "string", "bool": "boolean", "int": "integer", "float": "number",
              "list": "array"}


def test_documentation_and_schema_match_the_argument_spec():
    spec = workload_events.argument_spec()
    documented = yaml.safe_load(workload_events.DOCUMENTATION)["options"]
    schema = json.loads(SCHEMA.read_text())["properties"]
    assert set(documented) == set(spec) == set(schema)
    for name, rules in spec.items():
        assert documented[name]["type"] == rules["type"], name
        assert documented[name].get("default") == rules.get("default"), name
        assert documented[name].get("choices") == rules.get("choices"), name
        assert schema[name]["type"] == JSON_TYPES[rules["type"]], name
        assert schema[name].get("default") == rules.get("default"), name
        fallback = rules.get("fallback")
        if fallback:
            for variable in fallback[1]:
                assert "E(%s)" % variable in " ".join(documented[name]["description"]), name
                assert variable in schema[name]["description"], name
    assert schema["phases"]["items"]["enum"] == spec["phases"]["choices"]


def test_the_examples_use_only_documented_options():
    documented = set(yaml.safe_load(workload_events.DOCUMENTATION)["options"])
    for example in yaml.safe_load(workload_events.EXAMPLES):
        assert set(example[workload_events.SOURCE_NAME] or {}) <= documented
