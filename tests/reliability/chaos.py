"""Chaos sync: devices push through a faulty proxy while the server is SIGKILLed and restarted;
afterwards the server must hold exactly what the devices were told it holds.

With `processes=2` (issue 15 item 5) two server processes share one database and one photo
storage, each behind a faulty proxy of its own; every device sends each request to the next
process in turn (a push to one, its photos to the other), and each SIGKILL hits one of the two at
random while the other keeps serving."""

from __future__ import annotations

import hashlib
import random
import threading
from collections import Counter
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from server.db import is_postgres_url
from server.photos.store import PhotoStore
from server.storage import photo_key
from tests.reliability.device import Device
from tests.reliability.proxy import ChaosProxy
from tests.reliability.records import base_photo, build_world_with_carriers, survey_records
from tests.support import sql
from tests.support.backends import Backend
from tests.support.live_server import LiveServer


@dataclass
class ChaosReport:
    devices: int
    per_device: int
    kills: int
    seconds: float
    inspections: int = 0
    photos_received: int = 0
    photo_hash_mismatches: int = 0
    duplicate_photo_rows: int = 0
    awaiting_photos: int = 0
    sync_ops: int = 0
    outbox_left: int = 0
    device_errors: list[str] = field(default_factory=list)
    missing_inspections: int = 0
    unexpected_inspections: int = 0
    integrity: str | None = ""  # SQLite's integrity_check; None on PostgreSQL (its server is never killed here)
    scratch_files_left: int = 0
    proxy: dict = field(default_factory=dict)
    device_stats: dict = field(default_factory=dict)
    processes: int = 1
    kills_per_process: list[int] = field(default_factory=list)

    @property
    def expected_inspections(self) -> int:
        return self.devices * self.per_device

    def acknowledged(self, *answers: str) -> int:
        """How many times the devices were told one of `answers` (each record and photo once)."""
        return sum(self.device_stats.get(answer, 0) for answer in answers)

    def problems(self) -> list[str]:
        """Everything that differs from 'exactly what the devices were told'."""
        want = self.expected_inspections
        checks = {
            "inspections": (self.inspections, want),
            "photos_received": (self.photos_received, want * 3),
            "photo_hash_mismatches": (self.photo_hash_mismatches, 0),
            "duplicate_photo_rows": (self.duplicate_photo_rows, 0),
            "awaiting_photos": (self.awaiting_photos, 0),
            "sync_ops": (self.sync_ops, want),
            "outbox_left": (self.outbox_left, 0),
            "missing_inspections": (self.missing_inspections, 0),
            "unexpected_inspections": (self.unexpected_inspections, 0),
            "pushes_acknowledged": (self.acknowledged("push_applied", "push_duplicate"), want),
            "photos_acknowledged": (self.acknowledged("photo_200", "photo_201"), want * 3),
        }
        if self.integrity is not None:
            checks["integrity"] = (self.integrity, "ok")
        found = [f"{name}: {got!r}, expected {wanted!r}" for name, (got, wanted) in checks.items() if got != wanted]
        return found + self.device_errors

    def lines(self) -> list[str]:
        killed = (f"server SIGKILLed {self.kills} times" if self.processes == 1 else
                  f"{self.processes} server processes SIGKILLed {self.kills} times "
                  f"({' + '.join(map(str, self.kills_per_process))})")
        return [
            f"devices {self.devices} × inspections {self.per_device} × photos 3, {killed}, {self.seconds:.1f} s",
            f"server holds: {self.inspections} inspections (expected {self.expected_inspections}), "
            f"{self.photos_received} photos received (expected {self.expected_inspections * 3}), "
            f"{self.sync_ops} sync ops, {self.awaiting_photos} awaiting photos, "
            f"{self.photo_hash_mismatches} hash mismatches, {self.duplicate_photo_rows} duplicate photo rows, "
            f"integrity_check {self.integrity}",
            f"devices: outbox left {self.outbox_left}, errors {len(self.device_errors)}; "
            + ", ".join(f"{k} {v}" for k, v in sorted(self.device_stats.items())),
            "proxy: " + ", ".join(f"{k} {v}" for k, v in sorted(self.proxy.items())),
            f"scratch files left by killed uploads: {self.scratch_files_left}",
        ]


class Killer(threading.Thread):
    """SIGKILLs a server `kills` times, at random points of the devices' progress, and restarts it;
    given several servers, each kill hits the running one killed least so far (ties at random) while
    the others stay up. A restart runs beside the killer, so a slow start (seconds on a loaded
    machine) never lets the devices finish before the last kill point."""

    def __init__(self, servers: LiveServer | list[LiveServer], kills: int, progress, total: int,
                 rng: random.Random, span: tuple[float, float] = (0.03, 0.9)):
        super().__init__(name="killer", daemon=True)
        self.servers = servers if isinstance(servers, list) else [servers]
        self.progress, self.total = progress, total
        self.points = sorted(rng.uniform(*span) * total for _ in range(kills))
        self.rng = rng
        self.kills = 0
        self.killed: Counter[int] = Counter()  # index in `servers` -> SIGKILLs
        self.restarts: dict[int, threading.Thread] = {}  # index -> the thread starting it again
        self.done = threading.Event()
        self.error: str | None = None

    def run(self) -> None:
        try:
            for point in self.points:
                while self.progress() < point and not self.done.is_set():
                    time.sleep(0.01)
                if self.done.is_set():
                    return
                time.sleep(self.rng.uniform(0, 0.1))
                victim = self._victim()
                self.servers[victim].kill()
                self.kills += 1
                self.killed[victim] += 1
                self.restarts[victim] = threading.Thread(target=self._restart, args=(victim, self.rng.uniform(0, 0.3)),
                                                         name=f"restart-{victim}")
                self.restarts[victim].start()
        except Exception as exc:
            self.error = repr(exc)
        finally:
            for thread in self.restarts.values():
                thread.join()

    def _victim(self) -> int:
        """A server that is up (waiting for one to come back when none is), the least killed first."""
        while True:
            up = [n for n in range(len(self.servers))
                  if not (n in self.restarts and self.restarts[n].is_alive())]
            if up:
                fewest = min(self.killed[n] for n in up)
                return self.rng.choice([n for n in up if self.killed[n] == fewest])
            time.sleep(0.01)

    def _restart(self, n: int, pause: float) -> None:
        try:
            time.sleep(pause)
            self.servers[n].start()
        except Exception as exc:
            self.error = repr(exc)


