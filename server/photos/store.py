"""Where a photo's bytes live. The original as uploaded and its upright derivatives are blobs
(server/storage) under `photo_key(kind, id)`: files under the data folder, or objects in S3-compatible
storage when AKIYA_STORAGE_URL is set. Uploads still arriving always stay on this machine's disk under
the data folder: resumable partials (server/photos/partials.py) and each process's scratch folder
(server/photos/scratch.py), where a finished upload is checked and its derivatives are made before
`keep()` stores them.
"""

from __future__ import annotations

import asyncio
import errno
import hashlib
import logging
import os
import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path

from server.photos.report_cache import ReportCache
from server.storage import BlobStore, StorageUnreachable, photo_key
from server.storage.local import TMP_PREFIX, LocalStore

log = logging.getLogger("akiya")

KINDS = ("original", "report", "thumb")
DEFAULT_CACHE_BYTES = 1024 * 1024 * 1024


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


class PhotoStore:
    """`PhotoStore(settings.photos_dir)` alone is the data folder as the store (tests, tools);
    the server makes one per process with `for_settings()`, sharing the app's blob store."""

    def __init__(self, photos_dir: Path, scratch: Path | None = None, blobs: BlobStore | None = None,
                 cache_bytes: int = DEFAULT_CACHE_BYTES):
        self.root = Path(photos_dir)
        self.scratch = scratch
        self.blobs: BlobStore = blobs if blobs is not None else LocalStore(self.root.parent)
        self.local = self.blobs.local_path(photo_key("report", "00")) is not None
        # PDFs need report-size photos as files: with object storage they are fetched into a cache.
        self.cache = None if self.local else ReportCache(self.root / "cache" / "report", cache_bytes, self.blobs)

    @classmethod
    def for_settings(cls, settings, blobs: BlobStore, scratch: Path | None = None) -> "PhotoStore":
        return cls(settings.photos_dir, scratch=scratch, blobs=blobs, cache_bytes=settings.photo_cache_mb * 1024 * 1024)

    # --- the stored files in the data folder's layout (where LocalStore keeps them) ---------------

    def _path(self, kind: str, photo_id: str, suffix: str = ".jpg") -> Path:
        return self.root / kind / photo_id[:2] / f"{photo_id}{suffix}"

    def original(self, photo_id: str) -> Path:
        """The original's file in the data folder (with object storage it is not there: see `blobs`)."""
        return self._path("original", photo_id)

    def report(self, photo_id: str) -> Path:
        """Report-size, upright, no EXIF: what PDFs embed (data-folder layout, as `original`)."""
        return self._path("report", photo_id)

    def thumb(self, photo_id: str) -> Path:
        return self._path("thumb", photo_id)

    def prepare(self, photo_id: str) -> None:
        """Make the data folder's folders for this photo's files (tools writing the layout directly)."""
        for kind in KINDS:
            self._path(kind, photo_id).parent.mkdir(parents=True, exist_ok=True)

    # --- uploads being received: always on local disk ---------------------------------------------

    def partial(self, photo_id: str) -> Path:
        """A resumable upload still arriving."""
        return self._path("partial", photo_id, ".part")

    def partial_dir(self) -> Path:
        """Where every resumable upload's partial lives (expired by server/photos/partials.py)."""
        return self.root / "partial"

    def scratch_root(self) -> Path:
        """Where every server process has its own scratch folder (server/photos/scratch.py)."""
        return self.root / "tmp"

    def scratch_dir(self) -> Path:
        """This process's folder for uploads being received: PhotoStore(..., scratch=state.scratch.path)."""
        if self.scratch is None:
            raise RuntimeError("PhotoStore has no scratch folder: pass scratch=state.scratch.path")
        return self.scratch

    # --- storing and reading ----------------------------------------------------------------------

    async def keep(self, photo_id: str, files: dict[str, Path]) -> None:
        """Store a photo's files ({"original": path, "report": path, "thumb": path}) under their keys.
        Returns once every one is stored whole: only then may the arrival be recorded. The data
        folder takes them by rename (scratch is on the same disk); object storage by upload, the
        three at once. Storing the same photo again replaces it with the same bytes. StorageUnreachable
        when object storage refuses or does not answer (after the client's retries)."""
        if self.local:
            await asyncio.to_thread(self._move_all_into_place, photo_id, files)
            return
        from server.storage.s3 import TRANSIENT_ERRORS

        try:
            await asyncio.gather(*(self.blobs.put(photo_key(kind, photo_id), Path(path), content_type="image/jpeg")
                                   for kind, path in files.items()))
        except TRANSIENT_ERRORS as exc:
            log.warning("object storage refused or did not answer storing photo %s: %r", photo_id, exc)
            raise StorageUnreachable(f"storing photo {photo_id} failed: {type(exc).__name__}") from exc

    def _move_all_into_place(self, photo_id: str, files: dict[str, Path]) -> None:
        for kind, path in files.items():
            self._move_into_place(photo_key(kind, photo_id), path)

    def _move_into_place(self, key: str, source: Path) -> None:
        target = self.blobs.local_path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(source, target)
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            # Scratch on another disk: copy under a name LocalStore.list() skips, then rename.
            tmp = target.with_name(f"{TMP_PREFIX}{target.name}.{uuid.uuid4().hex}")
            try:
                shutil.copyfile(source, tmp)
                os.replace(tmp, target)
            finally:
                tmp.unlink(missing_ok=True)

    async def size(self, photo_id: str, kind: str = "original") -> int | None:
        info = await self.blobs.head(photo_key(kind, photo_id))
        return None if info is None else info.size

    async def report_files(self, photo_ids: Iterable[str]) -> dict[str, Path]:
        """photo id → a local file of its report-size image, for the PDF renderer; ids with none are left out.
        The data folder's own files; with object storage, copies in the bounded local cache."""
        if self.cache is not None:
            return await self.cache.paths(photo_ids)
        found = {}
        for photo_id in dict.fromkeys(photo_ids):
            path = self.blobs.local_path(photo_key("report", photo_id))
            if path is not None and path.is_file():
                found[photo_id] = path
        return found
