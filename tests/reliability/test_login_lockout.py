"""Nobody can lock another person's account, also across server processes: two real `akiya serve`
processes on one database, an attacker connecting from 127.0.0.2 and the carrier from 127.0.0.1."""

from __future__ import annotations

import http.client
import json

from tests.support.live_server import HOST
from tests.support.world import PASSWORD, build_world

ATTACKER = "127.0.0.2"  # also loopback on Linux: a second real client address
CARRIER = "127.0.0.1"


def login(port: int, source: str, password: str) -> tuple[int, str | None, dict]:
    conn = http.client.HTTPConnection(HOST, port, timeout=30, source_address=(source, 0))
    try:
        conn.request("POST", "/api/v1/auth/login", body=json.dumps({"login": "kato", "password": password}),
                     headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        return response.status, response.getheader("Retry-After"), json.loads(response.read())
    finally:
        conn.close()


def test_guessing_on_one_server_process_is_slowed_on_the_other_and_never_locks_the_carrier_out(backend, tmp_path):
    build_world(backend.db)
    with backend.live_server(log=tmp_path / "a.log") as first, backend.live_server(log=tmp_path / "b.log") as second:
        for _ in range(5):
            assert login(first.port, ATTACKER, "wrong-guess-1")[0] == 401
        status, retry_after, body = login(second.port, ATTACKER, PASSWORD)
        assert status == 429 and 0 < int(retry_after) <= 30
        assert body["code"] == "too_many_attempts" and "以降" in body["message"]
        assert login(second.port, CARRIER, PASSWORD)[0] == 200
        assert login(first.port, CARRIER, PASSWORD)[0] == 200
