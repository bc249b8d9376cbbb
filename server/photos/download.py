"""A stored photo file as an HTTP response, with the same headers from either store.

From the data folder it is Litestar's `File` (Content-Type, Content-Length, Content-Disposition
inline, Last-Modified, ETag, and Cache-Control as the route says) as it always was; from object storage the same
headers are made from the object's GET response and its bytes are streamed, never held whole.
No Range support on either (there was none before).
"""

from __future__ import annotations

import logging
from email.utils import formatdate

from litestar import Response
from litestar.response import File, Stream

from server.core import problems
from server.photos.store import PhotoStore
from server.storage import BlobNotFound, photo_key

log = logging.getLogger("akiya")


async def photo_response(store: PhotoStore, kind: str, photo_id: str, cache_control: str) -> Response | None:
    """The photo's `kind` file ("original", "report", "thumb") as image/jpeg, or None if it is not stored;
    503 storage_unavailable with Retry-After when object storage refuses or does not answer."""
    key = photo_key(kind, photo_id)
    path = store.blobs.local_path(key)
    if path is not None:
        if not path.is_file():
            return None
        return File(path, media_type="image/jpeg", content_disposition_type="inline",
                    headers={"Cache-Control": cache_control})
    from server.storage.s3 import TRANSIENT_ERRORS

    try:
        info, chunks = await store.blobs.open(key)  # one request: 404 can still be said if it is missing
    except BlobNotFound:
        return None
    except TRANSIENT_ERRORS as exc:  # as uploads say it: try again later
        log.warning("object storage refused or did not answer reading %s: %r", key, exc)
        raise problems.STORAGE_UNAVAILABLE("download", headers={"Retry-After": "30"}) from None
    # Content-Disposition exactly as File sends it for these routes (no file name is given there).
    headers = {"Content-Length": str(info.size), "Content-Disposition": 'inline; filename=""', "Cache-Control": cache_control}
    if info.modified is not None:
        headers["Last-Modified"] = formatdate(info.modified, usegmt=True)
    if info.etag:
        headers["ETag"] = info.etag
    return Stream(chunks, media_type="image/jpeg", headers=headers)
