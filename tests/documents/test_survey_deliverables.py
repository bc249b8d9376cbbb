"""The survey deliverables a municipality files as they are: stable numbers, identifiers, the list in
both encodings under two names, the photo ZIP, and a PDF with maps, criteria and the comparison."""

import asyncio
import csv
import io
import subprocess
import zipfile

import pytest

from tests.support.field import Visit, survey_visit


def _db(world, fn):
    from server.db import database_for

    async def run():
        async with database_for(world.db_path, readers=1) as db:
            return await db.write(fn)
    return asyncio.run(run())


def _contract(world, houses: list[str], *, title="令和8年度 空家等実態調査", start="2026-04-01", end="2027-03-31",
              contract_no="千代田区契第8-15号", houses_in_area=None) -> int:
    async def make(conn):
        cur = await conn.execute(
            """INSERT INTO survey_contracts (municipality_code, office_code, title, period_start, period_end,
               rubric_id, rubric_version, created_at, contract_no, houses_in_area)
               VALUES ('131016', '10001', ?, ?, ?, 'municipal_survey', 2, ?, ?, ?)""",
            (title, start, end, start, contract_no, houses_in_area))
        for key in houses:
            await conn.execute("INSERT INTO contract_properties (contract_id, property_id) VALUES (?, ?)",
                               (cur.lastrowid, world.properties[key]))
        await conn.execute("UPDATE properties SET ledger_no = 'K-77', chiban = '二番町2番2', kaoku_no = '2番2の1'"
                           " WHERE id = ?", (world.properties["surveyed"],))
        return cur.lastrowid
    return _db(world, make)


def _approve(as_, visit, carrier="aoki", clerk="ueda"):
    phone, ueda = as_(carrier), as_(clerk)
    assert phone.push([visit.op()])[0]["status"] == "applied"
    assert set(visit.upload_all(phone)) == {201}
    assert ueda.post(f"/api/v1/inspections/{visit.id}/review", json={"decision": "approve"}).status_code == 200


def _north_survey(world):
    """A survey of the northern house by its carrier (kato), with the task that lets the phone record it."""
    from server.core.audit import SYSTEM
    from server.tasks.queries import add_task

    async def task(conn):
        return await add_task(conn, SYSTEM, property_id=world.properties["north"], kind="survey",
                              rubric_id="municipal_survey", rubric_version=2, due_date="2027-03-31",
                              assignee_id=world.users["kato"])
    return Visit(property_id=world.properties["north"], rubric_id="municipal_survey", task_id=_db(world, task),
                 lat=35.7000, lon=139.7550, photo_seed=7)


def _csv(response, encoding="utf-8-sig") -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode(encoding), newline="")))


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "survey.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_reference_numbers_do_not_change_between_an_interim_and_a_final_report(world, as_):
    contract = _contract(world, ["north", "surveyed"])  # the municipality's list order: north is 0001
    _approve(as_, survey_visit(world))
    interim = _csv(as_("mori").get(f"/api/v1/reports/survey/{contract}.csv"))
    assert [(r["整理番号"], r["所在地"]) for r in interim] == [("0002", "東京都千代田区二番町2-2")]
    _approve(as_, _north_survey(world), "kato", "kudo")
    final = _csv(as_("mori").get(f"/api/v1/reports/survey/{contract}.csv"))
    assert [(r["整理番号"], r["所在地"]) for r in final] == [("0001", "東京都千代田区神田三崎町3-3"),
                                                         ("0002", "東京都千代田区二番町2-2")]


def test_the_list_carries_identifiers_statutory_range_findings_and_an_item_per_column(world, as_):
    contract = _contract(world, ["surveyed"])
    _approve(as_, survey_visit(world, overrides={"s2_frame": "collapse_risk", "s1_column": "unseen"}))
    row = _csv(as_("mori").get(f"/api/v1/reports/survey/{contract}.csv"))[0]
    assert (row["団体コード"], row["契約番号"], row["整理番号"]) == ("131016", "千代田区契第8-15号", "0001")
    assert (row["台帳番号"], row["地番"], row["家屋番号"]) == ("K-77", "二番町2番2", "2番2の1")
    assert row["不良度（別表第1）下限"] == "100" and row["不良度（別表第1）の判定"] == "不良住宅（不良度100以上）"
    assert "1(二) 柱の最小径が7.5cm未満" in row["外から確認できない評定項目"]
    assert "【至急】建物の倒壊のおそれ（要現地確認）" in row["所見（保安上危険）"]
    assert row["回答：2(二) 基礎、土台、柱又ははり"] == "腐朽・破損・変形が著しく崩壊の危険がある"
    assert row["回答：1(二) 柱の最小径が7.5cm未満"] == "外から確認できない"
    assert (row["危険度（自治体基準）"], row["危険度（自治体基準）のランク"]) == ("0", "C")
    assert row["写真ファイル名"] == "0001_全景.jpg 0001_損傷箇所.jpg"  # the finding brought its damage photo


def test_utf8_and_shift_jis_lists_download_under_different_names_and_read_the_same(world, as_):
    contract = _contract(world, ["surveyed"])
    _approve(as_, survey_visit(world))
    mori = as_("mori")
    utf8 = mori.get(f"/api/v1/reports/survey/{contract}.csv")
    sjis = mori.get(f"/api/v1/reports/survey/{contract}.csv", params={"encoding": "shift_jis"})
    assert utf8.headers["content-disposition"] != sjis.headers["content-disposition"]
    assert "UTF-8.csv" in utf8.headers["content-disposition"]
    assert "Shift_JIS.csv" in sjis.headers["content-disposition"]
    strip = [{k: v.replace("〜", "～") for k, v in r.items()} for r in _csv(utf8)]
    assert _csv(sjis, "cp932") == strip


