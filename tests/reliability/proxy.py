# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A reverse proxy in front of a simulator that records every bearer token crossing it, so that a leak scan knows the
exact tokens of a run."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import http.client
import http.server
import json
import threading
from urllib.parse import urlsplit

HOP_BY_HOP_HEADERS = frozenset(
    ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
     "content-length", "host"]
)
TOKEN_RESPONSE_KEYS = ("accessToken", "access_token", "id_token", "refreshToken", "refresh_token")


class ForwardingProxy(object):
    """A reverse proxy on 127.0.0.1 in front of a simulator: optionally terminates TLS, and records every bearer token
    that crosses it (sent by a client or issued by the token routes), so a leak scan knows the exact tokens."""

    def __init__(self, upstream_url, ssl_context=None):
        self.upstream = urlsplit(upstream_url)
        self.tokens = set()
        self._lock = threading.Lock()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass  # the access log would hold request paths only, but a test run has no use for it

            def _forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = dict((key, value) for key, value in self.headers.items()
                               if key.lower() not in HOP_BY_HOP_HEADERS)
                proxy.record_authorization(self.headers.get("Authorization"))
                connection = http.client.HTTPConnection(proxy.upstream.hostname, proxy.upstream.port, timeout=60)
                try:
                    connection.request(self.command, self.path, body=body, headers=headers)
                    response = connection.getresponse()
                    payload = response.read()
                except (OSError, http.client.HTTPException):
                    # the upstream dropped the connection: do the same to the client
                    self.close_connection = True
                    return
                finally:
                    connection.close()
                proxy.record_issued(payload)
                self.send_response(response.status, response.reason)
                for key, value in response.getheaders():
                    if key.lower() not in HOP_BY_HOP_HEADERS:
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _forward

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        if ssl_context is not None:
            self._server.socket = ssl_context.wrap_socket(self._server.socket, server_side=True)
        scheme = "https" if ssl_context is not None else "http"
        self.url = "%s://127.0.0.1:%d" % (scheme, self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self._thread.start()

    def record_authorization(self, value):
        scheme, token = ((value or "").split(" ", 1) + [""])[:2]
        if scheme.lower() == "bearer" and token:
            with self._lock:
                self.tokens.add(token)

    def record_issued(self, payload):
        try:
            body = json.loads(payload)
        except ValueError:
            return
        if isinstance(body, dict):
            with self._lock:
                self.tokens.update(body[key] for key in TOKEN_RESPONSE_KEYS if isinstance(body.get(key), str))

    def close(self):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(10)
