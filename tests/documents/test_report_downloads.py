"""Report downloads: who may fetch them, and what the documents say (read with poppler's tools)."""

import csv
import re
import io
import json
import subprocess
from datetime import datetime, timedelta

import pytest

from tests.support.field import JST, survey_visit, watch_visit
from tests.support.handover import hand_over


def _approved(world, as_, make, **kw):
    aoki, ueda = as_("aoki"), as_("ueda")
    visit = make(world, **kw)
    assert aoki.push([visit.op()])[0]["status"] == "applied"
    assert set(visit.upload_all(aoki)) == {201}
    assert ueda.post(f"/api/v1/inspections/{visit.id}/review", json={"decision": "approve"}).status_code == 200
    return visit


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _month() -> str:
    return datetime.now(JST).strftime("%Y-%m")


def _era(day) -> str:
    return f"令和{day.year - 2018}年{day.month}月{day.day}日"


@pytest.fixture
def watch(world, as_):
    return _approved(world, as_, watch_visit, overrides={"garden": "check", "garden_note": "雑草が伸びています"})


def test_the_owner_downloads_a_report_with_items_photos_and_era_date_and_a_statement_page(world, as_, watch, tmp_path):
    response = as_("ono").get(f"/api/v1/reports/owner/{world.properties['watched']}", params={"month": _month()})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    text = _text(response.content, tmp_path)
    for expected in ("空き家みまもり報告書", "東京都千代田区一番町1-1", "庭木・雑草の状況", "要確認", "雑草が伸びています",
                     "小野 和子", "青木", "中央郵便局", _era(datetime.now(JST).date()), "利用明細", "決済を行いません"):
        assert expected in text, expected
    assert "一郎" not in text  # the carrier by family name only
    info = subprocess.run(["pdfinfo", str(tmp_path / "doc.pdf")], capture_output=True, text=True).stdout
    assert re.search(r"^Pages:\s+3$", info, re.M)  # two pages of the visit, then 利用明細 on its own
    images = subprocess.run(["pdfimages", "-list", str(tmp_path / "doc.pdf")], capture_output=True, text=True).stdout
    assert len(images.strip().splitlines()) - 2 == 7
    fonts = subprocess.run(["pdffonts", str(tmp_path / "doc.pdf")], capture_output=True, text=True).stdout
    rows = fonts.strip().splitlines()[2:]
    assert rows and all(" yes " in row for row in rows)


def test_the_same_records_give_the_same_report(world, as_, watch):
    url = f"/api/v1/reports/owner/{world.properties['watched']}"
    first = as_("ueda").get(url, params={"month": _month()}).content
    assert as_("admin").get(url, params={"month": _month()}).content == first


@pytest.mark.parametrize("login", ["oda", "kudo", "mori", "kato", "aoki"])
def test_nobody_else_can_fetch_an_owners_report(world, as_, watch, login):
    response = as_(login).get(f"/api/v1/reports/owner/{world.properties['watched']}", params={"month": _month()})
    assert response.status_code == 404


def test_a_month_without_an_approved_visit_is_a_clear_404(world, as_, watch):
    response = as_("ono").get(f"/api/v1/reports/owner/{world.properties['watched']}", params={"month": "2001-01"})
    assert response.status_code == 404 and "2001-01" in response.json()["message"]


def test_a_malformed_month_is_a_400(world, as_):
    response = as_("ono").get(f"/api/v1/reports/owner/{world.properties['watched']}", params={"month": "11/2026"})
    assert response.status_code == 400 and response.json()["code"] == "invalid_month"


def _contract(world):
    import asyncio

    from server.db import database_for

    async def run():
        async with database_for(world.db_path, readers=1) as db:
            async def make(conn):
                cur = await conn.execute(
                    """INSERT INTO survey_contracts (municipality_code, office_code, title, period_start, period_end,
                       rubric_id, rubric_version, created_at)
                       VALUES ('131016', '10001', '令和8年度 空家等実態調査', '2026-04-01', '2027-03-31',
                               'municipal_survey', 1, '2026-04-01')""")
                await conn.execute("INSERT INTO contract_properties (contract_id, property_id) VALUES (?, ?)", (cur.lastrowid, world.properties["surveyed"]))
                await conn.execute("INSERT INTO contract_properties (contract_id, property_id) VALUES (?, ?)", (cur.lastrowid, world.properties["north"]))
                return cur.lastrowid
            return await db.write(make)

    return asyncio.run(run())


