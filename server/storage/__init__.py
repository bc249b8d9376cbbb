"""Where blobs live: photos (originals, derivatives) and generated reports, by key.

A key is a relative POSIX path, the same one the local layout uses under AKIYA_DATA_DIR:
`photos/original/ab/abcdef….jpg`, `photos/report/ab/….jpg`, `photos/thumb/ab/….jpg`
(server/photos/store.py), `reports/…`. Two backends with one interface:

- `LocalStore` (AKIYA_STORAGE_URL unset): files under AKIYA_DATA_DIR, exactly where they are today.
- `S3Store` (AKIYA_STORAGE_URL=s3://bucket/prefix, AKIYA_S3_ENDPOINT_URL for a non-AWS endpoint,
  credentials from the standard AWS variables): objects `prefix/key` in the bucket, uploaded in
  one request when small and in parts (multipart) when large.

Both stream: `put` takes bytes, a local file or an async iterator of chunks and never holds a
large object in memory; `get` yields chunks. A put is atomic: readers see the old object or the
whole new one, never a part.

Resumable upload partials are not blobs: they stay on local scratch (server/photos/partials.py)
until complete, then the whole photo is put.
"""

from __future__ import annotations

import os
import re
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


_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")


def parse_storage_url(url: str) -> tuple[str, str]:
    """(bucket, prefix) of `s3://bucket[/prefix]`; ValueError saying what is expected otherwise.
    The message never repeats the URL: a mistyped one may carry a secret."""
    expected = "AKIYA_STORAGE_URL must be s3://bucket or s3://bucket/prefix"
    if not isinstance(url, str) or not url.startswith("s3://"):
        raise ValueError(f"{expected} (or unset: photos stay in the data folder)")
    bucket, _, prefix = url[len("s3://"):].partition("/")
    if "@" in bucket or ":" in bucket:
        raise ValueError(f"{expected}; credentials go in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, "
                         "the endpoint in AKIYA_S3_ENDPOINT_URL")
    if not _BUCKET.match(bucket):
        raise ValueError(f"{expected}: the bucket name is 3-63 lowercase letters, digits, dots or hyphens")
    prefix = prefix.strip("/")
    if prefix:
        try:
            check_key(prefix)
        except InvalidKey:
            raise ValueError(f"{expected}: the prefix is a plain path (no empty, '.' or '..' parts)") from None
        if any(c in prefix for c in "?#"):
            raise ValueError(f"{expected}: the prefix has no '?' or '#'")
    return bucket, prefix


def storage_for(source, data_dir: Path | None = None, endpoint_url: str | None = None) -> BlobStore:
    """The blob store the settings name: `storage_for(settings)`. AKIYA_STORAGE_URL unset is the
    data directory (LocalStore); s3://bucket/prefix is S3-compatible storage at AKIYA_S3_ENDPOINT_URL
    (unset: AWS). Also `storage_for(url, data_dir, endpoint_url)` with the pieces. One store per
    process: it holds the S3 client (close() it at shutdown)."""
    if hasattr(source, "storage_url"):
        url, data_dir = source.storage_url, source.data_dir
        endpoint_url = endpoint_url or source.s3_endpoint_url
    else:
        url = source
    if not url:
        from server.storage.local import LocalStore

        return LocalStore(Path(data_dir))
    from server.storage.s3 import S3Store

    bucket, prefix = parse_storage_url(url)
    return S3Store(bucket, prefix, endpoint_url=endpoint_url or os.environ.get("AKIYA_S3_ENDPOINT_URL") or None)


async def check_reachable(store: BlobStore) -> None:
    """One listing request, so a wrong bucket, endpoint or key stops the server at start with a
    message (the credentials are not in it) instead of failing every upload later."""
    try:
        async for _ in store.list("photos/original/00/"):
            break
    except Exception as exc:  # botocore and aiohttp raise many kinds; all mean the same to the operator
        code = getattr(exc, "response", {}).get("Error", {}).get("Code") if hasattr(exc, "response") else None
        where = getattr(store, "endpoint_url", None) or "AWS"
        raise StorageUnreachable(
            f"object storage AKIYA_STORAGE_URL (bucket {getattr(store, 'bucket', '?')!r} at {where}) cannot be used: "
            f"{code or type(exc).__name__}. Check the bucket, AKIYA_S3_ENDPOINT_URL and AWS_ACCESS_KEY_ID / "
            "AWS_SECRET_ACCESS_KEY.") from exc
