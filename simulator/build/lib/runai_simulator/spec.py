# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The package's own copy of the API reference, and the enumerations the simulator takes from it.

Query vocabularies (filterBy patterns, sortBy enums, metric types, phases) are read from the reference files so that
what the simulator accepts cannot drift from what the reference defines.
"""

import json
import re
from functools import lru_cache
from importlib import resources

V1 = "runai-v1-openapi.json"
V2_WORKLOADS = "runai-v2-workloads-openapi.json"
AUTH = "runai-auth-openapi.json"
PROJECTS = "runai-projects-openapi.json"
SPEC_FILES = (V1, V2_WORKLOADS, AUTH, PROJECTS)


@lru_cache(maxsize=None)
def _spec_text(name):
    return resources.files("runai_simulator").joinpath("spec", name).read_text(encoding="utf-8")


def load_spec(name):
    """A fresh, mutable copy of one reference document."""
    return json.loads(_spec_text(name))


class Vocabulary:
    """Enumerations and patterns of the reference, loaded once."""

    def __init__(self):
        v1 = load_spec(V1)
        projects = load_spec(PROJECTS)
        auth = load_spec(AUTH)
        v1_params = v1["components"]["parameters"]
        v1_schemas = v1["components"]["schemas"]
        project_params = projects["components"]["parameters"]

        self.workload_filter = re.compile(v1_params["WorkloadsFilter"]["schema"]["items"]["pattern"])
        self.workload_sort_fields = tuple(v1_params["WorkloadsSort"]["schema"]["enum"])
        self.pod_filter = re.compile(v1_params["PodsFilter"]["schema"]["items"]["pattern"])
        self.pod_sort_fields = tuple(v1_params["PodsSort"]["schema"]["enum"])
        self.project_filter = re.compile(project_params["ProjectsFilterBy"]["schema"]["items"]["pattern"])
        self.project_sort_fields = tuple(projects["components"]["schemas"]["ProjectFilterSortFields"]["enum"])
        limit = v1_params["Limit"]["schema"]
        self.limit_min, self.limit_max, self.limit_default = limit["minimum"], limit["maximum"], limit["default"]
        samples = v1_params["NumberOfSamples"]["schema"]
        self.samples_min, self.samples_max, self.samples_default = (
            samples["minimum"], samples["maximum"], samples["default"])
        self.sort_orders = tuple(v1_params["SortOrder"]["schema"]["enum"])
        self.pod_verbosities = tuple(v1_schemas["PodVerbosity"]["enum"])
        self.workload_metric_types = tuple(v1_schemas["WorkloadMetricType"]["enum"])
        self.pod_metric_types = tuple(v1_schemas["PodMetricType"]["enum"])
        self.telemetry_types = tuple(v1_schemas["WorkloadTelemetryType"]["enum"])
        group_by = v1_params["TelemetryGroupBy1"]["schema"]
        self.telemetry_group_by = tuple(group_by["items"]["enum"])
        self.telemetry_group_by_max = group_by["maxItems"]
        self.phases = tuple(v1_schemas["Phase"]["enum"])
        self.grant_types = tuple(auth["components"]["schemas"]["TokenRequestGrantTypeEnum"]["enum"])
        token_fields = auth["components"]["schemas"]["TokenRequest"]["properties"]
        self.token_field_max_length = {
            name.lower(): field["maxLength"] for name, field in token_fields.items() if "maxLength" in field}
        v2 = load_spec(V2_WORKLOADS)
        self.manifest_base64_max = v2["components"]["schemas"]["ManifestEncoded"]["maxLength"]
        self.preemptibilities = tuple(
            value for value in v2["components"]["schemas"]["Preemptibility"]["enum"] if value is not None)


@lru_cache(maxsize=1)
def vocabulary():
    return Vocabulary()
