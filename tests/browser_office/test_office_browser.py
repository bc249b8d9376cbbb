"""The back office in a real browser against a real server on the demo town."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from playwright.sync_api import expect

from server.demo import town
from server.demo.seed import DEMO_PASSWORD, demo_id
from tests.browser_office.conftest import screenshot
from tests.support.field import Visit

AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def serious_violations(page) -> list[str]:
    page.evaluate(AXE.read_text(encoding="utf-8"))  # evaluated by DevTools: the page's CSP forbids inline script
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def test_a_returned_record_comes_back_corrected_and_is_approved(new_page, demo_server):
    inspection_id, property_id, task_id, rubric_id, carrier, clerk_login = demo_server.rows("""
        SELECT i.id, i.property_id, i.task_id, i.rubric_id, u.login,
               (SELECT login FROM users WHERE role = 'office' AND office_code = u.office_code)
        FROM inspections i JOIN users u ON u.id = i.carrier_id
        WHERE i.status = 'submitted' AND i.kind = 'watch' AND i.task_id IS NOT NULL ORDER BY i.id LIMIT 1""")[0]
    clerk = new_page(clerk_login)
    clerk.get_by_role("link", name=re.compile("確認待ちの記録")).click()
    clerk.locator(f"a[href='/office/review/{inspection_id}']").click()
    expect(clerk.get_by_role("heading", name=re.compile("写真（区分ごとに今回と前回）"))).to_be_visible()
    screenshot(clerk, "review_item")
    clerk.get_by_role("button", name="差し戻す").click()  # no comment yet: the same page says why, nothing lost
    expect(clerk.get_by_role("alert")).to_contain_text("差し戻すときは")
    clerk.get_by_label(re.compile("コメント")).fill("玄関周辺の写真がぼやけています。撮り直してください。")
    clerk.get_by_role("button", name="差し戻す").click()
    expect(clerk.get_by_role("status")).to_contain_text("差し戻しました")

    phone = demo_server.session(carrier, DEMO_PASSWORD)
    returned = {r["inspection_id"]: r for r in phone.pull()["returned"]}
    assert returned[inspection_id]["comment"] == "玄関周辺の写真がぼやけています。撮り直してください。"
    house = next(h for h in town.PROPERTIES if demo_id(f"property:{h.key}") == property_id)
    options = demo_server.rows("SELECT options FROM tasks WHERE id = ?", task_id)[0][0]
    spot = demo_server.rows("SELECT requested_spot FROM watch_subscriptions WHERE property_id = ?", property_id)[0][0]
    correction = Visit(property_id=property_id, rubric_id=rubric_id, task_id=task_id, supersedes=inspection_id,
                       options=json.loads(options), lat=house.lat, lon=house.lon, photo_seed=77,
                       overrides={"requested_spot_note": f"{spot}：異常ありません。"} if spot else None)
    if spot:  # the owner's requested spot: its note and its photo (the phone requires both)
        correction.add_photo("requested_spot")
    result = phone.push([correction.op()])[0]
    assert result["status"] == "applied", result
    for photo_id, data in correction.photos.items():
        assert phone.put_photo(photo_id, data).status_code == 201

    clerk.goto("/office/review")
    row = clerk.locator("tr", has=clerk.locator(f"a[href='/office/review/{correction.id}']"))
    expect(row).to_contain_text("訂正")
    row.get_by_role("link").click()
    if clerk.get_by_label(re.compile("写真の注意")).count():
        clerk.get_by_label(re.compile("写真の注意")).check()
    clerk.get_by_role("button", name="承認する").click()  # nothing is preselected
    expect(clerk.get_by_role("status")).to_contain_text("承認しました")
    assert demo_server.rows("SELECT status FROM inspections WHERE id IN (?, ?) ORDER BY id = ?",
                            inspection_id, correction.id, correction.id) == [("superseded",), ("approved",)]


def test_a_disaster_sweep_puts_checks_on_the_right_phones(new_page, demo_server):
    phones = {c.login: demo_server.session(c.login, DEMO_PASSWORD) for c in town.CARRIERS}
    cursors = {login: phone.pull()["cursor"] for login, phone in phones.items()}
    admin = new_page("admin")
    admin.goto("/office/disasters")
    admin.get_by_label("種類").select_option("typhoon")
    admin.get_by_label("名称").fill("台風12号 通過後の見回り")
    admin.get_by_label("発生日時").fill("2026-09-15T06:00")
    admin.get_by_label(re.compile("自治体コード")).fill(town.TOWN.code)
    admin.get_by_role("button", name="登録して作業を作る").click()
    expect(admin.get_by_role("status")).to_contain_text("新しく作った見回り作業")
    screenshot(admin, "disaster")

    carrier_of = {demo_id(f"property:{h.key}"): h.carrier for h in town.PROPERTIES}
    expected: dict[str, set[str]] = {login: set() for login in phones}
    for sub in town.SUBSCRIPTIONS:
        if "disaster" in sub.options and sub.start_date <= date(2026, 9, 15):
            house = demo_id(f"property:{sub.property}")
            expected[carrier_of[house]].add(house)
    for login, phone in phones.items():
        new = [t for t in phone.pull(cursors[login])["tasks"] if t["note"] == "台風12号 通過後の見回り"]
        assert {t["property_id"] for t in new} == expected[login], login
        assert all(t["priority"] == 2 and t["rubric_id"] == "post_disaster" for t in new)
    # registering it again makes no second check
    admin.goto("/office/disasters")
    admin.get_by_label("種類").select_option("typhoon")
    admin.get_by_label("発生日時").fill("2026-09-15T06:00")
    admin.get_by_label(re.compile("自治体コード")).fill(town.TOWN.code)
    admin.get_by_role("button", name="登録して作業を作る").click()
    expect(admin.get_by_role("status")).to_contain_text("新しく作った見回り作業: 0 件")


def test_an_owner_downloads_their_report_and_cannot_reach_another_owners(new_page, demo_server):
    owner = new_page("owner1")
    screenshot(owner, "owner_home")
    link = owner.get_by_role("link", name=re.compile("の報告書（PDF）")).first
    with owner.expect_download() as download:
        link.click()
    assert Path(download.value.path()).read_bytes()[:5] == b"%PDF-"
    month = re.search(r"month=(\d{4}-\d{2})", link.get_attribute("href"))[1]
    someone_else = demo_id("property:p07")  # owner2's house
    assert owner.request.get(f"/api/v1/reports/owner/{someone_else}?month={month}").status == 404
    photo = demo_server.rows("""SELECT ph.id FROM photos ph JOIN inspections i ON i.id = ph.inspection_id
                                WHERE i.property_id = ? AND i.status = 'approved' LIMIT 1""", someone_else)[0][0]
    assert owner.request.get(f"/office/photos/{photo}/thumb").status == 404


MAIN_PAGES = {
    "office1": ["/office/", "/office/review", "/office/tasks", "/office/properties", "/office/map",
                "/office/subscriptions", "/office/contracts", "/office/candidates", "/office/disasters",
                f"/office/properties/{demo_id('property:p03')}", "/office/contracts/1", "/office/subscriptions/1",
                "/office/disasters/1", "/office/disasters/1/edit", "/office/owners/1", "/office/menu"],
    "admin": ["/office/contracts", "/office/menu"],
    "town1": ["/office/", "/office/contracts/1", "/office/contracts/1/map", "/office/candidates"],
    "owner1": ["/office/"],
}


def test_main_pages_have_no_serious_accessibility_violations(new_page):
    login_page = new_page()
    login_page.goto("/office/login")
    problems = {"/office/login": serious_violations(login_page)}
    screenshot(login_page, "login")
    for login, urls in MAIN_PAGES.items():
        page = new_page(login)
        for url in urls:
            page.goto(url)
            screenshot(page, f"{login}_{url.strip('/').replace('/', '_') or 'home'}"[:60])
            problems[f"{login} {url}"] = serious_violations(page)
    assert {k: v for k, v in problems.items() if v} == {}


def test_pages_work_by_keyboard_alone(new_page):
    page = new_page()
    page.goto("/office/login")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="本文へ移動")).to_be_focused()
    page.keyboard.press("Enter")  # skip the header
    page.keyboard.press("Tab")
    expect(page.get_by_label("ログイン名")).to_be_focused()
    page.keyboard.type("office1")
    page.keyboard.press("Tab")
    page.keyboard.type("akiya-demo")
    page.keyboard.press("Enter")
    page.wait_for_url("**/office/")
    expect(page.get_by_role("heading", name="ホーム")).to_be_visible()
