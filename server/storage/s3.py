"""Blobs as objects in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, rclone serve s3, ...).

Key `photos/original/ab/ab….jpg` is object `prefix/photos/original/ab/ab….jpg`. aiobotocore is
botocore on asyncio: credentials come from the standard AWS variables (AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_PROFILE, AWS_DEFAULT_REGION / AWS_REGION) and the
endpoint from AKIYA_S3_ENDPOINT_URL when it is not AWS. Path-style addressing, which every
S3-compatible server accepts.

A put of up to `part_size` bytes is one PutObject; a larger one is a multipart upload of
`part_size` parts (aborted on any error, so no orphan parts are left billed), holding one part
in memory at a time. S3 makes a completed object visible whole or not at all.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator
from pathlib import Path

from aiobotocore.config import AioConfig
from aiobotocore.session import get_session
from aiohttp import ClientError as HttpError
from botocore.exceptions import BotoCoreError, ClientError

from server.storage.base import CHUNK, BlobInfo, BlobNotFound, Source, check_key, chunks_of

# What a request to the storage can fail with once botocore has retried: refused (ClientError: 5xx,
# SlowDown, AccessDenied...), no connection or a broken one (BotoCoreError, aiohttp), too slow.
TRANSIENT_ERRORS = (ClientError, BotoCoreError, HttpError, TimeoutError)
PART_SIZE = 8 * 1024 * 1024  # S3's smallest part is 5 MiB (except the last)
# No request may wait forever: botocore's timeouts bound connecting and each socket read, not the
# wait for a free pooled connection or a server that takes the body and never answers. Each call
# (with botocore's own retries inside it) and each chunk read gets this many seconds in all.
REQUEST_SECONDS = 90
ATTEMPT_SECONDS = 30
# A body cut short mid-stream (the connection dropped, fewer bytes than Content-Length) is asked for
# again from the byte it stopped at, this many times. Keys are written once (a photo's bytes under
# its id), so the rest of the object is the rest of the same bytes.
BODY_RESUMES = 3
_MISSING = {"404", "NoSuchKey", "NotFound"}
log = logging.getLogger(__name__)


async def _bounded(call):
    """Await one chunk read, TimeoutError past REQUEST_SECONDS (a TRANSIENT_ERROR)."""
    async with asyncio.timeout(REQUEST_SECONDS):
        return await call


async def _sent(make):
    """One S3 request, `make()` making it anew for each attempt: an attempt that has no answer after
    ATTEMPT_SECONDS (a pooled connection the server stopped serving) is abandoned, its connection
    closed, and the request sent again; TimeoutError past REQUEST_SECONDS in all."""
    async with asyncio.timeout(REQUEST_SECONDS):
        while True:
            try:
                async with asyncio.timeout(ATTEMPT_SECONDS):
                    return await make()
            except TimeoutError:
                log.warning("an S3 request had no answer in %s s: sent again", ATTEMPT_SECONDS)
                continue


def _missing(exc: ClientError) -> bool:
    return str(exc.response.get("Error", {}).get("Code")) in _MISSING


class S3Store:
    def __init__(self, bucket: str, prefix: str = "", endpoint_url: str | None = None,
                 region: str | None = None, part_size: int = PART_SIZE):
        if part_size < 5 * 1024 * 1024:
            raise ValueError("S3 parts are at least 5 MiB")
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.endpoint_url = endpoint_url
        self.region = region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
        self.part_size = part_size
        self._stack = contextlib.AsyncExitStack()
        self._client = None

    async def _s3(self):
        if self._client is None:
            # Checksums only where S3 requires them: botocore's default (since 1.36) sends CRC
            # trailers that many S3-compatible servers reject, and validates a ranged GET
            # against the whole object's checksum that some of them return (rclone does).
            config = AioConfig(s3={"addressing_style": "path"}, signature_version="s3v4",
                               retries={"max_attempts": 5, "mode": "standard"},
                               connect_timeout=10, read_timeout=30, max_pool_connections=32,
                               request_checksum_calculation="when_required",
                               response_checksum_validation="when_required")
            self._client = await self._stack.enter_async_context(
                get_session().create_client("s3", endpoint_url=self.endpoint_url, region_name=self.region,
                                            config=config))
        return self._client

    def _object(self, key: str) -> str:
        check_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    def _key(self, name: str) -> str:
        return name[len(self.prefix) + 1:] if self.prefix else name

    def local_path(self, key: str) -> Path | None:
        return None

    async def put(self, key: str, source: Source, content_type: str | None = None) -> int:
        s3 = await self._s3()
        name = self._object(key)
        extra = {"ContentType": content_type} if content_type else {}
        buffer = bytearray()
        upload_id: str | None = None
        parts: list[dict] = []
        size = 0
        try:
            async for block in chunks_of(source):
                buffer += block
                size += len(block)
                while len(buffer) >= self.part_size:
                    if upload_id is None:
                        created = await _sent(lambda: s3.create_multipart_upload(Bucket=self.bucket, Key=name, **extra))
                        upload_id = created["UploadId"]
                    part, buffer = bytes(buffer[:self.part_size]), buffer[self.part_size:]
                    number = len(parts) + 1
                    sent = await _sent(lambda: s3.upload_part(Bucket=self.bucket, Key=name, UploadId=upload_id,
                                                          PartNumber=number, Body=part))
                    parts.append({"PartNumber": number, "ETag": sent["ETag"]})
            if upload_id is None:
                await _sent(lambda: s3.put_object(Bucket=self.bucket, Key=name, Body=bytes(buffer), **extra))
                return size
            if buffer:
                number = len(parts) + 1
                sent = await _sent(lambda: s3.upload_part(Bucket=self.bucket, Key=name, UploadId=upload_id,
                                                      PartNumber=number, Body=bytes(buffer)))
                parts.append({"PartNumber": number, "ETag": sent["ETag"]})
            await _sent(lambda: s3.complete_multipart_upload(Bucket=self.bucket, Key=name, UploadId=upload_id,
                                                        MultipartUpload={"Parts": parts}))
            return size
        except BaseException:
            if upload_id is not None:
                with contextlib.suppress(Exception):
                    await _sent(lambda: s3.abort_multipart_upload(Bucket=self.bucket, Key=name, UploadId=upload_id))
            raise

    async def get(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        s3 = await self._s3()
        if end is not None and end <= start:
            return
        position = start
        for attempt in range(BODY_RESUMES + 1):
            request = {"Bucket": self.bucket, "Key": self._object(key)}
            if position or end is not None:
                request["Range"] = f"bytes={position}-{'' if end is None else end - 1}"
            try:
                response = await _sent(lambda: s3.get_object(**request))
            except ClientError as exc:
                if _missing(exc):
                    raise BlobNotFound(key) from None
                if exc.response.get("Error", {}).get("Code") == "InvalidRange":
                    return  # start at or past the end: nothing, as reading a file there
                raise
            try:
                async with response["Body"] as body:
                    while block := await _bounded(body.read(CHUNK)):
                        position += len(block)
                        yield block
                return
            except (HttpError, BotoCoreError):  # cut short: ask for the rest
                if attempt == BODY_RESUMES:
                    raise
                await asyncio.sleep(0.05 * 2 ** attempt)

    async def open(self, key: str) -> tuple[BlobInfo, AsyncIterator[bytes]]:
        s3 = await self._s3()
        try:
            response = await _sent(lambda: s3.get_object(Bucket=self.bucket, Key=self._object(key)))
        except ClientError as exc:
            if _missing(exc):
                raise BlobNotFound(key) from None
            raise
        modified = response.get("LastModified")
        info = BlobInfo(key, int(response["ContentLength"]), modified=modified.timestamp() if modified else None,
                        etag=response.get("ETag"))

        async def chunks() -> AsyncIterator[bytes]:
            async with response["Body"] as body:
                while block := await _bounded(body.read(CHUNK)):
                    yield block
        return info, chunks()

    async def get_to_path(self, key: str, path: Path) -> int:
        size = 0
        with open(path, "wb") as f:
            async for block in self.get(key):
                f.write(block)
                size += len(block)
        return size

    async def head(self, key: str) -> BlobInfo | None:
        s3 = await self._s3()
        try:
            response = await _sent(lambda: s3.head_object(Bucket=self.bucket, Key=self._object(key)))
        except ClientError as exc:
            if _missing(exc):
                return None
            raise
        modified = response.get("LastModified")
        return BlobInfo(key, int(response["ContentLength"]), modified=modified.timestamp() if modified else None,
                        etag=response.get("ETag"))

    async def exists(self, key: str) -> bool:
        return await self.head(key) is not None

    async def delete(self, key: str) -> None:
        s3 = await self._s3()
        try:
            await _sent(lambda: s3.delete_object(Bucket=self.bucket, Key=self._object(key)))
        except ClientError as exc:
            if not _missing(exc):
                raise

    async def list(self, prefix: str = "") -> AsyncIterator[BlobInfo]:
        s3 = await self._s3()
        full = (f"{self.prefix}/{prefix}" if self.prefix else prefix)
        paginator = s3.get_paginator("list_objects_v2")
        async for page in paginator.paginate(Bucket=self.bucket, Prefix=full):
            for item in page.get("Contents", []):
                yield BlobInfo(self._key(item["Key"]), int(item["Size"]))

    async def close(self) -> None:
        await self._stack.aclose()
        self._client = None