def test_the_municipal_officer_gets_the_survey_as_pdf_csv_in_both_encodings_and_geojson(world, as_, tmp_path):
    contract = _contract(world)
    _approved(world, as_, survey_visit)
    mori = as_("mori")
    pdf = mori.get(f"/api/v1/reports/survey/{contract}.pdf")
    assert pdf.status_code == 200
    text = _text(pdf.content, tmp_path)
    assert "空き家調査報告書" in text and "東京都千代田区二番町2-2" in text and "千代田区" in text
    utf8 = mori.get(f"/api/v1/reports/survey/{contract}.csv")
    assert utf8.content.startswith(b"\xef\xbb\xbf")
    sjis = mori.get(f"/api/v1/reports/survey/{contract}.csv", params={"encoding": "shift_jis"})
    rows_utf8 = list(csv.reader(io.StringIO(utf8.content.decode("utf-8-sig"))))
    rows_sjis = list(csv.reader(io.StringIO(sjis.content.decode("cp932"))))
    assert rows_utf8 == rows_sjis and len(rows_utf8) == 2
    geo = json.loads(mori.get(f"/api/v1/reports/survey/{contract}.geojson").content)
    lon, lat = geo["features"][0]["geometry"]["coordinates"]
    assert 122 < lon < 154 and 20 < lat < 46


@pytest.mark.parametrize("login,status", [("ueda", 200), ("admin", 200), ("kudo", 404), ("ono", 404), ("aoki", 404)])
def test_only_the_contracts_municipality_office_and_admin_get_the_survey(world, as_, login, status):
    contract = _contract(world)
    assert as_(login).get(f"/api/v1/reports/survey/{contract}.geojson").status_code == status


def test_the_post_disaster_notice_says_it_is_not_a_damage_assessment(world, as_, tmp_path):
    import asyncio

    from server.core.audit import SYSTEM
    from server.db import database_for
    from server.tasks.queries import add_task
    from tests.support.field import Visit

    async def task():
        async with database_for(world.db_path, readers=1) as db:
            return await db.write(add_task, SYSTEM, property_id=world.properties["watched"], kind="disaster",
                                  rubric_id="post_disaster", rubric_version=1, due_date="2026-01-01",
                                  assignee_id=world.users["aoki"], priority=2, options=["disaster"])

    task_id = asyncio.run(task())
    aoki, ueda = as_("aoki"), as_("ueda")
    visit = Visit(property_id=world.properties["watched"], rubric_id="post_disaster", task_id=task_id,
                  options=["disaster"])
    assert aoki.push([visit.op()])[0]["status"] == "applied", aoki.push([visit.op()])
    visit.upload_all(aoki)
    ueda.post(f"/api/v1/inspections/{visit.id}/review", json={"decision": "approve"})
    response = as_("ono").get(f"/api/v1/reports/disaster/{visit.id}")
    assert response.status_code == 200
    text = _text(response.content, tmp_path)
    assert "災害後見回り" in text and "東京都千代田区一番町1-1" in text and "千代田区" in text
    assert as_("oda").get(f"/api/v1/reports/disaster/{visit.id}").status_code == 404


@pytest.mark.own_pdf_workers  # the fonts are loaded when a pool starts
def test_a_server_without_japanese_fonts_says_so_instead_of_failing_blindly(world, as_, watch, settings, monkeypatch):
    import reports

    def no_fonts(*args, **kwargs):
        raise reports.FontNotFound("no IPAex font at /nowhere")

    monkeypatch.setattr("server.documents.render.reports.load_fonts", no_fonts)
    response = as_("ono").get(f"/api/v1/reports/owner/{world.properties['watched']}", params={"month": _month()})
    assert response.status_code == 503
    assert response.json()["code"] == "fonts_missing" and "fonts-ipaexfont" in response.json()["message"]


def test_after_a_handover_each_months_report_is_addressed_to_the_owner_of_that_month(world, as_, tmp_path):
    handover = hand_over(world, as_)
    url = f"/api/v1/reports/owner/{handover.property_id}"
    for reader in ("ueda", "oda"):
        november = _text(as_(reader).get(url, params={"month": "2026-11"}).content, tmp_path)
        assert "織田 信子" in november and "小野" not in november, reader
        # the comparison is with the new owner's own earlier visits (none), never with Ono's October
        assert "初回のご報告です。" in november and "悪くなりました" not in november
    for reader in ("ueda", "ono"):
        october = _text(as_(reader).get(url, params={"month": "2026-10"}).content, tmp_path)
        assert "小野 和子" in october and "織田" not in october, reader


def test_the_csv_names_its_charset_once_and_head_gives_the_same_headers_without_the_body(world, as_):
    contract = _contract(world)
    _approved(world, as_, survey_visit)
    mori = as_("mori")
    for params, charset in (({}, "utf-8"), ({"encoding": "shift_jis"}, "shift_jis")):
        url = f"/api/v1/reports/survey/{contract}.csv"
        got, head = mori.get(url, params=params), mori.head(url, params=params)
        assert got.headers["content-type"] == f"text/csv; charset={charset}"
        assert (head.status_code, head.headers["content-type"], head.content) == (200, got.headers["content-type"], b"")
        assert head.headers["content-disposition"] == got.headers["content-disposition"]
