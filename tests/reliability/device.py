"""A simulated field device: an outbox worked FIFO the way the field app does it.

Push first (same op_id on every retry), then each photo; a record leaves the outbox only when
the push said applied/duplicate and every photo got 200/201. Given `ports` (several server
processes), each request, retries included, goes to the next port in turn: a push may reach one
process and its photos another, and a request refused by a dead process is retried on the next. Network errors, cut answers and
5xx are retried with capped, jittered exponential backoff; anything else is a failure.
"""

from __future__ import annotations

import http.client
import json
import random
import time
from collections import Counter, deque
from collections.abc import Sequence

from tests.reliability.records import Record
from tests.support.live_server import HOST
from tests.support.world import PASSWORD


class DeviceFailed(Exception):
    pass


class Device:
    def __init__(self, name: str, login: str, port: int, records: list[Record], seed: int = 0,
                 give_up_after: float = 300.0, ports: Sequence[int] = ()):
        self.name, self.login, self.port = name, login, port
        self.ports, self.calls = list(ports), 0
        self.outbox: deque[Record] = deque(records)
        self.rng = random.Random(seed)
        self.give_up_after = give_up_after
        self.token: str | None = None
        self.stats: Counter[str] = Counter()
        self.photos_done = 0
        self.error: str | None = None

    def run(self) -> None:
        try:
            status, body = self._call("POST", "/api/v1/auth/login",
                                      json.dumps({"login": self.login, "password": PASSWORD}).encode(), {200})
            self.token = body["token"]
            while self.outbox:
                self._send(self.outbox[0])
                self.outbox.popleft()
        except Exception as exc:  # reported by the run, never swallowed
            self.error = f"{self.name}: {exc!r}"

    def _send(self, record: Record) -> None:
        body = json.dumps({"device_id": self.name, "ops": [record.op]}).encode()
        _, answer = self._call("POST", "/api/v1/sync/push", body, {200})
        result = answer["results"][0]
        if result["status"] not in ("applied", "duplicate"):
            raise DeviceFailed(f"push {record.op['op_id']} → {result}")
        self.stats[f"push_{result['status']}"] += 1
        for photo_id, data in record.photos.items():
            status, _ = self._call("PUT", f"/api/v1/photos/{photo_id}", data, {200, 201})
            self.stats[f"photo_{status}"] += 1
            self.photos_done += 1

    def _call(self, method: str, path: str, body: bytes, ok: set[int]) -> tuple[int, dict]:
        started = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            try:
                status, answer = self._once(method, path, body)
            except (OSError, http.client.HTTPException, ValueError) as exc:
                self.stats[f"error_{type(exc).__name__}"] += 1
            else:
                if status in ok:
                    return status, answer
                if status < 500:
                    raise DeviceFailed(f"{method} {path} → {status} {answer}")
                self.stats[f"http_{status}"] += 1
            if time.monotonic() - started > self.give_up_after:
                raise DeviceFailed(f"{method} {path}: still failing after {attempt} attempts")
            self.stats["retry"] += 1
            time.sleep(min(2.0, 0.05 * 2 ** min(attempt, 6)) * self.rng.uniform(0.5, 1.0))

    def _once(self, method: str, path: str, body: bytes) -> tuple[int, dict]:
        if self.ports:
            self.port = self.ports[self.calls % len(self.ports)]
            self.calls += 1
        headers = {"Connection": "close", "Content-Type": "image/jpeg" if method == "PUT" else "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        conn = http.client.HTTPConnection(HOST, self.port, timeout=20)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            raw = response.read()
        finally:
            conn.close()
        if response.status >= 500:
            return response.status, {}
        return response.status, json.loads(raw)  # a cut answer fails here and is retried
