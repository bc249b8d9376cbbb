"""PUT /api/v1/photos/{id}: the bytes of a photo a pushed inspection declared.

Streamed to this process's scratch folder with bounded memory, checked against the declared
sha256, ingested there (EXIF, derivatives, perceptual hash), flagged for review, stored (the data
folder or object storage, server/photos/store.py) and only then recorded: a photo is never
partially stored, and one acknowledged is in the store. Large uploads on a poor link may come in
`Content-Range` chunks; HEAD tells how many bytes have arrived (`Upload-Offset`). One request at a
time appends to a photo's partial (server/photos/partials.py); another gets 409 with the offset to
resume from.
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from litestar import Controller, Request, Response, get, head, put
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import File  # the schema's description; from object storage a Stream with its headers

from server.core import problems
from server.core.errors import AppError
from server.photos import PhotoRejected, evidence_flags, ingest, sniff_jpeg
from server.photos.queries import DeclaredPhoto, declared_photo, guide_photo_visible, record_arrival
from server.photos.reuse import reused_hashes
from server.photos.sniff import SNIFF_BYTES
from server.photos.partials import partial_writer
from server.photos.download import photo_response
from server.photos.store import PhotoStore, sha256_of
from server.observe.metrics import PHOTO_BYTES, PHOTO_FLAGS, PHOTO_INGEST_SECONDS
from server.storage import StorageUnreachable
from server.users.queries import User
from server.http.web import actor_for, error_responses, provide_user

_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class PhotoController(Controller):
    path = "/api/v1/photos"
    tags = ["photos"]
    dependencies = {"user": Provide(provide_user)}
    security = [{"BearerToken": []}]

    @put("/{photo_id:str}", request_max_body_size=None, status_code=201,
         responses=error_responses(400, 401, 404, 409, 413, 415, 422, 503))
    async def upload(self, request: Request, state: State, user: NamedDependency[User],
                     photo_id: FromPath[str]) -> Response:
        """Upload a declared photo's JPEG bytes (whole, or a `Content-Range: bytes a-b/total` chunk).
        201 stored, 200 identical resend, 202 chunk accepted (more to come). 409 `offset_mismatch` or
        `upload_in_progress` (another request is sending this photo's chunks): resume from the
        `Upload-Offset` header (also in `details.upload_offset`). Unfinished uploads are deleted after
        AKIYA_UPLOAD_PARTIAL_DAYS days."""
        photo = await _declared(state, user, photo_id)
        store: PhotoStore = state.photos
        limit = state.settings.photo_max_bytes
        announced = request.headers.get("content-length")
        if announced and announced.isdigit() and int(announced) > limit:
            raise _too_large(limit)
        content_range = request.headers.get("content-range")
        if content_range:
            return await _upload_chunk(request, state, user, photo, store, content_range, limit)
        tmp = await _receive(request, store, limit)
        return await _finish(request, state, user, photo, store, tmp)

    @head("/{photo_id:str}", responses=error_responses(401, 404))
    async def progress(self, state: State, user: NamedDependency[User], photo_id: FromPath[str]) -> Response[None]:
        """How much of an upload has arrived: `Upload-Offset` bytes; `Upload-Complete: 1` once stored."""
        photo = await _declared(state, user, photo_id)
        store: PhotoStore = state.photos
        if photo.received:
            size = await store.size(photo.id) or 0
            return Response(None, status_code=200, headers={"Upload-Offset": str(size), "Upload-Complete": "1"})
        partial = store.partial(photo.id)
        offset = partial.stat().st_size if partial.exists() else 0
        return Response(None, status_code=200, headers={"Upload-Offset": str(offset), "Upload-Complete": "0"})

    @get("/{photo_id:str}/guide", responses=error_responses(401, 404, 503), media_type="image/jpeg")
    async def guide(self, state: State, user: NamedDependency[User], photo_id: FromPath[str]) -> File:
        """The thumbnail (≤ 320 px) of a photo from the last approved visit to one of the caller's
        houses: the phone shows it as a framing guide (same angle every month)."""
        async with state.db.read() as conn:
            visible = _UUID.match(photo_id) and await guide_photo_visible(conn, user, photo_id)
        response = await photo_response(state.photos, "thumb", photo_id, "private, max-age=86400") if visible else None
        if response is None:
            raise problems.PHOTO_NOT_FOUND()
        return response


async def _declared(state: State, user: User, photo_id: str) -> DeclaredPhoto:
    photo = None
    if _UUID.match(photo_id):
        async with state.db.read() as conn:
            photo = await declared_photo(conn, photo_id)
    if photo is None or photo.carrier_id != user.id:
        raise problems.PHOTO_NOT_DECLARED()
    return photo


def _too_large(limit: int) -> AppError:
    return problems.PHOTO_TOO_LARGE(mb=limit // (1024 * 1024))


async def _receive(request: Request, store: PhotoStore, limit: int) -> Path:
    """The whole body into a temp file; 413 as soon as it passes the limit (nothing kept)."""
    fd, name = tempfile.mkstemp(dir=store.scratch_dir(), suffix=".upload")
    size = 0
    try:
        with os.fdopen(fd, "wb") as f:
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise _too_large(limit)
                f.write(chunk)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


async def _upload_chunk(request: Request, state: State, user: User, photo: DeclaredPhoto, store: PhotoStore,
                        content_range: str, limit: int) -> Response:
    match = _RANGE.match(content_range.strip())
    if not match:
        raise problems.INVALID_CONTENT_RANGE("form")
    start, end, total = (int(g) for g in match.groups())
    if total > limit:
        raise _too_large(limit)
    if end < start or end >= total:
        raise problems.INVALID_CONTENT_RANGE("range")
    if photo.received:
        return await _finish(request, state, user, photo, store, await _receive(request, store, limit))
    partial = store.partial(photo.id)
    with partial_writer(partial) as f:
        if f is None:
            offset = partial.stat().st_size if partial.exists() else 0
            raise problems.UPLOAD_IN_PROGRESS(offset=offset, details={"upload_offset": offset},
                                              headers={"Upload-Offset": str(offset)})
        offset = os.fstat(f.fileno()).st_size
        if start != offset:
            raise problems.OFFSET_MISMATCH(offset=offset, details={"upload_offset": offset},
                                           headers={"Upload-Offset": str(offset)})
        await _append(request, f, offset, end - start + 1)
        if end + 1 < total:
            return Response(None, status_code=202, headers={"Upload-Offset": str(end + 1)})
        tmp = store.scratch_dir() / f"{photo.id}.complete"
        os.replace(partial, tmp)  # still holding the lock: no other writer appends to these bytes
    return await _finish(request, state, user, photo, store, tmp, resume=(partial, start))


def _keep_for_resuming(tmp: Path, partial: Path, offset: int) -> None:
    """Storage failed at the last chunk: the chunks before it become the partial again (expired as
    any other), so the next HEAD says `offset` and the phone sends only the last chunk again."""
    with partial_writer(partial) as f:
        if f is None or os.fstat(f.fileno()).st_size:  # another upload of this photo began meanwhile
            return
        os.truncate(tmp, offset)
        os.replace(tmp, partial)


async def _append(request: Request, f, offset: int, expected: int) -> None:
    """The chunk's bytes after `offset`; on any failure the partial is cut back to `offset`."""
    written = 0
    try:
        async for chunk in request.stream():
            written += len(chunk)
            if written > expected:
                raise problems.CHUNK_SIZE_MISMATCH()
            f.write(chunk)
        if written != expected:
            raise problems.CHUNK_SIZE_MISMATCH()
        f.flush()
    except BaseException:
        f.truncate(offset)
        raise


async def _finish(request: Request, state: State, user: User, photo: DeclaredPhoto, store: PhotoStore,
                  tmp: Path, resume: tuple[Path, int] | None = None) -> Response:
    """`resume`: (the partial, the last chunk's start) when `tmp` was a chunked upload's partial."""
    derivatives = {"report": tmp.with_name(tmp.name + ".report.jpg"), "thumb": tmp.with_name(tmp.name + ".thumb.jpg")}
    try:
        with open(tmp, "rb") as f:
            head_bytes = f.read(SNIFF_BYTES)
        try:
            sniff_jpeg(head_bytes)
        except PhotoRejected as exc:
            raise exc.error from exc
        digest = await asyncio.to_thread(sha256_of, tmp)
        if photo.received:  # what was stored matched the declared hash, so compare with that
            if digest == photo.sha256:
                return Response({"id": photo.id, "status": "already_stored"}, status_code=200)
            raise problems.PHOTO_DIFFERS()
        if digest != photo.sha256:
            raise problems.SHA256_MISMATCH(details={"declared": photo.sha256, "received": digest})
        size = tmp.stat().st_size
        started = time.perf_counter()
        try:
            facts = await asyncio.to_thread(ingest, tmp, derivatives["report"], derivatives["thumb"])
        except PhotoRejected as exc:
            raise exc.error from exc
        async with state.db.read() as conn:
            earlier = await reused_hashes(conn, photo.id, photo.inspection_id, facts.phash)
        settings = state.settings
        flags = evidence_flags(
            facts, started_at=datetime.fromisoformat(photo.started_at),
            finished_at=datetime.fromisoformat(photo.finished_at),
            tolerance=timedelta(minutes=settings.photo_window_minutes),
            property_lat=photo.property_lat, property_lon=photo.property_lon,
            max_distance_m=settings.photo_max_distance_m, device_lat=photo.device_lat, device_lon=photo.device_lon,
            earlier_hashes=earlier)
        # Stored first, recorded after: a crash in between leaves blobs nobody refers to yet, and
        # the phone, never having had its 201, sends the photo again, which stores and records it.
        try:
            await store.keep(photo.id, {"original": tmp, **derivatives})
        except StorageUnreachable as exc:
            if resume is not None:
                _keep_for_resuming(tmp, *resume)
            raise problems.STORAGE_UNAVAILABLE(headers={"Retry-After": "30"}) from exc
        first = await state.db.write(record_arrival, actor_for(request, user), photo, size, facts, flags)
        if first:
            count_photo(size, flags, time.perf_counter() - started)
        status = 201 if first else 200
        return Response({"id": photo.id, "status": "stored", "flags": flags}, status_code=status)
    finally:
        for path in (tmp, *derivatives.values()):
            path.unlink(missing_ok=True)


def count_photo(size: int, flags: list[str], seconds: float) -> None:
    """A photo stored for the first time: its bytes, how long reading and storing it took, its flags."""
    PHOTO_BYTES.inc(size)
    PHOTO_INGEST_SECONDS.observe(seconds)
    for kind in flags:
        PHOTO_FLAGS.labels(kind).inc()
