"""Issue 7's pages in a real browser: editing a disaster, issuing an owner's sign-in, an admin's contract."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from server.demo import town
from tests.browser_office.conftest import screenshot
from tests.browser_office.test_office_browser import serious_violations


def test_a_clerk_edits_a_disaster_from_its_page(new_page, demo_server):
    clerk = new_page("office1")
    clerk.goto("/office/disasters/1")
    clerk.get_by_role("link", name="災害の内容・範囲を変更する").click()
    expect(clerk.get_by_label("名称")).to_have_value("大雨（青葉川の増水）")
    clerk.get_by_label("規模（例: 震度5強）").fill("時間雨量80mm")
    clerk.get_by_label("中心と半径で指定").check()
    clerk.get_by_label("中心の緯度").fill("35.67")
    clerk.get_by_label("中心の経度").fill("137.93")
    clerk.get_by_label("半径（m）").fill("-1")
    clerk.get_by_role("button", name="変更を保存").click()
    expect(clerk.get_by_role("alert")).to_contain_text("半径は 0 より大きく")
    expect(clerk.get_by_label("規模（例: 震度5強）")).to_have_value("時間雨量80mm")
    screenshot(clerk, "disaster_edit_error")
    assert serious_violations(clerk) == []
    clerk.get_by_label("自治体（地区）で指定").check()
    clerk.get_by_role("button", name="変更を保存").click()
    expect(clerk.get_by_role("status")).to_contain_text("変更しました。新しく作った見回り作業")
    assert demo_server.rows("SELECT intensity FROM disaster_events WHERE id = 1") == [("時間雨量80mm",)]


def test_a_clerk_issues_an_owners_login_and_the_owner_signs_in_with_it(new_page):
    clerk = new_page("office1")
    clerk.goto("/office/subscriptions")
    house = clerk.get_by_label("物件").locator("option").first.inner_text()
    clerk.get_by_label("所有者の氏名").fill("新井 千尋")
    clerk.get_by_role("button", name="契約を登録").click()
    clerk.get_by_role("link", name=re.compile("所有者のページ")).click()
    expect(clerk.get_by_role("heading", name="ログインを発行")).to_be_visible()
    screenshot(clerk, "owner")
    assert serious_violations(clerk) == []
    clerk.get_by_label("ログイン名（半角英数字）").fill("arai-chihiro")
    clerk.get_by_role("button", name="ログインを発行").click()
    expect(clerk.get_by_role("status")).to_contain_text("ログインを発行しました")
    screenshot(clerk, "owner_login_issued")
    assert serious_violations(clerk) == []
    password = clerk.locator("dt:has-text('初期パスワード') + dd").inner_text()

    owner = new_page()
    owner.goto("/office/login")
    owner.get_by_label("ログイン名").fill("arai-chihiro")
    owner.get_by_label("パスワード").fill(password)
    owner.get_by_role("button", name="ログイン").click()
    expect(owner.get_by_text(house).first).to_be_visible()


def test_an_admin_creates_a_contract_for_a_chosen_office(new_page, demo_server):
    admin = new_page("admin")
    admin.goto("/office/contracts")
    admin.get_by_label("郵便局", exact=True).select_option(town.OFFICE_2)
    admin.get_by_label("契約名").fill("青葉川町 追加調査（管理者登録）")
    admin.get_by_label("調査期間（開始）").fill("2026-12-01")
    admin.get_by_label("調査期間（終了）").fill("2027-02-28")
    admin.get_by_label("住所一覧 CSV").set_input_files(files=[{
        "name": "list.csv", "mimeType": "text/csv",
        "buffer": "住所,緯度,経度\n長野県青葉川町大字上郷9999番地,35.6376,137.9333\n長野県青葉川町大字上郷9998番地,north,137.93\n"
                  .encode("utf-8-sig")}])
    admin.get_by_role("button", name="契約を登録").click()
    expect(admin.get_by_role("alert")).to_contain_text("3 行目")
    screenshot(admin, "admin_contract_row_errors")
    assert serious_violations(admin) == []
    admin.get_by_label("住所一覧 CSV").set_input_files(files=[{
        "name": "list.csv", "mimeType": "text/csv",
        "buffer": "住所,緯度,経度\n長野県青葉川町大字上郷9999番地,35.6376,137.9333\n".encode("utf-8-sig")}])
    admin.get_by_role("button", name="契約を登録").click()
    expect(admin.get_by_role("heading", name=re.compile("追加調査"))).to_be_visible()
    assert demo_server.rows("SELECT office_code FROM survey_contracts WHERE title LIKE '%管理者登録%'") == [
        (town.OFFICE_2,)]
