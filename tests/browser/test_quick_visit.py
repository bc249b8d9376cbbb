"""The carrier's visit on a 390×844 phone: every form opens at its top with which house, what was
asked and what last visit found; an all-normal watch visit in a dozen taps within three screens;
a returned record on top of the day; a save too early jumps to what is missing."""

import json

import pytest
from playwright.sync_api import expect

from tests.browser.carrier import SHOTS, WATCH_PHOTOS, Carrier
from tests.browser.live_server import PHONE
from tests.support.field import Visit
from tests.support.world import PASSWORD

SCREEN = {"width": 390, "height": 844}
MEMO = "北側の雨どいも見てください"
RETURN_COMMENT = "玄関の写真がぶれています。撮り直してください。"


@pytest.fixture
def carrier(browser, server):
    context = browser.new_context(**{**PHONE, "viewport": SCREEN})
    context.set_default_timeout(15000)
    errors: list[str] = []
    context.on("weberror", lambda error: errors.append(str(error.error)))
    yield Carrier(context.new_page(), server.app_url)
    context.close()
    assert errors == []


def pushed_visit(server, house: str, rubric_id: str, task_id: str | None, **kw) -> Visit:
    """A visit sent from another phone through the API, photos included."""
    aoki = server.session("aoki")
    visit = Visit(property_id=server.world.properties[house], rubric_id=rubric_id, task_id=task_id, **kw)
    assert aoki.push([visit.op()], device_id="other-phone")[0]["status"] == "applied"
    for photo_id, data in visit.photos.items():
        assert aoki.put_photo(photo_id, data).status_code == 201
    return visit


def in_viewport(page, selector: str) -> bool:
    return page.evaluate("""(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
        return r.top >= 0 && r.bottom <= innerHeight && r.height > 0; }""", selector)


def guides_cached(page) -> int:
    return page.evaluate("""() => new Promise((resolve) => {
        const open = indexedDB.open("akiya");
        open.onsuccess = () => { const db = open.result;
            if (!db.objectStoreNames.contains("guides")) return resolve(0);
            const req = db.transaction("guides").objectStore("guides").count();
            req.onsuccess = () => resolve(req.result); };
    })""")


def test_a_form_opens_at_its_top_with_the_address_memo_last_findings_and_framing_guides(server, carrier):
    last = pushed_visit(server, "watched", "watch_basic", server.world.tasks["watch"], options=["airing"],
                        overrides={"entrance_area": "check", "entrance_area_note": "門扉の留め金が外れていた"})
    approved = server.session("ueda").post(f"/api/v1/inspections/{last.id}/review", json={"decision": "approve"})
    assert approved.status_code == 200
    task = server.add_task("watched", kind="watch", rubric_id="watch_basic", rubric_version=1, note=MEMO)

    carrier.sign_in()
    for _ in range(100):
        if guides_cached(carrier.page) >= 7:
            break
        carrier.page.wait_for_timeout(100)
    assert guides_cached(carrier.page) == 7  # the seven required slots of last visit
    carrier.page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    carrier.page.click(f"a.card[data-task='{task}']")
    form = carrier.page.locator("section.form")
    expect(form).to_be_visible()
    assert carrier.page.evaluate("window.scrollY") == 0
    assert in_viewport(carrier.page, ".form-head .address")
    expect(carrier.page.locator(".form-head .address")).to_have_text("東京都千代田区一番町1-1")
    expect(carrier.page.locator(".form-head .memo")).to_contain_text(MEMO)
    assert in_viewport(carrier.page, ".form-head .memo")
    expect(carrier.page.locator(".last-visit")).to_contain_text("玄関周辺の状況: 要確認")
    expect(carrier.page.locator(".last-visit")).to_contain_text("門扉の留め金が外れていた")
    assert in_viewport(carrier.page, ".last-visit")
    expect(carrier.page.locator(".slot[data-slot='entrance'] img.guide")).to_be_visible()
    expect(carrier.page.locator(".slot[data-slot='requested_spot'] img")).to_have_count(0)  # none last time
    carrier.screenshot("form-top-390")


