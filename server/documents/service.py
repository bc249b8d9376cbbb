"""The one document service: the download routes, the e-mail sender and `akiya report` all get
their PDFs here, built from the records, drawn by the worker pool, with one error mapping.

Owners and e-mailed reports never fail on a character: what no font can draw prints as 〓
and the document says so. `strict=True` (the clerk's choice) refuses instead with 422 naming
each field, so the record can be corrected before the document goes out.
"""

from __future__ import annotations

import time

import msgspec

import reports
import reports.model as m
from server.documents import build, survey
from server.documents.render import PdfRenderer, RenderFailed
from server.core import problems
from server.core.errors import AppError
from server.observe.metrics import DOCUMENT_FAILURES, DOCUMENT_SECONDS, DOCUMENTS
from server.photos.store import PhotoStore
from server.rubrics import RubricRegistry
from server.core.settings import Settings
from server.storage import photo_key, storage_for


def fonts_of(settings: Settings) -> tuple[str | None, str | None, str | None]:
    """The gothic, mincho and fallback font files the settings name, as a PdfRenderer takes them."""
    return tuple(str(f) if f else None for f in (settings.font_gothic, settings.font_mincho, settings.font_fallback))


class DocumentService:
    def __init__(self, db, settings: Settings, rubrics: RubricRegistry, renderer: PdfRenderer, photos: PhotoStore,
                 owns_photos: bool = False, owns_renderer: bool = True):
        self.db, self.settings, self.rubrics, self.renderer = db, settings, rubrics, renderer
        self._photos, self._owns_photos, self._owns_renderer = photos, owns_photos, owns_renderer

    @classmethod
    def start(cls, db, settings: Settings, rubrics: RubricRegistry, workers: int = 1,
              photos: PhotoStore | None = None, renderer: PdfRenderer | None = None) -> "DocumentService":
        """The service with its own worker pool on the fonts the settings name (close() it), or on
        `renderer`, a pool shared with others in this process that the service neither starts nor
        closes. Photos come from `photos` (the server's); without it, from a store of its own on the
        settings' storage (`aclose()` closes that too)."""
        owns_renderer = renderer is None
        if renderer is None:
            renderer = PdfRenderer(*fonts_of(settings), workers=workers)
        if photos is not None:
            return cls(db, settings, rubrics, renderer, photos, owns_renderer=owns_renderer)
        return cls(db, settings, rubrics, renderer, PhotoStore.for_settings(settings, storage_for(settings)), True,
                   owns_renderer)

    def close(self) -> None:
        if self._owns_renderer:
            self.renderer.close()

    async def aclose(self) -> None:
        """close(), and the blob store's client if the service made its own."""
        self.close()
        if self._owns_photos:
            await self._photos.blobs.close()

    async def owner_monthly_pdf(self, property_id: str, month: str, owner_id: int | None = None, *,
                                strict: bool = False) -> bytes:
        """空き家みまもり報告書 of a house for a month (NotFound if no approved visit then), addressed to
        the owner whose subscription covered the visit; `owner_id`: only that owner's visits."""
        async with self.db.read() as conn:
            document = await build.owner_monthly(conn, self.rubrics, self._photos, property_id, month, owner_id)
        return await self.pdf("owner_monthly", document, strict=strict)

    async def disaster_notice_pdf(self, inspection_id: str, *, strict: bool = False) -> bytes:
        """災害後見回り報告 of an approved post-disaster check."""
        async with self.db.read() as conn:
            document = await build.disaster_notice(conn, self.rubrics, self._photos, inspection_id)
        return await self.pdf("disaster_notice", document, strict=strict)

    async def survey_report(self, contract_id: int) -> m.SurveyReport:
        """The survey contract's report data (for the PDF, the CSV and the GeoJSON)."""
        async with self.db.read() as conn:
            return await survey.survey_report(conn, self.rubrics, self._photos, contract_id)

    async def survey_pdf(self, document: m.SurveyReport, *, strict: bool = False) -> bytes:
        return await self.pdf("survey", document, strict=strict)

    async def house_karte_pdf(self, document: m.SurveyReport, *, strict: bool = False) -> bytes:
        """空き家カルテ: one page per house of `document` (the report's rows, all or one)."""
        return await self.pdf("house_karte", document, strict=strict)

    def _original(self, photo: m.Photo):
        return self._photos.blobs.get(photo_key("original", photo.photo_id))

    def survey_photo_zip(self, document: m.SurveyReport):
        """The report's photos as received (EXIF kept) with their index, as ZIP chunks (async iterator)."""
        return reports.survey_photo_zip(document, self._original)

    async def akiya_bank_zip(self, document: m.SurveyReport, bank: m.AkiyaBankList, *, strict: bool = False):
        """The 空き家バンク candidate list with each listed house's カルテ (drawn first, so a drawing problem is an
        error answer, not a broken download) and its photos as received, as ZIP chunks (async iterator)."""
        kartes = {house.ref: await self.house_karte_pdf(msgspec.structs.replace(document, rows=[house.survey]),
                                                        strict=strict)
                  for house in bank.houses if house.survey}
        return reports.akiya_bank_zip(bank, kartes, self._original)

    async def pdf(self, kind: str, document, *, strict: bool = False) -> bytes:
        """Draw `document`; every failure becomes an AppError with a message a person can act on
        (counted by its code in akiya_document_failures_total)."""
        started = time.perf_counter()
        try:
            pdf = await self._render(kind, document, strict)
        except AppError as exc:
            DOCUMENT_FAILURES.labels(kind, exc.code).inc()
            raise
        except Exception:
            DOCUMENT_FAILURES.labels(kind, "unexpected").inc()
            raise
        DOCUMENTS.labels(kind).inc()
        DOCUMENT_SECONDS.labels(kind).observe(time.perf_counter() - started)
        return pdf

    async def _render(self, kind: str, document, strict: bool) -> bytes:
        try:
            return await self.renderer.render(kind, document, substitute_missing=not strict)
        except reports.FontNotFound as exc:
            raise problems.FONTS_MISSING(details=str(exc)) from exc
        except reports.MissingGlyphs as exc:
            raise problems.MISSING_GLYPHS(reason=str(exc), details={
                "fields": [{"field": f.field, "chars": f.chars} for f in exc.found],
                "hint": "strict を付けずに作成すると、これらの文字を〓に置き換えて作成します。"}) from exc
        except reports.PhotoMissing as exc:
            raise problems.PHOTO_MISSING(details=str(exc)) from exc
        except RenderFailed as exc:
            raise problems.RENDER_FAILED(details=str(exc)) from exc
