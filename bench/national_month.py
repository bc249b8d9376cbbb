"""A simulated national month on one machine, against a real server process and the `akiya` CLI.

Run: .venv/bin/python bench/national_month.py --scale 0.01 [--db PATH_OR_URL] [--storage-url URL]

--scale 1.0 is issue 15's month: 100,000 watch visits (8 small generated photos each, pushed in
batches), one disaster sweep over 50,000 watched houses, 100,000 owner PDFs. Prints visits/s pushed,
photos/s ingested, the sweep's task-creation time, owner PDFs per second per core, bytes stored per
visit, and an extrapolation to a national month (cores and storage) with its assumptions.

What is measured goes through the server's HTTP API (schedule, pull, push, photo PUT, review, disaster
event) and the CLI (`akiya report owner`). Setup data that has no bulk API (municipalities, post
offices, owners, subscriptions, each house's usual carrier) is written with plain SQL into the
database the CLI created: that is setup, never timed as a figure. Houses come in through
`akiya import properties`, users through `akiya user add`.

--db is passed to every process as AKIYA_DB: a SQLite path, the postgresql:// URL of an empty
database, or `postgresql` alone for a new database on the local PostgreSQL (AKIYA_TEST_PG or
127.0.0.1:5432), migrated by the server's start and dropped at the end. --storage-url is passed as
AKIYA_STORAGE_URL. The server is started by the tests' launcher (tests/support/live_server.py).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import hashlib
import http.client
import json
import math
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.reliability.records import tagged_jpeg  # noqa: E402
from tests.support.answers import minimal_answers  # noqa: E402
from tests.support.field import RUBRICS, photo_bytes  # noqa: E402
from bench.cpu import PostgresCpu  # noqa: E402
from tests.support.live_server import HOST, LiveServer  # noqa: E402

AKIYA = Path(sys.executable).with_name("akiya")
JST = timezone(timedelta(hours=9))
PASSWORD = "national-month-bench-Kq7#zv"
SWEPT, OTHER = ("131016", "千代田区", "10001"), ("131024", "中央区", "10002")
LAT, LON = 35.6870, 139.7400
PHOTOS_PER_VISIT = 8
SMALL_PHOTO = (320, 240)
PHONE_VISITS = 2  # visits whose 8 photos are phone-shrunk 1600×1200 JPEGs from sample_photos/
FULL = {"visits": 100_000, "sweep_houses": 50_000, "pdfs": 100_000}


# ---------------------------------------------------------------- processes and HTTP

def call(port: int, method: str, path: str, body=None, token: str | None = None) -> tuple[int, object]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if body is not None:
        body, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
    conn = http.client.HTTPConnection(HOST, port, timeout=600)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        raw = response.read()
    finally:
        conn.close()
    return response.status, json.loads(raw) if raw else None


def login(port: int, name: str) -> str:
    status, body = call(port, "POST", "/api/v1/auth/login", {"login": name, "password": PASSWORD})
    assert status == 200, body
    return body["token"]


class KeepAlive:
    """One HTTP/1.1 keep-alive connection, so the client costs little next to the server."""

    def __init__(self, port: int, token: str):
        self.port, self.token = port, token

    async def open(self) -> "KeepAlive":
        self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        return self

    async def send(self, method: str, path: str, body: bytes, content_type: str) -> tuple[int, bytes]:
        self.writer.write(f"{method} {path} HTTP/1.1\r\nHost: {HOST}\r\nAuthorization: Bearer {self.token}\r\n"
                          f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        length = next(int(l.split(":", 1)[1]) for l in lines if l.lower().startswith("content-length:"))
        return int(lines[0].split()[1]), await self.reader.readexactly(length)

    def close(self) -> None:
        self.writer.close()


async def drive(port: int, lanes: list[tuple[str, list[tuple[str, str, bytes, str]]]], check) -> None:
    """Each lane is one connection (token, requests); all lanes run at once; `check(status, body)` each answer."""
    async def lane(token, requests):
        conn = await KeepAlive(port, token).open()
        try:
            for method, path, body, content_type in requests:
                check(*(await conn.send(method, path, body, content_type)))
        finally:
            conn.close()
    await asyncio.gather(*(lane(t, r) for t, r in lanes if r))


def spread(items: list, lanes: int) -> list[list]:
    return [items[n::lanes] for n in range(lanes)]


def akiya(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    done = subprocess.run([str(AKIYA), *args], env=env, input=stdin, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"akiya {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return done.stdout


# ---------------------------------------------------------------- setup (plain SQL, not measured)

class SetupDb:
    """A plain DB-API connection for setup rows and for counting and sizing afterwards."""

    def __init__(self, target: str):
        self.postgres = target.startswith(("postgresql://", "postgres://"))
        if self.postgres:
            import psycopg
            self.conn = psycopg.connect(target, autocommit=True)
        else:
            self.conn = sqlite3.connect(target, isolation_level=None, timeout=60)

    def sql(self, statement: str) -> str:
        return statement.replace("?", "%s") if self.postgres else statement

    def execute(self, statement: str, params=()) -> list[tuple]:
        cur = self.conn.cursor()
        cur.execute(self.sql(statement), params)
        rows = cur.fetchall() if cur.description else []
        cur.close()
        return rows

    def executemany(self, statement: str, rows: list[tuple]) -> None:
        cur = self.conn.cursor()
        cur.executemany(self.sql(statement), rows)
        cur.close()

    def transaction(self):
        return self.conn.transaction() if self.postgres else _SqliteTransaction(self.conn)

    def size_bytes(self) -> int:
        """Bytes the database holds (SQLite: used pages, WAL included; PostgreSQL: pg_database_size)."""
        if self.postgres:
            return self.execute("SELECT pg_database_size(current_database())")[0][0]
        used = self.execute("PRAGMA page_count")[0][0] - self.execute("PRAGMA freelist_count")[0][0]
        return used * self.execute("PRAGMA page_size")[0][0]

    def close(self) -> None:
        self.conn.close()


class _SqliteTransaction:
    def __init__(self, conn):
        self.conn = conn

    def __enter__(self):
        self.conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind, *exc):
        self.conn.execute("COMMIT" if kind is None else "ROLLBACK")


def tree_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def setup(env: dict[str, str], work: Path, houses: int, swept: int, carriers: int,
          month_start: str) -> tuple[list[str], float]:
    """Users, offices, `houses` watched houses (`swept` of them in the swept municipality) with owners
    and running subscriptions (options: disaster). Returns the carriers' logins and the seconds taken."""
    started = time.perf_counter()
    akiya(env, "user", "add", "--role", "admin", "--login", "bench-admin", "--name", "管理者", stdin=PASSWORD + "\n")
    db = SetupDb(env["AKIYA_DB"])
    with db.transaction():
        for code, name, office in (SWEPT, OTHER):
            db.execute("INSERT INTO municipalities (code, name, prefecture) VALUES (?, ?, '東京都')", (code, name))
            db.execute("""INSERT INTO post_offices (code, name, municipality_code, address, phone, lat, lon)
                          VALUES (?, ?, ?, ?, '03-0000-0000', ?, ?)""",
                       (office, f"{name}郵便局", code, f"東京都{name}1-1", LAT, LON))
    logins = []
    for n in range(carriers):
        office = (SWEPT, OTHER)[n % 2][2]
        logins.append(f"bench-carrier-{n:02d}")
        akiya(env, "user", "add", "--role", "carrier", "--login", logins[-1], "--name", f"配達員 {n:02d}",
              "--office", office, stdin=PASSWORD + "\n")
    for (code, name, office), count in ((SWEPT, swept), (OTHER, houses - swept)):
        if count == 0:
            continue
        path = work / f"houses-{code}.csv"
        with open(path, "w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow(["住所", "大字・町丁目", "緯度", "経度"])
            for n in range(count):
                out.writerow([f"東京都{name}一番町{n // 100 + 1}-{n % 100 + 1}", f"一番町{n // 1000 + 1}丁目",
                              f"{LAT + (n % 300) * 1e-5:.6f}", f"{LON + (n // 300 % 300) * 1e-5:.6f}"])
        akiya(env, "import", "properties", str(path), "--municipality", code, "--office", office)
    ids = {login: db.execute("SELECT id FROM users WHERE login = ?", (login,))[0][0] for login in logins}
    with db.transaction():
        for n, (code, _, office) in enumerate((SWEPT, OTHER)):
            mine = [ids[login] for k, login in enumerate(logins) if k % 2 == n]
            houses_here = [r[0] for r in db.execute("SELECT id FROM properties WHERE municipality_code = ? ORDER BY id",
                                                    (code,))]
            db.executemany("UPDATE properties SET usual_carrier_id = ? WHERE id = ?",
                           [(mine[k % len(mine)], pid) for k, pid in enumerate(houses_here)])
            for k, pid in enumerate(houses_here):
                owner = db.execute("""INSERT INTO owners (name, address, email, report_delivery, created_at)
                                      VALUES (?, '大阪府大阪市北区1-1', NULL, 'web', ?) RETURNING id""",
                                   (f"所有者 {code}-{k}", month_start))[0][0]
                db.execute("""INSERT INTO watch_subscriptions (property_id, owner_id, options, start_date, created_at,
                                                               updated_at) VALUES (?, ?, '["disaster"]', ?, ?, ?)""",
                           (pid, owner, month_start, month_start, month_start))
    db.close()
    return logins, time.perf_counter() - started


# ---------------------------------------------------------------- the month

def visit_op(task: dict, house: dict, photos: list[bytes], finished: datetime) -> tuple[dict, dict[str, bytes]]:
    rubric = RUBRICS.latest(task["rubric_id"])
    slots = [s.key for s in rubric.photo_slots if s.required]
    slots += [s.key for s in rubric.photo_slots if not s.required][:PHOTOS_PER_VISIT - len(slots)]
    inspection_id = str(uuid.uuid4())
    uploads = {str(uuid.uuid4()): tagged_jpeg(photo, f"{inspection_id}/{slot}") for photo, slot in zip(photos, slots)}
    inspection = {
        "id": inspection_id, "task_id": task["id"], "property_id": task["property_id"], "rubric_id": rubric.id,
        "rubric_version": task["rubric_version"], "started_at": (finished - timedelta(minutes=10)).isoformat(),
        "finished_at": finished.isoformat(),
        "location": {"lat": house.get("lat") or LAT, "lon": house.get("lon") or LON, "accuracy_m": 8.0},
        "answers": minimal_answers(rubric, task["options"]), "notes": "", "supersedes": None,
        "photos": [{"id": pid, "slot": slot, "sha256": hashlib.sha256(data).hexdigest()}
                   for (pid, data), slot in zip(uploads.items(), slots)]}
    return {"op_id": str(uuid.uuid4()), "type": "inspection.submit", "inspection": inspection}, uploads


def phone_photos() -> list[bytes]:
    """Phone-shrunk 1600×1200 JPEGs (the field app's long edge 1600 px): the ordinary sample photos."""
    return [p.read_bytes() for p in sorted((ROOT / "sample_photos").glob("p*.jpg"))][:PHOTOS_PER_VISIT]


def run(args) -> dict:
    sizes = {k: getattr(args, k) if getattr(args, k) is not None else max(1, round(v * args.scale))
             for k, v in FULL.items()}
    visits, swept, pdfs = sizes["visits"], sizes["sweep_houses"], sizes["pdfs"]
    if pdfs > visits:
        raise SystemExit("--pdfs cannot exceed --visits: an owner report needs an approved visit")
    houses = max(visits, swept)
    work = Path(tempfile.mkdtemp(prefix="akiya-national-", dir=args.work))
    data_dir = work / "data"
    target = args.db or str(work / "akiya.sqlite3")
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "AKIYA_DB": target, "AKIYA_DATA_DIR": str(data_dir),
           **args.storage_env}
    now = datetime.now(JST).replace(microsecond=0)
    month = now.strftime("%Y-%m")
    f: dict = {"sizes": sizes, "houses": houses, "month": month, "db": "postgresql" if target.startswith("postgres")
               else "sqlite", "storage": args.storage_label}
    try:
        logins, f["setup_s"] = setup(env, work, houses, swept, args.carriers, f"{month}-01")
        db = SetupDb(target)
        server_env = {k: v for k, v in env.items() if k.startswith(("AKIYA_", "AWS_"))}
        with LiveServer(target, data_dir, log=work / "server.log", env=server_env) as server, \
                contextlib.ExitStack() as closing:
            port = server.port
            pg = closing.enter_context(PostgresCpu(target)) if f["db"] == "postgresql" else None

            def reading() -> tuple[float, dict, float]:
                return server.cpu_seconds(), pg.reading() if pg else {}, time.perf_counter()

            def since(before) -> tuple[float, float, float]:
                """(seconds, server CPU seconds, PostgreSQL CPU seconds) since `reading()`."""
                return (time.perf_counter() - before[2], server.cpu_seconds() - before[0],
                        pg.since(before[1]) if pg else 0.0)

            def stored_bytes() -> int:
                return tree_bytes(data_dir) + (tree_bytes(args.s3_root) if args.s3_root else 0)
            admin = login(port, "bench-admin")
            tokens = {name: login(port, name) for name in logins}

            t = time.perf_counter()
            status, body = call(port, "POST", "/api/v1/schedule/monthly", {"month": month}, admin)
            f["schedule_s"] = time.perf_counter() - t
            assert status == 200 and body["tasks_created"] == houses, (status, body)

            t = time.perf_counter()
            mine: dict[str, list[tuple[dict, dict]]] = {}
            for name, token in tokens.items():
                status, body = call(port, "GET", "/api/v1/sync/pull", token=token)
                assert status == 200, body
                where = {p["id"]: p for p in body["properties"]}
                mine[name] = [(task, where[task["property_id"]]) for task in body["tasks"] if task["kind"] == "watch"]
            f["pull_s"] = time.perf_counter() - t
            assert sum(map(len, mine.values())) == houses

            # The visits: the first PHONE_VISITS with phone-shrunk photos, the rest with small generated ones.
            small = [photo_bytes(n, lat=LAT, lon=LON, taken_at=now - timedelta(minutes=5), size=SMALL_PHOTO)
                     for n in range(PHOTOS_PER_VISIT)]
            phone = phone_photos()
            per_carrier = {name: [] for name in tokens}
            order = [(name, n) for n in range(max(map(len, mine.values()))) for name in tokens if n < len(mine[name])]
            planned = []  # (carrier, op, uploads, phone?)
            for k, (name, n) in enumerate(order[:visits]):
                is_phone = k < min(PHONE_VISITS, visits)
                op, uploads = visit_op(*mine[name][n], phone if is_phone else small, now)
                planned.append((name, op, uploads, is_phone))
                per_carrier[name].append(op)

            lanes_per_carrier = max(1, args.clients // len(tokens))
            lanes = []
            for name, ops in per_carrier.items():
                bodies = [("POST", "/api/v1/sync/push", json.dumps(
                    {"device_id": f"{name}-phone", "ops": ops[i:i + args.batch]}).encode(), "application/json")
                    for i in range(0, len(ops), args.batch)]
                lanes += [(tokens[name], part) for part in spread(bodies, lanes_per_carrier)]
            applied = []

            def pushed(status, body):
                results = json.loads(body)["results"]
                assert status == 200 and all(r["status"] == "applied" for r in results), body[:400]
                applied.append(len(results))

            before_db = db.size_bytes()
            before = reading()
            asyncio.run(drive(port, lanes, pushed))
            f["push_s"], f["push_cpu_s"], f["push_db_cpu_s"] = since(before)
            f["visits_pushed"] = sum(applied)
            after_push_db = db.size_bytes()

            def stored(status, body):
                assert status == 201, (status, body[:300])

            def photo_lanes(which: bool, clients: int):
                requests = [(tokens[name], ("PUT", f"/api/v1/photos/{pid}", data, "image/jpeg"))
                            for name, _, uploads, is_phone in planned if is_phone == which
                            for pid, data in uploads.items()]
                by_token: dict[str, list] = {}
                for token, request in requests:
                    by_token.setdefault(token, []).append(request)
                per = max(1, clients // len(by_token)) if by_token else 1
                return [(token, part) for token, reqs in by_token.items() for part in spread(reqs, per)], len(requests)

            files = stored_bytes()
            lanes, count = photo_lanes(True, 1)  # one at a time: the time one phone-shrunk photo takes
            before = reading()
            asyncio.run(drive(port, lanes, stored))
            f["phone_photos"] = count
            f["phone_photo_s"], f["phone_photo_cpu_s"], f["phone_photo_db_cpu_s"] = since(before)
            f["phone_photo_bytes"] = stored_bytes() - files
            f["phone_visits"] = sum(p[3] for p in planned)
            files = stored_bytes()
            lanes, count = photo_lanes(False, args.clients)
            before = reading()
            asyncio.run(drive(port, lanes, stored))
            f["small_photos"] = count
            f["small_photo_s"], f["small_photo_cpu_s"], f["small_photo_db_cpu_s"] = since(before)
            f["small_photo_bytes"] = stored_bytes() - files
            if args.s3_root and not tree_bytes(args.s3_root):
                raise SystemExit("AKIYA_STORAGE_URL was set, but no photo reached the S3 bucket: the server "
                                 "does not write to object storage yet")
            f["db_bytes_per_visit"] = (db.size_bytes() - before_db) / visits
            f["push_db_bytes_per_visit"] = (after_push_db - before_db) / visits
            f["files_bytes_per_small_visit"] = f["small_photo_bytes"] / max(1, visits - f["phone_visits"])
            f["files_bytes_per_phone_visit"] = f["phone_photo_bytes"] / max(1, f["phone_visits"])
            f["phone_photo_original_bytes"] = sum(map(len, phone)) / len(phone)
            f["small_photo_original_bytes"] = sum(map(len, small)) / len(small)

            # What the server holds now (counted in its database).
            ids = [op["inspection"]["id"] for _, op, _, _ in planned]
            f["stored_visits"] = db.execute("SELECT count(*) FROM inspections WHERE kind = 'watch'")[0][0]
            f["stored_submitted"] = db.execute(
                "SELECT count(*) FROM inspections WHERE kind = 'watch' AND status = 'submitted'")[0][0]
            f["stored_photos"] = db.execute("SELECT count(*) FROM photos WHERE received_at IS NOT NULL")[0][0]

            reviews = [("POST", f"/api/v1/inspections/{i}/review", b'{"decision": "approve"}', "application/json")
                       for i in ids[:pdfs]]

            def approved(status, body):
                assert status == 200 and json.loads(body)["status"] == "approved", (status, body[:300])

            before = reading()
            asyncio.run(drive(port, [(admin, part) for part in spread(reviews, args.clients)], approved))
            f["review_s"], f["review_cpu_s"], f["review_db_cpu_s"] = since(before)

            event = {"kind": "earthquake", "occurred_at": now.isoformat(), "intensity": "震度6弱",
                     "title": "全国月次ベンチ", "area": {"municipality_codes": [SWEPT[0]]}}
            before = reading()
            status, body = call(port, "POST", "/api/v1/disaster-events", event, admin)
            f["sweep_s"], f["sweep_cpu_s"], f["sweep_db_cpu_s"] = since(before)
            assert status == 201, (status, body)
            f["sweep_tasks"] = body["tasks_created"]

            # The CLI's fixed cost (start, fonts, worker pool) from a run over a month without visits.
            empty = (now.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            akiya(env, "report", "owner", "--month", empty, "--out", str(work / "empty"), "--workers", str(args.workers))
            f["pdf_fixed_s"] = time.perf_counter() - t
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            f["pdf_fixed_cpu_s"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            out = work / "reports"
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            akiya(env, "report", "owner", "--month", month, "--out", str(out), "--workers", str(args.workers))
            f["pdf_s"] = time.perf_counter() - t
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            f["pdf_cpu_s"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            written = list(out.glob("*.pdf"))
            f["pdfs_written"] = len(written)
            f["pdf_bytes"] = sum(p.stat().st_size for p in written) / max(1, len(written))
        db.close()
    finally:
        if args.keep:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return f


# ---------------------------------------------------------------- figures

def extrapolate(f: dict, args) -> dict:
    """A national month from the figures: CPU per visit and per PDF, bytes per visit with phone photos."""
    visits = f["visits_pushed"]
    month_visits = args.vacant * args.watched_share
    push_cpu = (f["push_cpu_s"] + f["push_db_cpu_s"]) / visits
    photo_cpu = (f["phone_photo_cpu_s"] + f["phone_photo_db_cpu_s"]) / f["phone_photos"] if f["phone_photos"] else 0.0
    review_cpu = (f["review_cpu_s"] + f["review_db_cpu_s"]) / max(1, f["sizes"]["pdfs"])
    pdf_cpu = max(0.0, f["pdf_cpu_s"] - f["pdf_fixed_cpu_s"]) / max(1, f["pdfs_written"])
    visit_cpu = push_cpu + PHOTOS_PER_VISIT * photo_cpu + review_cpu
    window = args.working_days * args.working_hours * 3600
    serve_cores = month_visits * visit_cpu / window * args.peak
    pdf_cores = month_visits * pdf_cpu / (args.pdf_hours * 3600)
    visit_bytes = f["db_bytes_per_visit"] + f["files_bytes_per_phone_visit"] + f["pdf_bytes"]
    return {"month_visits": month_visits, "visit_cpu_ms": visit_cpu * 1000, "pdf_cpu_ms": pdf_cpu * 1000,
            "serve_cores": serve_cores, "pdf_cores": pdf_cores, "visit_bytes": visit_bytes,
            "month_bytes": month_visits * visit_bytes}


def cores(n: float) -> str:
    whole = max(1, math.ceil(n))
    return f"{whole} core{'s' if whole > 1 else ''} ({n:.2f})"


def report(f: dict, args) -> list[str]:
    s = f["sizes"]

    def pg(seconds: float, count: int, unit: str) -> str:
        """The PostgreSQL backends' CPU for this step (only on PostgreSQL)."""
        return f", PostgreSQL CPU {seconds * 1000 / max(1, count):.2f} ms/{unit}" if f["db"] == "postgresql" else ""

    lines = [
        f"setup (CLI users and `akiya import properties`, SQL owners/subscriptions; not a figure): {f['houses']:,} watched "
        f"houses in {f['setup_s']:.1f} s; database {f['db']}, storage {f['storage']}",
        f"monthly schedule (POST /api/v1/schedule/monthly): {f['houses']:,} watch tasks in {f['schedule_s']:.2f} s; "
        f"carriers' pulls {f['pull_s']:.2f} s",
        f"visits pushed (batch {args.batch}, {args.clients} connections): {f['visits_pushed']:,} in {f['push_s']:.2f} s = "
        f"{f['visits_pushed'] / f['push_s']:,.0f} visits/s; server CPU {f['push_cpu_s'] * 1000 / f['visits_pushed']:.2f} ms/visit"
        + pg(f["push_db_cpu_s"], f["visits_pushed"], "visit"),
        f"photos ingested, small generated {SMALL_PHOTO[0]}×{SMALL_PHOTO[1]} "
        f"({f['small_photo_original_bytes'] / 1000:.0f} KB, {args.clients} connections): {f['small_photos']:,} in "
        f"{f['small_photo_s']:.2f} s = {f['small_photos'] / max(f['small_photo_s'], 1e-9):,.0f} photos/s; server CPU "
        f"{f['small_photo_cpu_s'] * 1000 / max(1, f['small_photos']):.1f} ms/photo"
        + pg(f["small_photo_db_cpu_s"], f["small_photos"], "photo"),
        f"photos ingested, phone-shrunk 1600×1200 from sample_photos/ ({f['phone_photo_original_bytes'] / 1000:.0f} KB, "
        f"one at a time): {f['phone_photos']} in {f['phone_photo_s']:.2f} s = "
        f"{f['phone_photo_s'] * 1000 / max(1, f['phone_photos']):.1f} ms/photo, server CPU "
        f"{f['phone_photo_cpu_s'] * 1000 / max(1, f['phone_photos']):.1f} ms/photo"
        + pg(f["phone_photo_db_cpu_s"], f["phone_photos"], "photo"),
        f"server stored: {f['stored_visits']:,} watch visits ({f['stored_submitted']:,} submitted with all photos), "
        f"{f['stored_photos']:,} photos",
        f"office approvals (POST …/review, {args.clients} connections): {s['pdfs']:,} in {f['review_s']:.2f} s = "
        f"{s['pdfs'] / f['review_s']:,.0f}/s",
        f"disaster sweep over {s['sweep_houses']:,} watched houses: {f['sweep_tasks']:,} tasks created in "
        f"{f['sweep_s']:.2f} s (target ≤ 30 s for 50,000); server CPU {f['sweep_cpu_s']:.2f} s"
        + pg(f["sweep_db_cpu_s"], 1, "sweep").replace(" ms/sweep", " ms"),
        f"owner PDFs (`akiya report owner`, {args.workers} worker{'s' if args.workers != 1 else ''}): {f['pdfs_written']:,} in {f['pdf_s']:.1f} s = "
        f"{f['pdfs_written'] / f['pdf_s']:.1f} PDFs/s, {f['pdfs_written'] / f['pdf_s'] / args.workers:.1f} PDFs/s per core; "
        f"without the command's fixed {f['pdf_fixed_s']:.1f} s (a run over a month without visits): "
        f"{f['pdfs_written'] / max(f['pdf_s'] - f['pdf_fixed_s'], 1e-9) / args.workers:.1f} PDFs/s per core, "
        f"{f['pdfs_written'] / max(f['pdf_cpu_s'] - f['pdf_fixed_cpu_s'], 1e-9):.1f} PDFs per CPU-second; "
        f"{f['pdf_bytes'] / 1000:.0f} KB each",
        f"bytes stored per visit: database {f['db_bytes_per_visit'] / 1000:.1f} KB; photo files "
        f"{f['files_bytes_per_small_visit'] / 1000:.0f} KB with 8 small photos, "
        f"{f['files_bytes_per_phone_visit'] / 1000:.0f} KB with 8 phone-shrunk photos (original + derivatives)",
    ]
    x = extrapolate(f, args)
    lines.append(
        f"national month (assumed: {args.vacant:,} vacant dwellings × {args.watched_share:.0%} watched = "
        f"{x['month_visits']:,.0f} visits, 8 phone-shrunk photos each, uploads over {args.working_days} days × "
        f"{args.working_hours} h with peak ×{args.peak}, PDFs built in {args.pdf_hours} h): "
        f"{x['visit_cpu_ms']:.0f} ms server CPU per visit"
        f"{' (PostgreSQL’s own included)' if f['db'] == 'postgresql' else ''} → {cores(x['serve_cores'])} serving; "
        f"{x['pdf_cpu_ms']:.0f} ms CPU per PDF → {cores(x['pdf_cores'])} for the PDFs; "
        f"storage {x['visit_bytes'] / 1e6:.2f} MB per visit (database + photos + PDF) → "
        f"{x['month_bytes'] / 1e9:,.0f} GB a month, {x['month_bytes'] * 12 / 1e12:,.1f} TB a year")
    return lines


@contextlib.contextmanager
def database(db: str | None):
    """--db as AKIYA_DB: `postgresql` alone is a new database on the local PostgreSQL, dropped after."""
    if db == "postgresql":
        from tests.support.backends import postgres_database

        with postgres_database("national") as url:
            yield url
    else:
        yield db


@contextlib.contextmanager
def storage(args):
    """(variables for every process, a label, the folder an S3 server started here serves or None)."""
    if args.s3:
        from tests.support.backends import rclone_s3

        root = Path(tempfile.mkdtemp(prefix="akiya-national-s3-", dir=args.work))
        try:
            with rclone_s3(root / "served") as s3:
                yield ({"AKIYA_STORAGE_URL": s3.url("national"), **s3.environ()},
                       "S3 (rclone serve s3 on loopback)", root / "served")
        finally:
            if args.keep:
                print(f"kept S3 folder: {root / 'served'}")
            else:
                shutil.rmtree(root, ignore_errors=True)
    else:
        yield ({"AKIYA_STORAGE_URL": args.storage_url} if args.storage_url else {}), args.storage_url or "local disk", None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=0.01, help="1.0 = 100,000 visits, 50,000 swept houses, 100,000 PDFs")
    ap.add_argument("--visits", type=int, help="override the scaled number of visits")
    ap.add_argument("--sweep-houses", type=int, help="override the scaled number of watched houses swept")
    ap.add_argument("--pdfs", type=int, help="override the scaled number of owner PDFs (≤ visits)")
    ap.add_argument("--db", help="AKIYA_DB: a SQLite path (default: a new one in a temporary folder), the postgresql:// "
                                 "URL of an empty database, or `postgresql`: a new database on the local server")
    ap.add_argument("--storage-url", help="AKIYA_STORAGE_URL (e.g. s3://bucket/prefix); unset: local disk")
    ap.add_argument("--s3", action="store_true", help="photos and documents in a real S3 server started here "
                                                      "(rclone serve s3 on loopback over a temporary folder)")
    ap.add_argument("--work", help="folder for the temporary data (default: the system's)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    ap.add_argument("--carriers", type=int, default=4)
    ap.add_argument("--clients", type=int, default=8, help="concurrent connections")
    ap.add_argument("--batch", type=int, default=100, help="ops per push")
    ap.add_argument("--workers", type=int, default=2, help="PDF worker processes")
    ap.add_argument("--vacant", type=int, default=9_000_000, help="vacant dwellings nationally")
    ap.add_argument("--watched-share", type=float, default=0.05, help="share of them watched monthly")
    ap.add_argument("--working-days", type=int, default=20)
    ap.add_argument("--working-hours", type=int, default=8)
    ap.add_argument("--peak", type=float, default=2.0, help="peak-to-average factor for uploads")
    ap.add_argument("--pdf-hours", type=int, default=8, help="hours to build the month's owner PDFs in")
    args = ap.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; scale {args.scale}")
    with database(args.db) as args.db, storage(args) as (args.storage_env, args.storage_label, args.s3_root):
        figures = run(args)
    for line in report(figures, args):
        print(line)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
