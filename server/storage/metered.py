"""A blob store that times every call and counts its failures (akiya_storage_* metrics).

`Metered(store)` has the store's interface and passes each call through; the server wraps its one
store in it (server/app.py). A missing blob (BlobNotFound, head() → None) is an answer, not an
error; anything else raised counts as an error of that backend and operation.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import contextmanager
from pathlib import Path

from server.observe.metrics import STORAGE_ERRORS, STORAGE_SECONDS
from server.storage import BlobInfo, BlobNotFound, BlobStore, Source


class Metered:
    def __init__(self, store: BlobStore):
        self.store = store
        self.backend = "local" if store.local_path("probe") is not None else "s3"

    def __getattr__(self, name):  # bucket, endpoint_url, root ... of the wrapped store
        return getattr(self.store, name)

    @contextmanager
    def _timed(self, op: str):
        started = time.perf_counter()
        try:
            yield
        except BlobNotFound:
            raise
        except BaseException as exc:
            if not isinstance(exc, GeneratorExit):
                STORAGE_ERRORS.labels(self.backend, op).inc()
            raise
        finally:
            STORAGE_SECONDS.labels(self.backend, op).observe(time.perf_counter() - started)

    async def put(self, key: str, source: Source, content_type: str | None = None) -> int:
        with self._timed("put"):
            return await self.store.put(key, source, content_type)

    async def get(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        with self._timed("get"):
            async for chunk in self.store.get(key, start, end):
                yield chunk

    async def open(self, key: str) -> tuple[BlobInfo, AsyncIterator[bytes]]:
        with self._timed("open"):  # until the first byte can be read; the rest is the client's pace
            return await self.store.open(key)

    async def get_to_path(self, key: str, path: Path) -> int:
        with self._timed("get_to_path"):
            return await self.store.get_to_path(key, path)

    async def head(self, key: str) -> BlobInfo | None:
        with self._timed("head"):
            return await self.store.head(key)

    async def exists(self, key: str) -> bool:
        with self._timed("head"):
            return await self.store.exists(key)

    async def delete(self, key: str) -> None:
        with self._timed("delete"):
            await self.store.delete(key)

    async def list(self, prefix: str = "") -> AsyncIterator[BlobInfo]:
        with self._timed("list"):
            async for info in self.store.list(prefix):
                yield info

    def local_path(self, key: str) -> Path | None:
        return self.store.local_path(key)

    async def close(self) -> None:
        await self.store.close()
