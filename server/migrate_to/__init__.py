"""`akiya migrate-to postgresql://…`: move a SQLite installation to PostgreSQL (and its photos and
reports to object storage with `--storage-url s3://bucket/prefix`), verified by counts and hashes.

Order, so that a failure leaves the target database empty and the command can simply be run again:

1. The source is opened and its write lock taken (BEGIN IMMEDIATE) for the whole run: nothing can
   change it meanwhile, and a server still running gets "database is locked" instead of writing
   records that would be left behind. Stop the server first; the command refuses while a write
   is in progress. The source is first brought to the current schema, as `akiya serve` would.
2. The target is migrated to the same schema version and must hold no records.
3. With `--storage-url`: every file under the data directory (server/migrate_to/blobs.py) is put
   into the store and checked (size and sha256 on both sides). A mismatch stops here.
4. Every table (server/migrate_to/tables.py) is copied in one PostgreSQL transaction, sequences
   are moved past the ids, and each table's row count and content hash are compared before the
   commit: a mismatch rolls the whole copy back.
5. The migration is written to the target's audit log (`database.migrate_to`).

`verify()` runs the checks of 3 and 4 again on a finished migration, copying nothing.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import psycopg
from botocore.exceptions import BotoCoreError, ClientError

from server import audit
from server.db import Database
from server.db.migrate import migration_files
from server.db.migrate_pg import apply_migrations_pg, schema_version_pg
from server.db.postgres import PgConnection
from server.db.url_password import hidden, shown
from server.migrate_to import control_chars
from server.migrate_to.blobs import BlobCheck, copy_blobs, source_blobs, verify_blobs
from server.migrate_to.digest import postgres_digest, sqlite_digest
from server.migrate_to.report import Report, TableCheck
from server.migrate_to.rows import copy_table, postgres_columns, reset_sequences, set_deferred, tables_with_rows
from server.migrate_to.tables import NOT_COPIED, SchemaError, Table, source_tables
from server.storage import storage_for

ACTION = "database.migrate_to"
AUDITED = "audit_log"  # the table the migration itself writes to, after verifying
TEXT_TYPES = {"text", "character varying", "character"}
# Column types whose values read back as int, float, str or bytes (what the digests compare).
COMPARABLE_TYPES = TEXT_TYPES | {"bigint", "integer", "smallint", "double precision", "bytea"}
LOCK_WAIT = 5.0  # seconds to wait for a write in progress on the source before refusing


class MigrateError(Exception):
    """Why the migration cannot start or go on; the message says what to do."""


def _quiet(text: str) -> None:
    pass


class _Mismatch(Exception):
    """Verification failed inside the copy transaction: roll it back."""


async def _open_source(path: Path, lock: bool) -> sqlite3.Connection:
    path = Path(path)
    if not path.is_file():
        raise MigrateError(f"移行元のデータベース {path} がありません。--db（AKIYA_DB）を確かめてください。")
    latest = len(migration_files())
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


async def _open_target(url: str, migrate: bool) -> psycopg.AsyncConnection:
    try:
        conn = await psycopg.AsyncConnection.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        raise MigrateError(f"移行先 {shown(url)} に接続できません / cannot connect: {hidden(str(exc), url)}") from None
    try:
        version = await (apply_migrations_pg(conn) if migrate else schema_version_pg(conn))
        if version != len(migration_files()):
            raise MigrateError(f"移行先 {shown(url)} のスキーマ（{version}）がこの akiya（{len(migration_files())}）と違います。")
    except BaseException:
        await conn.close()
        raise
    return conn


def _check_schema(tables: list[Table], columns: dict[str, dict[str, str]]) -> None:
    for table in tables:
        have = columns.get(table.name, {})
        missing = [c for c in table.columns if c not in have]
        if missing:
            raise MigrateError(f"移行先に {table.name} の列 {', '.join(missing)} がありません（スキーマが違います）。")
        other = [f"{c} {have[c]}" for c in table.columns if have[c] not in COMPARABLE_TYPES]
        if other:
            raise MigrateError(f"{table.name} の列 {', '.join(other)} は比べられない型です / cannot compare "
                               "(server/migrate_to/digest.py compares int, float, text and bytes)")


async def _compare(source: sqlite3.Connection, target: psycopg.AsyncConnection, tables: list[Table],
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


def _tables(source: sqlite3.Connection) -> list[Table]:
    try:
        return source_tables(source)
    except SchemaError as exc:
        raise MigrateError(f"表をコピーできません / cannot copy: {exc}") from exc


def _store(storage_url: str, data_dir: Path):
    try:
        return storage_for(storage_url, data_dir)
    except ValueError as exc:
        raise MigrateError(f"--storage-url: {exc}") from exc


def _report(db_path: Path, source: sqlite3.Connection, target_url: str, storage_url: str | None) -> Report:
    present = {row[0] for row in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return Report(str(db_path), shown(target_url), storage_url,
                  not_copied={name: why for name, why in NOT_COPIED.items() if name in present})


async def _refuse_records(target: psycopg.AsyncConnection, tables: list[Table], target_url: str) -> None:
    if full := await tables_with_rows(target, tables):
        listed = ", ".join(f"{name} {count} 件" for name, count in full.items())
        raise MigrateError(f"移行先 {shown(target_url)} には既にデータがあります（{listed}）。"
                           "空のデータベースを指定してください（createdb で新しく作れます）。"
                           " / the target database must be empty.")


async def _move_files(source: sqlite3.Connection, data_dir: Path, storage_url: str, say) -> BlobCheck:
    store = _store(storage_url, data_dir)
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


async def _move_rows(source: sqlite3.Connection, target: psycopg.AsyncConnection, tables: list[Table],
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
            report.tables = await _compare(source, target, tables, columns, after_audit=False)
            if not report.ok:
                raise _Mismatch
    except _Mismatch:
        pass
    except psycopg.Error as exc:
        raise MigrateError(f"移行先のデータベースでエラーになりました / database error: {exc}") from exc


async def _audit(target: psycopg.AsyncConnection, db_path: Path, storage_url: str | None, report: Report) -> None:
    async with target.transaction():
        await audit.record(PgConnection(target), audit.SYSTEM, ACTION, "database", None, {
            "source": str(db_path), "storage": storage_url,
            "rows": {t.name: t.target.rows for t in report.tables},
            "objects": report.blobs.objects if report.blobs else None,
            "bytes": report.blobs.bytes if report.blobs else None})


def _control_chars(source: sqlite3.Connection, tables: list[Table], clean: bool, say) -> None:
    """Older rows holding control characters, before anything is copied (server/migrate_to/control_chars.py)."""
    findings = control_chars.find(source, tables)
    if not findings:
        return
    say(f"制御文字を含む値 {len(findings)} 件 / values holding control characters:\n{control_chars.listed(findings)}")
    if clean:
        control_chars.clean(source, tables, findings)
        source.execute("COMMIT")  # the source keeps what the target gets: the hashes compare equal
        source.execute("BEGIN IMMEDIATE")
        say(f"{len(findings)} 件の制御文字を U+FFFD に置き換えました（監査ログ {control_chars.ACTION}） / replaced")
    elif any(f.nul for f in findings):
        raise MigrateError("移行元に NUL 文字を含む値があり、PostgreSQL には保存できません（上の一覧）。"
                           "--clean-control-chars を付けて実行すると U+FFFD に置き換えてから移行します。"
                           " / NUL cannot be stored in PostgreSQL text: run again with --clean-control-chars.")


async def migrate_to(db_path: Path, data_dir: Path, target_url: str, storage_url: str | None = None,
                     say=_quiet, clean_control_chars: bool = False) -> Report:
    """Copy and verify; the report says what matched (the target database is left empty unless
    everything did). MigrateError when it cannot start or go on. `say(text)` hears of each step."""
    source = await _open_source(db_path, lock=True)
    try:
        tables = _tables(source)
        _control_chars(source, tables, clean_control_chars, say)
        report = _report(db_path, source, target_url, storage_url)
        target = await _open_target(target_url, migrate=True)
        try:
            columns = await postgres_columns(target)
            _check_schema(tables, columns)
            await _refuse_records(target, tables, target_url)
            if storage_url:
                report.blobs = await _move_files(source, data_dir, storage_url, say)
                if not report.blobs.ok:
                    return report
            await _move_rows(source, target, tables, columns, report, say)
            if report.ok:
                await _audit(target, db_path, storage_url, report)
        finally:
            await target.close()
    finally:
        source.close()
    return report


async def verify(db_path: Path, data_dir: Path, target_url: str, storage_url: str | None = None,
                 say=_quiet) -> Report:
    """The checks of a migration again, on what it left: nothing is copied or written."""
    source = await _open_source(db_path, lock=False)
    try:
        tables = _tables(source)
        report = _report(db_path, source, target_url, storage_url)
        target = await _open_target(target_url, migrate=False)
        try:
            columns = await postgres_columns(target)
            _check_schema(tables, columns)
            report.tables = await _compare(source, target, tables, columns, after_audit=True)
        finally:
            await target.close()
        if storage_url:
            store = _store(storage_url, data_dir)
            try:
                report.blobs = await verify_blobs(source, data_dir, store, await source_blobs(data_dir), say)
            finally:
                await store.close()
    finally:
        source.close()
    return report
