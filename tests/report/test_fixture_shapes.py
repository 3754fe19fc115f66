# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report tests' data must look exactly like what the role gets in real use: API objects valid against the
reference's schemas (the simulator package's copy of it), metric series with the keys runai_metrics_info documents."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
import yaml

from report_fixtures import BASE_SCENARIOS, REPO_ROOT, gathered_data, scale_scenarios

spec = pytest.importorskip("runai_simulator.spec", reason="the simulator package holds the reference's copy")
validators = pytest.importorskip("openapi_schema_validator")

V1 = spec.load_spec(spec.V1)


def schema_validator(name):
    document = {"$ref": "#/components/schemas/" + name, "components": V1["components"]}
    return validators.OAS30Validator(document)


@pytest.fixture(scope="module", params=["base", "scale"])
def gathered(request):
    return gathered_data(BASE_SCENARIOS if request.param == "base" else scale_scenarios(60))


@pytest.mark.parametrize(
    "key, schema", [("workloads", "Workload"), ("pods", "Pod1"), ("telemetry", "TelemetryResponse")]
)
def test_api_objects_follow_the_reference(gathered, key, schema):
    validator = schema_validator(schema)
    errors = [error.message for item in gathered[key] for error in validator.iter_errors(item)]
    assert errors == []
    assert gathered[key]


def test_metric_series_have_the_keys_runai_metrics_info_returns(gathered):
    source = (REPO_ROOT / "plugins/modules/runai_metrics_info.py").read_text()
    returned = yaml.safe_load(source.split('RETURN = r"""', 1)[1].split('"""', 1)[0])
    documented = set(returned["series"]["contains"])
    for series in gathered["series"]:
        assert set(series) == documented
        assert set(series["summary"]) == {"min", "mean", "max", "last", "count"}
        assert all(set(point) == {"timestamp", "value"} for point in series["values"])
