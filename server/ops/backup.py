"""Consistent backups while the server takes writes, and restoring them.

The database is copied with SQLite's online backup API in one step: the copy is one read
transaction, a snapshot, while writers go on in WAL. Photo files are written before the row
that records their arrival commits, and never change afterwards, so every photo the snapshot
says has arrived is on disk when we copy it. Everything else under the data folder
(generated reports) is copied as it is. A manifest lists every file with its sha256; restore
checks them all before it touches anything.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import msgspec

from server.photos.store import PhotoStore, sha256_of

MANIFEST = "manifest.json"
DB_NAME = "akiya.sqlite3"
DATA = "data"
_SKIPPED_DIRS = {"tmp", "partial"}  # uploads still arriving: the phone resends them


class BackupError(Exception):
    """Why a backup cannot be made or restored; the message says what to do."""


class BackupFile(msgspec.Struct):
    path: str  # relative to the backup folder
    sha256: str
    bytes: int


class Manifest(msgspec.Struct):
    created_at: str
    database: BackupFile
    files: list[BackupFile]
    counts: dict[str, int]


def _entry(root: Path, path: Path) -> BackupFile:
    return BackupFile(path.relative_to(root).as_posix(), sha256_of(path), path.stat().st_size)


def _refuse_postgres(db, action: str) -> None:
    """PostgreSQL mode (issue 15, item 6): refused, naming what to use for the database and for
    the photos and reports (in object storage or the data folder)."""
    from server.db import is_postgres_url

    if not is_postgres_url(db):
        return
    if action == "backup":
        database = "PostgreSQL のデータベースは pg_dump でバックアップしてください（例: pg_dump -Fc -f akiya.dump \"$AKIYA_DB\"）。"
        blobs = ("写真と報告書は、オブジェクトストレージ（AKIYA_STORAGE_URL=s3://…）ならバケットのバージョニングを有効にするか、"
                 "rclone sync で別のバケットやディスクへ定期的にコピーしてください"
                 "（例: rclone sync s3:バケット/接頭辞 backup:akiya-photos）。データフォルダーなら、そのフォルダーをコピーしてください。")
    else:
        database = "PostgreSQL のデータベースは pg_restore で復元してください（例: pg_restore --clean -d \"$AKIYA_DB\" akiya.dump）。"
        blobs = ("写真と報告書は、オブジェクトストレージならバージョニングで以前の版に戻すか、"
                 "rclone sync でバックアップからバケットへ書き戻してください。データフォルダーなら、コピーを戻してください。")
    raise BackupError(f"akiya {action} は SQLite のデータベースにしか使えません（AKIYA_DB が PostgreSQL です）。"
                      f"{database}{blobs} 詳しくは docs/postgres-port.md「バックアップするもの」を見てください。")


def _refuse_object_storage(storage_url: str | None, action: str) -> None:
    """Photos in object storage (AKIYA_STORAGE_URL): this command copies only the data folder; say what to use."""
    if storage_url:
        raise BackupError(
            f"akiya {action} は写真がデータフォルダーにある場合にしか使えません（AKIYA_STORAGE_URL でオブジェクトストレージを"
            "使っています）。写真はオブジェクトストレージ側の機能（バージョニング、レプリケーション、rclone sync など）で"
            "バックアップし、データベースは別にバックアップしてください。")


def backup(db_path: Path, data_dir: Path, target: Path, storage_url: str | None = None) -> Manifest:
    """Copy the database (a snapshot) and the files it refers to into `target`, which must be empty.
    Only for photos in the data folder (`storage_url` unset)."""
    _refuse_postgres(db_path, "backup")
    _refuse_object_storage(storage_url, "backup")
    db_path, data_dir, target = Path(db_path), Path(data_dir), Path(target)
    if not db_path.exists():
        raise BackupError(f"データベース {db_path} がありません。--db を確かめてください。")
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"バックアップ先 {target} が空ではありません。空のフォルダーを指定してください。")
    target.mkdir(parents=True, exist_ok=True)
    copy = target / DB_NAME
    source = sqlite3.connect(db_path, timeout=30)
    try:
        dest = sqlite3.connect(copy)
        try:
            source.backup(dest)  # all pages in one step: one consistent snapshot
            dest.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
        finally:
            dest.close()
    finally:
        source.close()
    files = _copy_data(copy, data_dir, target / DATA)
    manifest = Manifest(datetime.now(timezone.utc).isoformat(timespec="seconds"), _entry(target, copy),
                        [_entry(target, f) for f in files], _counts(copy))
    (target / MANIFEST).write_bytes(msgspec.json.format(msgspec.json.encode(manifest)))
    return manifest


def _copy_data(db_copy: Path, data_dir: Path, out: Path) -> list[Path]:
    photos = PhotoStore(data_dir / "photos")
    conn = sqlite3.connect(db_copy)
    conn.row_factory = sqlite3.Row
    try:
        arrived = [row["id"] for row in conn.execute("SELECT id FROM photos WHERE received_at IS NOT NULL ORDER BY id")]
    finally:
        conn.close()
    copied = []
    for photo_id in arrived:
        for path in (photos.original(photo_id), photos.report(photo_id), photos.thumb(photo_id)):
            if not path.exists():
                raise BackupError(f"写真ファイル {path} がありません。データフォルダーを確かめてください。")
            copied.append(_copy(path, out / path.relative_to(data_dir)))
    if data_dir.exists():
        for path in sorted(data_dir.rglob("*")):
            inside = path.relative_to(data_dir).parts
            if path.is_file() and inside[0] != "photos" and not path.name.startswith("."):
                copied.append(_copy(path, out / path.relative_to(data_dir)))
    return copied


def _copy(source: Path, dest: Path) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, dest)
    return dest


def _counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        tables = [r["name"] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: conn.execute(f'SELECT count(*) AS n FROM "{t}"').fetchone()["n"] for t in tables}
    finally:
        conn.close()


def read_manifest(source: Path) -> Manifest:
    """The backup's manifest, after checking every file it lists against its sha256."""
    source = Path(source)
    try:
        manifest = msgspec.json.decode((source / MANIFEST).read_bytes(), type=Manifest)
    except (OSError, msgspec.DecodeError) as exc:
        raise BackupError(f"{source} はバックアップではありません（{MANIFEST} を読めません）。") from exc
    for entry in [manifest.database, *manifest.files]:
        path = source / entry.path
        if not path.is_file() or sha256_of(path) != entry.sha256:
            raise BackupError(f"バックアップのファイル {entry.path} が壊れているか欠けています。別のバックアップを使ってください。")
    return manifest


