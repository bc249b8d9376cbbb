"""Nobody can lock another person's account, also across server processes: two real `akiya serve`
processes on one database, an attacker connecting from 127.0.0.2 and the carrier from 127.0.0.1."""

from __future__ import annotations

import http.client
import json
from http.cookies import SimpleCookie

from tests.support.live_server import HOST
from tests.support.world import PASSWORD, build_world

ATTACKER = "127.0.0.2"  # also loopback on Linux: a second real client address
CARRIER = "127.0.0.1"


def login(port: int, source: str, password: str, who: str = "kato", device: str | None = None
          ) -> tuple[int, str | None, dict]:
    return signed_in(port, source, password, who, device)[:3]


def signed_in(port: int, source: str, password: str, who: str = "kato", device: str | None = None):
    """(status, Retry-After, body, the device cookie set) of one sign-in, sending `device` as the device cookie."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30, source_address=(source, 0))
    headers = {"Content-Type": "application/json"}
    if device:
        headers["Cookie"] = f"akiya_device={device}"
    try:
        conn.request("POST", "/api/v1/auth/login", body=json.dumps({"login": who, "password": password}), headers=headers)
        response = conn.getresponse()
        cookie = SimpleCookie(response.getheader("Set-Cookie") or "").get("akiya_device")
        return response.status, response.getheader("Retry-After"), json.loads(response.read()), cookie and cookie.value
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


def test_a_phone_that_signed_in_before_passes_guessing_behind_its_address_on_either_process(backend, tmp_path):
    build_world(backend.db)
    with backend.live_server(log=tmp_path / "a.log") as first, backend.live_server(log=tmp_path / "b.log") as second:
        status, _, _, device = signed_in(first.port, ATTACKER, PASSWORD)  # the carrier's phone, behind a CGNAT
        assert status == 200 and device
        for n in range(20):
            assert login(first.port, ATTACKER, "wrong-guess-1", who=f"nobody{n}")[0] == 401
        assert login(second.port, ATTACKER, PASSWORD)[0] == 429  # a phone never signed in must wait
        assert login(second.port, ATTACKER, PASSWORD, device=device)[0] == 200
