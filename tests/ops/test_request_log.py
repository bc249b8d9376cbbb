"""One JSON log line per request (AKIYA_LOG_FORMAT=json), found from the request id a carrier sees;
nothing in the log that identifies a person or opens an account; a stalled stdout never holds up
a request. A real `akiya serve` process, read from its output."""

from __future__ import annotations

import fcntl
import json
import subprocess
import termios
import threading
import time
import uuid
from array import array

import httpx
import pytest

from server.observe.logs import BackgroundHandler
from server.observe.metrics import LOG_DROPPED
from tests.support.field import watch_visit
from tests.support.live_server import AKIYA, ROOT, LiveServer
from tests.support.world import PASSWORD, build_world


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("json-log")
    world = build_world(folder / "akiya.sqlite3")
    server = LiveServer(folder / "akiya.sqlite3", folder / "data", log=folder / "serve.log",
                        env={"AKIYA_LOG_FORMAT": "json", "AKIYA_FORWARDED_ALLOW_IPS": "127.0.0.1"})
    with server:
        yield server, world


def access_lines(server: LiveServer, request_ids: set[str], seconds: float = 10.0) -> dict[str, dict]:
    """The access lines of these requests, by request id (written by a background thread: waited for)."""
    deadline = time.monotonic() + seconds
    while True:
        lines = [json.loads(line) for line in server.log.read_text().splitlines() if line.startswith("{")]
        found = {line["request_id"]: line for line in lines if line.get("logger") == "akiya.access"
                 and line.get("request_id") in request_ids}
        if len(found) == len(request_ids) or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def test_each_request_is_one_json_line_that_its_request_id_finds(served):
    server, world = served
    with server.http() as http:
        login = http.post("/api/v1/auth/login", json={"login": "aoki", "password": PASSWORD})
        token = login.json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        pulled = http.get("/api/v1/sync/pull", headers=auth)
        pushed = http.post("/api/v1/sync/push", headers=auth,
                           json={"device_id": "phone-1", "ops": [watch_visit(world).op()]})
        missing = http.head(f"/api/v1/photos/{uuid.uuid4()}", headers=auth)
        answers = [login, pulled, pushed, missing]
    assert [a.status_code for a in answers] == [200, 200, 200, 404]
    ids = {a.headers["x-request-id"] for a in answers}
    lines = access_lines(server, ids)
    assert set(lines) == ids  # each request: exactly its own line
    line = lines[pushed.headers["x-request-id"]]
    assert line["route"] == "/api/v1/sync/push" and line["status"] == 200 and line["method"] == "POST"
    assert line["user_id"] == world.users["aoki"] and line["duration_ms"] >= 0 and line["time"].endswith("+00:00")
    assert lines[missing.headers["x-request-id"]]["route"] == "/api/v1/photos/{photo_id}"
    assert lines[login.headers["x-request-id"]]["user_id"] is None

    log = server.log.read_text()
    address = "東京都千代田区一番町1-1"
    assert address in pulled.text  # the pull carried it; the log must not
    for secret in (PASSWORD, token, address, "小野 和子", "Bearer"):
        assert secret not in log


def test_an_error_body_carries_the_request_id_of_its_log_line(served):
    server, _ = served
    with server.http() as http:
        refused = http.post("/api/v1/sync/push", json={"device_id": "x", "ops": []})
    assert refused.status_code == 401
    request_id = refused.json()["request_id"]
    assert request_id == refused.headers["x-request-id"]
    assert access_lines(server, {request_id})[request_id]["status"] == 401


def test_without_a_token_metrics_answer_only_this_machine(served):
    server, _ = served
    with server.http() as http:
        assert http.get("/metrics").status_code == 200
        elsewhere = http.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})  # through the trusted proxy
    assert elsewhere.status_code == 404
    assert elsewhere.json()["code"] == "not_found"


def test_a_stalled_stdout_never_holds_up_requests(tmp_path):
    build_world(tmp_path / "akiya.sqlite3")
    launcher = LiveServer(tmp_path / "akiya.sqlite3", tmp_path / "data", env={"AKIYA_LOG_FORMAT": "json"})
    # stdout is a pipe nobody reads: after ~64 KB every write to it would block.
    process = subprocess.Popen([str(AKIYA), "serve"], cwd=ROOT, env=launcher.environment(),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        with httpx.Client(base_url=launcher.base_url, timeout=10) as http:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if http.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline and process.poll() is None, "the server did not start"
                time.sleep(0.1)
            started = time.monotonic()
            statuses = [http.get(f"/no-such-page/{n}").status_code for n in range(1500)]
            took = time.monotonic() - started
        pending = array("i", [0])
        fcntl.ioctl(process.stdout.fileno(), termios.FIONREAD, pending)
        assert pending[0] >= 60_000  # the pipe was full long before the last request
        assert statuses == [404] * 1500
        assert took < 45  # answered at full speed (about 5 s here), not stuck behind the pipe
    finally:
        process.terminate()
        threading.Thread(target=process.stdout.read, daemon=True).start()  # unblock the writer so it can end
        process.wait(timeout=30)


class _StuckStream:
    """A stream whose write blocks until released: a log reader that stopped reading."""

    def __init__(self):
        self.released = threading.Event()
        self.lines: list[str] = []

    def write(self, text: str) -> None:
        self.released.wait()
        self.lines.append(text)

    def flush(self) -> None:
        pass


def test_a_full_log_queue_drops_and_counts_lines_instead_of_waiting():
    import logging

    stream = _StuckStream()
    handler = BackgroundHandler(stream, capacity=5, log_format="json")
    logger = logging.Logger("akiya.test-stuck")
    logger.addHandler(handler)
    dropped_before = LOG_DROPPED._value.get()
    started = time.monotonic()
    for n in range(50):
        logger.warning("line %d", n)
    assert time.monotonic() - started < 1.0
    dropped = LOG_DROPPED._value.get() - dropped_before
    assert 44 <= dropped <= 45  # 5 queued, maybe one more already taken by the stuck writer
    stream.released.set()
    handler.flush_for(5)
    written = [json.loads(line)["message"] for line in stream.lines]
    assert written == [f"line {n}" for n in range(len(written))] and len(written) == 50 - dropped


def test_an_office_error_page_shows_the_request_id_to_pass_on(client, world):
    from tests.office.pages import sign_in

    sign_in(client, "ueda")
    page = client.get("/office/contracts/987654")
    assert page.status_code == 404
    request_id = page.headers["x-request-id"]
    assert f"問い合わせ番号: <code>{request_id}</code>" in page.text
