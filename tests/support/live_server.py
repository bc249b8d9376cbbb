"""The one launcher of a real server for every suite: `akiya serve` as its own process on a free
loopback port, with its own database and data folder, ready once /healthz answers.

Tests talk to it over TCP exactly as phones and browsers do, so `kill()` is a real SIGKILL (no
lifespan shutdown, no flush) and memory figures are the server's own. `stop()` is SIGTERM and
insists that the process ends by itself: the lifespan must close its aiosqlite threads (they are
non-daemon: one left open keeps the process alive), so a server that has to be killed on stop
fails the test.

Every setting goes to the process as an AKIYA_* environment variable, so another store (a
database URL, an object store) is one `env` mapping away without a change here.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import httpx

from tests.support.client import Session
from tests.support.world import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
AKIYA = Path(sys.executable).with_name("akiya")
HOST = "127.0.0.1"
STOP_SECONDS = 15.0


def free_port(host: str = HOST) -> int:
    """A TCP port nobody listens on right now (the kernel's choice)."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class LiveServer:
    """`akiya serve` on 127.0.0.1:`port`.

    `db` is what AKIYA_DB says (a SQLite file or a postgresql:// URL); `env` holds further AKIYA_* settings (or any
    variable the process needs), given last so they win. `start()` after `kill()` starts it
    again on the same port and database.
    """

    def __init__(self, db: Path | str, data_dir: Path, *, port: int | None = None, log: Path | None = None,
                 env: Mapping[str, str] | None = None, preexec_fn: Callable[[], None] | None = None):
        self.db = db if isinstance(db, str) and "://" in db else Path(db)
        self.data_dir = Path(data_dir)
        self.env = dict(env or {})
        self.preexec_fn = preexec_fn
        self.port = port or free_port()
        self.log = Path(log) if log else self.data_dir.parent / f"akiya-serve-{self.port}.log"
        self.process: subprocess.Popen | None = None
        self.starts = 0

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def app_url(self) -> str:
        return f"{self.base_url}/app/"

    def environment(self) -> dict[str, str]:
        return {**os.environ, "PYTHONUNBUFFERED": "1", "AKIYA_DB": str(self.db), "AKIYA_DATA_DIR": str(self.data_dir),
                "AKIYA_HOST": HOST, "AKIYA_PORT": str(self.port), **self.env}

    def start(self, timeout: float = 60.0) -> "LiveServer":
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen([str(AKIYA), "serve"], cwd=ROOT, env=self.environment(), stdout=log,
                                            stderr=subprocess.STDOUT, preexec_fn=self.preexec_fn)
        self.starts += 1
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}:\n{self._log_tail()}")
            if self._healthy():
                return self
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"the server did not answer /healthz within {timeout} s:\n{self._log_tail()}")

    def _healthy(self) -> bool:
        try:
            return httpx.get(f"{self.base_url}/healthz", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    def _log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return f"(no log at {self.log})"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers run, nothing is flushed by the server."""
        if self.running:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        """SIGTERM and wait: the lifespan closes the database (and its threads) and the process ends."""
        if not self.running:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.kill()
            raise RuntimeError(f"the server was still running {STOP_SECONDS} s after SIGTERM (an unclosed "
                               f"connection thread?):\n{self._log_tail()}") from None

    def restart(self) -> None:
        self.kill()
        self.start()

    def http(self, timeout: float = 75.0) -> httpx.Client:
        """A client nobody signed in to; a fresh connection per request, so a restart never meets a stale one.
        It waits longer than the server's own retry of a storage request that got no answer
        (server/storage/s3.py ATTEMPT_SECONDS), so a recovered stall is not taken for a failure."""
        return httpx.Client(base_url=self.base_url, timeout=timeout,
                            limits=httpx.Limits(max_keepalive_connections=0))

    def session(self, login: str, password: str = PASSWORD) -> Session:
        return Session(self.http(), login, password)

    def rows(self, sql: str, *params) -> list[tuple]:
        """Read the server's database from the test's side (tests/support/sql.py)."""
        from tests.support import sql as test_sql

        return test_sql.rows(self.db, sql, *params)

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

    def __exit__(self, exc_type, *_) -> None:
        if exc_type is not None:  # the test failed with the server up: its log goes into the report
            print(f"--- the server's log (last lines) ---\n{self._log_tail(80)}", file=sys.stderr)
        self.stop()
