"""Report-size photos as local files for the PDF renderer when the photos are in object storage.

reportlab embeds a JPEG fastest from a path (a survey with 600 photos: ~1 s from files, 12.8 s and
2 GB from memory), so before a document is drawn its photos are fetched into `photos/cache/report/`
under the data folder and drawn from there. A stored photo never changes, so a cached copy stays
good; each is written under a temporary name and renamed, so a reader sees it whole or not at all.
The folder is bounded: once this process has added a tenth of `max_bytes` since it last looked, it
adds the folder up and, past `max_bytes`, deletes the least recently used files down to 80 %, never
one used in the last KEEP_SECONDS (a document being drawn may still read it). Several processes may
share the folder. With the data folder as the store there is no cache: PDFs read the stored files.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import Iterable
from pathlib import Path

from server.storage import BlobNotFound, BlobStore, photo_key

FETCHES = 16  # report photos fetched at once for one document
KEEP_SECONDS = 600


class ReportCache:
    def __init__(self, root: Path, max_bytes: int, blobs: BlobStore):
        self.root, self.max_bytes, self.blobs = Path(root), max_bytes, blobs
        self._added = 0

    def path(self, photo_id: str) -> Path:
        return self.root / photo_id[:2] / f"{photo_id}.jpg"

    async def paths(self, photo_ids: Iterable[str]) -> dict[str, Path]:
        """photo id → cached file of its report-size image (fetched if needed); missing blobs are left out."""
        gate = asyncio.Semaphore(FETCHES)

        async def one(photo_id: str) -> tuple[str, Path | None]:
            path = self.path(photo_id)
            try:
                os.utime(path)  # used now: the last to be trimmed
                return photo_id, path
            except FileNotFoundError:
                pass
            async with gate:
                return photo_id, await self._fetch(photo_id, path)

        found = await asyncio.gather(*(one(photo_id) for photo_id in dict.fromkeys(photo_ids)))
        if self._added > self.max_bytes // 10:
            self._added = 0
            await asyncio.to_thread(self.trim)
        return {photo_id: path for photo_id, path in found if path is not None}

    async def _fetch(self, photo_id: str, path: Path) -> Path | None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
        try:
            size = await self.blobs.get_to_path(photo_key("report", photo_id), tmp)
            os.replace(tmp, path)
        except BlobNotFound:
            return None
        finally:
            tmp.unlink(missing_ok=True)
        self._added += size
        return path

    def trim(self, now: float | None = None) -> int:
        """Delete least recently used files while the folder holds more than max_bytes; how many."""
        now = time.time() if now is None else now
        files = []
        for dirpath, _, names in os.walk(self.root):
            for name in names:
                full = os.path.join(dirpath, name)
                try:
                    stat = os.stat(full)
                except FileNotFoundError:
                    continue
                files.append((stat.st_mtime, stat.st_size, full))
        total = sum(size for _, size, _ in files)
        if total <= self.max_bytes:
            return 0
        deleted = 0
        for mtime, size, full in sorted(files):
            if total <= self.max_bytes * 0.8 or mtime > now - KEEP_SECONDS:
                break
            try:
                os.unlink(full)
            except FileNotFoundError:
                pass
            total -= size
            deleted += 1
        return deleted
