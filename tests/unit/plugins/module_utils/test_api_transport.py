# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The stdlib transport against real sockets on 127.0.0.1: what goes on the wire, keep-alive, and how each way of
getting no answer is told apart (TLS end to end is in tests/reliability, with throwaway certificates)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import http.server
import json
import socket
import threading
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from ansible_collections.runai.platform.plugins.module_utils.api.transport import (
    HttpTransport,
    TransportError,
    proxy_for,
)


class RecordingHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.seen.append(dict(method=self.command, target=self.path, headers=dict(self.headers),
                                     body=body, connection=self.server.connection_number(self.connection)))
        behaviour = self.server.behaviour
        if behaviour == "hang":
            time.sleep(1.5)
        if behaviour == "drop":
            self.close_connection = True
            return
        payload = json.dumps({"ok": True}).encode()
        self.send_response(self.server.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Retry-After", "3")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = _answer


class RecordingServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, behaviour="answer", status=200):
        super(RecordingServer, self).__init__(("127.0.0.1", 0), RecordingHandler)
        self.behaviour = behaviour
        self.status = status
        self.seen = []
        self._connections = []

    def connection_number(self, sock):
        if sock not in self._connections:
            self._connections.append(sock)
        return self._connections.index(sock) + 1

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.server_address[1]


@pytest.fixture
def server_factory():
    servers = []

    def start(**options):
        server = RecordingServer(**options)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_request_carries_its_query_body_and_headers_and_the_answer_is_read_whole(server_factory):
    server = server_factory(status=202)
    transport = HttpTransport(server.url + "/prefix/", timeout=5, user_agent="agent/1", environ={})

    response = transport.request("POST", "/api/v2/workloads", params={"dryRun": "true", "filterBy": "name==a,b"},
                                 body={"name": "a"}, headers={"Authorization": "Bearer t"})

    seen = server.seen[0]
    target = urlsplit(seen["target"])
    assert seen["method"] == "POST" and target.path == "/prefix/api/v2/workloads"
    assert parse_qs(target.query) == {"dryRun": ["true"], "filterBy": ["name==a,b"]}
    assert json.loads(seen["body"]) == {"name": "a"}
    assert seen["headers"]["Content-Type"] == "application/json"
    assert seen["headers"]["Authorization"] == "Bearer t" and seen["headers"]["User-Agent"] == "agent/1"
    assert response.status_code == 202 and response.json() == {"ok": True}
    assert response.headers.get("retry-after") == "3"


def test_requests_of_one_thread_share_one_kept_alive_connection(server_factory):
    server = server_factory()
    transport = HttpTransport(server.url, timeout=5, environ={})

    for _request in range(3):
        transport.request("GET", "/api/v1/workloads")

    assert [seen["connection"] for seen in server.seen] == [1, 1, 1]


def test_a_connection_the_server_closed_while_idle_is_replaced_without_an_error(server_factory):
    server = server_factory()
    transport = HttpTransport(server.url, timeout=5, environ={})
    transport.request("GET", "/api/v1/workloads")
    # the server ends the idle keep-alive connection, as uvicorn does after its keep-alive timeout
    server._connections[0].shutdown(socket.SHUT_RDWR)
    time.sleep(0.1)

    response = transport.request("GET", "/api/v1/workloads")

    assert response.status_code == 200
    assert [seen["connection"] for seen in server.seen] == [1, 2]


def test_nothing_listening_is_a_refused_connection_that_sent_nothing():
    transport = HttpTransport("http://127.0.0.1:%d" % free_port(), timeout=5, environ={})

    with pytest.raises(TransportError) as caught:
        transport.request("GET", "/api/v1/workloads")
    assert caught.value.kind == TransportError.REFUSED and caught.value.request_sent is False


def test_no_answer_within_the_timeout_is_a_read_timeout_after_sending(server_factory):
    server = server_factory(behaviour="hang")
    transport = HttpTransport(server.url, timeout=0.5, environ={})

    with pytest.raises(TransportError) as caught:
        transport.request("GET", "/api/v1/workloads")
    assert caught.value.kind == TransportError.READ_TIMEOUT and caught.value.request_sent is True


