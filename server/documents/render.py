"""Drawing PDFs off the event loop. reportlab keeps module-level font state, so documents are
drawn in worker processes (spawned, so no database threads are inherited), fonts loaded once
per worker.

One bad document never affects another: every error comes back from the worker in a form
that can be rebuilt in this process (RenderFailed if the original cannot be), and a pool
whose worker died is replaced, the interrupted document retried once in a process of its own.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import pickle
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import msgspec

import reports

log = logging.getLogger("akiya.documents")

# Looked up in the worker: the server process itself never imports reportlab (reports/__init__.py).
_RENDERERS = {
    "owner_monthly": "owner_monthly_pdf",
    "disaster_notice": "disaster_notice_pdf",
    "survey": "survey_report_pdf",
    "survey_by_district": "survey_report_pdfs_by_district",  # {大字: PDF bytes}
    "house_karte": "house_karte_pdf",
    "owner_letters": "render_owner_letters",  # 所有者意向調査の送付文書 (server/owner_survey/letters.py)
}
_fonts: reports.Fonts | None = None


class RenderFailed(RuntimeError):
    """A document could not be drawn for a reason that is not the document's data
    (a worker that died twice, an error that could not cross the process boundary)."""


def _init_worker(gothic: str | None, mincho: str | None, fallback: str | None) -> None:
    global _fonts
    _fonts = reports.load_fonts(gothic, mincho, fallback)


def draw(kind: str, document: msgspec.Struct, substitute_missing: bool = False) -> bytes:
    """In a worker: the PDF bytes (raises reports.MissingGlyphs / PhotoMissing for the caller)."""
    assert _fonts is not None, "worker not initialised"
    try:
        return getattr(reports, _RENDERERS[kind])(document, _fonts, substitute_missing=substitute_missing)
    except Exception as exc:
        raise _portable(exc) from None


def _portable(exc: Exception) -> Exception:
    """`exc` if it survives pickling (it has to, to reach the caller), else RenderFailed naming it."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return RenderFailed(f"{type(exc).__name__}: {exc}"[:2000])


def make_pool(gothic: str | None = None, mincho: str | None = None, fallback: str | None = None,
              workers: int | None = None) -> ProcessPoolExecutor:
    reports.load_fonts(gothic, mincho, fallback)  # fail early, in the caller, with FontNotFound's clear message
    return ProcessPoolExecutor(max_workers=workers or min(2, os.cpu_count() or 1),
                               mp_context=multiprocessing.get_context("spawn"),
                               initializer=_init_worker, initargs=(gothic, mincho, fallback))


class PdfRenderer:
    """The pool of PDF workers: made on first use, replaced when broken, closed by its owner."""

    def __init__(self, gothic: str | None = None, mincho: str | None = None, fallback: str | None = None,
                 workers: int = 1):
        self.fonts = (gothic, mincho, fallback)
        self._workers = workers
        self._pool: ProcessPoolExecutor | None = None

    async def render(self, kind: str, document: msgspec.Struct, substitute_missing: bool = False) -> bytes:
        pool = self._current()
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(pool, draw, kind, document, substitute_missing)
        except BrokenProcessPool:
            self._replace(pool)
            log.warning("PDF worker died while drawing a %s; pool replaced, document retried alone", kind)
        # Which document killed the worker is unknown: retry this one in a process of its own,
        # so that if it is the culprit it takes down nothing but itself.
        alone = make_pool(*self.fonts, workers=1)
        try:
            return await loop.run_in_executor(alone, draw, kind, document, substitute_missing)
        except BrokenProcessPool as exc:
            raise RenderFailed(f"the PDF worker died twice while drawing this {kind}") from exc
        finally:
            await asyncio.to_thread(alone.shutdown, True, cancel_futures=True)

    def _current(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = make_pool(*self.fonts, workers=self._workers)
        return self._pool

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        if self._pool is broken:  # the first of several waiters to notice replaces it
            self._pool = None
            broken.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
