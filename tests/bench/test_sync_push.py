"""bench/sync_push.py tiny, so it does not rot: every setup (SQLite 1 process, PostgreSQL 1 and 2
processes) pushes exactly what it was told to, each PostgreSQL run on its own database that is
gone afterwards, and the printed lines carry every figure."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from bench import sync_push
from bench.sync_push import SETUPS, bench
from tests.support.backends import PG_SERVER

ROOT = Path(__file__).resolve().parents[2]
TARGET_FOR = {1: 400, 100: 2000}  # issue 15's goals on PostgreSQL at 16 clients


def bench_databases() -> set[str]:
    """The databases this process's benchmark runs made (named akiya_bench_<pid>_…) still on the server."""
    with psycopg.connect(f"{PG_SERVER.rstrip('/')}/postgres", autocommit=True) as conn:
        return {r[0] for r in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE %s",
                                           (f"akiya_bench_{os.getpid()}_%",))}


@pytest.mark.parametrize("ports", [False, True], ids=["serve --workers 2", "two ports"])
def test_two_postgresql_processes_apply_every_push_and_drop_their_database(ports):
    single, batched, memory = bench(clients=4, requests=3, batches=1, backend="postgresql", processes=2, ports=ports)
    assert (single["batch"], single["inspections"]) == (1, 4 * 3)  # each client asserts every op "applied"
    assert (batched["batch"], batched["inspections"]) == (100, 4 * 100)
    for f in (single, batched):
        assert f["backend"] == "postgresql" and f["processes"] == 2 and f["target"] == TARGET_FOR[f["batch"]]
        assert f["ports"] == (2 if ports else 1)
        assert f["per_second"] > 0 and f["server_cpu_ms_per_inspection"] > 0
        assert f["database_cpu_ms_per_inspection"] >= 0 and f["client_cpu_ms_per_inspection"] > 0
    assert memory["server_peak_rss_mb"] > 20
    assert bench_databases() == set()


def test_setups_alternate_round_by_round_and_the_median_run_is_reported(monkeypatch):
    calls = []
    rates = iter([100, 900, 300, 700, 200, 800])  # sqlite, postgresql×2, sqlite, postgresql×2, …

    def fake_bench(backend, processes, ports, **sizes):
        calls.append((backend, processes))
        rate = next(rates)
        return [{"backend": backend, "processes": processes, "batch": batch, "per_second": rate * batch,
                 "seconds": 1 / rate} for batch in (1, 100)] + [{"server_peak_rss_mb": 50.0}]

    monkeypatch.setattr(sync_push, "bench", fake_bench)
    found = sync_push.side_by_side(["sqlite", "postgresql×2"], rounds=3, clients=2, requests=1, batches=1)
    assert calls == [("sqlite", 1), ("postgresql", 2)] * 3
    assert [(f["backend"], f["batch"], f["per_second"], f["runs"]) for f in found] == [
        ("sqlite", 1, 200, [100, 300, 200]), ("postgresql", 1, 800, [900, 700, 800]),
        ("sqlite", 100, 20000, [10000, 30000, 20000]), ("postgresql", 100, 80000, [90000, 70000, 80000])]
    assert all(f["server_peak_rss_mb"] == 50.0 for f in found)


def test_the_command_prints_one_line_per_setup_and_batch():
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "sync_push.py"), "--setups", "sqlite",
                           "--clients", "2", "--requests", "2", "--batches", "1"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [l for l in done.stdout.splitlines() if l.startswith("push ")]
    assert len(lines) == 2, done.stdout
    for batch, text in zip((1, 100), lines):
        assert re.match(rf"push SQLite, 1 process, batch {batch}, 2 clients: [\d,]+ inspections/s \([\d,]+ req/s\); "
                        rf"(meets|MISSES) target ≥ {'500' if batch == 1 else '2,000'}/s; CPU per inspection: servers "
                        rf"[\d.]+ ms, clients [\d.]+ ms \(= [\d,]+ inspections per CPU-second of servers\); server peak RSS \d+ MB; load average [\d.]+$", text), text


def test_the_command_refuses_an_unknown_setup():
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "sync_push.py"), "--setups", "sqlite,mysql"],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 2 and "unknown setup(s) mysql" in done.stderr
    assert set(SETUPS) == {"sqlite", "postgresql", "postgresql×2"}