def run_chaos(workdir: Path, devices: int, per_device: int, kills: int, seed: int = 1,
              fault_rate: float = 0.2, backend: Backend | None = None, processes: int = 1) -> ChaosReport:
    """The run on `backend` (tests/support/backends.py: by default a SQLite file and the data
    folder in `workdir`; the test suite also runs it on PostgreSQL + S3) with `processes` server
    processes sharing its database and photo storage."""
    if processes < 1:
        raise ValueError(f"processes={processes}: at least one server process")
    backend = backend or Backend("sqlite", Path(workdir) / "akiya.sqlite3", Path(workdir) / "data")
    db = backend.db
    logins = build_world_with_carriers(db, devices)
    rng = random.Random(seed)
    servers = [replace(backend, data_dir=d).live_server() for d in _data_dirs(backend, processes)]
    proxies: list[ChaosProxy] = []
    try:
        for n, server in enumerate(servers):
            server.start()
            proxies.append(ChaosProxy(server.port, fault_rate=fault_rate, seed=seed + 7919 * n).start())
        doors = [proxy.port for proxy in proxies]
        fleet = [Device(f"device-{n:02d}", logins[n], doors[0], survey_records(per_device, base_photo(n + 1), f"{n}-"),
                        seed=seed * 1000 + n, ports=doors[n % processes:] + doors[:n % processes] if processes > 1 else ())
                 for n in range(devices)]
        expected = {r.inspection_id: r for d in fleet for r in d.outbox}
        # With several processes the devices go on through the others while one restarts, so the
        # kills come earlier in the run, or the last ones would find the devices done.
        killer = Killer(servers, kills, lambda: sum(d.photos_done for d in fleet), devices * per_device * 3, rng,
                        span=(0.03, 0.9) if processes == 1 else (0.02, 0.45))
        started = time.monotonic()
        threads = [threading.Thread(target=d.run, name=d.name) for d in fleet]
        killer.start()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        killer.done.set()
        killer.join()
        seconds = time.monotonic() - started
    finally:
        for proxy in proxies:
            proxy.stop()
        for server in servers:
            server.stop()
    fates = sum((proxy.fates for proxy in proxies), Counter())
    report = ChaosReport(devices, per_device, killer.kills, seconds, proxy=dict(fates), processes=processes,
                         kills_per_process=[killer.killed[n] for n in range(processes)])
    for d in fleet:
        report.device_stats = dict(Counter(report.device_stats) + d.stats)
        report.outbox_left += len(d.outbox)
        if d.error:
            report.device_errors.append(d.error)
    if killer.error:
        report.device_errors.append(f"killer: {killer.error}")
    _inspect_server(report, backend, expected, sorted({s.data_dir for s in servers}))
    return report


def _data_dirs(backend: Backend, processes: int) -> list[Path]:
    """Each process's data folder: the backend's one when photos live there (as processes on one
    machine share it); with object storage a folder of its own for each (scratch only, as
    stateless processes on several machines would have)."""
    if backend.storage_url is None:
        return [backend.data_dir] * processes
    return [backend.data_dir if n == 0 else backend.data_dir.with_name(f"{backend.data_dir.name}-{n + 1}")
            for n in range(processes)]


def _inspect_server(report: ChaosReport, backend: Backend, expected: dict, data_dirs: list[Path]) -> None:
    db = backend.db
    with sql.reading(db) as query:
        report.integrity = None if is_postgres_url(db) else query("PRAGMA integrity_check")[0][0]
        ids = {row[0] for row in query("SELECT id FROM inspections")}
        report.inspections = len(ids)
        report.missing_inspections = len(expected.keys() - ids)
        report.unexpected_inspections = len(ids - expected.keys())
        report.awaiting_photos = query("SELECT count(*) FROM inspections WHERE status = 'awaiting_photos'")[0][0]
        report.sync_ops = query("SELECT count(*) FROM sync_ops")[0][0]
        declared = {pid: data for r in expected.values() for pid, data in r.photos.items()}
        rows = query("SELECT id, sha256 FROM photos WHERE received_at IS NOT NULL")
        report.photos_received = len(rows)
        report.duplicate_photo_rows = query("SELECT count(*) - count(DISTINCT sha256) FROM photos")[0][0]
    stored = backend.blob_sha256s([photo_key("original", photo_id) for photo_id, _ in rows])
    for photo_id, sha in rows:
        sent = declared.get(photo_id)
        if stored[photo_key("original", photo_id)] != sha or sent is None or hashlib.sha256(sent).hexdigest() != sha:
            report.photo_hash_mismatches += 1
    for data_dir in data_dirs:  # scratch is local on every backend
        scratch_root = PhotoStore(data_dir / "photos").scratch_root()
        report.scratch_files_left += sum(1 for p in scratch_root.rglob("*") if p.is_file() and p.name != ".alive")
