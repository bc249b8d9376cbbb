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


def test_the_town_sees_how_long_owners_are_kept_and_takes_the_akiya_bank_list(new_page):
    """The demo's owners who want to sell or let and asked for the 空き家バンク are listed; the section about the
    owners' data shows its 保存期限 and the deletion asks for a confirmation (not pressed: the demo is shared)."""
    import csv

    town = new_page("town1")
    town.goto("/office/contracts/1")
    section = town.locator("#owner-data")
    assert section.is_visible() and "保存期限" in town.content()
    town.locator("#owner-data").scroll_into_view_if_needed()
    screenshot(town, "town1_owner_data_retention")
    assert town.get_by_role("button", name="今すぐ削除する").is_visible()
    assert town.get_by_label("この契約の所有者の個人情報", exact=False).get_attribute("required") is not None
    with town.expect_download() as bank:
        town.get_by_role("link", name="CSV（UTF-8）").click()
    listed = list(csv.DictReader(io.StringIO(Path(bank.value.path()).read_bytes().decode("utf-8-sig"))))
    assert listed and {r["今後の意向"] for r in listed} <= {"売却したい", "賃貸したい"}
    assert {r["空き家バンク登録の希望"] for r in listed} == {"登録を希望する"}
