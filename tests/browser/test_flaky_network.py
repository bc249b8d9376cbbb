"""A link that drops requests, some before the server sees them and some after it answered:
every record still ends on the server exactly once, with every photo."""

import threading

from playwright.sync_api import Route, expect

from tests.browser.carrier import answer_required_with_first_choices, take_required_photos


class FlakyLink:
    """Drops the listed attempts (1-based) of each kind of request; 'after' drops the answer only."""

    def __init__(self, plan: dict[str, dict[int, str]]):
        self.plan = plan
        self.seen = {kind: 0 for kind in plan}
        self.dropped: list[str] = []
        self.lock = threading.Lock()

    def handler(self, kind: str):
        def handle(route: Route) -> None:
            with self.lock:
                self.seen[kind] += 1
                how = self.plan[kind].get(self.seen[kind])
            if how == "before":
                self.dropped.append(f"{kind}#{self.seen[kind]} before")
                route.abort("connectionreset")
            elif how == "after":
                route.fetch()  # the server does the work; the phone never hears back
                self.dropped.append(f"{kind}#{self.seen[kind]} after")
                route.abort("connectionreset")
            else:
                route.continue_()
        return handle


def test_a_flaky_link_still_leaves_exactly_one_copy_of_each_record(server, phone, carrier):
    link = FlakyLink({"push": {1: "after"}, "photo": {1: "before", 2: "after"}})
    carrier.sign_in()
    phone.route("**/api/v1/sync/push", link.handler("push"))
    phone.route("**/api/v1/photos/*", link.handler("photo"))

    carrier.open_task(server.world.tasks["survey"])
    answer_required_with_first_choices(carrier)
    take_required_photos(carrier, "p09_front.jpg")
    carrier.take_photo("damage", "p49_damage.jpg")
    carrier.save()
    survey_id = carrier.newest_record_id()

    carrier.page.click(".tabs a[data-tab=report]")
    carrier.page.fill("#report-address", "東京都千代田区一番町9-9（表札なし）")
    carrier.page.fill("#report-note", "雨戸が閉まったまま。郵便受けにチラシが溜まっている。")
    carrier.page.locator("label.choice", has_text="初回の空き家調査も記入する").click()
    answer_required_with_first_choices(carrier)
    take_required_photos(carrier, "p34_overview.jpg")
    carrier.take_photo("damage", "p49_damage.jpg")  # the first choices include a finding: its photo is required
    carrier.save()
    report_id = carrier.newest_record_id()

    for record_id in (survey_id, report_id):
        expect(carrier.record(record_id)).to_have_attribute("data-state", "sent", timeout=60000)
    assert len(link.dropped) == 3, link.dropped

    assert server.rows("SELECT id FROM inspections WHERE task_id = ?", server.world.tasks["survey"]) == [(survey_id,)]
    assert server.rows("SELECT count(*) FROM inspections WHERE id = ?", report_id) == [(1,)]
    reported = server.rows("SELECT address, notes, lat, lon FROM properties WHERE reported_by = ?", server.world.users["aoki"])
    assert len(reported) == 1 and reported[0][0] == "東京都千代田区一番町9-9（表札なし）"
    assert abs(reported[0][2] - 35.6871) < 1e-6 and abs(reported[0][3] - 139.7401) < 1e-6
    photos = server.rows("SELECT inspection_id, received_at IS NOT NULL FROM photos WHERE inspection_id IN (?, ?)",
                         survey_id, report_id)
    assert sorted(photos) == sorted([(survey_id, 1), (survey_id, 1), (report_id, 1), (report_id, 1)])
    clerk = server.session("ueda")
    assert clerk.get(f"/api/v1/inspections/{survey_id}").json()["status"] == "submitted"
    assert clerk.get(f"/api/v1/inspections/{report_id}").json()["status"] == "submitted"
