"""A survey contract's deliverables for the town's GIS and its 空き家バンク, through the API: the Shapefile ZIP
carries the 利活用判定 of a v3 form; the 空き家カルテ is one page per house (or one house by 整理番号), read back
with pdftotext, its 所有者意向 box saying the survey has not been done; each download is audited and
refused to those who may not see the contract, as the report, CSV and GeoJSON are.

Every visit is dated 2026-06-15 inside a contract of 2026-04-01..2027-03-31: no test reads today's date.
"""

import csv
import io
import json
import subprocess
import zipfile
from datetime import datetime

import pytest
import shapefile

from server.core.clock import JST, stopped_at
from tests.office.db import query
from tests.support.survey_contract import v3_contract


@pytest.fixture(autouse=True)
def an_hour_after_the_visits():
    with stopped_at(datetime(2026, 6, 15, 11, 0, tzinfo=JST)):
        yield


def _shapefile(data: bytes, contract: int) -> shapefile.Reader:
    files = zipfile.ZipFile(io.BytesIO(data))
    base = f"akiya_survey_{contract}"
    return shapefile.Reader(shp=io.BytesIO(files.read(f"{base}.shp")), shx=io.BytesIO(files.read(f"{base}.shx")),
                            dbf=io.BytesIO(files.read(f"{base}.dbf")), encoding="cp932")


def _exports(settings, contract: int) -> list[tuple[int, dict]]:
    return [(user, json.loads(details)) for user, details in query(
        settings, "SELECT user_id, details FROM audit_log WHERE action = 'survey.export' AND entity_id = ? ORDER BY id",
        str(contract))]


def test_the_shapefile_carries_the_reuse_class_and_its_download_is_audited(world, as_, settings):
    contract = v3_contract(world, as_)
    response = as_("mori").get(f"/api/v1/reports/survey/{contract}.shp.zip")
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    assert "GIS_Shapefile.zip" in response.headers["content-disposition"]
    by_address = {r["所在地"]: r for r in _shapefile(response.content, contract).records()}
    assert by_address["東京都千代田区神田三崎町3-3"]["活用可能性"] == "除却が望ましい"
    assert by_address["東京都千代田区二番町2-2"]["建築年月日"] == "1981-05-31"
    assert by_address["東京都千代田区一番町1-1"]["活用理由"] == "建築年：台帳に記録なし／接道（前面道路の幅員）：接道なし・不明"
    assert _exports(settings, contract) == [(world.users["mori"], {"file": "shp.zip"})]


def test_a_carrier_gets_no_gis_data_and_nothing_is_audited(world, as_, settings):
    contract = v3_contract(world, as_)
    assert as_("aoki").get(f"/api/v1/reports/survey/{contract}.shp.zip").status_code in (403, 404)
    assert _exports(settings, contract) == []


def _pdf_pages(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "karte.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [page.replace("\n", "") for page in text.split("\f")[:-1]]


def test_the_karte_gives_each_house_a_page_with_its_reuse_reasons_and_no_invented_intention(world, as_, settings,
                                                                                           tmp_path):
    contract = v3_contract(world, as_)
    response = as_("mori").get(f"/api/v1/reports/survey/{contract}.karte.pdf")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    pages = _pdf_pages(response.content, tmp_path)
    assert len(pages) == 3
    by_address = {next(a for a in ("一番町1-1", "二番町2-2", "神田三崎町3-3") if a in page): page for page in pages}
    for page in pages:
        assert "空き家カルテ" in page and "所有者意向調査：未実施" in page and "資産価値の評価でもありません" in page
    assert "除却が望ましい" in by_address["神田三崎町3-3"] and "建築年月日（台帳）1981-06-01" in by_address["神田三崎町3-3"]
    assert "修繕により活用可能" in by_address["二番町2-2"] and "新耐震基準より前の建築" in by_address["二番町2-2"]
    assert "判定不能" in by_address["一番町1-1"] and "台帳に記録なし" in by_address["一番町1-1"]
    assert "不良度（別表第1）" in by_address["一番町1-1"]
    assert _exports(settings, contract) == [(world.users["mori"], {"file": "karte.pdf"})]


def test_one_houses_karte_by_its_reference_number_and_an_unknown_number_is_a_japanese_404(world, as_, settings,
                                                                                         tmp_path):
    contract = v3_contract(world, as_)
    clerk = as_("ueda")
    listed = csv.DictReader(io.StringIO(clerk.get(f"/api/v1/reports/survey/{contract}.csv").content.decode("utf-8-sig")))
    ref = next(row["整理番号"] for row in listed if row["所在地"] == "東京都千代田区二番町2-2")
    one = clerk.get(f"/api/v1/reports/survey/{contract}.karte.pdf", params={"ref": ref})
    assert one.status_code == 200 and f"{ref}.pdf" in one.headers["content-disposition"]
    [page] = _pdf_pages(one.content, tmp_path)
    assert f"No.{ref}" in page and "二番町2-2" in page and "神田三崎町" not in page
    missing = clerk.get(f"/api/v1/reports/survey/{contract}.karte.pdf", params={"ref": "9999"})
    assert missing.status_code == 404 and "整理番号「9999」" in missing.json()["message"]
    assert as_("aoki").get(f"/api/v1/reports/survey/{contract}.karte.pdf").status_code in (403, 404)
    assert _exports(settings, contract)[-1] == (world.users["ueda"], {"file": "karte.pdf", "ref": ref})


def test_the_cli_writes_every_deliverable_but_the_cp932_ones_when_a_name_has_a_character_cp932_lacks(
        world, as_, settings, tmp_path, capsys):
    from server.ops.cli import main
    from tests.office.db import execute

    contract = v3_contract(world, as_)
    execute(settings, "UPDATE properties SET address = ? WHERE id = ?", "東京都千代田区𠮷田町1-1",
            world.properties["surveyed"])
    out = tmp_path / "out"
    assert main(["report", "survey", str(contract), "--db", str(settings.db), "--data-dir", str(settings.data_dir),
                 "--out", str(out)]) == 1
    printed = capsys.readouterr()
    refused = [line for line in printed.err.splitlines() if line.startswith("作成しませんでした")]
    assert len(refused) == 2 and "Shift_JIS.csv" in refused[0] and "Shapefile" in refused[1]
    assert all("𠮷" in line for line in refused)  # each says which character, and where
    for written in (f"空き家調査報告書_{contract}.pdf", f"空き家カルテ_{contract}.pdf", f"空き家調査報告書_{contract}.geojson",
                    f"空き家調査報告書_{contract}_一覧_UTF-8.csv"):
        assert (out / written).exists() and written in printed.out  # written, and listed as such
    assert not list(out.glob("*Shapefile*")) and not list(out.glob("*Shift_JIS*"))
