"""Worst case against the real server process: a document refused in the PDF worker, then the
worker killed outright (as the OOM killer would). Every other PDF is still made, at once."""

from datetime import datetime

import pytest

from tests.support.field import JST, Visit, watch_visit
from tests.support.live_server import LiveServer
from tests.support.processes import kill_pdf_workers, pdf_workers
from tests.support.world import build_world


@pytest.fixture
def town(backend):
    world = build_world(backend.db)
    with backend.live_server() as server:
        yield world, server


def _approve(server: LiveServer, carrier: str, clerk: str, visit: Visit) -> None:
    phone = server.session(carrier)
    assert phone.push([visit.op()])[0]["status"] == "applied"
    assert {phone.put_photo(pid, data).status_code for pid, data in visit.photos.items()} == {201}
    review = server.session(clerk).post(f"/api/v1/inspections/{visit.id}/review", json={"decision": "approve"})
    assert review.status_code == 200, review.text


def test_one_bad_document_never_breaks_the_next(town):
    world, server = town
    month = datetime.now(JST).strftime("%Y-%m")
    _approve(server, "aoki", "ueda",
             watch_visit(world, overrides={"garden": "check", "garden_note": "雨どいが外れています🙂"}))
    _approve(server, "kato", "kudo", Visit(property_id=world.properties["north"], rubric_id="watch_basic",
                                                task_id=world.tasks["north"], lat=35.7000, lon=139.7550))
    ono_report = f"/api/v1/reports/owner/{world.properties['watched']}?month={month}"
    oda_report = f"/api/v1/reports/owner/{world.properties['north']}?month={month}"
    clerk, ono, oda = (server.session(login) for login in ("ueda", "ono", "oda"))

    for _ in range(3):  # the clerk insists on the strict document: refused each time, never a 500
        refused = clerk.get(ono_report + "&strict=true")
        assert refused.status_code == 422 and refused.json()["code"] == "missing_glyphs", refused.text
    pdf = oda.get(oda_report)
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"

    assert pdf_workers(server.pid) and kill_pdf_workers(server.pid) >= 1
    for owner, url in ((oda, oda_report), (ono, ono_report), (oda, oda_report)):
        pdf = owner.get(url)
        assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-", (url, pdf.status_code, pdf.content[:200])
    assert server.http().get("/healthz").status_code == 200
