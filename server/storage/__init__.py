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
from pathlib import Path

from server.storage.base import (
    CHUNK, BlobInfo, BlobNotFound, BlobStore, InvalidKey, Source, StorageUnreachable, check_key, chunks_of, photo_key,
)

__all__ = ["CHUNK", "BlobInfo", "BlobNotFound", "BlobStore", "InvalidKey", "Source", "StorageUnreachable",
           "check_key", "check_reachable", "chunks_of", "parse_storage_url", "photo_key", "storage_for"]


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
