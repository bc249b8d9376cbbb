"""Hostile requests against the real server process (issue 10, items 6, 8, 9): oversized and
amplifying pushes, deep JSON, two writers on one chunked upload. The server answers each with a
small 4xx, its memory stays bounded, and /healthz keeps answering. One server for the module
(conftest's module_live)."""

import http.client
import json
import threading
import time

from server.core import limits
from tests.reliability.records import base_photo, survey_records
from tests.support.client import Session
from tests.support.field import new_id
from tests.support.live_server import HOST

PEAK_RSS_CEILING_MB = 300  # the server started at ~100 MB; before the limits, four pushes took it to 2 GB


def _post(port: int, path: str, body: bytes, token: str | None = None) -> tuple[int, bytes]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _amplifying_push(keys: int) -> bytes:
    """One survey whose answers hold `keys` unknown keys: each used to come back as a problem."""
    record = survey_records(1, b"\xff\xd8", new_id()[:8])[0]
    record.op["inspection"]["answers"] = {f"{n:x}": 1 for n in range(keys)}
    return json.dumps({"device_id": "phone-1", "ops": [record.op]}, separators=(",", ":")).encode()


def _healthz_seconds(port: int) -> float:
    started = time.monotonic()
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", "/healthz")
        assert conn.getresponse().status == 200
    finally:
        conn.close()
    return time.monotonic() - started


def test_four_parallel_amplifying_pushes_get_small_answers_and_memory_stays_bounded(module_live, module_carrier):
    oversized = _amplifying_push(760_000)   # the reported 7.5 MB push
    largest_taken = _amplifying_push(190_000)
    assert 7_000_000 < len(oversized) < 8_000_000 and len(largest_taken) < limits.PUSH_MAX_BYTES
    answers: list[tuple[int, int]] = []

    def send(body: bytes) -> None:
        status, raw = _post(module_live.port, "/api/v1/sync/push", body, module_carrier.token)
        answers.append((status, len(raw)))

    threads = [threading.Thread(target=send, args=(body,)) for body in [oversized, largest_taken] * 4]
    for thread in threads:
        thread.start()
    health = [_healthz_seconds(module_live.port) for _ in range(3)]
    for thread in threads:
        thread.join()
    assert sorted(status for status, _ in answers) == [200] * 4 + [413] * 4
    assert max(size for _, size in answers) < 2_000
    assert max(health) < 5.0
    peak_mb = module_live.memory_kb()["VmHWM"] / 1024
    print(f"\nserver peak RSS after 8 hostile pushes: {peak_mb:.0f} MB; /healthz {max(health) * 1000:.0f} ms at worst")
    assert peak_mb < PEAK_RSS_CEILING_MB


def test_deep_json_is_400_and_leaves_no_traceback_in_the_log(module_live, module_carrier):
    deep = b"[" * 100_000 + b"]" * 100_000
    for path, token in (("/api/v1/auth/login", None), ("/api/v1/sync/push", None),
                        ("/api/v1/sync/push", module_carrier.token)):
        status, raw = _post(module_live.port, path, deep, token)
        assert status == 400 and json.loads(raw)["code"] == "too_deeply_nested"
    assert _healthz_seconds(module_live.port) < 5.0
    assert "RecursionError" not in module_live.log.read_text(errors="replace")


def test_two_writers_on_one_chunk_one_gets_409_and_the_partial_stays_intact(module_live, module_carrier):
    record = survey_records(1, base_photo(7), new_id()[:8])[0]
    assert module_carrier.push([record.op])[0]["status"] == "applied"
    photo_id, data = next(iter(record.photos.items()))
    half = len(data) // 2
    chunk = data[:half]
    headers = {"Authorization": f"Bearer {module_carrier.token}", "Content-Type": "image/jpeg",
               "Content-Range": f"bytes 0-{half - 1}/{len(data)}", "Content-Length": str(half)}
    first = http.client.HTTPConnection(HOST, module_live.port, timeout=60)
    first.putrequest("PUT", f"/api/v1/photos/{photo_id}")
    for name, value in headers.items():
        first.putheader(name, value)
    first.endheaders()
    first.send(chunk[:-100])  # the first writer is mid-chunk: its bytes are arriving
    _wait_for_offset(module_carrier, photo_id)
    answer = module_carrier.put_photo(photo_id, chunk, {"Content-Range": headers["Content-Range"]})
    assert answer.status_code == 409 and answer.json()["code"] == "upload_in_progress"
    assert 0 < answer.json()["details"]["upload_offset"] < half
    first.send(chunk[-100:])
    assert first.getresponse().status == 202
    first.close()
    last = module_carrier.put_photo(photo_id, data[half:],
                                    {"Content-Range": f"bytes {half}-{len(data) - 1}/{len(data)}"})
    assert last.status_code == 201  # the declared sha256 matched: the partial was never mixed


def _wait_for_offset(carrier: Session, photo_id: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        offset = int(carrier.head(f"/api/v1/photos/{photo_id}").headers.get("Upload-Offset", "0"))
        if offset > 0:
            return
        time.sleep(0.05)
    raise AssertionError("the first writer's bytes never reached the partial")
