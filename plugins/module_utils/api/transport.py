# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP/1.1 to the Run:ai API with the standard library: one keep-alive connection per thread, the TLS settings of
the task, proxies from the environment, and every failure without an HTTP answer as a ``TransportError`` of a kind.

Why not requests: a module pays for its imports on every task, and ``import requests`` alone costs about 90 ms, a
third of a whole task on the controller; ``http.client`` and ``ssl`` cost under 10 ms. Authentication, retries and
the meaning of statuses live in ``api/client.py``; this file only moves bytes.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import http.client
import json
import os
import select
import socket
import ssl
import threading
from urllib.parse import unquote, urlencode, urlsplit

USER_AGENT_HEADER = "User-Agent"
DEFAULT_PORTS = {"http": 80, "https": 443}


class TransportError(Exception):
    """A request that got no HTTP answer.

    ``kind`` is one of the constants below. ``request_sent`` is True when the server may have received the request
    (a write may have landed although no answer came back).
    """

    REFUSED = "refused"
    UNRESOLVED = "unresolved"
    CONNECT_FAILED = "connect failed"
    CONNECT_TIMEOUT = "connect timeout"
    READ_TIMEOUT = "read timeout"
    TLS = "tls"
    BROKEN = "broken"
    PROXY = "proxy"

    def __init__(self, kind, detail, request_sent=False):
        super(TransportError, self).__init__("%s: %s" % (kind, detail))
        self.kind = kind
        self.detail = detail
        self.request_sent = request_sent


class HttpResponse(object):
    """A complete answer: status, headers (case-insensitive ``get``) and the body's bytes."""

    def __init__(self, status_code, headers, content):
        self.status_code = status_code
        self.headers = headers
        self.content = content

    def json(self):
        """The body decoded as JSON; raises ValueError when it is not JSON."""
        return json.loads(self.content.decode("utf-8"))


def proxy_for(scheme, host, environ=None):
    """The proxy URL the environment asks for to reach ``host`` over ``scheme`` (HTTPS_PROXY, HTTP_PROXY, NO_PROXY,
    in either case), or None."""
    environ = os.environ if environ is None else environ
    if not any(name.lower().endswith("_proxy") for name in environ):
        return None
    # Imported only when a proxy variable is set: urllib.request is slow to import and rarely needed.
    import urllib.request

    proxies = dict((name.lower()[:-6], value) for name, value in environ.items()
                   if name.lower().endswith("_proxy") and value)
    proxy = proxies.get(scheme)
    if not proxy or urllib.request.proxy_bypass_environment(host, proxies):
        return None
    return proxy


