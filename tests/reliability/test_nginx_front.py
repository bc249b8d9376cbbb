"""The production front in deploy/nginx/akiya.conf, run by Debian's nginx in front of a real
server (issue 10, item 7): it passes `nginx -t`, cuts off a slow client after its header
timeout, passes the client's real address (not a forged one) and HTTPS on to the server, and
refuses oversized bodies per route with the server's error shape."""

from __future__ import annotations

import gzip
import http.client
import json
import re
import socket
import ssl
import subprocess
import time
from pathlib import Path

import pytest

from tests.reliability.records import build_world_with_carriers
from tests.support.live_server import HOST, LiveServer, free_port
from tests.support.world import PASSWORD

# nginx in front and the server's reading of forwarded headers are under test, not the store behind:
# one backend is enough.
pytestmark = pytest.mark.backends("sqlite")

CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "akiya.conf"
NGINX = "/usr/sbin/nginx"
HEADER_TIMEOUT = int(re.search(r"client_header_timeout (\d+)s;", CONFIG.read_text()).group(1))


SEVERAL = CONFIG.with_name("akiya-several.conf")


def upstream_block(ports: list[int]) -> str:
    """akiya.conf's upstream block for one port; akiya-several.conf's for several (its ports in order)."""
    if len(ports) == 1:
        return re.search(r"(?m)^upstream akiya \{.*?\n\}", CONFIG.read_text(), re.S).group(0).replace(
            "server 127.0.0.1:8000;", f"server {HOST}:{ports[0]};")
    block = re.search(r"(?m)^upstream akiya \{.*?\n\}", SEVERAL.read_text(), re.S).group(0)
    shipped = re.findall(r"server 127\.0\.0\.1:(\d+)", block)
    assert len(shipped) == len(ports), f"akiya-several.conf lists {len(shipped)} processes"
    for old, new in zip(shipped, ports):
        block = block.replace(f"server 127.0.0.1:{old} ", f"server {HOST}:{new} ", 1)
    return block


