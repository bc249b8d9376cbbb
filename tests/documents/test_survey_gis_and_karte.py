"""A survey contract's deliverables for the town's GIS and its 空き家バンク, through the API: the Shapefile ZIP
carries the 利活用判定 of a v3 form; each download is audited and refused to those who may not see the
contract, as the report, CSV and GeoJSON are.

Every visit is dated 2026-06-15 inside a contract of 2026-04-01..2027-03-31: no test reads today's date.
"""

import io
import json
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
