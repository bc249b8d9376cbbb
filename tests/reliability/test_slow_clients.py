"""Slow and idle clients cannot take the server down (issue 10, item 7).

The real server process runs with a low open-file limit; many connections each send half a
request header and then wait. Before, they used up every descriptor, /healthz stopped answering
and accept() failures were logged in a tight loop (134 MB in 50 s)."""

from __future__ import annotations

import http.client
import resource
import socket
import time

import pytest

from tests.reliability.records import build_world_with_carriers
from tests.support.live_server import HOST

# The HTTP server's limits on slow and half-open connections are under test, not the store: one
# backend is enough.
pytestmark = pytest.mark.backends("sqlite")

FD_LIMIT = 256
HALF_HEADER = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow"


def low_fd_limit() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (FD_LIMIT, FD_LIMIT))


def half_headers(port: int, count: int) -> list[socket.socket]:
    conns = []
    for _ in range(count):
        conn = socket.create_connection((HOST, port), timeout=5)
        conn.sendall(HALF_HEADER)
        conns.append(conn)
    return conns


def healthz(port: int, timeout: float = 2.0) -> int | None:
    try:
        conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
        conn.request("GET", "/healthz")
        status = conn.getresponse().status
        conn.close()
        return status
    except OSError:
        return None


def closed_by_server(conn: socket.socket, within: float) -> bool:
    """True once the server closes the connection (the rest of an earlier response may come first)."""
    deadline = time.monotonic() + within
    try:
        while (left := deadline - time.monotonic()) > 0:
            conn.settimeout(left)
            if conn.recv(4096) == b"":
                return True
    except ConnectionResetError:
        return True
    except TimeoutError:
        pass
    return False


@pytest.fixture
def server(backend, request):
    build_world_with_carriers(backend.db, 1)
    env = getattr(request, "param", {})
    with backend.live_server(env=env, preexec_fn=low_fd_limit) as live:
        yield live


def test_healthz_answers_while_more_idle_half_headers_are_open_than_the_server_has_descriptors(server):
    slow = half_headers(server.port, FD_LIMIT * 3)
    try:
        started = time.monotonic()
        status = None
        while status != 200 and time.monotonic() - started < 5:
            status = healthz(server.port)
        assert status == 200
        time.sleep(3)  # the slow clients keep their connections open meanwhile
        assert healthz(server.port) == 200
    finally:
        for conn in slow:
            conn.close()
    assert server.log.stat().st_size < 20_000, server.log.read_text(errors="replace")[-3000:]


@pytest.mark.parametrize("server", [{"AKIYA_HEADER_TIMEOUT": "1", "AKIYA_TIMEOUT_KEEP_ALIVE": "60"}], indirect=True)
def test_a_request_header_that_never_ends_is_cut_off_after_the_header_timeout(server):
    first, = half_headers(server.port, 1)
    kept_alive = socket.create_connection((HOST, server.port), timeout=5)
    kept_alive.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    assert b"200 OK" in kept_alive.recv(4096)
    kept_alive.sendall(HALF_HEADER)  # the next request on the same connection stalls too
    assert closed_by_server(first, within=5)  # far sooner than the keep-alive timeout
    assert closed_by_server(kept_alive, within=5)
    first.close()
    kept_alive.close()


@pytest.mark.parametrize("server", [{"AKIYA_MAX_HEADER_BYTES": "4096"}], indirect=True)
def test_a_request_header_growing_past_the_setting_is_refused_with_400(server):
    conn = socket.create_connection((HOST, server.port), timeout=5)
    conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + b"a" * 8000)  # and still no end
    assert conn.recv(4096).startswith(b"HTTP/1.1 400 ")
    conn.close()
    assert healthz(server.port) == 200
