"""The municipal officer takes the town's GIS data and a house's 空き家カルテ from the contract page in a real
browser: the Shapefile ZIP through its link, one house's カルテ through the 整理番号 form."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from tests.browser_office.conftest import screenshot


def test_the_town_downloads_the_shapefile_and_one_houses_karte_from_the_contract_page(new_page):
    town = new_page("town1")
    town.goto("/office/contracts/1")
    screenshot(town, "town1_contract_downloads")
    with town.expect_download() as shp:
        town.get_by_role("link", name="統合型GIS 用（Shapefile・JGD2011 緯度経度・属性は CP932、属性名一覧つき ZIP）").click()
    names = zipfile.ZipFile(io.BytesIO(Path(shp.value.path()).read_bytes())).namelist()
    assert {"akiya_survey_1.shp", "akiya_survey_1.dbf", "akiya_survey_1.prj", "akiya_survey_1.cpg", "属性名一覧.csv"} <= set(names)
    town.get_by_label("1軒だけ：整理番号").fill("0001")
    with town.expect_download() as karte:
        town.get_by_role("button", name="カルテを作成").click()
    assert karte.value.suggested_filename == "空き家カルテ_1_0001.pdf"
    assert Path(karte.value.path()).read_bytes()[:5] == b"%PDF-"
