"""Blobs as files under the data directory: key `photos/original/ab/ab….jpg` is
`AKIYA_DATA_DIR/photos/original/ab/ab….jpg`, today's layout.

A put writes a temporary file in the target's folder (a dot name, skipped by list()), fsyncs it
and renames it into place, so a reader never sees half a file and a crash leaves only a
temporary behind.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

from server.storage.base import CHUNK, BlobInfo, BlobNotFound, Source, check_key, chunks_of

TMP_PREFIX = ".put-"


class LocalStore:
    def __init__(self, root: Path):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root.joinpath(*check_key(key).split("/"))

    def local_path(self, key: str) -> Path | None:
        return self._path(key)

    async def put(self, key: str, source: Source, content_type: str | None = None) -> int:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{TMP_PREFIX}{target.name}.{uuid.uuid4().hex}")
        size = 0
        try:
            if isinstance(source, Path):
                size = await asyncio.to_thread(_copy_file, source, tmp)
            else:
                with open(tmp, "wb") as f:
                    async for block in chunks_of(source):
                        f.write(block)
                        size += len(block)
                    f.flush()
                    os.fsync(f.fileno())
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return size

    async def get(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        path = self._path(key)
        try:
            f = open(path, "rb")
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            raise BlobNotFound(key) from None
        with f:
            f.seek(start)
            remaining = None if end is None else max(0, end - start)
            while remaining is None or remaining > 0:
                want = CHUNK if remaining is None else min(CHUNK, remaining)
                block = await asyncio.to_thread(f.read, want)
                if not block:
                    break
                if remaining is not None:
                    remaining -= len(block)
                yield block

    async def open(self, key: str) -> tuple[BlobInfo, AsyncIterator[bytes]]:
        try:
            f = open(self._path(key), "rb")
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            raise BlobNotFound(key) from None
        stat = os.fstat(f.fileno())

        async def chunks() -> AsyncIterator[bytes]:
            with f:
                while block := await asyncio.to_thread(f.read, CHUNK):
                    yield block
        return BlobInfo(key, stat.st_size, modified=stat.st_mtime), chunks()

    async def get_to_path(self, key: str, path: Path) -> int:
        source = self._path(key)
        if not source.is_file():
            raise BlobNotFound(key)
        return await asyncio.to_thread(_copy_file, source, Path(path))

    async def head(self, key: str):
        try:
            stat = self._path(key).stat()
        except (FileNotFoundError, NotADirectoryError):
            return None
        if not os.path.isfile(self._path(key)):
            return None
        return BlobInfo(key, stat.st_size, modified=stat.st_mtime)

    async def exists(self, key: str) -> bool:
        return await self.head(key) is not None

    async def delete(self, key: str) -> None:
        try:
            self._path(key).unlink()
        except (FileNotFoundError, NotADirectoryError):
            pass

    async def list(self, prefix: str = "") -> AsyncIterator[BlobInfo]:
        found = await asyncio.to_thread(self._scan, prefix)
        for info in found:
            yield info

    def _scan(self, prefix: str) -> list[BlobInfo]:
        # Walk only the folder the prefix names (photos/original/ab/ → that folder), then filter.
        folder = prefix.rsplit("/", 1)[0] if "/" in prefix else ""
        start = self.root.joinpath(*folder.split("/")) if folder else self.root
        found = []
        for dirpath, dirnames, filenames in os.walk(start):
            dirnames.sort()
            for name in filenames:
                if name.startswith(TMP_PREFIX):
                    continue
                full = os.path.join(dirpath, name)
                key = os.path.relpath(full, self.root).replace(os.sep, "/")
                if key.startswith(prefix):
                    try:
                        found.append(BlobInfo(key, os.stat(full).st_size))
                    except FileNotFoundError:
                        continue  # deleted while listing
        found.sort(key=lambda info: info.key)
        return found

    async def close(self) -> None:
        pass


def _copy_file(source: Path, target: Path) -> int:
    size = 0
    with open(source, "rb") as src, open(target, "wb") as dst:
        while block := src.read(CHUNK):
            dst.write(block)
            size += len(block)
        dst.flush()
        os.fsync(dst.fileno())
    return size
