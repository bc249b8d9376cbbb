"""Drawing PDFs off the event loop. reportlab keeps module-level font state, so documents are
drawn in worker processes (spawned, so no database threads are inherited), fonts loaded once
per worker."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

import msgspec

import reports

_RENDERERS = {
    "owner_monthly": reports.owner_monthly_pdf,
    "disaster_notice": reports.disaster_notice_pdf,
    "survey": reports.survey_report_pdf,
    "survey_by_district": reports.survey_report_pdfs_by_district,  # {大字: PDF bytes}
}
_fonts: reports.Fonts | None = None


def _init_worker(gothic: str | None, mincho: str | None) -> None:
    global _fonts
    _fonts = reports.load_fonts(gothic, mincho)


def draw(kind: str, document: msgspec.Struct, substitute_missing: bool = False) -> bytes:
    """In a worker: the PDF bytes (raises reports.MissingGlyphs / PhotoMissing for the caller)."""
    assert _fonts is not None, "worker not initialised"
    return _RENDERERS[kind](document, _fonts, substitute_missing=substitute_missing)


def make_pool(gothic: str | None = None, mincho: str | None = None, workers: int | None = None) -> ProcessPoolExecutor:
    reports.load_fonts(gothic, mincho)  # fail early, in the caller, with FontNotFound's clear message
    return ProcessPoolExecutor(max_workers=workers or min(2, os.cpu_count() or 1),
                               mp_context=multiprocessing.get_context("spawn"),
                               initializer=_init_worker, initargs=(gothic, mincho))


class PdfRenderer:
    """The server's renderer: one pool, made on first use, closed with the app."""

    def __init__(self, gothic: str | None, mincho: str | None):
        self._fonts = (gothic, mincho)
        self._pool: ProcessPoolExecutor | None = None

    async def render(self, kind: str, document: msgspec.Struct, substitute_missing: bool = False) -> bytes:
        if self._pool is None:
            self._pool = make_pool(*self._fonts, workers=1)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, draw, kind, document, substitute_missing)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
