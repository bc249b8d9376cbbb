"""Hostile photos against the real server process: each gets a clear 4xx (or is stored when the
image itself is fine), and the server's peak memory stays bounded."""

import hashlib
import socket

import pytest

from tests.reliability.hostile import HOSTILE, real_pixel_bomb
from tests.reliability.records import survey_records
from tests.support.client import Session
from tests.support.field import new_id
from tests.support.live_server import HOST, LiveServer

PEAK_RSS_CEILING_MB = 300
HUNDRED_MB = 100 * 1024 * 1024


def declare(carrier: Session, bodies: list[bytes]) -> list[str]:
    """Push a survey declaring one 'overview' photo per body (with its true sha256); the photo ids."""
    record = survey_records(1, b"\xff\xd8", new_id()[:8])[0]
    ids = [new_id() for _ in bodies]
    record.op["inspection"]["photos"] = [
        {"id": pid, "slot": "overview", "sha256": hashlib.sha256(body).hexdigest()} for pid, body in zip(ids, bodies)]
    assert carrier.push([record.op])[0]["status"] == "applied"
    return ids


def peak_mb(server: LiveServer) -> float:
    return server.memory_kb()["VmHWM"] / 1024


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_upload_gets_a_clear_answer_and_memory_stays_bounded(module_live, module_carrier, name):
    make, status, code = HOSTILE[name]
    body = make()
    [photo_id] = declare(module_carrier, [body])
    answer = module_carrier.put_photo(photo_id, body)
    assert answer.status_code == status, answer.text
    if code is not None:
        assert answer.json()["code"] == code and answer.json()["message"], answer.text
    assert peak_mb(module_live) < PEAK_RSS_CEILING_MB


def test_real_54_megapixel_bomb_is_refused_before_decoding(module_live, module_carrier):
    body = real_pixel_bomb()
    [photo_id] = declare(module_carrier, [body])
    answer = module_carrier.put_photo(photo_id, body)
    assert (answer.status_code, answer.json()["code"]) == (422, "too_many_pixels")
    assert peak_mb(module_live) < PEAK_RSS_CEILING_MB


def _raw_put(server: LiveServer, token: str, photo_id: str, headers: str, chunks) -> bytes:
    """Send a PUT by hand (the client must be able to go on sending after the server answered)."""
    with socket.create_connection((HOST, server.port), timeout=30) as sock:
        sock.sendall((f"PUT /api/v1/photos/{photo_id} HTTP/1.1\r\nHost: {HOST}\r\n"
                      f"Authorization: Bearer {token}\r\nContent-Type: image/jpeg\r\n{headers}\r\n").encode())
        try:
            for chunk in chunks:
                sock.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before the body ended
        answer = b""
        try:
            while block := sock.recv(65536):
                answer += block
                if b"\r\n\r\n" in answer and b'"code"' in answer:
                    break
        except ConnectionResetError:
            pass
        return answer


def test_hundred_megabyte_body_with_its_length_announced_is_refused_at_once(module_live, module_carrier):
    [photo_id] = declare(module_carrier, [b"x"])
    block = b"\xff" * (1 << 20)
    answer = _raw_put(module_live, module_carrier.token, photo_id, f"Content-Length: {HUNDRED_MB}\r\n",
                      (block for _ in range(100)))
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"photo_too_large" in answer
    assert peak_mb(module_live) < PEAK_RSS_CEILING_MB


def test_hundred_megabyte_chunked_body_is_cut_off_at_the_limit_with_flat_memory(module_live, module_carrier):
    [photo_id] = declare(module_carrier, [b"x"])
    chunk = b"%x\r\n" % (1 << 20) + b"\xff" * (1 << 20) + b"\r\n"
    answer = _raw_put(module_live, module_carrier.token, photo_id, "Transfer-Encoding: chunked\r\n",
                      [chunk] * 100 + [b"0\r\n\r\n"])
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert peak_mb(module_live) < PEAK_RSS_CEILING_MB
    assert not list((module_live.data_dir / "photos" / "tmp").glob("*.upload")), "a refused upload left a file"
