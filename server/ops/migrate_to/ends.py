"""The two ends of `akiya migrate-to`: the SQLite file (opened with its write lock held, brought to
the current schema first) and the PostgreSQL database (migrated to the same schema, empty, with
columns whose values the digests can compare). Every refusal is a MigrateError that says what to do."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import psycopg

from server.db import Database
from server.db.migrate import migration_files
from server.db.migrate_pg import apply_migrations_pg, schema_version_pg
from server.db.postgres import read_dates_as_iso
from server.db.url_password import hidden, shown
from server.ops.migrate_to.rows import tables_with_rows
from server.ops.migrate_to.tables import SchemaError, Table, source_tables

TEXT_TYPES = {"text", "character varying", "character"}
# Column types whose values read back as int, float, str or bytes (what the digests compare); a date
# reads as ISO text on the target's connection (read_dates_as_iso), as it is stored on SQLite.
COMPARABLE_TYPES = TEXT_TYPES | {"bigint", "integer", "smallint", "double precision", "bytea", "date"}
LOCK_WAIT = 5.0  # seconds to wait for a write in progress on the source before refusing


class MigrateError(Exception):
    """Why the migration cannot start or go on; the message says what to do."""


async def open_source(path: Path, lock: bool) -> sqlite3.Connection:
    path = Path(path)
    if not path.is_file():
        raise MigrateError(f"移行元のデータベース {path} がありません。--db（AKIYA_DB）を確かめてください。")
    latest = migration_files()[-1][0]
    with contextlib.closing(sqlite3.connect(path)) as probe:
        version = probe.execute("PRAGMA user_version").fetchone()[0]
    if version > latest:
        raise MigrateError(f"{path} はこの akiya より新しいスキーマ（{version}）です。akiya を更新してください。")
    if version < latest:
        if not lock:
            raise MigrateError(f"{path} のスキーマ（{version}）が古く、移行されたものではありません。")
        async with Database(path, readers=0):  # the migrations `akiya serve` would apply at start
            pass
    conn = sqlite3.connect(path, isolation_level=None, timeout=LOCK_WAIT)
    try:
        conn.execute("BEGIN IMMEDIATE" if lock else "BEGIN")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the read snapshot starts here
    except sqlite3.OperationalError as exc:
        conn.close()
        raise MigrateError(f"{path} に書き込み中のプロセスがあります（{exc}）。サーバー（akiya serve）を止めてから"
                           "もう一度実行してください。 / stop the server first.") from exc
    return conn


async def open_target(url: str, migrate: bool) -> psycopg.AsyncConnection:
    try:
        conn = await psycopg.AsyncConnection.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        raise MigrateError(f"移行先 {shown(url)} に接続できません / cannot connect: {hidden(str(exc), url)}") from None
    read_dates_as_iso(conn)
    try:
        version = await (apply_migrations_pg(conn) if migrate else schema_version_pg(conn))
        if version != migration_files()[-1][0]:
            raise MigrateError(f"移行先 {shown(url)} のスキーマ（{version}）がこの akiya（{migration_files()[-1][0]}）と違います。")
    except BaseException:
        await conn.close()
        raise
    return conn


def check_schema(tables: list[Table], columns: dict[str, dict[str, str]]) -> None:
    for table in tables:
        have = columns.get(table.name, {})
        missing = [c for c in table.columns if c not in have]
        if missing:
            raise MigrateError(f"移行先に {table.name} の列 {', '.join(missing)} がありません（スキーマが違います）。")
        other = [f"{c} {have[c]}" for c in table.columns if have[c] not in COMPARABLE_TYPES]
        if other:
            raise MigrateError(f"{table.name} の列 {', '.join(other)} は比べられない型です / cannot compare "
                               "(server/ops/migrate_to/digest.py compares int, float, text and bytes)")


def tables_of(source: sqlite3.Connection) -> list[Table]:
    try:
        return source_tables(source)
    except SchemaError as exc:
        raise MigrateError(f"表をコピーできません / cannot copy: {exc}") from exc


async def refuse_records(target: psycopg.AsyncConnection, tables: list[Table], target_url: str) -> None:
    if full := await tables_with_rows(target, tables):
        listed = ", ".join(f"{name} {count} 件" for name, count in full.items())
        raise MigrateError(f"移行先 {shown(target_url)} には既にデータがあります（{listed}）。"
                           "空のデータベースを指定してください（createdb で新しく作れます）。"
                           " / the target database must be empty.")
