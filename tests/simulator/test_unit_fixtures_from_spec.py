# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The unit tests' enum fixtures are what the project's own spec copies say, value for value.

ansible-test's unit run sees the collection only, not the simulator package that holds the spec copies, so the unit
tests read fixtures under tests/unit/plugins/module_utils/fixtures/. Each fixture is derived here from the copies;
a fixture edited by hand, or a spec copy updated without its fixture, fails this test. ``RUNAI_WRITE_FIXTURES=1``
writes the derived fixtures instead.
"""

import json
import os
from pathlib import Path

import pytest
import runai_simulator

SPEC = Path(runai_simulator.__file__).parent / "spec"
FIXTURES = Path(__file__).parents[1] / "unit" / "plugins" / "module_utils" / "fixtures"


def load(name):
    return json.loads((SPEC / name).read_text())


def resolved(spec, item, kind="parameters"):
    while "$ref" in item:
        item = spec["components"][kind][item["$ref"].rsplit("/", 1)[1]]
    return item


def parameter(spec, name):
    return resolved(spec, spec["components"]["parameters"][name])["schema"]


def enum(spec, schema):
    return resolved(spec, spec["components"]["schemas"][schema], "schemas")["enum"]


def reference_enums():
    spec = load("runai-v1-openapi.json")
    samples = parameter(spec, "NumberOfSamples")
    group_by = parameter(spec, "TelemetryGroupBy1")
    return {
        "_source": "Derived from runai-v1-openapi.json by tests/simulator/test_unit_fixtures_from_spec.py: filterBy "
                   "patterns and sortBy enums of the workload and pod listings, metric type enums, numberOfSamples "
                   "bounds, telemetry enums, Phase enum",
        "workloads": {"filter_pattern": parameter(spec, "WorkloadsFilter")["items"]["pattern"],
                      "sort_enum": parameter(spec, "WorkloadsSort")["enum"]},
        "pods": {"filter_pattern": parameter(spec, "PodsFilter")["items"]["pattern"],
                 "sort_enum": parameter(spec, "PodsSort")["enum"]},
        "workload_metric_types": enum(spec, "WorkloadMetricType"),
        "pod_metric_types": enum(spec, "PodMetricType"),
        "number_of_samples": {key: samples[key] for key in ("minimum", "maximum", "default")},
        "telemetry": {"types": enum(spec, "WorkloadTelemetryType"), "group_by": group_by["items"]["enum"],
                      "max_group_by": group_by["maxItems"]},
        "phases": enum(spec, "Phase"),
    }


def telemetry_parameters(spec):
    operation = spec["paths"]["/api/v1/workloads/telemetry"]["get"]
    return [resolved(spec, item)["name"] for item in operation.get("parameters", [])]


def vendor_enums_by_level():
    levels = {}
    for level in ("2.23", "2.24"):
        spec = load("vendor/runai-%s-openapi.json" % level)
        levels[level] = {
            "workload_metric_types": enum(spec, "WorkloadMetricType"),
            "pod_metric_types": enum(spec, "PodMetricType"),
            "telemetry_types": enum(spec, "WorkloadTelemetryType"),
            "telemetry_filter_by_phases": "filterByPhases" in telemetry_parameters(spec),
        }
    return dict({"_source": "Derived from the vendor's references cut for control planes 2.23 and 2.24 (runapy "
                            "1.223.x and 1.224.x, .generator/swagger.json) by "
                            "tests/simulator/test_unit_fixtures_from_spec.py: the WorkloadMetricType, PodMetricType "
                            "and WorkloadTelemetryType enums, and whether telemetry takes filterByPhases."}, **levels)


def workload_fields():
    spec = load("runai-v1-openapi.json")

    def properties(schema):
        schema = resolved(spec, schema, "schemas")
        found = {}
        for part in schema.get("allOf", []):
            found.update(properties(part))
        found.update(schema.get("properties", {}))
        return found

    fields = properties(spec["components"]["schemas"]["Workload"])
    return {
        "_source": "Derived from runai-v1-openapi.json by tests/simulator/test_unit_fixtures_from_spec.py: the "
                   "properties of the v1 Workload object (components.schemas.Workload), with writeOnly marking the "
                   "ones a response never carries",
        "properties": list(fields),
        "write_only": [name for name, field in fields.items() if field.get("writeOnly")],
    }


@pytest.mark.parametrize("name, derive", [
    ("runai-v1-reference-enums.json", reference_enums),
    ("runai-vendor-enums-by-level.json", vendor_enums_by_level),
    ("runai-v1-workload-fields.json", workload_fields),
])
def test_a_unit_fixture_is_what_the_spec_copies_say(name, derive):
    derived = derive()
    if os.environ.get("RUNAI_WRITE_FIXTURES") == "1":
        (FIXTURES / name).write_text(json.dumps(derived, indent=2) + "\n")
    assert json.loads((FIXTURES / name).read_text()) == derived, (
        "%s differs from the spec copies; run this test with RUNAI_WRITE_FIXTURES=1 to rewrite it" % name)
