# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one HTTP client every module of the collection uses to speak to the Run:ai control-plane API.

It owns authentication (a given token, or client credentials exchanged once per module run), retries with
jittered exponential backoff that honour ``Retry-After``, offset/limit pagination, and the translation of failures into
the typed errors of ``api/errors.py`` with messages that say what to change. ``api/transport.py`` moves the bytes.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import email.utils
import os
import random
import ssl
import threading
import time
from urllib.parse import urlsplit

from ansible_collections.runai.platform.plugins.module_utils.api.errors import (
    RunaiApiError,
    RunaiAuthenticationError,
    RunaiBadRequestError,
    RunaiConflictError,
    RunaiConnectionError,
    RunaiError,
    RunaiInputError,
    RunaiNotFoundError,
    RunaiPermissionError,
    RunaiServerError,
)
from ansible_collections.runai.platform.plugins.module_utils.api.transport import HttpTransport, TransportError

# Kept equal to galaxy.yml's version by a unit test; the module payload cannot read galaxy.yml at run time.
COLLECTION_VERSION = "1.0.0"
USER_AGENT = "ansible-runai-platform/%s" % COLLECTION_VERSION

TOKEN_PATH = "/api/v1/token"
RETRYABLE_STATUSES = frozenset([429, 502, 503, 504])
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_CAP_SECONDS = 30.0
# A server may ask for a long pause; beyond this the task would look hung, so the wait is capped and the retry budget decides.
RETRY_AFTER_CAP_SECONDS = 60.0
# A refused connection or a host name that does not resolve means nothing answers at 'url': almost always a wrong
# address or port, which no retry mends. One quick retry (about half a second) still rides out a service restarting
# on the spot; overload (429, 502, 503, 504) and broken connections keep the whole 'retries' budget.
NOTHING_LISTENING_RETRIES = 1
NO_CREDENTIALS = ("No credentials: set 'token' (RUNAI_TOKEN), or 'client_id' and 'client_secret' "
                  "(RUNAI_CLIENT_ID, RUNAI_CLIENT_SECRET).")
MAX_PAGE_SIZE = 500
DEFAULT_MAX_ITEMS = 100000
REDACTED = "********"


# The connection options every module and action takes (module/options.py connection_argument_spec), named as RunaiClient's
# keyword arguments.
CONNECTION_OPTIONS = ("url", "token", "client_id", "client_secret", "validate_certs", "ca_path", "request_timeout",
                      "retries")


def client_options(params):
    """The RunaiClient keyword arguments that validated task options hold."""
    return dict((name, params[name]) for name in CONNECTION_OPTIONS)


def backoff_delay(attempt, rng=random):
    """Seconds to wait before retry number ``attempt`` (1-based): full jitter over an exponentially growing window."""
    window = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * (2 ** (attempt - 1)))
    return rng.uniform(window / 2.0, window)


