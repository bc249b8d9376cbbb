"""What `akiya migrate-to` moves, in order: the files to object storage (checked by size and sha256),
then every table in one PostgreSQL transaction that commits only when each table's count and content
hash match, then the migration's own audit entry."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg
from botocore.exceptions import BotoCoreError, ClientError

from server.core import audit
from server.db.postgres import PgConnection
from server.ops.migrate_to.blobs import BlobCheck, copy_blobs, source_blobs, verify_blobs
from server.ops.migrate_to.digest import postgres_digest, sqlite_digest
from server.ops.migrate_to.ends import TEXT_TYPES, MigrateError
from server.ops.migrate_to.report import Report, TableCheck
from server.ops.migrate_to.rows import copy_table, reset_sequences, set_deferred
from server.ops.migrate_to.tables import Table
from server.storage import storage_for

ACTION = "database.migrate_to"
AUDITED = "audit_log"  # the table the migration itself writes to, after verifying


class _Mismatch(Exception):
    """Verification failed inside the copy transaction: roll it back."""


def store_for(storage_url: str, data_dir: Path):
    try:
        return storage_for(storage_url, data_dir)
    except ValueError as exc:
        raise MigrateError(f"--storage-url: {exc}") from exc


async def compare(source: sqlite3.Connection, target: psycopg.AsyncConnection, tables: list[Table],
                   columns: dict[str, dict[str, str]], after_audit: bool) -> list[TableCheck]:
    checks = []
    for table in tables:
        upto = None
        if after_audit and table.name == AUDITED:  # not the migration's own entry
            upto = source.execute(f"SELECT coalesce(max({table.key[0]}), 0) FROM {AUDITED}").fetchone()[0]
        text = {c for c, kind in columns[table.name].items() if kind in TEXT_TYPES}
        checks.append(TableCheck(table.name, sqlite_digest(source, table),
                                 await postgres_digest(target, table, text, upto)))
    return checks


async def move_files(source: sqlite3.Connection, data_dir: Path, storage_url: str, say) -> BlobCheck:
    store = store_for(storage_url, data_dir)
    try:
        await store.head("photos/original")  # reachable, credentials accepted: before a thousand requests fail
        blobs = await source_blobs(data_dir)
        say(f"ファイル {len(blobs):,} 個を {storage_url} へ / {len(blobs):,} files to {storage_url}")
        put, _ = await copy_blobs(data_dir, store, blobs, say)
        check = await verify_blobs(source, data_dir, store, blobs, say)
        check.put = put
        return check
    except (BotoCoreError, ClientError, OSError) as exc:
        raise MigrateError(f"ファイルを {storage_url} にコピーできませんでした / cannot copy files: {exc}") from exc
    finally:
        await store.close()


async def move_rows(source: sqlite3.Connection, target: psycopg.AsyncConnection, tables: list[Table],
                     columns: dict[str, dict[str, str]], report: Report, say) -> None:
    """Copy every table and compare, in one transaction: committed only if everything matches."""
    try:
        async with target.transaction():
            waiting = []
            for table in tables:
                try:
                    copied, later = await copy_table(source, target, table)
                except psycopg.Error as exc:
                    raise MigrateError(f"表 {table.name} をコピーできませんでした / cannot copy: {exc}") from exc
                waiting.append((table, later))
                say(f"{table.name}: {copied:,} 件コピーしました / rows copied")
            for table, later in waiting:
                await set_deferred(target, table, later)
            report.sequences = await reset_sequences(source, target, tables)
            say("件数と sha256 の確認 / comparing counts and hashes")
            report.tables = await compare(source, target, tables, columns, after_audit=False)
            if not report.ok:
                raise _Mismatch
    except _Mismatch:
        pass
    except psycopg.Error as exc:
        raise MigrateError(f"移行先のデータベースでエラーになりました / database error: {exc}") from exc


async def record_migration(target: psycopg.AsyncConnection, db_path: Path, storage_url: str | None, report: Report) -> None:
    async with target.transaction():
        await audit.record(PgConnection(target), audit.SYSTEM, ACTION, "database", None, {
            "source": str(db_path), "storage": storage_url,
            "rows": {t.name: t.target.rows for t in report.tables},
            "objects": report.blobs.objects if report.blobs else None,
            "bytes": report.blobs.bytes if report.blobs else None})
