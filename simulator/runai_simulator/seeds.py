# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fixed organisation the simulator serves: one tenant, two clusters, their departments, node pools and projects.

It follows the spec README: cluster 71f69d83-..., department `default` ("2"), projects `project-a` ("1") and
`team-a`; a second cluster with its own department and `team-b`; `shared` in both clusters for the ambiguity case.
"""

from dataclasses import dataclass

from runai_simulator.clock import parse_iso
from runai_simulator.query import DATE, ID, NUMBER, STRING, Field

TENANT_ID = 1001
SEEDED_AT = "2024-01-15T10:00:00.000Z"
SEEDED_BY = "admin@run.ai"


@dataclass(frozen=True)
class Cluster:
    id: str
    name: str
    node_pool_id: str
    node_pool: str
    nodes: tuple


@dataclass(frozen=True)
class Department:
    id: str
    name: str
    cluster: Cluster


@dataclass(frozen=True)
class Project:
    id: str
    name: str
    department: Department
    gpu_quota: float

    @property
    def cluster(self):
        return self.department.cluster

    @property
    def namespace(self):
        return "runai-" + self.name


CLUSTER_A = Cluster("71f69d83-ba66-4822-adf5-55ce55efd210", "cluster-a", "22", "default",
                    tuple("dgx-a-%02d" % n for n in range(1, 9)))
CLUSTER_B = Cluster("3c1f9a52-7d4e-4b8a-9e21-6f0d2c8b5a17", "cluster-b", "23", "default",
                    tuple("dgx-b-%02d" % n for n in range(1, 5)))
DEPARTMENT_DEFAULT = Department("2", "default", CLUSTER_A)
DEPARTMENT_RESEARCH = Department("5", "research", CLUSTER_B)

PROJECTS = (
    Project("1", "project-a", DEPARTMENT_DEFAULT, 8),
    Project("3", "team-a", DEPARTMENT_DEFAULT, 16),
    Project("4", "shared", DEPARTMENT_DEFAULT, 4),
    Project("6", "team-b", DEPARTMENT_RESEARCH, 8),
    Project("7", "shared", DEPARTMENT_RESEARCH, 4),
)
CLUSTERS = (CLUSTER_A, CLUSTER_B)
DEPARTMENTS = (DEPARTMENT_DEFAULT, DEPARTMENT_RESEARCH)
PROJECTS_BY_ID = {project.id: project for project in PROJECTS}
CLUSTERS_BY_ID = {cluster.id: cluster for cluster in CLUSTERS}


def cluster_view(cluster, version, full=True):
    """DisplayedCluster: the cluster as GET /api/v1/clusters shows it, `version` the control plane's level."""
    view = {"uuid": cluster.id, "tenantId": TENANT_ID, "name": cluster.name, "createdAt": SEEDED_AT,
            "domain": None, "version": version, "updatedAt": SEEDED_AT, "deletedAt": None, "lastLiveness": None,
            "deleteRequestedAt": None}
    if full:
        view["status"] = {"state": "Connected", "conditions": [{
            "type": "Available", "status": "True", "reason": "Available", "message": "",
            "lastTransitionTime": SEEDED_AT}]}
    return view


def projects_named(names):
    """Every project whose name is in `names` (a name may exist in several clusters)."""
    wanted = set(names)
    return frozenset(project.id for project in PROJECTS if project.name in wanted)


def project_view(project, allocated_gpu, requested_gpu):
    """The org-unit API's Project object, with quota usage taken from the live workloads."""
    cluster = project.cluster
    usage = {"gpu": allocated_gpu, "cpu": 0, "memory": 0}
    quota_status = {
        "allocated": usage,
        "allocatedNonPreemptible": {"gpu": 0, "cpu": 0, "memory": 0},
        "requested": {"gpu": requested_gpu, "cpu": 0, "memory": 0},
    }
    node_types = {"training": [], "workspace": [], "names": {}}
    return {
        "id": project.id,
        "name": project.name,
        "clusterId": cluster.id,
        "parentId": project.department.id,
        "parent": {"id": project.department.id, "name": project.department.name},
        "description": "",
        "requestedNamespace": None,
        "enforceRunaiScheduler": True,
        "schedulingRules": None,
        "defaultNodePools": None,
        "nodeTypes": node_types,
        "resources": [{
            "nodePool": {"id": cluster.node_pool_id, "name": cluster.node_pool},
            "gpu": {"deserved": project.gpu_quota, "limit": -1, "overQuotaWeight": 2},
            "cpu": {"deserved": None, "limit": -1, "overQuotaWeight": 2},
            "memory": {"deserved": None, "limit": -1, "overQuotaWeight": 2, "units": "Mib"},
            "priority": "Normal",
        }],
        "totalResources": {"gpuQuota": project.gpu_quota, "cpuQuota": None, "memoryQuota": None},
        "effective": {"schedulingRules": None, "defaultNodePools": [cluster.node_pool], "nodeTypes": node_types},
        "status": {
            "namespace": project.namespace,
            "phase": "Ready",
            "phaseMessage": "Project is ready",
            "lastUpdatedTime": SEEDED_AT,
            "nodePoolQuotaStatuses": [
                dict(quota_status, nodePoolName=cluster.node_pool, nodePoolId=cluster.node_pool_id)],
            "quotaStatus": quota_status,
            "additionalStatusData": None,
        },
        "overtimeData": {"range24hData": None, "range7dData": None, "range30dData": None},
        "createdAt": SEEDED_AT,
        "updatedAt": SEEDED_AT,
        "createdBy": SEEDED_BY,
        "updatedBy": SEEDED_BY,
    }


# filterBy / sortBy fields of the org-unit projects list, read from the Project object; departmentId filters
# like parentId (the spec README: the object has no departmentId). "description" serves the free-text search only.
PROJECT_FIELDS = {
    "name": Field(STRING, lambda p, now: p["name"]),
    "clusterId": Field(STRING, lambda p, now: p["clusterId"]),
    "departmentId": Field(ID, lambda p, now: p["parentId"]),
    "parentId": Field(ID, lambda p, now: p["parentId"]),
    "parentName": Field(STRING, lambda p, now: p["parent"]["name"]),
    "phase": Field(STRING, lambda p, now: p["status"]["phase"]),
    "totalGpuQuota": Field(NUMBER, lambda p, now: p["totalResources"]["gpuQuota"]),
    "gpuAllocated": Field(NUMBER, lambda p, now: p["status"]["quotaStatus"]["allocated"]["gpu"]),
    "createdAt": Field(DATE, lambda p, now: parse_iso(p["createdAt"])),
    "description": Field(STRING, lambda p, now: p["description"]),
}
for _average in ("avgGpuAllocation", "avgGpuUtilization", "avgGpuMemoryUtilization"):
    for _window in ("24h", "7d", "30d"):
        PROJECT_FIELDS[_average + _window] = Field(NUMBER, lambda p, now: None)
PROJECT_SEARCH_FIELDS = ("name", "parentName", "description")
