"""An urgent finding on the phone: the instruction shows with the answer, the record is marked
至急 in the outbox and sent before older records, and 「局に至急として届きました」 appears once
the server has put it on the office's 至急 list."""

from playwright.sync_api import expect

from tests.browser.carrier import SHOTS, WATCH_PHOTOS


def fill_normal_watch(carrier, task: str) -> None:
    carrier.open_task(task)
    carrier.page.click("[data-action='all-normal']")
    carrier.take_photos(WATCH_PHOTOS)


def test_an_urgent_answer_shows_what_to_do_and_is_sent_first_and_acknowledged(server, carrier):
    calm_task = server.add_task("surveyed", kind="watch", rubric_id="watch_basic", rubric_version=1)
    urgent_task = server.add_task("watched", kind="watch", rubric_id="watch_basic", rubric_version=1)
    carrier.sign_in()
    carrier.page.context.set_offline(True)  # a weak-signal street: both wait in the outbox
    fill_normal_watch(carrier, calm_task)
    carrier.save()

    fill_normal_watch(carrier, urgent_task)
    instruction = carrier.item("entrance_area").locator(".urgent-instruction")
    expect(instruction).to_be_hidden()
    carrier.choose("entrance_area", "こじ開け・破損の跡あり")
    expect(instruction).to_be_visible()
    expect(instruction).to_contain_text("敷地・建物には入らないでください")
    expect(instruction).to_contain_text("110番")
    expect(instruction).to_contain_text("局には送信したときに至急として知らせます")
    carrier.type_text("entrance_area_note", "勝手口の戸がこじ開けられている")
    carrier.item("entrance_area").screenshot(path=str(SHOTS / "urgent-instruction-item-390.png"))
    carrier.choose("entrance_area", "異常あり")
    expect(instruction).to_be_hidden()  # only with the urgent answer
    carrier.choose("entrance_area", "こじ開け・破損の跡あり")
    carrier.save()
    urgent_card = carrier.page.locator(".record").first
    expect(urgent_card.locator(".tag", has_text="至急")).to_be_visible()
    expect(urgent_card.locator(".urgent-ack")).to_have_count(0)  # not yet: nothing has reached the office

    carrier.page.context.set_offline(False)
    carrier.sync_now()
    expect(urgent_card.locator(".urgent-ack")).to_contain_text("局に至急として届きました", timeout=30000)
    expect(carrier.page.locator(".record").nth(1).locator(".urgent-ack")).to_have_count(0)
    carrier.screenshot("urgent-acknowledged-390")

    order = server.rows("SELECT task_id FROM inspections WHERE task_id IN (?, ?) ORDER BY rowid", calm_task, urgent_task)
    assert [t for (t,) in order] == [urgent_task, calm_task]  # the urgent one first, though saved second
    alerts = server.rows("SELECT a.finding FROM urgent_alerts a JOIN inspections i ON i.id = a.inspection_id"
                         " WHERE i.task_id = ?", urgent_task)
    assert len(alerts) == 1 and "こじ開け" in alerts[0][0]
