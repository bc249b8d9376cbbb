"""Two real `akiya serve` processes on one database and one data directory: the monthly generator
and the mail sender run in exactly one of them; when that one is SIGKILLed the other takes them over
once its lease expires; each process's upload scratch folder is its own, and only a dead process's
folder is cleared."""

from __future__ import annotations

import json
import time
from pathlib import Path

from tests.support import sql
from tests.support.live_server import free_port
from tests.support.world import build_world

LEASE = 1.5  # seconds (AKIYA_LEASE_SECONDS); renewed every 0.5 s
ENV = {"AKIYA_LEASE_SECONDS": str(LEASE),
       # a mail sender runs only with SMTP set; nothing listens there and nothing is due to be sent
       "AKIYA_SMTP_HOST": "127.0.0.1", "AKIYA_SMTP_PORT": str(free_port())}


def leases(db: Path | str) -> dict[str, str]:
    return dict(sql.rows(db, "SELECT name, holder FROM leases"))


def pid_of(holder: str) -> int:
    return int(holder.rsplit("-", 2)[1])  # host-pid-random


def wait_for(condition, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"not within {seconds} s")


def audited(db: Path | str, action: str) -> list[tuple[str, dict]]:
    return [(name, json.loads(details)) for name, details in sql.rows(
        db, "SELECT entity_id, details FROM audit_log WHERE action = ? ORDER BY id", action)]


def scratch_folders(data: Path) -> set[str]:
    return {p.name for p in (data / "photos" / "tmp").iterdir() if p.is_dir()}


def test_the_jobs_run_in_one_process_and_move_to_the_other_when_it_is_killed(backend, tmp_path):
    db, data = backend.db, backend.data_dir
    build_world(db)
    first = backend.live_server(log=tmp_path / "a.log", env=ENV).start()
    second = backend.live_server(log=tmp_path / "b.log", env=ENV).start()
    try:
        held = wait_for(lambda: (lambda found: found if len(found) == 2 and all(found.values()) else None)(leases(db)))
        assert set(held) == {"monthly_schedule", "mail"}
        assert {pid_of(h) for h in held.values()} <= {first.pid, second.pid}
        time.sleep(3 * LEASE)  # several renewals later, nobody has taken anything from anybody
        assert leases(db) == held
        assert len(audited(db, "lease.take")) == 2

        # Each process has its own scratch folder; an upload in flight in each.
        assert len(scratch_folders(data)) == 2
        for folder in scratch_folders(data):
            (data / "photos" / "tmp" / folder / "in-flight.upload").write_bytes(b"half a photo")

        holder = held["mail"]
        killed, survivor = (first, second) if pid_of(holder) == first.pid else (second, first)
        killed.kill()
        taken_over = wait_for(lambda: (lambda now: now if all(pid_of(h) == survivor.pid for h in now.values()) else None)(
            leases(db)))
        assert set(taken_over) == {"monthly_schedule", "mail"}
        mail_takes = [d for name, d in audited(db, "lease.take") if name == "mail"]
        assert mail_takes[-1] == {"holder": taken_over["mail"], "from": holder, "expired_at": mail_takes[-1]["expired_at"]}
        assert taken_over["mail"] != holder

        # The killed process comes back: it clears the dead process's scratch folder, not the survivor's.
        dead_folder = holder
        survivor_folder = taken_over["mail"]
        killed.start()
        folders = scratch_folders(data)
        assert dead_folder not in folders
        assert survivor_folder in folders
        assert (data / "photos" / "tmp" / survivor_folder / "in-flight.upload").read_bytes() == b"half a photo"
        assert len(folders) == 2
        time.sleep(2 * LEASE)
        assert leases(db) == taken_over  # the restarted process waits: the survivor holds both

        # The survivor stops: it releases its leases at once, and the restarted process takes them.
        survivor.stop()
        assert {name for name, _ in audited(db, "lease.release")} == {"monthly_schedule", "mail"}
        assert survivor_folder not in scratch_folders(data)
        started = time.monotonic()
        wait_for(lambda: all(h and pid_of(h) == killed.pid for h in leases(db).values()), 10)
        assert time.monotonic() - started < LEASE + 1  # at its next try, not waiting for an expiry
    finally:
        first.stop()
        second.stop()
