"""The owner's requested spot: a visit whose task carries one must say what was seen there, with
its photo, or why it could not be checked; the clerk's review page says when it does not."""

from tests.office.db import execute, query
from tests.office.pages import sign_in
from tests.support.answers import required_slots
from tests.support.field import RUBRICS, watch_visit

SPOT = "裏庭の物置"


def _task_with_a_request(world, settings) -> None:
    (subscription,) = query(settings, "SELECT id FROM watch_subscriptions WHERE property_id = ?", world.properties["watched"])[0]
    execute(settings, "UPDATE watch_subscriptions SET requested_spot = ? WHERE id = ?", SPOT, subscription)
    execute(settings, "UPDATE tasks SET subscription_id = ? WHERE id = ?", subscription, world.tasks["watch"])


def test_the_phone_receives_the_requested_spot_with_its_task(world, settings, as_):
    _task_with_a_request(world, settings)
    tasks = as_("aoki").get("/api/v1/sync/pull").json()["tasks"]
    assert [t["requested_spot"] for t in tasks if t["id"] == world.tasks["watch"]] == [SPOT]


def test_a_visit_without_the_requested_spot_is_rejected_saying_what_to_do(world, settings, as_):
    _task_with_a_request(world, settings)
    result = as_("aoki").push([watch_visit(world).op()])[0]
    assert result["status"] == "rejected", result
    assert [(d["item"], d["code"]) for d in result["error"]["details"]] == [
        ("requested_spot_note", "requested_spot_missing"), ("requested_spot", "requested_spot_photo")]
    assert f"所有者のご依頼箇所「{SPOT}」の様子を「ご依頼箇所の状況」に書いてください" in result["error"]["message"]


def test_a_visit_with_the_spot_described_and_photographed_is_applied(world, settings, as_):
    _task_with_a_request(world, settings)
    visit = watch_visit(world, slots=[*required_slots(RUBRICS.latest("watch_basic")), "requested_spot"],
                        overrides={"requested_spot_note": "物置の扉は閉まっていた"})
    assert as_("aoki").push([visit.op()])[0]["status"] == "applied"


def test_a_reason_it_could_not_be_checked_is_applied_and_shown_to_the_clerk(world, settings, as_, client):
    _task_with_a_request(world, settings)
    visit = watch_visit(world, overrides={"requested_spot_unchecked": "no_entry"})
    aoki = as_("aoki")
    assert aoki.push([visit.op()])[0]["status"] == "applied"
    assert set(visit.upload_all(aoki)) == {201}
    sign_in(client, "ueda")
    page = client.get(f"/office/review/{visit.id}").text
    assert f"ご依頼箇所「{SPOT}」は確認できませんでした（理由: 立入り不可）" in page


def test_a_task_without_a_request_asks_nothing_more(world, as_):
    assert as_("aoki").push([watch_visit(world).op()])[0]["status"] == "applied"


def test_the_review_page_flags_a_record_that_lacks_the_requested_spot(world, settings, as_, client):
    visit = watch_visit(world)  # sent before the request was on the task (an older record)
    aoki = as_("aoki")
    assert aoki.push([visit.op()])[0]["status"] == "applied"
    assert set(visit.upload_all(aoki)) == {201}
    _task_with_a_request(world, settings)
    sign_in(client, "ueda")
    page = client.get(f"/office/review/{visit.id}").text
    assert f"ご依頼箇所「{SPOT}」の様子の記録と写真がありません。" in page