def test_a_connection_closed_after_the_server_read_the_request_may_have_landed(server_factory):
    server = server_factory(behaviour="drop")
    transport = HttpTransport(server.url, timeout=5, environ={})

    with pytest.raises(TransportError) as caught:
        transport.request("POST", "/api/v2/workloads", body={"name": "a"})
    assert caught.value.kind == TransportError.BROKEN and caught.value.request_sent is True
    assert len(server.seen) == 1


def test_an_unknown_host_name_does_not_resolve():
    transport = HttpTransport("http://no-such-host.invalid", timeout=5, environ={})

    with pytest.raises(TransportError) as caught:
        transport.request("GET", "/api/v1/workloads")
    assert caught.value.kind == TransportError.UNRESOLVED and caught.value.request_sent is False


def test_a_plain_http_proxy_gets_the_absolute_url_and_its_credentials(server_factory):
    proxy = server_factory()
    environ = {"HTTP_PROXY": "http://user:p%%40ss@127.0.0.1:%d" % proxy.server_address[1]}
    transport = HttpTransport("http://runai.example.com:8080", timeout=5, environ=environ)

    transport.request("GET", "/api/v1/workloads", params={"limit": "1"})

    seen = proxy.seen[0]
    assert seen["target"] == "http://runai.example.com:8080/api/v1/workloads?limit=1"
    assert seen["headers"]["Host"] == "runai.example.com:8080"
    assert seen["headers"]["Proxy-Authorization"] == "Basic dXNlcjpwQHNz"  # user:p@ss


def test_https_goes_through_the_proxy_as_a_tunnel_and_a_refusing_proxy_is_named():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    received = []

    def refuse_the_tunnel():
        connection, _address = listener.accept()
        with connection:
            received.append(connection.recv(4096).decode())
            connection.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n")

    thread = threading.Thread(target=refuse_the_tunnel, daemon=True)
    thread.start()
    environ = {"https_proxy": "127.0.0.1:%d" % listener.getsockname()[1]}
    transport = HttpTransport("https://runai.example.com", timeout=5, environ=environ)

    with pytest.raises(TransportError) as caught:
        transport.request("GET", "/api/v1/workloads")
    thread.join(5)
    listener.close()

    assert received[0].startswith("CONNECT runai.example.com:443 HTTP/1.")
    assert caught.value.kind == TransportError.PROXY and "407" in caught.value.detail
    assert caught.value.request_sent is False


@pytest.mark.parametrize(
    "environ, scheme, host, expected",
    [
        ({}, "https", "runai.example.com", None),
        ({"HTTPS_PROXY": "http://proxy:3128"}, "https", "runai.example.com", "http://proxy:3128"),
        ({"https_proxy": "http://proxy:3128"}, "https", "runai.example.com", "http://proxy:3128"),
        ({"HTTP_PROXY": "http://proxy:3128"}, "https", "runai.example.com", None),
        ({"HTTPS_PROXY": "http://proxy:3128", "NO_PROXY": "example.com"}, "https", "runai.example.com", None),
        ({"HTTPS_PROXY": "http://proxy:3128", "no_proxy": "other.org"}, "https", "runai.example.com",
         "http://proxy:3128"),
        ({"HTTPS_PROXY": "http://proxy:3128", "NO_PROXY": "*"}, "https", "runai.example.com", None),
        ({"HTTPS_PROXY": ""}, "https", "runai.example.com", None),
    ],
)
def test_the_proxy_comes_from_the_environment_unless_no_proxy_exempts_the_host(environ, scheme, host, expected):
    assert proxy_for(scheme, host, environ) == expected


def test_a_proxy_that_is_not_plain_http_is_refused_naming_the_variables():
    with pytest.raises(ValueError) as caught:
        HttpTransport("https://runai.example.com", environ={"HTTPS_PROXY": "socks5://proxy:1080"})
    assert "HTTPS_PROXY" in str(caught.value) and "socks5://proxy" in str(caught.value)
