"""The owner's requested spot on the phone: shown at the top of the form as required, saving
without it lists what is missing, and a reason it could not be checked is enough."""

from playwright.sync_api import expect

from tests.browser.carrier import WATCH_PHOTOS

SPOT = "裏庭の物置"


async def _request_on_task(conn, task_id: str, property_id: str) -> None:
    await conn.execute("UPDATE watch_subscriptions SET requested_spot = ? WHERE property_id = ?", (SPOT, property_id))
    await conn.execute("UPDATE tasks SET subscription_id = (SELECT id FROM watch_subscriptions WHERE property_id = ?)"
                       " WHERE id = ?", (property_id, task_id))


def test_the_requested_spot_is_required_on_the_phone_until_described_or_excused(server, carrier):
    task = server.add_task("watched", kind="watch", rubric_id="watch_basic", rubric_version=1, note=f"ご依頼箇所：{SPOT}")
    server.write(_request_on_task, task, server.world.properties["watched"])
    carrier.sign_in()
    carrier.open_task(task)
    expect(carrier.page.locator(".requested-spot")).to_contain_text(SPOT)
    expect(carrier.page.locator(".requested-spot .req")).to_have_text("必須")
    expect(carrier.page.locator(".form-head .memo")).to_have_count(1)  # the task's note says the same: once
    carrier.page.click("[data-action='all-normal']")
    carrier.take_photos(WATCH_PHOTOS)
    carrier.page.locator("button", has_text="保存する").click()
    problems = carrier.page.locator(".note-bad[role=alert]")
    expect(problems).to_contain_text(f"所有者のご依頼箇所「{SPOT}」の様子を「ご依頼箇所の状況」に書いてください")
    expect(problems).to_contain_text(f"所有者のご依頼箇所「{SPOT}」の写真を撮影してください")
    carrier.screenshot("requested-spot-missing-390")
    carrier.type_text("requested_spot_note", "物置の扉は閉まっていた")
    carrier.take_photo("requested_spot", "p21_garden.jpg")
    carrier.save()
    expect(carrier.page.locator(".record").first).to_have_attribute("data-state", "sent", timeout=30000)
    assert server.rows("SELECT count(*) FROM inspections WHERE task_id = ?", task) == [(1,)]


def test_a_reason_the_spot_could_not_be_checked_lets_the_visit_be_saved(server, carrier):
    task = server.add_task("watched", kind="watch", rubric_id="watch_basic", rubric_version=2)
    server.write(_request_on_task, task, server.world.properties["watched"])
    carrier.sign_in()
    carrier.open_task(task)
    carrier.page.click("[data-action='all-normal']")
    for slot in carrier.page.locator(".slot:has(.req)").all():
        carrier.take_photo(slot.get_attribute("data-slot"), "p01_overview.jpg")
    carrier.choose("mailbox", "投函物なし")  # no single normal answer: the fast path leaves it
    carrier.choose("requested_spot_unchecked", "立入り不可")
    carrier.save()
    expect(carrier.page.locator(".record").first).to_have_attribute("data-state", "sent", timeout=30000)