def restore(source: Path, db_path: Path, data_dir: Path, force: bool = False,
            storage_url: str | None = None) -> Manifest:
    """Bring a backup back. Refuses when the database or the data folder already holds something,
    unless `force`: then what was there is moved aside (…before-restore-<time>), never deleted.
    Stop the server first. Only for photos in the data folder (`storage_url` unset)."""
    _refuse_postgres(db_path, "restore")
    _refuse_object_storage(storage_url, "restore")
    source, db_path, data_dir = Path(source), Path(db_path), Path(data_dir)
    manifest = read_manifest(source)
    occupied = [p for p in (db_path, data_dir) if p.exists() and (p.is_file() or any(p.iterdir()))]
    if occupied and not force:
        names = "、".join(str(p) for p in occupied)
        raise BackupError(f"{names} に既にデータがあります。上書きする場合は --force を付けてください"
                          "（元のデータは …before-restore-日時 という名前で残します）。")
    stamp = datetime.now().strftime("%Y%m%d%H%M%S")
    for path in occupied:
        path.rename(path.with_name(f"{path.name}.before-restore-{stamp}"))
    for suffix in ("-wal", "-shm"):  # leftovers of the database moved aside must not attach to the new one
        stale = db_path.with_name(db_path.name + suffix)
        if stale.exists():
            stale.rename(stale.with_name(f"{stale.name}.before-restore-{stamp}"))
    db_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source / manifest.database.path, db_path)
    data_dir.mkdir(parents=True, exist_ok=True)
    for entry in manifest.files:
        _copy(source / entry.path, data_dir / Path(entry.path).relative_to(DATA))
    return manifest
