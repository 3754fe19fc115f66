# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTTP surface: every operation of the reference, and the admin routes under /_simulator.

Handlers are coroutines on the server's single event loop; state changes happen between awaits, so requests never
interleave inside a write. Each API route counts itself in the stats, draws its faults, checks the bearer token,
then runs; an ApiError becomes the reference's Error body.
"""

import asyncio
import json
import logging
import re
import uuid
from collections import Counter
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Route

from runai_simulator import clock, events, metrics
from runai_simulator.auth import App, Authenticator
from runai_simulator.errors import ApiError, BadRequest, ConnectionDropped, Forbidden, InjectedFault, NotFound
from runai_simulator.faults import FaultInjector, FaultSettings, merged
from runai_simulator.manifest import SUSPEND_FAMILIES
from runai_simulator.query import (
    exact_value, matching, page, parse_bool, parse_enum, parse_int, parse_list, parse_paging, parse_query)
from runai_simulator.seeds import (
    CLUSTERS, CLUSTERS_BY_ID, DEPARTMENTS, PROJECT_FIELDS, PROJECT_SEARCH_FIELDS, PROJECTS, cluster_view, project_view)
from runai_simulator.spec import vocabulary
from runai_simulator.store import Store
from runai_simulator.workloads import (
    POD_FIELDS, POD_SEARCH_FIELDS, WORKLOAD_FIELDS, WORKLOAD_SEARCH_FIELDS, Registry, dumps)

LOG = logging.getLogger("runai_simulator")
MAX_BODY_BYTES = 8 * 2 ** 20
RAW_SEND = "runai_simulator.raw_send"
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
JSON = "application/json"
CSV = "text/csv"
BATCH_MAX_IDS = 100  # WorkloadBatch: "The number of ids is limited to 100."
BATCH_ACTIONS = ("delete", "suspend", "resume")
ACCEPTED = {"code": 202, "message": "Request has been accepted."}


class Stats:
    def __init__(self):
        self.reset()

    def reset(self):
        self.by_route = Counter()
        self.faults = Counter()

    def view(self, workload_counts):
        return {"requests": {"total": sum(self.by_route.values()), "by_route": dict(self.by_route)},
                "faults": dict(self.faults), "workloads": workload_counts}


class GroupCommit:
    """Commits the store's open transaction once per turn of the event loop, for every request that wrote in it.

    A writing request awaits `committed()` before it answers, so nothing is acknowledged before its COMMIT.
    """

    def __init__(self, store):
        self._store = store
        self._pending = None

    def committed(self):
        if self._pending is None:
            loop = asyncio.get_running_loop()
            self._pending = loop.create_future()
            loop.call_soon(self._commit)
        return self._pending

    def _commit(self):
        pending, self._pending = self._pending, None
        try:
            self._store.commit()
        except Exception as error:  # every writer of this turn must fail, not just the first to look
            pending.set_exception(error)
        else:
            pending.set_result(None)


class Simulator:
    """The state behind the routes: store, workloads, credentials, faults and counters."""

    def __init__(self, config, now=clock.now):
        self.config, self.now = config, now
        self.vocabulary = vocabulary(config.api_level)
        self.store = Store(config.state)
        self.group_commit = GroupCommit(self.store)
        self.registry = Registry(self.store, self.vocabulary, config.speed, now, config.v1_lag, config.keep_deleted)
        apps = [App(config.client_id, config.client_secret)] + list(config.restricted_apps)
        self.auth = Authenticator(apps, config.admin_token, config.token_ttl, self.store, self.vocabulary, now)
        self.faults = FaultInjector()
        self.set_faults(config.faults)
        self.stats = Stats()

    def set_faults(self, settings):
        self.faults.configure(settings)
        self.auth.ttl_override = settings.token_ttl_seconds

    def v1_now(self):
        """The clock of the v1 views: they show the state as it was --v1-lag seconds ago."""
        return self.now() - self.config.v1_lag

    def next_pointer(self, query, next_offset):
        """`next` of a paged answer: the offset of the next page, or its page index under --next-style page."""
        if next_offset is None or self.config.next_style == "offset":
            return next_offset
        return query.paging.offset // query.paging.limit + 1

    def close(self):
        self.store.close()


def json_response(body, status=200, headers=None):
    return Response(body if isinstance(body, bytes) else dumps(body), status_code=status, headers=headers,
                    media_type=JSON)


def error_response(error):
    return json_response(error.body(), error.status, error.headers)


async def read_json(request):
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        raise BadRequest("The request body is larger than %d bytes" % MAX_BODY_BYTES)
    if not body.strip():
        raise BadRequest("Required parameter is missing", details="a JSON request body is required")
    try:
        return json.loads(body)
    except ValueError:
        raise BadRequest("The request body is not valid JSON") from None


def path_uuid(request, name):
    value = request.path_params[name]
    if not _UUID.match(value):
        raise BadRequest("%s %r is not a valid UUID" % (name, value))
    return value.lower()


def authorization(request):
    """The Authorization header, read from the raw scope (cheaper than building Request.headers)."""
    for key, value in request.scope["headers"]:
        if key == b"authorization":
            return value.decode("latin-1")
    return None


def wants_csv(request):
    accept = request.headers.get("accept", "")
    return CSV in accept and JSON not in accept


async def drop_connection(request):
    """Close the client's TCP connection without an HTTP answer."""
    raw_send = request.scope.get(RAW_SEND)
    cycle = getattr(raw_send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None:
        raise ConnectionDropped("no transport to close: run the simulator under uvicorn to drop connections")
    transport.close()
    # The server's request cycle now ignores whatever the application sends.
    cycle.disconnected = True
    return Response(status_code=204)


def api_operation(sim, key, handler, write=False, authenticated=True):
    """A Starlette endpoint for `handler(request, principal)`, with stats, faults, auth and error bodies."""

    async def endpoint(request):
        sim.stats.by_route[key] += 1
        try:
            settings = sim.faults.settings
            if settings.latency_ms:
                await asyncio.sleep(settings.latency_ms / 1000)
            decision = sim.faults.decide(write)
            if decision.status:
                sim.stats.faults[str(decision.status)] += 1
                raise InjectedFault(decision.status, settings.retry_after_seconds)
            principal = sim.auth.authenticate(authorization(request)) if authenticated else None
            if decision.drop_before_write:
                sim.stats.faults["drop_before_write"] += 1
                return await drop_connection(request)
            response = await handler(request, principal)
            if write:
                await sim.group_commit.committed()
            if decision.drop_after_write and response.status_code < 300:
                sim.stats.faults["drop_after_write"] += 1
                return await drop_connection(request)
            return response
        except ApiError as error:
            return error_response(error)
        except ConnectionDropped:
            raise
        except Exception:  # an answer the reference defines beats a traceback page
            LOG.exception("unexpected error in %s", key)
            return error_response(ApiError())

    return endpoint


def admin_operation(sim, handler, authenticated=True):
    async def endpoint(request):
        try:
            if authenticated:
                sim.auth.check_admin(authorization(request))
            return await handler(request)
        except ApiError as error:
            return error_response(error)

    return endpoint


class Api:
    """Handlers of the reference's operations."""

    def __init__(self, sim):
        self.sim, self.registry, self.vocabulary = sim, sim.registry, sim.vocabulary

    # ---- tokens
    async def grant_token(self, request, principal):
        return json_response(self.sim.auth.grant_v1(await read_json(request)))

    async def grant_token_v2(self, request, principal):
        form = dict(parse_qsl((await request.body()).decode("utf-8", "replace")))
        return json_response(self.sim.auth.grant_oauth2(form))

    async def app_token(self, request, principal):
        return json_response(self.sim.auth.grant_app_token(await read_json(request)))

    # ---- Workloads V2
    async def create_workload(self, request, principal):
        # A level without the parameter ignores it, as a server ignores any query parameter it does not know: on
        # 2.23 a create sent with dryRun=true is a real create.
        dry_run = self.vocabulary.honours_dry_run and (parse_bool(request.query_params, "dryRun") or False)
        workload = self.registry.create(await read_json(request), principal, dry_run)
        return json_response(workload.v2_bytes(), 202)

    async def get_workload_v2(self, request, principal):
        now = self.sim.now()
        workload = self.registry.accessible(path_uuid(request, "WorkloadV2Id"), principal, now)
        return json_response(workload.v2_get_bytes(now))

    async def update_workload(self, request, principal):
        workload_id = path_uuid(request, "WorkloadV2Id")
        body = await read_json(request)
        return json_response(self.registry.update(workload_id, body, principal).v2_bytes(), 202)

    async def delete_workload(self, request, principal):
        return json_response(self.registry.delete(path_uuid(request, "WorkloadV2Id"), principal).v2_bytes(), 202)

    # ---- v1 workload actions: batch, per-kind suspend and resume
    async def batch_workloads(self, request, principal):
        """WorkloadBatch -> BatchResponse: each id succeeds or fails on its own (code and message of the error the
        single action would answer); more than 100 ids, a malformed id or an unknown action is a 400 for the whole
        batch, and nothing is done."""
        body = await read_json(request)
        if not isinstance(body, dict):
            raise BadRequest("The request body must be a JSON object")
        action, ids = body.get("action"), body.get("ids")
        if action is None or ids is None:
            raise BadRequest("Required parameter is missing", details="ids and action are required")
        if action not in BATCH_ACTIONS:
            raise BadRequest("Invalid value for action: one of " + ", ".join(BATCH_ACTIONS))
        if not isinstance(ids, list) or not ids:
            raise BadRequest("ids must be a non-empty list of workload ids")
        if len(ids) > BATCH_MAX_IDS:
            raise BadRequest("The number of ids is limited to %d (got %d)" % (BATCH_MAX_IDS, len(ids)))
        malformed = [value for value in ids if not isinstance(value, str) or not _UUID.match(value)]
        if malformed:
            raise BadRequest("ids must be UUIDs: %s is not" % json.dumps(malformed[0]))
        operation = {"delete": self.registry.delete, "suspend": self.registry.suspend,
                     "resume": self.registry.resume}[action]
        succeeded, failed = [], []
        for workload_id in dict.fromkeys(value.lower() for value in ids):
            try:
                operation(workload_id, principal)
            except ApiError as error:
                failed.append({"id": workload_id, "code": error.status, "message": error.message})
            else:
                succeeded.append(workload_id)
        return json_response({"id": str(uuid.uuid4()), "succeeded": succeeded, "failed": failed})

    async def _family_action(self, request, principal, family, suspend):
        operation = self.registry.suspend if suspend else self.registry.resume
        operation(path_uuid(request, "workloadId"), principal, family)
        return json_response(ACCEPTED, 202)

    # ---- v1 workload events and history
    async def workload_events(self, request, principal):
        now, params = self.sim.v1_now(), request.query_params
        workload = self._workload(request, principal, now)
        paging = parse_paging(params, self.vocabulary)
        descending = parse_enum(params, "sortOrder", self.vocabulary.sort_orders, "desc") == "desc"
        items = events.events(workload, now)
        if descending:
            items.reverse()
        return json_response(self._paged("events", items, paging))

    async def workload_history(self, request, principal):
        now = self.sim.v1_now()
        workload = self._workload(request, principal, now)
        paging = parse_paging(request.query_params, self.vocabulary)
        return json_response(self._paged("records", events.history(workload, now), paging))

    def _paged(self, name, items, paging):
        body = {name: items[paging.offset:paging.offset + paging.limit]}
        if len(items) > paging.offset + paging.limit:
            next_offset = paging.offset + paging.limit
            body["next"] = next_offset if self.sim.config.next_style == "offset" else paging.offset // paging.limit + 1
        return body

    # ---- v1 workloads
    def _v1_workloads(self, workloads, now):
        """The workloads the v1 views show at their clock `now`, each as they show it."""
        if not self.sim.config.v1_lag:
            return workloads
        return (workload.as_of(now) for workload in workloads if workload.timeline.created_at <= now)

    def _visible(self, principal, query, deleted, now):
        candidates = self._v1_workloads(self.registry.in_order(name=exact_value(query, "name")), now)
        if principal.project_ids is None:
            scoped = (workload for workload in candidates if workload.timeline.is_deleted(now) == deleted)
        else:
            scoped = (workload for workload in candidates if workload.project.id in principal.project_ids
                      and workload.timeline.is_deleted(now) == deleted)
        return matching(scoped, query, WORKLOAD_FIELDS, WORKLOAD_SEARCH_FIELDS, now)

    def _workload_query(self, params, paged):
        return parse_query(params, self.vocabulary, self.vocabulary.workload_filter, WORKLOAD_FIELDS,
                           self.vocabulary.workload_sort_fields if paged else None, paged)

    async def list_workloads(self, request, principal):
        now, params = self.sim.v1_now(), request.query_params
        deleted = parse_bool(params, "deleted") or False
        query = self._workload_query(params, True)
        items, next_offset = page(self._visible(principal, query, deleted, now), query, WORKLOAD_FIELDS, now)
        return json_response(_list_body(b"workloads", [workload.v1_bytes(now) for workload in items],
                                        self.sim.next_pointer(query, next_offset)))

    async def count_workloads(self, request, principal):
        now, params = self.sim.v1_now(), request.query_params
        deleted = parse_bool(params, "deleted") or False
        query = self._workload_query(params, False)
        return json_response({"count": sum(1 for _workload in self._visible(principal, query, deleted, now))})

    def _workload(self, request, principal, now):
        """The workload of a v1 path as the v1 views show it at `now` (deleted ones included: the history keeps
        them; one they have not caught up with yet is a 404)."""
        workload = self.registry.get(path_uuid(request, "workloadId"))
        if workload is None or workload.timeline.created_at > now:
            raise NotFound()
        if not principal.may_access(workload.project.id):
            raise Forbidden()
        return workload.as_of(now)

    async def get_workload_v1(self, request, principal):
        now = self.sim.v1_now()
        return json_response(self._workload(request, principal, now).v1_detailed_bytes(now))

    async def telemetry(self, request, principal):
        now, params, vocabulary = self.sim.v1_now(), request.query_params, self.vocabulary
        telemetry_type = parse_enum(params, "telemetryType", vocabulary.telemetry_types)
        if telemetry_type is None:
            raise BadRequest("Required parameter is missing", details="telemetryType is required")
        group_by = parse_list(params, "groupBy")
        if len(group_by) > vocabulary.telemetry_group_by_max or not set(group_by) <= set(vocabulary.telemetry_group_by):
            raise BadRequest("Invalid value for query parameter groupBy: at most %d of %s" % (
                vocabulary.telemetry_group_by_max, ", ".join(vocabulary.telemetry_group_by)))
        # A level without filterByPhases (2.23) ignores it, as any unknown query parameter.
        phases = parse_list(params, "filterByPhases") if vocabulary.telemetry_phase_filter else []
        if not set(phases) <= set(vocabulary.phases):
            raise BadRequest("Invalid value for query parameter filterByPhases: phases are " + ", ".join(vocabulary.phases))
        cluster_id = params.get("clusterId")
        if cluster_id is not None:
            if not _UUID.match(cluster_id):
                raise BadRequest("Invalid value for query parameter clusterId: not a UUID")
            if cluster_id not in CLUSTERS_BY_ID:
                raise NotFound("Cluster %s not found" % cluster_id)
        department_id = params.get("departmentId")
        if department_id is not None and department_id not in {department.id for department in DEPARTMENTS}:
            raise NotFound("Department %s not found" % department_id)
        node_pool = params.get("nodepoolName")
        workloads = [
            workload for workload in self._v1_workloads(self.registry.in_order(), now)
            if principal.may_access(workload.project.id) and not workload.timeline.is_deleted(now)
            and cluster_id in (None, workload.project.cluster.id)
            and department_id in (None, workload.project.department.id)
            and node_pool in (None, workload.project.cluster.node_pool)
            and (not phases or workload.phase(now) in phases)]
        body = metrics.telemetry(workloads, telemetry_type, group_by, now)
        if wants_csv(request):
            return Response(metrics.telemetry_csv(body), media_type=CSV)
        return json_response(body)

    def _metric_window(self, params, allowed):
        types = parse_list(params, "metricType")
        if not types:
            raise BadRequest("Required parameter is missing", details="metricType is required")
        unknown = [metric for metric in types if metric not in allowed]
        if unknown:
            raise BadRequest("Invalid value for query parameter metricType: %s" % ", ".join(unknown))
        moments = []
        for name in ("start", "end"):
            raw = params.get(name)
            if raw is None:
                raise BadRequest("Required parameter is missing", details="%s is required" % name)
            try:
                moments.append(clock.parse_iso(raw))
            except ValueError:
                raise BadRequest("Invalid value for query parameter %s: not an ISO 8601 date" % name) from None
        if moments[0] > moments[1]:
            raise BadRequest("Invalid time range: start is after end")
        samples = parse_int(params, "numberOfSamples", self.vocabulary.samples_min, self.vocabulary.samples_max,
                            self.vocabulary.samples_default)
        return types, moments[0], moments[1], samples

    async def workload_metrics(self, request, principal):
        now = self.sim.v1_now()
        workload = self._workload(request, principal, now)
        types, start, end, samples = self._metric_window(request.query_params, self.vocabulary.workload_metric_types)
        status, body = metrics.workload_metrics(workload, types, start, end, samples, now)
        if wants_csv(request) and status == 200:
            return Response(metrics.metrics_csv(body), media_type=CSV)
        return json_response(body, status)

    async def pod_metrics(self, request, principal):
        now = self.sim.v1_now()
        workload = self._workload(request, principal, now)
        pod_id = path_uuid(request, "podId")
        pod = next((pod for pod in workload.pods(now) if pod.id == pod_id), None)
        if pod is None:
            raise NotFound("Pod %s not found in workload %s" % (pod_id, workload.id))
        types, start, end, samples = self._metric_window(request.query_params, self.vocabulary.pod_metric_types)
        status, body = metrics.pod_metrics(pod, types, start, end, samples, self.sim.config.advanced_gpu_metrics,
                                           now)
        if wants_csv(request) and status == 200:
            return Response(metrics.metrics_csv(body), media_type=CSV)
        return json_response(body, status)

    # ---- pods
    @staticmethod
    def _pod_state_filter(params, deleted):
        completed = (params.get("completed") or "all").strip().lower()
        if completed not in ("true", "false", "all"):
            raise BadRequest("Invalid value for query parameter completed: must be true, false or all")

        def keep(pod):
            return (pod.deleted_at is not None) == deleted and (
                completed == "all" or (pod.completed_at is not None) == (completed == "true"))
        return keep

    def _pods(self, principal, workloads, keep, now):
        for workload in workloads:
            if principal.may_access(workload.project.id):
                for pod in workload.pods(now):
                    if keep(pod):
                        yield pod

    def _pods_query(self, request, principal, paged):
        now, params = self.sim.v1_now(), request.query_params
        deleted = parse_bool(params, "deleted") or False
        keep = self._pod_state_filter(params, deleted)
        query = parse_query(params, self.vocabulary, self.vocabulary.pod_filter, POD_FIELDS,
                            self.vocabulary.pod_sort_fields if paged else None, paged)
        workload_id = exact_value(query, "workloadId")
        if workload_id is not None:
            workload = self.registry.get(workload_id)
            workloads = [workload] if workload is not None else []
        else:
            workloads = self.registry.in_order()
        workloads = self._v1_workloads(workloads, now)
        pods = matching(self._pods(principal, workloads, keep, now), query, POD_FIELDS, POD_SEARCH_FIELDS, now)
        return now, query, pods

    async def list_pods(self, request, principal):
        full = parse_enum(request.query_params, "verbosity", self.vocabulary.pod_verbosities, "brief") == "full"
        now, query, pods = self._pods_query(request, principal, True)
        items, next_offset = page(pods, query, POD_FIELDS, now)
        return json_response(_list_body(b"pods", [dumps(pod.view(full)) for pod in items],
                                        self.sim.next_pointer(query, next_offset)))

    async def count_pods(self, request, principal):
        pods = self._pods_query(request, principal, False)[2]
        return json_response({"count": sum(1 for _pod in pods)})

    async def workload_pods(self, request, principal):
        now, params = self.sim.v1_now(), request.query_params
        workload = self._workload(request, principal, now)
        deleted = parse_bool(params, "deleted") or False
        query = parse_query(params, self.vocabulary, self.vocabulary.pod_filter, POD_FIELDS, None, True)
        pods = (pod for pod in workload.pods(now) if (pod.deleted_at is not None) == deleted)
        items, next_offset = page(matching(pods, query, POD_FIELDS, POD_SEARCH_FIELDS, now), query, POD_FIELDS, now)
        return json_response(_list_body(b"pods", [dumps(pod.view()) for pod in items],
                                        self.sim.next_pointer(query, next_offset)))

    async def revision_pods(self, request, principal):
        revision_id = path_uuid(request, "revisionId")
        workload = self.registry.by_revision(revision_id)
        if workload is None:
            raise NotFound("Revision %s not found" % revision_id)
        now = self.sim.v1_now()
        if workload.timeline.created_at > now:
            raise NotFound("Revision %s not found" % revision_id)
        if not principal.may_access(workload.project.id):
            raise Forbidden()
        workload = workload.as_of(now)
        deleted = parse_bool(request.query_params, "deleted") or False
        pods = [pod.view() for pod in workload.pods(now)
                if pod.revision_id == revision_id and (pod.deleted_at is not None) == deleted]
        return json_response({"pods": pods})

    async def cluster_pods(self, request, principal):
        cluster_id = request.path_params["uuid"].lower()
        if cluster_id not in CLUSTERS_BY_ID:
            return json_response({"code": 404, "message": "Cluster %s not found" % cluster_id}, 404)
        now = self.sim.now()
        pods = [pod.legacy_view() for workload in self.registry.in_order()
                if workload.project.cluster.id == cluster_id and principal.may_access(workload.project.id)
                for pod in workload.pods(now) if pod.deleted_at is None]
        return json_response(pods)

    # ---- projects
    async def list_projects(self, request, principal):
        now = self.sim.now()
        query = parse_query(request.query_params, self.vocabulary, self.vocabulary.project_filter, PROJECT_FIELDS,
                            self.vocabulary.project_sort_fields, True)
        allocated, requested = Counter(), Counter()
        for workload in self.registry.in_order():
            if not workload.timeline.is_deleted(now):
                allocated[workload.project.id] += workload.allocated_gpu(now)
                requested[workload.project.id] += workload.facts.gpu
        projects = (project_view(project, allocated[project.id], requested[project.id])
                    for project in PROJECTS if principal.may_access(project.id))
        items, next_offset = page(matching(projects, query, PROJECT_FIELDS, PROJECT_SEARCH_FIELDS, now), query,
                                  PROJECT_FIELDS, now)
        body = {"projects": items}
        if next_offset is not None:
            body["next"] = self.sim.next_pointer(query, next_offset)
        return json_response(body)

    # ---- clusters
    async def list_clusters(self, request, principal):
        """DisplayedCluster per cluster, `version` the level's; `verbosity=metadata` leaves out the status."""
        verbosity = parse_enum(request.query_params, "verbosity", ("metadata", "full"), "full")
        parse_bool(request.query_params, "includeRequestedForDelete")  # no cluster is ever requested for delete
        return json_response([cluster_view(cluster, self.vocabulary.cluster_version, verbosity == "full")
                              for cluster in CLUSTERS])


def _family_handler(family, suspend):
    async def handler(self, request, principal):
        return await self._family_action(request, principal, family, suspend)
    return handler


for _family in SUSPEND_FAMILIES:
    setattr(Api, "suspend_" + _family, _family_handler(_family, True))
    setattr(Api, "resume_" + _family, _family_handler(_family, False))


def _list_body(name, fragments, next_offset):
    body = b'{"' + name + b'":[' + b",".join(fragments) + b"]"
    if next_offset is not None:
        body += b',"next":%d' % next_offset
    return body + b"}"


class Admin:
    """The /_simulator routes: health, stats, faults, token expiry, reset."""

    def __init__(self, sim):
        self.sim = sim

    async def health(self, request):
        return json_response({"status": "ok"})

    async def stats(self, request):
        return json_response(self.sim.stats.view(self.sim.registry.counts(self.sim.now())))

    async def reset_stats(self, request):
        self.sim.stats.reset()
        return json_response(self.sim.stats.view(self.sim.registry.counts(self.sim.now())))

    async def get_faults(self, request):
        return json_response(self.sim.faults.settings.as_dict())

    async def put_faults(self, request):
        self.sim.set_faults(merged(self.sim.faults.settings, await read_json(request)))
        return json_response(self.sim.faults.settings.as_dict())

    async def clear_faults(self, request):
        self.sim.set_faults(FaultSettings(seed=self.sim.faults.settings.seed))
        return json_response(self.sim.faults.settings.as_dict())

    async def expire_tokens(self, request):
        self.sim.auth.expire_all()
        return json_response({"expired": True})

    async def reset(self, request):
        self.sim.registry.reset()
        return json_response({"reset": True})


API_ROUTES = (
    # (method, path template of the reference, handler name, writes). Starlette tries routes in order: the most
    # frequent come first, and a literal path before a template that would also match it.
    ("GET", "/api/v2/workloads/{WorkloadV2Id}", "get_workload_v2", False),
    ("GET", "/api/v1/workloads", "list_workloads", False),
    ("GET", "/api/v1/workloads/count", "count_workloads", False),
    ("GET", "/api/v1/workloads/telemetry", "telemetry", False),
    ("GET", "/api/v1/workloads/pods", "list_pods", False),
    ("GET", "/api/v1/workloads/{workloadId}", "get_workload_v1", False),
    ("POST", "/api/v2/workloads", "create_workload", True),
    ("PUT", "/api/v2/workloads/{WorkloadV2Id}", "update_workload", True),
    ("DELETE", "/api/v2/workloads/{WorkloadV2Id}", "delete_workload", True),
    ("POST", "/api/v1/token", "grant_token", False),
    ("GET", "/api/v1/org-unit/projects", "list_projects", False),
    ("GET", "/api/v1/clusters", "list_clusters", False),
    ("GET", "/api/v1/workloads/pods/count", "count_pods", False),
    ("GET", "/api/v1/workloads/inferences/revisions/{revisionId}/pods", "revision_pods", False),
    ("GET", "/api/v1/workloads/{workloadId}/metrics", "workload_metrics", False),
    ("GET", "/api/v1/workloads/{workloadId}/pods", "workload_pods", False),
    ("GET", "/api/v1/workloads/{workloadId}/pods/{podId}/metrics", "pod_metrics", False),
    ("GET", "/v1/k8s/clusters/{uuid}/pods", "cluster_pods", False),
    ("GET", "/api/v1/workloads/{workloadId}/events", "workload_events", False),
    ("GET", "/api/v1/workloads/{workloadId}/history", "workload_history", False),
    ("POST", "/api/v1/workloads/batch", "batch_workloads", True),
) + tuple(
    ("POST", "/api/v1/workloads/%s/{workloadId}/%s" % (family, action), "%s_%s" % (action, family), True)
    for family in SUSPEND_FAMILIES for action in ("suspend", "resume")
) + (
    ("POST", "/api/v2/token", "grant_token_v2", False),
    ("POST", "/v1/k8s/auth/oauth/apptoken", "app_token", False),
)
TOKEN_ROUTES = ("/api/v1/token", "/api/v2/token", "/v1/k8s/auth/oauth/apptoken")
ADMIN_ROUTES = (
    ("GET", "/_simulator/health", "health"),
    ("GET", "/_simulator/stats", "stats"),
    ("POST", "/_simulator/stats/reset", "reset_stats"),
    ("GET", "/_simulator/faults", "get_faults"),
    ("PUT", "/_simulator/faults", "put_faults"),
    ("DELETE", "/_simulator/faults", "clear_faults"),
    ("POST", "/_simulator/tokens/expire", "expire_tokens"),
    ("POST", "/_simulator/reset", "reset"),
)


def _http_error_handler(sim):
    """404 for an unknown path, 405 for a method the path does not have (2.23: PUT of a workload), with the Error
    body. API requests that meet no route are counted too (as `<METHOD> (no route)`), so that a test counting the
    writes a client sent sees a PUT that a level without update refused."""
    messages = {404: "Resource not found.", 405: "Method not allowed."}

    async def handler(request, error):
        if not request.url.path.startswith("/_simulator/"):
            sim.stats.by_route["%s (no route)" % request.method] += 1
        return json_response({"code": error.status_code, "message": messages.get(error.status_code, error.detail)},
                             error.status_code, getattr(error, "headers", None))

    return handler


class RawSendCapture:
    """Outermost ASGI layer: keeps the server's own `send` in the scope so a handler can drop the connection."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        scope[RAW_SEND] = send
        await self.app(scope, receive, send)


# Routes served only at the levels whose vendor reference has them (every level's does today).
LEVEL_OPTIONAL_HANDLERS = frozenset(
    ["workload_events", "workload_history", "batch_workloads"]
    + ["%s_%s" % (action, family) for family in SUSPEND_FAMILIES for action in ("suspend", "resume")])


def level_routes(vocabulary):
    """The API routes a level has: 2.23 has no PUT /api/v2/workloads/{WorkloadV2Id}; the batch, suspend, resume,
    events and history routes only where the level's reference has them (a missing one answers 404 or 405)."""
    return [route for route in API_ROUTES
            if (vocabulary.has_update or route[2] != "update_workload")
            and (route[2] not in LEVEL_OPTIONAL_HANDLERS or (route[0], route[1]) in vocabulary.operations)]


def build_app(sim):
    api, admin = Api(sim), Admin(sim)
    routes = [Route(path, api_operation(sim, "%s %s" % (method, path), getattr(api, name), write,
                                        authenticated=path not in TOKEN_ROUTES), methods=[method])
              for method, path, name, write in level_routes(sim.vocabulary)]
    routes += [Route(path, admin_operation(sim, getattr(admin, name), authenticated=name != "health"),
                     methods=[method]) for method, path, name in ADMIN_ROUTES]
    return RawSendCapture(Starlette(routes=routes, exception_handlers={HTTPException: _http_error_handler(sim)}))
