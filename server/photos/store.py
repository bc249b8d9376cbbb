"""Where a photo's bytes live on disk: the original as uploaded, and its upright derivatives."""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


class PhotoStore:
    def __init__(self, photos_dir: Path, scratch: Path | None = None):
        self.root = Path(photos_dir)
        self.scratch = scratch

    def _path(self, kind: str, photo_id: str, suffix: str = ".jpg") -> Path:
        return self.root / kind / photo_id[:2] / f"{photo_id}{suffix}"

    def original(self, photo_id: str) -> Path:
        return self._path("original", photo_id)

    def report(self, photo_id: str) -> Path:
        """Report-size, upright, no EXIF: what PDFs embed."""
        return self._path("report", photo_id)

    def thumb(self, photo_id: str) -> Path:
        return self._path("thumb", photo_id)

    def partial(self, photo_id: str) -> Path:
        """A resumable upload still arriving."""
        return self._path("partial", photo_id, ".part")

    def partial_dir(self) -> Path:
        """Where every resumable upload's partial lives (expired by server/photos/partials.py)."""
        return self.root / "partial"

    def prepare(self, photo_id: str) -> None:
        """Make the folders this photo's files go into."""
        for kind in ("original", "report", "thumb"):
            self._path(kind, photo_id).parent.mkdir(parents=True, exist_ok=True)

    def scratch_root(self) -> Path:
        """Where every server process has its own scratch folder (server/photos/scratch.py)."""
        return self.root / "tmp"

    def scratch_dir(self) -> Path:
        """This process's folder for uploads being received: PhotoStore(..., scratch=state.scratch.path)."""
        if self.scratch is None:
            raise RuntimeError("PhotoStore has no scratch folder: pass scratch=state.scratch.path")
        return self.scratch
