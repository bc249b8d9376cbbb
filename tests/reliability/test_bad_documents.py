"""Worst case against the real server process: a document refused in the PDF worker, then the
worker killed outright (as the OOM killer would). Every other PDF is still made, at once."""

from datetime import datetime

import pytest

from tests.reliability.live_server import Api, LiveServer
from tests.support.field import JST, Visit, watch_visit
from tests.support.processes import kill_pdf_workers, pdf_workers
from tests.support.world import PASSWORD, build_world


@pytest.fixture
def town(tmp_path):
    world = build_world(tmp_path / "akiya.sqlite3")
    with LiveServer(tmp_path / "akiya.sqlite3", tmp_path / "data") as server:
        yield world, server


def _approve(port: int, carrier: str, clerk: str, visit: Visit) -> None:
    phone = Api.login(port, carrier, PASSWORD)
    assert phone.push([visit.op()])[0]["status"] == "applied"
    assert {phone.put_photo(pid, data)[0] for pid, data in visit.photos.items()} == {201}
    status, body = Api.login(port, clerk, PASSWORD).request(
        "POST", f"/api/v1/inspections/{visit.id}/review", {"decision": "approve"})
    assert status == 200, body


def test_one_bad_document_never_breaks_the_next(town):
    world, server = town
    month = datetime.now(JST).strftime("%Y-%m")
    _approve(server.port, "aoki", "ueda",
             watch_visit(world, overrides={"garden": "check", "garden_note": "雨どいが外れています🙂"}))
    _approve(server.port, "kato", "kudo", Visit(property_id=world.properties["north"], rubric_id="watch_basic",
                                                task_id=world.tasks["north"], lat=35.7000, lon=139.7550))
    ono_report = f"/api/v1/reports/owner/{world.properties['watched']}?month={month}"
    oda_report = f"/api/v1/reports/owner/{world.properties['north']}?month={month}"
    clerk, ono, oda = (Api.login(server.port, login, PASSWORD) for login in ("ueda", "ono", "oda"))

    for _ in range(3):  # the clerk insists on the strict document: refused each time, never a 500
        status, body = clerk.request("GET", ono_report + "&strict=true")
        assert status == 422 and body["code"] == "missing_glyphs", body
    status, pdf = oda.request("GET", oda_report)
    assert status == 200 and pdf[:5] == b"%PDF-"

    assert pdf_workers(server.pid) and kill_pdf_workers(server.pid) >= 1
    for api, url in ((oda, oda_report), (ono, ono_report), (oda, oda_report)):
        status, pdf = api.request("GET", url)
        assert status == 200 and pdf[:5] == b"%PDF-", (url, status, pdf[:200])
    assert Api(server.port).request("GET", "/healthz")[0] == 200
