"""The real server as a separate process on a loopback port: start, SIGKILL, restart, measure.

Reliability tests and benchmarks talk to this over TCP, exactly as phones do, so a kill is a
real kill (no lifespan shutdown, no flush) and memory figures are the server's own.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

AKIYA = Path(sys.executable).with_name("akiya")
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class LiveServer:
    """`akiya serve` on 127.0.0.1; `kill()` is SIGKILL, `start()` starts it again on the same port."""

    def __init__(self, db: Path, data_dir: Path, port: int | None = None, log: Path | None = None,
                 env: dict[str, str] | None = None, preexec_fn=None):
        self.db, self.data_dir = Path(db), Path(data_dir)
        self.env, self.preexec_fn = env or {}, preexec_fn
        self.port = port or free_port()
        self.log = Path(log) if log else self.db.with_suffix(".server.log")
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self, timeout: float = 30.0) -> "LiveServer":
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **self.env}
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [str(AKIYA), "serve", "--db", str(self.db), "--data-dir", str(self.data_dir),
                 "--host", HOST, "--port", str(self.port)],
                stdout=log, stderr=subprocess.STDOUT, env=env, preexec_fn=self.preexec_fn)
        self.starts += 1
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}; see {self.log}")
            if self._healthy():
                return self
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"server did not answer within {timeout} s; see {self.log}")

    def _healthy(self) -> bool:
        try:
            conn = http.client.HTTPConnection(HOST, self.port, timeout=1)
            conn.request("GET", "/healthz")
            ok = conn.getresponse().status == 200
            conn.close()
            return ok
        except OSError:
            return False

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers run, nothing is flushed by the server."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def restart(self) -> None:
        self.kill()
        self.start()

    def memory_kb(self) -> dict[str, int]:
        """VmRSS and VmHWM (peak resident set) of the server process, in kB."""
        found = {}
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found[key] = int(value.split()[0])
        return found

    def cpu_seconds(self) -> float:
        """User + system CPU the server process (all its threads) has used so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def __enter__(self) -> "LiveServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class Api:
    """A tiny HTTP client for one signed-in persona: a fresh connection per request (no pooling)."""

    def __init__(self, port: int, token: str | None = None, timeout: float = 30.0):
        self.port, self.token, self.timeout = port, token, timeout

    @classmethod
    def login(cls, port: int, login: str, password: str) -> "Api":
        api = cls(port)
        status, body = api.request("POST", "/api/v1/auth/login", {"login": login, "password": password})
        assert status == 200, body
        api.token = body["token"]
        return api

    def request(self, method: str, path: str, body=None, headers: dict | None = None) -> tuple[int, object]:
        headers = dict(headers or {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if body is not None and not isinstance(body, (bytes, bytearray)):
            body = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            raw = response.read()
        finally:
            conn.close()
        try:
            return response.status, json.loads(raw) if raw else None
        except ValueError:
            return response.status, raw

    def push(self, ops: list[dict], device_id: str = "phone-1") -> list[dict]:
        status, body = self.request("POST", "/api/v1/sync/push", {"device_id": device_id, "ops": ops})
        assert status == 200, body
        return body["results"]

    def put_photo(self, photo_id: str, data: bytes, headers: dict | None = None) -> tuple[int, object]:
        return self.request("PUT", f"/api/v1/photos/{photo_id}", bytes(data),
                            {"Content-Type": "image/jpeg", **(headers or {})})