def test_the_photo_zip_holds_the_originals_as_received_under_the_names_the_list_gives(world, as_):
    import hashlib

    import exifread

    contract = _contract(world, ["surveyed", "north"])
    visit = survey_visit(world, slots=["overview", "front"])
    _approve(as_, visit)
    mori = as_("mori")
    response = mori.get(f"/api/v1/reports/survey/{contract}.zip")
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    listed = _csv(mori.get(f"/api/v1/reports/survey/{contract}.csv"))[0]["写真ファイル名"].split()
    assert listed == ["0001_全景.jpg", "0001_建物正面.jpg"]  # form order, the slots' Japanese names
    assert archive.namelist() == [*listed, "写真一覧.csv"]
    sent = list(visit.photos.values())  # in slot order, as the phone declared them
    assert [archive.read(name) for name in listed] == sent  # byte for byte: nothing shrunk or stripped
    tags = exifread.process_file(io.BytesIO(archive.read("0001_全景.jpg")), details=False)
    assert "EXIF DateTimeOriginal" in tags and "GPS GPSLatitude" in tags
    index = list(csv.DictReader(io.StringIO(archive.read("写真一覧.csv").decode("utf-8-sig"), newline="")))
    assert [(r["ファイル名"], r["整理番号"], r["写真の区分"]) for r in index] == [
        ("0001_全景.jpg", "0001", "全景"), ("0001_建物正面.jpg", "0001", "建物正面")]
    assert [r["SHA-256"] for r in index] == [hashlib.sha256(data).hexdigest() for data in sent]
    assert index[0]["位置の出所"] == "写真のGPS" and abs(float(index[0]["緯度"]) - 35.688) < 0.001
    assert index[0]["撮影日時"][:4].isdigit()
    assert as_("kudo").get(f"/api/v1/reports/survey/{contract}.zip").status_code == 404


def test_the_pdf_has_a_map_per_district_the_criteria_table_and_the_comparison_with_the_last_survey(
        world, as_, tmp_path):
    earlier = _contract(world, ["surveyed"], title="令和7年度 空家等実態調査", start="2025-04-01", end="2026-03-31")
    contract = _contract(world, ["surveyed", "north"], houses_in_area=2400)
    _approve(as_, survey_visit(world, overrides={"current_state": "vacant_high"}))

    async def backdate(conn):  # the same house, surveyed during the earlier contract
        async with conn.execute("SELECT * FROM inspections WHERE status = 'approved'") as cur:
            names = [d[0] for d in cur.description]
            row = dict(zip(names, await cur.fetchone()))
        row.update(id="earlier-visit", finished_at="2025-11-20T10:00:00+09:00",
                   started_at="2025-11-20T09:50:00+09:00", op_id="earlier-op") if "op_id" in row else row.update(
            id="earlier-visit", finished_at="2025-11-20T10:00:00+09:00", started_at="2025-11-20T09:50:00+09:00")
        await conn.execute(f"INSERT INTO inspections ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                           list(row.values()))
    _db(world, backdate)
    _approve(as_, _north_survey(world), "kato", "kudo")
    pdf = as_("mori").get(f"/api/v1/reports/survey/{contract}.pdf")
    assert pdf.status_code == 200
    text = _text(pdf.content, tmp_path)
    assert "判定基準表" in text and "住宅地区改良法施行規則（昭和35年建設省令第10号）第1条・別表第1" in text
    assert "基礎が玉石" in text and "崩壊の危険がある" in text
    assert "位置図・分布図（二番町）" in text and "位置図・分布図（神田三）" in text
    assert "前回調査との比較" in text and "令和7年度 空家等実態調査" in text
    assert "継続" in text and "新規" in text
    assert "空き家率" in text and "2,400 戸" in text
    assert "付録 調査票（様式）" in text
    assert earlier != contract


@pytest.mark.parametrize("district, present, absent", [("二番町", "東京都千代田区二番町2-2", "神田三崎町3-3")])
def test_one_districts_pdf_holds_only_its_houses(world, as_, tmp_path, district, present, absent):
    contract = _contract(world, ["surveyed", "north"])
    _approve(as_, survey_visit(world))
    _approve(as_, _north_survey(world), "kato", "kudo")
    response = as_("mori").get(f"/api/v1/reports/survey/{contract}.pdf", params={"district": district})
    assert response.status_code == 200
    assert "二番町.pdf" in response.headers["content-disposition"].replace("%E4%BA%8C%E7%95%AA%E7%94%BA", "二番町")
    text = _text(response.content, tmp_path)
    assert present in text and absent not in text
    missing = as_("mori").get(f"/api/v1/reports/survey/{contract}.pdf", params={"district": "存在しない町"})
    assert missing.status_code == 404


def test_the_contract_page_offers_the_photo_zip_and_a_pdf_per_district(world, as_, client):
    from tests.office.pages import sign_in

    contract = _contract(world, ["surveyed", "north"])
    sign_in(client, "ueda")
    page = client.get(f"/office/contracts/{contract}").text
    assert f"/api/v1/reports/survey/{contract}.zip" in page
    assert f"/api/v1/reports/survey/{contract}.pdf?district=%E4%BA%8C%E7%95%AA%E7%94%BA" in page  # 二番町
