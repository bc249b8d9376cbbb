"""What every blob store shares: keys, blob info, the store interface and how a put source is read
in chunks. The stores are server/storage/local.py and server/storage/s3.py; which one runs is
chosen in server/storage/__init__.py."""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Protocol, Union

CHUNK = 1 << 20  # bytes per chunk read from a file or yielded by get()

Source = Union[bytes, bytearray, memoryview, Path, AsyncIterable[bytes]]


class BlobNotFound(KeyError):
    """No blob under that key."""


class StorageUnreachable(RuntimeError):
    """The store cannot be used (no such bucket, refused credentials, no answer); the message says which."""


class InvalidKey(ValueError):
    """A key that is not a plain relative path (empty, absolute, `..`, backslash...)."""


@dataclass(frozen=True)
class BlobInfo:
    key: str
    size: int
    # What head() learns besides the size (list() may leave them None); not part of equality.
    modified: float | None = field(default=None, compare=False)  # epoch seconds
    etag: str | None = field(default=None, compare=False)  # the store's own entity tag, quoted


def check_key(key: str) -> str:
    """The key if it is a plain relative POSIX path, else InvalidKey."""
    if not isinstance(key, str) or not key or key.startswith("/") or "\\" in key or "\x00" in key:
        raise InvalidKey(repr(key))
    parts = key.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise InvalidKey(repr(key))
    return key


def photo_key(kind: str, photo_id: str, suffix: str = ".jpg") -> str:
    """The key of a photo file, the same path PhotoStore uses under the data directory."""
    return str(PurePosixPath("photos", kind, photo_id[:2], f"{photo_id}{suffix}"))


class BlobStore(Protocol):
    async def put(self, key: str, source: Source, content_type: str | None = None) -> int:
        """Store the whole source under key (replacing any blob there); returns its size."""

    def get(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        """The blob's bytes [start, end) in chunks; BlobNotFound (on first iteration) if missing."""

    async def open(self, key: str) -> tuple[BlobInfo, AsyncIterator[bytes]]:
        """The blob's info and its bytes in chunks, from one request: BlobNotFound at once if missing
        (so an HTTP response can still say 404 before it starts)."""

    async def get_to_path(self, key: str, path: Path) -> int:
        """Copy the blob into a local file (reportlab embeds JPEGs fastest from paths); its size."""

    async def head(self, key: str) -> BlobInfo | None:
        """Size of the blob, or None if there is none."""

    async def exists(self, key: str) -> bool: ...

    async def delete(self, key: str) -> None:
        """Remove the blob; no error if there was none."""

    def list(self, prefix: str = "") -> AsyncIterator[BlobInfo]:
        """Every blob whose key starts with prefix, in key order."""

    def local_path(self, key: str) -> Path | None:
        """The file holding the blob when the store is a local directory, else None."""

    async def close(self) -> None: ...


async def chunks_of(source: Source) -> AsyncIterator[bytes]:
    """Any put() source as an async iterator of byte chunks."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        if len(source):
            yield bytes(source)
    elif isinstance(source, Path):
        with open(source, "rb") as f:
            while block := f.read(CHUNK):
                yield block
    else:
        async for block in source:
            if block:
                yield bytes(block)
