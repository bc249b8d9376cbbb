"""`akiya report owner --month` and `akiya report survey`: documents in batches from the
document service, drawn in parallel worker processes, each recorded in generated_reports.
A document that fails is named on stderr and the others are still made."""

from __future__ import annotations

import asyncio
import hashlib
import sys
from pathlib import Path

import reports
from server.db import Database, database_for
from server.documents.service import DocumentService
from server.core.errors import AppError, NotFound
from server.documents.queries import record_generated_report
from server.inspections.approved import watched_houses_with_visit_in
from server.rubrics import RubricRegistry
from server.core.settings import Settings


class Progress:
    """A one-line progress bar on stderr."""

    def __init__(self, total: int, label: str, out=None):
        # sys.stderr as it is now, not as it was at import (a test's capture may have replaced it since)
        self.total, self.done, self.label, self.out = total, 0, label, out or sys.stderr

    def step(self) -> None:
        self.done += 1
        width = 30
        filled = width * self.done // max(self.total, 1)
        self.out.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}")
        if self.done == self.total:
            self.out.write("\n")
        self.out.flush()


async def _record(db: Database, kind: str, subject: str, period: str, path: Path, data: bytes) -> None:
    await db.write(record_generated_report, kind, subject, period, str(path), hashlib.sha256(data).hexdigest())


class BatchFailed(Exception):
    """Some documents of a batch could not be made (each already named on stderr)."""

    def __init__(self, written: list[Path], failed: dict[str, AppError]):
        super().__init__(f"{len(failed)} document(s) failed")
        self.written, self.failed = written, failed


async def owner_reports(settings: Settings, month: str, out: Path, workers: int = 2) -> list[Path]:
    """Every watched house's report of `month`; BatchFailed (after making the rest) if some fail."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    failed: dict[str, AppError] = {}
    async with database_for(settings.db, readers=workers) as db:
        documents = DocumentService.start(db, settings, RubricRegistry.load_dir(settings.rubrics_dir), workers)
        try:
            async with db.read() as conn:
                properties = await watched_houses_with_visit_in(conn, month)
            progress = Progress(len(properties), f"みまもり報告書 {month}")
            # A few documents in flight per worker, not one task per house all waiting at once: on
            # PostgreSQL a connection waited for longer than the pool's timeout (30 s) is an error,
            # and 1,000 houses queued on 2 reader connections wait that long on a busy machine.
            in_flight = asyncio.Semaphore(2 * max(1, workers))

            async def one(pid: str) -> None:
                async with in_flight:
                    try:
                        data = await documents.owner_monthly_pdf(pid, month)
                    except AppError as exc:
                        failed[pid] = exc
                    else:
                        path = out / f"みまもり報告書_{month}_{pid[:8]}.pdf"
                        path.write_bytes(data)
                        await _record(db, "owner_monthly", pid, month, path, data)
                        written.append(path)
                progress.step()

            await asyncio.gather(*(one(pid) for pid in properties))
        finally:
            await documents.aclose()
    for pid, exc in failed.items():
        print(f"{pid}: {exc.message}", file=sys.stderr)
    if failed:
        raise BatchFailed(sorted(written), failed)
    return sorted(written)


class FilesSkipped(Exception):
    """The survey's other files were written; the Shift_JIS CSV or the Shapefile could not be (CP932 lacks a
    character of some name): `reasons` say which and where, in Japanese."""

    def __init__(self, written: list[Path], reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.written, self.reasons = written, reasons


async def survey_reports(settings: Settings, contract_id: int, out: Path, by_district: bool = False) -> list[Path]:
    """The PDF, the list as CSV in UTF-8 and in Shift_JIS (two names), GeoJSON, the Shapefile (.shp/.shx/.dbf/
    .prj/.cpg and 属性名一覧.csv in a folder of its own, and as the ZIP the office pages give), the 空き家カルテ
    (one page per house) and the photo ZIP; with by_district also one PDF per 大字 (small enough to e-mail).
    FilesSkipped (after writing the rest) when a name holds characters CP932 cannot represent: no Shift_JIS CSV
    and no Shapefile then (the UTF-8 CSV and the GeoJSON carry them)."""
    out.mkdir(parents=True, exist_ok=True)
    name = reports.survey_file_name
    async with database_for(settings.db, readers=1) as db:
        documents = DocumentService.start(db, settings, RubricRegistry.load_dir(settings.rubrics_dir))
        try:
            document = await documents.survey_report(contract_id)
            pdf = await documents.survey_pdf(document)
            karte = await documents.house_karte_pdf(document)
            parts = await documents.pdf("survey_by_district", document) if by_district else {}
            photos = out / name(contract_id, "zip")
            with photos.open("wb") as f:
                async for chunk in documents.survey_photo_zip(document):
                    f.write(chunk)
        finally:
            await documents.aclose()
        files = {name(contract_id, "pdf"): pdf, name(contract_id, "csv"): reports.survey_csv(document)}
        skipped = []
        try:
            files[name(contract_id, "csv_sjis")] = reports.survey_csv(document, "shift_jis")
        except reports.CsvEncodingError as exc:
            skipped.append(f"{name(contract_id, 'csv_sjis')}: {exc}")
        files |= {name(contract_id, "geojson"): reports.survey_geojson(document), name(contract_id, "karte"): karte}
        files |= {name(contract_id, "pdf", district): data for district, data in parts.items()}
        try:
            gis = reports.survey_shapefile_files(document, f"akiya_survey_{contract_id}")
        except reports.ShapefileEncodingError as exc:
            skipped.append(f"Shapefile: {exc}")
        else:
            files[name(contract_id, "shp")] = reports.survey_shapefile_zip(document, f"akiya_survey_{contract_id}")
            (out / name(contract_id, "gis")).mkdir(exist_ok=True)
            files |= {f"{name(contract_id, 'gis')}/{file_name}": data for file_name, data in gis.items()}
        paths = []
        for file_name, data in files.items():
            path = out / file_name
            path.write_bytes(data)
            paths.append(path)
        paths.append(photos)
        await _record(db, "survey", str(contract_id), "", paths[0], pdf)
    if skipped:
        raise FilesSkipped(paths, skipped)
    return paths


__all__ = ["BatchFailed", "NotFound", "FilesSkipped", "owner_reports", "survey_reports"]