def test_an_all_normal_watch_visit_takes_at_most_twelve_taps_within_three_screens(server, carrier):
    task = server.add_task("surveyed", kind="watch", rubric_id="watch_basic", rubric_version=1, options=["airing"])
    carrier.sign_in()
    page = carrier.page
    taps = []

    def tap(locator):
        locator.click()
        taps.append(locator)

    tap(page.locator(f"a.card[data-task='{task}']"))
    tap(page.locator("[data-action='all-normal']"))
    tap(carrier.item("airing_done").locator("label.choice", has_text="はい"))
    tap(carrier.item("airing_rooms").locator(".step").nth(1))
    tap(carrier.item("airing_minutes").locator(".step").nth(1))
    tap(carrier.item("water_state").locator("label.choice", has_text="異常なし"))
    carrier.take_photos(WATCH_PHOTOS)  # the camera: not counted
    expect(carrier.item("airing_rooms").locator("input")).to_have_value("1")  # the stepper starts at 1, not 0
    height = page.evaluate("document.documentElement.scrollHeight")
    carrier.screenshot("form-all-normal-390-full", full_page=True)
    tap(page.locator("button", has_text="保存する"))

    assert len(taps) <= 12, len(taps)
    assert height <= 3 * SCREEN["height"], height
    expect(page.locator(".saved")).to_contain_text("次の家")
    assert page.locator(f"a.card[data-task='{task}'] .tag", has_text="記録済み").count() == 1
    carrier.screenshot("list-after-save-390")
    recorded = server.rows("SELECT answers FROM inspections WHERE task_id = ?", task)
    for _ in range(100):
        if recorded:
            break
        page.wait_for_timeout(200)
        recorded = server.rows("SELECT answers FROM inspections WHERE task_id = ?", task)
    answers = json.loads(recorded[0][0])
    assert answers["exterior"] == "normal" and answers["entrance_lock"] == "locked" and answers["mailbox"] == "none"
    assert answers["airing_rooms"] == 1


def test_logout_is_in_the_menu_and_asks_first_while_records_wait(server, carrier):
    task = server.add_task("surveyed", kind="watch", rubric_id="watch_basic", rubric_version=1)
    carrier.sign_in()
    carrier.page.context.set_offline(True)
    carrier.open_task(task)
    carrier.page.click("[data-action='all-normal']")
    carrier.take_photos(WATCH_PHOTOS)
    carrier.page.locator("button", has_text="保存する").click()
    expect(carrier.page.locator("section.tasks")).to_be_visible()
    expect(carrier.page.locator("#sign-out")).to_be_hidden()  # not beside 送信
    carrier.page.click("#menu summary")
    asked = []  # the app counts the outbox first, then asks; the handler answers so the click can finish

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    carrier.page.once("dialog", dismiss)
    with carrier.page.expect_event("dialog"):
        carrier.page.click("#sign-out")
    expect(carrier.page.locator("section.tasks")).to_be_visible()
    assert len(asked) == 1 and "未送信の記録が1件" in asked[0]
    expect(carrier.page.locator("section.tasks")).to_be_visible()
    expect(carrier.page.locator("#login")).to_have_count(0)  # dismissed: still signed in
    carrier.page.context.set_offline(False)


def test_a_returned_record_is_a_red_card_at_the_top_with_the_clerks_comment(server, carrier):
    visit = pushed_visit(server, "surveyed", "municipal_survey", server.world.tasks["survey"])
    returned = server.session("ueda").post(f"/api/v1/inspections/{visit.id}/review",
                                           json={"decision": "return", "comment": RETURN_COMMENT})
    assert returned.status_code == 200, returned.text
    carrier.sign_in()
    card = carrier.page.locator("section.tasks a.card").first
    expect(card).to_have_attribute("data-returned", visit.id)
    expect(card).to_contain_text(RETURN_COMMENT)
    expect(card.locator(".address")).to_have_text("東京都千代田区二番町2-2")
    carrier.screenshot("list-returned-390")
    card.click()
    expect(carrier.page.locator(".return-comment")).to_contain_text(RETURN_COMMENT)
    assert in_viewport(carrier.page, ".return-comment")


def test_saving_too_early_jumps_to_the_first_missing_item_and_each_listed_item_links_to_it(server, carrier):
    task = server.add_task("surveyed", kind="watch", rubric_id="watch_basic", rubric_version=1)
    carrier.sign_in()
    carrier.open_task(task)
    carrier.page.locator("button", has_text="保存する").click()
    assert in_viewport(carrier.page, "fieldset[data-key='exterior']")
    carrier.screenshot("form-missing-390")
    errors = carrier.page.locator(".note-bad[role=alert] li a")
    assert errors.count() >= 8  # seven items and the photos
    errors.filter(has_text="外観（西）").first.click()
    assert in_viewport(carrier.page, ".slot[data-slot='exterior_west']")