class Front:
    def __init__(self, root: Path, upstream_port: int | list[int]):
        self.root, self.http_port, self.https_port = root, free_port(), free_port()
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                        "-keyout", root / "key.pem", "-out", root / "cert.pem"], check=True, capture_output=True)
        site = CONFIG.read_text()
        site = re.sub(r"\n\s*listen \[::\]:\d+[^;]*;", "", site)  # loopback only in the test
        site = site.replace("listen 80;", f"listen {HOST}:{self.http_port};")
        site = site.replace("listen 443 ssl", f"listen {HOST}:{self.https_port} ssl")
        site = site.replace("/etc/akiya/tls/fullchain.pem", str(root / "cert.pem"))
        site = site.replace("/etc/akiya/tls/privkey.pem", str(root / "key.pem"))
        ports = upstream_port if isinstance(upstream_port, list) else [upstream_port]
        site = re.sub(r"(?m)^upstream akiya \{.*?\n\}", lambda _: upstream_block(ports), site, count=1, flags=re.S)
        (root / "akiya.conf").write_text(site)
        temp = "".join(f"{kind}_temp_path {root / kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        (root / "nginx.conf").write_text(
            f"daemon off;\nmaster_process off;\nworker_processes 1;\npid {root / 'nginx.pid'};\n"
            f"error_log {root / 'error.log'} info;\nevents {{ worker_connections 512; }}\n"
            f"http {{\n access_log off;\n {temp} include {root / 'akiya.conf'};\n}}\n")
        self.process: subprocess.Popen | None = None

    def check(self) -> subprocess.CompletedProcess:
        return subprocess.run([NGINX, "-t", "-p", str(self.root), "-c", str(self.root / "nginx.conf")],
                              capture_output=True, text=True)

    def start(self) -> "Front":
        self.process = subprocess.Popen([NGINX, "-p", str(self.root), "-c", str(self.root / "nginx.conf")],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection((HOST, self.https_port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError((self.root / "error.log").read_text())

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        conn = http.client.HTTPSConnection(HOST, self.https_port, timeout=30,
                                           context=ssl._create_unverified_context())
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            conn.close()


@pytest.fixture
def front(backend, tmp_path):
    build_world_with_carriers(backend.db, 1)
    env = {"AKIYA_FORWARDED_ALLOW_IPS": HOST}
    with backend.live_server(env=env) as live:
        proxy = Front(tmp_path, live.port)
        proxy.live = live
        yield proxy.start()
        proxy.stop()


def test_the_shipped_config_passes_nginx_t(tmp_path):
    checked = Front(tmp_path, 8000).check()
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr


def test_nginx_cuts_off_a_request_header_that_never_ends(front):
    raw = socket.create_connection((HOST, front.https_port), timeout=HEADER_TIMEOUT + 5)
    slow = ssl._create_unverified_context().wrap_socket(raw, server_hostname="localhost")
    slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nUser-Agent: slow")
    started = time.monotonic()
    try:
        while slow.recv(4096):  # nginx may say 408 before it closes
            pass
    except (ConnectionResetError, ssl.SSLError):
        pass
    waited = time.monotonic() - started
    slow.close()
    assert HEADER_TIMEOUT - 1 < waited < HEADER_TIMEOUT + 3
    status, headers, _ = front.request("GET", "/healthz")
    assert status == 200


def test_metrics_are_never_served_through_the_front(front):
    status, _, _ = front.request("GET", "/metrics")
    assert status == 404
    assert front.request("GET", "/readyz")[0] == 200  # the readiness check still is (load balancers ask it)


def test_the_server_sees_https_and_the_clients_own_address_not_a_forged_one(front):
    status, headers, body = front.request("POST", "/api/v1/auth/login",
                                          json.dumps({"login": "carrier01", "password": PASSWORD}).encode(),
                                          {"Content-Type": "application/json", "X-Forwarded-For": "203.0.113.9"})
    assert status == 200, body
    assert headers["strict-transport-security"] == "max-age=31536000"  # the server knows it went out over HTTPS
    assert headers["x-content-type-options"] == "nosniff"
    address = front.live.rows("SELECT client_addr FROM audit_log WHERE action = 'auth.login' ORDER BY id DESC")[0][0]
    assert address == HOST


def test_bodies_are_limited_per_route_with_the_servers_error_shape(front):
    push = b"{" + b" " * 2_200_000 + b"}"
    status, headers, body = front.request("POST", "/api/v1/sync/push", push, {"Content-Type": "application/json"})
    assert status == 413
    assert headers["content-type"] == "application/json"
    assert json.loads(body)["code"] == "too_large"
    photo = b"\xff\xd8\xff" + b"0" * 15_000_000  # larger than a push, within the photo limit: reaches the server
    status, _, body = front.request("PUT", "/api/v1/photos/00000000-0000-4000-8000-000000000000", photo,
                                    {"Content-Type": "image/jpeg"})
    assert status == 401, body  # the server's answer (no token), not nginx's 413
    status, _, body = front.request("PUT", "/api/v1/photos/00000000-0000-4000-8000-000000000000",
                                    photo + b"0" * 8_000_000, {"Content-Type": "image/jpeg"})
    assert status == 413 and json.loads(body)["code"] == "too_large"


def _login_address(server: LiveServer, forwarded_for: str) -> str:
    conn = http.client.HTTPConnection(HOST, server.port, timeout=30)
    conn.request("POST", "/api/v1/auth/login", json.dumps({"login": "carrier01", "password": PASSWORD}),
                 {"Content-Type": "application/json", "X-Forwarded-For": forwarded_for})
    assert conn.getresponse().status == 200
    conn.close()
    return server.rows("SELECT client_addr FROM audit_log WHERE action = 'auth.login' ORDER BY id DESC")[0][0]


@pytest.mark.parametrize("trusted, seen", [(None, HOST), (HOST, "203.0.113.9")])
def test_x_forwarded_for_counts_only_when_the_proxy_is_trusted_by_setting(backend, trusted, seen):
    build_world_with_carriers(backend.db, 1)
    env = {"AKIYA_FORWARDED_ALLOW_IPS": trusted} if trusted else {}
    with backend.live_server(env=env) as live:
        assert _login_address(live, "203.0.113.9") == seen


def test_text_is_compressed_and_the_versioned_script_keeps_its_year_long_cache_through_nginx(front):
    from server.http.field_app import shell_version
    gzip_please = {"Accept-Encoding": "gzip"}
    status, headers, body = front.request("GET", f"/app/v/{shell_version()}/app.bundle.js", headers=gzip_please)
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    from server.http.field_app import FIELD_APP_DIR
    assert gzip.decompress(body) == (FIELD_APP_DIR / "app.bundle.js").read_bytes()  # compressed once, by the server
    status, headers, _ = front.request("GET", "/app/", headers=gzip_please)
    assert status == 200 and headers["content-encoding"] == "gzip" and headers["cache-control"] == "no-cache"
    status, headers, body = front.request("GET", "/schema/openapi.json", headers=gzip_please)  # JSON: nginx's gzip
    assert status == 200 and headers.get("content-encoding") == "gzip", headers
    assert gzip.decompress(body).startswith(b"{")
