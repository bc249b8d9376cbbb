"""Documents from records: the server side of `reports` (which stays free of SQL and HTTP)."""

from __future__ import annotations

from server.documents import build
from server.documents.render import PdfRenderer
from server.photos.store import PhotoStore


async def owner_monthly_pdf_bytes(db, settings, rubrics, renderer: PdfRenderer, property_id: str, month: str,
                                  owner_id: int | None = None) -> bytes:
    async with db.read() as conn:
        document = await build.owner_monthly(conn, rubrics, PhotoStore(settings.photos_dir), property_id, month,
                                             owner_id)
    return await renderer.render("owner_monthly", document, substitute_missing=True)


async def disaster_notice_pdf_bytes(db, settings, rubrics, renderer: PdfRenderer, inspection_id: str) -> bytes:
    async with db.read() as conn:
        document = await build.disaster_notice(conn, rubrics, PhotoStore(settings.photos_dir), inspection_id)
    return await renderer.render("disaster_notice", document, substitute_missing=True)