class HttpTransport(object):
    """Sends requests to one base URL. Safe to share between threads: each thread keeps its own connection."""

    def __init__(self, base_url, validate_certs=True, ca_path=None, timeout=30, user_agent=None, environ=None):
        parts = urlsplit(base_url)
        self.scheme = parts.scheme
        self.host = parts.hostname or ""
        self.port = parts.port or DEFAULT_PORTS.get(parts.scheme)
        self.prefix = parts.path.rstrip("/")
        self.timeout = timeout
        self.headers = {USER_AGENT_HEADER: user_agent or "runai.platform", "Accept": "application/json"}
        self._tls = _tls_context(validate_certs, ca_path) if self.scheme == "https" else None
        self._proxy = _parse_proxy(proxy_for(self.scheme, self.host, environ))
        if self._proxy is not None and self.scheme == "http" and self._proxy[2]:
            # a plain-HTTP proxy sees every request, so each one carries the proxy's credentials
            self.headers.update(self._proxy[2])
        self._local = threading.local()

    def request(self, method, path, params=None, body=None, headers=None):
        """Send one request and read its whole answer; an HttpResponse, or TransportError."""
        target = self.prefix + path
        if params:
            target += "?" + urlencode(params, doseq=True)
        if self._proxy is not None and self.scheme == "http":
            host = ("[%s]" % self.host) if ":" in self.host else self.host
            target = "http://%s:%d%s" % (host, self.port, target)
        all_headers = dict(self.headers)
        all_headers.update(headers or {})
        payload = None
        if body is not None:
            payload = json.dumps(body).encode("utf-8")
            all_headers["Content-Type"] = "application/json"
        connection = self._connection()
        try:
            connection.request(method, target, body=payload, headers=all_headers)
            response = connection.getresponse()
            content = response.read()
        except socket.timeout as error:
            self._discard()
            raise TransportError(TransportError.READ_TIMEOUT, str(error) or "timed out", request_sent=True)
        except (http.client.HTTPException, OSError) as error:
            self._discard()
            raise TransportError(TransportError.BROKEN, _describe(error), request_sent=True)
        if response.will_close:
            self._discard()
        return HttpResponse(response.status, response.headers, content)

    # -- connections --------------------------------------------------------------------------------------------------

    def _connection(self):
        """This thread's open connection, or a new one: a kept-alive connection the server has closed since is
        replaced before use, so an idle timeout on the server never shows as a failed request."""
        connection = getattr(self._local, "connection", None)
        if connection is not None and _is_dropped(connection):
            self._discard()
            connection = None
        if connection is None:
            connection = self._connect()
            self._local.connection = connection
        return connection

    def _connect(self):
        if self._proxy is not None:
            host, port, proxy_headers = self._proxy
        else:
            host, port, proxy_headers = self.host, self.port, None
        if self.scheme == "https":
            connection = http.client.HTTPSConnection(host, port, timeout=self.timeout, context=self._tls)
            if self._proxy is not None:
                connection.set_tunnel(self.host, self.port, headers=proxy_headers)
        else:
            connection = http.client.HTTPConnection(host, port, timeout=self.timeout)
        try:
            connection.connect()
        except ssl.SSLError as error:
            connection.close()
            raise TransportError(TransportError.TLS, str(error))
        except ConnectionRefusedError as error:
            connection.close()
            raise TransportError(TransportError.REFUSED, _describe(error))
        except socket.gaierror as error:
            connection.close()
            raise TransportError(TransportError.UNRESOLVED, _describe(error))
        except socket.timeout as error:
            connection.close()
            raise TransportError(TransportError.CONNECT_TIMEOUT, str(error) or "timed out")
        except OSError as error:
            connection.close()
            kind = TransportError.PROXY if self._proxy is not None and "Tunnel" in str(error) else \
                TransportError.CONNECT_FAILED
            raise TransportError(kind, _describe(error))
        return connection

    def _discard(self):
        connection = getattr(self._local, "connection", None)
        self._local.connection = None
        if connection is not None:
            connection.close()


def _tls_context(validate_certs, ca_path):
    if not validate_certs:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    # With a CA bundle only that bundle is trusted, as curl --cacert does; otherwise the system's store (which
    # SSL_CERT_FILE and SSL_CERT_DIR can point elsewhere).
    return ssl.create_default_context(cafile=ca_path) if ca_path else ssl.create_default_context()


def _parse_proxy(proxy_url):
    """(host, port, headers for the proxy) of an http:// proxy URL, or None; ValueError for another kind of proxy."""
    if not proxy_url:
        return None
    if "://" not in proxy_url:
        proxy_url = "http://" + proxy_url
    parts = urlsplit(proxy_url)
    if parts.scheme != "http" or not parts.hostname:
        raise ValueError(
            "the proxy %s://%s set in the environment (HTTPS_PROXY or HTTP_PROXY) is not an http:// proxy, the only "
            "kind supported" % (parts.scheme, parts.hostname or "")
        )
    headers = None
    if parts.username is not None:
        credentials = "%s:%s" % (unquote(parts.username), unquote(parts.password or ""))
        headers = {"Proxy-Authorization": "Basic " + base64.b64encode(credentials.encode("utf-8")).decode("ascii")}
    return parts.hostname, parts.port or 80, headers


def _is_dropped(connection):
    """Whether an idle kept-alive connection was closed by the server: its socket reads as ready (EOF) while no
    request is in flight."""
    sock = connection.sock
    if sock is None:
        return True
    try:
        readable, _writable, _failed = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


def _describe(error):
    text = str(error)
    if isinstance(error, OSError) and error.strerror:
        text = error.strerror
    return text or type(error).__name__
