"""Copying the files under the data directory (photos, generated reports) into the target blob store,
and checking every object afterwards: size and sha256 on both sides.

Keys are the paths under the data directory (`photos/original/ab/ab….jpg`, server/storage
`photo_key()`), so the new server finds each file where it looks for it. Not copied: upload
partials (`photos/partial/`: the phone resends what never finished), the server processes'
scratch folders (`photos/tmp/`), the report-photo cache (`photos/cache/`) and hidden files (lock
files, half-written temporaries).

On top of comparing both sides, every photo the database says has arrived must have its original
and both derivatives, and the original must have the sha256 its row records.
"""

from __future__ import annotations

import asyncio
import hashlib
import mimetypes
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from server.photos.store import PhotoStore, sha256_of
from server.storage import BlobInfo, BlobNotFound, BlobStore, photo_key
from server.storage.local import LocalStore

CONCURRENCY = 8
SLICE = 1000  # blobs handed to the event loop at once (memory stays flat for a million files)
PHOTO_KINDS = ("original", "report", "thumb")
MAX_PROBLEMS = 20  # named one by one; the count says how many more


def skipped_prefixes(data_dir: Path) -> tuple[str, ...]:
    """Keys under these prefixes are not copied: upload partials, per-process scratch, and the cache
    of report-size photos fetched from object storage (PhotoStore.cache, under photos/cache/)."""
    store = PhotoStore(data_dir / "photos")
    kept_elsewhere = (store.partial_dir(), store.scratch_root(), store.root / "cache")
    return tuple(p.relative_to(data_dir).as_posix() + "/" for p in kept_elsewhere)


def _copied(key: str, skipped: tuple[str, ...]) -> bool:
    return not key.startswith(skipped) and not any(part.startswith(".") for part in key.split("/"))


async def source_blobs(data_dir: Path) -> list[BlobInfo]:
    """Every file under the data directory that moves, in key order."""
    skipped = skipped_prefixes(data_dir)
    return [info async for info in LocalStore(data_dir).list() if _copied(info.key, skipped)]


async def _each(items: list, work, say=None, label: str = "") -> list:
    """`work(item)` for every item, CONCURRENCY at a time, a slice of the list in flight at once."""
    gate = asyncio.Semaphore(CONCURRENCY)
    results: list = []

    async def one(item):
        async with gate:
            return await work(item)
    for start in range(0, len(items), SLICE):
        results += await asyncio.gather(*(one(item) for item in items[start:start + SLICE]))
        if say:
            say(f"{label} {len(results):,}/{len(items):,}")
    return results


async def copy_blobs(data_dir: Path, target: BlobStore, blobs: list[BlobInfo], say=None) -> tuple[int, int]:
    """Put every blob the target lacks (or holds with another size) into it: (files put, bytes put).
    What is there already is left for verify_blobs to hash, so files copied beforehand (rclone copy
    while the server still runs) or by an interrupted run are not sent again."""
    source = LocalStore(data_dir)
    there = {info.key: info.size async for info in target.list()}
    missing = [info for info in blobs if there.get(info.key) != info.size]

    async def put(info: BlobInfo) -> int:
        return await target.put(info.key, source.local_path(info.key), mimetypes.guess_type(info.key)[0])
    if say and len(missing) < len(blobs):
        say(f"{len(blobs) - len(missing):,} 個は移行先に同じ大きさであります（内容は後で sha256 で確かめます）"
            " / already there with the same size (hashed below)")
    return len(missing), sum(await _each(missing, put, say, "ファイルのコピー / copying files"))


@dataclass
class BlobCheck:
    objects: int = 0
    bytes: int = 0
    photos: int = 0  # arrived photos whose three files were checked against their row
    put: int | None = None  # files sent by this run (the others were there already); None: only checked
    problems: list[str] = field(default_factory=list)
    more_problems: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem(self, text: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(text)
        else:
            self.more_problems += 1


async def _target_sha256(target: BlobStore, key: str) -> tuple[int, str] | None:
    digest, size = hashlib.sha256(), 0
    try:
        async for block in target.get(key):
            digest.update(block)
            size += len(block)
    except BlobNotFound:
        return None
    return size, digest.hexdigest()


async def verify_blobs(source_db: sqlite3.Connection, data_dir: Path, target: BlobStore,
                       blobs: list[BlobInfo], say=None) -> BlobCheck:
    """Size and sha256 of every blob on both sides, and every arrived photo's files against its row."""
    check = BlobCheck()
    source = LocalStore(data_dir)
    hashes: dict[str, str] = {}

    async def compare(info: BlobInfo) -> None:
        path = source.local_path(info.key)
        wanted = (path.stat().st_size, await asyncio.to_thread(sha256_of, path))
        hashes[info.key] = wanted[1]
        got = await _target_sha256(target, info.key)
        if got is None:
            check.problem(f"{info.key}: 移行先にありません / missing in the target")
        elif got != wanted:
            check.problem(f"{info.key}: 移行先の内容が違います / differs in the target "
                          f"({got[0]} bytes sha256 {got[1][:12]}… ≠ {wanted[0]} bytes {wanted[1][:12]}…)")
        else:
            check.objects += 1
            check.bytes += wanted[0]
    await _each(blobs, compare, say, "ファイルの確認 / checking files")

    arrived = source_db.execute("SELECT id, sha256 FROM photos WHERE received_at IS NOT NULL ORDER BY id").fetchall()
    for photo_id, recorded in arrived:
        missing = [kind for kind in PHOTO_KINDS if photo_key(kind, photo_id) not in hashes]
        if missing:
            check.problem(f"写真 {photo_id}: データフォルダーに {', '.join(missing)} がありません / "
                          f"photo files missing in the data directory")
        elif hashes[photo_key("original", photo_id)] != recorded:
            check.problem(f"写真 {photo_id}: 原本の sha256 が記録と違います / original differs from photos.sha256")
        else:
            check.photos += 1
    return check
