"""bench/national_month.py at a tiny scale, on SQLite with the data folder and on a fresh PostgreSQL
database with photos in S3 (rclone serve s3): it runs end to end against a real server and the CLI, every figure it prints is a number, and the counts it
reports are what the server stored."""

from __future__ import annotations

import contextlib
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from tests.support.backends import postgres_database

ROOT = Path(__file__).resolve().parents[2]
NUMBER = r"([\d,]+(?:\.\d+)?)"


def figure(out: str, pattern: str) -> list[float]:
    """The numbers captured by `pattern` (NUMBER placeholders) in the printed figures; fails if absent."""
    found = re.search(pattern.replace("{N}", NUMBER), out)
    assert found, f"no line matching {pattern!r} in:\n{out}"
    return [float(g.replace(",", "")) for g in found.groups()]


@contextlib.contextmanager
def target(backend: str, tmp_path: Path):
    """(AKIYA_DB for the run, a function counting rows in it afterwards)."""
    if backend == "sqlite":
        db = tmp_path / "akiya.sqlite3"

        def count(sql):
            with contextlib.closing(sqlite3.connect(db)) as conn:
                return conn.execute(sql).fetchone()[0]
        yield str(db), count
        return
    with postgres_database("bench") as url:  # an empty database of this test, dropped after it

        def count(sql):
            with psycopg.connect(url) as conn:
                return conn.execute(sql).fetchone()[0]
        yield url, count


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_tiny_national_month(tmp_path, backend):
    with target(backend, tmp_path) as (db, count):
        check_run(tmp_path, db, count, backend)


def check_run(tmp_path: Path, db: str, count, backend: str) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "national_month.py"), "--visits", "20", "--sweep-houses", "12",
         "--pdfs", "5", "--carriers", "2", "--clients", "4", "--batch", "8", "--workers", "1", "--db", str(db),
         "--work", str(tmp_path), "--keep"] + (["--s3"] if backend == "postgresql" else []),
        capture_output=True, text=True, cwd=ROOT, timeout=600)
    out = done.stdout
    assert done.returncode == 0, done.stderr[-3000:] + out
    storage = "S3 (rclone serve s3 on loopback)" if backend == "postgresql" else "local disk"
    assert f"database {backend}, storage {storage}" in out

    assert figure(out, r"monthly schedule \(POST /api/v1/schedule/monthly\): {N} watch tasks") == [20]
    pushed, seconds, rate, cpu = figure(out, r"visits pushed \(batch 8, 4 connections\): {N} in {N} s = {N} visits/s; "
                                             r"server CPU {N} ms/visit")
    assert pushed == 20 and seconds > 0 and rate > 0 and cpu >= 0
    kb, photos, _, photo_rate, _ = figure(out, r"photos ingested, small generated 320×240 \({N} KB, 4 connections\): "
                                               r"{N} in {N} s = {N} photos/s; server CPU {N} ms/photo")
    assert kb > 0 and photos == (20 - 2) * 8 and photo_rate > 0
    phone, _, ms, phone_cpu = figure(out, r"one at a time\): {N} in {N} s = {N} ms/photo, server CPU {N} ms/photo")
    assert phone == 2 * 8 and ms > 0 and phone_cpu > 0
    assert figure(out, r"server stored: {N} watch visits \({N} submitted with all photos\), {N} photos") == [20, 20, 160]
    assert figure(out, r"office approvals \(POST …/review, 4 connections\): {N} in")[0] == 5
    tasks, sweep_s = figure(out, r"disaster sweep over 12 watched houses: {N} tasks created in {N} s")
    assert tasks == 12 and sweep_s >= 0  # 12 houses can take under 5 ms, printed 0.00
    pdfs, pdf_s, rate, per_core = figure(out, r"owner PDFs \(`akiya report owner`, 1 worker\): {N} in {N} s = "
                                              r"{N} PDFs/s, {N} PDFs/s per core")
    assert pdfs == 5 and pdf_s > 0 and rate > 0 and per_core > 0
    db_kb, small_kb, phone_kb = figure(out, r"bytes stored per visit: database {N} KB; photo files {N} KB with 8 small "
                                            r"photos, {N} KB with 8 phone-shrunk photos")
    assert db_kb > 0 and phone_kb > small_kb > 0
    month_visits, visit_ms, serve, pdf_ms, pdf_cores, mb, gb = figure(
        out, r"= {N} visits, .*?: {N} ms server CPU per visit(?: \(PostgreSQL’s own included\))? → \d+ cores? \({N}\) serving; {N} ms CPU per PDF → "
             r"\d+ cores? \({N}\) for the PDFs; storage {N} MB per visit .*?→ {N} GB a month")
    assert month_visits == 450_000 and visit_ms > 0 and serve > 0 and pdf_ms >= 0 and mb > 0 and gb > 0

    # What the server holds, read from its database and data folder after the run.
    assert count("SELECT count(*) FROM inspections WHERE kind = 'watch' AND status IN ('submitted', 'approved')") == 20
    assert count("SELECT count(*) FROM inspections WHERE status = 'approved'") == 5
    assert count("SELECT count(*) FROM photos WHERE received_at IS NOT NULL") == 160
    assert count("SELECT count(*) FROM tasks WHERE kind = 'disaster'") == 12
    assert count("SELECT count(*) FROM generated_reports WHERE kind = 'owner_monthly'") == 5
    kept = Path(re.search(r"kept: (\S+)", out).group(1))
    if backend == "postgresql":  # every original in the bucket, none in the data folder
        bucket = Path(re.search(r"kept S3 folder: (\S+)", out).group(1)) / "akiya" / "national"
        assert len(list((bucket / "photos" / "original").rglob("*.jpg"))) == 160
        assert not list((kept / "data").rglob("original/**/*.jpg"))
    else:
        assert len(list((kept / "data" / "photos" / "original").rglob("*.jpg"))) == 160
    assert len(list((kept / "reports").glob("*.pdf"))) == 5
