# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The package's own copy of the API reference, and the enumerations and level features the simulator takes from it.

Each control-plane level (--api-level) is served from its own vendor document in spec/vendor/: what the level's
operations, enums and create metadata are is read from there, so that what the simulator accepts cannot drift from
what the reference defines. The project's four documents in spec/ (the reference of the routes the vendor cut leaves
out, and the assumptions such as maximum lengths that the vendor files do not state) are shared by every level.
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
LEVELS = ("2.23", "2.24", "3.0")
# The 2.24 SDK file lacks the dryRun parameter that the vendor's 2.24 API reference pages document; the pages
# describe the server, the SDK file was generated from an older cut of it: a 2.24 server honours dryRun.
DRY_RUN_FROM_DOCS_PAGES = ("2.24",)
# What GET /api/v1/clusters reports as the cluster `version` at each level (a full release number, as the real
# service reports it, so that a client has to compare major.minor rather than the whole string).
CLUSTER_VERSIONS = {"2.23": "2.23.17", "2.24": "2.24.6", "3.0": "3.0.2"}


def vendor_spec(level):
    """The name of the vendor reference of a level, for load_spec."""
    return "vendor/runai-%s-openapi.json" % level


@lru_cache(maxsize=None)
def _spec_text(name):
    location = resources.files("runai_simulator").joinpath("spec")
    for part in name.split("/"):
        location = location.joinpath(part)
    return location.read_text(encoding="utf-8")


def load_spec(name):
    """A fresh, mutable copy of one reference document."""
    return json.loads(_spec_text(name))


def _resolve(document, item):
    """`item`, or the component its $ref points to."""
    reference = item.get("$ref") if isinstance(item, dict) else None
    if not reference:
        return item
    node = document
    for part in reference.lstrip("#/").split("/"):
        node = node[part]
    return node


class Vocabulary:
    """Enumerations, patterns and features of one level's reference, loaded once."""

    def __init__(self, level=LEVELS[-1]):
        if level not in LEVELS:
            raise ValueError("unknown API level %r: one of %s" % (level, ", ".join(LEVELS)))
        self.level = level
        vendor = load_spec(vendor_spec(level))
        auth = load_spec(AUTH)
        v1 = projects = vendor
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
        self.grant_types = tuple(v1_schemas["TokenRequestGrantTypeEnum"]["enum"])
        # Maximum lengths and the preemptibility values are the project's assumptions (the vendor files state no
        # maximum lengths; 2.23 has no preemptibility at all): the same at every level.
        token_fields = auth["components"]["schemas"]["TokenRequest"]["properties"]
        self.token_field_max_length = {
            name.lower(): field["maxLength"] for name, field in token_fields.items() if "maxLength" in field}
        v2 = load_spec(V2_WORKLOADS)
        self.manifest_base64_max = v2["components"]["schemas"]["ManifestEncoded"]["maxLength"]
        self.preemptibilities = tuple(
            value for value in v2["components"]["schemas"]["Preemptibility"]["enum"] if value is not None)
        self._read_features(vendor)

    def _read_features(self, vendor):
        """What the level has: update, dry run, create metadata, token lifetime, telemetry phase filter."""
        paths, schemas = vendor["paths"], vendor["components"]["schemas"]
        self.operations = frozenset((method.upper(), template) for template, item in paths.items()
                                    for method in item if method != "parameters")
        self.has_update = "put" in paths["/api/v2/workloads/{WorkloadV2Id}"]
        create = paths["/api/v2/workloads"]["post"]
        self.honours_dry_run = self.level in DRY_RUN_FROM_DOCS_PAGES or any(
            _resolve(vendor, parameter).get("name") == "dryRun" for parameter in create.get("parameters", ()))
        create_params = schemas["WorkloadV2MetadataCreateParams"]
        self.create_metadata_fields = frozenset(create_params["properties"])
        self.create_metadata_required = tuple(create_params.get("required", ()))
        stored = _resolve(vendor, schemas["WorkloadV2Metadata"]["allOf"][0])
        self.stored_metadata_fields = frozenset(stored["properties"])
        self.token_expires_in = "expiresIn" in schemas["TokenResponse"]["properties"]
        telemetry = paths["/api/v1/workloads/telemetry"]["get"]["parameters"]
        self.telemetry_phase_filter = any(
            _resolve(vendor, parameter).get("name") == "filterByPhases" for parameter in telemetry)
        self.cluster_version = CLUSTER_VERSIONS[self.level]


@lru_cache(maxsize=None)
def vocabulary(level=LEVELS[-1]):
    return Vocabulary(level)
