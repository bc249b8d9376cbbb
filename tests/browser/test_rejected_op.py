"""One record of a batch that the server rejects (a NUL in its notes, which the app's inputs strip,
put into the outbox behind the app's back) does not hold up the others: they arrive, the rejected
one waits under 要確認 with the server's Japanese message, and it is not sent again."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from tests.browser.carrier import answer_required_with_first_choices, take_required_photos

PUT_NUL_IN_NOTES = """async (id) => {
  const db = await new Promise((ok, ko) => {
    const opening = indexedDB.open("akiya");
    opening.onsuccess = () => ok(opening.result);
    opening.onerror = () => ko(opening.error);
  });
  const tx = db.transaction("outbox", "readwrite");
  const outbox = tx.objectStore("outbox");
  const record = await new Promise((ok) => { const got = outbox.index("id").get(id); got.onsuccess = () => ok(got.result); });
  record.op.inspection.notes = "門扉の脇\\u0000に落書き";
  outbox.put(record);
  await new Promise((ok) => { tx.oncomplete = ok; });
  db.close();
}"""


def test_a_rejected_record_waits_under_attention_and_the_rest_of_its_batch_arrives(server, phone, carrier):
    pushed: list[dict] = []
    carrier.page.on("requestfinished", lambda r: pushed.append(json.loads(r.post_data))
                    if r.url.endswith("/sync/push") and r.method == "POST" else None)
    tasks = [server.add_task(house, kind="disaster", rubric_id="post_disaster", rubric_version=1, priority=2,
                             note="大雨の後の確認") for house in ("watched", "surveyed")]
    carrier.sign_in()
    phone.set_offline(True)
    records = []
    for task, photo in zip(tasks, ("p42_flood_mark.jpg", "p01_overview.jpg")):
        carrier.open_task(task)
        answer_required_with_first_choices(carrier)
        take_required_photos(carrier, photo)
        carrier.save()
        records.append(carrier.newest_record_id())
    fine, rejected = records
    carrier.page.evaluate(PUT_NUL_IN_NOTES, rejected)
    phone.set_offline(False)

    expect(carrier.record(fine)).to_have_attribute("data-state", "sent", timeout=30000)
    problem = carrier.record(rejected)
    expect(problem).to_have_attribute("data-state", "attention", timeout=30000)
    expect(problem.locator(".problem")).to_contain_text("記録の「inspection.notes」に使えない制御文字が含まれています")
    assert server.rows("SELECT id FROM inspections WHERE id IN (?, ?)", fine, rejected) == [(fine,)]
    carrier.screenshot("outbox-rejected-control-character")

    with carrier.page.expect_request(lambda r: "/sync/pull" in r.url):
        carrier.sync_now()  # another whole cycle: the rejected record is not in its push
    sent_ops = [op["inspection"]["id"] for body in pushed for op in body["ops"]]
    assert sent_ops.count(rejected) == 1 and sent_ops.count(fine) == 1
    expect(problem).to_have_attribute("data-state", "attention")
