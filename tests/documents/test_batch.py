"""`akiya report owner`: the batch makes its PDFs through the same document service as the
download route and the mail, so owners' reports never fail on a character there either."""

import subprocess

from server.ops.cli import main
from tests.documents.test_document_failures import _approve, _month
from tests.office.db import execute
from tests.support.field import Visit, watch_visit


def _read(path, tool):
    args = [tool, str(path)] + (["-"] if tool == "pdftotext" else [])
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def test_the_monthly_batch_prints_rare_kanji_in_ipamj_and_emoji_as_geta(world, as_, settings, tmp_path, capsys):
    _approve(as_, "aoki", "ueda", watch_visit(world, overrides={"garden": "check", "garden_note": "雨どいが外れています🙂"}))
    _approve(as_, "kato", "kudo", Visit(property_id=world.properties["north"], rubric_id="watch_basic",
                                        task_id=world.tasks["north"], lat=35.7000, lon=139.7550))
    execute(settings, "UPDATE owners SET name = '𠮷田 信子' WHERE id = ?", world.owners["oda"])
    out = tmp_path / "out"
    assert main(["report", "owner", "--month", _month(), "--db", str(settings.db),
                 "--data-dir", str(settings.data_dir), "--out", str(out)]) == 0
    assert "2 件の報告書" in capsys.readouterr().out
    ono = out / f"みまもり報告書_{_month()}_{world.properties['watched'][:8]}.pdf"
    oda = out / f"みまもり報告書_{_month()}_{world.properties['north'][:8]}.pdf"
    assert "雨どいが外れています〓" in _read(ono, "pdftotext") and "〓で表示しています" in _read(ono, "pdftotext")
    assert "IPAmjMincho" in _read(oda, "pdffonts") and "〓" not in _read(oda, "pdftotext")


def test_the_batch_keeps_a_few_documents_in_flight_not_one_per_house(settings, world, tmp_path, monkeypatch):
    """1,000 houses queued at once on 2 reader connections waited longer than PostgreSQL's pool
    allows (30 s) on a busy machine: the batch keeps 2 documents per worker in flight."""
    import asyncio

    from server.documents import batch
    from server.documents.service import DocumentService

    houses = [f"{n:08d}-house" for n in range(40)]  # the file name keeps 8 characters
    now, most = 0, 0

    async def watched(conn, month):
        return houses

    async def pdf(self, property_id, month, owner_id=None, *, strict=False):
        nonlocal now, most
        now += 1
        most = max(most, now)
        await asyncio.sleep(0.005)
        now -= 1
        return b"%PDF-1.4 " + property_id.encode()

    async def record(db, kind, subject, period, path, data):
        assert path.read_bytes() == data

    monkeypatch.setattr(batch, "watched_houses_with_visit_in", watched)
    monkeypatch.setattr(DocumentService, "owner_monthly_pdf", pdf)
    monkeypatch.setattr(batch, "_record", record)
    written = asyncio.run(batch.owner_reports(settings, "2026-11", tmp_path / "out", workers=2))
    assert len(written) == 40 and {p.read_bytes()[9:].decode() for p in written} == set(houses)
    assert most == 4
