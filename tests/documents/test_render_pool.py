"""The PDF worker pool: errors come back whole, a dead worker is replaced, and documents in
flight when it died are drawn again, each on its own."""

import asyncio
import time

import msgspec
import pytest

import reports
from reports.glyphs import map_strings
from reports.samples import owner_report, survey_report
from server.documents.render import PdfRenderer
from tests.support.processes import kill_pdf_workers, pdf_workers


@pytest.fixture
def ordinary(tmp_path):
    return owner_report(tmp_path)


def _run(scenario):
    async def go():
        renderer = PdfRenderer()
        try:
            return await scenario(renderer)
        finally:
            renderer.close()
    return asyncio.run(go())


def test_a_refused_document_comes_back_from_the_worker_with_its_fields_and_the_next_is_drawn(ordinary):
    emoji = msgspec.structs.replace(ordinary, remarks="雨どいが外れています🙂")

    async def scenario(renderer):
        with pytest.raises(reports.MissingGlyphs) as refused:
            await renderer.render("owner_monthly", emoji, substitute_missing=False)
        return refused.value, await renderer.render("owner_monthly", ordinary)

    refused, pdf = _run(scenario)
    assert [(m.field, m.chars) for m in refused.found] == [("remarks", "🙂")]
    assert pdf == reports.owner_monthly_pdf(ordinary, reports.load_fonts())


def test_a_pdf_worker_that_died_is_replaced_and_the_next_document_is_drawn(ordinary):
    async def scenario(renderer):
        first = await renderer.render("owner_monthly", ordinary)
        assert kill_pdf_workers(of=renderer) == 1
        time.sleep(0.2)
        return first, await renderer.render("owner_monthly", ordinary)

    first, second = _run(scenario)
    assert second == first


def test_documents_in_flight_when_their_worker_dies_are_each_drawn_again(ordinary, tmp_path):
    slow = map_strings(survey_report(tmp_path, n=10), lambda text, _field: text * 2000)

    async def scenario(renderer):
        big = asyncio.create_task(renderer.render("survey", slow))
        small = asyncio.create_task(renderer.render("owner_monthly", ordinary))
        while not pdf_workers(of=renderer):
            await asyncio.sleep(0.05)
        await asyncio.sleep(1.5)  # the survey is being drawn, the owner report waits behind it
        assert not big.done() and kill_pdf_workers(of=renderer) == 1
        return await asyncio.gather(big, small)

    big, small = _run(scenario)
    assert big.startswith(b"%PDF-") and small == reports.owner_monthly_pdf(ordinary, reports.load_fonts())
