"""The carrier's side through the sync API with a Bearer token (as the field app does)."""

from __future__ import annotations

import json
import sqlite3
import urllib.request
from contextlib import closing


class Phone:
    def __init__(self, base: str, login: str, password: str = "akiya-demo"):
        self.base = base
        self.token = self._call("POST", "/api/v1/auth/login", {"login": login, "password": password})["token"]

    def _call(self, method: str, path: str, body=None, data: bytes | None = None, headers=None):
        payload = json.dumps(body).encode() if body is not None else data
        request = urllib.request.Request(self.base + path, data=payload, method=method, headers={
            "Content-Type": "application/json" if body is not None else "application/octet-stream",
            **({"Authorization": f"Bearer {self.token}"} if getattr(self, "token", None) else {}), **(headers or {})})
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read()
        return json.loads(text) if text else None

    def pull(self, since: str | None = None) -> dict:
        return self._call("GET", "/api/v1/sync/pull" + (f"?since={since}" if since else ""))

    def push(self, ops: list[dict]) -> list[dict]:
        return self._call("POST", "/api/v1/sync/push", {"device_id": "browser-test-phone", "ops": ops})["results"]

    def upload(self, photo_id: str, data: bytes) -> None:
        self._call("PUT", f"/api/v1/photos/{photo_id}", data=data, headers={"Content-Type": "image/jpeg"})


def db_rows(db, sql: str, *params) -> list[tuple]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql, params).fetchall()