def parse_retry_after(value, now=None):
    """Seconds asked for by a ``Retry-After`` header (delta-seconds or an HTTP date); None when absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        parsed = email.utils.parsedate_tz(value)
        if parsed is None:
            return None
        seconds = email.utils.mktime_tz(parsed) - (time.time() if now is None else now)
    return min(max(seconds, 0.0), RETRY_AFTER_CAP_SECONDS)


def describe_request(method, path):
    return "%s %s" % (method, path)


class RunaiClient(object):
    """A Run:ai API session for one module run.

    ``warn`` receives one message per retry; ``register_secret`` receives every secret the client learns (issued tokens),
    so the module can add it to ``no_log_values``.
    """

    def __init__(
        self,
        url,
        token=None,
        client_id=None,
        client_secret=None,
        validate_certs=True,
        ca_path=None,
        request_timeout=30,
        retries=5,
        warn=None,
        register_secret=None,
        sleep=time.sleep,
        rng=None,
        transport=None,
    ):
        if retries is None or retries < 0:
            raise RunaiInputError("retries", "must be 0 or more (0 turns retries off), got %s." % retries)
        if request_timeout is None or request_timeout <= 0:
            raise RunaiInputError("request_timeout", "must be a number of seconds above 0, got %s." % request_timeout)
        if not url:
            raise RunaiInputError("url", "is required: set it on the task, in module_defaults, or in RUNAI_URL.")
        if validate_certs and ca_path and not os.path.isfile(ca_path):
            raise RunaiInputError("ca_path", "no such file: %s. Point it at a PEM bundle of CA certificates." % ca_path)
        if not url.startswith(("https://", "http://")):
            raise RunaiInputError("url", "must start with https:// (or http://), got '%s'. Set it or RUNAI_URL." % url)
        if not token and not (client_id and client_secret):
            if client_id or client_secret:
                given, missing = ("client_id", "client_secret") if client_id else ("client_secret", "client_id")
                raise RunaiInputError(
                    missing, "is required with '%s': set both 'client_id' and 'client_secret' (RUNAI_CLIENT_ID, "
                    "RUNAI_CLIENT_SECRET), or a 'token' (RUNAI_TOKEN)." % given)
            raise RunaiError(NO_CREDENTIALS)
        self.base_url = url.rstrip("/")
        self.client_id = client_id
        self._client_secret = client_secret
        self._token = token
        self._can_exchange = bool(client_id and client_secret)
        self.request_timeout = request_timeout
        self.retries = retries
        self._warn = warn or (lambda message: None)
        self._register_secret = register_secret or (lambda secret: None)
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._token_lock = threading.Lock()
        self._count_lock = threading.Lock()
        self._once_lock = threading.Lock()
        self._once = {}
        self.request_count = 0
        self.retry_count = 0
        # Seconds the last token exchanged stays valid, as the API said (None when it did not say, or no exchange yet).
        self.token_expires_in = None
        self._secrets = set(value for value in (token, client_secret) if value)
        for secret in self._secrets:
            self._register_secret(secret)
        self.transport = transport if transport is not None else self._new_transport(validate_certs, ca_path)

    def _new_transport(self, validate_certs, ca_path):
        try:
            return HttpTransport(self.base_url, validate_certs=validate_certs, ca_path=ca_path,
                                 timeout=self.request_timeout, user_agent=USER_AGENT)
        except ssl.SSLError as error:
            raise RunaiInputError("ca_path", "%s is not a readable PEM bundle of CA certificates (%s)." % (
                ca_path, error))
        except ValueError as error:
            raise RunaiError("Cannot reach Run:ai at %s: %s. Fix or unset that variable." % (self.base_url, error))

    # -- public API ---------------------------------------------------------------------------------------------------

    def get(self, path, params=None):
        return self.request("GET", path, params=params)

    def get_with_status(self, path, params=None):
        """``(status, body)`` of a GET, for endpoints whose 2xx statuses differ in meaning (207: partial success)."""
        return self.request("GET", path, params=params, with_status=True)

    def put(self, path, body):
        return self.request("PUT", path, body=body)

    def delete(self, path):
        return self.request("DELETE", path)

    def post(self, path, body, params=None, landed=None):
        """POST that is never retried blindly.

        Without ``landed`` a POST that failed in a retryable way is not repeated. With it, ``landed()`` is asked before
        every repeat: it returns the object if the first attempt did land (and that is returned instead of posting again),
        or None to let the POST be sent once more.
        """
        return self.request("POST", path, params=params, body=body, landed=landed, idempotent=False)

    def post_idempotent(self, path, body, params=None):
        """POST without side effects (a dry run, the token exchange): retried like a GET."""
        return self.request("POST", path, params=params, body=body)

    def warn(self, message):
        """Say ``message`` as a warning of the task."""
        self._warn(self._redact(message))

    def once(self, key, compute):
        """``compute()`` the first time ``key`` is asked for in this run, and its result again afterwards (thread-safe):
        for facts about the server that one module run, a batch included, needs at most once."""
        with self._once_lock:
            if key not in self._once:
                self._once[key] = compute()
            return self._once[key]

    def paginate(self, path, items_key, params=None, limit=None, page_size=MAX_PAGE_SIZE, max_items=DEFAULT_MAX_ITEMS):
        """Every item of a listing, page by page.

        The reference does not say whether ``next`` is an offset or a page index, so the offset advances by the items
        received, and a short page (or an answer without ``next``) ends the listing. ``limit`` caps the number of items
        returned on purpose. Without it, listing stops at ``max_items`` with a warning, so a runaway filter cannot
        exhaust memory.
        """
        wanted = limit if limit is not None else max_items
        query = dict(params or {})
        offset = int(query.pop("offset", 0) or 0)
        items = []
        while len(items) < wanted:
            query["offset"] = offset
            query["limit"] = max(1, min(page_size, MAX_PAGE_SIZE, wanted - len(items)))
            page = self.get(path, params=query) or {}
            batch = page.get(items_key) or []
            items.extend(batch[: wanted - len(items)])
            if len(batch) < query["limit"] or page.get("next") is None:
                return items
            offset += len(batch)
        if limit is None:
            self._warn(
                "Stopped listing %s at %d items (the collection's safety cap). Narrow the filters or set 'limit'."
                % (path, max_items)
            )
        return items

    # -- transport ----------------------------------------------------------------------------------------------------

    def request(self, method, path, params=None, body=None, landed=None, idempotent=True, with_status=False):
        """Send one API call with authentication and retries; return the decoded JSON body (None when empty), or
        ``(status, body)`` with ``with_status``."""
        self._ensure_token()
        response, attempts, found = self._answer(method, path, params, body, landed, idempotent, authenticated=True)
        if response is None:
            return found
        body = self._decode(response, method, path, attempts)
        return (response.status_code, body) if with_status else body

    def _answer(self, method, path, params, body, landed, idempotent, authenticated):
        """The one retry path: send until an answer that no retry should repeat; ``(response, retries made, None)``,
        or ``(None, retries made, found)`` when ``landed()`` found the object a failed POST created after all.

        An authenticated call that meets 401 while client credentials can renew the token (given, or exchanged earlier
        in this run, it can expire between two calls) exchanges them once more and repeats the call once.
        """
        refreshed = False
        attempt = 0
        while True:
            try:
                response = self._send(method, path, params=params, body=body, authenticated=authenticated)
            except RunaiConnectionError as error:
                budget = self._connection_budget(error)
                if attempt >= budget or not self._may_retry(attempt, idempotent, landed):
                    raise _gave_up(error, attempt)
                found = self._retry_or_landed(attempt, method, path, "connection failed", None, landed, budget)
                attempt += 1
                if found is not None:
                    return None, attempt, found
                continue
            status = response.status_code
            if status == 401 and authenticated and self._can_exchange and not refreshed:
                refreshed = True
                self._exchange_token(stale=self._token)
                continue
            if status in RETRYABLE_STATUSES and self._may_retry(attempt, idempotent, landed):
                found = self._retry_or_landed(
                    attempt, method, path, "answered %d" % status, response.headers.get("Retry-After"), landed
                )
                attempt += 1
                if found is not None:
                    return None, attempt, found
                continue
            return response, attempt, None

    def _connection_budget(self, error):
        """How many retries a request that got no answer gets (see NOTHING_LISTENING_RETRIES)."""
        if not error.retryable:
            return 0
        return min(self.retries, NOTHING_LISTENING_RETRIES) if error.nothing_listening else self.retries

    def _may_retry(self, attempt, idempotent, landed):
        return attempt < self.retries and (idempotent or landed is not None)

    def _retry_or_landed(self, attempt, method, path, reason, retry_after_header, landed, budget=None):
        delay = parse_retry_after(retry_after_header)
        if delay is None:
            delay = backoff_delay(attempt + 1, self._rng)
        with self._count_lock:
            self.retry_count += 1
        self._warn(
            "runai.platform: %s %s; retry %d of %d in %.1f s."
            % (describe_request(method, path), reason, attempt + 1, self.retries if budget is None else budget, delay)
        )
        self._sleep(delay)
        if landed is not None:
            return landed()
        return None

    def _send(self, method, path, params=None, body=None, authenticated=True):
        headers = {}
        if authenticated and self._token:
            headers["Authorization"] = "Bearer %s" % self._token
        with self._count_lock:
            self.request_count += 1
        try:
            return self.transport.request(method, path, params=params, body=body, headers=headers)
        except TransportError as error:
            raise self._connection_error(error, method, path)

    def _connection_error(self, error, method, path):
        """The RunaiConnectionError for a request that got no answer, saying what to check."""
        request = describe_request(method, path)
        detail = self._redact(error.detail)
        retryable = True
        if error.kind == TransportError.TLS:
            retryable = False
            message = (
                "TLS verification failed for %s: %s. Set 'ca_path' (RUNAI_CA_PATH) to the CA bundle that signed the "
                "server certificate, or 'validate_certs: false' only for testing." % (self.base_url, detail)
            )
        elif error.kind == TransportError.CONNECT_TIMEOUT:
            message = (
                "Could not connect to Run:ai at %s within request_timeout=%s s (%s). Check 'url' (RUNAI_URL) and "
                "the network path." % (self.base_url, self.request_timeout, request)
            )
        elif error.kind == TransportError.READ_TIMEOUT:
            message = "Run:ai at %s did not answer %s within request_timeout=%s s. Raise 'request_timeout' or try again." % (
                self.base_url, request, self.request_timeout)
        elif error.kind == TransportError.PROXY:
            message = "The proxy refused to connect to Run:ai at %s (%s): %s. Check HTTPS_PROXY and NO_PROXY." % (
                self.base_url, request, detail)
        else:
            what = {
                TransportError.REFUSED: "connection refused",
                TransportError.UNRESOLVED: "the host name does not resolve (%s)" % detail,
            }.get(error.kind, "the connection failed (%s)" % detail)
            message = (
                "Could not reach Run:ai at %s (%s): %s. Check 'url' (RUNAI_URL) and that the service is running and "
                "reachable." % (self.base_url, request, what)
            )
        return RunaiConnectionError(message, method, path, request_sent=error.request_sent, retryable=retryable,
                                    nothing_listening=error.kind in (TransportError.REFUSED, TransportError.UNRESOLVED))

    def _decode(self, response, method, path, attempts):
        status = response.status_code
        if 200 <= status < 300:
            if not response.content:
                return None
            try:
                return response.json()
            except ValueError:
                raise RunaiApiError(
                    "Run:ai answered %s with status %d but the body is not JSON. Is 'url' pointing at the Run:ai "
                    "control plane?" % (describe_request(method, path), status),
                    status,
                    method,
                    path,
                )
        raise self._error_for(response, method, path, attempts)

    def _error_for(self, response, method, path, attempts):
        status = response.status_code
        server_message = self._server_message(response)
        request = describe_request(method, path)
        said = (": %s" % server_message.rstrip(".")) if server_message else ""
        if status == 400:
            error_class = RunaiBadRequestError
            message = "The Run:ai API refused %s as invalid (400)%s" % (request, said)
        elif status == 401:
            error_class = RunaiAuthenticationError
            if self._can_exchange:
                hint = "Check 'client_id' and 'client_secret' (RUNAI_CLIENT_ID, RUNAI_CLIENT_SECRET)."
            else:
                hint = "Check 'token' (RUNAI_TOKEN): it may be wrong or expired; client credentials renew it automatically."
            message = "Run:ai refused the credentials (401) for %s%s. %s" % (request, said, hint)
        elif status == 403:
            error_class = RunaiPermissionError
            message = (
                "Permission denied (403): these credentials may not %s%s. Ask a Run:ai administrator to give the "
                "application a role on this project or cluster." % (request, said)
            )
        elif status == 404:
            error_class = RunaiNotFoundError
            message = "Not found (404): %s%s" % (request, said)
        elif status == 409:
            error_class = RunaiConflictError
            message = "Conflict (409) on %s%s" % (request, said)
        elif status == 429 or status >= 500:
            error_class = RunaiServerError
            retried = (" after %d retries" % attempts) if attempts else ""
            message = (
                "Run:ai failed %s with status %d%s%s. The service may be overloaded or restarting: try again later, "
                "or raise 'retries'." % (request, status, retried, said)
            )
        else:
            error_class = RunaiApiError
            message = "Run:ai answered %s with status %d%s" % (request, status, said)
        return error_class(self._redact(message), status, method, path, server_message)

    def _server_message(self, response):
        try:
            body = response.json()
        except ValueError:
            return None
        if not isinstance(body, dict):
            return None
        parts = [str(body[key]) for key in ("message", "details", "error_description") if body.get(key)]
        return self._redact("; ".join(parts)) if parts else None

    # -- authentication -----------------------------------------------------------------------------------------------

    def issue_token(self):
        """A new token for the client credentials, exchanged now: ``(token, seconds valid or None)``."""
        self._exchange_token(stale=self._token)
        return self._token, self.token_expires_in

    def _ensure_token(self):
        if self._token is None:
            self._exchange_token(stale=None)

    def _exchange_token(self, stale):
        with self._token_lock:
            if self._token is not None and self._token != stale:
                return  # another thread already renewed it
            if not (self.client_id and self._client_secret):
                raise RunaiError(NO_CREDENTIALS)
            body = {"grantType": "client_credentials", "clientID": self.client_id, "clientSecret": self._client_secret}
            response, attempt, _found = self._answer("POST", TOKEN_PATH, None, body, None, True, authenticated=False)
            if response.status_code == 404:
                raise RunaiNotFoundError(
                    "Not found (404): POST %s%s. 'url' (RUNAI_URL) must be the base address of the Run:ai control "
                    "plane, %s, without a path such as /workloads/overview copied from the browser."
                    % (self.base_url, TOKEN_PATH, self._base_address()),
                    404, "POST", TOKEN_PATH, self._server_message(response),
                )
            if response.status_code in (400, 401, 403):
                server_message = self._server_message(response)
                raise RunaiAuthenticationError(
                    "Run:ai refused the client credentials (%d) at POST %s%s. Check 'client_id' and 'client_secret' "
                    "(RUNAI_CLIENT_ID, RUNAI_CLIENT_SECRET)."
                    % (response.status_code, TOKEN_PATH, (": %s" % server_message) if server_message else ""),
                    response.status_code,
                    "POST",
                    TOKEN_PATH,
                    server_message,
                )
            payload = self._decode(response, "POST", TOKEN_PATH, attempt) or {}
            token = payload.get("accessToken")
            if not token:
                raise RunaiApiError(
                    "Run:ai answered POST %s without an accessToken. Is 'url' pointing at the Run:ai control plane?"
                    % TOKEN_PATH,
                    response.status_code,
                    "POST",
                    TOKEN_PATH,
                )
            self._secrets.add(token)
            self._register_secret(token)
            self._token = token
            self.token_expires_in = payload.get("expiresIn")

    def _base_address(self):
        parts = urlsplit(self.base_url)
        return "%s://%s" % (parts.scheme, parts.netloc)

    def _redact(self, text):
        text = str(text)
        for secret in self._secrets:
            if secret and secret in text:
                text = text.replace(secret, REDACTED)
        return text


def _gave_up(error, retries_made):
    """The connection error, saying how many retries were made before giving up."""
    if retries_made:
        error.message = "%s (gave up after %d %s)" % (error.message, retries_made,
                                                      "retry" if retries_made == 1 else "retries")
    return error
