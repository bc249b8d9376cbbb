"""`akiya migrate-to postgresql://…`: move a SQLite installation to PostgreSQL (and its photos and
reports to object storage with `--storage-url s3://bucket/prefix`), verified by counts and hashes.

Order, so that a failure leaves the target database empty and the command can simply be run again:

1. The source is opened and its write lock taken (BEGIN IMMEDIATE) for the whole run: nothing can
   change it meanwhile, and a server still running gets "database is locked" instead of writing
   records that would be left behind. Stop the server first; the command refuses while a write
   is in progress. The source is first brought to the current schema, as `akiya serve` would.
2. The target is migrated to the same schema version and must hold no records.
3. With `--storage-url`: every file under the data directory (server/ops/migrate_to/blobs.py) is put
   into the store and checked (size and sha256 on both sides). A mismatch stops here.
4. Every table (server/ops/migrate_to/tables.py) is copied in one PostgreSQL transaction, sequences
   are moved past the ids, and each table's row count and content hash are compared before the
   commit: a mismatch rolls the whole copy back.
5. The migration is written to the target's audit log (`database.migrate_to`).

`verify()` runs the checks of 3 and 4 again on a finished migration, copying nothing.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from server.ops.migrate_to import control_chars
from server.ops.migrate_to.blobs import source_blobs, verify_blobs
from server.ops.migrate_to.transfer import compare, move_files, move_rows, record_migration, store_for
from server.ops.migrate_to.ends import (
    MigrateError, check_schema, open_source, open_target, refuse_records, shown, tables_of,
)
from server.ops.migrate_to.report import Report
from server.ops.migrate_to.rows import postgres_columns
from server.ops.migrate_to.tables import NOT_COPIED, Table

__all__ = ["MigrateError", "migrate_to", "shown", "verify"]


def _quiet(text: str) -> None:
    pass


def report_for(db_path: Path, source: sqlite3.Connection, target_url: str, storage_url: str | None) -> Report:
    present = {row[0] for row in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return Report(str(db_path), shown(target_url), storage_url,
                  not_copied={name: why for name, why in NOT_COPIED.items() if name in present})


def _control_chars(source: sqlite3.Connection, tables: list[Table], clean: bool, say) -> None:
    """Older rows holding control characters, before anything is copied (control_chars.py)."""
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
    source = await open_source(db_path, lock=True)
    try:
        tables = tables_of(source)
        _control_chars(source, tables, clean_control_chars, say)
        report = report_for(db_path, source, target_url, storage_url)
        target = await open_target(target_url, migrate=True)
        try:
            columns = await postgres_columns(target)
            check_schema(tables, columns)
            await refuse_records(target, tables, target_url)
            if storage_url:
                report.blobs = await move_files(source, data_dir, storage_url, say)
                if not report.blobs.ok:
                    return report
            await move_rows(source, target, tables, columns, report, say)
            if report.ok:
                await record_migration(target, db_path, storage_url, report)
        finally:
            await target.close()
    finally:
        source.close()
    return report


async def verify(db_path: Path, data_dir: Path, target_url: str, storage_url: str | None = None,
                 say=_quiet) -> Report:
    """The checks of a migration again, on what it left: nothing is copied or written."""
    source = await open_source(db_path, lock=False)
    try:
        tables = tables_of(source)
        report = report_for(db_path, source, target_url, storage_url)
        target = await open_target(target_url, migrate=False)
        try:
            columns = await postgres_columns(target)
            check_schema(tables, columns)
            report.tables = await compare(source, target, tables, columns, after_audit=True)
        finally:
            await target.close()
        if storage_url:
            store = store_for(storage_url, data_dir)
            try:
                report.blobs = await verify_blobs(source, data_dir, store, await source_blobs(data_dir), say)
            finally:
                await store.close()
    finally:
        source.close()
    return report