def test_an_unlocked_door_recorded_on_the_phone_is_on_the_office_home_after_sync(server, browser, carrier):
    task = server.add_task("surveyed", kind="watch", rubric_id="watch_basic", rubric_version=1)
    carrier.sign_in()
    carrier.open_task(task)
    carrier.page.click("[data-action='all-normal']")
    carrier.choose("entrance_lock", "未施錠")  # the one exception
    carrier.type_text("entrance_lock_note", "玄関の戸が10cmほど開いていた")
    carrier.take_photos(WATCH_PHOTOS)
    carrier.save()
    expect(carrier.page.locator(".record").first).to_have_attribute("data-state", "sent", timeout=30000)

    office = browser.new_context(viewport={"width": 1366, "height": 900}, locale="ja-JP")
    clerk = office.new_page()
    clerk.goto(f"{server.base_url}/office/login")
    clerk.get_by_label("ログイン名").fill("ueda")
    clerk.get_by_label("パスワード").fill(PASSWORD)
    clerk.get_by_role("button", name="ログイン").click()
    urgent = clerk.locator(".urgent-list")
    expect(urgent).to_contain_text("玄関の施錠状況: 未施錠")
    expect(urgent).to_contain_text("東京都千代田区二番町2-2")
    expect(urgent.locator("img")).to_be_visible()
    image = urgent.locator("img").first
    image.scroll_into_view_if_needed()
    clerk.wait_for_function("(img) => img.complete", arg=image.element_handle())
    assert image.evaluate("(img) => img.naturalWidth") > 0  # a picture, not an empty box
    SHOTS.mkdir(parents=True, exist_ok=True)
    clerk.screenshot(path=str(SHOTS / "office-home-urgent-1366.png"))
    urgent.get_by_role("link", name="東京都千代田区二番町2-2").click()
    expect(clerk.locator(".alert-box").first).to_contain_text("未施錠")
    clerk.screenshot(path=str(SHOTS / "office-property-alert-1366.png"), full_page=True)
    office.close()


def test_a_vacant_house_report_suggests_the_nearest_known_address_has_one_text_box_and_one_photo(server, carrier):
    carrier.sign_in()
    carrier.page.click(".tabs a[data-tab='report']")
    carrier.page.click("[data-action='use-suggestion']")  # the phone is ~15 m from 一番町1-1
    address = carrier.page.locator("#report-address")
    expect(address).to_have_value("東京都千代田区一番町1-1")
    address.fill("東京都千代田区一番町1-3")  # the carrier confirms the number on the house itself
    expect(carrier.page.locator("section.form textarea:visible")).to_have_count(1)
    carrier.page.fill("#report-note", "雨戸が閉まったまま、郵便受けにチラシが溜まっている")
    carrier.take_photo("report", "p01_overview.jpg")  # one optional photo, no survey
    carrier.screenshot("report-390")
    carrier.page.locator("button", has_text="保存する").click()
    expect(carrier.page.locator("section.outbox")).to_be_visible()
    for _ in range(100):
        rows = server.rows("SELECT address, notes, status FROM properties WHERE address = ?", "東京都千代田区一番町1-3")
        if rows:
            break
        carrier.page.wait_for_timeout(200)
    assert rows == [("東京都千代田区一番町1-3", "雨戸が閉まったまま、郵便受けにチラシが溜まっている", "candidate")]
    for _ in range(100):
        photos = server.rows("""SELECT ph.slot, ph.inspection_id, ph.received_at IS NOT NULL FROM photos ph
                                JOIN properties p ON p.id = ph.property_id WHERE p.address = ?""", "東京都千代田区一番町1-3")
        if photos and photos[0][2]:
            break
        carrier.page.wait_for_timeout(200)
    assert photos == [("report", None, 1)]  # uploaded through the outbox, owned by the reported house
    assert server.rows("SELECT reported_at IS NOT NULL FROM properties WHERE address = ?",
                       "東京都千代田区一番町1-3") == [(1,)]  # the phone's time: the photo's window
    assert server.rows("SELECT count(*) FROM inspections i JOIN properties p ON p.id = i.property_id"
                       " WHERE p.address = ?", "東京都千代田区一番町1-3") == [(0,)]
